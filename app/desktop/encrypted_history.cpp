#include "encrypted_history.h"

#include "policy/enforcement.h"
#include "storage/encrypted_store.h"

#include <QCoreApplication>

namespace nesa::app {
namespace {

const storage::Schema &historySchema() {
  static const storage::Schema schema = {
      {1, "create the analyses table",
       "CREATE TABLE analyses ("
       " id INTEGER PRIMARY KEY AUTOINCREMENT,"
       " finished_at TEXT NOT NULL,"
       " input TEXT NOT NULL, model TEXT NOT NULL, level TEXT NOT NULL,"
       " ok INTEGER NOT NULL, summary TEXT NOT NULL, receipt TEXT NOT NULL,"
       " cost_nes REAL NOT NULL, miners TEXT NOT NULL);"},
  };
  return schema;
}

QString text(const Error &error) { return QString::fromStdString(error.message); }

QString notOpen() { return QCoreApplication::translate("HistoryPage", "the history is locked"); }

std::string utf8(const QString &s) { return s.toStdString(); }
QString fromUtf8(const std::string &s) { return QString::fromStdString(s); }

} // namespace

EncryptedHistory::EncryptedHistory(std::filesystem::path file, bool testKdf, Rules rules)
    : m_file(std::move(file)), m_testKdf(testKdf), m_rules(std::move(rules)) {
  if (!m_rules)
    m_rules = [] { return policy::Enforcement::installed().storage(); };
}

EncryptedHistory::~EncryptedHistory() = default;

QString EncryptedHistory::open(const QString &passphrase) {
  std::lock_guard lock(m_mutex);
  const QByteArray bytes = passphrase.toUtf8();
  auto secret = SecureBuffer::copyOf(std::string_view(bytes.constData(), bytes.size()));
  if (!secret)
    return text(secret.error());
  std::error_code ec;
  auto store = std::filesystem::exists(m_file, ec)
                   ? storage::EncryptedStore::open(m_file, *secret, historySchema())
                   : storage::EncryptedStore::create(m_file, *secret, historySchema(),
                                                     m_testKdf ? storage::KdfParams::forTestsOnly()
                                                               : storage::KdfParams{});
  if (!store)
    return store.error().code == ErrorCode::WrongPassphrase
               ? QCoreApplication::translate("HistoryPage",
                                             "the passphrase does not open the history")
               : text(store.error());
  // Deleted records are overwritten on disk, not only unlinked from the tree.
  if (auto secure = store->execute("PRAGMA secure_delete = ON;"); !secure)
    return text(secure.error());
  m_store = std::make_unique<storage::EncryptedStore>(std::move(*store));
  return forgetOlderThan(m_rules().historyDays);
}

QString EncryptedHistory::forgetOlderThan(std::uint32_t days) {
  if (days == 0 || !m_store)
    return {};
  const QString cutoff =
      QDateTime::currentDateTimeUtc().addDays(-static_cast<qint64>(days)).toString(Qt::ISODate);
  auto statement = m_store->prepare("DELETE FROM analyses WHERE finished_at < ?");
  if (!statement)
    return text(statement.error());
  statement->bind(1, utf8(cutoff));
  if (auto done = statement->run(); !done)
    return text(done.error());
  return {};
}

void EncryptedHistory::close() {
  std::lock_guard lock(m_mutex);
  m_store.reset();
}

bool EncryptedHistory::isOpen() {
  std::lock_guard lock(m_mutex);
  return m_store != nullptr;
}

std::vector<ui::AnalysisRecord> EncryptedHistory::list(const QString &search) {
  std::lock_guard lock(m_mutex);
  std::vector<ui::AnalysisRecord> records;
  if (!m_store)
    return records;
  // instr(lower(...)) rather than LIKE: a search for "50%" or "_" means those characters.
  auto statement = m_store->prepare(
      "SELECT id, finished_at, input, model, level, ok, summary, receipt, cost_nes, miners "
      "FROM analyses WHERE ?1 = '' OR instr(lower(input || ' ' || model || ' ' || level || ' ' "
      "|| summary || ' ' || receipt), lower(?1)) > 0 ORDER BY id DESC");
  if (!statement)
    return records;
  statement->bind(1, utf8(search.trimmed()));
  while (true) {
    auto row = statement->step();
    if (!row || !*row)
      break;
    ui::AnalysisRecord r;
    r.id = statement->columnInt64(0);
    r.finishedAt = QDateTime::fromString(fromUtf8(statement->columnText(1)), Qt::ISODate);
    r.input = fromUtf8(statement->columnText(2));
    r.model = fromUtf8(statement->columnText(3));
    r.level = fromUtf8(statement->columnText(4));
    r.ok = statement->columnInt64(5) != 0;
    r.summary = fromUtf8(statement->columnText(6));
    r.receipt = fromUtf8(statement->columnText(7));
    r.costNes = statement->columnDouble(8);
    r.miners = fromUtf8(statement->columnText(9)).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    records.push_back(std::move(r));
  }
  return records;
}

QString EncryptedHistory::add(const ui::AnalysisRecord &record) {
  std::lock_guard lock(m_mutex);
  if (!m_store)
    return notOpen();
  const policy::Storage rules = m_rules();
  if (rules.history == policy::HistoryKeeps::Nothing)
    return {}; // the organisation keeps no history here: nothing to write, nothing went wrong
  // Reports only: neither the input's path nor a failed run's message, which often quotes it.
  const bool reportsOnly = rules.history == policy::HistoryKeeps::Reports;
  const QString input =
      reportsOnly
          ? QCoreApplication::translate("HistoryPage", "(input not kept: organisation's policy)")
          : record.input;
  const QString summary =
      reportsOnly && !record.ok
          ? QCoreApplication::translate("HistoryPage", "(the run failed; its message is not kept: "
                                                       "organisation's policy)")
          : record.summary;
  auto statement = m_store->prepare(
      "INSERT INTO analyses (finished_at, input, model, level, ok, summary, receipt, cost_nes, "
      "miners) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!statement)
    return text(statement.error());
  statement->bind(1, utf8(record.finishedAt.toUTC().toString(Qt::ISODate)))
      .bind(2, utf8(input))
      .bind(3, utf8(record.model))
      .bind(4, utf8(record.level))
      .bind(5, std::int64_t{record.ok ? 1 : 0})
      .bind(6, utf8(summary))
      .bind(7, utf8(record.receipt))
      .bind(8, record.costNes)
      .bind(9, utf8(record.miners.join(QLatin1Char('\n'))));
  if (auto done = statement->run(); !done)
    return text(done.error());
  return forgetOlderThan(rules.historyDays);
}

QString EncryptedHistory::remove(std::int64_t id) {
  std::lock_guard lock(m_mutex);
  if (!m_store)
    return notOpen();
  auto statement = m_store->prepare("DELETE FROM analyses WHERE id = ?");
  if (!statement)
    return text(statement.error());
  statement->bind(1, id);
  if (auto done = statement->run(); !done)
    return text(done.error());
  return {};
}

} // namespace nesa::app
