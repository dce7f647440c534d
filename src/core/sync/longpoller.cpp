#include "longpoller.h"

#include <muze/sync/remotefactory.h>
#include <muze/sync/syncworker.h>

namespace muze::sync {

void LongPoller::setCursor(const QString& cursor)
{
    QMutexLocker lock(&m_mutex);
    m_cursor = cursor;
}

void LongPoller::stopAndWait()
{
    m_stop.store(true);
    {
        QMutexLocker lock(&m_mutex);
        if (m_remote)
            m_remote->cancel();
    }
    wait();
}

void LongPoller::run()
{
    Result<std::unique_ptr<remote::RemoteStore>> made = sync::createRemote(m_vault);
    if (!made)
        return;
    {
        QMutexLocker lock(&m_mutex);
        m_remote = std::move(*made);
    }
    while (!m_stop.load()) {
        QString cursor;
        {
            QMutexLocker lock(&m_mutex);
            cursor = m_cursor;
        }
        if (cursor.isEmpty()) {
            napInterruptibly(1);
            continue;
        }
        Result<bool> news = m_remote->waitForChanges(cursor, 90);
        if (m_stop.load())
            break;
        if (news && *news) {
            {
                QMutexLocker lock(&m_mutex);
                m_cursor.clear(); // the worker hands over a fresh cursor after it synced
            }
            QMetaObject::invokeMethod(
                m_worker, [w = m_worker] { w->syncNow(false); }, Qt::QueuedConnection);
        } else if (!news) {
            napInterruptibly(news.error().is(errc::rate_limited) ? 60 : 30);
        }
    }
    QMutexLocker lock(&m_mutex);
    m_remote.reset();
}

void LongPoller::napInterruptibly(int seconds)
{
    for (int i = 0; i < seconds * 10 && !m_stop.load(); ++i)
        msleep(100);
}

} // namespace muze::sync
