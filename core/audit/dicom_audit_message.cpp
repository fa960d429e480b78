#include "audit/dicom_audit_message.h"

#include <sodium.h>

#include <cstdio>
#include <ctime>

namespace nesa::audit {
namespace {

// The DICOM (DCM) event each action is reported as (PS3.16 CID 400), and its action code:
// C create, R read, U update, D delete, E execute.
struct DicomEvent {
  const char *code;
  const char *name;
  const char *actionCode;
};

DicomEvent eventOf(const std::string &action) {
  if (action == "analysis")
    return {"110103", "DICOM Instances Accessed", "R"};
  if (action == "export")
    return {"110106", "Export", "R"};
  if (action == "pacs-send")
    return {"110104", "DICOM Instances Transferred", "R"};
  if (action == "pacs-get")
    return {"110107", "Import", "C"};
  if (action == "sign-in" || action == "sign-out")
    return {"110114", "User Authentication", "E"};
  if (action == "audit-read")
    return {"110101", "Audit Log Used", "R"};
  // Wallet actions, key use and policy changes are security-relevant uses of the application.
  return {"110113", "Security Alert", "E"};
}

std::string escaped(const std::string &text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&apos;"; break;
    case '\n': out += "&#10;"; break;
    case '\r': out += "&#13;"; break;
    case '\t': out += "&#9;"; break;
    default:
      // Control characters have no place in XML 1.0: shown as the replacement character.
      if (static_cast<unsigned char>(c) < 0x20)
        out += "\xEF\xBF\xBD";
      else
        out += c;
    }
  }
  return out;
}

// ParticipantObjectDetail values are base64Binary in the schema.
std::string base64(const std::string &text) {
  std::string out(sodium_base64_encoded_len(text.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char *>(text.data()),
                    text.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.find('\0'));
  return out;
}

} // namespace

std::string utcTimestamp(std::int64_t timeMs) {
  const std::time_t seconds = static_cast<std::time_t>(timeMs / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[80];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>((timeMs % 1000 + 1000) % 1000));
  return text;
}

std::string toDicomAuditMessage(const AuditEntry &entry, const std::string &sourceId) {
  const DicomEvent event = eventOf(entry.action);
  // 0 success (a record of an action starting, or a sign-in no policy checks, is no failure);
  // 4 minor failure (refused by a rule: the organisation's policy); 8 serious.
  const std::string &said = entry.outcome;
  const char *outcome = said == "ok" || said == "started" || said.starts_with("unverified") ? "0"
                        : said.starts_with("refused") || said == "failed (forbidden)" ||
                                said.starts_with("not accepted")
                            ? "4"
                            : "8";
  std::string xml = "<AuditMessage>";
  xml += "<EventIdentification EventActionCode=\"" + std::string(event.actionCode) +
         "\" EventDateTime=\"" + utcTimestamp(entry.timeMs) + "\" EventOutcomeIndicator=\"" +
         outcome + "\">";
  xml += "<EventID csd-code=\"" + std::string(event.code) +
         "\" codeSystemName=\"DCM\" originalText=\"" + event.name + "\"/>";
  if (entry.outcome != "ok")
    xml += "<EventOutcomeDescription>" + escaped(entry.outcome) + "</EventOutcomeDescription>";
  xml += "</EventIdentification>";
  xml += "<ActiveParticipant UserID=\"" + escaped(entry.actor) + "\" UserIsRequestor=\"true\"/>";
  xml += "<AuditSourceIdentification AuditSourceID=\"" + escaped(sourceId) + "\"/>";
  // The object: an input digest, a model or an address, never content. Type 2 "system object".
  xml += "<ParticipantObjectIdentification ParticipantObjectID=\"" + escaped(entry.subject) +
         "\" ParticipantObjectTypeCode=\"2\">";
  xml += "<ParticipantObjectIDTypeCode csd-code=\"" + escaped(entry.action) +
         "\" codeSystemName=\"nesa.ai/audit\" originalText=\"" + escaped(entry.action) + "\"/>";
  xml += "<ParticipantObjectDetail type=\"nesa-sequence\" value=\"" +
         base64(std::to_string(entry.sequence)) + "\"/>";
  xml += "<ParticipantObjectDetail type=\"nesa-details\" value=\"" + base64(entry.details) + "\"/>";
  xml += "</ParticipantObjectIdentification></AuditMessage>";
  return xml;
}

} // namespace nesa::audit
