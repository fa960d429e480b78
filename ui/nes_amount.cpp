// NES amounts as people type and read them (declared in ui/wallet_backend.h).
#include "ui/wallet_backend.h"

#include <QRegularExpression>

namespace nesa::ui {

std::int64_t parseNesAmount(const QString &text) {
  static const QRegularExpression pattern(
      QStringLiteral("^\\s*(\\d{1,12})(?:[.,](\\d{0,6}))?\\s*$"));
  const auto match = pattern.match(text);
  if (!match.hasMatch())
    return -1;
  const QString fraction = match.captured(2).leftJustified(6, QLatin1Char('0'));
  return match.captured(1).toLongLong() * 1'000'000 + fraction.toLongLong();
}

QString formatNesAmount(std::int64_t micro) {
  const std::uint64_t magnitude =
      micro < 0 ? 0 - static_cast<std::uint64_t>(micro) : static_cast<std::uint64_t>(micro);
  return QStringLiteral("%1%2.%3 NES")
      .arg(micro < 0 ? QStringLiteral("-") : QString())
      .arg(magnitude / 1'000'000)
      .arg(magnitude % 1'000'000, 6, 10, QLatin1Char('0'));
}

} // namespace nesa::ui
