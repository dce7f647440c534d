#include <muze/sync/scanner.h>

#include <muze/model/layout.h>
#include <muze/remote/contenthash.h>
#include <muze/remote/fsops.h>
#include <muze/sync/syncpaths.h>
#include <muze/util/clock.h>
#include <muze/util/fileio.h>
#include <muze/util/json.h>
#include <muze/util/logging.h>

#include <QDir>
#include <QFile>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <thread>
#include <vector>

namespace muze::sync {

namespace fs = remote::fs;

namespace {

constexpr qint64 kSmallFile = 4 * 1024 * 1024;

struct Walker {
    QString root;
    ScanResult& out;
    const std::atomic<bool>* cancel;

    bool walk(const QString& relDir)
    {
        const QString absDir = relDir.isEmpty() ? root : root + QLatin1Char('/') + relDir;
        const QStringList names = fs::listDirectory(absDir);
        for (const QString& name : names) {
            if (cancel && cancel->load())
                return false;
            const QString rel = relDir.isEmpty() ? name : relDir + QLatin1Char('/') + name;
            if (isIgnoredPath(rel))
                continue;
            const fs::FileStat st = fs::lstatPath(root + QLatin1Char('/') + rel);
            if (st.isDir) {
                if (!walk(rel))
                    return false;
                continue;
            }
            if (!st.isFile)
                continue; // symlinks, sockets, devices: never synced, never followed
            const QString nfcPath = fs::nfc(rel);
            if (!isSafeRelativePath(nfcPath)) {
                out.problems << QStringLiteral("%1: this name cannot be synced").arg(rel);
                continue;
            }
            if (out.files.contains(nfcPath)) {
                out.problems << QStringLiteral("%1: another file has the same name in another Unicode form").arg(rel);
                continue;
            }
            LocalFile f;
            f.path = nfcPath;
            f.diskPath = rel;
            f.size = st.size;
            f.mtimeNs = st.mtimeNs;
            f.inode = st.inode;
            out.files.insert(nfcPath, f);
        }
        return true;
    }
};

} // namespace

bool recordingInProgress(const QString& absWavPath)
{
    const QString marker = recordingMarkerFor(absWavPath);
    if (!fs::lstatPath(marker).exists)
        return false;
    Result<QByteArray> bytes = readFileLimited(marker, 4096);
    if (!bytes || bytes->trimmed().isEmpty())
        return true;
    Result<Json> doc = parseJson(*bytes, marker);
    if (!doc || !doc->is_object() || !doc->contains("pid") || !(*doc)["pid"].is_number_integer())
        return true;
    const long long pid = (*doc)["pid"].get<long long>();
    if (pid <= 0 || pid > 0x7fffffff)
        return true;
    if (::kill(pid_t(pid), 0) == 0 || errno == EPERM)
        return true;
    qCInfo(lcSync) << "ignoring a stale recording marker (recorder" << pid << "is gone):" << marker;
    return false;
}

Result<ScanResult> scanLocal(const QString& vaultRoot, const QHash<QString, JournalRow>& journal, const ScanOptions& options)
{
    ScanResult out;
    const QString root = QDir::cleanPath(vaultRoot);
    if (!fs::lstatPath(root).isDir)
        return makeError(QStringLiteral("The vault folder %1 is missing").arg(root), errc::io);
    Walker walker{root, out, options.cancel};
    if (!walker.walk({}))
        return makeError(QStringLiteral("Scan cancelled"), errc::cancelled);

    const qint64 nowNs = fs::toNs(clock().now());
    std::vector<LocalFile*> toHash;
    for (LocalFile& f : out.files) {
        if (isAudioPath(f.path) && recordingInProgress(root + QLatin1Char('/') + f.diskPath)) {
            f.skip = QStringLiteral("recording");
            continue;
        }
        const auto j = journal.constFind(f.path);
        if (j != journal.cend() && j->localPresent && j->localSize == f.size && j->localMtimeNs == f.mtimeNs
            && j->localInode == f.inode && !j->localHash.isEmpty()) {
            f.hash = j->localHash;
            f.statMatchesJournal = true;
            continue;
        }
        if (options.settleMs > 0 && nowNs - f.mtimeNs < options.settleMs * 1000000LL) {
            f.skip = QStringLiteral("settling");
            continue;
        }
        toHash.push_back(&f);
    }

    // Small files several at a time; big ones one by one, each on every core.
    std::vector<LocalFile*> small, big;
    for (LocalFile* f : toHash)
        (f->size < kSmallFile ? small : big).push_back(f);
    std::atomic<size_t> next{0};
    auto hashOne = [&](LocalFile* f, int threads) {
        const QString abs = root + QLatin1Char('/') + f->diskPath;
        Result<QString> h = remote::contentHashFile(abs, threads, options.cancel);
        const fs::FileStat after = fs::lstatPath(abs);
        if (!h) {
            f->skip = after.exists ? QStringLiteral("unreadable") : QStringLiteral("settling");
            return;
        }
        if (after.size != f->size || after.mtimeNs != f->mtimeNs || after.inode != f->inode) {
            f->skip = QStringLiteral("settling"); // written while we read it
            return;
        }
        f->hash = *h;
    };
    const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    auto smallWorker = [&] {
        for (size_t i = next.fetch_add(1); i < small.size(); i = next.fetch_add(1))
            hashOne(small[i], 1);
    };
    std::vector<std::thread> pool;
    const int helpers = int(std::min<size_t>(size_t(cores), small.size())) - 1;
    for (int i = 0; i < helpers; ++i)
        pool.emplace_back(smallWorker);
    smallWorker();
    for (std::thread& t : pool)
        t.join();
    for (LocalFile* f : big)
        hashOne(f, 0);
    if (options.cancel && options.cancel->load())
        return makeError(QStringLiteral("Scan cancelled"), errc::cancelled);

    for (LocalFile* f : toHash) {
        if (!f->hash.isEmpty()) {
            ++out.hashedFiles;
            out.hashedBytes += f->size;
        } else if (f->skip == QLatin1String("unreadable")) {
            out.problems << QStringLiteral("%1: cannot be read").arg(f->diskPath);
        }
    }
    return out;
}

} // namespace muze::sync
