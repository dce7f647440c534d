#pragma once
// The main window on a phone (narrower than 600 px, or a phone held sideways): one page at a
// time, Vaults → collections/projects/mixes → the mix, under a title bar with a back button,
// the current vault's or mix's name and a ⋯ menu of the main actions. Touch-sized controls,
// 16 px text, nothing scrolls sideways. On a desktop-sized window it shows the usual panes.

#include "transportbar.h"

#include <QObject>
#include <QSize>

class QLabel;
class QMainWindow;
class QMenu;
class QSplitter;
class QScrollArea;
class QToolBar;
class QToolButton;
class QWidget;

namespace muze::vault {
class VaultManager;
}

namespace muze::gui {

class MixView;
class ProjectTree;
class VaultSidebar;

class PhoneShell : public QObject {
    Q_OBJECT
public:
    enum class Page { Vaults, Tree, Mix };
    struct Parts {
        QMainWindow* window = nullptr;
        vault::VaultManager* vaults = nullptr;
        QSplitter* outer = nullptr; // sidebar | content
        QSplitter* content = nullptr; // tree | mix pane | first-run panel
        VaultSidebar* sidebar = nullptr;
        ProjectTree* tree = nullptr;
        QScrollArea* mixPane = nullptr;
        MixView* mix = nullptr;
        QToolBar* toolBar = nullptr;
        QWidget* firstRun = nullptr;
    };
    explicit PhoneShell(const Parts& parts);

    static bool isPhoneSize(const QSize& size) { return size.width() < 600 || size.height() < 480; }

    /// The title bar; the main window puts it above the panes.
    QWidget* navBar() const { return m_nav; }
    QToolButton* backButton() const { return m_back; }
    QLabel* titleLabel() const { return m_title; }
    QMenu* overflowMenu() const { return m_menu; }

    /// Re-arranges for the window's size (phone portrait or landscape, or desktop).
    void setCompact(bool compact);
    bool isCompact() const { return m_compact; }
    Page page() const { return m_page; }
    void showPage(Page page);
    void goBack();
    void toggleVaults();
    /// The current vault holds nothing yet: the first-run panel stands in for the tree on a
    /// phone and for the mix pane on a desktop.
    void setVaultEmpty(bool empty);
    bool isVaultEmpty() const { return m_empty; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

Q_SIGNALS:
    void pageChanged(muze::gui::PhoneShell::Page page);

private:
    void apply();
    void updateTitle();

    Parts m_parts;
    QWidget* m_nav = nullptr;
    QToolButton* m_back = nullptr;
    QLabel* m_title = nullptr;
    QToolButton* m_more = nullptr;
    QMenu* m_menu = nullptr;
    bool m_compact = false;
    bool m_empty = false;
    MixForm m_form = MixForm::Desktop;
    Page m_page = Page::Tree;
    Page m_beforeVaults = Page::Tree;
};

} // namespace muze::gui
