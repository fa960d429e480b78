// The audit trail: an append-only log of what was done with patient or confidential data, in an
// encrypted store, hashed into a Merkle tree whose heads are signed checkpoints.
#pragma once

#include "audit/checkpoint.h"
#include "storage/encrypted_store.h"
#include "util/result.h"
#include "util/secure_buffer.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nesa::audit {

/// One audit record. It names inputs by digest and never holds their content.
struct AuditEntry {
  std::uint64_t sequence = 0; ///< position in the log from 0 (set by the log on append)
  std::int64_t timeMs = 0;    ///< when, in milliseconds since the Unix epoch (UTC)
  std::string actor;          ///< who: the signed-in user, or the local account
  std::string action;  ///< what: analysis, export, pacs-send, wallet, key-use, policy, sign-in
  std::string subject; ///< on what: an input digest, a model, an address (never content)
  std::string outcome; ///< "ok", or why it failed or was refused
  std::string details; ///< a JSON object with the rest (level, miners, verification, cost)

  /// The bytes the tree hashes: every field, length-prefixed, in a fixed order.
  std::vector<std::uint8_t> leafBytes() const;
};

/// What verify() found. `problems` is empty when every check passed.
struct VerifyReport {
  std::uint64_t records = 0;     ///< records in the store
  std::uint64_t checkpoints = 0; ///< signed checkpoints checked (stored, witness and given)
  Hash root{};                   ///< the root over every record in the store
  std::vector<std::string> problems;

  bool intact() const { return problems.empty(); }
};

/// Which records list() returns.
struct AuditFilter {
  std::string action;       ///< only this action (empty: all)
  std::string actor;        ///< only this actor (empty: all)
  std::int64_t sinceMs = 0; ///< only records at or after this time
  std::uint64_t limit = 0;  ///< at most this many, newest last (0: all)
};

/// The audit log in `<folder>/audit.db`, with the latest signed checkpoint also kept outside the
/// store in `<folder>/audit.checkpoint` (the witness: replacing the store with an older copy no
/// longer matches it) and the log's verifier key in `<folder>/audit.pub`. Every append is one
/// transaction that adds the records and a checkpoint signed by the log's Ed25519 key, which is
/// kept inside the encrypted store. Not thread-safe; move-only.
class AuditLog {
public:
  /// Opens the log in `folder`, creating it (with a fresh signing key) when there is none.
  /// Corrupt, and nothing created, when the store is gone but its witness or key file is there.
  static Result<AuditLog> open(const std::filesystem::path &folder, const SecureBuffer &passphrase);

  AuditLog(AuditLog &&) noexcept;
  AuditLog &operator=(AuditLog &&) noexcept;
  ~AuditLog();

  /// Appends one record (its sequence is set here) and signs a checkpoint over the new size.
  Result<Checkpoint> append(AuditEntry entry);
  /// Appends records in one transaction and signs one checkpoint after the last.
  Result<Checkpoint> appendAll(std::vector<AuditEntry> entries);

  /// Records matching `filter`, oldest first.
  Result<std::vector<AuditEntry>> list(const AuditFilter &filter = {});

  /// Re-hashes every record and checks: sequence numbers without gaps, every stored checkpoint's
  /// signature and root, the latest checkpoint covering every record, the witness and key files,
  /// and each of `extraCheckpoints` (signed notes an auditor kept, such as those shipped to
  /// syslog). `trustedKey` (a verifier key string an auditor kept) must then be the store's, and
  /// the outside checkpoints must carry its signature; empty: the store's own key.
  Result<VerifyReport> verify(const std::vector<std::string> &extraCheckpoints = {},
                              const std::string &trustedKey = {});

  /// Whether the log takes more records: not when its stored state disagrees with its latest
  /// checkpoint or with the witness (`nesa audit verify` says what changed).
  bool appendable() const;

  /// An inclusion proof for record `sequence` against the latest checkpoint.
  Result<std::vector<Hash>> proveInclusion(std::uint64_t sequence);

  /// The latest signed checkpoint (a C2SP signed note); empty for a log without records.
  std::string latestCheckpoint() const;
  /// The key that signs this log's checkpoints.
  const VerifierKey &verifierKey() const;
  /// Records in the log.
  std::uint64_t size() const;

  /// The store's schema (for tools and tests that read the store's tables directly).
  static const storage::Schema &schema();

  /// The files of the log in `folder`.
  static std::filesystem::path storePath(const std::filesystem::path &folder);
  static std::filesystem::path witnessPath(const std::filesystem::path &folder);
  static std::filesystem::path verifierKeyPath(const std::filesystem::path &folder);

private:
  struct State;
  explicit AuditLog(std::unique_ptr<State> state);
  std::unique_ptr<State> m_state;
};

} // namespace nesa::audit
