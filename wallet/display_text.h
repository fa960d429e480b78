// How the wallet reads and writes amounts and times for people: $NES with 6 decimals (the
// contracts count µNES), gas money in the chain's own currency, chain timestamps in UTC.
#pragma once

#include "chain/u256.h"
#include "util/result.h"

#include <cstdint>
#include <string>

namespace nesa::wallet {

/// "1.5" or "2" NES → micro-NES; refuses more than 6 decimals, signs and garbage.
Result<std::uint64_t> parseNes(const std::string &text);
/// micro-NES → "1.500000 NES"
std::string formatNes(std::uint64_t micro);
/// Wei as "0.000123 ETH" (six decimals, rounded down).
std::string formatGasMoney(const chain::U256 &wei);
/// A chain timestamp as "2026-12-10 14:03 UTC".
std::string formatUnixTime(std::uint64_t seconds);

} // namespace nesa::wallet
