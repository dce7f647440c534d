// libFuzzer entry for what the Dropbox client reads from the server (dropboxparse.h, tokens.h):
// the input is at once a list_folder page, a metadata object, an error body (for each status
// that has its own handling), a Dropbox-API-Result header, a Retry-After header, a
// Content-Range header and a token endpoint answer. Invariants: nothing throws; an accepted
// entry lies strictly inside the vault folder with a path isSafeRelativePath accepts; every
// error carries one of the documented codes; accepted tokens have an access token and round-trip.
#include <muze/auth/tokens.h>
#include <muze/remote/dropboxparse.h>
#include <muze/util/fileio.h>

#include <cstdint>
#include <cstdlib>
#include <iterator>

using namespace muze;
using namespace muze::remote;

namespace {

const QStringList kCodes = {QStringLiteral("io"),           QStringLiteral("auth"),     QStringLiteral("not_found"),
                            QStringLiteral("conflict"),     QStringLiteral("offline"),  QStringLiteral("rate_limited"),
                            QStringLiteral("insufficient_space"), QStringLiteral("corrupt"), QStringLiteral("reset"),
                            QStringLiteral("incorrect_offset"), QStringLiteral("hostile_path")};

void checkEntry(const RemoteEntry& e)
{
    if (e.path.isEmpty())
        return; // the folder itself
    if (!isSafeRelativePath(e.path) || e.path.contains(QLatin1Char('\\')) || e.path.contains(QChar(0)))
        std::abort();
}

void checkError(const Error& e)
{
    if (!kCodes.contains(e.code) || e.message.isEmpty())
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char*>(data), qsizetype(size));
    static const DropboxPathMapper vault(QStringLiteral("/Apps/Muze/Band"));
    static const DropboxPathMapper whole(QString{});

    // One status per input, picked by its length: each status has its own branch, but the body
    // is parsed the same way for all of them, and parsing it eight times was most of the cost
    // of an input. Every status still meets every kind of body across a run.
    static constexpr int kStatuses[] = {400, 401, 403, 409, 429, 500, 503, 418};
    const int status = kStatuses[size % std::size(kStatuses)];
    {
        DropboxApiError said;
        checkError(dropboxErrorFromResponse(QStringLiteral("files/list_folder"), status, bytes, 3, &said));
        if (said.status != status)
            std::abort();
        (void)dropboxCorrectOffset(said.error);
    }
    (void)dropboxRetryAfter(bytes, nullptr);
    (void)dropboxContentRangeStart(bytes);
    if (auto md = parseDropboxApiResult(bytes, QStringLiteral("files/download")); !md)
        checkError(md.error());
    else if (!md->is_object())
        std::abort();

    auto json = parseJson(bytes, QStringLiteral("answer"));
    if (!json)
        return 0;
    (void)dropboxRetryAfter(QByteArray(), &*json);
    (void)dropboxCorrectOffset(*json);
    for (const DropboxPathMapper* paths : {&vault, &whole}) {
        if (auto e = dropboxEntryFromMetadata(*json, *paths))
            checkEntry(*e);
        else
            checkError(e.error());
        ChangeSet page;
        QStringList rejected;
        if (Status s = dropboxAddPage(*json, *paths, page, rejected); !s)
            checkError(s.error());
        for (const RemoteEntry& e : page.entries) {
            if (e.path.isEmpty())
                std::abort();
            checkEntry(e);
        }
    }

    const QDateTime now = QDateTime::fromSecsSinceEpoch(1800000000, Qt::UTC);
    auth::Tokens previous;
    previous.accessToken = QStringLiteral("old");
    previous.refreshToken = QStringLiteral("refresh");
    for (const auth::Tokens& prev : {auth::Tokens{}, previous}) {
        if (auto t = auth::Tokens::fromTokenResponse(*json, now, prev)) {
            if (!t->valid())
                std::abort();
            auto again = auth::Tokens::fromJson(t->toJson());
            if (!again || again->accessToken != t->accessToken || again->refreshToken != t->refreshToken)
                std::abort();
        }
    }
    if (auto stored = auth::Tokens::fromJson(*json))
        (void)dumpJson(stored->toJson());
    return 0;
}
