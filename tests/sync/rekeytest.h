#pragma once
// Shared by the key-rotation tests (test_rekey.cpp, test_rekey_crash.cpp): the fixed paths of the
// little vault they sync, and what they read off a ring file and off remote blob headers.
#include "catch.h"
#include "devices.h"

#include <muze/crypto/keyring.h>
#include <muze/sync/syncengine.h>

#include <QDir>
#include <QDirIterator>
#include <QMap>
#include <QtEndian>

namespace muze::test::rekey {

inline const QString kMix = QStringLiteral("collections/c1/projects/p1/mixes/m1.json");
inline const QString kTake = QStringLiteral("collections/c1/projects/p1/audio/t1.wav");
inline const QString kTake2 = QStringLiteral("collections/c1/projects/p1/audio/t2.wav");
inline const QString kRing = QStringLiteral(".muze/keyring.json");
inline const QByteArray kPassword = kTestPassword;

inline QByteArray wav(int tenths, double freq = 440)
{
    return makeWav(8000, 1, 16, 800 * tenths, freq);
}

inline quint32 activeKeyOf(const QString& keyRingFile)
{
    Result<crypto::KeyRing> ring = crypto::KeyRing::load(keyRingFile);
    REQUIRE(ring.ok());
    return ring->activeKeyId();
}

// What `keys rotate` does to the ring file (crypto's rotateVaultKey, minus the keychain).
inline quint32 rotate(const QString& keyRingFile)
{
    Result<crypto::KeyRing> ring = crypto::KeyRing::load(keyRingFile);
    REQUIRE(ring.ok());
    REQUIRE(ring->unlock(kPassword).ok());
    Result<quint32> id = ring->rotate();
    REQUIRE(id.ok());
    REQUIRE(ring->save(keyRingFile).ok());
    return *id;
}

// The key id every encrypted file on the remote is stored under, read from the blob headers
// (docs/FORMAT.md §3.1: "MUZE-ENC", key id LE32 at offset 12).
inline QMap<QString, quint32> remoteKeyIds(const QString& remoteDir)
{
    QMap<QString, quint32> ids;
    QDirIterator it(remoteDir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        const QString rel = QDir(remoteDir).relativeFilePath(file);
        if (rel == kRing || rel.startsWith(QLatin1String(".muze-remote")) || rel.startsWith(QLatin1String(".muze-tmp"))
            || rel.startsWith(QLatin1String(".muze-versions/")))
            continue; // the key ring is plain; the folder remote's own marker, temp files and versions
        INFO(rel.toStdString());
        const QByteArray head = readAll(file).left(16);
        REQUIRE(head.startsWith("MUZE-ENC"));
        ids.insert(rel, qFromLittleEndian<quint32>(head.constData() + 12));
    }
    return ids;
}

inline sync::SyncOptions rekeyAll()
{
    sync::SyncOptions o;
    o.rekeyBudget = -1;
    return o;
}

} // namespace muze::test::rekey
