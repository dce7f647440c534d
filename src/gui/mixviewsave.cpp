// MixView's saves: slider drags and clicks gather per track and are written ~400 ms after the
// last change, off the GUI thread, with one read and one write of the mix file per track
// (VaultStore::setTrackFields). Saves run one after another on the view's own one-thread
// pool, so the newest value lands last.
#include "background.h"
#include "mixview.h"

#include <muze/model/vaultstore.h>

#include <QTimer>

namespace muze::gui {

void MixView::scheduleSave(const QString& trackId, const char* key, double value)
{
    m_pendingSaves[trackId][QString::fromLatin1(key)] = value;
    m_saveTimer->start();
}

void MixView::scheduleSave(const QString& trackId, const char* key, bool value)
{
    m_pendingSaves[trackId][QString::fromLatin1(key)] = value;
    m_saveTimer->start();
}

void MixView::flushSaves(bool notify)
{
    m_saveTimer->stop();
    if (m_pendingSaves.isEmpty() || m_root.isEmpty() || m_mixId.isEmpty())
        return;
    std::vector<std::pair<QString, model::VaultStore::FieldValues>> tracks;
    for (auto it = m_pendingSaves.cbegin(); it != m_pendingSaves.cend(); ++it) {
        model::VaultStore::FieldValues fields;
        for (auto f = it.value().cbegin(); f != it.value().cend(); ++f) {
            fields.emplace_back(
                f.key(), f.value().typeId() == QMetaType::Bool ? Json(f.value().toBool()) : Json(f.value().toDouble()));
        }
        tracks.emplace_back(it.key(), std::move(fields));
    }
    m_pendingSaves.clear();
    const QString mixId = m_mixId;
    runInBackground(
        this,
        [root = m_root, mixId, tracks] {
            const model::VaultStore store(root);
            QString error;
            for (const auto& [trackId, fields] : tracks) {
                if (Status s = store.setTrackFields(mixId, trackId, fields); !s)
                    error = s.errorString();
            }
            return error;
        },
        [this, mixId, notify](const QString& error) {
            if (!error.isEmpty())
                showStatus(error, true);
            if (notify)
                Q_EMIT mixChanged(mixId);
        },
        m_savePool.get());
}

} // namespace muze::gui
