#include <muze/remote/remotehistory.h>

#include <muze/remote/folderremote.h>
#include <muze/remote/icloudremote.h>
#include <muze/util/json.h>

#include <QDir>

#include "dropboxhistory.h"
#include <muze/remote/dropboxremote.h>

namespace muze::remote {

std::unique_ptr<RemoteHistory> makeFolderHistory(FolderRemote& remote); // folderhistory.cpp
std::unique_ptr<RemoteHistory> makeICloudHistory(ICloudRemote& remote); // icloudhistory.cpp

QString retentionName(Retention r)
{
    switch (r) {
    case Retention::Days30:
        return QStringLiteral("30d");
    case Retention::Months6:
        return QStringLiteral("6m");
    case Retention::Year1:
        return QStringLiteral("1y");
    case Retention::Forever:
        return QStringLiteral("forever");
    }
    return QStringLiteral("6m");
}

std::optional<Retention> parseRetention(const QString& text)
{
    const QString t = text.trimmed().toLower().remove(QLatin1Char(' '));
    if (t == QLatin1String("30d") || t == QLatin1String("30days"))
        return Retention::Days30;
    if (t == QLatin1String("6m") || t == QLatin1String("6months"))
        return Retention::Months6;
    if (t == QLatin1String("1y") || t == QLatin1String("1year") || t == QLatin1String("12m"))
        return Retention::Year1;
    if (t == QLatin1String("forever") || t == QLatin1String("unlimited"))
        return Retention::Forever;
    return std::nullopt;
}

QDateTime retentionCutoff(Retention r, const QDateTime& now)
{
    switch (r) {
    case Retention::Days30:
        return now.addDays(-30);
    case Retention::Months6:
        return now.addMonths(-6);
    case Retention::Year1:
        return now.addYears(-1);
    case Retention::Forever:
        break;
    }
    return {};
}

Retention vaultRetention(const QString& vaultRoot)
{
    Result<Json> doc = readJsonObjectFile(QDir(vaultRoot).filePath(QStringLiteral("vault.json")));
    if (!doc)
        return kDefaultRetention;
    return parseRetention(jsonString(*doc, "history_retention")).value_or(kDefaultRetention);
}

Result<std::unique_ptr<RemoteHistory>> openHistory(RemoteStore& store)
{
    if (auto* folder = dynamic_cast<FolderRemote*>(&store))
        return makeFolderHistory(*folder);
    if (auto* icloud = dynamic_cast<ICloudRemote*>(&store))
        return makeICloudHistory(*icloud);
    if (auto* dropbox = dynamic_cast<DropboxRemote*>(&store))
        return makeDropboxHistory(*dropbox);
    return makeError(QStringLiteral("This vault's remote (%1) keeps no history").arg(store.kind()), errc::unavailable);
}

} // namespace muze::remote
