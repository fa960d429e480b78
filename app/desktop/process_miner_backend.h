// The desktop app's MinerBackend: the `nesa miner start|stop|status` commands in a child
// process. The miner itself is a daemon of its own (nesa-miner), so it keeps serving when the
// window closes, and the page finds it again when the app starts.
#pragma once

#include "ui/miner_backend.h"

namespace nesa::app {

/// Runs `nesa miner ...` beside this program.
class ProcessMinerBackend : public ui::MinerBackend {
public:
  ui::MinerStatus status() override;
  QString start(const ui::MinerStartOptions &options) override;
  QStringList gpus() override;
  QString stop() override;
};

/// Reads `nesa miner status --json` about a running miner; an error for anything else.
ui::MinerStatus parseMinerStatus(const QByteArray &json);
/// The GPUs `nesa gpu --json` listed, as labels ("0: NVIDIA H100, 81559 MiB, compute 9.0");
/// empty when it found none.
QStringList parseGpuList(const QByteArray &json);

} // namespace nesa::app
