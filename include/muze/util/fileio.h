#pragma once
// Atomic, size-limited file I/O. Every write in Muze goes through writeFileAtomic so a
// crash never leaves a torn file at a final path.

#include <muze/util/result.h>

#include <QByteArray>
#include <QString>

namespace muze {

/// Writes `data` to a temp file beside `path`, fsyncs it and renames it over `path`.
/// Creates missing parent directories.
Status writeFileAtomic(const QString& path, const QByteArray& data);

/// Reads a whole file, refusing files larger than `maxBytes` (a clear error, not an OOM).
Result<QByteArray> readFileLimited(const QString& path, qint64 maxBytes);

/// True when `relative` is a clean relative path inside a root: no "..", no absolute
/// path, no NUL, no backslash, no empty segment, each segment at most 255 bytes.
bool isSafeRelativePath(const QString& relative);

} // namespace muze
