// libFuzzer entry for the vault registry (vaults.json) as VaultManager::load reads it, and for
// each vault record in it. Invariants: an accepted registry writes back (toJson) and reads again
// to the same records; a refusal is "corrupt_json" and names the file.
#include <muze/vault/vaultrecord.h>

#include <cstdint>
#include <cstdlib>

using namespace muze;
using namespace muze::vault;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char*>(data), qsizetype(size));
    auto doc = parseJson(bytes, QStringLiteral("vaults.json"));
    if (!doc)
        return 0;
    const QString file = QStringLiteral("/config/vaults.json");
    auto registry = registryFromJson(*doc, file);
    if (!registry) {
        if (registry.error().code != QLatin1String("corrupt_json") || !registry.error().message.startsWith(file))
            std::abort();
        return 0;
    }
    Json written = Json::object();
    written["vaults"] = Json::array();
    for (const VaultRecord& r : registry->vaults) {
        written["vaults"].push_back(r.toJson());
        (void)dumpJson(r.toJson());
    }
    auto reread = registryFromJson(written, file);
    if (!reread || reread->vaults.size() != registry->vaults.size())
        std::abort();
    for (qsizetype i = 0; i < reread->vaults.size(); ++i) {
        const VaultRecord& a = registry->vaults[i];
        const VaultRecord& b = reread->vaults[i];
        if (a.id != b.id || a.name != b.name || a.provider != b.provider || a.path != b.path
            || a.encrypted != b.encrypted || a.remotePath != b.remotePath || a.dropboxFolderPath != b.dropboxFolderPath
            || a.lastSynced != b.lastSynced)
            std::abort();
    }
    return 0;
}
