#include "pacs/internal/web_session.h"

#include <utility> // Boost 1.74's asio needs std::exchange declared before it under C++20

#include <boost/asio.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <optional>

namespace nesa::pacs {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;

struct WebSession::State {
  PacsNode node;
  std::chrono::seconds timeout;
  asio::io_context ioc;
  tcp::resolver resolver{ioc};
  ssl::context tls{ssl::context::tls_client};
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buffer;
  bool open = false;
  std::optional<Error> tlsSetup; ///< why the TLS files cannot be used, once tried

  beast::tcp_stream &lowest() { return secure ? beast::get_lowest_layer(*secure) : *plain; }

  /// Ends what is pending: the operations complete (with an error) when the context runs.
  void abort() {
    resolver.cancel();
    if (plain || secure) {
      beast::error_code ignored;
      lowest().socket().close(ignored);
    }
  }

  /// Drops the connection. Only when nothing is pending: the operations use the streams.
  void close() {
    abort();
    plain.reset();
    secure.reset();
    buffer.clear();
    open = false;
  }
};

namespace {

// Runs `operation` to its end. With a deadline, whatever is pending when it passes is aborted
// and allowed to finish before anything is freed; false then.
template <class Operation>
bool runToEnd(WebSession::State &state, Operation operation,
              std::optional<std::chrono::seconds> deadline) {
  bool finished = false;
  asio::co_spawn(
      state.ioc,
      [&]() -> asio::awaitable<void> {
        co_await operation();
        finished = true;
      },
      asio::detached);
  state.ioc.restart();
  if (deadline)
    state.ioc.run_for(*deadline);
  else
    state.ioc.run();
  if (finished)
    return true;
  state.abort();
  state.ioc.restart();
  state.ioc.run(); // the aborted operations complete here, while the streams still exist
  return false;
}

Result<void> setUpTls(WebSession::State &state) {
  const PacsNode &node = state.node;
  try {
    state.tls.set_verify_mode(ssl::verify_peer);
    SSL_CTX_set_min_proto_version(state.tls.native_handle(), TLS1_2_VERSION);
    if (node.trustedCertificates.empty())
      state.tls.set_default_verify_paths();
    else
      state.tls.load_verify_file(node.trustedCertificates.string());
    if (!node.certificate.empty()) {
      state.tls.use_certificate_chain_file(node.certificate.string());
      state.tls.use_private_key_file(node.privateKey.string(), ssl::context::pem);
    }
  } catch (const boost::system::system_error &e) {
    return fail(ErrorCode::InvalidInput,
                "cannot set up TLS with the given certificates: " + e.code().message());
  }
  return {};
}

// The host the certificate must name: its DNS name, or its IP address (without a zone).
Result<void> expectIdentity(SSL *ssl, const std::string &host) {
  const std::string address = host.substr(0, host.find('%'));
  boost::system::error_code ec;
  asio::ip::make_address(address, ec);
  bool set = false;
  if (ec) { // a name: sent (SNI) and checked against the certificate
    set = SSL_set_tlsext_host_name(ssl, host.c_str()) == 1 && SSL_set1_host(ssl, host.c_str()) == 1;
  } else {
    set = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), address.c_str()) == 1;
  }
  if (!set) // never a session whose certificate's names go unchecked
    return fail(ErrorCode::InvalidInput, "cannot check a TLS certificate against \"" + host + "\"");
  return {};
}

std::string certificateProblem(WebSession::State &state) {
  const long verified = SSL_get_verify_result(state.secure->native_handle());
  if (verified == X509_V_OK)
    return {};
  return X509_verify_cert_error_string(verified);
}

// Opens the connection: TCP, then TLS with the host's name checked when https. Resolving,
// connecting and the handshake must end within the session's timeout.
Result<void> connect(WebSession::State &state) {
  if (state.tlsSetup)
    return *state.tlsSetup;
  const PacsNode &node = state.node;
  const std::string where = describe(node);
  if (node.https) {
    state.secure.emplace(state.ioc, state.tls);
    if (auto identity = expectIdentity(state.secure->native_handle(), node.host); !identity) {
      state.close();
      return identity.error();
    }
  } else {
    state.plain.emplace(state.ioc);
  }
  std::optional<Error> error;
  auto open = [&]() -> asio::awaitable<void> {
    try {
      const auto addresses = co_await state.resolver.async_resolve(
          node.host, std::to_string(node.port), asio::use_awaitable);
      co_await state.lowest().async_connect(addresses, asio::use_awaitable);
    } catch (const boost::system::system_error &e) {
      error = Error{ErrorCode::Unavailable,
                    "no PACS answers at " + where + " (" + e.code().message() + ")"};
      co_return;
    }
    if (!state.secure)
      co_return;
    try {
      co_await state.secure->async_handshake(ssl::stream_base::client, asio::use_awaitable);
    } catch (const boost::system::system_error &e) {
      const std::string problem = certificateProblem(state);
      if (!problem.empty())
        error = Error{ErrorCode::InvalidInput,
                      "the PACS " + where + " shows a TLS certificate that " +
                          (node.trustedCertificates.empty()
                               ? std::string("no authority of this system vouches for")
                               : "does not chain to " + node.trustedCertificates.string()) +
                          " or does not name " + node.host + " (" + problem +
                          "): nothing was sent; check that this is the right PACS"};
      else
        error = Error{ErrorCode::Unavailable,
                      "no TLS session with the PACS " + where + " (" + e.code().message() + ")"};
    }
  };
  if (!runToEnd(state, open, state.timeout)) {
    state.close();
    return fail(ErrorCode::Unavailable, "no answer from the PACS " + where + " within " +
                                            std::to_string(state.timeout.count()) + " s");
  }
  if (error) {
    state.close();
    return *error;
  }
  state.open = true;
  return {};
}

// Writes `request` and reads the answer. The timeout is for silence: each piece sent or received
// must move within it, so a large instance on a slow link goes through.
template <class Stream>
asio::awaitable<void> exchangeOn(WebSession::State &state, Stream &stream,
                                 http::request<http::string_body> &request, std::size_t maxBytes,
                                 bool &sent, std::optional<WebResponse> &response,
                                 std::optional<Error> &error) {
  const std::string where = describe(state.node);
  beast::tcp_stream &tcpStream = state.lowest();
  try {
    http::request_serializer<http::string_body> serializer(request);
    while (!serializer.is_done()) {
      tcpStream.expires_after(state.timeout);
      co_await http::async_write_some(stream, serializer, asio::use_awaitable);
    }
    sent = true;
    http::response_parser<http::string_body> parser;
    parser.body_limit(maxBytes);
    while (!parser.is_done()) {
      tcpStream.expires_after(state.timeout);
      co_await http::async_read_some(stream, state.buffer, parser, asio::use_awaitable);
    }
    tcpStream.expires_never();
    auto &message = parser.get();
    if (!parser.keep_alive())
      state.open = false; // closed once the answer is taken
    response =
        WebResponse{static_cast<int>(message.result_int()),
                    std::string(message[http::field::content_type]), std::move(message.body())};
  } catch (const boost::system::system_error &e) {
    if (e.code() == http::error::body_limit)
      error = Error{ErrorCode::Corrupt, "the PACS " + where + " answered with more than " +
                                            std::to_string(maxBytes >> 20) + " MiB"};
    else if (e.code() == beast::error::timeout)
      error = Error{ErrorCode::Unavailable, "the PACS " + where + " went silent for " +
                                                std::to_string(state.timeout.count()) + " s"};
    else
      error = Error{ErrorCode::Unavailable,
                    "the PACS " + where + " broke off (" + e.code().message() + ")"};
  } catch (const std::exception &e) { // out of memory, ...
    error = Error{ErrorCode::Io, "the exchange with the PACS " + where + " failed: " + e.what()};
  }
}

Result<WebResponse> exchange(WebSession::State &state, http::request<http::string_body> &request,
                             std::size_t maxBytes) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = state.open;
    if (!state.open)
      if (auto opened = connect(state); !opened)
        return opened.error();
    std::optional<WebResponse> response;
    std::optional<Error> error;
    bool sent = false;
    runToEnd(
        state,
        [&]() -> asio::awaitable<void> {
          if (state.secure)
            co_await exchangeOn(state, *state.secure, request, maxBytes, sent, response, error);
          else
            co_await exchangeOn(state, *state.plain, request, maxBytes, sent, response, error);
        },
        std::nullopt); // the streams' own timeouts bound it
    if (response) {
      if (!state.open)
        state.close();
      return std::move(*response);
    }
    state.close();
    // A kept connection the PACS closed while idle: once more on a new one, unless a POST
    // may have reached it.
    const bool repeatable = !sent || request.method() == http::verb::get;
    if (!(reused && repeatable && error && error->code == ErrorCode::Unavailable))
      return error ? *error : Error{ErrorCode::Io, "the exchange with the PACS failed"};
  }
  return fail(ErrorCode::Unavailable,
              "the PACS " + describe(state.node) + " keeps closing the connection");
}

http::request<http::string_body> makeRequest(const PacsNode &node, http::verb verb,
                                             const std::string &path, const std::string &accept) {
  const std::string base = node.webPath == "/" ? "" : node.webPath;
  http::request<http::string_body> request{verb, base + path, 11};
  const bool ipv6 = node.host.find(':') != std::string::npos;
  request.set(http::field::host,
              (ipv6 ? "[" + node.host + "]" : node.host) + ":" + std::to_string(node.port));
  request.set(http::field::user_agent, "nesa");
  request.set(http::field::accept, accept);
  request.keep_alive(true);
  return request;
}

} // namespace

WebSession::WebSession(PacsNode node, std::chrono::seconds timeout)
    : m_state(std::make_unique<State>()) {
  m_state->node = std::move(node);
  m_state->timeout = timeout;
  if (m_state->node.https)
    if (auto set = setUpTls(*m_state); !set)
      m_state->tlsSetup = set.error();
}

WebSession::~WebSession() { m_state->close(); }

Result<WebResponse> WebSession::get(const std::string &path, const std::string &accept,
                                    std::size_t maxBytes) {
  auto request = makeRequest(m_state->node, http::verb::get, path, accept);
  return exchange(*m_state, request, maxBytes);
}

Result<WebResponse> WebSession::post(const std::string &path, const std::string &contentType,
                                     std::string body, const std::string &accept,
                                     std::size_t maxBytes) {
  auto request = makeRequest(m_state->node, http::verb::post, path, accept);
  request.set(http::field::content_type, contentType);
  request.body() = std::move(body);
  request.prepare_payload();
  return exchange(*m_state, request, maxBytes);
}

} // namespace nesa::pacs
