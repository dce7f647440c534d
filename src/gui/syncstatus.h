#pragma once
// SyncStatusWidget: one vault's sync state for a sidebar or status bar — a state line
// ("Synced", "Syncing 12 of 40 files", "Offline", ...), a progress bar while transfers run,
// and a "Sync now" button. It only listens to SyncController's queued signals and calls its
// slots: nothing here touches files or waits on I/O.
//
//   auto* status = new SyncStatusWidget(controller, vault.id, this);
//   statusBar()->addPermanentWidget(status);

#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace muze::sync {
class SyncController;
}

namespace muze::gui {

class SyncStatusWidget : public QWidget {
    Q_OBJECT
public:
    SyncStatusWidget(sync::SyncController* controller, QString vaultId, QWidget* parent = nullptr);

    QString vaultId() const { return m_vaultId; }
    QString state() const { return m_state; }
    /// Human text for a worker state ("synced" → "Synced").
    static QString describe(const QString& state, const QString& message);

private:
    void onState(const QString& vaultId, const QString& state, const QString& message);
    void onProgress(const QString& vaultId, qint64 bytesDone, qint64 bytesTotal, int filesDone, int filesTotal);

    sync::SyncController* m_controller;
    QString m_vaultId;
    QString m_state;
    QLabel* m_label;
    QProgressBar* m_bar;
    QToolButton* m_syncNow;
};

} // namespace muze::gui
