#include "api/local_api.h"

#include "api/api_messages.h"
#include "api/api_token.h"
#include "api/internal/query_runner.h"
#include "api/multipart.h"
#include "net/internal/asio.h"
#include "registry/model_locations.h"
#include "registry/model_registry.h"

#include <nlohmann/json.hpp>
#include <poll.h>
#include <sodium.h>
#include <sys/socket.h>

#include <chrono>
#include <fstream>
#include <thread>
#include <vector>

// GCC 12 takes asio's coroutine frames (made by its recycling allocator, freed by the frame's
// own operator delete) for a mismatched new and delete: a false positive.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace nesa::api {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
namespace asio = net::asio;
namespace beast = net::beast;
namespace http = net::http;
using net::tcp;
using json = nlohmann::json;

namespace {

constexpr auto kHeaderTime = 10s;    // to send a request's headers
constexpr auto kBodyTime = 10min;    // to send its body (an upload)
constexpr auto kWriteTime = 60s;     // to take one piece of an answer
constexpr auto kPollInterval = 20ms; // how often a waiting connection looks at its query
constexpr int kIoThreads = 2;

/// An HTTP status and a body in the endpoint's dialect.
struct Reply {
  unsigned status = 200;
  std::string contentType = "application/json";
  std::string body;
  bool close = false;
};

unsigned statusFor(ErrorCode code) {
  switch (code) {
  case ErrorCode::InvalidInput:
  case ErrorCode::Corrupt: return 400;
  case ErrorCode::WrongPassphrase:
  case ErrorCode::Forbidden: return 403;
  case ErrorCode::NotFound: return 404;
  case ErrorCode::Busy:
  case ErrorCode::Unavailable: return 503;
  default: return 500;
  }
}

std::string codeName(ErrorCode code) {
  std::string name = errorCodeName(code);
  for (auto &c : name)
    if (c == '-')
      c = '_';
  return name;
}

Reply errorReply(bool ollama, unsigned status, const std::string &message, std::string code) {
  return Reply{
      status, "application/json",
      errorBody(ollama, message, status >= 500 ? "server_error" : "invalid_request_error", code)};
}

Reply errorReply(bool ollama, const Error &error) {
  return errorReply(ollama, statusFor(error.code), error.message, codeName(error.code));
}

std::string base64(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char *>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.pop_back(); // the terminating NUL
  return out;
}

/// A file name the client gave, reduced to letters, digits, '.', '-' and '_' (its extension
/// tells the readers what it is); never a path.
std::string safeFileName(const std::string &given) {
  std::string name = fs::path(given).filename().string();
  if (name.size() > 128)
    name = name.substr(name.size() - 128); // the end: the extension tells what it is
  for (auto &c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_')
      c = '_';
  while (!name.empty() && name.front() == '.')
    name.erase(name.begin());
  return name.empty() ? "upload" : name;
}

/// Whether the client at the other end of `socket` has gone: closed (or shut its sending side:
/// a client must keep it open until its answer came) or broken, whatever it may still have
/// sent.
bool peerIsGone(tcp::socket &socket) {
  pollfd watched{socket.native_handle(), POLLRDHUP, 0};
  if (::poll(&watched, 1, 0) < 0)
    return false;
  return (watched.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

} // namespace

struct LocalApi::State : std::enable_shared_from_this<LocalApi::State> {
  ApiOptions options;
  std::function<void(const std::string &)> notice;
  QueryRunner runner;
  std::vector<std::thread> threads;
  std::uint16_t port = 0;
  std::atomic<bool> stopping{false};
  std::atomic<std::uint64_t> queries{0}, refusedBusy{0}, cancelled{0}, connections{0};
  std::shared_ptr<std::atomic<std::uint64_t>> workFolders =
      std::make_shared<std::atomic<std::uint64_t>>(0);
  // Last, so destroyed first: destroying the io_context destroys the connections' suspended
  // coroutines, which still use the members above (their counts, their jobs' folders).
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};

  State(ApiOptions o, analysis::NetworkChoice network, analysis::Secrets secrets,
        std::function<void(const std::string &)> n)
      : options(std::move(o)), notice(std::move(n)),
        runner(std::move(network), std::move(secrets), notice, options.maxQueries,
               options.runHooks) {}

  void tell(const std::string &line) const {
    if (notice)
      notice(line);
  }

  asio::awaitable<void> acceptLoop();
  asio::awaitable<void> serveConnection(tcp::socket socket);
  asio::awaitable<bool> serveRequest(beast::tcp_stream &stream, beast::flat_buffer &buffer);
  asio::awaitable<void> write(beast::tcp_stream &stream, const Reply &reply, unsigned version);
  Reply route(const http::request<http::string_body> &request, bool ollama);
  Result<std::shared_ptr<QueryJob>> textJob(const TextQuery &query);
  /// A job for `model` on `content`, written as `fileName` in a folder of its own.
  Result<std::shared_ptr<QueryJob>> makeJob(const std::string &model, const NesaOptions &nesa,
                                            const std::string &fileName, std::string_view content);
  Result<std::shared_ptr<QueryJob>> analyzeJob(const http::request<http::string_body> &request);
  asio::awaitable<void> answerQuery(beast::tcp_stream &stream, std::shared_ptr<QueryJob> job,
                                    const AnswerContext *text, bool streamed, unsigned version);
  Reply status() const;
  Reply models(bool ollama) const;
};

namespace {

/// The installed model `id`; NotFound (404) when there is none. Ids are names, never paths.
Result<registry::RegisteredModel> installedModel(const std::string &id) {
  if (id.empty() || id.front() == '.' || id.find('/') != std::string::npos ||
      id.find('\\') != std::string::npos)
    return fail(ErrorCode::NotFound,
                "'" + id + "' is not an installed model's id (GET /v1/models)");
  auto models =
      registry::ModelRegistry::open(registry::userModelsFolder(), registry::builtInModelFolders());
  if (!models)
    return models.error();
  auto found = models->find(id);
  if (!found)
    return fail(ErrorCode::NotFound, "'" + id + "' is not an installed model (GET /v1/models)");
  return found;
}

std::int64_t unixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string randomId(const char *prefix) {
  unsigned char random[12];
  randombytes_buf(random, sizeof random);
  char hex[sizeof random * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, random, sizeof random);
  return std::string(prefix) + hex;
}

} // namespace

Result<std::shared_ptr<QueryJob>> LocalApi::State::textJob(const TextQuery &query) {
  auto model = installedModel(query.model);
  if (!model)
    return model.error();
  if (model->kind != registry::ModelKind::LanguageModel)
    return fail(ErrorCode::InvalidInput, "'" + query.model +
                                             "' is not a language model: send files to it "
                                             "through /v1/analyze");
  return makeJob(query.model, query.nesa, "document.txt", query.document);
}

Result<std::shared_ptr<QueryJob>> LocalApi::State::makeJob(const std::string &model,
                                                           const NesaOptions &nesa,
                                                           const std::string &fileName,
                                                           std::string_view content) {
  auto folder = WorkFolder::make(options.workFolder, workFolders);
  if (!folder)
    return folder.error();
  const auto input = (*folder)->path() / fileName;
  {
    std::ofstream out(input, std::ios::binary);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out.flush())
      return fail(ErrorCode::Io, "cannot write the query's input to " + input.string());
  }
  auto job = std::make_shared<QueryJob>();
  job->folder = std::move(*folder);
  job->request.input = input;
  job->request.model = model;
  job->request.task = nesa.task;
  job->request.labels = nesa.labels;
  job->request.level = nesa.level.value_or(options.defaultLevel);
  if (nesa.shares)
    job->request.shares = *nesa.shares;
  return job;
}

Result<std::shared_ptr<QueryJob>>
LocalApi::State::analyzeJob(const http::request<http::string_body> &request) {
  auto boundary = multipartBoundary(std::string(request[http::field::content_type]));
  if (!boundary)
    return boundary.error();
  auto parts = parseMultipart(request.body(), *boundary);
  if (!parts)
    return parts.error();
  const FormPart *file = nullptr;
  std::string model, output, nesaJson;
  for (const auto &part : *parts) {
    if (part.name == "file" && part.filename)
      file = &part;
    else if (part.name == "model")
      model = std::string(part.content);
    else if (part.name == "output")
      output = std::string(part.content);
    else if (part.name == "nesa")
      nesaJson = std::string(part.content);
    else
      return fail(ErrorCode::InvalidInput,
                  "the form field '" + part.name + "' is not one of file, model, nesa, output");
  }
  if (!file)
    return fail(ErrorCode::InvalidInput, "the form has no file (curl -F file=@SCAN.nii.gz)");
  if (output != "" && output != "npy" && output != "nifti")
    return fail(ErrorCode::InvalidInput, "output must be npy or nifti (or left out)");
  NesaOptions nesa;
  if (!nesaJson.empty()) {
    auto parsed = parseNesaOptions(nesaJson);
    if (!parsed)
      return parsed.error();
    nesa = std::move(*parsed);
  }
  auto found = installedModel(model);
  if (!found)
    return found.error();
  // Refused before anything runs (and is paid for): a NIfTI needs a model that segments scans.
  if (output == "nifti" &&
      (found->task != "segmentation" || !found->manifest || found->manifest->input != "volume"))
    return fail(ErrorCode::InvalidInput, "'" + model +
                                             "' does not segment scans: output=nifti needs a "
                                             "segmentation model of NIfTI or DICOM scans");
  auto job = makeJob(model, nesa, safeFileName(*file->filename), file->content);
  if (job)
    (*job)->outputFormat = output;
  return job;
}

LocalApi::LocalApi(ApiOptions options, analysis::NetworkChoice network, analysis::Secrets secrets,
                   std::function<void(const std::string &)> notice)
    : m(std::make_shared<State>(std::move(options), std::move(network), std::move(secrets),
                                std::move(notice))) {}

LocalApi::~LocalApi() { stop(); }

Result<void> LocalApi::start() {
  if (sodium_init() < 0)
    return fail(ErrorCode::Internal, "libsodium failed to start");
  if (m->options.token.size() < 32)
    return fail(ErrorCode::InvalidInput, "the API needs a token of 32 characters or more");
  beast::error_code ec;
  const tcp::endpoint where(asio::ip::address_v4::loopback(), m->options.port);
  m->acceptor.open(where.protocol(), ec);
  if (!ec)
    m->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec)
    m->acceptor.bind(where, ec);
  if (!ec)
    m->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return fail(ErrorCode::Unavailable, "cannot listen on 127.0.0.1:" +
                                            std::to_string(m->options.port) + ": " + ec.message());
  m->port = m->acceptor.local_endpoint().port();
  // Folders of queries a killed server left behind (their uploads) go now.
  std::error_code ignored;
  for (const auto &entry : fs::directory_iterator(m->options.workFolder, ignored))
    if (entry.path().filename().string().rfind("query-", 0) == 0)
      fs::remove_all(entry.path(), ignored);
  asio::co_spawn(m->acceptor.get_executor(), m->acceptLoop(), asio::detached);
  for (int i = 0; i < kIoThreads; ++i)
    m->threads.emplace_back([state = m.get()] { state->ioc.run(); });
  return {};
}

std::uint16_t LocalApi::port() const { return m->port; }

void LocalApi::stop() {
  if (!m || m->stopping.exchange(true))
    return;
  // The running query stops before its next remote call and those waiting are refused: their
  // connections answer (an error) and close.
  m->runner.stop();
  asio::post(m->acceptor.get_executor(), [state = m.get()] {
    beast::error_code ignored;
    state->acceptor.close(ignored);
  });
  // A moment for those answers; then connections still open (idle ones, slow readers) are
  // dropped with the io_context.
  for (int i = 0; i < 200 && m->connections > 0; ++i)
    std::this_thread::sleep_for(10ms);
  m->ioc.stop();
  for (auto &thread : m->threads)
    if (thread.joinable())
      thread.join();
  m->threads.clear();
}

ApiStats LocalApi::stats() const {
  return ApiStats{m->queries,          m->refusedBusy, m->cancelled,   m->runner.stoppedRuns(),
                  m->runner.waiting(), m->connections, *m->workFolders};
}

asio::awaitable<void> LocalApi::State::acceptLoop() {
  auto backoff = 10ms;
  for (;;) {
    beast::error_code ec;
    // Each connection on a strand of its own: its stream's timer and its coroutine never run
    // at once on the two threads.
    auto socket = co_await acceptor.async_accept(asio::make_strand(ioc),
                                                 asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted || !acceptor.is_open())
      co_return;
    if (ec) { // out of descriptors, most likely: wait rather than spin
      asio::steady_timer pause(acceptor.get_executor(), backoff);
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      backoff = std::min<std::chrono::milliseconds>(backoff * 2, 1s);
      continue;
    }
    backoff = 10ms;
    auto executor = socket.get_executor();
    asio::co_spawn(executor, serveConnection(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> LocalApi::State::serveConnection(tcp::socket socket) {
  struct Counted { // this connection's place, given back however the coroutine ends
    std::atomic<std::uint64_t> &open;
    ~Counted() { --open; }
  } counted{connections};
  const bool overCap = ++connections > options.maxConnections;
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  if (overCap) {
    Reply busy = errorReply(false, 503, "too many connections are open", "busy");
    busy.close = true;
    co_await write(stream, busy, 11);
    co_return;
  }
  try {
    while (co_await serveRequest(stream, buffer)) {
    }
  } catch (const std::exception &) {
    // the client went away or sent what HTTP cannot be: the connection ends, the server stays
  }
  // Closing with a request body unread (a refusal) would reset the connection and could hide
  // the answer from the client: stop sending, then read and drop what still comes, briefly.
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream.expires_after(1s);
  std::array<char, 64 * 1024> sink;
  for (std::size_t drained = 0; drained < (8u << 20);) {
    const auto got = co_await stream.async_read_some(
        asio::buffer(sink), asio::redirect_error(asio::use_awaitable, ignored));
    if (ignored)
      break;
    drained += got;
  }
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

asio::awaitable<void> LocalApi::State::write(beast::tcp_stream &stream, const Reply &reply,
                                             unsigned version) {
  http::response<http::string_body> response{static_cast<http::status>(reply.status), version};
  response.set(http::field::server, "nesa");
  response.set(http::field::content_type, reply.contentType);
  if (reply.status == 401)
    response.set(http::field::www_authenticate, "Bearer");
  if (reply.status == 503)
    response.set(http::field::retry_after, "1");
  response.keep_alive(!reply.close);
  response.body() = reply.body;
  response.prepare_payload();
  stream.expires_after(kWriteTime);
  co_await http::async_write(stream, response, asio::use_awaitable);
}

asio::awaitable<bool> LocalApi::State::serveRequest(beast::tcp_stream &stream,
                                                    beast::flat_buffer &buffer) {
  http::request_parser<http::empty_body> head;
  head.header_limit(16 * 1024);
  head.body_limit(std::numeric_limits<std::uint64_t>::max()); // checked below, per endpoint
  stream.expires_after(kHeaderTime);
  beast::error_code readError;
  co_await http::async_read_header(stream, buffer, head,
                                   asio::redirect_error(asio::use_awaitable, readError));
  if (readError)
    co_return false; // closed between requests, timed out, or not HTTP
  const auto &header = head.get();
  const std::string target(header.target().substr(0, header.target().find('?')));
  const bool ollama = target.rfind("/api/", 0) == 0;
  const unsigned version = header.version();
  if (!bearerMatches(std::string(header[http::field::authorization]), options.token)) {
    Reply denied = errorReply(ollama, 401,
                              "a bearer token is needed: Authorization: Bearer "
                              "<the token in DATA/api-token>",
                              "invalid_api_key");
    denied.close = true; // its body is not read
    co_await write(stream, denied, version);
    co_return false;
  }
  const bool upload = target == "/v1/analyze";
  const std::size_t limit = upload ? options.maxUploadBytes : options.maxJsonBytes;
  if (head.content_length() && *head.content_length() > limit) {
    Reply tooLarge = errorReply(
        ollama, 413, "the body is over " + std::to_string(limit >> 20) + " MiB", "body_too_large");
    tooLarge.close = true;
    co_await write(stream, tooLarge, version);
    co_return false;
  }
  if (beast::iequals(header[http::field::expect], "100-continue")) { // curl -F, large uploads
    stream.expires_after(kWriteTime);
    co_await asio::async_write(stream, asio::buffer("HTTP/1.1 100 Continue\r\n\r\n", 25),
                               asio::use_awaitable);
  }
  http::request_parser<http::string_body> parser(std::move(head));
  parser.body_limit(limit);
  stream.expires_after(kBodyTime);
  beast::error_code bodyError;
  co_await http::async_read(stream, buffer, parser,
                            asio::redirect_error(asio::use_awaitable, bodyError));
  if (bodyError == http::error::body_limit) { // chunked, so not known before
    Reply tooLarge = errorReply(
        ollama, 413, "the body is over " + std::to_string(limit >> 20) + " MiB", "body_too_large");
    tooLarge.close = true;
    co_await write(stream, tooLarge, version);
    co_return false;
  }
  if (bodyError)
    co_return false;
  auto request = parser.release();
  const bool keepAlive = request.keep_alive();
  const auto method = request.method();

  // The queries: answered when their run ends (or piece by piece), then the connection closes.
  static const std::map<std::string, Dialect> kTextEndpoints = {
      {"/v1/chat/completions", Dialect::OpenAiChat},
      {"/v1/completions", Dialect::OpenAiCompletion},
      {"/api/chat", Dialect::OllamaChat},
      {"/api/generate", Dialect::OllamaGenerate}};
  const auto text = kTextEndpoints.find(target);
  if ((text != kTextEndpoints.end() || upload) && method == http::verb::post) {
    std::optional<AnswerContext> context;
    bool streamed = false;
    Result<std::shared_ptr<QueryJob>> job = fail(ErrorCode::Internal, "no job");
    if (upload) {
      job = analyzeJob(request);
      std::string().swap(request.body()); // written to the query's folder: not kept twice
    } else {
      auto query = parseTextQuery(text->second, request.body());
      if (!query) {
        job = query.error();
      } else {
        streamed = query->stream;
        const bool chat = text->second == Dialect::OpenAiChat;
        context = AnswerContext{text->second, randomId(chat ? "chatcmpl-" : "cmpl-"), query->model,
                                unixNow()};
        job = textJob(*query);
      }
    }
    if (job) {
      if (auto queued = runner.submit(*job); !queued) {
        if (queued.error().code == ErrorCode::Busy)
          ++refusedBusy;
        job = queued.error();
      }
    }
    if (!job) {
      Reply refused = errorReply(ollama, job.error());
      refused.close = !keepAlive;
      co_await write(stream, refused, version);
      co_return keepAlive;
    }
    co_await answerQuery(stream, *job, context ? &*context : nullptr, streamed, version);
    co_return false;
  }
  Reply reply = route(request, ollama);
  reply.close = reply.close || !keepAlive;
  co_await write(stream, reply, version);
  co_return !reply.close;
}

Reply LocalApi::State::route(const http::request<http::string_body> &request, bool ollama) {
  const std::string target(request.target().substr(0, request.target().find('?')));
  const bool get = request.method() == http::verb::get;
  if (target == "/v1/models" || target == "/api/tags")
    return get ? models(ollama) : errorReply(ollama, 405, "use GET", "method_not_allowed");
  if (target == "/nesa/status")
    return get ? status() : errorReply(ollama, 405, "use GET", "method_not_allowed");
  if (target == "/api/version")
    return get ? Reply{200, "application/json", json{{"version", "0.0.0-nesa"}}.dump()}
               : errorReply(ollama, 405, "use GET", "method_not_allowed");
  for (const char *query :
       {"/v1/chat/completions", "/v1/completions", "/api/chat", "/api/generate", "/v1/analyze"})
    if (target == query)
      return errorReply(ollama, 405, "use POST", "method_not_allowed");
  return errorReply(ollama, 404, "no endpoint " + target + " (docs/api.md lists them)",
                    "not_found");
}

Reply LocalApi::State::models(bool ollama) const {
  auto models =
      registry::ModelRegistry::open(registry::userModelsFolder(), registry::builtInModelFolders());
  if (!models)
    return errorReply(ollama, models.error());
  std::vector<ListedModel> listed;
  for (const auto &model : models->list())
    listed.push_back({model.id, registry::kindName(model.kind), model.sha256, model.bytes});
  return Reply{200, "application/json", modelList(ollama, listed, unixNow())};
}

Reply LocalApi::State::status() const {
  const json body = {{"queries", queries.load()},           {"refused_busy", refusedBusy.load()},
                     {"cancelled", cancelled.load()},       {"waiting", runner.waiting()},
                     {"max_queries", options.maxQueries},   {"connections", connections.load()},
                     {"work_folders", workFolders->load()}, {"runs_stopped", runner.stoppedRuns()}};
  return Reply{200, "application/json", body.dump()};
}

asio::awaitable<void> LocalApi::State::answerQuery(beast::tcp_stream &stream,
                                                   std::shared_ptr<QueryJob> job,
                                                   const AnswerContext *text, bool streamed,
                                                   unsigned version) {
  const bool ollama =
      text && (text->dialect == Dialect::OllamaChat || text->dialect == Dialect::OllamaGenerate);
  asio::steady_timer poll(stream.get_executor());
  bool sentText = false;
  bool headerSent = false;
  // However this ends before its answer — the client gone, a write failed or timed out, the
  // server stopping — the query is cancelled: the runner skips it or stops it before its next
  // remote call, and its folder goes with the job.
  struct CancelUnlessAnswered {
    QueryJob &job;
    std::atomic<std::uint64_t> &cancelled;
    bool answered = false;
    ~CancelUnlessAnswered() {
      if (!answered) {
        job.cancel = true;
        ++cancelled;
      }
    }
  } guard{*job, cancelled};
  // A piece of a streamed answer as one HTTP chunk.
  auto sendChunk = [&](const std::string &data) -> asio::awaitable<void> {
    if (data.empty())
      co_return;
    char size[20];
    const int n = std::snprintf(size, sizeof size, "%zx\r\n", data.size());
    const std::array<asio::const_buffer, 3> pieces{asio::buffer(size, static_cast<std::size_t>(n)),
                                                   asio::buffer(data), asio::buffer("\r\n", 2)};
    stream.expires_after(kWriteTime);
    co_await asio::async_write(stream, pieces, asio::use_awaitable);
  };
  for (;;) {
    auto progress = job->take();
    guard.answered = progress.finished;
    const bool failed = progress.finished && progress.error;
    if (streamed && !headerSent &&
        (progress.text.empty() ? progress.finished && !failed : !failed)) {
      // The head of a stream goes out with its first piece, so a query that fails before it
      // gets a plain HTTP error (and what it wrote meanwhile is dropped).
      http::response<http::empty_body> head{http::status::ok, version};
      head.set(http::field::server, "nesa");
      head.set(http::field::content_type, ollama ? "application/x-ndjson" : "text/event-stream");
      head.set(http::field::cache_control, "no-cache");
      head.chunked(true);
      head.keep_alive(false);
      http::response_serializer<http::empty_body> serializer{head};
      stream.expires_after(kWriteTime);
      co_await http::async_write_header(stream, serializer, asio::use_awaitable);
      headerSent = true;
    }
    if (headerSent && !progress.text.empty()) {
      co_await sendChunk(streamPiece(*text, progress.text));
      sentText = true;
    }
    if (progress.finished) {
      ++queries;
      if (streamed && headerSent) {
        if (progress.error) {
          co_await sendChunk(
              streamError(*text, progress.error->message, codeName(progress.error->code)));
        } else {
          if (!sentText) // a classification: its lines come at the end
            co_await sendChunk(streamPiece(*text, progress.finalText));
          co_await sendChunk(streamEnd(*text, progress.resultJson));
        }
        stream.expires_after(kWriteTime);
        co_await asio::async_write(stream, asio::buffer("0\r\n\r\n", 5), asio::use_awaitable);
        co_return;
      }
      Reply reply;
      if (progress.error) {
        reply = errorReply(ollama, *progress.error);
      } else if (text) {
        reply.body = wholeAnswer(*text, progress.finalText, progress.resultJson);
      } else {
        auto result = json::parse(progress.resultJson, nullptr, false);
        if (result.is_discarded())
          result = json::object();
        if (!job->outputFormat.empty())
          result["output_" + job->outputFormat + "_base64"] = base64(progress.outputFile);
        reply.body = result.dump(-1, ' ', false, json::error_handler_t::replace);
      }
      reply.close = true;
      co_await write(stream, reply, version);
      co_return;
    }
    if (peerIsGone(stream.socket()))
      co_return; // (the guard cancels it)
    poll.expires_after(kPollInterval);
    co_await poll.async_wait(asio::use_awaitable);
  }
}

} // namespace nesa::api
