// Reading secrets (passphrases, recovery phrases) from the terminal without echo, or from a pipe.
#pragma once

#include "util/result.h"
#include "util/secure_buffer.h"

#include <string>

namespace nesa::cli {

/// Reads one line into locked memory. On a terminal the prompt goes to stderr and echo is off
/// unless `echo`; from a pipe the line is read as is. An empty line or end of input is an error.
Result<SecureBuffer> readSecretLine(const std::string &prompt, bool echo = false);

/// The wallet passphrase: the one handed over by whoever started this program, else asked for
/// (twice when `confirm`, and at least 8 characters). A program that starts this one hands it
/// over as the first line of a pipe whose descriptor number is in $NESA_PASSPHRASE_FD (the
/// desktop app: stdin, 0); scripts may set $NESA_WALLET_PASSPHRASE (visible to this user's
/// processes while it is set).
Result<SecureBuffer> readPassphrase(bool confirm);

/// Call first in main: reads the passphrase handed over (above) and takes both variables out of
/// this program's environment (the value wiped), so that no program it starts inherits them.
void takeHandedPassphrase();

} // namespace nesa::cli
