#include "historyab.h"

#include "background.h"
#include "versionaudio.h"

#include <muze/audio/player.h>

#include <QButtonGroup>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QVBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTimer>

namespace muze::gui {

namespace {

QString clockText(qint64 frames, int rate)
{
    const qint64 s = rate > 0 ? frames / rate : 0;
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

struct Prepared {
    Result<audio::MixSpec> current = makeError(QStringLiteral("not prepared"));
    Result<audio::MixSpec> other = makeError(QStringLiteral("not prepared"));
};

} // namespace

HistoryAbControl::HistoryAbControl(vault::VaultRecord vault, QString mixFile, QWidget* parent)
    : QWidget(parent)
    , m_vault(std::move(vault))
    , m_file(std::move(mixFile))
    , m_player(new audio::Player(this))
{
    setObjectName(QStringLiteral("historyAb"));
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    auto* row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    auto* title = new QLabel(tr("Compare by ear:"), this);
    m_play = new QPushButton(tr("Play"), this);
    m_play->setObjectName(QStringLiteral("abPlay"));
    m_a = new QPushButton(tr("A: current"), this);
    m_a->setObjectName(QStringLiteral("abCurrent"));
    m_b = new QPushButton(tr("B: —"), this);
    m_b->setObjectName(QStringLiteral("abVersion"));
    for (QPushButton* b : {m_a, m_b})
        b->setCheckable(true);
    m_a->setChecked(true);
    auto* group = new QButtonGroup(this);
    group->addButton(m_a);
    group->addButton(m_b);
    group->setExclusive(true);
    m_position = new QLabel(QStringLiteral("0:00 / 0:00"), this);
    m_position->setObjectName(QStringLiteral("abPosition"));
    m_state = new QLabel(tr("Select an earlier version to compare it with the current mix."), this);
    m_state->setObjectName(QStringLiteral("abState"));
    // Three lines, so the control fits a 360 px phone: what it is, the buttons, then where it is and why.
    m_state->setWordWrap(true);
    column->addWidget(title);
    row->addWidget(m_play);
    row->addWidget(m_a);
    row->addWidget(m_b);
    row->addStretch(1);
    auto* second = new QHBoxLayout;
    second->setContentsMargins(0, 0, 0, 0);
    second->addWidget(m_position, 0, Qt::AlignTop);
    second->addWidget(m_state, 1);
    column->addLayout(row);
    column->addLayout(second);
    for (QPushButton* b : {m_play, m_a, m_b})
        b->setEnabled(false);

    connect(m_a, &QPushButton::clicked, this, [this] { hear(false); });
    connect(m_b, &QPushButton::clicked, this, [this] { hear(true); });
    connect(m_play, &QPushButton::clicked, this, [this] {
        if (m_player->isPlaying() || m_player->isStarting()) {
            m_player->stop(); // also cancels a start under way
            return;
        }
        if (Status s = m_player->play(); !s)
            m_state->setText(tr("Cannot play: %1").arg(s.errorString()));
    });
    connect(m_player, &audio::Player::startFailed, this,
        [this](const Error& e) { m_state->setText(tr("Cannot play: %1").arg(e.message)); });
    connect(m_player, &audio::Player::playingChanged, this,
        [this](bool playing) { m_play->setText(playing ? tr("Stop") : tr("Play")); });
    connect(m_player, &audio::Player::failed, this,
        [this](const QString& message) { m_state->setText(tr("Playback stopped: %1").arg(message)); });
    m_timer = new QTimer(this);
    m_timer->setInterval(100);
    connect(m_timer, &QTimer::timeout, this, &HistoryAbControl::updatePosition);
    m_timer->start();
}

HistoryAbControl::~HistoryAbControl() = default;

void HistoryAbControl::setOutputDevice(const QString& device)
{
    m_player->setOutputDevice(device);
}

void HistoryAbControl::hear(bool other)
{
    m_player->hearOther(other);
    m_a->setChecked(!other);
    m_b->setChecked(other);
}

void HistoryAbControl::updatePosition()
{
    const int rate = m_player->sampleRate();
    m_position->setText(QStringLiteral("%1 / %2").arg(clockText(m_player->position(), rate),
        clockText(m_player->length(), rate)));
}

void HistoryAbControl::setVersion(const sync::ItemVersion& v)
{
    const int generation = ++m_generation;
    m_ready = false;
    m_player->stop();
    for (QPushButton* b : {m_play, m_a, m_b})
        b->setEnabled(false);
    m_b->setText(tr("B: version %1").arg(v.number));
    m_state->setText(tr("Preparing version %1…").arg(v.number));
    const vault::VaultRecord vault = m_vault;
    const QString file = m_file;
    const Json doc = v.doc;
    const int number = v.number;
    runInBackground(
        this,
        [vault, file, doc] {
            Prepared p;
            p.current = audio::loadMixSpec(vault.path, QFileInfo(file).completeBaseName());
            auto access = sync::HistoryAccess::open(vault);
            if (!access)
                p.other = access.error();
            else
                p.other = versionMixSpec(*access, file, doc);
            return p;
        },
        [this, generation, number](Prepared p) {
            if (generation != m_generation)
                return; // another version was chosen meanwhile
            Status s = !p.current ? Status(p.current.error())
                : !p.other        ? Status(p.other.error())
                                  : m_player->loadComparison(*p.current, *p.other);
            if (!s) {
                m_state->setText(tr("Version %1 cannot be played: %2").arg(number).arg(s.errorString()));
                Q_EMIT prepared(s.errorString());
                return;
            }
            m_ready = true;
            for (QPushButton* b : {m_play, m_a, m_b})
                b->setEnabled(true);
            hear(m_b->isChecked());
            m_state->setText(tr("A is the mix as it is now, B is version %1: switch while it plays.").arg(number));
            updatePosition();
            Q_EMIT prepared({});
        });
}

} // namespace muze::gui
