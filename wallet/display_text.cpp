#include "wallet/display_text.h"

#include <ctime>

namespace nesa::wallet {

Result<std::uint64_t> parseNes(const std::string &text) {
  const auto dot = text.find('.');
  const std::string whole = text.substr(0, dot);
  const std::string fraction = dot == std::string::npos ? "" : text.substr(dot + 1);
  const auto digits = [](const std::string &s) {
    return s.find_first_not_of("0123456789") == std::string::npos;
  };
  if ((whole.empty() && fraction.empty()) || !digits(whole) || !digits(fraction) ||
      fraction.size() > 6 || whole.size() > 12)
    return fail(ErrorCode::InvalidInput,
                "'" + text + "' is not an amount of NES (like 12 or 0.5, at most 6 decimals)");
  std::uint64_t micro = whole.empty() ? 0 : std::stoull(whole) * 1'000'000;
  if (!fraction.empty())
    micro += std::stoull(fraction + std::string(6 - fraction.size(), '0'));
  return micro;
}

std::string formatNes(std::uint64_t micro) {
  std::string fraction = std::to_string(micro % 1'000'000);
  return std::to_string(micro / 1'000'000) + "." + std::string(6 - fraction.size(), '0') +
         fraction + " NES";
}

std::string formatGasMoney(const chain::U256 &wei) {
  std::string digits = wei.toDecimal();
  if (digits.size() <= 18)
    digits = std::string(19 - digits.size(), '0') + digits;
  const std::string whole = digits.substr(0, digits.size() - 18);
  return whole + "." + digits.substr(whole.size(), 6) + " ETH";
}

std::string formatUnixTime(std::uint64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", &utc);
  return text;
}

} // namespace nesa::wallet
