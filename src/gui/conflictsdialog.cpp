#include "conflictsdialog.h"

#include "background.h"
#include "conflictcard.h"

#include <muze/wav/wavformat.h>
#ifdef MUZE_HAVE_AUDIO
#include <muze/audio/player.h>
#endif

#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace muze::gui {

struct ConflictListing {
    std::vector<sync::ConflictView> list;
    std::vector<std::pair<TakeInfo, TakeInfo>> takes; // per conflict: mine, theirs (files only)
    QStringList problems;
};

namespace {
TakeInfo takeInfo(const QString& root, const QString& rel)
{
    TakeInfo t;
    const QString abs = QDir(root).filePath(rel);
    t.bytes = QFileInfo(abs).size();
    if (Result<wav::WavInfo> info = wav::probeWavFile(abs))
        t.seconds = info->durationSeconds();
    return t;
}
} // namespace

ConflictsDialog::ConflictsDialog(QString vaultId, QString vaultRoot, const QString& vaultName, QString deviceName,
                                 QWidget* parent)
    : QDialog(parent), m_vaultId(std::move(vaultId)), m_root(std::move(vaultRoot)), m_device(std::move(deviceName))
{
    setObjectName(QStringLiteral("conflictsDialog"));
    setWindowTitle(tr("Conflicts — %1").arg(vaultName));
    auto* layout = new QVBoxLayout(this);
    m_summary = new QLabel(tr("Looking for conflicts…"), this);
    m_summary->setObjectName(QStringLiteral("conflictsSummary"));
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);

    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* holder = new QWidget(scroll);
    m_cardsLayout = new QVBoxLayout(holder);
    m_cardsLayout->addStretch(1);
    scroll->setWidget(holder);
    layout->addWidget(scroll, 1);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("conflictsStatus"));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    auto* buttons = new QHBoxLayout;
    m_allMine = new QPushButton(tr("All mine"), this);
    m_allMine->setObjectName(QStringLiteral("allMine"));
    m_allMine->setToolTip(tr("Keep this device's version of everything"));
    m_allTheirs = new QPushButton(tr("All theirs"), this);
    m_allTheirs->setObjectName(QStringLiteral("allTheirs"));
    m_allTheirs->setToolTip(tr("Keep the other devices' version of everything"));
    m_apply = new QPushButton(tr("Apply choices"), this);
    m_apply->setObjectName(QStringLiteral("applyChoices"));
    m_apply->setToolTip(tr("Keep the version chosen for each field"));
    for (QPushButton* b : {m_allMine, m_allTheirs, m_apply})
        b->setAutoDefault(false); // Enter must never settle conflicts by itself
    auto* close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addWidget(m_allMine);
    buttons->addWidget(m_allTheirs);
    buttons->addStretch(1);
    buttons->addWidget(m_apply);
    buttons->addWidget(close);
    layout->addLayout(buttons);
    connect(m_allMine, &QPushButton::clicked, this, [this] { resolveAll(sync::Choice::Mine); });
    connect(m_allTheirs, &QPushButton::clicked, this, [this] { resolveAll(sync::Choice::Theirs); });
    connect(m_apply, &QPushButton::clicked, this, &ConflictsDialog::applyFieldChoices);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(this, &QDialog::finished, this, &ConflictsDialog::stopPlaying);
    resize(780, 640);
    setBusy(true);
    reload();
}

ConflictsDialog::~ConflictsDialog() { stopPlaying(); }

void ConflictsDialog::reload()
{
    setBusy(true);
    runInBackground(
        this,
        [root = m_root, device = m_device] {
            ConflictListing l;
            const sync::ConflictResolver resolver(root, device);
            if (Result<int> found = resolver.detect(); !found)
                l.problems << found.errorString();
            l.list = resolver.list(&l.problems);
            for (const sync::ConflictView& c : l.list) {
                if (c.kind == QLatin1String("file"))
                    l.takes.emplace_back(takeInfo(root, c.minePath), takeInfo(root, c.theirsPath));
                else
                    l.takes.emplace_back();
            }
            return l;
        },
        [this](const ConflictListing& l) { populate(l); });
}

void ConflictsDialog::populate(const ConflictListing& listing)
{
    for (ConflictCard* card : m_cards)
        card->deleteLater();
    m_cards.clear();
    int fields = 0;
    for (size_t i = 0; i < listing.list.size(); ++i) {
        auto* card = new ConflictCard(listing.list[i], listing.takes[i].first, listing.takes[i].second, this);
        connect(card, &ConflictCard::playRequested, this, &ConflictsDialog::play);
        connect(card, &ConflictCard::resolveRequested, this,
                [this](const QString& id, sync::Choice choice) { resolve({{id, choice}}); });
        m_cardsLayout->insertWidget(m_cardsLayout->count() - 1, card);
        m_cards << card;
        fields += card->isField() ? 1 : 0;
    }
    const int n = int(m_cards.size());
    const int takes = n - fields;
    if (n == 0)
        m_summary->setText(tr("No conflicts. Everything this vault's devices changed fit together."));
    else if (takes == 0)
        m_summary->setText(tr("%n field(s) changed differently on two devices. Choose which version to keep.", "", fields));
    else if (fields == 0)
        m_summary->setText(tr("%n take(s) recorded over on two devices. Listen to both, then keep one or both.", "", takes));
    else
        m_summary->setText(tr("%n conflict(s): ", "", n) + tr("%n field(s) and ", "", fields)
                           + tr("%n take(s) changed on two devices.", "", takes));
    if (!listing.problems.isEmpty())
        m_status->setText(tr("Some conflict records could not be read: %1").arg(listing.problems.join(QStringLiteral("; "))));
    setBusy(false);
    m_apply->setVisible(fields > 0);
    m_allMine->setEnabled(n > 0);
    m_allTheirs->setEnabled(n > 0);
    Q_EMIT loaded(n);
}

void ConflictsDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_allMine->setEnabled(!busy && !m_cards.isEmpty());
    m_allTheirs->setEnabled(!busy && !m_cards.isEmpty());
    m_apply->setEnabled(!busy);
    for (ConflictCard* card : m_cards)
        card->setEnabled(!busy);
}

void ConflictsDialog::applyFieldChoices()
{
    std::vector<std::pair<QString, sync::Choice>> choices;
    for (ConflictCard* card : m_cards) {
        if (card->isField())
            choices.emplace_back(card->view().id, card->choice());
    }
    resolve(choices);
}

void ConflictsDialog::resolveAll(sync::Choice choice)
{
    std::vector<std::pair<QString, sync::Choice>> choices;
    for (ConflictCard* card : m_cards)
        choices.emplace_back(card->view().id, choice);
    resolve(choices);
}

void ConflictsDialog::resolve(const std::vector<std::pair<QString, sync::Choice>>& choices)
{
    if (choices.empty() || m_busy)
        return;
    stopPlaying(); // a take about to move must not be open for playback
    setBusy(true);
    m_status->setText(tr("Saving your choices…"));
    runInBackground(
        this,
        [root = m_root, device = m_device, choices] {
            const sync::ConflictResolver resolver(root, device);
            QStringList failures;
            for (const auto& [id, choice] : choices) {
                if (Status s = resolver.resolve(id, choice); !s)
                    failures << s.errorString();
            }
            return std::make_pair(int(choices.size()) - int(failures.size()), failures);
        },
        [this](const std::pair<int, QStringList>& result) {
            m_status->setText(result.second.isEmpty()
                                  ? tr("%n conflict(s) resolved; syncing so your other devices get the same.", "", result.first)
                                  : tr("Not resolved: %1").arg(result.second.join(QStringLiteral("; "))));
            if (result.first > 0)
                Q_EMIT resolved(m_vaultId);
            reload();
        });
}

void ConflictsDialog::play(const QString& relPath, bool mine)
{
    const bool same = m_playingPath == relPath;
    stopPlaying();
    if (same)
        return; // the button said Stop
#ifdef MUZE_HAVE_AUDIO
    if (!m_player) {
        m_player = std::make_unique<audio::Player>();
        connect(m_player.get(), &audio::Player::finished, this, &ConflictsDialog::stopPlaying);
        connect(m_player.get(), &audio::Player::failed, this, [this](const QString& message) {
            m_status->setText(message);
            stopPlaying();
        });
        connect(m_player.get(), &audio::Player::startFailed, this, [this](const Error& error) {
            m_status->setText(tr("Cannot play: %1").arg(error.message));
            stopPlaying();
        });
        // The card says Stop once the device plays, not when asked.
        connect(m_player.get(), &audio::Player::started, this, [this] {
            for (ConflictCard* card : m_cards) {
                if (card->view().minePath == m_playingPath || card->view().theirsPath == m_playingPath)
                    card->setPlaying(m_playingMine, true);
            }
        });
    }
    audio::MixSpec spec;
    spec.vaultRoot = m_root;
    spec.name = QFileInfo(relPath).completeBaseName();
    spec.tracks.push_back({QStringLiteral("take"), spec.name, QDir(m_root).filePath(relPath), {}});
    if (Status s = m_player->load(spec); !s) {
        m_status->setText(s.errorString());
        return;
    }
    m_player->seek(0);
    if (Status s = m_player->play(); !s) {
        m_status->setText(s.errorString());
        return;
    }
    m_playingPath = relPath; // asked for: a second tap cancels the start
    m_playingMine = mine;
#else
    Q_UNUSED(mine);
    m_status->setText(tr("This build of Muze cannot play audio."));
#endif
}

void ConflictsDialog::stopPlaying()
{
#ifdef MUZE_HAVE_AUDIO
    if (m_player)
        m_player->stop();
#endif
    m_playingPath.clear();
    for (ConflictCard* card : m_cards)
        card->setPlaying(true, false);
}

} // namespace muze::gui
