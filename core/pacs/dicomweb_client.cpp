#include "pacs/internal/dicomweb.h"

#include "pacs/internal/multipart.h"
#include "pacs/internal/partial_folder.h"
#include "pacs/internal/readable_syntaxes.h"
#include "pacs/internal/web_session.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <map>

namespace nesa::pacs::dicomweb {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr const char *kJson = "application/dicom+json";
// Instances in explicit VR little endian, which every DICOMweb server must be able to send and the
// DICOM reader decodes (an archive's JPEG 2000 it does not); then the server's default.
constexpr const char *kPlainSyntax =
    R"(multipart/related; type="application/dicom"; transfer-syntax=1.2.840.10008.1.2.1)";
constexpr const char *kDefaultSyntax = R"(multipart/related; type="application/dicom")";
constexpr std::size_t kMaxInstanceBytes = std::size_t(2) << 30;
// STOW-RS requests carry at most this much (and one file at least).
constexpr std::size_t kMaxStowBytes = std::size_t(64) << 20;

// A query value as it goes into the URL: printable ASCII stays as it is, wildcards (* ?) and
// name separators (^) included, since Orthanc 1.10 does not decode percent escapes in QIDO-RS
// queries; what would break the URL (space, # % & + = and the like) and other bytes become %XX.
std::string percentEncoded(const std::string &text) {
  static const char *hex = "0123456789ABCDEF";
  static const std::string unsafe = " \"#%&+<=>[\\]`{|}";
  std::string out;
  for (unsigned char c : text) {
    if (c > 0x20 && c < 0x7f && unsafe.find(static_cast<char>(c)) == std::string::npos) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// UIDs go into URLs: digits and dots only, as DICOM defines them.
Result<void> checkUid(const std::string &uid, const char *what) {
  const bool valid =
      !uid.empty() && uid.size() <= 64 && uid.find_first_not_of("0123456789.") == std::string::npos;
  if (!valid)
    return fail(ErrorCode::InvalidInput,
                std::string(what) + " UID \"" + uid + "\" is not a DICOM UID (digits and dots)");
  return {};
}

// An answer that is not a success, as a message that says what to do.
Error refused(const PacsNode &node, int status, const std::string &what) {
  const std::string where = describe(node);
  if (status == 401 || status == 403)
    return Error{ErrorCode::InvalidInput,
                 "the PACS " + where + " refused " + what + " (HTTP " + std::to_string(status) +
                     "): it wants credentials, which nesa does not send to a DICOMweb PACS yet"};
  if (status == 404)
    return Error{ErrorCode::NotFound, "the PACS " + where + " has no " + what + " (HTTP 404)"};
  return Error{ErrorCode::Io,
               "the PACS " + where + " answered " + what + " with HTTP " + std::to_string(status)};
}

// The value of `tag` in a DICOM JSON object (PS3.18 F.2): strings, numbers and person names;
// several values joined with backslashes as DICOM writes them. Empty when absent.
std::string valueOf(const json &object, const char *tag) {
  const auto attribute = object.find(tag);
  if (attribute == object.end() || !attribute->is_object())
    return {};
  const auto values = attribute->find("Value");
  if (values == attribute->end() || !values->is_array())
    return {};
  std::string joined;
  for (const json &value : *values) {
    if (!joined.empty())
      joined += '\\';
    if (value.is_string())
      joined += value.get<std::string>();
    else if (value.is_number_integer())
      joined += std::to_string(value.get<long long>());
    else if (value.is_number())
      joined += std::to_string(value.get<double>());
    else if (value.is_object() && value.contains("Alphabetic") && value["Alphabetic"].is_string())
      joined += value["Alphabetic"].get<std::string>();
  }
  return joined;
}

// A QIDO-RS query: the matches as DICOM JSON objects (none on 204 No Content).
Result<std::vector<json>> query(WebSession &session, const PacsNode &node, const std::string &path,
                                const std::string &what) {
  auto answer = session.get(path, kJson);
  if (!answer)
    return answer.error();
  if (answer->status == 204)
    return std::vector<json>();
  if (answer->status != 200)
    return refused(node, answer->status, what);
  const json parsed = json::parse(answer->body, nullptr, false);
  if (!parsed.is_array())
    return fail(ErrorCode::Corrupt, "the PACS " + describe(node) + " answered " + what +
                                        " with something other than a DICOM JSON array");
  std::vector<json> matches;
  for (const json &match : parsed)
    if (match.is_object())
      matches.push_back(match);
  return matches;
}

// "?A=a&B=b" of the non-empty values.
std::string queryString(const std::vector<std::pair<const char *, std::string>> &parameters) {
  std::string text;
  for (const auto &[key, value] : parameters)
    if (!value.empty())
      text += (text.empty() ? "?" : "&") + std::string(key) + "=" + percentEncoded(value);
  return text;
}

// What a received instance says it is.
struct InstanceIds {
  std::string study, series, sop, transferSyntax;
};

Result<InstanceIds> idsOf(const fs::path &file) {
  DcmFileFormat format;
  if (format.loadFile(file.c_str(), EXS_Unknown, EGL_noChange, 1024).bad())
    return fail(ErrorCode::Corrupt, "not a DICOM file");
  DcmDataset &data = *format.getDataset();
  OFString study, series, sop, syntax;
  data.findAndGetOFString(DCM_StudyInstanceUID, study);
  data.findAndGetOFString(DCM_SeriesInstanceUID, series);
  data.findAndGetOFString(DCM_SOPInstanceUID, sop);
  format.getMetaInfo()->findAndGetOFString(DCM_TransferSyntaxUID, syntax);
  return InstanceIds{study.c_str(), series.c_str(), sop.c_str(), syntax.c_str()};
}

// Writes `bytes` to a new file readable by this user alone.
Result<void> writePrivate(const fs::path &file, std::string_view bytes) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    return fail(ErrorCode::Io, "cannot write " + file.string());
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) {
      ::close(fd);
      return fail(ErrorCode::Io, "cannot write " + file.string() + " (disk full?)");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0)
    return fail(ErrorCode::Io, "cannot write " + file.string());
  return {};
}

// The UID at `tag` of a QIDO-RS match; Corrupt when it is missing or not a UID, since skipping
// it would make a retrieval look complete when it is not.
Result<std::string> uidIn(const json &match, const char *tag, const PacsNode &node) {
  std::string uid = valueOf(match, tag);
  if (!checkUid(uid, "a"))
    return fail(ErrorCode::Corrupt, "the PACS " + describe(node) + " listed an entry whose " + tag +
                                        " is not a UID (\"" + uid + "\")");
  return uid;
}

// The instances to fetch: (series, SOP instance) pairs, series by series. Each series' list
// must hold as many instances as the PACS counts for it, so that a listing the server cut short
// (QIDO-RS answers may be limited) does not pass for the whole series.
Result<std::vector<std::pair<std::string, std::string>>> instancesOf(WebSession &session,
                                                                     const PacsNode &node,
                                                                     const std::string &studyUid,
                                                                     const std::string &seriesUid) {
  auto listed =
      query(session, node,
            "/studies/" + studyUid + "/series?includefield=NumberOfSeriesRelatedInstances" +
                (seriesUid.empty() ? "" : "&SeriesInstanceUID=" + seriesUid),
            "study " + studyUid);
  if (!listed)
    return listed.error();
  std::vector<std::pair<std::string, std::string>> instances;
  for (const json &series : *listed) {
    auto uid = uidIn(series, "0020000E", node);
    if (!uid)
      return uid.error();
    auto found = query(session, node, "/studies/" + studyUid + "/series/" + *uid + "/instances",
                       "series " + *uid);
    if (!found)
      return found.error();
    for (const json &match : *found) {
      auto sop = uidIn(match, "00080018", node);
      if (!sop)
        return sop.error();
      instances.emplace_back(*uid, *sop);
    }
    const std::string counted = valueOf(series, "00201209");
    if (!counted.empty() && counted != std::to_string(found->size()))
      return fail(ErrorCode::Io, "the PACS " + describe(node) + " counts " + counted +
                                     " instances in series " + *uid + " but listed " +
                                     std::to_string(found->size()) +
                                     ": its listing may be cut short; nothing was kept");
  }
  return instances;
}

} // namespace

Result<void> echo(const PacsNode &node) {
  if (auto files = checkTlsFiles(node); !files)
    return files.error();
  WebSession session(node, std::chrono::seconds(30));
  auto answer = session.get("/studies?limit=1", kJson);
  if (!answer)
    return answer.error();
  if (answer->status == 204 ||
      (answer->status == 200 && json::parse(answer->body, nullptr, false).is_array()))
    return {};
  if (answer->status == 200)
    return fail(ErrorCode::InvalidInput, "what answers at " + describe(node) +
                                             " is not DICOMweb (no DICOM JSON): check the URL");
  if (answer->status == 404)
    return fail(ErrorCode::InvalidInput, "no DICOMweb service answers at " + describe(node) +
                                             " (HTTP 404): check the URL's path, e.g. /dicom-web");
  return refused(node, answer->status, "a query");
}

Result<std::vector<StudyMatch>> findStudies(const PacsNode &node, const StudyQuery &studyQuery) {
  if (auto files = checkTlsFiles(node); !files)
    return files.error();
  WebSession session(node);
  const std::string path = "/studies" +
                           queryString({{"StudyInstanceUID", studyQuery.studyInstanceUid},
                                        {"PatientName", studyQuery.patientName},
                                        {"PatientID", studyQuery.patientId},
                                        {"StudyDate", studyQuery.studyDate},
                                        {"AccessionNumber", studyQuery.accessionNumber},
                                        {"includefield", "StudyDescription"}}) +
                           "&includefield=ModalitiesInStudy";
  auto found = query(session, node, path, "the query");
  if (!found)
    return found.error();
  std::vector<StudyMatch> matches;
  for (const json &match : *found)
    matches.push_back({valueOf(match, "0020000D"), valueOf(match, "00100010"),
                       valueOf(match, "00100020"), valueOf(match, "00080020"),
                       valueOf(match, "00081030"), valueOf(match, "00080050"),
                       valueOf(match, "00080061")});
  return matches;
}

Result<std::vector<SeriesMatch>> findSeries(const PacsNode &node, const std::string &studyUid) {
  if (auto uid = checkUid(studyUid, "the study"); !uid)
    return uid.error();
  if (auto files = checkTlsFiles(node); !files)
    return files.error();
  WebSession session(node);
  auto found = query(session, node,
                     "/studies/" + studyUid +
                         "/series?includefield=SeriesDescription&includefield=SeriesNumber"
                         "&includefield=NumberOfSeriesRelatedInstances",
                     "study " + studyUid);
  if (!found)
    return found.error();
  std::vector<SeriesMatch> matches;
  for (const json &match : *found) {
    SeriesMatch series{valueOf(match, "0020000E"), valueOf(match, "00080060"),
                       valueOf(match, "00200011"), valueOf(match, "0008103E")};
    const std::string count = valueOf(match, "00201209");
    if (!count.empty() && count.find_first_not_of("0123456789") == std::string::npos &&
        count.size() < 9)
      series.instances = std::stoi(count);
    matches.push_back(std::move(series));
  }
  return matches;
}

Result<int> retrieve(const PacsNode &node, const std::string &studyUid,
                     const std::string &seriesUid, const fs::path &folder,
                     const RetrieveProgress &progress) {
  if (auto uid = checkUid(studyUid, "the study"); !uid)
    return uid.error();
  if (!seriesUid.empty())
    if (auto uid = checkUid(seriesUid, "the series"); !uid)
      return uid.error();
  if (auto files = checkTlsFiles(node); !files)
    return files.error();
  auto partial = PartialFolder::beside(folder);
  if (!partial)
    return partial.error();
  const std::string what = seriesUid.empty() ? "study " + studyUid : "series " + seriesUid;
  WebSession session(node);
  auto instances = instancesOf(session, node, studyUid, seriesUid);
  if (!instances) {
    if (instances.error().code == ErrorCode::NotFound)
      return fail(ErrorCode::NotFound, "the PACS " + describe(node) + " has no " + what);
    return instances.error();
  }
  if (instances->empty())
    return fail(ErrorCode::NotFound, "the PACS " + describe(node) + " has no " + what);
  const int total = static_cast<int>(instances->size());
  std::string accept = kPlainSyntax;
  int received = 0;
  for (const auto &[series, sop] : *instances) {
    const std::string path = "/studies/" + studyUid + "/series/" + series + "/instances/" + sop;
    auto answer = session.get(path, accept, kMaxInstanceBytes);
    if (answer && answer->status == 406 && accept == kPlainSyntax) { // it names its own
      accept = kDefaultSyntax;
      answer = session.get(path, accept, kMaxInstanceBytes);
    }
    if (!answer)
      return fail(answer.error().code, "the transfer of " + what + " broke off after " +
                                           std::to_string(received) +
                                           " instances: " + answer.error().message);
    if (answer->status == 404 || answer->status == 410)
      return fail(ErrorCode::Io, "the PACS " + describe(node) + " sent " +
                                     std::to_string(received) + " instances of " + what +
                                     " but no longer has instance " + sop +
                                     " (was it removed meanwhile?)");
    if (answer->status != 200)
      return refused(node, answer->status, "instance " + sop);
    auto boundary = multipartBoundary(answer->contentType);
    if (!boundary)
      return boundary.error();
    auto parts = splitMultipart(answer->body, *boundary);
    if (!parts)
      return parts.error();
    if (parts->size() != 1)
      return fail(ErrorCode::Corrupt, "the PACS " + describe(node) + " sent " +
                                          std::to_string(parts->size()) +
                                          " objects for the one instance " + sop);
    const fs::path file = partial->path() / (std::to_string(received + 1) + ".dcm");
    if (auto written = writePrivate(file, parts->front().content); !written)
      return written.error();
    auto ids = idsOf(file);
    if (!ids || ids->study != studyUid || ids->series != series || ids->sop != sop)
      return fail(ErrorCode::Io, "of the instances " + describe(node) + " sent for " + what +
                                     ", one is not the instance asked for (" +
                                     (ids ? "it is " + ids->sop : ids.error().message) + ")");
    if (!isReadableTransferSyntax(ids->transferSyntax))
      return fail(ErrorCode::InvalidInput,
                  "the PACS " + describe(node) + " sent instance " + sop + " in transfer syntax " +
                      ids->transferSyntax +
                      ", which nesa cannot decode, and would not send it uncompressed");
    ++received;
    const bool stop = progress && !progress(received, total - received);
    if (stop && received < total) // once everything is here, a late cancel changes nothing
      return fail(ErrorCode::Cancelled, "the transfer of " + what + " was cancelled");
  }
  if (auto named = partial->commit(); !named)
    return named.error();
  return received;
}

namespace {

// The files the Failed SOP Sequence (0008,1198) of a STOW-RS answer names, by file name.
std::string failedFilesIn(const std::string &answer,
                          const std::map<std::string, std::string> &fileOfInstance) {
  std::string failed;
  const json parsed = json::parse(answer, nullptr, false);
  if (!parsed.is_object() || !parsed.contains("00081198") || !parsed["00081198"].is_object() ||
      !parsed["00081198"].contains("Value") || !parsed["00081198"]["Value"].is_array())
    return failed;
  for (const json &item : parsed["00081198"]["Value"]) {
    const std::string sop = item.is_object() ? valueOf(item, "00081155") : "";
    const auto file = fileOfInstance.find(sop);
    failed += (failed.empty() ? "" : ", ") +
              (file != fileOfInstance.end() ? file->second : "instance " + sop);
  }
  return failed;
}

// One STOW-RS request with `contents` (each a DICOM file).
Result<void> storeBatch(WebSession &session, const PacsNode &node,
                        const std::vector<std::string> &contents,
                        const std::map<std::string, std::string> &fileOfInstance) {
  const std::string boundary =
      freshBoundary(std::vector<std::string_view>(contents.begin(), contents.end()));
  std::string body;
  for (const std::string &content : contents)
    body += "--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n" + content + "\r\n";
  body += "--" + boundary + "--\r\n";
  auto answer = session.post("/studies",
                             "multipart/related; type=\"application/dicom\"; boundary=" + boundary,
                             std::move(body), kJson);
  if (!answer)
    return answer.error();
  // 200 all stored, 202 some, 409 none: the Failed SOP Sequence says which, whatever the status
  // (some servers answer 200 with failures listed).
  const std::string failed = failedFilesIn(answer->body, fileOfInstance);
  if (answer->status == 200 && failed.empty())
    return {};
  if (answer->status == 200 || answer->status == 202 || answer->status == 409)
    return fail(ErrorCode::Io, "the PACS " + describe(node) + " did not store " +
                                   (failed.empty() ? std::string("every file") : failed) +
                                   " (HTTP " + std::to_string(answer->status) + ")");
  return refused(node, answer->status, "the results");
}

} // namespace

Result<void> store(const PacsNode &node, const std::vector<fs::path> &files) {
  if (auto tls = checkTlsFiles(node); !tls)
    return tls.error();
  std::map<std::string, std::string> sopOf; // file → its SOP instance UID
  for (const fs::path &file : files) {      // all checked before anything is sent
    auto ids = idsOf(file);
    if (!ids)
      return fail(ErrorCode::InvalidInput, file.string() + " is not a readable DICOM file");
    sopOf[file.string()] = ids->sop;
  }
  WebSession session(node);
  std::vector<std::string> contents;
  std::map<std::string, std::string> fileOfInstance; // SOP instance UID → its file's name
  std::size_t bytes = 0;
  for (std::size_t i = 0; i <= files.size(); ++i) {
    const bool last = i == files.size();
    std::error_code ec;
    const std::size_t size = last ? 0 : fs::file_size(files[i], ec);
    if (!contents.empty() && (last || bytes + size > kMaxStowBytes)) {
      if (auto stored = storeBatch(session, node, contents, fileOfInstance); !stored)
        return stored.error();
      contents.clear();
      fileOfInstance.clear();
      bytes = 0;
    }
    if (last)
      break;
    std::ifstream in(files[i], std::ios::binary);
    contents.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (ec || (!in && !in.eof()))
      return fail(ErrorCode::Io, "cannot read " + files[i].string());
    fileOfInstance[sopOf[files[i].string()]] = files[i].filename().string();
    bytes += contents.back().size();
  }
  return {};
}

} // namespace nesa::pacs::dicomweb
