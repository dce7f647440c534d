#pragma once
// Devices (config dirs) driving the real muze-cli against the Dropbox emulator, and the
// official Python SDK (python3-dropbox) as another writer: shared by the Dropbox sync tests.

#include "emulator.h"

#include <QMap>
#include <QStringList>

namespace muze::test::dropbox {

struct Device {
    QString name;
    QString config;
    QString vault;
    QStringList env;

    ProcessResult cli(const QStringList& args, int timeoutMs = 120000) const;
    QString file(const QString& rel) const { return vault + QLatin1Char('/') + rel; }
};

/// A device with a Dropbox vault "Band" in /Apps/Muze/Band; small upload sessions (64 KiB
/// threshold, 50,000-byte chunks) unless `env` overrides them.
Device makeDevice(const Emulator& emu, const TempDir& dir, const QString& name, const QStringList& extra = {},
                  const QStringList& env = {});

QString idOf(const ProcessResult& r);

/// `muze-cli sync`, required to succeed.
void sync(const Device& d);

struct Band {
    QString cid, pid, mid, mixFile;
    QByteArray take;
};

/// A collection, project and mix with one imported take (`take`, default a 192 kB WAV).
Band makeBand(const Device& a, const TempDir& dir, const QByteArray& take = {});

/// Every synced file of a vault (not the local-only state), relative path → bytes.
QMap<QString, QByteArray> syncedFiles(const Device& d);

/// Runs a Python script with the official SDK against the emulator; TOKEN holds `token`.
ProcessResult sdk(const Emulator& emu, const QString& token, const QString& script);

/// Every file in /Apps/Muze/Band as the SDK lists it: the path in the vault as Dropbox
/// spells it → [id, content_hash].
Json sdkFiles(const Emulator& emu, const QString& token);

} // namespace muze::test::dropbox
