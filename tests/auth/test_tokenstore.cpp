#include "catch.h"

#include <muze/auth/tokenstore.h>
#include <muze/util/ids.h>

#include <QEventLoop>
#include <QThread>
#include <QTimer>

#include <algorithm>

using namespace muze;
using namespace muze::auth;

// These talk to the real Secret Service: run them inside tools/test-env.sh (CI does).
namespace {
void requireKeychainEnvironment()
{
    INFO("no D-Bus session: run the tests inside tools/test-env.sh");
    REQUIRE(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"));
}
} // namespace

TEST_CASE("tokens round-trip through the OS keychain and are forgotten")
{
    requireKeychainEnvironment();
    KeychainTokenStore store(QStringLiteral("test-") + newId());
    auto empty = store.load();
    REQUIRE(empty.ok());
    CHECK(!empty->has_value());

    Tokens t;
    t.accessToken = QStringLiteral("sl.secret-access");
    t.refreshToken = QStringLiteral("secret-refresh");
    t.expiresAt = QDateTime(QDate(2030, 1, 1), QTime(0, 0), Qt::UTC);
    t.accountId = QStringLiteral("dbid:abc");
    REQUIRE(store.save(t).ok());

    auto loaded = store.load();
    REQUIRE(loaded.ok());
    REQUIRE(loaded->has_value());
    CHECK((*loaded)->accessToken == t.accessToken);
    CHECK((*loaded)->refreshToken == t.refreshToken);
    CHECK((*loaded)->expiresAt == t.expiresAt);

    REQUIRE(store.remove().ok());
    auto gone = store.load();
    REQUIRE(gone.ok());
    CHECK(!gone->has_value());
    CHECK(store.remove().ok()); // removing twice is fine
}

TEST_CASE("the keychain can be used from several threads at once while the main thread runs its loop")
{
    requireKeychainEnvironment();
    const QString service = QStringLiteral("Muze test ") + newId();
    std::atomic<int> ok{0};
    QList<QThread*> threads;
    for (int i = 0; i < 4; ++i) {
        threads << QThread::create([&ok, service, i] {
            const QString key = QStringLiteral("k%1").arg(i);
            const QByteArray secret = QByteArray("secret-") + QByteArray::number(i);
            if (!keychainWrite(service, key, secret))
                return;
            auto r = keychainRead(service, key);
            if (r && r->has_value() && **r == secret && keychainRemove(service, key))
                ++ok;
        });
        threads.back()->start();
    }
    // The jobs run on this (the main) thread, which keeps its event loop going meanwhile.
    QEventLoop loop;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (std::all_of(threads.begin(), threads.end(), [](QThread* t) { return t->isFinished(); }))
            loop.quit();
    });
    poll.start(10);
    loop.exec();
    for (QThread* t : threads) {
        t->wait();
        delete t;
    }
    CHECK(ok.load() == 4);
}
