// makeEngineForVault (vaultengine.h): the engine muze-cli and the sync worker both make for a
// registered vault, and what each state of its keys lets a sync do. Real keychain (Secret
// Service under tools/test-env.sh), real folder remote.
#include "catch.h"
#include "testsupport.h"

#include <muze/sync/vaultengine.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>

using namespace muze;
using namespace muze::test;

#ifdef MUZE_TEST_CRYPTO
#include <muze/crypto/keyring.h>
#include <muze/crypto/masterkeystore.h>
#include <muze/crypto/vaultkeys.h>
#include <muze/util/ids.h>
#include <muze/util/json.h>

namespace {

const QString kRing = QStringLiteral(".muze/keyring.json");
const QString kNote = QStringLiteral("collections/c1/notes.txt");
const QByteArray kPassword = "vault engine password";

enum class Keys { Plain, Unlocked, NotHere, Edited, Unreadable };

// A vault folder with one file, its keys as `keys` says, and a record naming a folder remote.
vault::VaultRecord makeVault(const TempDir& dir, Keys keys, const crypto::MasterKeyStore& store)
{
    vault::VaultRecord v;
    v.id = newId();
    v.name = QStringLiteral("Band");
    v.path = dir.filePath(QStringLiteral("vault"));
    v.remotePath = dir.filePath(QStringLiteral("remote"));
    writeAll(v.path + QLatin1Char('/') + kNote, "the bridge goes twice");
    const QString ring = v.path + QLatin1Char('/') + kRing;
    switch (keys) {
    case Keys::Plain:
        break;
    case Keys::Unlocked:
    case Keys::Edited:
        REQUIRE(crypto::initVaultEncryption(v.path, v.id, kPassword, crypto::KdfParams::minimum(), store).ok());
        if (keys == Keys::Edited) { // someone without the password weakens the ring's KDF
            Json doc = Json::parse(readAll(ring).toStdString());
            doc["kdf"]["opslimit"] = 2;
            writeAll(ring, QByteArray::fromStdString(doc.dump()));
        }
        break;
    case Keys::NotHere: { // made on another device: this keychain holds nothing for it
        Result<crypto::KeyRing> other = crypto::KeyRing::create(kPassword, crypto::KdfParams::minimum());
        REQUIRE(other.ok());
        QDir().mkpath(QFileInfo(ring).absolutePath());
        REQUIRE(other->save(ring).ok());
        break;
    }
    case Keys::Unreadable:
        writeAll(ring, "{ not a key ring");
        break;
    }
    if (keys != Keys::Plain)
        v.encrypted = true;
    return v;
}

} // namespace

TEST_CASE("vault engine: each state of the vault's keys and what its sync moves")
{
    const crypto::MasterKeyStore store(QStringLiteral("muze-tests-vaultengine"));
    qputenv("MUZE_KEYCHAIN_SERVICE", store.service().toUtf8()); // what makeCodecForVault() reads
    qputenv("MUZE_SYNC_SETTLE_MS", "0");
    struct Row {
        const char* what;
        Keys keys;
        sync::KeysState state;
        bool encrypting;
        bool fileSent; // the vault's file reached the remote
        const char* problem; // in the keys error message; "" when there is none
    };
    const std::vector<Row> table{
        {"a plain vault", Keys::Plain, sync::KeysState::Usable, false, true, ""},
        {"an encrypted vault unlocked here", Keys::Unlocked, sync::KeysState::Usable, true, true, ""},
        {"an encrypted vault whose keys are not here", Keys::NotHere, sync::KeysState::Locked, false, false,
            "keys unlock"},
        {"a key ring edited without the password", Keys::Edited, sync::KeysState::Untrusted, false, false,
            "modified by someone without the vault password"},
        {"a key ring that does not parse", Keys::Unreadable, sync::KeysState::Failed, false, false, ""},
    };
    for (const Row& row : table) {
        INFO(row.what);
        TempDir dir;
        const vault::VaultRecord v = makeVault(dir, row.keys, store);
        Result<sync::VaultEngine> made
            = sync::makeEngineForVault(v, sync::SyncSettings{}, QStringLiteral("Laptop"), QStringLiteral("device-1"));
        REQUIRE(made.ok());
        REQUIRE(made->engine);
        CHECK(made->keys == row.state);
        CHECK(made->engine->encrypting() == row.encrypting);
        CHECK(made->engine->remote().kind() == QStringLiteral("folder"));
        if (row.state != sync::KeysState::Usable)
            CHECK_FALSE(made->keysError.message.isEmpty());
        CHECK(made->keysError.message.contains(QString::fromUtf8(row.problem)));

        Result<sync::SyncReport> r = made->engine->run();
        REQUIRE(r.ok());
        CHECK(r->locked == (row.keys != Keys::Plain && !row.encrypting));
        CHECK(QFile::exists(v.remotePath + QLatin1Char('/') + kNote) == row.fileSent);
        // Whatever the keys, the key ring moves: it is how a locked device gets unlocked.
        CHECK(QFile::exists(v.remotePath + QLatin1Char('/') + kRing) == (row.keys != Keys::Plain));
        if (row.encrypting) // stored encrypted, never in clear
            CHECK_FALSE(readAll(v.remotePath + QLatin1Char('/') + kNote).contains("the bridge"));
        (void)crypto::lockVault(v.id, store);
    }
    qunsetenv("MUZE_SYNC_SETTLE_MS");
    qunsetenv("MUZE_KEYCHAIN_SERVICE");
}
#endif

TEST_CASE("vault engine: a vault without a remote gets no engine")
{
    TempDir dir;
    vault::VaultRecord v;
    v.id = QStringLiteral("v1");
    v.name = QStringLiteral("Band");
    v.path = dir.filePath(QStringLiteral("vault"));
    Result<sync::VaultEngine> made
        = sync::makeEngineForVault(v, {}, QStringLiteral("Laptop"), QStringLiteral("device-1"));
    REQUIRE_FALSE(made.ok());
    CHECK(made.error().code == QStringLiteral("no_remote"));
}
