// api: what the local API adds to a query. The same query through HTTP (nesa serve's server, in
// this process, on a loopback port) against the analyzer called directly, each side on a fresh
// copy of its input (as the API has: a new upload each time): a tiny GPT-2 summary at hss through
// /v1/chat/completions, and the built-in brain model on the Colin27 scan (mricron-data) at local
// through /v1/analyze. In-process miners: the figure is the API's own cost, not the network's.
#include "analysis/analyzer.h"
#include "api/local_api.h"
#include "harness.h"
#include "net/internal/asio.h"
#include "registry/model_locations.h"
#include "registry/model_registry.h"
#include "suites/or_die.h"
#include "suites/suites.h"
#include "tiny_language_models.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace nesa::bench {
namespace {

namespace fs = std::filesystem;
namespace beast = net::beast;
namespace http = net::http;
using net::tcp;

const fs::path kScan = "/usr/share/mricron/templates/ch2.nii.gz";
const std::string kToken(64, 'b');

template <typename T> T orDie(Result<T> result, const char *what) {
  return bench::orDie(std::move(result), "api", what);
}

std::string readFile(const fs::path &file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// One POST on a fresh connection; exits when the answer is not 200.
void post(std::uint16_t port, const std::string &target, const std::string &contentType,
          const std::string &body) {
  net::asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(tcp::endpoint(net::asio::ip::address_v4::loopback(), port));
  http::request<http::string_body> request{http::verb::post, target, 11};
  request.set(http::field::host, "127.0.0.1");
  request.set(http::field::authorization, "Bearer " + kToken);
  request.set(http::field::content_type, contentType);
  request.body() = body;
  request.prepare_payload();
  http::write(stream, request);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(stream, buffer, response);
  if (response.result_int() != 200) {
    std::cerr << "api suite: " << target << " answered " << response.result_int() << ": "
              << response.body() << '\n';
    std::exit(1);
  }
}

/// The server, an analyzer of its own for the baseline, and the inputs.
struct Fixture {
  fs::path home;
  std::unique_ptr<api::LocalApi> server;
  std::unique_ptr<analysis::Analyzer> direct;
  std::string document;
  std::string scan;
  int copies = 0;

  Fixture() {
    home = fs::temp_directory_path() / ("nesa-bench-api-" + std::to_string(::getpid()));
    fs::create_directories(home);
    ::setenv("NESA_HOME", home.c_str(), 1); // the registry below, not the user's
    testing::writeTinyGpt2(home / "gpt2");
    auto models = orDie(registry::ModelRegistry::open(registry::userModelsFolder(),
                                                      registry::builtInModelFolders()),
                        "registry");
    orDie(models.addLanguageModel(home / "gpt2", "bench-gpt2"), "install the tiny GPT-2");
    for (int i = 0; i < 20; ++i)
      document += "The parties agree that the supplier delivers the goods by the first of each "
                  "month, and the buyer pays within thirty days of delivery. ";
    scan = readFile(kScan);
    if (scan.empty()) {
      std::cerr << "api suite: " << kScan << " is missing (install mricron-data)\n";
      std::exit(1);
    }
    analysis::NetworkChoice network;
    network.inProcess = true;
    api::ApiOptions options;
    options.port = 0;
    options.token = kToken;
    options.workFolder = home / "api-queries";
    server = std::make_unique<api::LocalApi>(options, network, analysis::Secrets{}, nullptr);
    if (auto started = server->start(); !started) {
      std::cerr << "api suite: start the server: " << started.error().message << '\n';
      std::exit(1);
    }
    direct = std::make_unique<analysis::Analyzer>(network, analysis::Secrets{});
  }
  ~Fixture() {
    server->stop();
    std::error_code ec;
    fs::remove_all(home, ec);
  }

  /// A fresh copy of `bytes` under a new name (the analyzer reads it anew, as the API does).
  fs::path freshCopy(const std::string &bytes, const std::string &name) {
    const auto file = home / ("copy-" + std::to_string(++copies) + "-" + name);
    std::ofstream(file, std::ios::binary) << bytes;
    return file;
  }
};

std::vector<Comparison> makeComparisons() {
  auto f = std::make_shared<Fixture>();
  const auto port = f->server->port();
  std::vector<Comparison> out;
  out.push_back({"summary-hss-chat-vs-analyzer", "ms",
                 [f] {
                   analysis::Request request;
                   request.input = f->freshCopy(f->document, "contract.txt");
                   request.model = "bench-gpt2";
                   request.level = privacy::PrivacyLevel::Hss;
                   const double ms = timeMs([&] { orDie(f->direct->run(request), "summary"); });
                   fs::remove(request.input);
                   return ms;
                 },
                 [f, port] {
                   const std::string body = R"({"model":"bench-gpt2","nesa":{"privacy":"hss"},)"
                                            R"("messages":[{"role":"user","content":")" +
                                            f->document + R"("}]})";
                   return timeMs(
                       [&] { post(port, "/v1/chat/completions", "application/json", body); });
                 }});
  out.push_back({"brain-colin27-local-analyze-vs-analyzer", "ms",
                 [f] {
                   analysis::Request request;
                   request.input = f->freshCopy(f->scan, "ch2.nii.gz");
                   request.model = "brain-extraction";
                   request.level = privacy::PrivacyLevel::Local;
                   const double ms = timeMs([&] { orDie(f->direct->run(request), "brain model"); });
                   fs::remove(request.input);
                   return ms;
                 },
                 [f, port] {
                   const std::string boundary = "nesa-bench-boundary";
                   std::string body = "--" + boundary +
                                      "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n"
                                      "brain-extraction\r\n--" +
                                      boundary +
                                      "\r\nContent-Disposition: form-data; name=\"nesa\"\r\n\r\n"
                                      R"({"privacy":"local"})"
                                      "\r\n--" +
                                      boundary +
                                      "\r\nContent-Disposition: form-data; name=\"file\"; "
                                      "filename=\"ch2.nii.gz\"\r\n\r\n";
                   body += f->scan + "\r\n--" + boundary + "--\r\n";
                   return timeMs([&] {
                     post(port, "/v1/analyze", "multipart/form-data; boundary=" + boundary, body);
                   });
                 }});
  return out;
}

} // namespace

void registerApiSuite() {
  registerSuite({"api",
                 "the local API vs the analyzer called directly: a tiny GPT-2 summary at hss "
                 "(/v1/chat/completions), the brain model on Colin27 at local (/v1/analyze)",
                 makeComparisons});
}

} // namespace nesa::bench
