#include "audit/audit_log.h"

#include "util/atomic_file.h"
#include "util/file_lock.h"

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <thread>

namespace nesa::audit {
namespace fs = std::filesystem;

namespace {

const storage::Schema kSchema{
    {1, "create the audit log",
     "CREATE TABLE records (seq INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL,"
     " actor TEXT NOT NULL, action TEXT NOT NULL, subject TEXT NOT NULL,"
     " outcome TEXT NOT NULL, details TEXT NOT NULL);"
     "CREATE INDEX records_by_action ON records(action, seq);"
     "CREATE TABLE checkpoints (size INTEGER PRIMARY KEY, note TEXT NOT NULL);"
     "CREATE TABLE log_key (id INTEGER PRIMARY KEY CHECK (id = 1), origin TEXT NOT NULL,"
     " secret BLOB NOT NULL);"
     "CREATE TABLE frontier (id INTEGER PRIMARY KEY CHECK (id = 1), bytes BLOB NOT NULL);"}};

constexpr const char *kSelectRecords =
    "SELECT seq, time_ms, actor, action, subject, outcome, details FROM records";

void putU64(std::vector<std::uint8_t> &out, std::uint64_t value) {
  for (int i = 0; i < 8; ++i)
    out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

void putText(std::vector<std::uint8_t> &out, const std::string &text) {
  const auto length = static_cast<std::uint32_t>(text.size());
  for (int i = 0; i < 4; ++i)
    out.push_back(static_cast<std::uint8_t>(length >> (8 * i)));
  out.insert(out.end(), text.begin(), text.end());
}

AuditEntry readEntry(const storage::Statement &row) {
  AuditEntry entry;
  entry.sequence = static_cast<std::uint64_t>(row.columnInt64(0));
  entry.timeMs = row.columnInt64(1);
  entry.actor = row.columnText(2);
  entry.action = row.columnText(3);
  entry.subject = row.columnText(4);
  entry.outcome = row.columnText(5);
  entry.details = row.columnText(6);
  return entry;
}

// A fresh log's origin: the signed-note name its checkpoints carry.
std::string freshOrigin() {
  std::array<std::uint8_t, 8> id{};
  randombytes_buf(id.data(), id.size());
  std::array<char, 17> hex{};
  sodium_bin2hex(hex.data(), hex.size(), id.data(), id.size());
  return std::string("nesa.ai/audit/") + hex.data();
}

std::string readWholeFile(const fs::path &file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string label(std::uint64_t size) { return std::to_string(size) + " records"; }

// Steps `rows` to its end, handing each row to `visit`.
Result<void> forEachRow(storage::Statement &rows,
                        const std::function<void(const storage::Statement &)> &visit) {
  while (true) {
    auto more = rows.step();
    if (!more)
      return more.error();
    if (!*more)
      return {};
    visit(rows);
  }
}

// One process at a time appends or verifies: waits up to a minute for the others.
Result<FileLock> lockLog(const fs::path &folder) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (true) {
    auto lock = FileLock::acquire(folder / ".lock", "another program writing the audit log");
    if (lock || lock.error().code != ErrorCode::Unavailable ||
        std::chrono::steady_clock::now() > deadline)
      return lock;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

} // namespace

std::vector<std::uint8_t> AuditEntry::leafBytes() const {
  std::vector<std::uint8_t> out;
  out.reserve(16 + 5 * 4 + actor.size() + action.size() + subject.size() + outcome.size() +
              details.size());
  putU64(out, sequence);
  putU64(out, static_cast<std::uint64_t>(timeMs));
  for (const std::string *text : {&actor, &action, &subject, &outcome, &details})
    putText(out, *text);
  return out;
}

struct AuditLog::State {
  fs::path folder;
  storage::EncryptedStore store;
  SignerKey key;
  TreeFrontier frontier;
  std::string latest;     ///< the latest signed checkpoint
  bool appendable = true; ///< false when the stored tree state disagrees with that checkpoint

  /// Reads the tree state and the latest checkpoint again (another process may have appended)
  /// and decides whether the log may take more records: its tree state must extend exactly its
  /// latest signed checkpoint, and the witness beside it must not vouch for more or other
  /// records (an older copy of the store put back), nor be missing once there are records.
  Result<void> reload() {
    frontier = TreeFrontier{};
    latest.clear();
    auto frontierRow = store.prepare("SELECT bytes FROM frontier WHERE id = 1;");
    if (!frontierRow)
      return frontierRow.error();
    auto hasFrontier = frontierRow->step();
    if (!hasFrontier)
      return hasFrontier.error();
    const bool frontierRead = !*hasFrontier || frontier.deserialize(frontierRow->columnBlob(0));
    auto latestRow = store.prepare("SELECT note FROM checkpoints ORDER BY size DESC LIMIT 1;");
    if (!latestRow)
      return latestRow.error();
    auto hasLatest = latestRow->step();
    if (!hasLatest)
      return hasLatest.error();
    if (*hasLatest)
      latest = latestRow->columnText(0);
    auto latestCheckpoint = latest.empty()
                                ? Result<Checkpoint>(Checkpoint{key.verifier.name, 0, emptyRoot()})
                                : openCheckpoint(latest, key.verifier);
    appendable = frontierRead && latestCheckpoint && latestCheckpoint->size == frontier.size() &&
                 latestCheckpoint->root == frontier.root();
    const fs::path witness = witnessPath(folder);
    if (appendable && fs::exists(witness)) {
      auto vouched = openCheckpoint(readWholeFile(witness), key.verifier);
      appendable =
          vouched && (vouched->size < frontier.size() ||
                      (vouched->size == frontier.size() && vouched->root == frontier.root()));
    } else if (appendable && frontier.size() > 0) {
      appendable = false; // records, but the witness is gone
    }
    return {};
  }

  // Everything in the store, as leaf hashes in sequence order (for proofs).
  Result<std::vector<Hash>> leafHashes() {
    auto rows = store.prepare(std::string(kSelectRecords) + " ORDER BY seq;");
    if (!rows)
      return rows.error();
    std::vector<Hash> leaves;
    if (auto read = forEachRow(*rows,
                               [&](const storage::Statement &row) {
                                 leaves.push_back(leafHash(readEntry(row).leafBytes()));
                               });
        !read)
      return read.error();
    return leaves;
  }
};

AuditLog::AuditLog(std::unique_ptr<State> state) : m_state(std::move(state)) {}
AuditLog::AuditLog(AuditLog &&) noexcept = default;
AuditLog &AuditLog::operator=(AuditLog &&) noexcept = default;
AuditLog::~AuditLog() = default;

const storage::Schema &AuditLog::schema() { return kSchema; }

fs::path AuditLog::storePath(const fs::path &folder) { return folder / "audit.db"; }
fs::path AuditLog::witnessPath(const fs::path &folder) { return folder / "audit.checkpoint"; }
fs::path AuditLog::verifierKeyPath(const fs::path &folder) { return folder / "audit.pub"; }

Result<AuditLog> AuditLog::open(const fs::path &folder, const SecureBuffer &passphrase) {
  std::error_code ec;
  fs::create_directories(folder, ec);
  auto lock = lockLog(folder);
  if (!lock)
    return lock.error();
  const fs::path path = storePath(folder);
  const bool creating = !fs::exists(path);
  if (creating && (fs::exists(witnessPath(folder)) || fs::exists(verifierKeyPath(folder))))
    return fail(
        ErrorCode::Corrupt,
        "the audit log " + path.string() +
            " is gone but its checkpoint and key files are "
            "still there: it was deleted or moved, and a new one is not started in its place");
  auto store = creating ? storage::EncryptedStore::create(path, passphrase, kSchema)
                        : storage::EncryptedStore::open(path, passphrase, kSchema);
  if (!store)
    return store.error();
  auto state = std::make_unique<State>(State{folder, std::move(*store), {}, {}, {}, true});

  if (creating) {
    auto key = SignerKey::generate(freshOrigin());
    if (!key)
      return key.error();
    auto insert =
        state->store.prepare("INSERT INTO log_key (id, origin, secret) VALUES (1, ?, ?);");
    if (!insert)
      return insert.error();
    if (auto ran = insert->bind(1, key->verifier.name)
                       .bindBlob(2, {key->secretKey.data(), key->secretKey.size()})
                       .run();
        !ran)
      return ran.error();
    state->key = std::move(*key);
    if (auto written =
            writeFileAtomically(verifierKeyPath(folder), state->key.verifier.toString() + "\n");
        !written)
      return written.error();
    return AuditLog(std::move(state));
  }

  auto keyRow = state->store.prepare("SELECT origin, secret FROM log_key WHERE id = 1;");
  if (!keyRow)
    return keyRow.error();
  auto found = keyRow->step();
  if (!found)
    return found.error();
  if (!*found)
    return fail(ErrorCode::Corrupt, "the audit log in " + path.string() + " has no signing key");
  auto secret = keyRow->columnSecret(1);
  if (!secret)
    return secret.error();
  auto key = SignerKey::fromSecret(keyRow->columnText(0), *secret);
  if (!key)
    return key.error();
  state->key = std::move(*key);

  if (auto loaded = state->reload(); !loaded)
    return loaded.error();
  return AuditLog(std::move(state));
}

Result<Checkpoint> AuditLog::append(AuditEntry entry) {
  std::vector<AuditEntry> one;
  one.push_back(std::move(entry));
  return appendAll(std::move(one));
}

Result<Checkpoint> AuditLog::appendAll(std::vector<AuditEntry> entries) {
  State &s = *m_state;
  auto lock = lockLog(s.folder);
  if (!lock)
    return lock.error();
  if (auto loaded = s.reload(); !loaded)
    return loaded.error();
  if (!s.appendable)
    return fail(ErrorCode::Corrupt, "the audit log in " + storePath(s.folder).string() +
                                        " was changed outside Nesa and takes no more records; "
                                        "`nesa audit verify` says what changed");
  TreeFrontier frontier = s.frontier;
  std::string note;
  Checkpoint checkpoint;
  auto done = s.store.transaction([&]() -> Result<void> {
    auto insert = s.store.prepare(
        "INSERT INTO records (seq, time_ms, actor, action, subject, outcome, details)"
        " VALUES (?, ?, ?, ?, ?, ?, ?);");
    if (!insert)
      return insert.error();
    for (AuditEntry &entry : entries) {
      entry.sequence = frontier.size();
      insert->reset();
      auto ran = insert->bind(1, static_cast<std::int64_t>(entry.sequence))
                     .bind(2, entry.timeMs)
                     .bind(3, entry.actor)
                     .bind(4, entry.action)
                     .bind(5, entry.subject)
                     .bind(6, entry.outcome)
                     .bind(7, entry.details)
                     .run();
      if (!ran)
        return ran;
      frontier.append(leafHash(entry.leafBytes()));
    }
    checkpoint = Checkpoint{s.key.verifier.name, frontier.size(), frontier.root()};
    auto signedNote = signCheckpoint(checkpoint, s.key);
    if (!signedNote)
      return signedNote.error();
    note = std::move(*signedNote);
    auto saveCheckpoint =
        s.store.prepare("INSERT OR REPLACE INTO checkpoints (size, note) VALUES (?, ?);");
    if (!saveCheckpoint)
      return saveCheckpoint.error();
    if (auto ran =
            saveCheckpoint->bind(1, static_cast<std::int64_t>(frontier.size())).bind(2, note).run();
        !ran)
      return ran;
    auto saveFrontier =
        s.store.prepare("INSERT OR REPLACE INTO frontier (id, bytes) VALUES (1, ?);");
    if (!saveFrontier)
      return saveFrontier.error();
    return saveFrontier->bindBlob(1, frontier.serialize()).run();
  });
  if (!done)
    return done.error();
  s.frontier = frontier;
  s.latest = note;
  if (auto written = writeFileAtomically(witnessPath(s.folder), note); !written)
    return written.error();
  return checkpoint;
}

Result<std::vector<AuditEntry>> AuditLog::list(const AuditFilter &filter) {
  std::string sql = std::string(kSelectRecords) +
                    " WHERE (?1 = '' OR action = ?1) AND (?2 = '' OR actor = ?2)"
                    " AND time_ms >= ?3 ORDER BY seq DESC";
  if (filter.limit > 0)
    sql += " LIMIT " + std::to_string(filter.limit);
  auto rows = m_state->store.prepare(sql + ";");
  if (!rows)
    return rows.error();
  rows->bind(1, filter.action).bind(2, filter.actor).bind(3, filter.sinceMs);
  std::vector<AuditEntry> out;
  if (auto read =
          forEachRow(*rows, [&](const storage::Statement &row) { out.push_back(readEntry(row)); });
      !read)
    return read.error();
  std::reverse(out.begin(), out.end());
  return out;
}

Result<VerifyReport> AuditLog::verify(const std::vector<std::string> &extraCheckpoints,
                                      const std::string &trustedKey) {
  State &s = *m_state;
  auto lock = lockLog(s.folder); // no append between the reads below
  if (!lock)
    return lock.error();
  VerifyReport report;
  const VerifierKey &key = s.key.verifier;

  // The key an auditor trusts, else the one published beside the store, must be the store's.
  VerifierKey trusted = key;
  if (!trustedKey.empty()) {
    auto parsed = VerifierKey::parse(trustedKey);
    if (!parsed)
      return parsed.error();
    trusted = *parsed;
    if (trustedKey != key.toString())
      report.problems.push_back("the store signs with a different key than the one given: the "
                                "store was replaced or rebuilt");
  }
  const fs::path publishedKey = verifierKeyPath(s.folder);
  std::string published = fs::exists(publishedKey) ? readWholeFile(publishedKey) : "";
  while (!published.empty() && (published.back() == '\n' || published.back() == '\r'))
    published.pop_back();
  if (published.empty())
    report.problems.push_back(publishedKey.string() + " is missing: it was deleted");
  else if (published != key.toString())
    report.problems.push_back("the store signs with a different key than " + publishedKey.string() +
                              " names: the store was replaced");

  // Every signed statement about a size: where it came from and the root it vouches for.
  struct Claim {
    std::string source;
    bool stored = false; ///< one of the store's own checkpoints
    Hash root{};
  };
  std::multimap<std::uint64_t, Claim> claims;
  std::uint64_t latestStored = 0;
  auto stored = s.store.prepare("SELECT size, note FROM checkpoints ORDER BY size;");
  if (!stored)
    return stored.error();
  if (auto read = forEachRow(*stored,
                             [&](const storage::Statement &row) {
                               const auto size = static_cast<std::uint64_t>(row.columnInt64(0));
                               auto checkpoint = openCheckpoint(row.columnText(1), key);
                               ++report.checkpoints;
                               if (!checkpoint || checkpoint->size != size) {
                                 report.problems.push_back(
                                     "the stored checkpoint at " + label(size) +
                                     " is not signed by this log's key: it was forged or edited");
                                 return;
                               }
                               claims.emplace(size, Claim{"the checkpoint signed at " + label(size),
                                                          true, checkpoint->root});
                               latestStored = std::max(latestStored, size);
                             });
      !read)
    return read.error();
  auto addOutside = [&](const std::string &note, const std::string &where) {
    ++report.checkpoints;
    auto checkpoint = openCheckpoint(note, trusted);
    if (!checkpoint) {
      report.problems.push_back(where + ": " + checkpoint.error().message);
      return;
    }
    claims.emplace(checkpoint->size,
                   Claim{where + " (" + label(checkpoint->size) + ")", false, checkpoint->root});
  };
  if (const fs::path witness = witnessPath(s.folder); fs::exists(witness))
    addOutside(readWholeFile(witness), "the witness " + witness.string());
  else if (latestStored > 0)
    report.problems.push_back("the witness " + witness.string() +
                              " is missing: it was deleted (an older copy of the store can no "
                              "longer be told from this one)");
  for (std::size_t i = 0; i < extraCheckpoints.size(); ++i)
    addOutside(extraCheckpoints[i], "given checkpoint " + std::to_string(i + 1));

  // One pass over the records: gaps, and the root at every size a checkpoint speaks of. Only
  // the first of the store's own checkpoints that fails is reported (the later ones fail with
  // it); every outside checkpoint is.
  auto rows = s.store.prepare(std::string(kSelectRecords) + " ORDER BY seq;");
  if (!rows)
    return rows.error();
  TreeFrontier frontier;
  std::uint64_t expected = 0; // the sequence number the next row should carry
  std::uint64_t lastGood = 0; // the largest size whose checkpoints all matched
  std::uint64_t laterStoredFailures = 0;
  bool storedFailed = false;
  auto checkClaimsAt = [&](std::uint64_t size) {
    const auto [first, last] = claims.equal_range(size);
    bool allMatched = true;
    for (auto it = first; it != last; ++it) {
      if (it->second.root == frontier.root())
        continue;
      allMatched = false;
      if (it->second.stored && storedFailed) {
        ++laterStoredFailures;
        continue;
      }
      storedFailed = storedFailed || it->second.stored;
      report.problems.push_back(
          size == 0 ? it->second.source + " names an empty log with a root that is not the empty "
                                          "tree's: it is forged"
                    : it->second.source + " does not match the records: a record among " +
                          std::to_string(lastGood) + "–" + std::to_string(size - 1) +
                          " was edited, deleted, inserted or reordered after it was signed");
    }
    if (allMatched)
      lastGood = size;
  };
  checkClaimsAt(0);
  if (auto read = forEachRow(*rows,
                             [&](const storage::Statement &row) {
                               const AuditEntry entry = readEntry(row);
                               if (entry.sequence != expected)
                                 report.problems.push_back(
                                     "records " + std::to_string(expected) + "–" +
                                     std::to_string(entry.sequence - 1) + " are missing (deleted)");
                               expected = entry.sequence + 1;
                               frontier.append(leafHash(entry.leafBytes()));
                               checkClaimsAt(frontier.size());
                             });
      !read)
    return read.error();
  if (laterStoredFailures > 0)
    report.problems.push_back(std::to_string(laterStoredFailures) +
                              " later stored checkpoints do not match either");
  report.records = frontier.size();
  report.root = frontier.root();
  for (auto it = claims.upper_bound(report.records); it != claims.end(); ++it)
    report.problems.push_back(
        it->second.source + " vouches for more records than the store holds (" +
        label(report.records) +
        "): records were deleted or the store was rolled back to an older copy");
  if (latestStored < report.records)
    report.problems.push_back("records " + std::to_string(latestStored) + "–" +
                              std::to_string(report.records - 1) +
                              " are not covered by any signed checkpoint: they were added behind "
                              "the log's back");
  return report;
}

Result<std::vector<Hash>> AuditLog::proveInclusion(std::uint64_t sequence) {
  State &s = *m_state;
  if (s.latest.empty())
    return fail(ErrorCode::NotFound, "the audit log has no records yet");
  auto checkpoint = openCheckpoint(s.latest, s.key.verifier);
  if (!checkpoint)
    return checkpoint.error();
  if (sequence >= checkpoint->size)
    return fail(ErrorCode::NotFound, "the latest checkpoint covers records 0–" +
                                         std::to_string(checkpoint->size - 1) + ", not " +
                                         std::to_string(sequence));
  auto leaves = s.leafHashes();
  if (!leaves)
    return leaves.error();
  if (leaves->size() < checkpoint->size)
    return fail(ErrorCode::Corrupt, "the audit log holds fewer records than its latest "
                                    "checkpoint: run nesa audit verify");
  leaves->resize(checkpoint->size);
  return inclusionProof(*leaves, sequence);
}

bool AuditLog::appendable() const { return m_state->appendable; }
std::string AuditLog::latestCheckpoint() const { return m_state->latest; }
const VerifierKey &AuditLog::verifierKey() const { return m_state->key.verifier; }
std::uint64_t AuditLog::size() const { return m_state->frontier.size(); }

} // namespace nesa::audit
