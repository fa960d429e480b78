// The PACS services over DIMSE (DCMTK's DcmSCU): what pacs_client.h runs for a DIMSE node.
#pragma once

#include "pacs/pacs_client.h"

namespace nesa::pacs::dimse {

Result<void> echo(const PacsNode &node);
Result<std::vector<StudyMatch>> findStudies(const PacsNode &node, const StudyQuery &query);
Result<std::vector<SeriesMatch>> findSeries(const PacsNode &node, const std::string &studyUid);
Result<int> retrieve(const PacsNode &node, const std::string &studyUid,
                     const std::string &seriesUid, const std::filesystem::path &folder,
                     const RetrieveProgress &progress);
Result<void> store(const PacsNode &node, const std::vector<std::filesystem::path> &files);

} // namespace nesa::pacs::dimse
