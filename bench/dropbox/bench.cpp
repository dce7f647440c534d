// muze-dropbox-bench --file F [--folder /bench] [--threshold BYTES] [--chunk BYTES] [--name N]
// Uploads F through DropboxRemote (overwrite), downloads it back (verified content_hash) into
// a discarding sink, and prints one JSON line with the throughput of each.
// muze-dropbox-bench --small N [--folder /bench]
// Uploads N small JSON files (an initial upload of a vault's metadata) one request each, then
// N others through upload_session/start_batch + append_v2 + finish_batch_v2, and prints one
// JSON line with the time and requests of each.
// Server and token from the environment: MUZE_DROPBOX_*_URL, MUZE_CA_CERTS and
// MUZE_BENCH_ACCESS_TOKEN (the bench never touches the keychain).
#include <muze/auth/tokenmanager.h>
#include <muze/remote/dropboxremote.h>

#include <QBuffer>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>

#include <cstdio>

using namespace muze;

namespace {

class Discard : public QIODevice {
public:
    Discard() { open(QIODevice::WriteOnly); }
    qint64 readData(char*, qint64) override { return -1; }
    qint64 writeData(const char*, qint64 len) override { return len; }
};

class FixedToken : public auth::TokenStore {
public:
    explicit FixedToken(QString token) : m_token(std::move(token)) {}
    Result<std::optional<auth::Tokens>> load() override
    {
        auth::Tokens t;
        t.accessToken = m_token;
        return std::optional<auth::Tokens>(t);
    }
    Status save(const auth::Tokens&) override { return {}; }
    Status remove() override { return {}; }

private:
    QString m_token;
};

QString option(const QStringList& args, const QString& name, const QString& fallback = {})
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.at(i + 1) : fallback;
}

QByteArray smallJson(int i)
{
    return QStringLiteral("{\n  \"format\": 1,\n  \"id\": \"n%1\",\n  \"name\": \"Take %1\",\n  \"gain_db\": -%2.5,\n"
                          "  \"notes\": \"a small file of a vault's metadata, as mixes and projects are\"\n}\n")
        .arg(i, 5, 10, QLatin1Char('0'))
        .arg(i % 24)
        .toUtf8();
}

int smallFiles(remote::DropboxRemote& remote, int n)
{
    remote::WriteSpec spec;
    spec.mode = remote::WriteMode::Overwrite;
    QElapsedTimer t;
    t.start();
    int requests = remote.client().stats().requests;
    for (int i = 0; i < n; ++i) {
        QByteArray data = smallJson(i);
        QBuffer buffer(&data);
        buffer.open(QIODevice::ReadOnly);
        auto up = remote.upload(QStringLiteral("single/n%1.json").arg(i), buffer, data.size(), spec);
        if (!up) {
            std::fprintf(stderr, "upload failed: %s\n", qPrintable(up.errorString()));
            return 1;
        }
    }
    const double single = double(t.nsecsElapsed()) / 1e9;
    const int singleRequests = remote.client().stats().requests - requests;

    std::vector<remote::BatchItem> items;
    for (int i = 0; i < n; ++i)
        items.push_back(remote::BatchItem{QStringLiteral("batch/n%1.json").arg(i), smallJson(i), spec});
    requests = remote.client().stats().requests;
    t.restart();
    const auto results = remote.uploadBatch(items);
    const double batched = double(t.nsecsElapsed()) / 1e9;
    for (const auto& r : results) {
        if (!r) {
            std::fprintf(stderr, "batch upload failed: %s\n", qPrintable(r.errorString()));
            return 1;
        }
    }
    std::printf("{\"files\": %d, \"single_s\": %.3f, \"single_requests\": %d, \"batch_s\": %.3f, "
                "\"batch_requests\": %d}\n",
                n, single, singleRequests, batched, remote.client().stats().requests - requests);
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QString path = option(args, QStringLiteral("--file"));
    const int small = option(args, QStringLiteral("--small"), QStringLiteral("0")).toInt();
    const QString token = qEnvironmentVariable("MUZE_BENCH_ACCESS_TOKEN");
    if ((path.isEmpty() && small <= 0) || token.isEmpty()) {
        std::fprintf(stderr, "usage: MUZE_BENCH_ACCESS_TOKEN=T muze-dropbox-bench --file F [--folder /bench] "
                             "[--threshold BYTES] [--chunk BYTES] [--name N]\n"
                             "       MUZE_BENCH_ACCESS_TOKEN=T muze-dropbox-bench --small N [--folder /bench]\n");
        return 2;
    }
    remote::DropboxRemoteOptions o = remote::DropboxRemoteOptions::fromEnvironment(
        option(args, QStringLiteral("--folder"), QStringLiteral("/bench")));
    o.sessionThreshold = option(args, QStringLiteral("--threshold"), QString::number(o.sessionThreshold)).toLongLong();
    o.chunkSize = option(args, QStringLiteral("--chunk"), QString::number(o.chunkSize)).toLongLong();
    auto tokens = std::make_shared<auth::TokenManager>(std::make_shared<FixedToken>(token),
                                                       [](const auth::Tokens&) -> Result<auth::Tokens> {
                                                           return makeError(QStringLiteral("no refresh in the bench"));
                                                       });
    remote::DropboxRemote remote(auth::DropboxEndpoints::fromEnvironment(), tokens, o);
    if (small > 0)
        return smallFiles(remote, small);

    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "cannot open %s\n", qPrintable(path));
        return 1;
    }
    const qint64 size = file.size();
    const QString name = option(args, QStringLiteral("--name"), QStringLiteral("muze.bin"));
    remote::WriteSpec spec;
    spec.mode = remote::WriteMode::Overwrite;

    QElapsedTimer t;
    t.start();
    auto up = remote.upload(name, file, size, spec);
    const double upSeconds = double(t.nsecsElapsed()) / 1e9;
    if (!up) {
        std::fprintf(stderr, "upload failed: %s\n", qPrintable(up.errorString()));
        return 1;
    }
    Discard sink;
    t.restart();
    Status down = remote.download(name, sink);
    const double downSeconds = double(t.nsecsElapsed()) / 1e9;
    if (!down) {
        std::fprintf(stderr, "download failed: %s\n", qPrintable(down.errorString()));
        return 1;
    }
    const double mib = double(size) / (1024.0 * 1024.0);
    std::printf("{\"bytes\": %lld, \"threshold\": %lld, \"chunk\": %lld, \"requests\": %d, "
                "\"upload_s\": %.3f, \"upload_mib_s\": %.1f, \"download_s\": %.3f, \"download_mib_s\": %.1f}\n",
                static_cast<long long>(size), static_cast<long long>(o.sessionThreshold),
                static_cast<long long>(o.chunkSize), remote.client().stats().requests, upSeconds, mib / upSeconds,
                downSeconds, mib / downSeconds);
    return 0;
}
