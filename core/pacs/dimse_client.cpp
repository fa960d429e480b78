#include "pacs/internal/dimse.h"
#include "pacs/internal/partial_folder.h"
#include "pacs/internal/readable_syntaxes.h"
#include "pacs/internal/secure_scu.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmnet/diutil.h>
#include <dcmtk/dcmnet/scu.h>
#include <dcmtk/oflog/oflog.h>

#include <charconv>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <system_error>

namespace nesa::pacs::dimse {
namespace {

namespace fs = std::filesystem;

constexpr Uint32 kTimeoutSeconds = 30;

const OFList<OFString> &plainTransferSyntaxes() {
  static const OFList<OFString> syntaxes = [] {
    OFList<OFString> list;
    list.push_back(UID_LittleEndianExplicitTransferSyntax);
    list.push_back(UID_LittleEndianImplicitTransferSyntax);
    return list;
  }();
  return syntaxes;
}

// A DcmSCU set up to call `node`, quiet (failures come back as our messages).
void configure(DcmSCU &scu, const PacsNode &node) {
  OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
  scu.setAETitle(node.callingAeTitle.c_str());
  scu.setPeerAETitle(node.calledAeTitle.c_str());
  scu.setPeerHostName(node.host.c_str());
  scu.setPeerPort(node.port);
  scu.setACSETimeout(kTimeoutSeconds);
  scu.setDIMSETimeout(kTimeoutSeconds);
  scu.setConnectionTimeout(static_cast<Sint32>(kTimeoutSeconds));
  scu.setDIMSEBlockingMode(DIMSE_NONBLOCKING);
  scu.setMaxReceivePDULength(ASC_DEFAULTMAXPDU);
}

// A `Plain` SCU, or the same over TLS when the node asks for TLS.
template <class Plain = DcmSCU, typename... Args>
std::unique_ptr<DcmSCU> makeScu(const PacsNode &node, Args &&...args) {
  std::unique_ptr<DcmSCU> scu;
  if (node.usesTls())
    scu = std::make_unique<internal::SecureScu<Plain>>(node, std::forward<Args>(args)...);
  else
    scu = std::make_unique<Plain>(std::forward<Args>(args)...);
  configure(*scu, node);
  return scu;
}

// Opens the association, telling a refusal (the PACS answered no) from silence.
Result<void> connect(DcmSCU &scu, const PacsNode &node) {
  if (auto files = checkTlsFiles(node); !files)
    return files.error();
  OFCondition status = scu.initNetwork();
  if (status.bad())
    return fail(node.usesTls() ? ErrorCode::InvalidInput : ErrorCode::Io,
                std::string(node.usesTls() ? "cannot set up TLS with the given certificates: "
                                           : "cannot set up the DICOM network: ") +
                    status.text());
  status = scu.negotiateAssociation();
  if (node.usesTls() && status.bad() && status.module() == OFM_dcmtls) {
    const std::string reason = status.text();
    if (reason.find("certificate verify failed") != std::string::npos)
      return fail(ErrorCode::InvalidInput,
                  "the PACS " + describe(node) +
                      " shows a TLS certificate that does not chain to " +
                      node.trustedCertificates.string() + " or does not name " + node.host + " (" +
                      reason + "): nothing was sent; check that this is the right PACS and file");
    if (reason.find("alert") != std::string::npos) // the PACS refused us
      return fail(ErrorCode::InvalidInput, "the PACS " + describe(node) +
                                               " refused our TLS session (" + reason +
                                               "): it may want a certificate of ours it trusts");
    return fail(ErrorCode::Unavailable,
                "no TLS session with the PACS " + describe(node) + " (" + reason + ")");
  }
  if (status == DUL_ASSOCIATIONREJECTED)
    return fail(ErrorCode::InvalidInput,
                "the PACS " + describe(node) + " refused the association: it does not accept " +
                    "calls from AE title \"" + node.callingAeTitle +
                    "\" or its own AE title is not \"" + node.calledAeTitle +
                    "\" (add us to its DICOM modalities)");
  if (status == NET_EC_NoAcceptablePresentationContexts)
    return fail(ErrorCode::InvalidInput,
                "the PACS " + describe(node) + " accepts none of the services asked for");
  if (status.bad())
    return fail(ErrorCode::Unavailable,
                "no PACS answers at " + describe(node) + " (" + std::string(status.text()) + ")");
  return {};
}

// A PACS that accepts the association and then aborts it when asked for a service: most often
// it does not know our AE title.
Error refusedService(const PacsNode &node, const char *service) {
  return Error{ErrorCode::InvalidInput,
               "the PACS " + describe(node) + " broke off when asked for " + service +
                   ": it may not accept them from AE title \"" + node.callingAeTitle +
                   "\" (add us to its DICOM modalities)"};
}

std::string hex(Uint16 status) {
  char text[8];
  std::snprintf(text, sizeof text, "%04x", status);
  return text;
}

std::string text(DcmItem &item, const DcmTagKey &key) {
  OFString value;
  item.findAndGetOFStringArray(key, value);
  return value.c_str();
}

// Runs a C-FIND at `level` with `keys` (empty values are return keys) and hands each match to
// `take`.
Result<void> find(const PacsNode &node, const char *level,
                  const std::vector<std::pair<DcmTagKey, std::string>> &keys,
                  const std::function<void(DcmDataset &)> &take) {
  auto made = makeScu(node);
  DcmSCU &scu = *made;
  scu.addPresentationContext(UID_FINDStudyRootQueryRetrieveInformationModel,
                             plainTransferSyntaxes());
  if (auto connected = connect(scu, node); !connected)
    return connected.error();
  const T_ASC_PresentationContextID context =
      scu.findAnyPresentationContextID(UID_FINDStudyRootQueryRetrieveInformationModel, "");
  if (context == 0)
    return fail(ErrorCode::InvalidInput,
                "the PACS " + describe(node) + " does not answer queries (C-FIND)");
  DcmDataset query;
  query.putAndInsertString(DCM_QueryRetrieveLevel, level);
  for (const auto &[key, value] : keys)
    query.putAndInsertString(key, value.c_str());
  OFList<QRResponse *> responses;
  const OFCondition status = scu.sendFINDRequest(context, &query, &responses);
  Result<void> outcome;
  if (status == DUL_PEERABORTEDASSOCIATION)
    outcome = refusedService(node, "queries");
  else if (status.bad())
    outcome = fail(ErrorCode::Io, "the query to " + describe(node) + " failed: " + status.text());
  for (QRResponse *response : responses) {
    if (outcome && response->m_dataset != nullptr && DICOM_PENDING_STATUS(response->m_status)) {
      response->m_dataset->convertToUTF8(); // names in the PACS's character set, e.g. Latin-1
      take(*response->m_dataset);
    } else if (outcome && response->m_status != STATUS_Success &&
               !DICOM_PENDING_STATUS(response->m_status))
      outcome = fail(ErrorCode::Io, "the PACS " + describe(node) +
                                        " could not answer the query (status 0x" +
                                        hex(response->m_status) + ")");
    delete response;
  }
  scu.releaseAssociation();
  return outcome;
}

// A C-GET that checks what arrives, reports each response and can be cancelled from it.
// What a retrieval has seen so far.
struct RetrievalState {
  bool cancelled = false;
  bool finalResponse = false; ///< the PACS said the transfer is over (not pending)
  int received = 0;           ///< instances of the asked study (and series) saved
  int refused = 0;            ///< instances not saved: of another study or series, or unwritable
};

class RetrievingScu : public DcmSCU {
public:
  RetrievingScu(const RetrieveProgress &progress, std::string studyUid, std::string seriesUid,
                RetrievalState &state)
      : m_progress(progress), m_studyUid(std::move(studyUid)), m_seriesUid(std::move(seriesUid)),
        m_state(state) {}

protected:
  OFCondition handleSTORERequest(const T_ASC_PresentationContextID context, DcmDataset *object,
                                 OFBool &continueSession, Uint16 &status) override {
    if (object != nullptr && !belongs(*object)) { // never mixed into the folder
      ++m_state.refused;
      delete object;
      status = STATUS_STORE_Refused_OutOfResources;
      return EC_Normal;
    }
    const OFCondition stored = DcmSCU::handleSTORERequest(context, object, continueSession, status);
    if (stored.good() && status == STATUS_Success)
      ++m_state.received;
    else
      ++m_state.refused;
    return stored;
  }
  OFCondition handleCGETResponse(const T_ASC_PresentationContextID context,
                                 RetrieveResponse *response, OFBool &continueSession) override {
    const OFCondition handled = DcmSCU::handleCGETResponse(context, response, continueSession);
    const bool pending = DICOM_PENDING_STATUS(response->m_status);
    m_state.finalResponse = !pending;
    if (pending && m_progress &&
        !m_progress(m_state.received, response->m_numberOfRemainingSubops)) {
      m_state.cancelled = true;
      continueSession = OFFalse;
    }
    return handled;
  }

private:
  bool belongs(DcmDataset &object) const {
    OFString study, series;
    object.findAndGetOFString(DCM_StudyInstanceUID, study);
    object.findAndGetOFString(DCM_SeriesInstanceUID, series);
    return study == m_studyUid.c_str() && (m_seriesUid.empty() || series == m_seriesUid.c_str());
  }

  const RetrieveProgress &m_progress;
  std::string m_studyUid, m_seriesUid;
  RetrievalState &m_state;
};

// The transfer syntaxes we accept instances in: those the DICOM reader decodes, so a PACS that
// cannot transcode can still send.
const OFList<OFString> &receivableTransferSyntaxes() {
  static const OFList<OFString> syntaxes = [] {
    OFList<OFString> list;
    for (const std::string &syntax : readableTransferSyntaxes())
      list.push_back(syntax.c_str());
    return list;
  }();
  return syntaxes;
}

} // namespace

Result<void> echo(const PacsNode &node) {
  auto made = makeScu(node);
  DcmSCU &scu = *made;
  scu.addPresentationContext(UID_VerificationSOPClass, plainTransferSyntaxes());
  if (auto connected = connect(scu, node); !connected)
    return connected.error();
  const OFCondition status = scu.sendECHORequest(0);
  scu.releaseAssociation();
  if (status.bad())
    return fail(ErrorCode::Io,
                "the PACS " + describe(node) + " did not answer C-ECHO: " + status.text());
  return {};
}

Result<std::vector<StudyMatch>> findStudies(const PacsNode &node, const StudyQuery &query) {
  std::vector<StudyMatch> matches;
  auto found = find(node, "STUDY",
                    {{DCM_StudyInstanceUID, query.studyInstanceUid},
                     {DCM_PatientName, query.patientName},
                     {DCM_PatientID, query.patientId},
                     {DCM_StudyDate, query.studyDate},
                     {DCM_AccessionNumber, query.accessionNumber},
                     {DCM_StudyDescription, ""},
                     {DCM_ModalitiesInStudy, ""}},
                    [&](DcmDataset &answer) {
                      matches.push_back(
                          {text(answer, DCM_StudyInstanceUID), text(answer, DCM_PatientName),
                           text(answer, DCM_PatientID), text(answer, DCM_StudyDate),
                           text(answer, DCM_StudyDescription), text(answer, DCM_AccessionNumber),
                           text(answer, DCM_ModalitiesInStudy)});
                    });
  if (!found)
    return found.error();
  return matches;
}

Result<std::vector<SeriesMatch>> findSeries(const PacsNode &node, const std::string &studyUid) {
  std::vector<SeriesMatch> matches;
  auto found =
      find(node, "SERIES",
           {{DCM_StudyInstanceUID, studyUid},
            {DCM_SeriesInstanceUID, ""},
            {DCM_Modality, ""},
            {DCM_SeriesNumber, ""},
            {DCM_SeriesDescription, ""},
            {DCM_NumberOfSeriesRelatedInstances, ""}},
           [&](DcmDataset &answer) {
             SeriesMatch match{text(answer, DCM_SeriesInstanceUID), text(answer, DCM_Modality),
                               text(answer, DCM_SeriesNumber), text(answer, DCM_SeriesDescription)};
             const std::string count = text(answer, DCM_NumberOfSeriesRelatedInstances);
             int instances = 0;
             const auto [end, error] =
                 std::from_chars(count.data(), count.data() + count.size(), instances);
             if (error == std::errc() && end == count.data() + count.size())
               match.instances = instances;
             matches.push_back(std::move(match));
           });
  if (!found)
    return found.error();
  return matches;
}

Result<int> retrieve(const PacsNode &node, const std::string &studyUid,
                     const std::string &seriesUid, const fs::path &folder,
                     const RetrieveProgress &progress) {
  auto partial = PartialFolder::beside(folder);
  if (!partial)
    return partial.error();
  RetrievalState state;
  auto made = makeScu<RetrievingScu>(node, progress, studyUid, seriesUid, state);
  DcmSCU &scu = *made;
  scu.setStorageMode(DCMSCU_STORAGE_DISK);
  scu.setStorageDir(partial->path().c_str());
  scu.addPresentationContext(UID_GETStudyRootQueryRetrieveInformationModel,
                             plainTransferSyntaxes());
  // The PACS sends each instance back on this association: we are the storage SCP.
  for (int i = 0; i < numberOfDcmLongSCUStorageSOPClassUIDs; ++i)
    scu.addPresentationContext(dcmLongSCUStorageSOPClassUIDs[i], receivableTransferSyntaxes(),
                               ASC_SC_ROLE_SCP);
  if (auto connected = connect(scu, node); !connected)
    return connected.error();
  const T_ASC_PresentationContextID context =
      scu.findAnyPresentationContextID(UID_GETStudyRootQueryRetrieveInformationModel, "");
  if (context == 0)
    return fail(ErrorCode::InvalidInput,
                "the PACS " + describe(node) + " does not send studies on request (C-GET)");
  DcmDataset query;
  query.putAndInsertString(DCM_QueryRetrieveLevel, seriesUid.empty() ? "STUDY" : "SERIES");
  query.putAndInsertString(DCM_StudyInstanceUID, studyUid.c_str());
  if (!seriesUid.empty())
    query.putAndInsertString(DCM_SeriesInstanceUID, seriesUid.c_str());
  OFList<RetrieveResponse *> responses;
  const OFCondition status = scu.sendCGETRequest(context, &query, &responses);
  Uint16 finalStatus = STATUS_Success;
  int failed = 0;
  for (RetrieveResponse *response : responses) {
    finalStatus = response->m_status;
    failed = std::max(failed, static_cast<int>(response->m_numberOfFailedSubops));
    delete response;
  }
  // A transfer that ended early (cancelled, or a save failed and DCMTK stopped reading) leaves
  // the PACS mid-session: abort rather than ask for an orderly release.
  if (state.finalResponse && status.good())
    scu.releaseAssociation();
  else
    scu.abortAssociation();
  Result<int> outcome = state.received;
  const std::string what = seriesUid.empty() ? "study " + studyUid : "series " + seriesUid;
  const bool failedStatus = finalStatus != STATUS_Success && !DICOM_PENDING_STATUS(finalStatus);
  if (state.cancelled)
    outcome = fail(ErrorCode::Cancelled, "the transfer of " + what + " was cancelled");
  else if (status == DUL_PEERABORTEDASSOCIATION && state.received == 0)
    outcome = refusedService(node, "studies (C-GET)");
  else if (status.bad() || !state.finalResponse)
    outcome = fail(ErrorCode::Io, "the transfer of " + what + " from " + describe(node) +
                                      " broke off after " + std::to_string(state.received) +
                                      " instances" +
                                      (status.bad() ? ": " + std::string(status.text()) : ""));
  else if (state.refused > 0)
    outcome = fail(ErrorCode::Io, "of the instances " + describe(node) + " sent for " + what +
                                      ", " + std::to_string(state.refused) +
                                      " could not be saved here or belong elsewhere");
  else if (state.received == 0)
    outcome = fail(ErrorCode::NotFound,
                   "the PACS " + describe(node) + " has no " + what +
                       (failedStatus ? " (status 0x" + hex(finalStatus) + ")" : std::string()));
  else if (failed > 0 || failedStatus)
    outcome = fail(ErrorCode::Io, "the PACS " + describe(node) + " sent " +
                                      std::to_string(state.received) + " instances of " + what +
                                      " but could not send " + std::to_string(std::max(failed, 1)) +
                                      " (was it removed meanwhile?)");
  if (outcome)
    if (auto named = partial->commit(); !named)
      return named.error();
  return outcome;
}

Result<void> store(const PacsNode &node, const std::vector<fs::path> &files) {
  // Every SOP class and transfer syntax must be offered before the association opens.
  std::map<std::string, std::set<std::string>> offers;
  for (const auto &file : files) {
    DcmFileFormat format;
    if (format.loadFile(file.c_str(), EXS_Unknown, EGL_noChange, 1024).bad())
      return fail(ErrorCode::InvalidInput, file.string() + " is not a readable DICOM file");
    OFString sopClass, syntax;
    format.getMetaInfo()->findAndGetOFString(DCM_MediaStorageSOPClassUID, sopClass);
    format.getMetaInfo()->findAndGetOFString(DCM_TransferSyntaxUID, syntax);
    if (sopClass.empty() || syntax.empty())
      return fail(ErrorCode::InvalidInput, file.string() + " has no SOP class or transfer syntax");
    offers[sopClass.c_str()].insert(syntax.c_str());
  }
  auto made = makeScu(node);
  DcmSCU &scu = *made;
  // One context per class and syntax, so that files of one class in two syntaxes both go.
  std::size_t contexts = 0;
  for (const auto &[sopClass, syntaxes] : offers)
    for (const auto &syntax : syntaxes) {
      OFList<OFString> one;
      one.push_back(syntax.c_str());
      scu.addPresentationContext(sopClass.c_str(), one);
      ++contexts;
    }
  if (contexts > 128)
    return fail(ErrorCode::InvalidInput,
                "the files need " + std::to_string(contexts) +
                    " kinds of presentation context, more than one association carries (128): "
                    "send them in several goes");
  if (auto connected = connect(scu, node); !connected)
    return connected.error();
  Result<void> outcome;
  for (const auto &file : files) {
    DcmFileFormat format;
    format.loadFile(file.c_str(), EXS_Unknown, EGL_noChange, 1024);
    OFString sopClass, syntax;
    format.getMetaInfo()->findAndGetOFString(DCM_MediaStorageSOPClassUID, sopClass);
    format.getMetaInfo()->findAndGetOFString(DCM_TransferSyntaxUID, syntax);
    const T_ASC_PresentationContextID context = scu.findPresentationContextID(sopClass, syntax);
    if (context == 0) {
      outcome = fail(ErrorCode::InvalidInput,
                     "the PACS " + describe(node) + " does not accept objects like " +
                         file.filename().string() + " (" +
                         dcmFindNameOfUID(sopClass.c_str(), "unknown class") + ")");
      break;
    }
    Uint16 response = 0;
    const OFCondition status = scu.sendSTORERequest(context, file.c_str(), nullptr, response);
    if (status.bad() || (response != STATUS_Success && !DICOM_WARNING_STATUS(response))) {
      outcome = fail(ErrorCode::Io, "the PACS " + describe(node) + " did not store " +
                                        file.filename().string() +
                                        (status.bad() ? std::string(": ") + status.text()
                                                      : " (status 0x" + hex(response) + ")"));
      break;
    }
  }
  scu.releaseAssociation();
  return outcome;
}

} // namespace nesa::pacs::dimse
