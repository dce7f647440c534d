// muze: the desktop app. `muze [--config-dir DIR]`
#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QMessageBox>
#include <QStandardPaths>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Muze"));
    QApplication::setApplicationName(QStringLiteral("muze"));
    QApplication::setApplicationDisplayName(QStringLiteral("Muze"));
    QApplication::setApplicationVersion(QStringLiteral(MUZE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Record, mix and sync music across devices."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption configDir(QStringLiteral("config-dir"), QStringLiteral("Settings and vault registry folder."),
                                 QStringLiteral("DIR"));
    parser.addOption(configDir);
    parser.process(app);

    muze::vault::VaultManager vaults(parser.value(configDir));
    if (auto s = vaults.load(); !s) {
        QMessageBox::critical(nullptr, QStringLiteral("Muze"), s.errorString());
        return 1;
    }
    QString musicDir = QStandardPaths::writableLocation(QStandardPaths::MusicLocation);
    if (musicDir.isEmpty())
        musicDir = QDir::homePath() + QStringLiteral("/Music");
    const QString parent = QDir(musicDir).filePath(QStringLiteral("Muze"));
    if (auto s = muze::gui::MainWindow::ensureDefaultVault(vaults, parent); !s)
        QMessageBox::warning(nullptr, QStringLiteral("Muze"), s.errorString());

    muze::gui::MainWindow window(vaults, parent);
    window.show();
    return app.exec();
}
