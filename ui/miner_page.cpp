#include "ui/miner_page.h"

#include "ui/wallet_backend.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QtConcurrent/QtConcurrentRun>

namespace nesa::ui {

QString minerExplanation(const MinerStatus &s) {
  if (!s.running)
    return MinerPage::tr("The miner is off: this computer earns nothing and lends nothing.");
  if (!s.error.isEmpty())
    return MinerPage::tr("The miner runs but does not answer: %1").arg(s.error);
  if (s.paused)
    return MinerPage::tr("Paused: other programs are keeping this computer busy, and the miner "
                         "serves only while it is idle.");
  if (!s.onChain)
    return MinerPage::tr("Not earning: the miner's account %1 has no stake on chain yet. It needs "
                         "the network's minimum stake in NES, and gas money.")
        .arg(s.account);
  if (!s.registered)
    return MinerPage::tr("Not earning yet: the registry contract has not listed this miner.");
  if (s.served == 0)
    return MinerPage::tr("Waiting for work: no client has sent this miner a job yet (clients "
                         "use the registry's miners up to the price they accept).");
  if (s.earned == 0)
    return MinerPage::tr("Jobs served without pay so far: the clients' sessions have not paid "
                         "for them yet.");
  return MinerPage::tr("Earning: verified answers are paid from the clients' sessions.");
}

MinerPage::MinerPage(MinerBackend &backend, QWidget *parent) : QWidget(parent), m_backend(backend) {
  m_toggle = new QPushButton(tr("Turn the miner on"));
  m_toggle->setCheckable(true);
  m_threads = new QSpinBox;
  m_threads->setRange(0, 256);
  m_threads->setSpecialValueText(tr("every core"));
  m_backendChoice = new QComboBox;
  m_backendChoice->addItem(tr("Automatic (a GPU when there is one)"), QStringLiteral("auto"));
  m_backendChoice->addItem(tr("Processor (CPU)"), QStringLiteral("cpu"));
  m_backendChoice->addItem(tr("GPU: looking for one…"), QStringLiteral("cuda"));
  m_maxJobs = new QSpinBox;
  m_maxJobs->setObjectName(QStringLiteral("maxJobs"));
  m_maxJobs->setRange(1, 64);
  m_maxJobs->setToolTip(tr("How many jobs the miner computes at the same time: with a GPU, how "
                           "much of it the miner takes at once"));
  m_onlyWhenIdle = new QCheckBox(tr("Only while this computer is idle"));
  m_keepRunning = new QCheckBox(tr("Keep mining when the window closes"));
  m_keepRunning->setChecked(true);
  m_ledger = new QLabel;
  m_state = new QLabel;
  m_explanation = new QLabel;
  m_explanation->setWordWrap(true);
  m_stats = new QLabel;
  m_events = new QListWidget;
  m_earnings = new QLineSeries;
  auto *chart = new QChart;
  chart->addSeries(m_earnings);
  chart->legend()->hide();
  chart->setTitle(tr("Earned while this window watched (NES)"));
  auto *x = new QValueAxis, *y = new QValueAxis;
  x->setTitleText(tr("minutes"));
  x->setLabelFormat(QStringLiteral("%.1f"));
  y->setLabelFormat(QStringLiteral("%.6f"));
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  m_earnings->attachAxis(x);
  m_earnings->attachAxis(y);
  auto *view = new QChartView(chart);
  view->setMinimumHeight(200);

  auto *controls = new QHBoxLayout;
  controls->addWidget(m_toggle);
  controls->addWidget(new QLabel(tr("Threads")));
  controls->addWidget(m_threads);
  controls->addWidget(new QLabel(tr("Compute on")));
  controls->addWidget(m_backendChoice);
  controls->addStretch(1);
  auto *limits = new QHBoxLayout;
  limits->addWidget(new QLabel(tr("Jobs at a time")));
  limits->addWidget(m_maxJobs);
  limits->addWidget(m_onlyWhenIdle);
  limits->addWidget(m_keepRunning);
  limits->addStretch(1);
  auto *form = new QFormLayout;
  form->addRow(tr("State"), m_state);
  form->addRow(tr("Jobs"), m_stats);
  form->addRow(tr("On chain"), m_ledger);
  auto *layout = new QVBoxLayout(this);
  layout->addLayout(controls);
  layout->addLayout(limits);
  layout->addLayout(form);
  layout->addWidget(m_explanation);
  layout->addWidget(view, 1);
  layout->addWidget(new QLabel(tr("Recent events")));
  layout->addWidget(m_events);

  m_reading = new QFutureWatcher<MinerStatus>(this);
  m_switching = new QFutureWatcher<QString>(this);
  m_poll = new QTimer(this);
  m_poll->setInterval(5000);
  connect(m_reading, &QFutureWatcher<MinerStatus>::finished, this,
          [this] { showStatus(m_reading->result()); });
  connect(m_switching, &QFutureWatcher<QString>::finished, this, [this] {
    const QString error = m_switching->result();
    if (!error.isEmpty())
      addEvent(tr("Could not switch the miner: %1").arg(error));
    m_toggle->setEnabled(true);
    refresh();
  });
  connect(m_toggle, &QPushButton::clicked, this, &MinerPage::toggle);
  for (auto *box : {m_onlyWhenIdle, m_keepRunning})
    connect(box, &QCheckBox::toggled, this, &MinerPage::preferencesChanged);
  connect(m_backendChoice, &QComboBox::activated, this, &MinerPage::preferencesChanged);
  for (auto *number : {m_threads, m_maxJobs})
    connect(number, &QSpinBox::valueChanged, this, &MinerPage::preferencesChanged);
  // Which GPUs there are (the GPU choice is offered only when there is one).
  m_findingGpus = new QFutureWatcher<QStringList>(this);
  connect(m_findingGpus, &QFutureWatcher<QStringList>::finished, this, [this] {
    const QStringList gpus = m_findingGpus->result();
    const int index = m_backendChoice->findData(QStringLiteral("cuda"));
    m_backendChoice->setItemText(index, gpus.isEmpty() ? tr("GPU: none found on this computer")
                                                       : tr("GPU %1").arg(gpus.first()));
    if (gpus.isEmpty()) {
      if (m_backendChoice->currentIndex() == index)
        m_backendChoice->setCurrentIndex(0);
      qobject_cast<QStandardItemModel *>(m_backendChoice->model())->item(index)->setEnabled(false);
    }
  });
  MinerBackend *gpuSource = &m_backend;
  m_findingGpus->setFuture(QtConcurrent::run([gpuSource] { return gpuSource->gpus(); }));
  connect(m_poll, &QTimer::timeout, this, [this] {
    if (isVisible()) // no status reads for a page nobody looks at
      refresh();
  });
  m_startedAt = QDateTime::currentMSecsSinceEpoch();
  m_poll->start();
  refresh();
}

MinerPage::~MinerPage() {
  m_reading->waitForFinished();
  m_switching->waitForFinished();
  m_findingGpus->waitForFinished();
}

void MinerPage::setPreferences(const Config &config) {
  const QSignalBlocker threadsBlocker(m_threads), jobsBlocker(m_maxJobs);
  m_threads->setValue(config.minerThreads);
  m_maxJobs->setValue(config.minerMaxJobs);
  const int backend = m_backendChoice->findData(QString::fromStdString(config.minerBackend));
  m_backendChoice->setCurrentIndex(std::max(0, backend));
  const QSignalBlocker idleBlocker(m_onlyWhenIdle), keepBlocker(m_keepRunning);
  m_onlyWhenIdle->setChecked(config.minerOnlyWhenIdle);
  m_keepRunning->setChecked(config.minerKeepsRunning);
}

Config MinerPage::preferences(Config config) const {
  config.minerBackend = m_backendChoice->currentData().toString().toStdString();
  config.minerMaxJobs = m_maxJobs->value();
  config.minerThreads = m_threads->value();
  config.minerOnlyWhenIdle = m_onlyWhenIdle->isChecked();
  config.minerKeepsRunning = m_keepRunning->isChecked();
  return config;
}

bool MinerPage::keepsRunning() const { return m_keepRunning->isChecked(); }

void MinerPage::stopAndWait() {
  m_switching->waitForFinished();
  if (m_status.running)
    m_backend.stop();
}

QString MinerPage::ledgerText() const { return m_ledger->text(); }

QString MinerPage::stateText() const { return m_state->text(); }
QString MinerPage::explanationText() const { return m_explanation->text(); }
QString MinerPage::statsText() const { return m_stats->text(); }
int MinerPage::chartPoints() const { return static_cast<int>(m_earnings->count()); }

QStringList MinerPage::events() const {
  QStringList list;
  for (int i = 0; i < m_events->count(); ++i)
    list << m_events->item(i)->text();
  return list;
}

void MinerPage::refresh() {
  if (m_reading->isRunning() || m_switching->isRunning())
    return;
  MinerBackend *backend = &m_backend;
  m_reading->setFuture(QtConcurrent::run([backend] { return backend->status(); }));
}

void MinerPage::toggle() {
  m_toggle->setEnabled(false);
  MinerBackend *backend = &m_backend;
  const bool on = !m_status.running;
  const MinerStartOptions options{m_threads->value(), m_backendChoice->currentData().toString(),
                                  m_onlyWhenIdle->isChecked(), m_maxJobs->value()};
  addEvent(on ? tr("Starting the miner…") : tr("Stopping the miner…"));
  m_switching->setFuture(QtConcurrent::run(
      [backend, on, options] { return on ? backend->start(options) : backend->stop(); }));
}

void MinerPage::showStatus(const MinerStatus &status) {
  if (m_seen && status.running != m_status.running)
    addEvent(status.running ? tr("The miner is on.") : tr("The miner is off."));
  if (m_seen && status.served > m_status.served)
    addEvent(tr("%n job(s) served", "", static_cast<int>(status.served - m_status.served)));
  if (m_seen && status.running && m_status.running && status.paused != m_status.paused)
    addEvent(status.paused ? tr("Paused: this computer is busy.")
                           : tr("Serving again: this computer is idle."));
  m_seen = true;
  m_status = status;
  m_toggle->setChecked(status.running);
  m_toggle->setText(status.running ? tr("Turn the miner off") : tr("Turn the miner on"));
  for (QWidget *choice :
       std::initializer_list<QWidget *>{m_threads, m_backendChoice, m_maxJobs, m_onlyWhenIdle})
    choice->setEnabled(!status.running);
  m_state->setText(!status.running ? tr("off")
                   : status.paused ? tr("paused (%1)").arg(status.backend)
                                   : tr("on (%1)").arg(status.backend));
  m_ledger->setText(!status.running      ? QString()
                    : status.ledgerKnown ? tr("%1 staked, reputation %2")
                                               .arg(formatNesAmount(status.staked))
                                               .arg(status.reputation)
                                         : tr("not read from the chain yet"));
  m_stats->setText(tr("%1 served, %2 failed, %3 refused, %4 waiting; earned %5 (%6 settled)")
                       .arg(status.served)
                       .arg(status.failed)
                       .arg(status.refused)
                       .arg(status.queued)
                       .arg(formatNesAmount(status.earned), formatNesAmount(status.settled)));
  m_explanation->setText(minerExplanation(status));
  if (status.running) {
    const double minutes = (QDateTime::currentMSecsSinceEpoch() - m_startedAt) / 60000.0;
    const double nes = static_cast<double>(status.earned) / 1e6;
    m_earnings->append(minutes, nes);
    auto axes = m_earnings->attachedAxes();
    if (axes.size() == 2) {
      axes[0]->setRange(0, std::max(1.0, minutes));
      axes[1]->setRange(0, std::max(1e-6, nes * 1.2));
    }
  }
  Q_EMIT updated();
}

void MinerPage::addEvent(const QString &text) {
  m_events->insertItem(0,
                       QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss  ")) + text);
  while (m_events->count() > 50)
    delete m_events->takeItem(m_events->count() - 1);
}

} // namespace nesa::ui
