// The Devices tab of vault settings under Xvfb: two real devices (this test's VaultManager and a
// second muze-cli config) share an encrypted vault through a folder remote; the tab lists both,
// renames this device and unlinks the other through the dialog. Screenshots in
// <build>/screenshots.
#include "catch.h"
#include "testsupport.h"

#include "devicestab.h"
#include "unlinkdevicedialog.h"
#include "vaultsettingsdialog.h"

#include <muze/crypto/keyring.h>
#include <muze/crypto/vaultkeys.h>
#include <muze/vault/devicelist.h>
#include <muze/vault/vaultmanager.h>

#include <QApplication>
#include <QDir>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTabWidget>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>

using namespace muze;
using namespace muze::gui;

#define TRY_REQUIRE_FOR(cond, ms) REQUIRE(test::waitUntil([&] { return bool(cond); }, ms))

namespace {

constexpr char kPassword[] = "correct horse battery";
constexpr char kNewPassword[] = "a new password only I know";

void screenshot(QWidget& w, const QString& name)
{
    QDir().mkpath(test::binaryPath(QStringLiteral("screenshots")));
    QApplication::processEvents();
    REQUIRE(w.grab().save(test::binaryPath(QStringLiteral("screenshots/") + name)));
}

test::ProcessResult cli(const QString& config, const QString& service, const QStringList& args)
{
    return test::run(test::builtBinary(QStringLiteral("muze-cli")),
        QStringList{QStringLiteral("--config-dir"), config} + args, {}, 60000,
        {QStringLiteral("MUZE_SYNC_SETTLE_MS=0"), QStringLiteral("MUZE_KEYCHAIN_SERVICE=") + service});
}

void requireOk(const test::ProcessResult& r)
{
    INFO(r.out.toStdString() << r.err.toStdString());
    REQUIRE(r.exitCode == 0);
}

QTreeWidgetItem* rowNamed(QTreeWidget* list, const QString& prefix)
{
    for (int i = 0; i < list->topLevelItemCount(); ++i) {
        if (list->topLevelItem(i)->text(0).startsWith(prefix))
            return list->topLevelItem(i);
    }
    return nullptr;
}

// Runs `act` on the next modal widget of type T once it is up (dialogs opened with exec()).
template <typename T, typename Act> void whenModal(Act act, bool* seen)
{
    auto* timer = new QTimer;
    QObject::connect(timer, &QTimer::timeout, [timer, act, seen] {
        if (auto* w = qobject_cast<T*>(QApplication::activeModalWidget())) {
            timer->stop();
            timer->deleteLater();
            *seen = true;
            act(w);
        }
    });
    timer->start(50);
}

} // namespace

TEST_CASE("gui: the Devices tab lists the vault's devices, renames this one and unlinks another")
{
    test::TempDir dir;
    const QString serviceA = QStringLiteral("muze-test-gui-devices-a");
    const QString serviceB = QStringLiteral("muze-test-gui-devices-b");
    qputenv("MUZE_KEYCHAIN_SERVICE", serviceA.toUtf8()); // what the tab's unlink uses
    const QString remote = dir.filePath(QStringLiteral("nas/Band"));
    QDir().mkpath(remote);

    // Device A: this test's registry, an encrypted vault with a folder remote.
    const QString configA = dir.filePath(QStringLiteral("A-config"));
    vault::VaultManager vaults(configA);
    REQUIRE(vaults.load().ok());
    REQUIRE(vaults.setDeviceName(QStringLiteral("Studio desk")).ok());
    vault::VaultSpec spec;
    spec.name = QStringLiteral("Band");
    spec.path = dir.filePath(QStringLiteral("A-vault"));
    spec.remotePath = remote;
    Result<vault::VaultRecord> band = vaults.create(spec);
    REQUIRE(band.ok());
    REQUIRE(crypto::initVaultEncryption(
        band->path, band->id, kPassword, crypto::KdfParams::minimum(), crypto::MasterKeyStore(serviceA))
                .ok());
    band->encrypted = true;
    REQUIRE(vaults.update(*band).ok());
    requireOk(cli(configA, serviceA, {QStringLiteral("collection"), QStringLiteral("add"), QStringLiteral("Songs")}));
    requireOk(cli(configA, serviceA, {QStringLiteral("sync")}));

    // Device B: a second config, the same remote; unlocked with the password, then synced.
    const QString configB = dir.filePath(QStringLiteral("B-config"));
    const QString vaultB = dir.filePath(QStringLiteral("B-vault"));
    requireOk(cli(configB, serviceB,
        {QStringLiteral("vault"), QStringLiteral("create"), QStringLiteral("Band"), QStringLiteral("--provider"),
            QStringLiteral("local"), QStringLiteral("--path"), vaultB, QStringLiteral("--remote"), remote}));
    requireOk(
        cli(configB, serviceB, {QStringLiteral("devices"), QStringLiteral("rename"), QStringLiteral("Tour laptop")}));
    cli(configB, serviceB, {QStringLiteral("sync")}); // locked: the key ring arrives
    const QString pwFile = dir.filePath(QStringLiteral("pw"));
    test::writeAll(pwFile, kPassword);
    requireOk(cli(configB, serviceB,
        {QStringLiteral("keys"), QStringLiteral("unlock"), QStringLiteral("--password-file"), pwFile}));
    requireOk(cli(configB, serviceB, {QStringLiteral("sync")}));
    requireOk(cli(configA, serviceA, {QStringLiteral("sync")}));

    VaultSettingsDialog dialog(vaults, band->id);
    dialog.resize(640, 420);
    dialog.show();
    REQUIRE(QTest::qWaitForWindowExposed(&dialog));
    auto* tab = dialog.findChild<DevicesTab*>();
    REQUIRE(tab);
    auto* tabs = dialog.findChild<QTabWidget*>();
    tabs->setCurrentWidget(tab);
    TRY_REQUIRE_FOR(tab->loaded(), 10000);
    QTreeWidget* list = tab->list();
    REQUIRE(list->topLevelItemCount() == 2);
    QTreeWidgetItem* me = rowNamed(list, QStringLiteral("Studio desk"));
    QTreeWidgetItem* other = rowNamed(list, QStringLiteral("Tour laptop"));
    REQUIRE(me);
    REQUIRE(other);
    CHECK(me->text(0).contains(QStringLiteral("this device")));
    CHECK(me->font(0).bold());
    CHECK_FALSE(other->text(0).contains(QStringLiteral("this device")));
    CHECK_FALSE(me->text(3).isEmpty()); // platform
    CHECK_FALSE(other->text(2).isEmpty()); // last seen
    CHECK(other->text(1) == QStringLiteral("Linked"));
    // Unlink needs another device selected.
    list->setCurrentItem(me);
    CHECK_FALSE(tab->unlinkButton()->isEnabled());
    list->setCurrentItem(other);
    CHECK(tab->unlinkButton()->isEnabled());
    screenshot(dialog, QStringLiteral("vault-settings-devices.png"));

    // Rename this device: the registry and the vault's list both say the new name.
    bool asked = false;
    whenModal<QInputDialog>(
        [](QInputDialog* d) {
            d->setTextValue(QStringLiteral("Studio Mac"));
            d->accept();
        },
        &asked);
    QTest::mouseClick(tab->renameButton(), Qt::LeftButton);
    CHECK(asked);
    TRY_REQUIRE_FOR(rowNamed(list, QStringLiteral("Studio Mac")) != nullptr, 10000);
    CHECK(vaults.device().name == QStringLiteral("Studio Mac"));
    CHECK(vault::readDevice(band->path, vaults.device().id)->name == QStringLiteral("Studio Mac"));

    // Unlink the other device: the dialog explains, wants the current and a new password.
    other = rowNamed(list, QStringLiteral("Tour laptop"));
    REQUIRE(other);
    list->setCurrentItem(other);
    bool unlinkAsked = false;
    bool doneShown = false;
    whenModal<UnlinkDeviceDialog>(
        [&](UnlinkDeviceDialog* d) {
            const QString text = d->explanationLabel()->text();
            CHECK(text.contains(QStringLiteral("keeps only what it already has")));
            CHECK(text.contains(QStringLiteral("new encryption key")));
            CHECK_FALSE(d->unlinkButton()->isEnabled());
            QTest::keyClicks(d->currentPasswordEdit(), QString::fromLatin1(kPassword));
            QTest::keyClicks(d->newPasswordEdit(), QString::fromLatin1(kPassword));
            CHECK_FALSE(d->unlinkButton()->isEnabled()); // the unlinked device knows that one
            CHECK(d->problem().contains(QStringLiteral("differ")));
            d->newPasswordEdit()->setText(QString::fromLatin1(kNewPassword));
            QTest::keyClicks(d->confirmEdit(), QString::fromLatin1(kNewPassword));
            CHECK(d->unlinkButton()->isEnabled());
            screenshot(*d, QStringLiteral("unlink-device-dialog.png"));
            whenModal<QMessageBox>(
                [](QMessageBox* box) {
                    CHECK(box->text().contains(QStringLiteral("keeps what it already has")));
                    box->accept();
                },
                &doneShown);
            QTest::mouseClick(d->unlinkButton(), Qt::LeftButton);
        },
        &unlinkAsked);
    QTest::mouseClick(tab->unlinkButton(), Qt::LeftButton);
    CHECK(unlinkAsked);
    TRY_REQUIRE_FOR(doneShown, 30000);
    TRY_REQUIRE_FOR(rowNamed(list, QStringLiteral("Tour laptop")) != nullptr
            && rowNamed(list, QStringLiteral("Tour laptop"))->text(1).startsWith(QStringLiteral("Unlinked")),
        10000);
    CHECK_FALSE(tab->unlinkButton()->isEnabled());
    CHECK(rowNamed(list, QStringLiteral("Tour laptop"))->foreground(0).color()
        == list->palette().color(QPalette::Disabled, QPalette::Text)); // greyed
    CHECK(tab->statusLabel()->text().contains(QStringLiteral("unlinked")));
    screenshot(dialog, QStringLiteral("vault-settings-devices-unlinked.png"));

    // The key ring no longer opens with the old password, and holds a second key.
    Result<crypto::KeyRing> ring = crypto::KeyRing::load(band->path + QStringLiteral("/.muze/keyring.json"));
    REQUIRE(ring.ok());
    CHECK(ring->keyIds().size() == 2);
    CHECK(ring->unlock(kPassword).error().code == QStringLiteral("wrong_password"));
    CHECK(ring->unlock(kNewPassword).ok());
    dialog.close();
    (void)crypto::lockVault(band->id, crypto::MasterKeyStore(serviceA));
    (void)crypto::lockVault(band->id, crypto::MasterKeyStore(serviceB));
    qunsetenv("MUZE_KEYCHAIN_SERVICE");
}
