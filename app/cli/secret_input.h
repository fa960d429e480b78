// Reading secrets (passphrases, recovery phrases) from the terminal without echo, or from a pipe.
#pragma once

#include "util/result.h"
#include "util/secure_buffer.h"

#include <string>

namespace nesa::cli {

/// Reads one line into locked memory. On a terminal the prompt goes to stderr and echo is off
/// unless `echo`; from a pipe the line is read as is. An empty line or end of input is an error.
Result<SecureBuffer> readSecretLine(const std::string &prompt, bool echo = false);

/// The wallet passphrase: $NESA_WALLET_PASSPHRASE when set (for scripts; it is then visible to
/// this user's processes), else asked for (twice when `confirm`, and at least 8 characters).
Result<SecureBuffer> readPassphrase(bool confirm);

} // namespace nesa::cli
