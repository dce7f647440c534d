// Dropbox answers a longpoll up to 90 s after its timeout (random jitter): the remote waits
// that long for the answer instead of abandoning the request at the timeout.
#include "catch.h"
#include "emulator.h"

#include <QBuffer>

using namespace muze;
using namespace muze::remote;
using muze::test::Emulator;

TEST_CASE("a longpoll answer that comes well after its timeout is still heard")
{
    Emulator emu;
    emu.signIn();
    auto remote = emu.remote(QStringLiteral("/Apps/Muze/Jitter"));
    auto listed = remote->listChanges(QString());
    REQUIRE(listed.ok());

    // Another client writes; Dropbox then holds the longpoll's answer for a few seconds more
    // than the 1 s asked for (as its jitter may, by up to 90 s).
    auto other = emu.remote(QStringLiteral("/Apps/Muze/Jitter"));
    QBuffer data;
    data.setData("{}\n");
    data.open(QIODevice::ReadOnly);
    REQUIRE(other->upload(QStringLiteral("news.json"), data, 3, WriteSpec{}).ok());
    emu.addFault(Json{{"kind", "delay"}, {"route", "list_folder/longpoll"}, {"delay_ms", 5000}});

    auto woke = remote->waitForChanges(listed->cursor, 1);
    INFO((woke ? std::string() : woke.errorString().toStdString()));
    REQUIRE(woke.ok());
    CHECK(*woke); // the change was reported, not given up on as "no news"
}
