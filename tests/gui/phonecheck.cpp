#include "phonecheck.h"

#include "testsupport.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractScrollArea>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QAccessible>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QScrollBar>
#include <QTabBar>

namespace muze::test {

namespace {
QString describe(const QWidget* w)
{
    if (!w)
        return QStringLiteral("(none)");
    QString text;
    if (auto* b = qobject_cast<const QAbstractButton*>(w))
        text = b->text();
    else if (auto* l = qobject_cast<const QLabel*>(w))
        text = l->text().left(40);
    return QStringLiteral("%1 \"%2\" \"%3\"").arg(QString::fromLatin1(w->metaObject()->className()), w->objectName(), text);
}

bool shown(const QWidget* w)
{
    return w->isVisible() && w->width() > 0 && w->height() > 0;
}

bool isControl(const QWidget* w)
{
    return qobject_cast<const QAbstractButton*>(w) || qobject_cast<const QComboBox*>(w)
        || (qobject_cast<const QAbstractSlider*>(w) && !qobject_cast<const QScrollBar*>(w))
        || qobject_cast<const QAbstractSpinBox*>(w) || qobject_cast<const QLineEdit*>(w)
        || qobject_cast<const QTabBar*>(w);
}

// A control inside another (the line edit of a spin box or combo box, a tab bar's scroll
// buttons, a tool bar's extension) is the outer control's part.
bool isPart(const QWidget* w)
{
    const QWidget* p = w->parentWidget();
    return p && (qobject_cast<const QAbstractSpinBox*>(p) || qobject_cast<const QComboBox*>(p) || qobject_cast<const QTabBar*>(p)
                 || w->objectName() == QLatin1String("qt_toolbar_ext_button")
                 || w->objectName().startsWith(QLatin1String("qt_spinbox")));
}
} // namespace

QStringList layoutProblems(QWidget* top)
{
    QStringList problems;
    const QRect bounds = top->rect();
    for (QWidget* w : top->findChildren<QWidget*>()) {
        if (!shown(w) || w->isWindow())
            continue;
        if (auto* bar = qobject_cast<QScrollBar*>(w); bar && bar->orientation() == Qt::Horizontal) {
            const QWidget* area = w->parentWidget();
            while (area && !qobject_cast<const QAbstractScrollArea*>(area))
                area = area->parentWidget();
            problems << QStringLiteral("horizontal scroll bar under %1").arg(describe(area ? area : w->parentWidget()));
            continue;
        }
        // Inside a scroll area only the width counts (scrolling down is fine).
        QWidget* viewport = nullptr;
        for (QWidget* p = w->parentWidget(); p && p != top; p = p->parentWidget()) {
            if (auto* area = qobject_cast<QAbstractScrollArea*>(p->parentWidget()); area && area->viewport() == p) {
                viewport = p;
                break;
            }
        }
        if (viewport) {
            const int left = w->mapTo(viewport, QPoint(0, 0)).x();
            if (left < 0 || left + w->width() > viewport->width() + 1)
                problems << QStringLiteral("%1 is wider than its scroll area (%2..%3 of %4)")
                                .arg(describe(w)).arg(left).arg(left + w->width()).arg(viewport->width());
            continue;
        }
        const QRect r(w->mapTo(top, QPoint(0, 0)), w->size());
        if (!bounds.contains(r))
            problems << QStringLiteral("%1 at %2,%3 %4×%5 is past the window's edge (%6×%7)")
                            .arg(describe(w)).arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height())
                            .arg(bounds.width()).arg(bounds.height());
    }
    return problems;
}

QStringList touchProblems(QWidget* top)
{
    QStringList problems;
    for (QWidget* w : top->findChildren<QWidget*>()) {
        if (!shown(w) || w->isWindow())
            continue;
        if (isControl(w) && !isPart(w) && !qobject_cast<const QTabBar*>(w) && (w->width() < 44 || w->height() < 44))
            problems << QStringLiteral("%1 is %2×%3 px").arg(describe(w)).arg(w->width()).arg(w->height());
        const bool hasText = qobject_cast<QLabel*>(w) ? !qobject_cast<QLabel*>(w)->text().isEmpty() : isControl(w);
        if (hasText && QFontInfo(w->font()).pixelSize() < 15)
            problems << QStringLiteral("%1 has %2 px text").arg(describe(w)).arg(QFontInfo(w->font()).pixelSize());
    }
    return problems;
}

QStringList unnamedControls(QWidget* top)
{
    QStringList problems;
    QList<QWidget*> all = top->findChildren<QWidget*>();
    for (QWidget* w : all) {
        if (!shown(w) || isPart(w) || !(isControl(w) || qobject_cast<QAbstractItemView*>(w))
            || qobject_cast<QHeaderView*>(w) // a header's name is its columns'
            || (w->parentWidget() && qobject_cast<QAbstractItemView*>(w->parentWidget()->parentWidget()))) // an item's editor: the item's name

            continue;
        QAccessibleInterface* iface = QAccessible::queryAccessibleInterface(w);
        const QString name = iface ? iface->text(QAccessible::Name).trimmed() : QString();
        if (name.isEmpty())
            problems << describe(w);
    }
    return problems;
}

bool saveShot(QWidget* top, const QString& name)
{
    QDir().mkpath(binaryPath(QStringLiteral("screenshots")));
    QApplication::processEvents(); // pending layout requests first
    return top->grab().save(binaryPath(QStringLiteral("screenshots/") + name + QStringLiteral(".png")));
}

} // namespace muze::test
