#include <muze/model/writer.h>

#include <QMutex>

namespace muze::model {

namespace {

QMutex& writerMutex()
{
    static QMutex mutex;
    return mutex;
}

QString& writerId()
{
    static QString id;
    return id;
}

} // namespace

void setWriterDevice(const QString& deviceId)
{
    QMutexLocker lock(&writerMutex());
    writerId() = deviceId;
}

QString writerDevice()
{
    QMutexLocker lock(&writerMutex());
    return writerId();
}

Json stampWriter(Json doc)
{
    const QString id = writerDevice();
    if (!id.isEmpty() && doc.is_object())
        doc["modified_by"] = toStd(id);
    return doc;
}

} // namespace muze::model
