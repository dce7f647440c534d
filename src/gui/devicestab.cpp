#include "devicestab.h"

#include "background.h"
#include "unlinkdevicedialog.h"

#include <muze/crypto/vaultkeys.h>
#include <muze/sync/deviceunlink.h>

#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace muze::gui {

namespace {

enum Column { NameColumn, StatusColumn, LastSeenColumn, PlatformColumn }; // platform last: the long one
constexpr int kIdRole = Qt::UserRole;
constexpr int kUnlinkedRole = Qt::UserRole + 1;

struct Loaded {
    Result<QList<vault::DeviceRecord>> devices;
    bool encrypted = false;
};

QString when(const QDateTime& t)
{
    return t.isValid() ? QLocale().toString(t.toLocalTime(), QLocale::ShortFormat) : QString();
}

} // namespace

DevicesTab::DevicesTab(vault::VaultManager& vaults, vault::VaultRecord record, QWidget* parent)
    : QWidget(parent)
    , m_vaults(vaults)
    , m_record(std::move(record))
{
    setObjectName(QStringLiteral("devicesTab"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("Every device that has synced this vault. The list travels with the vault, so each "
                                "device shows the same one."),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    m_list = new QTreeWidget(this);
    m_list->setObjectName(QStringLiteral("devicesList"));
    m_list->setRootIsDecorated(false);
    m_list->setHeaderLabels({tr("Device"), tr("Status"), tr("Last seen"), tr("Platform")});
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_list->header()->setStretchLastSection(true);
    layout->addWidget(m_list, 1);
    m_status = new QLabel(tr("Reading the device list…"), this);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    auto* row = new QHBoxLayout;
    m_rename = new QPushButton(tr("Rename this device…"), this);
    m_rename->setObjectName(QStringLiteral("renameDevice"));
    m_unlink = new QPushButton(tr("Unlink…"), this);
    m_unlink->setObjectName(QStringLiteral("unlinkDevice"));
    row->addWidget(m_rename);
    row->addStretch(1);
    row->addWidget(m_unlink);
    layout->addLayout(row);
    connect(m_list, &QTreeWidget::itemSelectionChanged, this, &DevicesTab::updateButtons);
    connect(m_rename, &QPushButton::clicked, this, &DevicesTab::renameThisDevice);
    connect(m_unlink, &QPushButton::clicked, this, &DevicesTab::unlinkSelected);
    updateButtons();
    refresh();
}

void DevicesTab::refresh()
{
    const QString root = m_record.path;
    runInBackground(
        this,
        [root] {
            return Loaded{vault::listDevices(root), crypto::isVaultEncrypted(root)};
        },
        [this](Loaded l) {
            m_loaded = true;
            if (!l.devices) {
                m_status->setText(l.devices.errorString());
                return;
            }
            fill(*l.devices, l.encrypted);
        });
}

void DevicesTab::fill(const QList<vault::DeviceRecord>& devices, bool encrypted)
{
    m_encrypted = encrypted;
    const QString selected = m_list->currentItem() ? m_list->currentItem()->data(0, kIdRole).toString() : QString();
    m_list->clear();
    const QString self = m_vaults.device().id;
    for (const vault::DeviceRecord& d : devices) {
        auto* item = new QTreeWidgetItem(m_list);
        const bool mine = d.id == self;
        item->setText(NameColumn, mine ? tr("%1 (this device)").arg(d.name) : d.name);
        item->setText(PlatformColumn, d.platform);
        item->setToolTip(PlatformColumn, d.platform);
        item->setText(LastSeenColumn, when(d.lastSeen));
        item->setText(StatusColumn, d.unlinked ? tr("Unlinked %1").arg(when(d.unlinkedAt)) : tr("Linked"));
        item->setToolTip(NameColumn, tr("Device id %1").arg(d.id));
        item->setData(0, kIdRole, d.id);
        item->setData(0, kUnlinkedRole, d.unlinked);
        if (mine) {
            QFont f = item->font(NameColumn);
            f.setBold(true);
            item->setFont(NameColumn, f);
        }
        if (d.unlinked) {
            for (int c = 0; c < m_list->columnCount(); ++c)
                item->setForeground(c, m_list->palette().brush(QPalette::Disabled, QPalette::Text));
        }
        if (d.id == selected)
            m_list->setCurrentItem(item);
    }
    const int unlinked = int(std::count_if(devices.begin(), devices.end(), [](const auto& d) { return d.unlinked; }));
    QString text = devices.isEmpty()
        ? tr("No device has synced this vault yet; a device is listed from its first sync.")
        : tr("%n device(s) have synced this vault.", "", int(devices.size()));
    if (unlinked > 0)
        text += QLatin1Char(' ') + tr("%n of them unlinked.", "", unlinked);
    if (!encrypted)
        text += QLatin1Char(' ')
            + tr("Unlinking a device needs an encrypted vault: it works by changing the password and the key.");
    m_status->setText(text);
    updateButtons();
}

void DevicesTab::updateButtons()
{
    const QTreeWidgetItem* item = m_list->currentItem();
    const bool other = item && item->data(0, kIdRole).toString() != m_vaults.device().id;
    const bool linked = item && !item->data(0, kUnlinkedRole).toBool();
    m_unlink->setEnabled(!m_busy && m_encrypted && other && linked);
    m_rename->setEnabled(!m_busy);
    if (!m_encrypted)
        m_unlink->setToolTip(tr("Only an encrypted vault can unlink a device."));
    else if (!other)
        m_unlink->setToolTip(tr("Select another device to unlink. This device can be unlinked from another one."));
    else
        m_unlink->setToolTip(tr("Change the password and the key so this device cannot open anything new."));
}

void DevicesTab::renameThisDevice()
{
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Rename this device"),
        tr("The name other devices see for this one:"), QLineEdit::Normal, m_vaults.device().name, &ok)
                             .trimmed();
    if (!ok || name.isEmpty() || name == m_vaults.device().name)
        return;
    if (const Status s = m_vaults.setDeviceName(name); !s) {
        QMessageBox::warning(this, tr("Rename this device"), s.errorString());
        return;
    }
    // Each vault's device list keeps a copy of the name: rewrite it where this device is listed
    // (and in this vault), off the GUI thread.
    const vault::DeviceInfo self = m_vaults.device();
    QStringList roots{m_record.path};
    for (const vault::VaultRecord& v : m_vaults.vaults()) {
        if (v.id != m_record.id)
            roots << v.path;
    }
    m_busy = true;
    updateButtons();
    runInBackground(
        this,
        [self, roots] {
            QStringList problems;
            for (int i = 0; i < roots.size(); ++i) {
                if (i > 0 && !vault::readDevice(roots[i], self.id))
                    continue;
                if (const Status s = vault::renameDeviceRecord(roots[i], self); !s)
                    problems << s.errorString();
            }
            return problems;
        },
        [this](QStringList problems) {
            m_busy = false;
            if (!problems.isEmpty())
                QMessageBox::warning(this, tr("Rename this device"), problems.join(QLatin1Char('\n')));
            refresh();
        });
}

void DevicesTab::unlinkSelected()
{
    const QTreeWidgetItem* item = m_list->currentItem();
    if (!item)
        return;
    const QString id = item->data(0, kIdRole).toString();
    const QString name = item->text(NameColumn);
    UnlinkDeviceDialog dialog(name, m_record.name, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QByteArray current = dialog.currentPasswordEdit()->text().toUtf8();
    const QByteArray fresh = dialog.newPasswordEdit()->text().toUtf8();
    m_busy = true;
    updateButtons();
    m_unlink->setText(tr("Unlinking…"));
    const vault::VaultRecord record = m_record;
    const vault::DeviceInfo self = m_vaults.device();
    runInBackground(
        this, [=] { return sync::unlinkDevice(record, self, id, current, fresh); },
        [this](Result<sync::UnlinkResult> r) {
            m_busy = false;
            m_unlink->setText(tr("Unlink…"));
            if (!r) {
                QMessageBox::warning(this, tr("Unlink device"), r.errorString());
                updateButtons();
                return;
            }
            m_list->setCurrentItem(nullptr); // the unlinked row shows greyed, not selected
            Q_EMIT keyRotated(m_record.id);
            QMessageBox::information(this, tr("Unlink device"),
                tr("%1 is unlinked. It keeps what it already has, and cannot open anything "
                   "written from now on. Use the new password on your other devices.")
                    .arg(r->device.name));
            refresh();
        });
}

} // namespace muze::gui
