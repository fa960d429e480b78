// The wallet's secrets for nesa-analyze's runs: the EE key and the paying account, from the
// user's wallet (opened once, its passphrase handed over by the desktop, from
// $NESA_WALLET_PASSPHRASE or the terminal) — or, without a wallet, a one-off EE key.
#pragma once

#include "analysis/request.h"
#include "util/config.h"
#include "util/secure_buffer.h"

#include <functional>
#include <string>

namespace nesa::app {

/// Where the wallet's passphrase comes from when the wallet is first opened.
using PassphraseSource = std::function<Result<SecureBuffer>()>;

/// Secrets read from the wallet of `config`'s data folder, opened when a query first asks, with
/// the passphrase of `passphrase`, and closed when it ends (Secrets::forget, which also calls
/// `onForget`).
analysis::Secrets walletSecrets(const Config &config, PassphraseSource passphrase,
                                std::function<void(const std::string &)> onNotice,
                                std::function<void()> onForget = {});

} // namespace nesa::app
