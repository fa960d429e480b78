#include "serve_api.h"

#include "analysis_audit.h"
#include "policy/audit_records.h"

#include "api/api_token.h"
#include "api/local_api.h"
#include "cli/commands.h"
#include "cli/secret_input.h"
#include "policy/storage_places.h"
#include "wallet/wallet.h"
#include "wallet_secrets.h"

#include <nlohmann/json.hpp>

#include <csignal>
#include <iostream>
#include <memory>

namespace nesa::app {

namespace {

int failWith(const Error &error, bool json) {
  if (json)
    std::cout << nlohmann::json{{"event", "error"},
                                {"code", errorCodeName(error.code)},
                                {"message", error.message}}
                     .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
              << std::endl;
  std::cerr << "nesa serve: " << error.message << '\n';
  return cli::exitCodeFor(error);
}

} // namespace

int serveApi(const cli::Arguments &args, const Config &config, analysis::NetworkChoice network,
             bool json) {
  const auto dataDir = config.effectiveDataDir();
  api::ApiOptions options;
  auto port = args.integer("port", config.apiPort, 0, 65'535);
  if (!port)
    return failWith(port.error(), json);
  options.port = static_cast<std::uint16_t>(*port);
  auto queries = args.integer("max-queries", static_cast<long long>(options.maxQueries), 1, 1024);
  if (!queries)
    return failWith(queries.error(), json);
  options.maxQueries = static_cast<std::size_t>(*queries);
  auto level = privacy::parsePrivacyLevel(config.defaultPrivacy);
  if (!level)
    return failWith(level.error(), json);
  options.defaultLevel = *level;
  const auto tokenFile = api::apiTokenFile(dataDir);
  auto token = api::loadOrCreateApiToken(tokenFile);
  if (!token)
    return failWith(token.error(), json);
  options.token = std::move(*token);
  options.workFolder = dataDir / "api-queries";

  // The wallet (when there is one) is opened for each query that needs it and closed after it;
  // its passphrase is asked once, now (and tried, so that a wrong one stops here rather than
  // failing every query), and kept in locked memory while the server runs.
  std::shared_ptr<SecureBuffer> passphrase;
  std::error_code ec;
  const auto walletFile = wallet::defaultWalletFile(dataDir);
  if (std::filesystem::exists(walletFile, ec)) {
    auto read = cli::readPassphrase(false);
    if (!read)
      return failWith(read.error().withContext("the wallet's passphrase (or "
                                               "$NESA_WALLET_PASSPHRASE)"),
                      json);
    if (auto opened = wallet::Wallet::open(walletFile, *read); !opened)
      return failWith(opened.error(), json);
    passphrase = std::make_shared<SecureBuffer>(std::move(*read));
  }
  // With the setting auditLog, every query is recorded as it starts and as it ends, in the log
  // the same passphrase opens (asked now when there is no wallet to have asked it).
  if (policy::auditLogOn(config)) {
    if (!passphrase) {
      auto read = cli::readPassphrase(false);
      if (!read)
        return failWith(read.error().withContext("the audit log (setting auditLog)"), json);
      passphrase = std::make_shared<SecureBuffer>(std::move(*read));
    }
    auto opened = policy::openAuditLogIfEnabled(config, *passphrase);
    if (!opened)
      return failWith(opened.error(), json);
    options.runHooks = auditHooks(std::make_shared<audit::AuditLog>(std::move(**opened)),
                                  config.effectiveDataDir());
  }
  const auto toStderr = [](const std::string &line) { std::cerr << line << '\n'; };
  auto secrets = walletSecrets(
      config,
      [passphrase]() -> Result<SecureBuffer> {
        if (!passphrase)
          return fail(ErrorCode::NotFound, "there is no wallet");
        return SecureBuffer::copyOf(passphrase->view());
      },
      toStderr);

  // SIGINT and SIGTERM end the server: blocked here (and in every thread started after) and
  // waited for below.
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGINT);
  sigaddset(&stopSignals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

  api::LocalApi server(options, std::move(network), std::move(secrets), toStderr);
  if (auto started = server.start(); !started)
    return failWith(started.error(), json);
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port());
  if (json)
    std::cout << nlohmann::json{{"event", "listening"},
                                {"url", url},
                                {"token_file", tokenFile.string()}}
                     .dump()
              << std::endl;
  std::cerr << "nesa serve: listening on " << url << " (OpenAI /v1, Ollama /api, /v1/analyze);"
            << " bearer token in " << tokenFile.string() << "; Ctrl-C stops\n";
  int signal = 0;
  sigwait(&stopSignals, &signal);
  std::cerr << "nesa serve: stopping (the running query is cancelled)\n";
  server.stop();
  const auto stats = server.stats();
  std::cerr << "nesa serve: served " << stats.queries << " queries (" << stats.cancelled
            << " cancelled by their client, " << stats.refusedBusy << " refused as busy)\n";
  return cli::kExitOk;
}

} // namespace nesa::app
