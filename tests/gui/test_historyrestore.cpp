// The History panel's Restore, Restore as a copy, writer names and Recently deleted (issue 12)
// under Xvfb, against a folder remote, with screenshots in <build>/screenshots.
#include "catch.h"
#include "deleteddialog.h"
#include "historypanel.h"
#include "testsupport.h"

#include <muze/model/vaultstore.h>
#include <muze/model/writer.h>
#include <muze/remote/folderremote.h>
#include <muze/util/fileio.h>
#include <muze/vault/devicelist.h>

#include <QApplication>
#include <QDate>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>

using namespace muze;

namespace {

const QString kAnna = QStringLiteral("a1a1a1a1a1a1a1a1");
const QString kStudio = QStringLiteral("b2b2b2b2b2b2b2b2");

struct Band {
    test::TempDir dir;
    vault::VaultRecord record;
    std::unique_ptr<model::VaultStore> store;
    std::unique_ptr<remote::FolderRemote> remote;
    QString cid, pid, mid, tid, mixFile, takeFile;

    Band()
    {
        record.id = QStringLiteral("0123456789abcdef");
        record.name = QStringLiteral("Band");
        record.path = dir.filePath(QStringLiteral("vault"));
        record.remotePath = dir.filePath(QStringLiteral("remote"));
        store = std::make_unique<model::VaultStore>(record.path);
        REQUIRE(store->initialize(record.id, record.name).ok());
        // Two devices of the vault, as each one's sync records itself (.muze/devices).
        REQUIRE(vault::renameDeviceRecord(record.path, {kAnna, QStringLiteral("Anna's iPhone")}).ok());
        REQUIRE(vault::renameDeviceRecord(record.path, {kStudio, QStringLiteral("Studio Mac")}).ok());
        model::setWriterDevice(kAnna);
        cid = *store->addCollection(QStringLiteral("Songs"));
        pid = *store->addProject(cid, QStringLiteral("Demo"));
        mid = *store->addMix(pid, QStringLiteral("Song"));
        // A real-sized take: 12 s of 48 kHz 16-bit mono, 1.1 MB.
        test::writeAll(dir.filePath(QStringLiteral("bass.wav")), test::makeWav(48000, 1, 16, 48000 * 12, 110));
        tid = *store->importTrack(mid, dir.filePath(QStringLiteral("bass.wav")), QStringLiteral("Bass"));
        mixFile = model::mixFile(cid, pid, mid);
        takeFile = model::trackAudioFile(cid, pid, tid);
        remote = std::make_unique<remote::FolderRemote>(record.remotePath);
        REQUIRE(remote->listChanges({}).ok());
    }
    ~Band() { model::setWriterDevice({}); }

    // A file reaches the remote as a device's sync would put it there.
    void push(const QString& rel)
    {
        QFile f(store->absolute(rel));
        REQUIRE(f.open(QIODevice::ReadOnly));
        remote::WriteSpec spec;
        spec.mode = remote::WriteMode::Overwrite;
        REQUIRE(remote->upload(rel, f, f.size(), spec).ok());
    }
    Json mix(const QString& rel) const { return *readJsonObjectFile(store->absolute(rel)); }
};

void screenshot(QWidget& w, const QString& name)
{
    QDir().mkpath(test::binaryPath(QStringLiteral("screenshots")));
    QApplication::processEvents();
    REQUIRE(w.grab().save(test::binaryPath(QStringLiteral("screenshots/") + name)));
}

} // namespace

TEST_CASE("history panel names each version's device and restores a version as an edit and as a copy")
{
    Band band;
    band.push(band.takeFile);
    band.push(band.mixFile); // version 1, by Anna
    model::setWriterDevice(kStudio);
    REQUIRE(band.store->edit(band.tid, {{QStringLiteral("gain_db"), QStringLiteral("-6")}}).ok());
    band.push(band.mixFile); // version 2, by the studio
    model::setWriterDevice(kAnna);
    REQUIRE(band.store->edit(band.mid, {{QStringLiteral("tempo"), QStringLiteral("120")}}).ok());
    REQUIRE(band.store->edit(band.tid, {{QStringLiteral("muted"), QStringLiteral("true")}}).ok());
    band.push(band.mixFile); // version 3, by Anna

    gui::HistoryPanel panel(band.record, band.mixFile, QStringLiteral("Song"));
    panel.show();
    REQUIRE(test::waitUntil([&] { return panel.isLoaded(); }, 20000));
    INFO(panel.statusLabel()->text().toStdString());
    QTreeWidget* list = panel.versionList();
    REQUIRE(list->topLevelItemCount() == 3);
    CHECK(list->topLevelItem(0)->text(1).startsWith(QStringLiteral("by Anna's iPhone, today ")));
    CHECK(list->topLevelItem(1)->text(1).startsWith(QStringLiteral("by Studio Mac, today ")));
    CHECK(list->topLevelItem(2)->text(1).startsWith(QStringLiteral("by Anna's iPhone, today ")));
    CHECK(list->topLevelItem(1)->text(2) == QStringLiteral("Bass: gain 0 dB → −6 dB"));

    // The current version cannot be restored over itself.
    list->setCurrentItem(list->topLevelItem(2));
    CHECK_FALSE(panel.restoreButton()->isEnabled());

    // Restore version 2 as a new edit: the file holds version 2's values, written now by this device.
    model::setWriterDevice(kStudio);
    const QString before = jsonString(band.mix(band.mixFile), "modified_at");
    list->setCurrentItem(list->topLevelItem(1));
    REQUIRE(panel.restoreButton()->isEnabled());
    panel.restoreButton()->click();
    REQUIRE(test::waitUntil([&] { return !panel.isBusy(); }, 20000));
    INFO(panel.statusLabel()->text().toStdString());
    CHECK(panel.statusLabel()->text().startsWith(QStringLiteral("Restored version 2 as a new edit")));
    Json restored = band.mix(band.mixFile);
    CHECK(restored["id"] == toStd(band.mid));
    CHECK_FALSE(restored.contains("tempo"));
    CHECK(restored["tracks"][0]["gain_db"] == -6.0);
    CHECK(restored["tracks"][0]["muted"] == false);
    CHECK(restored["modified_by"] == toStd(kStudio));
    CHECK(jsonString(restored, "modified_at") > before);
    screenshot(panel, QStringLiteral("history-restore.png"));

    // Restore version 1 as a copy: a new mix with its own track ids and its own take.
    list->setCurrentItem(list->topLevelItem(0));
    REQUIRE(panel.restoreCopyButton()->isEnabled());
    panel.restoreCopyButton()->click();
    REQUIRE(test::waitUntil([&] { return !panel.isBusy(); }, 20000));
    CHECK(panel.statusLabel()->text().contains(QStringLiteral("as a new mix \"Song (restored ")));
    const QString mixes = band.store->absolute(model::projectDir(band.cid, band.pid) + QStringLiteral("/mixes"));
    const QStringList files = QDir(mixes).entryList({QStringLiteral("*.json")}, QDir::Files);
    REQUIRE(files.size() == 2);
    const QString copyFile = model::projectDir(band.cid, band.pid) + QStringLiteral("/mixes/")
        + (files[0] == band.mid + QStringLiteral(".json") ? files[1] : files[0]);
    const Json copy = band.mix(copyFile);
    CHECK(copy["name"] == toStd(QStringLiteral("Song (restored %1)").arg(QDate::currentDate().toString(Qt::ISODate))));
    REQUIRE(copy["tracks"].size() == 1);
    const QString copyTid = jsonString(copy["tracks"][0], "id");
    CHECK(copyTid != band.tid);
    CHECK(copy["tracks"][0]["gain_db"] == 0.0);
    CHECK(test::readAll(band.store->absolute(model::trackAudioFile(band.cid, band.pid, copyTid)))
        == test::readAll(band.store->absolute(band.takeFile)));
    // The original mix is left as the restore made it.
    CHECK(band.mix(band.mixFile)["tracks"][0]["gain_db"] == -6.0);
}

TEST_CASE("recently deleted brings a deleted mix back with its take in one click")
{
    Band band;
    const QString outro = *band.store->addMix(band.pid, QStringLiteral("Outro"));
    test::writeAll(band.dir.filePath(QStringLiteral("keys.wav")), test::makeWav(48000, 2, 16, 48000 * 6, 660));
    const QString keys = *band.store->importTrack(outro, band.dir.filePath(QStringLiteral("keys.wav")), QStringLiteral("Keys"));
    const QString outroFile = model::mixFile(band.cid, band.pid, outro);
    const QString keysFile = model::trackAudioFile(band.cid, band.pid, keys);
    for (const QString& f : {band.takeFile, band.mixFile, keysFile, outroFile})
        band.push(f);
    const QByteArray take = test::readAll(band.store->absolute(keysFile));
    const QByteArray outroJson = test::readAll(band.store->absolute(outroFile));
    // Deleted on another device: gone from the remote (into its versions area) and from here.
    REQUIRE(band.remote->remove(outroFile).ok());
    REQUIRE(band.remote->remove(keysFile).ok());
    REQUIRE(band.store->remove(outro).ok());
    REQUIRE_FALSE(QFile::exists(band.store->absolute(keysFile)));

    gui::DeletedDialog dialog(band.record);
    dialog.show();
    REQUIRE(test::waitUntil([&] { return !dialog.isBusy(); }, 20000));
    INFO(dialog.statusLabel()->text().toStdString());
    QTreeWidget* list = dialog.itemList();
    REQUIRE(list->topLevelItemCount() == 1);
    CHECK(list->topLevelItem(0)->text(0) == QStringLiteral("Mix"));
    CHECK(list->topLevelItem(0)->text(1) == QStringLiteral("Outro"));
    CHECK(list->topLevelItem(0)->text(3) == QStringLiteral("1 take(s)"));
    screenshot(dialog, QStringLiteral("history-deleted.png"));

    list->setCurrentItem(list->topLevelItem(0));
    REQUIRE(dialog.restoreButton()->isEnabled());
    dialog.restoreButton()->click();
    REQUIRE(test::waitUntil([&] { return !dialog.isBusy(); }, 20000));
    CHECK(dialog.statusLabel()->text()
        == QStringLiteral("Restored mix \"Outro\" with 1 take(s); it syncs with the next sync."));
    CHECK(list->topLevelItemCount() == 0);
    CHECK(test::readAll(band.store->absolute(keysFile)) == take);
    CHECK(test::readAll(band.store->absolute(outroFile)) == outroJson);
    CHECK(band.store->resolve(QStringLiteral("Outro")).ok());
}
