#pragma once
// The one door to the OS keychain (qtkeychain). qtkeychain queues jobs in a process-wide
// executor that is not thread-safe, so every job of the process is created, run and finished
// on one dedicated "muze-keychain" thread; callers on any thread (GUI, CLI, sync worker,
// thread pool) block until their job is done. No caller depends on the main thread being
// free, so shutting down a worker that waits for the keychain cannot deadlock.
//
// Needs a QCoreApplication. The thread stops when the application is destroyed.

#include <QByteArray>
#include <QString>

namespace muze::keychain {

enum class Op { Read, Write, Remove };

struct Outcome {
    bool done = false;   // false: the keychain did not answer within the timeout
    int error = 0;       // QKeychain::Error (0 = NoError)
    QString errorString;
    QByteArray data;     // for Read
};

/// Runs one keychain job (insecure plaintext fallback always off) and waits for it.
Outcome run(Op op, const QString& service, const QString& key, const QByteArray& secret = {}, int timeoutMs = 60000);

} // namespace muze::keychain
