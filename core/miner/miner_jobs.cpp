// A miner's work: share jobs (payment, queue, compute, signature), bundle installs, and its
// HTTP status and metrics.
#include "miner/internal/miner_state.h"
#include "model/linear_bundle.h"
#include "net/connection.h"
#include "net/messages.h"
#include "util/log.h"

#include <algorithm>
#include <limits>
#include <sstream>

namespace nesa::miner {

namespace {

using namespace std::chrono_literals;

} // namespace

bool isBundleId(const std::string &id) {
  return id.size() == 64 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::filesystem::path MinerService::State::bundleFile(const std::string &id) const {
  return options.dataDir / "bundles" / (id + ".nesalb");
}

// Makes `id` ready: already installed, or in the cache folder (clients upload what is missing).
// Room is made and reserved under installMutex; the load itself (seconds for gigabytes) runs
// outside it, so jobs for installed bundles are not held up meanwhile.
Result<void> MinerService::State::install(const std::string &id, bool paid, ArrivedBundle arrived) {
  if (!isBundleId(id))
    return fail(ErrorCode::InvalidInput, "'" + id + "' is not a bundle id");
  const auto file = bundleFile(id);
  std::uint64_t bytes = 0;
  {
    std::lock_guard lock(installMutex);
    if (auto found = installedBundles.find(id); found != installedBundles.end()) {
      found->second.lastUse = ++installUse;
      found->second.paid = found->second.paid || paid;
      return {};
    }
    if (loadingBundles.count(id))
      return fail(ErrorCode::Busy, "bundle " + id.substr(0, 12) + " is being installed");
    std::error_code ec;
    bytes = std::filesystem::file_size(file, ec);
    if (ec)
      return fail(ErrorCode::NotFound,
                  "bundle " + id + " is not here: send it first (PublishBundle)");
    if (auto room = makeRoomFor(id, bytes, paid); !room)
      return room;
    installedBytes += bytes; // reserved while it loads
    loadingBundles.insert(id);
  }
  const auto loaded = [&]() -> Result<void> {
    // One copy per process: miners beside each other in one process (a benchmark's) hold the
    // same bundle rather than one each.
    auto bundle = model::sharedInProcess(id);
    if (!bundle)
      bundle = arrived.parsed;
    if (!bundle) {
      auto read = model::LinearBundle::load(file, arrived.hashed ? std::string() : id);
      if (!read)
        return read.error();
      bundle = std::make_shared<const model::LinearBundle>(std::move(*read));
    }
    // Registered under its checked id, which also spares an in-process endpoint hashing it.
    model::shareInProcess(bundle, id);
    // Handed over, not copied: an in-process compute endpoint keeps this very bundle.
    return compute->installShared(std::move(bundle), id);
  }();
  std::lock_guard lock(installMutex);
  loadingBundles.erase(id);
  if (!loaded) {
    installedBytes -= bytes;
    return loaded;
  }
  installedBundles[id] = {bytes, ++installUse, paid};
  bundles = installedBundles.size();
  return {};
}

Result<void> MinerService::State::makeRoomFor(const std::string &id, std::uint64_t bytes,
                                              bool paid) {
  const std::uint64_t space = paid ? options.maxBundleBytes : options.maxBundleBytes / 4;
  if (bytes > space) {
    std::error_code ec;
    std::filesystem::remove(bundleFile(id), ec);
    return fail(ErrorCode::InvalidInput, "the bundle's " + std::to_string(bytes) +
                                             " bytes are more than this miner keeps (" +
                                             std::to_string(space) +
                                             (paid ? "" : " for clients without a session") + ")");
  }
  const auto unpaidBytes = [&] {
    std::uint64_t sum = 0;
    for (const auto &[key, cached] : installedBundles)
      sum += cached.paid ? 0 : cached.bytes;
    return sum;
  };
  // Unpaid bundles go first (oldest first), then paid ones; an unpaid one only ever makes room
  // among unpaid ones.
  const auto evictable = [](const auto &a, const auto &b) {
    return std::pair(a.second.paid, a.second.lastUse) < std::pair(b.second.paid, b.second.lastUse);
  };
  while (!installedBundles.empty() && (installedBytes + bytes > options.maxBundleBytes ||
                                       (!paid && unpaidBytes() + bytes > space))) {
    auto oldest = std::min_element(installedBundles.begin(), installedBundles.end(), evictable);
    if (!paid && oldest->second.paid)
      return fail(ErrorCode::Unavailable,
                  "this miner's bundle space is taken by paying clients' bundles");
    compute->uninstallBundle(oldest->first);
    std::error_code ec;
    std::filesystem::remove(bundleFile(oldest->first), ec);
    log::info(name + ": evicted bundle " + oldest->first.substr(0, 12) + " (" +
              std::to_string(oldest->second.bytes) + " bytes, least recently used)");
    installedBytes -= oldest->second.bytes;
    installedBundles.erase(oldest);
  }
  // What is left is bundles being loaded: wait for them.
  if (installedBytes + bytes > options.maxBundleBytes)
    return fail(ErrorCode::Busy, "this miner's bundle space is being filled by another install");
  return {};
}

void MinerService::State::touchBundle(const std::string &id) {
  std::lock_guard lock(installMutex);
  if (auto found = installedBundles.find(id); found != installedBundles.end())
    found->second.lastUse = ++installUse;
}

std::size_t MinerService::State::maxMessageBytes() const {
  return std::max<std::size_t>(options.maxQueuedBytes, 1u << 20);
}

net::MessageAllowance MinerService::State::messageAllowance(const net::Peer &peer) const {
  constexpr std::size_t kRefusals = 64 * 1024; // room for a payment receipt and a refusal
  const std::size_t most = maxMessageBytes();
  if (!options.chain) // nobody pays: a free miner takes anyone's messages, a paid one nobody's
    return {options.requirePayment ? kRefusals : most, true};
  const net::MessageAllowance unpaid{std::min(options.maxUnpaidMessageBytes, most), true};
  const auto payer = payerOf(peer.identity);
  const auto desk = payer ? chainPaymentDesk() : nullptr;
  const auto unspent = desk ? desk->unspent(*payer) : std::nullopt;
  chain::U256 room; // what the deposit covers beyond one more job's fixed price
  if (!unspent || !chain::U256::subtract(*unspent, chain::U256(options.pricePerQuery), room))
    return unpaid;
  if (options.pricePerByte == 0)
    return {most, false};
  const std::uint64_t covered = room.fitsU64() ? room.low64() / options.pricePerByte
                                               : std::numeric_limits<std::uint64_t>::max();
  const std::size_t bytes = static_cast<std::size_t>(std::min<std::uint64_t>(covered, most));
  return bytes > unpaid.maxBytes ? net::MessageAllowance{bytes, false} : unpaid;
}

void MinerService::State::vouchFor(const net::PublicKey &peer, const chain::Address &client) {
  constexpr std::size_t kMostPayers = 65'536; // each one a session on chain; more stay unpaid
  std::lock_guard lock(payersMutex);
  if (payers.size() < kMostPayers || payers.count(peer))
    payers[peer] = client;
}

bool MinerService::State::paysHere(const net::PublicKey &peer) const {
  return !options.chain || payerOf(peer).has_value();
}

std::optional<chain::Address> MinerService::State::payerOf(const net::PublicKey &peer) const {
  std::lock_guard lock(payersMutex);
  const auto found = payers.find(peer);
  return found == payers.end() ? std::nullopt : std::optional(found->second);
}

Result<void> MinerService::State::installUploaded(const std::string &id,
                                                  std::span<const std::uint8_t> content,
                                                  bool paid) {
  if (!isBundleId(id))
    return fail(ErrorCode::InvalidInput, "'" + id + "' is not a bundle id");
  // The content must be what the id names before anything parses it.
  if (model::contentId(content) != id)
    return fail(ErrorCode::Corrupt, "the bundle sent does not hash to " + id.substr(0, 12));
  const auto file = bundleFile(id);
  std::error_code ec;
  const bool fresh = !std::filesystem::exists(file, ec);
  ArrivedBundle arrived;
  if (fresh) {
    auto parsed = model::LinearBundle::parse(content);
    if (!parsed)
      return parsed.error().withContext("the bundle sent");
    std::filesystem::create_directories(file.parent_path(), ec);
    if (auto saved = parsed->save(file); !saved)
      return saved.error();
    log::info(name + ": received bundle " + id.substr(0, 12) + " (" +
              std::to_string(content.size()) + " bytes)");
    arrived.parsed = std::make_shared<const model::LinearBundle>(std::move(*parsed));
  }
  auto installed = install(id, paid, std::move(arrived));
  // Refused: nothing of it stays, unless another upload of it is being installed (busy).
  if (!installed && fresh && installed.error().code != ErrorCode::Busy)
    std::filesystem::remove(file, ec);
  return installed;
}

void MinerService::State::handleInstall(const net::Peer &peer, const std::string &id,
                                        const net::Responder &respond) {
  const bool paid = paysHere(peer.identity);
  {
    std::lock_guard lock(waitingInstallsMutex);
    auto [it, first] = waitingInstalls.try_emplace(id);
    it->second.paid = it->second.paid || paid;
    it->second.replies.push_back(respond);
    if (!first)
      return; // answered with the install already queued
  }
  // The requests waiting for `id`, taken out: a request arriving after this queues anew (it may
  // come from a paying client, whose install differs).
  const auto takeWaiting = [this, id] {
    std::lock_guard lock(waitingInstallsMutex);
    auto node = waitingInstalls.extract(id);
    return node ? std::move(node.mapped()) : WaitingInstall{};
  };
  const auto answerAll = [](const WaitingInstall &waiting, const net::Bytes &reply) {
    for (const auto &answer : waiting.replies)
      answer(reply);
  };
  auto queued = installs.submit(
      0, 0, 0,
      [this, id, takeWaiting, answerAll] {
        const auto waiting = takeWaiting();
        auto done = install(id, waiting.paid);
        answerAll(waiting, done ? net::encodeAck() : net::encodeError(done.error()));
      },
      [takeWaiting, answerAll](const Error &error) {
        answerAll(takeWaiting(), net::encodeError(error));
      });
  if (!queued)
    answerAll(takeWaiting(), net::encodeError(queued.error()));
}

void MinerService::State::handle(const net::Peer &peer, net::Bytes message,
                                 net::Responder respond) {
  const auto kind = *net::verifyMessage(message);
  switch (kind) {
  case net::MessageKind::ShareJob: return handleJob(peer, std::move(message), respond);
  case net::MessageKind::InstallBundle:
    return handleInstall(peer, net::decodeInstallBundle(message), respond);
  case net::MessageKind::JudgeJob: return handleJudge(peer, std::move(message), respond);
  case net::MessageKind::AnswerDisputed:
    return handleAnswerDisputed(peer, std::move(message), respond);
  case net::MessageKind::PublishBundle: {
    auto upload = std::make_shared<net::BundleUpload>(net::decodePublishBundle(message));
    message = {};
    // A stranger's upload waits with other unpaid work: it cannot hold up a paying client's.
    const bool paid = paysHere(peer.identity);
    auto queued =
        (paid ? installs : unpaidWork)
            .submit(
                0, 0, upload->content.size(),
                [this, upload, respond, sender = peer.identity, paid] {
                  Result<bool> done = upload->whole();
                  if (upload->whole()) {
                    if (auto installed = installUploaded(upload->bundleId, upload->content, paid);
                        !installed)
                      done = installed.error();
                  } else {
                    done = receivePiece(sender, *upload, paid);
                  }
                  if (done && *done)
                    chargeUpload(sender, upload->bundleId, upload->total);
                  respond(done ? net::encodeAck() : net::encodeError(done.error()));
                },
                [respond](const Error &error) { respond(net::encodeError(error)); });
    if (!queued)
      respond(net::encodeError(queued.error()));
    return;
  }
  case net::MessageKind::PaymentReceipt: {
    if (!options.chain)
      return respond(net::encodeError(
          fail(ErrorCode::InvalidInput, "this miner works for no network: it takes no payment")));
    auto receipt = decodeChainReceipt(message);
    if (!receipt || !*receipt)
      return respond(net::encodeError(
          receipt ? fail(ErrorCode::InvalidInput, "payment refused: this miner is paid on an EVM "
                                                  "chain and the message carries no such receipt")
                  : receipt.error()));
    auto payments = chainPaymentDesk();
    if (!payments)
      return respond(net::encodeError(fail(ErrorCode::Unavailable, "no chain to pay on yet")));
    auto accepted = payments->accept(**receipt);
    // Vouched for only with a deposit that still covers a job: a receipt for nothing proves
    // nothing.
    const auto unspent = accepted ? payments->unspent((*receipt)->receipt.client) : std::nullopt;
    if (unspent && *unspent >= chain::U256(options.pricePerQuery) && !unspent->isZero())
      vouchFor(peer.identity, (*receipt)->receipt.client);
    return respond(accepted ? net::encodeAck() : net::encodeError(accepted.error()));
  }
  default:
    respond(net::encodeError(fail(ErrorCode::InvalidInput, "a miner does not take this message")));
  }
}

Result<void> MinerService::State::checkPayment(const net::PublicKey &client, const PricedJob &job,
                                               std::uint64_t payloadBytes) {
  std::uint64_t price = 0;
  if (__builtin_mul_overflow(options.pricePerByte, payloadBytes, &price) ||
      __builtin_add_overflow(price, options.pricePerQuery, &price))
    return fail(ErrorCode::InvalidInput, "the job's price overflows");
  if (options.chain) {
    auto paid = checkChainPayment(client, job, price);
    if (paid && job.chainPayment)
      vouchFor(client, job.chainPayment->receipt.client);
    return paid;
  }
  if (!options.requirePayment)
    return {};
  return fail(ErrorCode::Unavailable,
              "this miner works for no network, so nobody can pay it: it serves nothing");
}

void MinerService::State::chargeUpload(const net::PublicKey &client, const std::string &bundleId,
                                       std::size_t bytes) {
  std::uint64_t charge = 0;
  if (!options.chain || __builtin_mul_overflow(options.pricePerByte, bytes, &charge) || !charge)
    return; // nobody pays off-chain; an impossible charge is not made
  constexpr std::size_t kMostCharges = 65'536; // beyond it a charge is forgone, not stored
  std::lock_guard lock(uploadMutex);
  if (uploadCharges.size() >= kMostCharges && !uploadCharges.count({client, bundleId}))
    return;
  auto &owed = uploadCharges[{client, bundleId}];
  owed = std::max(owed, charge); // the same bundle sent twice is charged once
}

std::uint64_t MinerService::State::takeUploadCharge(const net::PublicKey &client,
                                                    const std::string &bundleId) {
  std::lock_guard lock(uploadMutex);
  const auto found = uploadCharges.find({client, bundleId});
  if (found == uploadCharges.end())
    return 0;
  const std::uint64_t charge = found->second;
  uploadCharges.erase(found);
  return charge;
}

void MinerService::State::handleJob(const net::Peer &peer, net::Bytes message,
                                    const net::Responder &respond) {
  // A compressed share expands to no more than the peer could have sent uncompressed.
  auto priced = decodeShareJob(message, messageAllowance(peer).maxBytes);
  if (!priced) {
    ++failed;
    return respond(net::encodeError(priced.error()));
  }
  if (priced->job.wholeProgram && !options.runClientPrograms) {
    ++refused;
    return respond(
        net::encodeError(fail(ErrorCode::Unavailable, "this miner does not run client programs")));
  }
  // A seeded share is small on the wire and large in memory: it is priced and queued at the
  // size the miner expands it to, and refused before expanding when that is over the limit.
  const std::uint64_t bytes = priced->job.pricedBytes();
  if (bytes > maxMessageBytes()) {
    ++refused;
    return respond(net::encodeError(
        fail(ErrorCode::InvalidInput, "the share is " + std::to_string(bytes) +
                                          " bytes, more than this miner takes (" +
                                          std::to_string(maxMessageBytes()) + ")")));
  }
  if (auto paid = checkPayment(peer.identity, *priced, bytes); !paid) {
    ++refused;
    return respond(net::encodeError(paid.error()));
  }
  touchBundle(priced->job.bundleId);
  const auto arrived = Clock::now();
  auto job = std::make_shared<PricedJob>(std::move(*priced));
  message = {};
  auto queued = queue.submit(
      job->tip, job->fee, bytes,
      [this, job, respond, arrived] {
        const double waited = msSince(arrived);
        const auto start = Clock::now();
        auto reply = compute->compute(job->job);
        computeMs = computeMs + msSince(start);
        if (!reply) {
          ++failed;
          return respond(net::encodeError(reply.error()));
        }
        ++served;
        fees += job->fee;
        auto answer = signedReply(job->job, std::move(*reply), waited);
        answer.compressed = job->compressed; // answered the way it was asked
        respond(encodeShareReply(answer));
      },
      [respond](const Error &error) { respond(net::encodeError(error)); });
  if (!queued) {
    ++refused;
    respond(net::encodeError(queued.error()));
  }
}

net::HttpResponse MinerService::State::http(const std::string &target) const {
  if (target == "/status") {
    std::ostringstream out;
    out << "{\"role\":\"miner\",\"identity\":\"" << net::toHex(identity.publicKey())
        << "\",\"backend\":\"" << backend << "\",\"jobs_served\":" << served
        << ",\"jobs_failed\":" << failed << ",\"jobs_refused\":" << refused
        << ",\"queued\":" << queue.queued() << ",\"paused\":" << (queue.paused() ? "true" : "false")
        << ",\"registered\":" << (registered ? "true" : "false")
        << ",\"on_chain\":" << (onChain ? "true" : "false") << ",\"chain_account\":\""
        << chainAccountText() << "\""
        << ",\"earned\":" << earnedSoFar() << ",\"settled\":" << settledTotal << "}";
    return {200, "application/json", out.str()};
  }
  if (target == "/metrics") {
    const auto c = server ? server->counters() : net::ServerCounters{};
    std::ostringstream out;
    out << "# TYPE nesa_miner_jobs_served_total counter\nnesa_miner_jobs_served_total " << served
        << "\n# TYPE nesa_miner_jobs_failed_total counter\nnesa_miner_jobs_failed_total " << failed
        << "\n# TYPE nesa_miner_jobs_refused_total counter\nnesa_miner_jobs_refused_total "
        << refused << "\n# TYPE nesa_miner_queue_length gauge\nnesa_miner_queue_length "
        << queue.queued()
        << "\n# TYPE nesa_miner_compute_ms_total counter\nnesa_miner_compute_ms_total "
        << computeMs.load()
        << "\n# TYPE nesa_net_bytes_received_total counter\nnesa_net_bytes_received_total "
        << c.bytesReceived
        << "\n# TYPE nesa_net_bytes_sent_total counter\nnesa_net_bytes_sent_total " << c.bytesSent
        << "\n# TYPE nesa_net_rejected_total counter\nnesa_net_rejected_total " << c.rejected
        << "\n";
    return {200, "text/plain; version=0.0.4", out.str()};
  }
  return {404, "text/plain; charset=utf-8", "not found\n"};
}

} // namespace nesa::miner
