#include <muze/keychain/keychain.h>

#include <qt6keychain/keychain.h>

#include <QCoreApplication>
#include <QMutex>
#include <QPointer>
#include <QThread>

#include <chrono>
#include <future>
#include <memory>

namespace muze::keychain {

namespace {

QMutex g_mutex;
QThread* g_thread = nullptr;   // guarded by g_mutex
QObject* g_context = nullptr;  // lives in g_thread

void stopThread()
{
    QMutexLocker lock(&g_mutex);
    if (!g_thread)
        return;
    g_context->deleteLater();
    g_thread->quit();
    g_thread->wait();
    delete g_thread;
    g_thread = nullptr;
    g_context = nullptr;
}

QObject* context()
{
    QMutexLocker lock(&g_mutex);
    if (!g_thread) {
        g_thread = new QThread;
        g_thread->setObjectName(QStringLiteral("muze-keychain"));
        g_context = new QObject;
        g_context->moveToThread(g_thread);
        g_thread->start();
        qAddPostRoutine(stopThread); // before QCoreApplication goes away
    }
    return g_context;
}

} // namespace

Outcome run(Op op, const QString& service, const QString& key, const QByteArray& secret, int timeoutMs)
{
    if (!QCoreApplication::instance())
        return {true, QKeychain::OtherError, QStringLiteral("the keychain needs a running Qt application"), {}};
    auto promise = std::make_shared<std::promise<Outcome>>();
    std::future<Outcome> future = promise->get_future();
    QMetaObject::invokeMethod(context(), [=] {
        QKeychain::Job* job = nullptr;
        switch (op) {
        case Op::Read:
            job = new QKeychain::ReadPasswordJob(service);
            break;
        case Op::Write: {
            auto* w = new QKeychain::WritePasswordJob(service);
            w->setBinaryData(secret);
            job = w;
            break;
        }
        case Op::Remove:
            job = new QKeychain::DeletePasswordJob(service);
            break;
        }
        job->setKey(key);
        job->setAutoDelete(true); // deleted on this thread, whose event loop keeps running
        job->setInsecureFallback(false); // never a plaintext file
        QObject::connect(job, &QKeychain::Job::finished, job, [promise](QKeychain::Job* j) {
            Outcome o;
            o.done = true;
            o.error = j->error();
            o.errorString = j->errorString();
            if (auto* r = qobject_cast<QKeychain::ReadPasswordJob*>(j); r && j->error() == QKeychain::NoError)
                o.data = r->binaryData();
            promise->set_value(std::move(o));
        });
        job->start();
    }, Qt::QueuedConnection);
    if (future.wait_for(std::chrono::milliseconds(timeoutMs)) != std::future_status::ready)
        return {false, QKeychain::OtherError, QStringLiteral("the keychain did not answer within %1 s").arg(timeoutMs / 1000), {}};
    return future.get();
}

} // namespace muze::keychain
