// Audit records leave the computer for the organisation's audit repository: RFC 5424 syslog
// messages over TLS (RFC 5425, octet-counted frames), each carrying a DICOM PS3.15 audit message
// as IHE ATNA asks, followed by the log's latest signed checkpoint, so that the repository keeps
// a copy nobody on this computer can roll back.
#pragma once

#include "audit/audit_log.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

namespace nesa::audit {

/// Where the records go and how the connection is checked.
struct SyslogTarget {
  std::string host;             ///< the repository's name or address
  std::uint16_t port = 6514;    ///< RFC 5425's port
  std::filesystem::path caFile; ///< PEM certificates that must have signed the server's
  /// The name the server's certificate must carry (DNS name or IP address); empty: `host`.
  std::string serverName;
  std::filesystem::path certFile; ///< this computer's client certificate (PEM), when asked for
  std::filesystem::path keyFile;  ///< its private key (PEM)
  std::chrono::seconds timeout{10};

  /// Parses "HOST:PORT" (or "HOST", port 6514); InvalidInput otherwise.
  static Result<SyslogTarget> parse(const std::string &address);
};

/// An RFC 5424 message: "<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID - MSG", facility
/// security/authorization (10), severity notice (5), APP-NAME "nesa", MSGID as given, MSG as
/// UTF-8 with its byte-order mark.
std::string syslogMessage(std::int64_t timeMs, const std::string &hostname,
                          const std::string &msgId, const std::string &message);

/// What one shipping sent.
struct ShipReport {
  std::uint64_t firstSequence = 0; ///< the first record sent
  std::uint64_t records = 0;       ///< records sent (0: none was new)
};

/// Sends the records of `log` (in `folder`) that were not sent yet — from the sequence kept in
/// `<folder>/audit.shipped` — to `target`, then the latest signed checkpoint (MSGID
/// "NESA-CHECKPOINT"), and moves the mark past them. A failure leaves the mark where it was, so
/// the next shipping sends them again (the repository may see a record twice, never miss one).
Result<ShipReport> shipToSyslog(AuditLog &log, const std::filesystem::path &folder,
                                const SyslogTarget &target);

} // namespace nesa::audit
