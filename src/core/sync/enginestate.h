#pragma once
// Private to syncengine*.cpp: what a SyncEngine holds between runs.

#include "faultseam.h"

#include <muze/remote/fsops.h>
#include <muze/sync/codec.h>
#include <muze/sync/journal.h>
#include <muze/sync/syncengine.h>
#include <muze/sync/throttle.h>

#include <QThread>

#include <atomic>
#include <memory>

namespace muze::sync {

struct SyncEngine::Impl {
    std::unique_ptr<Journal> journal;
    Qt::HANDLE journalThread = nullptr;
    std::unique_ptr<ContentCodec> codec;
    remote::fs::FileStat ringAtCodec; // the key ring file when the codec was made (codecOutdated)
    RateLimiter limiter;
    FaultSeam seam;
    std::atomic<bool> cancelled{false};

    Status openJournal(const QString& root)
    {
        if (journal && journalThread == QThread::currentThreadId())
            return {};
        journal.reset();
        Result<std::unique_ptr<Journal>> j = Journal::open(root);
        if (!j)
            return j.error();
        journal = std::move(*j);
        journalThread = QThread::currentThreadId();
        return {};
    }
};

} // namespace muze::sync
