// Platforms without iCloud Drive (everything but macOS and iOS): no ubiquity container.
// platform/apple/ubiquitycontainer.mm defines the same function on Apple platforms; CMake
// compiles exactly one of them.
#include <muze/remote/ubiquitycontainer.h>

namespace muze::remote {

Result<std::shared_ptr<UbiquityContainer>> platformUbiquityContainer(const QString& containerId)
{
    Q_UNUSED(containerId);
    return makeError(QStringLiteral("iCloud is unavailable on this platform"), errc::unavailable);
}

} // namespace muze::remote
