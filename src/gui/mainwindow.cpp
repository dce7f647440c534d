#include "mainwindow.h"

#include "historypanel.h"

#include "addvaultdialog.h"
#include "icons.h"
#include "mixview.h"
#include "projecttree.h"
#include "signedoutbanner.h"
#include "syncpresenter.h"
#include "syncui.h"
#include "syncviews.h"
#include "vaultsettingsdialog.h"
#include "vaultsidebar.h"

#include <muze/crypto/vaultkeys.h>
#include <muze/model/vaultstore.h>
#include <muze/util/ids.h>
#include <muze/util/logging.h>

#include <QAction>
#include <QCloseEvent>
#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QPointer>
#include <QThreadPool>
#include <QLabel>
#include <QProgressBar>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

namespace muze::gui {

namespace {
constexpr int kCompactWidth = 720;

QSettings guiSettings(const vault::VaultManager& vaults)
{
    return QSettings(vaults.configDir() + QStringLiteral("/gui.ini"), QSettings::IniFormat);
}
} // namespace

Status MainWindow::ensureDefaultVault(vault::VaultManager& vaults, const QString& parentDir)
{
    if (!vaults.vaults().isEmpty())
        return {};
    vault::VaultSpec spec;
    spec.name = tr("My Music");
    spec.provider = vault::Provider::Local;
    spec.path = QDir(parentDir).filePath(QStringLiteral("My Music"));
    spec.makeDefault = true;
    auto r = vaults.create(spec);
    return r ? Status() : Status(r.error());
}

MainWindow::MainWindow(vault::VaultManager& vaults, QString defaultVaultParent, QWidget* parent)
    : QMainWindow(parent), m_vaults(vaults), m_defaultVaultParent(std::move(defaultVaultParent))
{
    setWindowTitle(QStringLiteral("Muze"));
    setObjectName(QStringLiteral("mainWindow"));

    m_sidebar = new VaultSidebar(m_vaults, this);
    m_tree = new ProjectTree(this);
    m_mixView = new MixView(this);

    m_content = new QSplitter(Qt::Horizontal, this);
    m_content->addWidget(m_tree);
    // The mix view scrolls sideways when the window is narrower than its controls, so the
    // window can shrink to phone width (and switch to the compact layout) at all.
    auto* mixScroll = new QScrollArea(this);
    mixScroll->setObjectName(QStringLiteral("mixScroll"));
    mixScroll->setWidget(m_mixView);
    mixScroll->setWidgetResizable(true);
    mixScroll->setFrameShape(QFrame::NoFrame);
    m_content->addWidget(mixScroll);
    m_content->setStretchFactor(0, 1);
    m_content->setStretchFactor(1, 3);
    m_content->setChildrenCollapsible(false);
    m_tree->setMinimumWidth(200); // titles stay readable next to a wide mix view
    m_content->setSizes({280, 760});

    m_outer = new QSplitter(Qt::Horizontal, this);
    m_outer->setObjectName(QStringLiteral("outerSplitter"));
    m_outer->addWidget(m_sidebar);
    m_outer->addWidget(m_content);
    m_outer->setStretchFactor(1, 1);
    m_outer->setSizes({240, 1040});
    auto* central = new QWidget(this); // the signed-out banner (added below) above the panes
    auto* centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->addWidget(m_outer, 1);
    setCentralWidget(central);

    auto* bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setMovable(false);
    m_toggleSidebar = bar->addAction(tr("☰ Vaults"));
    m_toggleSidebar->setObjectName(QStringLiteral("toggleSidebar"));
    m_toggleSidebar->setToolTip(tr("Show or hide the vault list"));
    connect(m_toggleSidebar, &QAction::triggered, this, [this] {
        if (m_compact)
            m_sidebarOpenCompact = !m_sidebarOpenCompact;
        else
            m_sidebar->setVisible(!m_sidebar->isVisible());
        applyLayout();
    });

    QAction* syncNow = bar->addAction(tr("⟳ Sync now"));
    syncNow->setObjectName(QStringLiteral("syncNow"));
    syncNow->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_S));
    QAction* settings = bar->addAction(tr("Vault settings"));
    settings->setObjectName(QStringLiteral("vaultSettings"));
    connect(settings, &QAction::triggered, this, [this] { openVaultSettings(m_vaults.currentId()); });
    HistoryPanel::install(bar, m_vaults, m_tree); // issue 12

    m_vaultStatus = new QLabel(this);
    m_vaultStatus->setObjectName(QStringLiteral("vaultStatus"));
    m_progress = new QProgressBar(this);
    m_progress->setMaximumWidth(200);
    m_progress->hide();
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_vaultStatus);

    connect(m_sidebar, &VaultSidebar::addVaultRequested, this, [this] { addVault(); });
    connect(m_sidebar, &VaultSidebar::errorOccurred, this, &MainWindow::showError);
    connect(m_sidebar, &VaultSidebar::settingsRequested, this, &MainWindow::openVaultSettings);
    connect(m_sidebar, &VaultSidebar::vaultActivated, this, [this] {
        if (m_compact) { // on a phone, picking a vault closes the drawer
            m_sidebarOpenCompact = false;
            applyLayout();
        }
    });
    connect(m_tree, &ProjectTree::errorOccurred, this, &MainWindow::showError);
    connect(m_tree, &ProjectTree::mixSelected, this, [this](const QString& mixId) {
        const auto current = m_vaults.current();
        m_mixView->showMix(current ? current->path : QString(), mixId);
    });
    connect(m_mixView, &MixView::mixChanged, m_tree, &ProjectTree::reloadItem); // only its row
    connect(&m_vaults, &vault::VaultManager::currentVaultChanged, this, &MainWindow::showVault);
    connect(&m_vaults, &vault::VaultManager::vaultsChanged, this, [this] {
        if (const auto current = m_vaults.current())
            m_vaultStatus->setText(QStringLiteral("%1 · %2").arg(current->name, statusText(*current)));
    });

    m_sync = new SyncPresenter(m_vaults, this);
    m_syncUi = new SyncUi(m_vaults, m_sync->controller(), this, bar);
    new SyncViews(this, m_vaults); // file states, cloud-only takes, offline banner
    connect(syncNow, &QAction::triggered, this, [this] { m_sync->syncNow(m_vaults.currentId()); });
    connect(m_sync, &SyncPresenter::message, this, &MainWindow::showError);
    centralLayout->insertWidget(0, new SignedOutBanner(m_vaults, m_sync, central));
    connect(m_sync, &SyncPresenter::vaultContentChanged, this, [this](const QString& id) {
        if (id == m_vaults.currentId())
            m_tree->reload();
    });
    connect(m_sync, &SyncPresenter::progress, this,
            [this](const QString& id, qint64 bytesDone, qint64 bytesTotal, int filesDone, int filesTotal) {
                if (id != m_vaults.currentId())
                    return;
                const bool busy = filesDone < filesTotal || bytesDone < bytesTotal;
                m_progress->setVisible(busy);
                m_progress->setRange(0, 1000);
                m_progress->setValue(bytesTotal > 0 ? int(1000 * bytesDone / bytesTotal)
                                                    : (filesTotal > 0 ? 1000 * filesDone / filesTotal : 0));
                m_progress->setFormat(tr("%1 of %2 files").arg(filesDone).arg(filesTotal));
            });

    restoreState();
    showVault(m_vaults.currentId());
}

MainWindow::~MainWindow() = default;

void MainWindow::restoreState()
{
    QSettings s = guiSettings(m_vaults);
    if (!restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1280, 800);
    m_outer->restoreState(s.value(QStringLiteral("window/outer")).toByteArray());
    m_content->restoreState(s.value(QStringLiteral("window/content")).toByteArray());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QSettings s = guiSettings(m_vaults);
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    if (!m_compact) {
        s.setValue(QStringLiteral("window/outer"), m_outer->saveState());
        s.setValue(QStringLiteral("window/content"), m_content->saveState());
    }
    s.sync();
    if (m_syncUi->keepRunningOnClose()) { // sync goes on; the tray icon brings the window back
        hide();
        event->ignore();
        return;
    }
    QMainWindow::closeEvent(event);
}

void MainWindow::showVault(const QString& id)
{
    const auto record = m_vaults.byId(id);
    m_tree->setVault(record ? record->path : QString(), record ? record->id : QString());
    m_mixView->showMix(record ? record->path : QString(), QString());
    setWindowTitle(record ? QStringLiteral("%1 — Muze").arg(record->name) : QStringLiteral("Muze"));
    m_vaultStatus->setText(record ? QStringLiteral("%1 · %2").arg(record->name, statusText(*record)) : QString());
}

QString MainWindow::addVault()
{
    AddVaultDialog dialog(m_defaultVaultParent, this);
    if (dialog.exec() != QDialog::Accepted)
        return {};
    const vault::VaultSpec spec = dialog.spec();
    const QByteArray password = dialog.password();
    if (password.isEmpty())
        return registerVault(spec, false);

    // Encrypted: the folder gets its identity and key ring before the vault is registered, so
    // sync never sees it without keys (and never uploads a byte in clear).
    const QString root = QFileInfo(spec.path).absoluteFilePath();
    const model::VaultStore store(root);
    auto existing = readJsonObjectFile(store.absolute(model::kVaultFile));
    const QString id = existing && isValidId(jsonString(*existing, "id")) ? jsonString(*existing, "id") : newId();
    if (Status s = store.initialize(id, spec.name); !s) {
        showError(s.errorString());
        return {};
    }
    statusBar()->showMessage(tr("Creating the encryption keys of %1…").arg(spec.name));
    QPointer<MainWindow> self(this);
    QThreadPool::globalInstance()->start([self, root, id, password, spec] {
        const Status s = crypto::initVaultEncryption(root, id, password); // Argon2id: about a second
        QMetaObject::invokeMethod(qApp, [self, s, spec] {
            if (!self)
                return;
            if (!s)
                self->showError(s.errorString());
            else
                self->registerVault(spec, true);
        }, Qt::QueuedConnection);
    });
    return id;
}

QString MainWindow::registerVault(const vault::VaultSpec& spec, bool encrypted)
{
    auto record = m_vaults.create(spec);
    if (!record) {
        showError(record.errorString());
        return {};
    }
    if (encrypted) {
        record->encrypted = true;
        if (Status s = m_vaults.update(*record); !s)
            showError(s.errorString());
    }
    if (Status s = m_vaults.setCurrent(record->id); !s)
        showError(s.errorString());
    statusBar()->showMessage(tr("Vault %1 is ready.").arg(record->name), 5000);
    return record->id;
}

void MainWindow::openVaultSettings(const QString& id)
{
    if (!m_vaults.byId(id))
        return;
    VaultSettingsDialog dialog(m_vaults, id, this);
    connect(&dialog, &VaultSettingsDialog::settingsSaved, m_sync, &SyncPresenter::reloadSettings);
    connect(&dialog, &VaultSettingsDialog::keyRotated, m_sync, &SyncPresenter::syncNow);
    connect(&dialog, &VaultSettingsDialog::dropboxSignInChanged, m_sync, &SyncPresenter::dropboxSignInChanged);
    dialog.exec();
}

void MainWindow::showError(const QString& message)
{
    qCWarning(lcGui) << message;
    statusBar()->showMessage(message, 10000);
}

void MainWindow::resizeEvent(QResizeEvent* event)
{
    QMainWindow::resizeEvent(event);
    const bool compact = width() < kCompactWidth;
    if (compact != m_compact) {
        m_compact = compact;
        m_sidebarOpenCompact = false;
        if (!compact)
            m_sidebar->show();
        applyLayout();
    }
}

void MainWindow::applyLayout()
{
    if (m_compact) {
        // Phone: the vault list is a drawer that replaces the content while open.
        m_sidebar->setVisible(m_sidebarOpenCompact);
        m_content->setVisible(!m_sidebarOpenCompact);
        m_content->setOrientation(Qt::Vertical);
        m_content->setSizes({height() / 3, 2 * height() / 3});
    } else {
        m_content->setVisible(true);
        m_content->setOrientation(Qt::Horizontal);
    }
}

} // namespace muze::gui
