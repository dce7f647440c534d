#include "activitypanel.h"

#include "background.h"

#include <muze/model/layout.h>
#include <muze/model/vaultstore.h>
#include <muze/sync/journal.h>

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace muze::gui {

namespace {

QString directionText(const QString& d)
{
    if (d == QLatin1String("up"))
        return ActivityPanel::tr("↑ Upload");
    if (d == QLatin1String("down"))
        return ActivityPanel::tr("↓ Download");
    if (d == QLatin1String("delete-remote"))
        return ActivityPanel::tr("Deleted in the cloud");
    if (d == QLatin1String("delete-local"))
        return ActivityPanel::tr("Deleted here");
    if (d == QLatin1String("merge"))
        return ActivityPanel::tr("Merged");
    if (d == QLatin1String("conflict"))
        return ActivityPanel::tr("Conflict kept both");
    return d;
}

struct Loaded {
    std::vector<sync::ActivityRow> rows;
    QHash<QString, QString> names; // vault-relative path → what the user calls it
    QString error;
};

// "Mix “Opening song”", "Take “Guitar” of Opening song": paths name ids, people know names.
QHash<QString, QString> friendlyNames(const QString& root)
{
    QHash<QString, QString> names;
    const Result<model::VaultTree> tree = model::VaultStore(root).load();
    if (!tree)
        return names;
    names.insert(model::kVaultFile, ActivityPanel::tr("Vault settings"));
    for (const model::CollectionNode& c : tree->collections) {
        names.insert(c.file, ActivityPanel::tr("Collection “%1”").arg(c.name()));
        for (const model::ProjectNode& p : c.projects) {
            names.insert(p.file, ActivityPanel::tr("Project “%1”").arg(p.name()));
            for (const model::MixNode& m : p.mixes) {
                names.insert(m.file, ActivityPanel::tr("Mix “%1”").arg(m.name()));
                for (const model::TrackNode& t : m.tracks)
                    names.insert(t.audioFile, ActivityPanel::tr("Take “%1” of %2").arg(t.name(), m.name()));
            }
        }
    }
    return names;
}

} // namespace

ActivityPanel::ActivityPanel(QString vaultRoot, QWidget* parent) : QWidget(parent), m_root(std::move(vaultRoot))
{
    setObjectName(QStringLiteral("activityPanel"));
    auto* layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    m_summary = new QLabel(tr("Reading the sync journal…"), this);
    m_summary->setWordWrap(true);
    m_refresh = new QPushButton(tr("Refresh"), this);
    top->addWidget(m_summary, 1);
    top->addWidget(m_refresh);
    layout->addLayout(top);
    m_table = new QTableWidget(0, 5, this);
    m_table->setObjectName(QStringLiteral("activityTable"));
    m_table->setHorizontalHeaderLabels({tr("Time"), tr("File"), tr("Direction"), tr("Size"), tr("Result")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideMiddle);
    setMinimumSize(620, 280);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    for (int c : {0, 2, 3, 4})
        m_table->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    layout->addWidget(m_table, 1);
    connect(m_refresh, &QPushButton::clicked, this, &ActivityPanel::reload);
    reload();
}

void ActivityPanel::reload()
{
    m_refresh->setEnabled(false);
    runInBackground(
        this,
        [root = m_root] {
            Loaded l;
            // A vault that never synced has no journal: nothing to read, and nothing to create.
            if (!QFileInfo::exists(QDir(root).filePath(model::kLocalStateDir + QStringLiteral("/journal.sqlite"))))
                return l;
            Result<std::unique_ptr<sync::Journal>> j = sync::Journal::open(root);
            if (!j) {
                l.error = j.errorString();
                return l;
            }
            Result<std::vector<sync::ActivityRow>> rows = (*j)->activity();
            if (rows)
                l.rows = std::move(*rows);
            else
                l.error = rows.errorString();
            l.names = friendlyNames(root);
            return l;
        },
        [this](const Loaded& l) {
            m_refresh->setEnabled(true);
            m_table->setRowCount(int(l.rows.size()));
            int errors = 0;
            const QLocale locale;
            for (int i = 0; i < int(l.rows.size()); ++i) {
                const sync::ActivityRow& r = l.rows[size_t(i)];
                const QDateTime t = QDateTime::fromMSecsSinceEpoch(r.timeMs).toLocalTime();
                auto* time = new QTableWidgetItem(locale.toString(t, QLocale::ShortFormat));
                auto* file = new QTableWidgetItem(l.names.value(r.path, r.path));
                file->setToolTip(r.path);
                auto* size = new QTableWidgetItem(r.size > 0 ? locale.formattedDataSize(r.size) : QString());
                size->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
                auto* result = new QTableWidgetItem(r.ok ? tr("Done") : tr("Failed: %1").arg(r.result));
                result->setToolTip(r.result);
                if (!r.ok) {
                    result->setForeground(QColor(0xc0, 0x39, 0x2b));
                    ++errors;
                }
                m_table->setItem(i, 0, time);
                m_table->setItem(i, 1, file);
                m_table->setItem(i, 2, new QTableWidgetItem(directionText(r.direction)));
                m_table->setItem(i, 3, size);
                m_table->setItem(i, 4, result);
            }
            if (!l.error.isEmpty())
                m_summary->setText(l.error);
            else if (l.rows.empty())
                m_summary->setText(tr("Nothing has synced yet."));
            else
                m_summary->setText(tr("The last %n transfer(s)", "", int(l.rows.size()))
                                   + (errors ? tr(", %n error(s)", "", errors) : QString()) + tr(", newest first."));
            Q_EMIT loaded(int(l.rows.size()));
        });
}

} // namespace muze::gui
