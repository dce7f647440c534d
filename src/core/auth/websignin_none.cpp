// Platforms without an OAuth sign-in sheet: the caller opens the system browser instead.
// platform/apple/websignin.mm defines platformWebSignIn() on Apple platforms; CMake compiles one.
#include <muze/auth/websignin.h>

namespace muze::auth {

namespace {
class NoWebSignIn final : public WebSignIn {
public:
    bool available() const override { return false; }
    bool start(const QUrl&, const QString&, Done) override { return false; }
    void cancel() override {}
};
} // namespace

WebSignIn& platformWebSignIn()
{
    static NoWebSignIn none;
    return none;
}

} // namespace muze::auth
