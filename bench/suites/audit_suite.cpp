// audit: what the tamper-evident log costs over plain BLAKE2b hashing of the same records. The
// baseline hashes each record once per pass (at append, and again at verification), which is
// what a plain list of record digests would cost; the candidate adds the Merkle tree's inner
// nodes, the checkpoint's Ed25519 signature and its check.
#include "audit/audit_log.h"
#include "audit/checkpoint.h"
#include "audit/merkle.h"
#include "harness.h"
#include "suites/or_die.h"
#include "suites/suites.h"

#include <sodium.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <vector>

namespace nesa::bench {
namespace {

namespace fs = std::filesystem;
using audit::AuditEntry;
using audit::Hash;

constexpr int kRecords = 100'000;

template <typename T> T orDie(Result<T> result, const char *what) {
  return bench::orDie(std::move(result), "audit", what);
}

// Records shaped like an analysis's: an actor, a digest, a model and a few numbers (≈ 300 bytes).
std::vector<AuditEntry> makeRecords() {
  std::vector<AuditEntry> records(kRecords);
  for (int i = 0; i < kRecords; ++i) {
    AuditEntry &e = records[static_cast<std::size_t>(i)];
    e.sequence = static_cast<std::uint64_t>(i);
    e.timeMs = 1'764'000'000'000 + i * 1000LL;
    e.actor = i % 3 == 0 ? "dr.jones" : "analyst.kim";
    e.action = "analysis";
    e.subject = "blake2b-256:" + std::string(64, static_cast<char>('a' + i % 6));
    e.outcome = "ok";
    e.details = R"({"model":"brain-extraction","level":"hss","calls":14,"miners":["miner-1",)"
                R"("miner-2"],"checksPassed":28,"checksFailed":0,"bytesSent":)" +
                std::to_string(1'560'000'000 + i) + R"(,"paidMicroNes":)" +
                std::to_string(i % 997) + "}";
  }
  return records;
}

struct Fixture {
  std::vector<std::vector<std::uint8_t>> bytes; ///< each record's leaf bytes
  std::vector<AuditEntry> records;
  audit::SignerKey key;
  fs::path dir;
  SecureBuffer passphrase;
  int logs = 0;

  ~Fixture() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

std::shared_ptr<Fixture> makeFixture() {
  auto f = std::make_shared<Fixture>();
  f->records = makeRecords();
  for (const AuditEntry &record : f->records)
    f->bytes.push_back(record.leafBytes());
  f->key = orDie(audit::SignerKey::generate("nesa.ai/audit/bench"), "signing key");
  f->dir = fs::temp_directory_path() / ("nesa-bench-audit-" + std::to_string(::getpid()));
  fs::create_directories(f->dir);
  f->passphrase = orDie(SecureBuffer::copyOf(std::string_view("bench passphrase")), "passphrase");
  return f;
}

// One pass of plain BLAKE2b-256 over every record.
Hash plainPass(const Fixture &f) {
  Hash digest{};
  Hash folded{};
  for (const auto &record : f.bytes) {
    crypto_generichash(digest.data(), digest.size(), record.data(), record.size(), nullptr, 0);
    folded[0] ^= digest[0]; // keeps the work observable
  }
  return folded;
}

// Appending: a leaf hash and the frontier's merges per record, then one signed checkpoint.
std::string appendPass(const Fixture &f) {
  audit::TreeFrontier frontier;
  for (const auto &record : f.bytes)
    frontier.append(audit::leafHash(record));
  return orDie(
      audit::signCheckpoint({"nesa.ai/audit/bench", frontier.size(), frontier.root()}, f.key),
      "sign");
}

// Verifying: the checkpoint's signature, then every record re-hashed into the root it names.
void verifyPass(const Fixture &f, const std::string &note) {
  const auto checkpoint = orDie(audit::openCheckpoint(note, f.key.verifier), "open checkpoint");
  audit::TreeFrontier frontier;
  for (const auto &record : f.bytes)
    frontier.append(audit::leafHash(record));
  if (frontier.size() != checkpoint.size || frontier.root() != checkpoint.root) {
    std::cerr << "audit suite: the tree does not verify\n";
    std::exit(1);
  }
}

std::vector<Comparison> makeComparisons() {
  auto f = makeFixture();
  const std::string note = appendPass(*f);
  Comparison appendAndVerify{"merkle_append_verify_100k_vs_blake2b", "ms",
                             [f] {
                               return timeMs([&] {
                                 plainPass(*f);
                                 plainPass(*f);
                               });
                             },
                             [f] { return timeMs([&] { verifyPass(*f, appendPass(*f)); }); }};
  Comparison append{"merkle_append_100k_vs_blake2b", "ms",
                    [f] { return timeMs([&] { plainPass(*f); }); },
                    [f] { return timeMs([&] { appendPass(*f); }); }};
  Comparison verify{"merkle_verify_100k_vs_blake2b", "ms",
                    [f] { return timeMs([&] { plainPass(*f); }); },
                    [f, note] { return timeMs([&] { verifyPass(*f, note); }); }};
  // The whole log: records into the encrypted store in one transaction, then `verify` reading
  // them back, against the same plain hashing (the store's cost shows here).
  Comparison stored{"store_append_verify_100k_vs_blake2b", "ms",
                    [f] {
                      return timeMs([&] {
                        plainPass(*f);
                        plainPass(*f);
                      });
                    },
                    [f] {
                      const fs::path folder = f->dir / ("log" + std::to_string(++f->logs));
                      auto log = orDie(audit::AuditLog::open(folder, f->passphrase), "open log");
                      auto records = f->records;
                      const double ms = timeMs([&] {
                        orDie(log.appendAll(std::move(records)), "append");
                        if (!orDie(log.verify(), "verify").intact()) {
                          std::cerr << "audit suite: the stored log does not verify\n";
                          std::exit(1);
                        }
                      });
                      std::error_code ec;
                      fs::remove_all(folder, ec);
                      return ms;
                    },
                    3};
  // What the product does: one append per record (each its own transaction, signature and
  // witness file), vs the same 100 records in one transaction.
  auto hundred = [f](bool oneByOne) {
    const fs::path folder = f->dir / ("log" + std::to_string(++f->logs));
    auto log = orDie(audit::AuditLog::open(folder, f->passphrase), "open log");
    std::vector<AuditEntry> records(f->records.begin(), f->records.begin() + 100);
    const double ms = timeMs([&] {
      if (!oneByOne) {
        orDie(log.appendAll(std::move(records)), "append");
        return;
      }
      for (AuditEntry &record : records)
        orDie(log.append(std::move(record)), "append");
    });
    std::error_code ec;
    fs::remove_all(folder, ec);
    return ms;
  };
  Comparison oneByOne{"store_append_100_one_by_one_vs_one_transaction", "ms",
                      [hundred] { return hundred(false); }, [hundred] { return hundred(true); }, 3};
  return {appendAndVerify, append, verify, stored, oneByOne};
}

} // namespace

void registerAuditSuite() {
  registerSuite({"audit",
                 "the audit log's Merkle tree and signed checkpoints vs plain BLAKE2b hashing of "
                 "the same 100 000 records",
                 makeComparisons});
}

} // namespace nesa::bench
