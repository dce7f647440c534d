#pragma once
// Local scan (DESIGN.md §3 rule 7): walks the vault folder, takes size + mtime + inode from
// lstat, reuses the journal's hash when all three match, and hashes only what moved — small
// files several at a time, big files block-parallel — on every core.
// Files changed in the last `settleMs` or held by a live recording marker (syncpaths.h) are
// reported with a skip reason and no hash (rule 4). Symlinks and special files are ignored.

#include <muze/sync/journal.h>
#include <muze/util/result.h>

#include <QHash>
#include <QString>
#include <QStringList>

#include <atomic>

namespace muze::sync {

struct LocalFile {
    QString path;     // NFC, vault-relative: the sync identity
    QString diskPath; // vault-relative as spelled on disk (NFD on some systems)
    qint64 size = 0;
    qint64 mtimeNs = 0;
    quint64 inode = 0;
    QString hash;           // plaintext content hash (empty when skipped)
    bool statMatchesJournal = false;
    QString skip;           // "" | "recording" | "settling" | "unreadable"
};

struct ScanOptions {
    qint64 settleMs = 2000;
    const std::atomic<bool>* cancel = nullptr;
};

struct ScanResult {
    QHash<QString, LocalFile> files; // by NFC path
    QStringList problems;            // names that cannot sync, unreadable files
    int hashedFiles = 0;
    qint64 hashedBytes = 0;
};

Result<ScanResult> scanLocal(const QString& vaultRoot, const QHash<QString, JournalRow>& journal,
                             const ScanOptions& options = {});

/// True while `<abs wav>.recording` exists and is not stale (syncpaths.h).
bool recordingInProgress(const QString& absWavPath);

} // namespace muze::sync
