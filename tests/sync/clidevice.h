#pragma once
// A "device" driven through the real muze-cli binary: its own config dir and vault folder.

#include "testsupport.h"

#include <QString>
#include <QStringList>

namespace muze::test {

struct CliDevice {
    QString name;
    QString config;
    QString vault;

    ProcessResult cli(const QStringList& args, const QStringList& env = {QStringLiteral("MUZE_SYNC_SETTLE_MS=0")},
                      int timeoutMs = 60000) const
    {
        QStringList all{QStringLiteral("--config-dir"), config};
        all += args;
        return run(builtBinary(QStringLiteral("muze-cli")), all, {}, timeoutMs, env);
    }
    QString file(const QString& rel) const { return vault + QLatin1Char('/') + rel; }
};

/// Creates the device's vault with `vault create Band --provider local --path ... --remote ...`.
inline CliDevice makeCliDevice(const TempDir& dir, const QString& name, const QString& remote)
{
    CliDevice d{name, dir.filePath(name + QStringLiteral("-config")), dir.filePath(name + QStringLiteral("-vault"))};
    const ProcessResult r = d.cli({QStringLiteral("vault"), QStringLiteral("create"), QStringLiteral("Band"),
                                   QStringLiteral("--provider"), QStringLiteral("local"), QStringLiteral("--path"), d.vault,
                                   QStringLiteral("--remote"), remote});
    if (r.exitCode != 0)
        throw std::runtime_error("vault create failed: " + r.err.toStdString());
    // A device name, so conflicted copies say whose take they hold.
    writeAll(d.config + QStringLiteral("/device.json"),
             QStringLiteral("{\"id\":\"%1\",\"name\":\"%2\"}").arg(name.toLower() + QStringLiteral("0000dev"), name).toUtf8());
    return d;
}

} // namespace muze::test
