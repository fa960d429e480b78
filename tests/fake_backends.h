// Every page's fake backend in one place, for tests that build the whole window.
#pragma once

#include "fake_analysis_backend.h"
#include "fake_history_backend.h"
#include "fake_miner_backend.h"
#include "fake_network_backend.h"
#include "fake_settings_backend.h"
#include "fake_wallet_backend.h"
#include "ui/main_window.h"

namespace nesa::testing {

/// One fake per page; `backends()` hands them to a MainWindow.
struct FakeBackends {
  FakeBackend analysis;
  FakeWalletBackend wallet;
  FakeMinerBackend miner;
  FakeNetworkBackend network;
  FakeHistoryBackend history;
  FakeSettingsBackend settings;

  ui::Backends backends() { return {analysis, wallet, miner, network, history, settings}; }
};

} // namespace nesa::testing
