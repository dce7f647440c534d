// muze: the desktop app. `muze [--config-dir DIR] [com.krondor.muze://oauth?...]`
// One instance per user and config dir: a later launch hands its arguments (the sign-in
// answer Dropbox sent to com.krondor.muze://oauth) to the running app and exits.
#include "dropboxconnectdialog.h"
#include "instancerouter.h"
#include "mainwindow.h"
#include "projecttree.h"
#include "startupprobe.h"
#include "translations.h"

#include <muze/auth/dropboxconfig.h>
#include <muze/model/writer.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QDesktopServices>
#include <QDir>
#include <QMessageBox>
#include <QStandardPaths>
#include <QStatusBar>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Muze"));
    QApplication::setApplicationName(QStringLiteral("muze"));
    QApplication::setApplicationDisplayName(QStringLiteral("Muze"));
    QApplication::setApplicationVersion(QStringLiteral(MUZE_VERSION));
    muze::gui::installTranslations(app);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Record, mix and sync music across devices."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption configDir(QStringLiteral("config-dir"), QStringLiteral("Settings and vault registry folder."),
                                 QStringLiteral("DIR"));
    parser.addOption(configDir);
    parser.addPositionalArgument(QStringLiteral("url"), QStringLiteral("A com.krondor.muze: link (the Dropbox sign-in answer)."),
                                 QStringLiteral("[url]"));
    parser.process(app);

    muze::gui::InstanceRouter router(muze::gui::InstanceRouter::keyFor(parser.value(configDir)));
    if (router.forwardToRunning(parser.positionalArguments()))
        return 0; // the running Muze took the link (and comes to the front)
    if (auto s = router.listen(); !s)
        qWarning("%s", qPrintable(s.errorString()));
    QDesktopServices::setUrlHandler(muze::auth::kAppScheme, &router, "openUrl"); // Apple: open-URL events

    muze::vault::VaultManager vaults(parser.value(configDir));
    if (auto s = vaults.load(); !s) {
        QMessageBox::critical(nullptr, QStringLiteral("Muze"), s.errorString());
        return 1;
    }
    muze::model::setWriterDevice(vaults.device().id); // "modified_by" in what this process writes
    QString musicDir = QStandardPaths::writableLocation(QStandardPaths::MusicLocation);
    if (musicDir.isEmpty())
        musicDir = QDir::homePath() + QStringLiteral("/Music");
    const QString parent = QDir(musicDir).filePath(QStringLiteral("Muze"));
    if (auto s = muze::gui::MainWindow::ensureDefaultVault(vaults, parent); !s)
        QMessageBox::warning(nullptr, QStringLiteral("Muze"), s.errorString());

    muze::gui::MainWindow window(vaults, parent);
    new muze::gui::StartupProbe(window.projectTree()->tree()); // bench/startup's marker
    QObject::connect(&router, &muze::gui::InstanceRouter::argumentsReceived, &window, [&window] {
        window.show();
        window.raise();
        window.activateWindow();
    });
    QObject::connect(&router, &muze::gui::InstanceRouter::urlReceived, &window, [&window](const QUrl& url) {
        if (!muze::gui::DropboxConnectDialog::deliverRedirect(url))
            window.statusBar()->showMessage(
                QApplication::translate("main", "No Dropbox sign-in is waiting for this answer; start it again."), 10000);
    });
    window.show();
    for (const QUrl& url : muze::gui::appSchemeUrls(parser.positionalArguments()))
        router.openUrl(url); // launched by the link itself: nothing can be waiting for it
    return app.exec();
}
