// The History panel (issue 12) under Xvfb: a mix edited four times through a folder remote,
// its versions listed with what changed, and a screenshot for a person to look at.
#include "catch.h"
#include "historypanel.h"
#include "testsupport.h"

#include <muze/model/vaultstore.h>
#include <muze/remote/folderremote.h>

#include <QApplication>
#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QTreeWidget>

using namespace muze;

TEST_CASE("history panel lists a mix's versions with what changed in each")
{
    test::TempDir dir;
    vault::VaultRecord record;
    record.id = QStringLiteral("0123456789abcdef");
    record.name = QStringLiteral("Band");
    record.path = dir.filePath(QStringLiteral("vault"));
    record.remotePath = dir.filePath(QStringLiteral("remote"));
    model::VaultStore store(record.path);
    REQUIRE(store.initialize(record.id, record.name).ok());
    const QString cid = *store.addCollection(QStringLiteral("Songs"));
    const QString pid = *store.addProject(cid, QStringLiteral("Demo"));
    const QString mid = *store.addMix(pid, QStringLiteral("Main"));
    test::writeAll(dir.filePath(QStringLiteral("bass.wav")), test::makeWav(48000, 1, 16, 48000));
    const QString tid = *store.importTrack(mid, dir.filePath(QStringLiteral("bass.wav")), QStringLiteral("Bass"));
    const QString mixFile = model::mixFile(cid, pid, mid);

    // Each edit reaches the remote as a device's sync would put it there.
    remote::FolderRemote remote(record.remotePath);
    REQUIRE(remote.listChanges({}).ok());
    auto push = [&] {
        QFile f(store.absolute(mixFile));
        REQUIRE(f.open(QIODevice::ReadOnly));
        remote::WriteSpec spec;
        spec.mode = remote::WriteMode::Overwrite;
        REQUIRE(remote.upload(mixFile, f, f.size(), spec).ok());
    };
    push();
    for (const auto& [ref, edit] :
        std::vector<std::pair<QString, QString>>{{mid, QStringLiteral("tempo=96")}, {tid, QStringLiteral("gain_db=-3")},
            {tid, QStringLiteral("solo=true")}, {mid, QStringLiteral("name=Main (live)")}}) {
        REQUIRE(store.edit(ref, {{edit.section(QLatin1Char('='), 0, 0), edit.section(QLatin1Char('='), 1)}}).ok());
        push();
    }

    gui::HistoryPanel panel(record, mixFile, QStringLiteral("Main (live)"));
    panel.show();
    REQUIRE(test::waitUntil([&] { return panel.isLoaded(); }, 20000));
    INFO(panel.statusLabel()->text().toStdString());
    QTreeWidget* list = panel.versionList();
    REQUIRE(list->topLevelItemCount() == 5);
    CHECK(panel.statusLabel()->text() == QStringLiteral("5 versions, oldest first"));
    CHECK(list->topLevelItem(0)->text(2) == QStringLiteral("created \"Main\""));
    CHECK(list->topLevelItem(1)->text(2) == QStringLiteral("tempo set to 96"));
    CHECK(list->topLevelItem(2)->text(2) == QStringLiteral("Bass: gain 0 dB → −3 dB"));
    CHECK(list->topLevelItem(3)->text(2) == QStringLiteral("Bass: solo on"));
    CHECK(list->topLevelItem(4)->text(2) == QStringLiteral("renamed \"Main\" to \"Main (live)\" (current)"));

    QDir().mkpath(test::binaryPath(QStringLiteral("screenshots")));
    QApplication::processEvents();
    REQUIRE(panel.grab().save(test::binaryPath(QStringLiteral("screenshots/history-panel.png"))));

    // A vault without a remote says why, instead of an empty list.
    vault::VaultRecord alone = record;
    alone.remotePath.clear();
    gui::HistoryPanel none(alone, mixFile, QStringLiteral("Main"));
    REQUIRE(test::waitUntil([&] { return none.isLoaded(); }, 20000));
    CHECK(none.statusLabel()->text().contains(QStringLiteral("does not sync anywhere yet")));
    CHECK(none.versionList()->topLevelItemCount() == 0);
}
