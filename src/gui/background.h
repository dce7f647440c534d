#pragma once
// Slow work (disk, keychain, Argon2id) off the GUI thread, its result back on it.

#include <QFuture>
#include <QFutureWatcher>
#include <QObject>
#include <QPromise>
#include <QThreadPool>

#include <memory>
#include <type_traits>
#include <utility>

namespace muze::gui {

// Runs `work` on the global thread pool and hands its result to `done` on `context`'s thread,
// unless `context` is gone by then. The pool thread never touches `context`: it only fulfils a
// promise; a QFutureWatcher that `context` owns delivers the result, so deleting `context`
// (which deletes the watcher) drops the delivery without any race. The work itself still runs
// to its end; it must only use what it captured by value. A pool of one thread runs its tasks
// in the order given (e.g. saves of the same file).
template <typename Work, typename Done>
void runInBackground(QObject* context, Work work, Done done, QThreadPool* pool = QThreadPool::globalInstance())
{
    using R = std::invoke_result_t<Work&>;
    auto promise = std::make_shared<QPromise<R>>();
    auto* watcher = new QFutureWatcher<R>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, watcher, [watcher, done = std::move(done)]() mutable {
        watcher->deleteLater();
        if constexpr (std::is_void_v<R>)
            done();
        else if (watcher->future().resultCount() > 0)
            done(watcher->future().takeResult());
    });
    watcher->setFuture(promise->future());
    promise->start();
    pool->start([promise, work = std::move(work)]() mutable {
        if constexpr (std::is_void_v<R>)
            work();
        else
            promise->addResult(work());
        promise->finish();
    });
}

} // namespace muze::gui
