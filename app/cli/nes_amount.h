// $NES amounts as the command line reads and prints them (6 decimals; the contracts count µNES).
#pragma once

#include "util/result.h"

#include <cstdint>
#include <string>

namespace nesa::cli {

/// "1.5" or "2" NES → micro-NES; refuses more than 6 decimals, signs and garbage.
Result<std::uint64_t> parseNes(const std::string &text);
/// micro-NES → "1.500000 NES"
std::string formatNes(std::uint64_t micro);

} // namespace nesa::cli
