// The audit trail: the Merkle tree against RFC 6962's recursive definition, proofs, signed notes
// against the Go reference's published vector, and every way of tampering with a stored log.
#include "audit/audit_log.h"
#include "audit/checkpoint.h"
#include "audit/dicom_audit_message.h"
#include "audit/merkle.h"
#include "audit/syslog_shipping.h"
#include "rsyslog_server.h"
#include "test_certificates.h"

#include <QTemporaryDir>
#include <QTest>

#include <sodium.h>

#include <fstream>

using namespace nesa;
using namespace nesa::audit;
namespace fs = std::filesystem;

namespace {

SecureBuffer secret(std::string_view text) { return SecureBuffer::copyOf(text).value(); }

Hash leafOf(int i) {
  const std::string text = "record " + std::to_string(i);
  return leafHash({reinterpret_cast<const std::uint8_t *>(text.data()), text.size()});
}

std::vector<Hash> leavesOf(int count) {
  std::vector<Hash> leaves;
  for (int i = 0; i < count; ++i)
    leaves.push_back(leafOf(i));
  return leaves;
}

// RFC 6962 §2.1's MTH written as the RFC writes it: the test's own oracle.
Hash definitionRoot(std::span<const Hash> leaves) {
  if (leaves.empty())
    return emptyRoot();
  if (leaves.size() == 1)
    return leaves[0];
  std::size_t k = 1;
  while (k * 2 < leaves.size())
    k *= 2;
  return nodeHash(definitionRoot(leaves.first(k)), definitionRoot(leaves.subspan(k)));
}

std::vector<std::uint8_t> fromBase64(const char *text) {
  std::vector<std::uint8_t> out(std::strlen(text));
  std::size_t length = 0;
  if (sodium_base642bin(out.data(), out.size(), text, std::strlen(text), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0)
    return {};
  out.resize(length);
  return out;
}

// The example of golang.org/x/mod/sumdb/note (also used by C2SP's signed-note implementations).
constexpr const char *kGoSignerSeed = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
constexpr const char *kGoVerifierKey =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr const char *kGoText = "If you think cryptography is the answer to your problem,\n"
                                "then you don't know what your problem is.\n";
constexpr const char *kGoNote =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
    "\n"
    "\xE2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/"
    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

AuditEntry entry(int i, const std::string &action = "analysis") {
  AuditEntry e;
  e.timeMs = 1'764'000'000'000 + i * 1000;
  e.actor = i % 2 == 0 ? "dr.jones" : "analyst.kim";
  e.action = action;
  e.subject = "blake2b:" + std::to_string(1000 + i);
  e.outcome = "ok";
  e.details = R"({"level":"hss","model":"brain-extraction"})";
  return e;
}

bool anyProblemContains(const VerifyReport &report, const QString &text) {
  for (const std::string &problem : report.problems)
    if (QString::fromStdString(problem).contains(text))
      return true;
  return false;
}

QString problemsOf(const VerifyReport &report) {
  QString all;
  for (const std::string &problem : report.problems)
    all += QString::fromStdString(problem) + QLatin1Char('\n');
  return all;
}

} // namespace

class TestAudit : public QObject {
  Q_OBJECT

private:
  QTemporaryDir m_dir;
  int m_logs = 0;

  // A fresh log folder holding `count` records, one checkpoint per append.
  fs::path logWith(int count) {
    const fs::path folder =
        fs::path(m_dir.path().toStdString()) / ("log" + std::to_string(++m_logs));
    auto log = AuditLog::open(folder, secret("audit passphrase"));
    if (!log)
      qFatal("open: %s", log.error().message.c_str());
    for (int i = 0; i < count; ++i)
      if (!log->append(entry(i)))
        qFatal("append failed");
    return folder;
  }

  // Runs SQL on the log's store directly, as someone holding the passphrase could.
  void tamper(const fs::path &folder, const std::string &sql) {
    auto store = storage::EncryptedStore::open(AuditLog::storePath(folder),
                                               secret("audit passphrase"), AuditLog::schema());
    QVERIFY2(store.ok(), store.ok() ? "" : store.error().message.c_str());
    auto done = store->execute(sql);
    QVERIFY2(done.ok(), done.ok() ? "" : done.error().message.c_str());
  }

  VerifyReport verifyLog(const fs::path &folder, const std::vector<std::string> &extra = {}) {
    auto log = AuditLog::open(folder, secret("audit passphrase"));
    if (!log)
      qFatal("reopen: %s", log.error().message.c_str());
    auto report = log->verify(extra);
    if (!report)
      qFatal("verify: %s", report.error().message.c_str());
    return *report;
  }

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(sodium_init() >= 0);
    QVERIFY(m_dir.isValid());
  }

  void rootsFollowRfc6962() {
    // Three leaves by hand: the largest power of two (two) on the left.
    const auto l = leavesOf(3);
    QCOMPARE(rootOf(l), nodeHash(nodeHash(l[0], l[1]), l[2]));
    QCOMPARE(rootOf({}), emptyRoot());
    QCOMPARE(rootOf(std::span(l).first(1)), l[0]);
    // Every size up to 70 (several powers of two and odd tails) against the definition.
    const auto many = leavesOf(70);
    for (std::size_t n = 0; n <= many.size(); ++n)
      QCOMPARE(rootOf(std::span(many).first(n)), definitionRoot(std::span(many).first(n)));
    // Leaves and nodes are domain-separated: a node's two halves are not a leaf.
    std::vector<std::uint8_t> pair(l[0].begin(), l[0].end());
    pair.insert(pair.end(), l[1].begin(), l[1].end());
    QVERIFY(leafHash(pair) != nodeHash(l[0], l[1]));
  }

  void frontierSurvivesStorage() {
    TreeFrontier frontier;
    for (const Hash &leaf : leavesOf(45))
      frontier.append(leaf);
    TreeFrontier copy;
    QVERIFY(copy.deserialize(frontier.serialize()));
    QCOMPARE(copy.size(), 45u);
    QCOMPARE(copy.root(), frontier.root());
    auto bytes = frontier.serialize();
    bytes.pop_back();
    QVERIFY(!copy.deserialize(bytes));
    QVERIFY(!copy.deserialize({}));
  }

  void inclusionProofsVerifyAndForgeriesFail() {
    const auto leaves = leavesOf(40);
    for (std::uint64_t n = 1; n <= leaves.size(); ++n) {
      const auto tree = std::span(leaves).first(n);
      const Hash root = rootOf(tree);
      for (std::uint64_t i = 0; i < n; ++i) {
        auto proof = inclusionProof(tree, i);
        QVERIFY2(verifyInclusion(tree[i], i, n, proof, root),
                 qPrintable(QStringLiteral("leaf %1 of %2").arg(i).arg(n)));
        QVERIFY(!verifyInclusion(leafOf(1000), i, n, proof, root));
        if (n > 1)
          QVERIFY(!verifyInclusion(tree[i], (i + 1) % n, n, proof, root));
        if (!proof.empty()) {
          proof[0][0] ^= 1;
          QVERIFY(!verifyInclusion(tree[i], i, n, proof, root));
        }
      }
      QVERIFY(!verifyInclusion(tree[0], n, n, {}, root));
    }
  }

  void consistencyProofsVerifyAndForgeriesFail() {
    const auto leaves = leavesOf(40);
    auto other = leaves;
    other[17] = leafOf(999); // a history that differs at record 17
    for (std::uint64_t n = 1; n <= leaves.size(); ++n) {
      const Hash newRoot = rootOf(std::span(leaves).first(n));
      for (std::uint64_t m = 1; m <= n; ++m) {
        const Hash oldRoot = rootOf(std::span(leaves).first(m));
        auto proof = consistencyProof(std::span(leaves).first(n), m);
        QVERIFY2(verifyConsistency(m, n, oldRoot, newRoot, proof),
                 qPrintable(QStringLiteral("%1 -> %2").arg(m).arg(n)));
        if (m > 17 && m < n) {
          const Hash rewritten = rootOf(std::span(other).first(m));
          QVERIFY(!verifyConsistency(m, n, rewritten, newRoot, proof));
        }
        if (!proof.empty()) {
          proof.back()[5] ^= 0x40;
          QVERIFY(!verifyConsistency(m, n, oldRoot, newRoot, proof));
        }
      }
      QVERIFY(!verifyConsistency(n + 1, n, newRoot, newRoot, {}));
      QVERIFY(verifyConsistency(0, n, emptyRoot(), newRoot, {}));
      QVERIFY(!verifyConsistency(0, n, newRoot, newRoot, {})); // not the empty tree's root
    }
  }

  void signedNotesMatchTheGoReference() {
    const auto typedSeed = fromBase64(kGoSignerSeed);
    QCOMPARE(typedSeed.size(), 33u);
    QCOMPARE(typedSeed[0], std::uint8_t{0x01});
    auto seed = SecureBuffer::copyOf(std::span(typedSeed).subspan(1)).value();
    auto signer = SignerKey::fromSeed("PeterNeumann", seed);
    QVERIFY(signer.ok());
    QCOMPARE(signer->verifier.toString(), std::string(kGoVerifierKey));
    auto note = signNote(kGoText, *signer);
    QVERIFY(note.ok());
    QCOMPARE(*note, std::string(kGoNote)); // Ed25519 is deterministic: byte for byte

    auto verifier = VerifierKey::parse(kGoVerifierKey);
    QVERIFY(verifier.ok());
    auto opened = openNote(kGoNote, *verifier);
    QVERIFY(opened.ok());
    QCOMPARE(*opened, std::string(kGoText));

    std::string edited = kGoNote;
    edited[3] = 'X';
    QCOMPARE(openNote(edited, *verifier).error().code, ErrorCode::Corrupt);
    auto stranger = SignerKey::generate("PeterNeumann").value();
    QVERIFY(!openNote(kGoNote, stranger.verifier).ok());
    QVERIFY(
        !VerifierKey::parse("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
             .ok()); // wrong key ID
    QVERIFY(!VerifierKey::parse("no-plus-signs").ok());
    QVERIFY(!signNote("two\n\nparagraphs\n", *signer).ok());
    // A signature under our name and key ID that does not verify refuses the whole note, even
    // beside a good one; names with '+' or spaces are not key names.
    std::string doubled = kGoNote;
    doubled += "\xE2\x80\x94 PeterNeumann x08go/" + std::string(85, 'A') + "=\n";
    QVERIFY(!openNote(doubled, *verifier).ok());
    QVERIFY(
        !VerifierKey::parse("Peter+Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
             .ok());
  }

  void verifierKeysRoundTrip() {
    // Base64 keys often hold a '+': two hundred fresh keys all read back as themselves.
    for (int i = 0; i < 200; ++i) {
      const auto key = SignerKey::generate("nesa.ai/audit/round-trip").value();
      auto parsed = VerifierKey::parse(key.verifier.toString());
      QVERIFY2(parsed.ok(), key.verifier.toString().c_str());
      QCOMPARE(parsed->publicKey, key.verifier.publicKey);
      QCOMPARE(parsed->name, key.verifier.name);
    }
  }

  void checkpointsRoundTripAndRefuseMalformedOnes() {
    auto key = SignerKey::generate("nesa.ai/audit/test").value();
    const Checkpoint checkpoint{"nesa.ai/audit/test", 12, rootOf(leavesOf(12))};
    auto note = signCheckpoint(checkpoint, key);
    QVERIFY(note.ok());
    QVERIFY(note->starts_with("nesa.ai/audit/test\n12\n"));
    auto opened = openCheckpoint(*note, key.verifier);
    QVERIFY(opened.ok());
    QCOMPARE(opened->size, 12u);
    QCOMPARE(opened->root, checkpoint.root);

    for (const std::string &body : {std::string("nesa.ai/audit/test\n012\nAAAA\n"),
                                    std::string("nesa.ai/audit/test\n12\nnot base64!\n"),
                                    std::string("nesa.ai/audit/test\n12\n")}) {
      auto signedBody = signNote(body, key);
      QVERIFY(signedBody.ok());
      QCOMPARE(openCheckpoint(*signedBody, key.verifier).error().code, ErrorCode::Corrupt);
    }
    auto otherOrigin = SignerKey::generate("somebody.else/log").value();
    auto foreign = signNote("somebody.else/log\n1\n" + std::string(44, 'A') + "\n", otherOrigin);
    QVERIFY(!openCheckpoint(*foreign, key.verifier).ok());
  }

  void twoWritersInterleave() {
    // Two programs with the log open (nesa analyze and the desktop's session): each append sees
    // the other's records.
    const fs::path folder = logWith(2);
    auto first = AuditLog::open(folder, secret("audit passphrase"));
    auto second = AuditLog::open(folder, secret("audit passphrase"));
    QVERIFY(first.ok() && second.ok());
    QCOMPARE(first->append(entry(2))->size, 3u);
    QCOMPARE(second->append(entry(3))->size, 4u);
    QCOMPARE(first->append(entry(4))->size, 5u);
    const auto report = verifyLog(folder);
    QVERIFY2(report.intact(), qPrintable(problemsOf(report)));
    QCOMPARE(report.records, 5u);
  }

  void aWitnessLeftBehindByACrashIsNoAlarm() {
    // A crash between the store's commit and the witness's write leaves an older witness.
    const fs::path folder = logWith(3);
    const fs::path witness = AuditLog::witnessPath(folder);
    const fs::path older = folder / "older-witness";
    fs::copy_file(witness, older);
    {
      auto log = AuditLog::open(folder, secret("audit passphrase"));
      QVERIFY(log->append(entry(3)).ok());
    }
    fs::copy_file(older, witness, fs::copy_options::overwrite_existing);
    auto log = AuditLog::open(folder, secret("audit passphrase"));
    QVERIFY(log.ok());
    QVERIFY(log->appendable());
    const auto report = *log->verify();
    QVERIFY2(report.intact(), qPrintable(problemsOf(report)));
  }

  void anAuditorsKeyMustBeTheStores() {
    const fs::path folder = logWith(2);
    auto log = AuditLog::open(folder, secret("audit passphrase"));
    QVERIFY(log.ok());
    QVERIFY(log->verify({}, log->verifierKey().toString())->intact());
    const auto stranger = SignerKey::generate(log->verifierKey().name).value();
    const auto report = log->verify({}, stranger.verifier.toString());
    QVERIFY(report.ok());
    QVERIFY2(anyProblemContains(*report, QStringLiteral("different key than the one given")),
             qPrintable(problemsOf(*report)));
    QVERIFY(!log->verify({}, "not a key").ok());
  }

  // A DICOM audit message's outcome: a record of a start is no failure, a policy's refusal a
  // minor one, anything else that failed a serious one; sign-ins and sign-outs authenticate.
  void dicomMessagesSayTheOutcome() {
    const auto indicator = [](const std::string &action, const std::string &outcome) {
      nesa::audit::AuditEntry entry;
      entry.action = action;
      entry.outcome = outcome;
      entry.details = "{}";
      const std::string xml = nesa::audit::toDicomAuditMessage(entry, "test");
      const auto at = xml.find("EventOutcomeIndicator=\"");
      return at == std::string::npos ? std::string() : xml.substr(at + 23, 1);
    };
    QCOMPARE(indicator("analysis", "ok"), std::string("0"));
    QCOMPARE(indicator("pacs-get", "started"), std::string("0"));
    QCOMPARE(indicator("sign-in", "unverified (no policy names a provider)"), std::string("0"));
    QCOMPARE(indicator("analysis", "failed (forbidden)"), std::string("4"));
    QCOMPARE(indicator("sign-in", "not accepted by the policy"), std::string("4"));
    QCOMPARE(indicator("analysis", "failed (corrupt)"), std::string("8"));
    QCOMPARE(indicator("policy", "lockdown"), std::string("8"));
    nesa::audit::AuditEntry signOut;
    signOut.action = "sign-out";
    signOut.outcome = "ok";
    QVERIFY(nesa::audit::toDicomAuditMessage(signOut, "test").find("csd-code=\"110114\"") !=
            std::string::npos);
  }

  void aLogAppendsListsProvesAndVerifies() {
    const fs::path folder = logWith(10);
    auto log = AuditLog::open(folder, secret("audit passphrase"));
    QVERIFY(log.ok());
    QCOMPARE(log->size(), 10u);
    auto report = log->verify();
    QVERIFY(report.ok());
    QVERIFY2(report->intact(), qPrintable(problemsOf(*report)));
    QCOMPARE(report->records, 10u);
    QCOMPARE(report->checkpoints, 11u); // ten stored and the witness

    auto exports = log->append(entry(10, "export"));
    QVERIFY(exports.ok());
    QCOMPARE(exports->size, 11u);
    AuditFilter onlyExports;
    onlyExports.action = "export";
    auto listed = log->list(onlyExports);
    QVERIFY(listed.ok());
    QCOMPARE(listed->size(), 1u);
    QCOMPARE(listed->front().sequence, 10u);
    AuditFilter lastThree;
    lastThree.limit = 3;
    QCOMPARE(log->list(lastThree)->front().sequence, 8u);

    auto proof = log->proveInclusion(4);
    QVERIFY(proof.ok());
    auto checkpoint = openCheckpoint(log->latestCheckpoint(), log->verifierKey());
    QVERIFY(checkpoint.ok());
    auto four = entry(4);
    four.sequence = 4;
    QVERIFY(
        verifyInclusion(leafHash(four.leafBytes()), 4, checkpoint->size, *proof, checkpoint->root));
    QCOMPARE(log->proveInclusion(11).error().code, ErrorCode::NotFound);

    // The key file and the witness hold what the store says.
    QVERIFY(fs::exists(AuditLog::verifierKeyPath(folder)));
    QVERIFY(fs::exists(AuditLog::witnessPath(folder)));
    QCOMPARE(AuditLog::open(folder, secret("wrong passphrase")).error().code,
             ErrorCode::WrongPassphrase);
  }

  void anEditedRecordIsFound() {
    const fs::path folder = logWith(10);
    tamper(folder, "UPDATE records SET outcome = 'refused' WHERE seq = 4;");
    const auto report = verifyLog(folder);
    QVERIFY(!report.intact());
    QVERIFY2(QString::fromStdString(report.problems.front()).contains(QStringLiteral("4–4")),
             qPrintable(problemsOf(report)));
    // The later checkpoints fail with it, counted on one line; the witness is named on its own.
    QVERIFY2(anyProblemContains(report, QStringLiteral("5 later stored checkpoints")),
             qPrintable(problemsOf(report)));
    QVERIFY2(anyProblemContains(report, QStringLiteral("the witness")),
             qPrintable(problemsOf(report)));
  }

  void aDeletedRecordIsFound() {
    const fs::path folder = logWith(10);
    tamper(folder, "DELETE FROM records WHERE seq = 6;");
    const auto report = verifyLog(folder);
    QVERIFY2(anyProblemContains(report, QStringLiteral("records 6–6 are missing")),
             qPrintable(problemsOf(report)));
  }

  void reorderedRecordsAreFound() {
    const fs::path folder = logWith(10);
    // Swap the contents of records 2 and 3, keeping their sequence numbers.
    tamper(folder, "UPDATE records SET seq = -1 WHERE seq = 2;"
                   "UPDATE records SET seq = 2 WHERE seq = 3;"
                   "UPDATE records SET seq = 3 WHERE seq = -1;");
    const auto report = verifyLog(folder);
    QVERIFY(!report.intact());
    QVERIFY2(QString::fromStdString(report.problems.front()).contains(QStringLiteral("2–2")),
             qPrintable(problemsOf(report)));
  }

  void aTruncatedLogIsFoundEvenWithItsCheckpointsRemoved() {
    const fs::path folder = logWith(10);
    tamper(folder, "DELETE FROM records WHERE seq >= 7; DELETE FROM checkpoints WHERE size > 7;"
                   "UPDATE frontier SET bytes = x'00';");
    const auto report = verifyLog(folder);
    QVERIFY2(anyProblemContains(report, QStringLiteral("vouches for more records")),
             qPrintable(problemsOf(report)));
  }

  void aStoreRolledBackToAnOlderCopyIsFound() {
    const fs::path folder = logWith(5);
    const fs::path saved = folder.string() + "-copy.db";
    fs::copy_file(AuditLog::storePath(folder), saved);
    std::string auditorsCheckpoint;
    {
      auto log = AuditLog::open(folder, secret("audit passphrase"));
      QVERIFY(log.ok());
      for (int i = 5; i < 9; ++i)
        QVERIFY(log->append(entry(i)).ok());
      auditorsCheckpoint = log->latestCheckpoint();
    }
    fs::copy_file(saved, AuditLog::storePath(folder), fs::copy_options::overwrite_existing);
    auto log = AuditLog::open(folder, secret("audit passphrase"));
    QVERIFY(log.ok());
    QVERIFY2(!log->verify()->intact(), "the witness file must catch the rollback");
    QCOMPARE(log->append(entry(5)).error().code, ErrorCode::Corrupt); // and it takes no more
    // Without the witness (deleted), that is said, and the auditor's own copy still catches it.
    fs::remove(AuditLog::witnessPath(folder));
    const auto report = verifyLog(folder, {auditorsCheckpoint});
    QVERIFY2(anyProblemContains(report, QStringLiteral("given checkpoint 1")),
             qPrintable(problemsOf(report)));
    QVERIFY2(anyProblemContains(report, QStringLiteral("is missing: it was deleted")),
             qPrintable(problemsOf(report)));
    QVERIFY(!AuditLog::open(folder, secret("audit passphrase"))->appendable());
  }

  void recordsAddedBehindTheLogsBackAreFound() {
    const fs::path folder = logWith(4);
    tamper(folder, "INSERT INTO records VALUES (4, 0, 'x', 'analysis', 's', 'ok', '{}');");
    const auto report = verifyLog(folder);
    QVERIFY2(anyProblemContains(report, QStringLiteral("not covered by any signed checkpoint")),
             qPrintable(problemsOf(report)));
  }

  void aForgedCheckpointIsFound() {
    const fs::path folder = logWith(4);
    auto log = AuditLog::open(folder, secret("audit passphrase"));
    QVERIFY(log.ok());
    auto forger = SignerKey::generate(log->verifierKey().name).value();
    auto forged = signCheckpoint({forger.verifier.name, 4, rootOf(leavesOf(4))}, forger);
    QVERIFY(forged.ok());
    tamper(folder, "UPDATE checkpoints SET note = '" + *forged + "' WHERE size = 4;");
    const auto report = verifyLog(folder);
    QVERIFY2(anyProblemContains(report, QStringLiteral("not signed by this log's key")),
             qPrintable(problemsOf(report)));
  }

  void aReplacedOrDeletedStoreIsFound() {
    const fs::path folder = logWith(3);
    fs::remove(AuditLog::storePath(folder));
    auto reopened = AuditLog::open(folder, secret("audit passphrase"));
    QVERIFY(!reopened.ok());
    QCOMPARE(reopened.error().code, ErrorCode::Corrupt);
    QVERIFY(!fs::exists(AuditLog::storePath(folder))); // nothing started in its place

    // A store from another log moved in: its key is not the one published beside it.
    const fs::path other = logWith(3);
    fs::copy_file(AuditLog::storePath(other), AuditLog::storePath(folder));
    const auto report = verifyLog(folder);
    QVERIFY2(anyProblemContains(report, QStringLiteral("the store was replaced")),
             qPrintable(problemsOf(report)));
  }

  // The records leave for a real audit repository (rsyslogd with TLS on a loopback port): each
  // record once, as a DICOM audit message in an RFC 5424 message, then the signed checkpoint;
  // a second shipping sends only what is new. A repository whose certificate the given
  // authority did not sign, or none listening, is refused and the mark stays where it was.
  void recordsShipToASyslogRepositoryOverTls() {
    const QString folder = m_dir.filePath(QStringLiteral("repository"));
    QVERIFY(QDir().mkpath(folder));
    QVERIFY(testing::makeTestCertificates(folder, QStringLiteral("syslog")));
    testing::RsyslogServer repository;
    const QString started = repository.start(folder, folder + "/syslog.pem", folder + "/syslog.key",
                                             folder + "/ca.pem");
    QVERIFY2(started.isEmpty(), qPrintable(started));

    const fs::path logFolder = logWith(3);
    auto log = AuditLog::open(logFolder, secret("audit passphrase"));
    QVERIFY(log.ok());
    auto target = SyslogTarget::parse("127.0.0.1:" + std::to_string(repository.port()));
    QVERIFY(target.ok());
    target->caFile = (folder + "/ca.pem").toStdString();
    auto wrong = *target;
    wrong.caFile = (folder + "/other.pem").toStdString();
    const auto refused = shipToSyslog(*log, logFolder, wrong);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().message.find("certificate") != std::string::npos,
             refused.error().message.c_str());
    QVERIFY(!fs::exists(logFolder / "audit.shipped"));

    auto shipped = shipToSyslog(*log, logFolder, *target);
    QVERIFY2(shipped.ok(), shipped ? "" : shipped.error().message.c_str());
    QCOMPARE(shipped->records, std::uint64_t{3});
    QVERIFY(log->append(entry(3)).ok());
    shipped = shipToSyslog(*log, logFolder, *target);
    QVERIFY(shipped.ok());
    QCOMPARE(shipped->firstSequence, std::uint64_t{3});
    QCOMPARE(shipped->records, std::uint64_t{1});

    const QStringList lines = repository.received(6);
    QCOMPARE(lines.size(), 6); // 3 records, a checkpoint, the new record, a checkpoint
    for (int i : {0, 1, 2, 4}) {
      QVERIFY2(lines[i].startsWith(QStringLiteral("IHE+RFC-3881 <85>1 ")), qPrintable(lines[i]));
      QVERIFY(lines[i].contains(QStringLiteral("<AuditMessage")));
    }
    QVERIFY(lines[3].startsWith(QStringLiteral("NESA-CHECKPOINT ")));
    // The records in order, each its own actor; each checkpoint a valid signed note of the log
    // (rsyslog writes a line feed as #012), for 3 records and then 4.
    const std::vector<int> recordLines{0, 1, 2, 4};
    for (std::size_t k = 0; k < recordLines.size(); ++k) {
      const QString &line = lines[recordLines[k]];
      QVERIFY2(line.startsWith(QStringLiteral("IHE+RFC-3881 <85>1 ")), qPrintable(line));
      QVERIFY(line.contains(QStringLiteral("<AuditMessage>")));
      QVERIFY(line.contains(QStringLiteral("UserID=\"%1\"")
                                .arg(QString::fromStdString(entry(static_cast<int>(k)).actor))));
    }
    for (const auto &[index, size] : {std::pair{3, 3}, std::pair{5, 4}}) {
      QVERIFY2(lines[index].startsWith(QStringLiteral("NESA-CHECKPOINT <85>1 ")),
               qPrintable(lines[index]));
      QString note = lines[index].section(QChar(0xFEFF), 1);
      note.replace(QStringLiteral("#012"), QStringLiteral("\n"));
      auto checkpoint = openCheckpoint((note + "\n").toStdString(), log->verifierKey());
      QVERIFY2(checkpoint.ok(), checkpoint ? "" : checkpoint.error().message.c_str());
      QCOMPARE(checkpoint->size, std::uint64_t(size));
    }

    // A mark left by another log (this one was replaced) sends everything again.
    {
      std::ofstream mark(logFolder / "audit.shipped");
      mark << "2 another.log+00000000+AQ==\n";
    }
    shipped = shipToSyslog(*log, logFolder, *target);
    QVERIFY(shipped.ok());
    QCOMPARE(shipped->firstSequence, std::uint64_t{0});
    QCOMPARE(shipped->records, std::uint64_t{4});
    QCOMPARE(repository.received(11).size(), 11);

    repository.stop();
    const auto gone = shipToSyslog(*log, logFolder, *target);
    QVERIFY(!gone.ok());
    QCOMPARE(gone.error().code, ErrorCode::Unavailable);
    QVERIFY(!SyslogTarget::parse("127.0.0.1:99999").ok());
    QVERIFY(!SyslogTarget::parse(":514").ok());
  }
};

QTEST_GUILESS_MAIN(TestAudit)
#include "tst_audit.moc"
