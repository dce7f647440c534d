#include "devicehook.h"

#include <muze/util/clock.h>
#include <muze/vault/devicelist.h>

#include <QFile>

namespace muze::sync {

void recordThisDevice(const SyncEngineConfig& config, const QString& deviceId, SyncReport& report)
{
    if (deviceId.isEmpty())
        return;
    bool written = false;
    const Status s = vault::recordDeviceSeen(config.vaultRoot, {deviceId, config.deviceName}, &written);
    if (!s) {
        report.notes << QStringLiteral("%1: %2").arg(vault::deviceFilePath(deviceId), s.errorString());
        return;
    }
    if (!written)
        return;
    // The file was written whole (temp + rename), so it need not wait out the settle window
    // (DESIGN.md §3 rule 4) that guards files other programs may still be writing: date it
    // just before the window, and it syncs in this run.
    QFile f(config.vaultRoot + QLatin1Char('/') + vault::deviceFilePath(deviceId));
    if (f.open(QIODevice::ReadWrite))
        f.setFileTime(clock().now().addMSecs(-(config.settleMs + 1000)), QFileDevice::FileModificationTime);
}

} // namespace muze::sync
