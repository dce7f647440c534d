#pragma once
// Shared by the vault-key tests (test_vaultkeys.cpp, test_vaultkeys_attacks.cpp): two "devices"
// on one keychain, the ring file as JSON, and the key id a device would encrypt with.
#include "catch.h"
#include "cryptotest.h"
#include "testsupport.h"

#include <muze/crypto/filecipher.h>
#include <muze/crypto/masterkeystore.h>
#include <muze/crypto/vaultkeys.h>
#include <muze/util/fileio.h>
#include <muze/util/ids.h>
#include <muze/util/json.h>

namespace muze::test::vaultkeys {

using namespace muze::crypto;


// Two stores with different service names behave like two devices sharing one keychain.
inline MasterKeyStore device(const char* name) { return MasterKeyStore(QStringLiteral("muze-tests-") + QLatin1String(name)); }

inline void requireKeychain()
{
    const MasterKeyStore store = device("probe");
    const QString id = newId();
    DeviceKeys keys{QByteArray(16, 's'), SecretBytes::random(32), {}};
    keys.keys.add(1, SecretBytes::random(32));
    keys.keys.setActiveKeyId(1);
    const Status s = store.store(id, keys);
    INFO("The keychain tests need a Secret Service: run them through tools/test-env.sh. "
         << s.errorString().toStdString());
    REQUIRE(s.ok());
    REQUIRE(store.forget(id).ok());
}


inline Json readRing(const QString& root) { return readJsonObjectFile(keyRingPath(root)).value(); }
inline void writeRing(const QString& root, const Json& j) { REQUIRE(writeJsonFile(keyRingPath(root), j).ok()); }

// The key id in an encrypted file's header (docs/FORMAT.md §3.1, offset 12).
inline quint32 blobKeyId(const QByteArray& blob)
{
    REQUIRE(blob.size() >= 16);
    return quint32(uchar(blob[12])) | quint32(uchar(blob[13])) << 8 | quint32(uchar(blob[14])) << 16
        | quint32(uchar(blob[15])) << 24;
}

// The key a device would encrypt a new file with now ("" code when it can).
inline quint32 newFileKey(const QString& root, const QString& vault, const MasterKeyStore& store)
{
    auto keys = loadVaultKeys(root, vault, store);
    REQUIRE(keys.ok());
    const FileCipher cipher(std::make_shared<UnlockedKeys>(std::move(keys.value())));
    return blobKeyId(*test::encryptBytes(cipher, "new take", QStringLiteral("audio/new.wav")));
}


} // namespace muze::test::vaultkeys
