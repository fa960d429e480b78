// The local API (`nesa serve`): HTTP on 127.0.0.1 for other programs of this user — OpenAI's
// /v1/chat/completions, /v1/completions and /v1/models, Ollama's /api/chat, /api/generate and
// /api/tags, and /v1/analyze for scans, images and documents — each query run by one analyzer at
// its privacy level, verified and paid like any other (docs/api.md).
#pragma once

#include "analysis/request.h"
#include "util/result.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace nesa::api {

/// How the server listens and what it accepts.
struct ApiOptions {
  std::uint16_t port = 11435; ///< on 127.0.0.1; 0: any free port (LocalApi::port says which)
  std::string token;          ///< the bearer token every request must carry (api_token.h)
  /// The level of a query that names none (the settings' defaultPrivacy).
  privacy::PrivacyLevel defaultLevel = privacy::PrivacyLevel::Hss;
  std::size_t maxJsonBytes = 8u << 20;      ///< a JSON body's limit (413 over it)
  std::size_t maxUploadBytes = 1024u << 20; ///< /v1/analyze's body limit (413 over it)
  std::size_t maxQueries = 32;              ///< queries waiting or running at once (503 over it)
  std::size_t maxConnections = 64;          ///< open connections (closed with 503 over it)
  /// Where uploads and documents wait while their query runs (one folder each, mode 0700,
  /// removed when the query ends).
  std::filesystem::path workFolder;
  /// Called around each query's run: `starting` and `finished` (the audit log); the other
  /// events are the server's own.
  analysis::Events runHooks;
};

/// What the server has done since it started (GET /nesa/status gives the same).
struct ApiStats {
  std::uint64_t queries = 0;     ///< queries answered (any outcome)
  std::uint64_t refusedBusy = 0; ///< refused because maxQueries were waiting
  std::uint64_t cancelled = 0;   ///< given up by their connection (the client went away)
  std::uint64_t runsStopped = 0; ///< queries the runner skipped or stopped, being cancelled
  std::uint64_t waiting = 0;     ///< queued or running now
  std::uint64_t connections = 0; ///< open now
  std::uint64_t workFolders = 0; ///< upload folders that exist now
};

/// The server. Queries are run one at a time by one analyzer (an estimate-free run each), in
/// the order they arrive; connections are served by two threads.
class LocalApi {
public:
  /// `network` and `secrets` are the analyzer's (analysis/request.h); `notice` hears its status
  /// lines and the server's.
  LocalApi(ApiOptions options, analysis::NetworkChoice network, analysis::Secrets secrets,
           std::function<void(const std::string &)> notice);
  ~LocalApi();
  LocalApi(const LocalApi &) = delete;
  LocalApi &operator=(const LocalApi &) = delete;

  /// Binds 127.0.0.1:port and starts serving; Unavailable when the port is taken.
  Result<void> start();
  /// The port it listens on (after start).
  std::uint16_t port() const;
  /// Stops accepting, cancels the running query (it stops before its next remote call) and
  /// refuses those waiting, gives their connections up to 2 s to answer, drops the others and
  /// joins the threads. Idempotent.
  void stop();
  ApiStats stats() const;

  struct State;

private:
  std::shared_ptr<State> m;
};

} // namespace nesa::api
