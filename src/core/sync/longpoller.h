#pragma once
// LongPoller: waits for remote news (Dropbox longpoll) on its own thread with its own remote,
// and pokes the worker with syncNow. Private to SyncWorker.

#include <muze/remote/remotestore.h>
#include <muze/vault/vaultrecord.h>

#include <QMutex>
#include <QThread>

#include <atomic>
#include <memory>

namespace muze::sync {

class SyncWorker;

class LongPoller : public QThread {
public:
    LongPoller(vault::VaultRecord vault, SyncWorker* worker)
        : m_vault(std::move(vault))
        , m_worker(worker)
    {
    }
    ~LongPoller() override { stopAndWait(); }

    void setCursor(const QString& cursor);
    void stopAndWait();

protected:
    void run() override;

private:
    void napInterruptibly(int seconds);

    vault::VaultRecord m_vault;
    SyncWorker* m_worker;
    std::atomic<bool> m_stop{false};
    QMutex m_mutex;
    QString m_cursor;
    std::unique_ptr<remote::RemoteStore> m_remote;
};

} // namespace muze::sync
