#include "mixview.h"

#include <muze/model/vaultstore.h>

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace muze::gui {

MixView::MixView(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    m_title = new QLabel(tr("Select a mix"), this);
    m_tracks = new QTableWidget(0, 4, this);
    m_tracks->setHorizontalHeaderLabels({tr("Track"), tr("Length"), tr("Gain"), tr("Pan")});
    m_tracks->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(m_title);
    layout->addWidget(m_tracks, 1);
}

void MixView::showMix(const QString& vaultRoot, const QString& mixId)
{
    m_tracks->setRowCount(0);
    m_title->setText(tr("Select a mix"));
    if (vaultRoot.isEmpty() || mixId.isEmpty())
        return;
    auto tree = model::VaultStore(vaultRoot).load();
    if (!tree)
        return;
    for (const auto& c : tree->collections)
        for (const auto& p : c.projects)
            for (const auto& m : p.mixes) {
                if (m.id != mixId)
                    continue;
                m_title->setText(m.name());
                for (const auto& t : m.tracks) {
                    const int row = m_tracks->rowCount();
                    m_tracks->insertRow(row);
                    m_tracks->setItem(row, 0, new QTableWidgetItem(t.name()));
                    m_tracks->setItem(row, 1, new QTableWidgetItem(QString::number(jsonNumber(t.data, "duration_s"), 'f', 1)));
                    m_tracks->setItem(row, 2, new QTableWidgetItem(QString::number(jsonNumber(t.data, "gain_db"), 'f', 1)));
                    m_tracks->setItem(row, 3, new QTableWidgetItem(QString::number(jsonNumber(t.data, "pan"), 'f', 2)));
                }
            }
}

} // namespace muze::gui
