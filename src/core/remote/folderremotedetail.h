#pragma once
// Private to folderremote*.cpp: the folder remote's reserved names and small helpers.

#include "folderversions.h"

#include <muze/remote/folderremote.h>
#include <muze/remote/fsops.h>
#include <muze/util/result.h>

#include <QString>

namespace muze::remote::folder_detail {

inline const QString kMarker = QStringLiteral(".muze-remote");
inline const QString kTempDir = QStringLiteral(".muze-tmp");
inline const QString kCursorPrefix = QStringLiteral("folder1:");
inline constexpr qint64 kChunk = 1024 * 1024;

inline bool isInternal(const QString& rel)
{
    return rel == kMarker || rel == kTempDir || rel.startsWith(kTempDir + QLatin1Char('/'))
           || rel == versions::kVersionsDir || rel.startsWith(versions::kVersionsDir + QLatin1Char('/'));
}

inline QString revOf(const FolderRemote::Known& k)
{
    return QStringLiteral("%1-%2-%3").arg(k.inode, 0, 16).arg(quint64(k.mtimeNs), 0, 16).arg(quint64(k.size), 0, 16);
}

inline bool sameStat(const FolderRemote::Known& a, const fs::FileStat& st)
{
    return a.size == st.size && a.mtimeNs == st.mtimeNs && a.inode == st.inode && !a.hash.isEmpty();
}

inline Error offline(const QString& why)
{
    return makeError(why, errc::offline);
}
inline Error cancelled()
{
    return makeError(QStringLiteral("Cancelled"), errc::cancelled);
}

} // namespace muze::remote::folder_detail
