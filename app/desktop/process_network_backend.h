// The desktop app's NetworkBackend: `nesa chain status --json` in a child process, so the page
// sees the network the CLI is configured for, with the same latency measurement.
#pragma once

#include "ui/network_backend.h"

namespace nesa::app {

/// Runs `nesa chain status --json` beside this program and reads its answer.
class ProcessNetworkBackend : public ui::NetworkBackend {
public:
  ui::NodeStatus status() override;
};

/// Reads the JSON `nesa chain status --json` prints; an error for anything else.
ui::NodeStatus parseNodeStatus(const QByteArray &json);

} // namespace nesa::app
