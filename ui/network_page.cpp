#include "ui/network_page.h"

#include "ui/read_only_table.h"
#include "ui/wallet_backend.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace nesa::ui {
namespace {

QString priceText(const NetworkMiner &m) {
  QString text = NetworkPage::tr("%1 µNES per job").arg(m.pricePerQuery);
  if (m.pricePerMiB > 0)
    text += NetworkPage::tr(" + %1 µNES per MiB").arg(m.pricePerMiB);
  return text;
}

QString latencyText(double ms) {
  if (ms < 0)
    return NetworkPage::tr("no answer");
  return NetworkPage::tr("%1 ms").arg(ms, 0, 'f', ms < 10 ? 1 : 0);
}

} // namespace

NetworkPage::NetworkPage(NetworkBackend &backend, QWidget *parent)
    : QWidget(parent), m_backend(backend) {
  m_node = new QLabel;
  m_node->setWordWrap(true);
  m_identity = new QLabel;
  m_identity->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_refresh = new QPushButton(tr("Refresh"));
  m_table = makeReadOnlyTable({tr("Miner"), tr("Address"), tr("Compute"), tr("Price"), tr("Stake"),
                               tr("Reputation"), tr("Latency"), tr("Jobs served")});

  auto *top = new QHBoxLayout;
  top->addWidget(m_node, 1);
  top->addWidget(m_refresh);
  auto *layout = new QVBoxLayout(this);
  layout->addLayout(top);
  layout->addWidget(m_identity);
  auto *explain = new QLabel(tr("Clients use the miners the registry contract lists, up to the "
                                "price they accept. Reputation rises with verified, paid work "
                                "and falls with wrong answers a jury confirmed, which also cost "
                                "stake. Latency is one status round trip from this computer."));
  explain->setWordWrap(true);
  layout->addWidget(explain);
  layout->addWidget(m_table, 1);

  m_reading = new QFutureWatcher<NodeStatus>(this);
  connect(m_reading, &QFutureWatcher<NodeStatus>::finished, this,
          [this] { showStatus(m_reading->result()); });
  connect(m_refresh, &QPushButton::clicked, this, &NetworkPage::refresh);
  m_poll = new QTimer(this);
  m_poll->setInterval(10000);
  connect(m_poll, &QTimer::timeout, this, [this] {
    if (isVisible())
      refresh();
  });
  m_poll->start();
  m_node->setText(tr("Reading the network's status…"));
}

NetworkPage::~NetworkPage() { m_reading->waitForFinished(); }

QString NetworkPage::nodeText() const { return m_node->text(); }

void NetworkPage::showEvent(QShowEvent *event) {
  QWidget::showEvent(event);
  refresh();
}

void NetworkPage::refresh() {
  if (m_reading->isRunning())
    return;
  m_refresh->setEnabled(false);
  m_reading->setFuture(QtConcurrent::run([this] { return m_backend.status(); }));
}

void NetworkPage::showStatus(const NodeStatus &status) {
  m_refresh->setEnabled(true);
  if (!status.error.isEmpty()) {
    m_node->setText(tr("The network cannot be reached: %1").arg(status.error));
    m_identity->clear();
    m_table->setRowCount(0);
    Q_EMIT updated();
    return;
  }
  m_node->setText(
      tr("Chain node %1 · %2 of %n registered miner(s) answering", "", status.registered)
          .arg(status.node)
          .arg(status.available));
  m_identity->setText(status.identity);
  m_table->setRowCount(static_cast<int>(status.miners.size()));
  int row = 0;
  for (const auto &m : status.miners) {
    setCell(m_table, row, 0, m.identity.left(8));
    m_table->item(row, 0)->setToolTip(m.identity);
    setCell(m_table, row, 1, m.endpoint);
    setCell(m_table, row, 2, m.backend);
    setCell(m_table, row, 3, priceText(m), true);
    setCell(m_table, row, 4, formatNesAmount(m.staked), true);
    setCell(m_table, row, 5, QString::number(m.reputation), true);
    setCell(m_table, row, 6, latencyText(m.latencyMs), true);
    setCell(m_table, row, 7, QString::number(m.jobsServed), true);
    ++row;
  }
  Q_EMIT updated();
}

} // namespace nesa::ui
