#include "pacs/pacs_client.h"

#include "policy/enforcement.h"

#include "pacs/internal/dicomweb.h"
#include "pacs/internal/dimse.h"

namespace nesa::pacs {

Result<void> echo(const PacsNode &node) {
  return node.isDicomWeb() ? dicomweb::echo(node) : dimse::echo(node);
}

Result<std::vector<StudyMatch>> findStudies(const PacsNode &node, const StudyQuery &query) {
  return node.isDicomWeb() ? dicomweb::findStudies(node, query) : dimse::findStudies(node, query);
}

Result<std::vector<SeriesMatch>> findSeries(const PacsNode &node, const std::string &studyUid) {
  if (studyUid.empty())
    return fail(ErrorCode::InvalidInput, "say which study's series to list");
  return node.isDicomWeb() ? dicomweb::findSeries(node, studyUid)
                           : dimse::findSeries(node, studyUid);
}

Result<int> retrieve(const PacsNode &node, const std::string &studyUid,
                     const std::string &seriesUid, const std::filesystem::path &folder,
                     const RetrieveProgress &progress) {
  if (studyUid.empty())
    return fail(ErrorCode::InvalidInput, "say which study to retrieve");
  return node.isDicomWeb() ? dicomweb::retrieve(node, studyUid, seriesUid, folder, progress)
                           : dimse::retrieve(node, studyUid, seriesUid, folder, progress);
}

Result<void> store(const PacsNode &node, const std::vector<std::filesystem::path> &files) {
  if (files.empty())
    return fail(ErrorCode::InvalidInput, "no files to send");
  if (auto allowed = policy::Enforcement::installed().allowsPacsTransfer(); !allowed)
    return allowed.error();
  return node.isDicomWeb() ? dicomweb::store(node, files) : dimse::store(node, files);
}

} // namespace nesa::pacs
