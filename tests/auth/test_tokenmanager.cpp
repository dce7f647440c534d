#include "catch.h"

#include <muze/auth/tokenmanager.h>
#include <muze/util/clock.h>

using namespace muze;
using namespace muze::auth;

namespace {

class FixedClock : public Clock {
public:
    QDateTime t = QDateTime(QDate(2026, 11, 24), QTime(12, 0), Qt::UTC);
    QDateTime now() const override { return t; }
};

class MemoryStore : public TokenStore {
public:
    std::optional<Tokens> stored;
    int saves = 0;
    Result<std::optional<Tokens>> load() override { return stored; }
    Status save(const Tokens& t) override
    {
        stored = t;
        ++saves;
        return {};
    }
    Status remove() override
    {
        stored.reset();
        return {};
    }
};

struct Fixture {
    FixedClock clk;
    std::shared_ptr<MemoryStore> store = std::make_shared<MemoryStore>();
    int refreshes = 0;
    bool refuse = false;

    Fixture() { setClock(&clk); }
    ~Fixture() { setClock(nullptr); }

    TokenManager manager()
    {
        return TokenManager(store, [this](const Tokens& current) -> Result<Tokens> {
            ++refreshes;
            if (refuse)
                return makeError(QStringLiteral("refused"), QStringLiteral("auth"));
            Json answer = {{"access_token", "access-" + std::to_string(refreshes)}, {"token_type", "bearer"},
                           {"expires_in", 14400}};
            return Tokens::fromTokenResponse(answer, clk.now(), current);
        });
    }

    void signIn(int expiresInSeconds)
    {
        Tokens t;
        t.accessToken = QStringLiteral("access-0");
        t.refreshToken = QStringLiteral("refresh");
        t.expiresAt = clk.now().addSecs(expiresInSeconds);
        t.appKey = QStringLiteral("app");
        store->stored = t;
    }
};

} // namespace

TEST_CASE("a fresh access token is used as is")
{
    Fixture f;
    f.signIn(4 * 3600);
    TokenManager m = f.manager();
    CHECK(*m.accessToken() == QStringLiteral("access-0"));
    f.clk.t = f.clk.t.addSecs(3 * 3600); // still more than the 5-minute margin left
    CHECK(*m.accessToken() == QStringLiteral("access-0"));
    CHECK(f.refreshes == 0);
}

TEST_CASE("a token about to expire is refreshed first, and the refresh is saved")
{
    Fixture f;
    f.signIn(4 * 3600);
    TokenManager m = f.manager();
    f.clk.t = f.clk.t.addSecs(4 * 3600 - 200); // inside the margin
    CHECK(*m.accessToken() == QStringLiteral("access-1"));
    CHECK(f.refreshes == 1);
    CHECK(f.store->saves == 1);
    CHECK(f.store->stored->refreshToken == QStringLiteral("refresh")); // kept: the answer had none
    CHECK(f.store->stored->expiresAt == f.clk.t.addSecs(14400));
    CHECK(*m.accessToken() == QStringLiteral("access-1")); // no second refresh
    CHECK(f.refreshes == 1);
}

TEST_CASE("refreshNow replaces a token the server called expired")
{
    Fixture f;
    f.signIn(4 * 3600);
    TokenManager m = f.manager();
    CHECK(*m.accessToken() == QStringLiteral("access-0"));
    CHECK(*m.refreshNow() == QStringLiteral("access-1"));
    CHECK(*m.accessToken() == QStringLiteral("access-1"));
}

TEST_CASE("signed out or refused means sign in again")
{
    Fixture f;
    TokenManager m = f.manager();
    auto none = m.accessToken();
    REQUIRE(!none.ok());
    CHECK(none.error().code == QStringLiteral("auth"));

    f.signIn(10);
    m.reload();
    f.refuse = true;
    auto refused = m.accessToken();
    REQUIRE(!refused.ok());
    CHECK(refused.error().code == QStringLiteral("auth"));

    f.store->stored->refreshToken.clear();
    m.reload();
    auto noRefresh = m.refreshNow();
    REQUIRE(!noRefresh.ok());
    CHECK(noRefresh.error().code == QStringLiteral("auth"));
}

TEST_CASE("token responses parse and keep what a refresh leaves out")
{
    const QDateTime now = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);
    Json first = {{"access_token", "a"}, {"token_type", "bearer"}, {"expires_in", 14400}, {"refresh_token", "r"},
                  {"account_id", "dbid:x"}, {"uid", "12"}};
    auto t = Tokens::fromTokenResponse(first, now);
    REQUIRE(t.ok());
    CHECK(t->refreshToken == QStringLiteral("r"));
    CHECK(t->accountId == QStringLiteral("dbid:x"));
    CHECK(t->expiresAt == now.addSecs(14400));
    auto round = Tokens::fromJson(t->toJson());
    REQUIRE(round.ok());
    CHECK(round->expiresAt == t->expiresAt);
    CHECK(round->refreshToken == QStringLiteral("r"));

    CHECK(!Tokens::fromTokenResponse(Json{{"token_type", "bearer"}}, now).ok());
    CHECK(!Tokens::fromTokenResponse(Json{{"access_token", "a"}, {"token_type", "mac"}}, now).ok());
}
