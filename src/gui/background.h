#pragma once
// Slow work (disk, keychain, Argon2id) off the GUI thread, its result back on it.

#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <QThreadPool>

namespace muze::gui {

// Runs `work` on the thread pool and hands its result to `done` on the owner's thread,
// unless the owner is gone by then.
template <typename Work, typename Done> void inBackground(QObject* owner, Work work, Done done)
{
    QPointer<QObject> guard(owner);
    QThreadPool::globalInstance()->start([guard, work = std::move(work), done = std::move(done)]() mutable {
        auto result = work();
        if (!guard)
            return;
        QMetaObject::invokeMethod(
            guard.data(),
            [guard, done = std::move(done), result = std::move(result)]() mutable {
                if (guard)
                    done(std::move(result));
            },
            Qt::QueuedConnection);
    });
}

} // namespace muze::gui
