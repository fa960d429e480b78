// The wallet's secrets for nesa-analyze's runs: the EE key and the paying account, from the
// user's wallet (opened once, its passphrase handed over by the desktop, from
// $NESA_WALLET_PASSPHRASE or the terminal) — or, without a wallet, a one-off EE key.
#pragma once

#include "analysis/request.h"
#include "util/config.h"

namespace nesa::app {

/// Secrets read from the wallet of `config`'s data folder, opened when a run first asks.
analysis::Secrets walletSecrets(const Config &config,
                                std::function<void(const std::string &)> onNotice);

} // namespace nesa::app
