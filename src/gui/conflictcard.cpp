#include "conflictcard.h"

#include <muze/util/clock.h>

#include <QButtonGroup>
#include <QFileInfo>
#include <QGridLayout>
#include <QHash>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QRadioButton>

namespace muze::gui {

namespace {

QString kindLabel(const QString& kind)
{
    if (kind == QLatin1String("mix"))
        return ConflictCard::tr("Mix");
    if (kind == QLatin1String("track"))
        return ConflictCard::tr("Track");
    if (kind == QLatin1String("project"))
        return ConflictCard::tr("Project");
    if (kind == QLatin1String("collection"))
        return ConflictCard::tr("Collection");
    if (kind == QLatin1String("vault"))
        return ConflictCard::tr("Vault");
    return ConflictCard::tr("File");
}

QString fieldLabel(const QString& field)
{
    static const QHash<QString, const char*> labels{
        {QStringLiteral("name"), QT_TRANSLATE_NOOP("muze::gui::ConflictCard", "Name")},
        {QStringLiteral("notes"), QT_TRANSLATE_NOOP("muze::gui::ConflictCard", "Notes")},
        {QStringLiteral("tags"), QT_TRANSLATE_NOOP("muze::gui::ConflictCard", "Tags")},
        {QStringLiteral("color"), QT_TRANSLATE_NOOP("muze::gui::ConflictCard", "Color")},
        {QStringLiteral("tempo"), QT_TRANSLATE_NOOP("muze::gui::ConflictCard", "Tempo (BPM)")},
        {QStringLiteral("key"), QT_TRANSLATE_NOOP("muze::gui::ConflictCard", "Key")},
        {QStringLiteral("time_signature"), QT_TRANSLATE_NOOP("muze::gui::ConflictCard", "Time signature")},
        {QStringLiteral("gain_db"), QT_TRANSLATE_NOOP("muze::gui::ConflictCard", "Volume (dB)")},
        {QStringLiteral("pan"), QT_TRANSLATE_NOOP("muze::gui::ConflictCard", "Pan")},
        {QStringLiteral("muted"), QT_TRANSLATE_NOOP("muze::gui::ConflictCard", "Mute")},
        {QStringLiteral("solo"), QT_TRANSLATE_NOOP("muze::gui::ConflictCard", "Solo")},
    };
    const auto it = labels.constFind(field);
    return it == labels.cend() ? field : ConflictCard::tr(*it);
}

QLabel* header(const QString& text, QWidget* parent)
{
    auto* l = new QLabel(text, parent);
    QFont f = l->font();
    f.setBold(true);
    l->setFont(f);
    return l;
}

QLabel* valueBox(const QString& text, bool inUse, QWidget* parent)
{
    auto* l = new QLabel(text, parent);
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    l->setFrameShape(QFrame::StyledPanel);
    l->setMargin(6);
    l->setMinimumWidth(150);
    l->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    if (inUse)
        l->setStyleSheet(QStringLiteral("QLabel { background: palette(alternate-base); border: 1px solid palette(highlight); }"));
    return l;
}

QLabel* note(const QString& text, QWidget* parent)
{
    auto* l = new QLabel(text, parent);
    l->setForegroundRole(QPalette::PlaceholderText);
    l->setWordWrap(true);
    return l;
}

QString takeText(const TakeInfo& t)
{
    const QString size = QLocale().formattedDataSize(t.bytes);
    if (t.seconds < 0)
        return ConflictCard::tr("%1 (not readable as audio)").arg(size);
    const int s = int(t.seconds + 0.5);
    return ConflictCard::tr("%1:%2 min · %3").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0')).arg(size);
}

} // namespace

ConflictCard::ConflictCard(const sync::ConflictView& view, const TakeInfo& mine, const TakeInfo& theirs, QWidget* parent)
    : QGroupBox(parent), m_view(view)
{
    setObjectName(QStringLiteral("conflictCard"));
    // Never squeezed below what it needs: the dialog scrolls instead.
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
    if (isField()) {
        setTitle(tr("%1 “%2” — %3").arg(kindLabel(view.itemKind), view.item, fieldLabel(view.fieldName)));
        setToolTip(view.path + view.field);
        buildField();
    } else {
        setTitle(tr("Take “%1” was recorded over on two devices").arg(view.item));
        buildTake(mine, theirs);
    }
}

QString ConflictCard::valueText(const Json& value)
{
    if (value.is_null())
        return tr("(removed)");
    if (value.is_string())
        return QString::fromStdString(value.get<std::string>());
    if (value.is_array() && std::all_of(value.begin(), value.end(), [](const Json& e) { return e.is_string(); })) {
        QStringList items;
        for (const Json& e : value)
            items << QString::fromStdString(e.get<std::string>());
        return items.isEmpty() ? tr("(none)") : items.join(QStringLiteral(", "));
    }
    return QString::fromStdString(value.dump());
}

QString ConflictCard::sideText(const QString& device, const QString& isoTime)
{
    const QString who = device.isEmpty() ? tr("another device") : device;
    const QDateTime t = parseIsoTimestamp(isoTime);
    if (!t.isValid())
        return who;
    return tr("%1 · %2").arg(who, QLocale().toString(t.toLocalTime(), QLocale::ShortFormat));
}

void ConflictCard::buildField()
{
    auto* grid = new QGridLayout(this);
    grid->addWidget(header(tr("Before"), this), 0, 0);
    grid->addWidget(header(tr("Mine"), this), 0, 1);
    grid->addWidget(header(tr("Theirs"), this), 0, 2);
    grid->addWidget(note(m_view.base ? tr("what both started from") : tr("no common version"), this), 1, 0);
    grid->addWidget(note(sideText(m_view.mineDevice, m_view.mineTime), this), 1, 1);
    grid->addWidget(note(sideText(m_view.theirsDevice, m_view.theirsTime), this), 1, 2);
    grid->addWidget(valueBox(m_view.base ? valueText(*m_view.base) : QStringLiteral("—"), false, this), 2, 0);
    grid->addWidget(valueBox(valueText(m_view.mine), m_view.mineAtPath, this), 2, 1);
    grid->addWidget(valueBox(valueText(m_view.theirs), !m_view.mineAtPath, this), 2, 2);
    m_mineRadio = new QRadioButton(m_view.mineAtPath ? tr("Keep mine (in use)") : tr("Keep mine"), this);
    m_mineRadio->setObjectName(QStringLiteral("keepMine"));
    m_theirsRadio = new QRadioButton(m_view.mineAtPath ? tr("Keep theirs") : tr("Keep theirs (in use)"), this);
    m_theirsRadio->setObjectName(QStringLiteral("keepTheirs"));
    auto* group = new QButtonGroup(this);
    group->addButton(m_mineRadio);
    group->addButton(m_theirsRadio);
    setChoice(m_view.mineAtPath ? sync::Choice::Mine : sync::Choice::Theirs);
    grid->addWidget(m_mineRadio, 3, 1);
    grid->addWidget(m_theirsRadio, 3, 2);
    for (int c = 0; c < 3; ++c)
        grid->setColumnStretch(c, 1);
}

void ConflictCard::buildTake(const TakeInfo& mine, const TakeInfo& theirs)
{
    auto* grid = new QGridLayout(this);
    grid->addWidget(header(m_view.mineAtPath ? tr("Mine (in use)") : tr("Mine"), this), 0, 0);
    grid->addWidget(header(m_view.mineAtPath ? tr("Theirs") : tr("Theirs (in use)"), this), 0, 1);
    grid->addWidget(note(sideText(m_view.mineDevice, m_view.mineTime), this), 1, 0);
    grid->addWidget(note(sideText(m_view.theirsDevice, m_view.theirsTime), this), 1, 1);
    grid->addWidget(valueBox(takeText(mine), m_view.mineAtPath, this), 2, 0);
    grid->addWidget(valueBox(takeText(theirs), !m_view.mineAtPath, this), 2, 1);

    m_playMine = new QPushButton(tr("▶ Play mine"), this);
    m_playMine->setObjectName(QStringLiteral("playMine"));
    m_playTheirs = new QPushButton(tr("▶ Play theirs"), this);
    m_playTheirs->setObjectName(QStringLiteral("playTheirs"));
    m_keepMine = new QPushButton(tr("Keep mine"), this);
    m_keepMine->setObjectName(QStringLiteral("keepMine"));
    m_keepTheirs = new QPushButton(tr("Keep theirs"), this);
    m_keepTheirs->setObjectName(QStringLiteral("keepTheirs"));
    m_keepBoth = new QPushButton(m_view.trackOfMix ? tr("Keep both as two tracks") : tr("Keep both files"), this);
    m_keepBoth->setObjectName(QStringLiteral("keepBoth"));
    m_keepBoth->setToolTip(m_view.trackOfMix ? tr("The other take joins the mix as a track of its own")
                                             : tr("Both files stay in the vault"));
    grid->addWidget(m_playMine, 3, 0);
    grid->addWidget(m_playTheirs, 3, 1);
    grid->addWidget(m_keepMine, 4, 0);
    grid->addWidget(m_keepTheirs, 4, 1);
    grid->addWidget(m_keepBoth, 5, 0, 1, 2);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);
    for (QPushButton* b : {m_playMine, m_playTheirs, m_keepMine, m_keepTheirs, m_keepBoth})
        b->setAutoDefault(false);
    m_playMine->setEnabled(mine.seconds >= 0);
    m_playTheirs->setEnabled(theirs.seconds >= 0);

    connect(m_playMine, &QPushButton::clicked, this, [this] { Q_EMIT playRequested(m_view.minePath, true); });
    connect(m_playTheirs, &QPushButton::clicked, this, [this] { Q_EMIT playRequested(m_view.theirsPath, false); });
    connect(m_keepMine, &QPushButton::clicked, this, [this] { Q_EMIT resolveRequested(m_view.id, sync::Choice::Mine); });
    connect(m_keepTheirs, &QPushButton::clicked, this, [this] { Q_EMIT resolveRequested(m_view.id, sync::Choice::Theirs); });
    connect(m_keepBoth, &QPushButton::clicked, this, [this] { Q_EMIT resolveRequested(m_view.id, sync::Choice::Both); });
}

sync::Choice ConflictCard::choice() const
{
    return m_mineRadio && m_mineRadio->isChecked() ? sync::Choice::Mine : sync::Choice::Theirs;
}

void ConflictCard::setChoice(sync::Choice choice)
{
    if (!m_mineRadio)
        return;
    (choice == sync::Choice::Mine ? m_mineRadio : m_theirsRadio)->setChecked(true);
}

void ConflictCard::setPlaying(bool mine, bool playing)
{
    if (!m_playMine)
        return;
    m_playMine->setText(mine && playing ? tr("■ Stop") : tr("▶ Play mine"));
    m_playTheirs->setText(!mine && playing ? tr("■ Stop") : tr("▶ Play theirs"));
}

} // namespace muze::gui
