#include "vaultsidebar.h"

#include "icons.h"

#include <muze/vault/vaultmanager.h>

#include <QInputDialog>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

namespace muze::gui {

namespace {
constexpr int kIdRole = Qt::UserRole + 1;
}

VaultSidebar::VaultSidebar(vault::VaultManager& vaults, QWidget* parent) : QWidget(parent), m_vaults(vaults)
{
    setObjectName(QStringLiteral("vaultSidebar"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    auto* title = new QLabel(tr("Vaults"), this);
    QFont f = title->font();
    f.setBold(true);
    title->setFont(f);
    layout->addWidget(title);

    m_list = new QListWidget(this);
    m_list->setAccessibleName(tr("Vaults"));
    m_list->setObjectName(QStringLiteral("vaultList"));
    m_list->setIconSize(QSize(32, 32));
    m_list->setSpacing(2);
    m_list->setContextMenuPolicy(Qt::CustomContextMenu);
    m_list->setFrameShape(QFrame::NoFrame);
    layout->addWidget(m_list, 1);

    m_add = new QPushButton(tr("Add vault…"), this);
    m_add->setObjectName(QStringLiteral("addVaultButton"));
    layout->addWidget(m_add);

    connect(m_add, &QPushButton::clicked, this, &VaultSidebar::addVaultRequested);
    connect(&m_vaults, &vault::VaultManager::vaultsChanged, this, &VaultSidebar::rebuild);
    connect(&m_vaults, &vault::VaultManager::currentVaultChanged, this, &VaultSidebar::rebuild);
    connect(m_list, &QListWidget::currentItemChanged, this, [this](QListWidgetItem* item) {
        if (m_rebuilding || !item)
            return;
        const QString id = item->data(kIdRole).toString();
        if (auto s = m_vaults.setCurrent(id); !s)
            Q_EMIT errorOccurred(s.errorString());
        else
            Q_EMIT vaultActivated(id);
    });
    connect(m_list, &QListWidget::customContextMenuRequested, this, &VaultSidebar::showContextMenu);
    rebuild();
}

void VaultSidebar::rebuild()
{
    m_rebuilding = true;
    m_list->clear();
    for (const vault::VaultRecord& r : m_vaults.vaults()) {
        QString text = r.name;
        if (r.isDefault)
            text += tr("  ★");
        text += QLatin1Char('\n') + statusText(r);
        auto* item = new QListWidgetItem(providerIcon(r.provider, r.syncStatus), text, m_list);
        item->setData(kIdRole, r.id);
        item->setToolTip(QStringLiteral("%1 · %2\n%3").arg(vault::providerName(r.provider), r.path,
                                                          r.encrypted ? tr("End-to-end encrypted") : tr("Not encrypted")));
        if (r.id == m_vaults.currentId())
            m_list->setCurrentItem(item);
    }
    m_rebuilding = false;
}

void VaultSidebar::showContextMenu(const QPoint& pos)
{
    QListWidgetItem* item = m_list->itemAt(pos);
    if (!item)
        return;
    const QString id = item->data(kIdRole).toString();
    const auto record = m_vaults.byId(id);
    if (!record)
        return;
    QMenu menu(this);
    QAction* settings = menu.addAction(tr("Settings…"));
    QAction* rename = menu.addAction(tr("Rename…"));
    QAction* makeDefault = menu.addAction(tr("Set as default"));
    makeDefault->setEnabled(!record->isDefault);
    menu.addSeparator();
    QAction* remove = menu.addAction(tr("Remove from Muze…"));
    QAction* chosen = menu.exec(m_list->viewport()->mapToGlobal(pos));
    vault::VaultManager& vaults = m_vaults;
    Status s;
    if (chosen == settings) {
        Q_EMIT settingsRequested(id);
    } else if (chosen == rename) {
        bool ok = false;
        const QString name = QInputDialog::getText(this, tr("Rename vault"), tr("Name:"), QLineEdit::Normal, record->name, &ok);
        if (ok)
            s = vaults.rename(id, name);
    } else if (chosen == makeDefault) {
        s = vaults.setDefault(id);
    } else if (chosen == remove) {
        const auto answer = QMessageBox::question(
            this, tr("Remove vault"),
            tr("Remove \"%1\" from Muze? Its files stay in %2.").arg(record->name, record->path));
        if (answer == QMessageBox::Yes)
            s = vaults.remove(id, false);
    }
    if (!s)
        Q_EMIT errorOccurred(s.errorString());
}

} // namespace muze::gui
