// nesa-analyze --session: one analyzer serving a program's queries (the desktop's) over standard
// input and output, so that an estimate and the run that follows read the input and compile the
// model once, and a running query can be cancelled without killing the process.
#pragma once

#include "analysis/request.h"
#include "util/config.h"

#include <filesystem>
#include <functional>
#include <istream>
#include <ostream>

namespace nesa::app {

/// Reads ops from `in`, one JSON object a line, until its end, and answers on `out`, one JSON
/// object a line (core/analysis/json_schema.h):
///   {"op":"estimate","request":{…}}             → an estimate line, or an error line
///   {"op":"run","request":{…},"output":"F.npy"} → call lines, then a result line or an error line
///   {"op":"cancel"}                             → the running query stops before its next call
/// "output" is optional (where the output array goes). An estimate or run op may carry
/// "passphrase": the wallet's, for that op's query only (forgotten when it ends). Ops are
/// answered one at a time, in order, a malformed one by an error line in its place; "cancel"
/// stops the running one and refuses those waiting (a `cancelled` error line each). At the end of
/// `in` the ops still waiting are answered, then it returns 0.
/// `settings` is the settings file: when it changes between two ops, `network` is asked again
/// (a network joined meanwhile is used from the next op on).
int serveSession(std::istream &in, std::ostream &out, const std::filesystem::path &settings,
                 const std::function<Result<analysis::NetworkChoice>()> &network);

} // namespace nesa::app
