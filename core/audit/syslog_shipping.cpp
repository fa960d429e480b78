#include "audit/syslog_shipping.h"

#include "audit/dicom_audit_message.h"
#include "util/atomic_file.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

namespace nesa::audit {
namespace {

namespace fs = std::filesystem;

constexpr const char *kRecordMsgId = "IHE+RFC-3881"; // IHE ATNA's MSGID for audit messages
constexpr const char *kCheckpointMsgId = "NESA-CHECKPOINT";

/// OpenSSL's last error as text ("certificate verify failed", …).
std::string sslError() {
  std::string text;
  while (const unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    text += (text.empty() ? "" : "; ") + std::string(buffer);
  }
  return text.empty() ? "unknown TLS error" : text;
}

/// One TLS connection to a syslog server.
class TlsStream {
public:
  TlsStream() = default;
  TlsStream(const TlsStream &) = delete;
  TlsStream &operator=(const TlsStream &) = delete;
  ~TlsStream() {
    if (m_ssl)
      SSL_free(m_ssl);
    if (m_context)
      SSL_CTX_free(m_context);
    if (m_socket >= 0)
      ::close(m_socket);
  }

  Result<void> open(const SyslogTarget &target) {
    const std::string where = target.host + ":" + std::to_string(target.port);
    if (auto connected = connectTcp(target); !connected)
      return connected.error();
    m_context = SSL_CTX_new(TLS_client_method());
    if (m_context == nullptr)
      return fail(ErrorCode::Internal, "TLS: " + sslError());
    SSL_CTX_set_min_proto_version(m_context, TLS1_2_VERSION);
    // A syslog server closes the connection after our close_notify without sending its own
    // (rsyslog does): that end, after everything was read, is a clean one; alerts still fail.
    SSL_CTX_set_options(m_context, SSL_OP_IGNORE_UNEXPECTED_EOF);
    SSL_CTX_set_verify(m_context, SSL_VERIFY_PEER, nullptr);
    if (SSL_CTX_load_verify_locations(m_context, target.caFile.c_str(), nullptr) != 1)
      return fail(ErrorCode::InvalidInput,
                  "cannot read the CA certificates " + target.caFile.string() + ": " + sslError());
    if (!target.certFile.empty() &&
        (SSL_CTX_use_certificate_chain_file(m_context, target.certFile.c_str()) != 1 ||
         SSL_CTX_use_PrivateKey_file(m_context, target.keyFile.c_str(), SSL_FILETYPE_PEM) != 1))
      return fail(ErrorCode::InvalidInput, "cannot use the client certificate " +
                                               target.certFile.string() + ": " + sslError());
    m_ssl = SSL_new(m_context);
    if (m_ssl == nullptr || SSL_set_fd(m_ssl, m_socket) != 1)
      return fail(ErrorCode::Internal, "TLS: " + sslError());
    // The server's certificate must name it: an IP address or a DNS name.
    const std::string name = target.serverName.empty() ? target.host : target.serverName;
    X509_VERIFY_PARAM *check = SSL_get0_param(m_ssl);
    in6_addr ip6{};
    in_addr ip4{};
    const bool isAddress =
        inet_pton(AF_INET, name.c_str(), &ip4) == 1 || inet_pton(AF_INET6, name.c_str(), &ip6) == 1;
    if (isAddress ? X509_VERIFY_PARAM_set1_ip_asc(check, name.c_str()) != 1
                  : X509_VERIFY_PARAM_set1_host(check, name.c_str(), 0) != 1 ||
                        SSL_set_tlsext_host_name(m_ssl, name.c_str()) != 1)
      return fail(ErrorCode::InvalidInput, "cannot check the audit repository's name " + name);
    if (SSL_connect(m_ssl) != 1) {
      const long verified = SSL_get_verify_result(m_ssl);
      return fail(
          ErrorCode::Unavailable,
          "TLS with the audit repository " + where + " failed: " +
              (verified != X509_V_OK ? X509_verify_cert_error_string(verified) : sslError()));
    }
    return {};
  }

  /// Writes one RFC 5425 frame: "LENGTH SP MESSAGE".
  Result<void> sendFrame(const std::string &message) {
    const std::string frame = std::to_string(message.size()) + " " + message;
    std::size_t written = 0;
    while (written < frame.size()) {
      const int n =
          SSL_write(m_ssl, frame.data() + written,
                    static_cast<int>(std::min<std::size_t>(frame.size() - written, 1 << 20)));
      if (n <= 0)
        return fail(ErrorCode::Unavailable,
                    "the audit repository closed the connection: " + sslError());
      written += static_cast<std::size_t>(n);
    }
    return {};
  }

  /// Ends the connection and waits for the server to end it too: only then were the frames
  /// taken (a server that refuses this computer after the handshake, as TLS 1.3 allows, says so
  /// here with an alert).
  Result<void> finish() {
    if (SSL_shutdown(m_ssl) < 0)
      return fail(ErrorCode::Unavailable,
                  "the audit repository did not take the records: " + sslError());
    char buffer[256];
    for (;;) {
      const int n = SSL_read(m_ssl, buffer, sizeof buffer);
      if (n > 0)
        continue; // nothing is expected from a syslog server; read on to its close
      const int why = SSL_get_error(m_ssl, n);
      // Its close_notify, or its end of the connection (an end without close_notify is taken:
      // SSL_OP_IGNORE_UNEXPECTED_EOF); a reset means it closed with our data unread.
      if (why == SSL_ERROR_ZERO_RETURN ||
          (why == SSL_ERROR_SYSCALL && ERR_peek_error() == 0 && n == 0))
        return {};
      return fail(ErrorCode::Unavailable, "the audit repository did not confirm the records: " +
                                              (why == SSL_ERROR_SYSCALL && ERR_peek_error() == 0
                                                   ? std::string(std::strerror(errno))
                                                   : sslError()));
    }
  }

private:
  Result<void> connectTcp(const SyslogTarget &target) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *found = nullptr;
    const std::string port = std::to_string(target.port);
    if (getaddrinfo(target.host.c_str(), port.c_str(), &hints, &found) != 0 || found == nullptr)
      return fail(ErrorCode::NotFound, "cannot resolve the audit repository " + target.host);
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, freeaddrinfo);
    timeval timeout{static_cast<time_t>(target.timeout.count()), 0};
    for (const addrinfo *address = found; address != nullptr; address = address->ai_next) {
      m_socket =
          ::socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC, address->ai_protocol);
      if (m_socket < 0)
        continue;
      setsockopt(m_socket, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
      setsockopt(m_socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
      if (::connect(m_socket, address->ai_addr, address->ai_addrlen) == 0)
        return {};
      ::close(m_socket);
      m_socket = -1;
    }
    return fail(ErrorCode::Unavailable, "nothing answers at the audit repository " + target.host +
                                            ":" + std::to_string(target.port));
  }

  int m_socket = -1;
  SSL_CTX *m_context = nullptr;
  SSL *m_ssl = nullptr;
};

fs::path markPath(const fs::path &folder) { return folder / "audit.shipped"; }

/// The first sequence not sent yet: "NEXT KEY" in the mark, where KEY is the log's verifier key.
/// 0 (send everything) when nothing was sent, or when the mark belongs to another log (the log
/// was replaced) or lies past its end.
Result<std::uint64_t> readMark(const fs::path &folder, const std::string &key,
                               std::uint64_t records) {
  std::ifstream in(markPath(folder));
  if (!in)
    return std::uint64_t{0};
  std::string text, markedKey;
  std::getline(in, text, ' ');
  std::getline(in, markedKey);
  std::uint64_t next = 0;
  const auto parsed = std::from_chars(text.data(), text.data() + text.size(), next);
  if (parsed.ec != std::errc{} || parsed.ptr != text.data() + text.size())
    return fail(ErrorCode::Corrupt, markPath(folder).string() + " does not hold a record number");
  return markedKey == key && next <= records ? next : 0;
}

std::string hostName() {
  char host[256] = "localhost";
  gethostname(host, sizeof host - 1);
  return host;
}

} // namespace

Result<SyslogTarget> SyslogTarget::parse(const std::string &address) {
  SyslogTarget target;
  const auto colon = address.rfind(':');
  target.host = address.substr(0, colon);
  if (colon != std::string::npos) {
    const std::string port = address.substr(colon + 1);
    unsigned value = 0;
    const auto parsed = std::from_chars(port.data(), port.data() + port.size(), value);
    if (parsed.ec != std::errc{} || parsed.ptr != port.data() + port.size() || value == 0 ||
        value > 65535)
      return fail(ErrorCode::InvalidInput, "the audit repository is HOST:PORT, not " + address);
    target.port = static_cast<std::uint16_t>(value);
  }
  if (target.host.empty())
    return fail(ErrorCode::InvalidInput, "the audit repository is HOST:PORT, not " + address);
  return target;
}

std::string syslogMessage(std::int64_t timeMs, const std::string &hostname,
                          const std::string &msgId, const std::string &message) {
  constexpr int kPriority = 10 * 8 + 5; // security/authorization, notice
  return "<" + std::to_string(kPriority) + ">1 " + utcTimestamp(timeMs) + " " + hostname +
         " nesa " + std::to_string(getpid()) + " " + msgId + " - \xEF\xBB\xBF" + message;
}

Result<ShipReport> shipToSyslog(AuditLog &log, const fs::path &folder, const SyslogTarget &target) {
  // A repository that drops the connection must be an error, not a SIGPIPE that ends the process.
  std::signal(SIGPIPE, SIG_IGN);
  auto entries = log.list();
  if (!entries)
    return entries.error();
  const std::string key = log.verifierKey().toString();
  auto next = readMark(folder, key, entries->size());
  if (!next)
    return next.error();
  TlsStream stream;
  if (auto opened = stream.open(target); !opened)
    return opened.error();
  const std::string host = hostName();
  ShipReport report{*next, 0};
  std::uint64_t after = *next;
  for (const AuditEntry &entry : *entries) {
    if (entry.sequence < *next)
      continue;
    if (auto sent = stream.sendFrame(syslogMessage(entry.timeMs, host, kRecordMsgId,
                                                   toDicomAuditMessage(entry, "nesa@" + host)));
        !sent)
      return sent.error();
    ++report.records;
    after = entry.sequence + 1;
  }
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  if (auto sent =
          stream.sendFrame(syslogMessage(now, host, kCheckpointMsgId, log.latestCheckpoint()));
      !sent)
    return sent.error();
  if (auto taken = stream.finish(); !taken)
    return taken.error();
  if (auto marked = writeFileAtomically(markPath(folder), std::to_string(after) + " " + key + "\n");
      !marked)
    return marked.error();
  return report;
}

} // namespace nesa::audit
