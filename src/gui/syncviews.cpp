#include "syncviews.h"

#include "filestatemodel.h"
#include "mainwindow.h"
#include "mixview.h"
#include "projecttree.h"
#include "syncbadges.h"
#include "syncpresenter.h"

#include <muze/sync/synccontroller.h>
#include <muze/vault/vaultmanager.h>

#include <QAction>
#include <QLabel>
#include <QStatusBar>
#include <QTreeView>
#include <QVBoxLayout>

namespace muze::gui {

using sync::FileState;

SyncViews::SyncViews(MainWindow* window, vault::VaultManager& vaults)
    : QObject(window)
    , m_window(window)
    , m_vaults(vaults)
    , m_states(window->syncPresenter()->fileStates())
{
    window->projectTree()->setFileStates(m_states);

    // The banner sits above everything in the window (central widget wrapped once).
    QWidget* content = window->takeCentralWidget();
    auto* host = new QWidget(window);
    auto* layout = new QVBoxLayout(host);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_banner = new QLabel(host);
    m_banner->setObjectName(QStringLiteral("offlineBanner"));
    m_banner->setStyleSheet(QStringLiteral("background:#5b6470; color:white; padding:6px 10px; font-weight:bold;"));
    m_banner->hide();
    layout->addWidget(m_banner);
    layout->addWidget(content, 1);
    window->setCentralWidget(host);

    m_keep = new QAction(tr("Keep on this device"), this);
    m_keep->setObjectName(QStringLiteral("keepOnDevice"));
    m_keep->setToolTip(tr("Download its takes that are only in the cloud, and keep them here"));
    window->projectTree()->tree()->addAction(m_keep);
    connect(m_keep, &QAction::triggered, this, [this] { keepItem(m_window->projectTree()->selectedId()); });
    m_freeUp = new QAction(tr("Free up space"), this);
    m_freeUp->setObjectName(QStringLiteral("freeUpSpace"));
    m_freeUp->setToolTip(tr("Remove this device's copies of its takes that are safely in the cloud"));
    window->projectTree()->tree()->addAction(m_freeUp);
    connect(m_freeUp, &QAction::triggered, this, [this] { freeUpItem(m_window->projectTree()->selectedId()); });

    sync::SyncController* controller = window->syncPresenter()->controller();
    connect(controller, &sync::SyncController::statusChanged, this, &SyncViews::onStatus);
    connect(m_states, &FileStateModel::changed, this, [this](const QString& vaultId) {
        if (vaultId == m_vaults.currentId())
            updateTracks();
    });
    connect(window->mixView(), &MixView::rowsRebuilt, this, &SyncViews::updateTracks);
    connect(window->projectTree(), &ProjectTree::mixSelected, this, [this](const QString& mixId) {
        // Opening a mix fetches its missing takes; the tree re-selecting it after a reload is
        // not opening it (freed takes stay in the cloud).
        if (mixId == m_openMix)
            return;
        m_openMix = mixId;
        m_awaited.clear();
        if (!mixId.isEmpty())
            downloadOpenMix();
    });
    connect(&m_vaults, &vault::VaultManager::currentVaultChanged, this, &SyncViews::updateBanner);
    connect(controller, &sync::SyncController::spaceFreed, this,
        [this](const QString& vaultId, const QStringList& freed, const QStringList& kept, qint64 bytes,
            const QString& error) {
            // The freed takes are cloud-only now: their badges say so at once, not when the
            // worker's next state report or the mix's next reload comes.
            sync::FileSyncStates now;
            for (const QString& p : freed)
                now.push_back({p, FileState::CloudOnly, {}, -1, -1});
            if (!now.isEmpty())
                m_states->apply(vaultId, now, false);
            QString text = error.isEmpty() ? tr("Freed %1 MB: %n take(s) now in the cloud only.", "", int(freed.size()))
                                                 .arg(double(bytes) / 1e6, 0, 'f', 1)
                                           : error;
            if (!kept.isEmpty())
                text += QLatin1Char(' ') + tr("Kept %n take(s) that are not safely synced yet.", "", int(kept.size()));
            m_window->statusBar()->showMessage(text, 10000);
        });
}

QStringList SyncViews::takesOf(const QString& itemId, std::optional<FileState> state) const
{
    const QString vaultId = m_vaults.currentId();
    ProjectTree* tree = m_window->projectTree();
    const QStringList own = tree->pathsOf(itemId);
    QStringList takes;
    if (!own.isEmpty() && own.first().endsWith(QLatin1String(".json"))) { // a mix: its tracks' files
        takes = own.mid(1);
    } else if (!own.isEmpty()) { // a folder: every take the states know under it
        for (FileState s : {FileState::Synced, FileState::CloudOnly, FileState::Pending, FileState::Syncing,
                 FileState::Error, FileState::Conflict})
            takes += m_states->pathsIn(vaultId, own.first(), s);
        takes = takes.filter(QStringLiteral(".wav"), Qt::CaseInsensitive);
    }
    if (!state)
        return takes;
    QStringList out;
    for (const QString& p : takes) {
        if (m_states->state(vaultId, p).state == *state)
            out << p;
    }
    return out;
}

void SyncViews::keepItem(const QString& itemId)
{
    m_window->syncPresenter()->controller()->keepOnDevice(m_vaults.currentId(), takesOf(itemId, FileState::CloudOnly));
}

void SyncViews::freeUpItem(const QString& itemId)
{
    // Every take that is here; sync removes only those safely in the cloud and names the rest.
    QStringList here = takesOf(itemId, std::nullopt);
    here.removeIf(
        [&](const QString& p) { return m_states->state(m_vaults.currentId(), p).state == FileState::CloudOnly; });
    m_window->syncPresenter()->controller()->freeUpSpace(m_vaults.currentId(), here);
}

void SyncViews::downloadOpenMix()
{
    const QString vaultId = m_vaults.currentId();
    const QString mixId = m_window->mixView()->mixId();
    QStringList missing;
    for (const QString& p : m_window->projectTree()->pathsOf(mixId)) {
        if (m_states->state(vaultId, p).state == FileState::CloudOnly)
            missing << p;
    }
    m_awaited = missing;
    for (const QString& p : missing)
        m_window->syncPresenter()->controller()->requestDownload(vaultId, p);
}

void SyncViews::updateTracks()
{
    const auto record = m_vaults.current();
    if (!record)
        return;
    MixView* view = m_window->mixView();
    const QString prefix = record->path + QLatin1Char('/');
    const bool known = m_states->hasStates(record->id);
    for (QWidget* row : view->findChildren<QWidget*>()) {
        if (!row->objectName().startsWith(QLatin1String("track-")))
            continue;
        auto* label = row->findChild<QLabel*>(QStringLiteral("trackSync"));
        const QString wav = row->property("wavPath").toString();
        if (!label || !wav.startsWith(prefix))
            continue;
        const sync::FileSyncState s = m_states->state(record->id, wav.mid(prefix.size()));
        if (!known) {
            label->hide();
            continue;
        }
        const int percent
            = s.state == FileState::Syncing && s.bytesTotal > 0 ? int(100 * s.bytesDone / s.bytesTotal) : -1;
        QString words;
        switch (s.state) {
        case FileState::Synced:
            words = tr("Synced");
            break;
        case FileState::Syncing:
            words = percent >= 0  ? tr("Syncing %1%").arg(percent)
                : s.bytesDone > 0 ? tr("Downloading %1 MB").arg(double(s.bytesDone) / 1e6, 0, 'f', 1)
                                  : tr("Syncing");
            break;
        case FileState::Pending:
            words = tr("Waiting to sync");
            break;
        case FileState::Conflict:
            words = tr("Conflict");
            break;
        case FileState::Error:
            words = tr("Sync error");
            break;
        case FileState::CloudOnly:
            words = tr("In the cloud · <a href=\"download\">Download</a>");
            break;
        }
        label->setTextFormat(Qt::RichText);
        label->setText(words);
        label->setToolTip(fileStateText(s));
        label->setProperty("syncState", int(s.state));
        label->setAccessibleDescription(fileStateText(s));
        if (!label->property("linked").toBool()) {
            label->setProperty("linked", true);
            const QString rel = wav.mid(prefix.size());
            connect(label, &QLabel::linkActivated, this, [this, rel](const QString&) {
                m_awaited << rel;
                m_window->syncPresenter()->controller()->requestDownload(m_vaults.currentId(), rel);
            });
        }
        label->show();
    }
    // Takes the open mix was waiting for are here: show the mix again, now with their audio.
    if (!m_awaited.isEmpty()) {
        const bool allHere = std::all_of(m_awaited.cbegin(), m_awaited.cend(),
            [&](const QString& p) { return m_states->state(record->id, p).state == FileState::Synced; });
        if (allHere) {
            m_awaited.clear();
            const QString mixId = view->mixId();
            view->showMix(record->path, QString());
            view->showMix(record->path, mixId);
        }
    }
}

void SyncViews::onStatus(const sync::VaultStatus& status)
{
    if (status.vaultId == m_vaults.currentId())
        updateBanner();
}

void SyncViews::updateBanner()
{
    const sync::VaultStatus s = m_window->syncPresenter()->controller()->status(m_vaults.currentId());
    if (!s.offline) {
        m_banner->hide();
        return;
    }
    m_banner->setText(s.pendingChanges > 0 ? tr("Offline — %n change(s) waiting", "", s.pendingChanges)
                                           : tr("Offline — changes sync when the connection is back"));
    m_banner->setToolTip(tr("Recording and editing go on as usual. %1").arg(s.message));
    m_banner->show();
}

} // namespace muze::gui
