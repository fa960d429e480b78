// What one private query sent, as the suites that time whole models print it beside their ratios.
#pragma once

#include "privacy/engine.h"

#include <iomanip>
#include <iostream>
#include <string>

namespace nesa::bench {

/// Prints "# SUITE LABEL: N remote calls in R dependent round trips, X MB sent, Y MB received
/// per UNIT" to stderr (privacy::RunReport::roundTrips).
inline void printTraffic(const char *suite, const std::string &label,
                         const privacy::RunReport &report, const char *unit) {
  std::cerr << "# " << suite << ' ' << label << ": " << report.calls.size() << " remote calls in "
            << report.roundTrips << " dependent round trips, " << std::fixed << std::setprecision(1)
            << report.bytesSent / 1e6 << " MB sent, " << report.bytesReceived / 1e6
            << " MB received per " << unit << '\n'
            << std::defaultfloat;
}

} // namespace nesa::bench
