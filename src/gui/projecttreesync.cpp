// ProjectTree's sync states: badges on mix, project and collection icons, tooltips with the
// reason, kept current from the FileStateModel (which tells at most ~20 times a second).
#include "filestatemodel.h"
#include "projecttree.h"
#include "syncbadges.h"

#include <muze/model/tree.h>

#include <QStyle>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>

namespace muze::gui {

using sync::FileState;

namespace {
constexpr int kIdRole = Qt::UserRole + 1;
constexpr int kKindRole = Qt::UserRole + 2;
constexpr int kPathsRole = Qt::UserRole + 3;
constexpr int kBadgeRole = Qt::UserRole + 4; // the badge drawn now (state * 1000 + percent), to skip repaints
} // namespace

void ProjectTree::setFileStates(FileStateModel* states)
{
    m_states = states;
    m_tree->setIconSize(QSize(34, 16)); // icon and badge side by side
    connect(states, &FileStateModel::changed, this, [this](const QString& vaultId) {
        if (vaultId == m_vaultId)
            applySyncStates();
    });
    applySyncStates();
}

QStringList ProjectTree::pathsOf(const QString& id) const
{
    const QTreeWidgetItem* item = findItem(id);
    return item ? item->data(0, kPathsRole).toStringList() : QStringList();
}

QString ProjectTree::folderOf(const QString& id) const
{
    const QTreeWidgetItem* item = findItem(id);
    if (!item)
        return {};
    const QStringList paths = item->data(0, kPathsRole).toStringList();
    if (model::ItemKind(item->data(0, kKindRole).toInt()) != model::ItemKind::Mix)
        return paths.value(0);
    const QString mixFile = paths.value(0); // collections/c/projects/p/mixes/m.json
    return mixFile.section(QLatin1Char('/'), 0, 3);
}

void ProjectTree::applySyncStates()
{
    if (!m_states)
        return;
    const bool known = m_states->hasStates(m_vaultId);
    const QIcon folder = style()->standardIcon(QStyle::SP_DirIcon);
    const QIcon mix = style()->standardIcon(QStyle::SP_MediaVolume);
    for (QTreeWidgetItemIterator it(m_tree); *it; ++it) {
        QTreeWidgetItem* item = *it;
        const auto kind = model::ItemKind(item->data(0, kKindRole).toInt());
        const QStringList paths = item->data(0, kPathsRole).toStringList();
        sync::FileSyncState shown{item->data(0, kIdRole).toString(), FileState::Synced, {}, -1, -1};
        if (kind == model::ItemKind::Mix) {
            // The worst of its files; a transfer in flight shows its progress, an error its reason.
            for (const QString& p : paths) {
                const sync::FileSyncState s = m_states->state(m_vaultId, p);
                if (sync::worstFileState(shown.state, s.state) != shown.state || shown.state == FileState::Synced)
                    shown = s;
            }
        } else {
            shown.state = m_states->folderState(m_vaultId, paths.value(0));
        }
        const int percent = shown.state == FileState::Syncing && shown.bytesTotal > 0
            ? int(100 * std::max<qint64>(0, shown.bytesDone) / shown.bytesTotal)
            : -1;
        const int badge = known ? int(shown.state) * 1000 + percent + 1 : -1;
        if (item->data(0, kBadgeRole).toInt() == badge && item->data(0, kBadgeRole).isValid())
            continue;
        const QSignalBlocker block(m_tree); // icons are not renames
        item->setData(0, kBadgeRole, badge);
        const QIcon& base = kind == model::ItemKind::Mix ? mix : folder;
        item->setIcon(0, known ? badgedIcon(base, shown.state, percent) : base);
        item->setData(0, Qt::AccessibleDescriptionRole, known ? fileStateText(shown) : QString());
        if (kind != model::ItemKind::Mix)
            item->setToolTip(0, known ? fileStateText(shown) : QString());
        else if (known) {
            const int tracks = int(paths.size()) - 1;
            item->setToolTip(0, tr("%n track(s)", "", tracks) + QLatin1Char('\n') + fileStateText(shown));
        }
    }
}

} // namespace muze::gui
