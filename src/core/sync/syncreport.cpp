// SyncReport's JSON and one-line forms, and file state names.
#include <muze/sync/syncengine.h>

#include <QStringList>

namespace muze::sync {

QString fileStateName(FileState s)
{
    switch (s) {
    case FileState::Synced: return QStringLiteral("synced");
    case FileState::Syncing: return QStringLiteral("syncing");
    case FileState::Pending: return QStringLiteral("pending");
    case FileState::Conflict: return QStringLiteral("conflict");
    case FileState::Error: return QStringLiteral("error");
    case FileState::CloudOnly: return QStringLiteral("cloud-only");
    }
    return {};
}

Json SyncReport::toJson() const
{
    auto list = [](const QStringList& l) {
        Json a = Json::array();
        for (const QString& s : l)
            a.push_back(toStd(s));
        return a;
    };
    return Json{{"converged", converged},       {"passes", passes},
                {"uploaded", uploaded},         {"downloaded", downloaded},
                {"deleted_local", deletedLocal}, {"deleted_remote", deletedRemote},
                {"merged", merged},             {"conflicts", conflicts},
                {"recorded", recorded},         {"cloud_only", cloudOnly},
                {"bytes_up", bytesUp},          {"bytes_down", bytesDown},
                {"hashed_files", hashedFiles},  {"hashed_bytes", hashedBytes},
                {"reencrypted", reencrypted},   {"reencrypt_left", reencryptLeft},
                {"skipped", list(skipped)},     {"errors", list(errors)},
                {"rejected", list(rejected)},   {"notes", list(notes)},
                {"mass_delete_refused", massDeleteRefused}, {"message", toStd(message)}};
}

QString SyncReport::summary() const
{
    QStringList parts;
    auto add = [&](int n, const char* what) {
        if (n)
            parts << QStringLiteral("%1 %2").arg(n).arg(QLatin1String(what));
    };
    add(uploaded, "uploaded");
    add(downloaded, "downloaded");
    add(deletedLocal, "deleted here");
    add(deletedRemote, "deleted remotely");
    add(merged, "merged");
    add(conflicts, "conflicts");
    add(recorded, "already equal");
    add(cloudOnly, "cloud-only");
    add(reencrypted, "re-encrypted");
    add(int(skipped.size()), "skipped");
    add(int(errors.size()), "errors");
    add(int(rejected.size()), "rejected remote names");
    return parts.isEmpty() ? QStringLiteral("nothing to do") : parts.join(QStringLiteral(", "));
}

} // namespace muze::sync
