// A miner's work: share jobs (payment, queue, compute, signature), bundle installs, and its
// HTTP status and metrics.
#include "miner/internal/miner_state.h"
#include "model/linear_bundle.h"
#include "net/connection.h"
#include "net/messages.h"
#include "util/log.h"

#include <sstream>

namespace nesa::miner {

namespace {

using namespace std::chrono_literals;

// Bundle ids are 64 lower-case hex characters; anything else never reaches the file system.
bool isBundleId(const std::string &id) {
  return id.size() == 64 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

} // namespace

std::filesystem::path MinerService::State::bundleFile(const std::string &id) const {
  return options.dataDir / "bundles" / (id + ".nesalb");
}

// Makes `id` ready: already installed, or in the cache folder (clients upload what is missing).
Result<void> MinerService::State::install(const std::string &id) {
  if (!isBundleId(id))
    return fail(ErrorCode::InvalidInput, "'" + id + "' is not a bundle id");
  std::lock_guard lock(installMutex);
  if (installedIds.count(id))
    return {};
  const auto file = bundleFile(id);
  std::error_code ec;
  if (!std::filesystem::exists(file, ec))
    return fail(ErrorCode::NotFound,
                "bundle " + id + " is not here: send it first (PublishBundle)");
  auto bundle = model::LinearBundle::load(file, id);
  if (!bundle)
    return bundle.error();
  if (auto done = compute->installBundle(*bundle, id); !done)
    return done;
  installedIds.insert(id);
  bundles = installedIds.size();
  return {};
}

Result<void> MinerService::State::installUploaded(const std::string &id,
                                                  std::span<const std::uint8_t> content) {
  if (!isBundleId(id))
    return fail(ErrorCode::InvalidInput, "'" + id + "' is not a bundle id");
  // The content must be what the id names before anything parses it.
  if (model::contentId(content) != id)
    return fail(ErrorCode::Corrupt, "the bundle sent does not hash to " + id.substr(0, 12));
  const auto file = bundleFile(id);
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    auto parsed = model::LinearBundle::parse(content);
    if (!parsed)
      return parsed.error().withContext("the bundle sent");
    std::filesystem::create_directories(file.parent_path(), ec);
    if (auto saved = parsed->save(file); !saved)
      return saved.error();
    log::info(name + ": received bundle " + id.substr(0, 12) + " (" +
              std::to_string(content.size()) + " bytes)");
  }
  return install(id);
}

void MinerService::State::handle(const net::Peer &peer, net::Bytes message,
                                 net::Responder respond) {
  const auto kind = *net::verifyMessage(message);
  switch (kind) {
  case net::MessageKind::ShareJob: return handleJob(peer, std::move(message), respond);
  case net::MessageKind::InstallBundle: {
    auto id = net::decodeInstallBundle(message);
    auto queued = installs.submit(
        0, 0, 0,
        [this, id, respond] {
          auto done = install(id);
          respond(done ? net::encodeAck() : net::encodeError(done.error()));
        },
        [respond](const Error &error) { respond(net::encodeError(error)); });
    if (!queued)
      respond(net::encodeError(queued.error()));
    return;
  }
  case net::MessageKind::JudgeJob: return handleJudge(peer, std::move(message), respond);
  case net::MessageKind::AnswerDisputed:
    return handleAnswerDisputed(peer, std::move(message), respond);
  case net::MessageKind::PublishBundle: {
    auto upload = std::make_shared<net::BundleUpload>(net::decodePublishBundle(message));
    message = {};
    auto queued = installs.submit(
        0, 0, upload->content.size(),
        [this, upload, respond, sender = peer.identity] {
          auto done = installUploaded(upload->bundleId, upload->content);
          if (done)
            chargeUpload(sender, upload->bundleId, upload->content.size());
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
    return respond(accepted ? net::encodeAck() : net::encodeError(accepted.error()));
  }
  default:
    respond(net::encodeError(fail(ErrorCode::InvalidInput, "a miner does not take this message")));
  }
}

Result<void> MinerService::State::checkPayment(const net::PublicKey &client, const PricedJob &job,
                                               std::size_t payloadBytes) {
  const std::uint64_t price = options.pricePerQuery + options.pricePerByte * payloadBytes;
  if (options.chain)
    return checkChainPayment(client, job, price);
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
  std::lock_guard lock(uploadMutex);
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
  auto priced = decodeShareJob(message);
  if (!priced) {
    ++failed;
    return respond(net::encodeError(priced.error()));
  }
  if (auto paid = checkPayment(peer.identity, *priced,
                               priced->job.input ? priced->job.input->bytes.size() : 0);
      !paid) {
    ++refused;
    return respond(net::encodeError(paid.error()));
  }
  const auto arrived = Clock::now();
  const std::size_t bytes = message.size();
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
        respond(encodeShareReply(signedReply(job->job, std::move(*reply), waited)));
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
