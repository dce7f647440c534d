// libFuzzer entry for the metadata parsers: keyring.json, search-index.json and the keychain
// entry. Anything accepted must survive a write/read round trip unchanged in meaning. The seed
// key ring (corpus/keyring/keyring.json) opens with "password" and carries a valid MAC, so
// inputs derived from it reach unlock (MAC check) and rotate.
#include <muze/crypto/keyring.h>
#include <muze/crypto/masterkeystore.h>
#include <muze/crypto/searchindex.h>

#include <cstdint>
#include <cstdlib>

using namespace muze;
using namespace muze::crypto;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char*>(data), qsizetype(size));
    if (auto entry = MasterKeyStore::decode(bytes)) {
        if (MasterKeyStore::encode(*entry) != bytes)
            std::abort();
    }
    auto json = parseJson(bytes, QStringLiteral("fuzz"));
    if (!json)
        return 0;
    if (auto ring = KeyRing::fromJson(*json)) {
        auto again = KeyRing::fromJson(ring->toJson());
        if (!again || again->keyIds() != ring->keyIds() || again->activeKeyId() != ring->activeKeyId()
            || again->salt() != ring->salt() || !(again->kdfParams() == ring->kdfParams()))
            std::abort();
        // Cheap limits only: a fuzzer must not spend seconds per input in Argon2id.
        if (ring->kdfParams().opsLimit == 1 && ring->kdfParams().memLimit <= 65536) {
            if (ring->unlock("password")) {
                if (!ring->unlockedKeys() || !ring->rotate())
                    std::abort();
                // Every change re-seals: what a writer produces authenticates again.
                auto sealed = KeyRing::fromJson(ring->toJson());
                if (!sealed || !sealed->unlockWithKek(ring->kek()) || sealed->activeKeyId() != ring->activeKeyId())
                    std::abort();
            }
        }
    }
    UnlockedKeys keys;
    keys.add(1, SecretBytes(32));
    keys.setActiveKeyId(1);
    if (auto index = SearchIndex::fromJson(*json, keys)) {
        auto again = SearchIndex::fromJson(index->toJson(), keys);
        if (!again || again->itemCount() != index->itemCount())
            std::abort();
        (void)index->query(QStringLiteral("fuzz words"));
    }
    return 0;
}
