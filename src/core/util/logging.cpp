#include <muze/util/logging.h>

Q_LOGGING_CATEGORY(lcModel, "muze.model", QtInfoMsg)
Q_LOGGING_CATEGORY(lcVault, "muze.vault", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSync, "muze.sync", QtInfoMsg)
Q_LOGGING_CATEGORY(lcCrypto, "muze.crypto", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDropbox, "muze.dropbox", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAuth, "muze.auth", QtInfoMsg)
Q_LOGGING_CATEGORY(lcICloud, "muze.icloud", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAudio, "muze.audio", QtInfoMsg)
Q_LOGGING_CATEGORY(lcGui, "muze.gui", QtInfoMsg)
