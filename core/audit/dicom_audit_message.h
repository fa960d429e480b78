// Audit records as DICOM PS3.15 (Annex A.5) audit messages, the XML that IHE ATNA audit
// repositories take.
#pragma once

#include "audit/audit_log.h"

#include <string>

namespace nesa::audit {

/// One record as one <AuditMessage> document (no XML declaration, one line). `sourceId` names
/// the machine and program that audited it (AuditSourceIdentification).
std::string toDicomAuditMessage(const AuditEntry &entry, const std::string &sourceId);

/// The record's time as an XML Schema dateTime in UTC with milliseconds
/// ("2026-12-05T22:10:03.120Z").
std::string utcTimestamp(std::int64_t timeMs);

} // namespace nesa::audit
