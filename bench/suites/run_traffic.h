// What one private query sent, as the suites that time whole models print it beside their ratios.
#pragma once

#include "privacy/engine.h"

#include <iomanip>
#include <iostream>
#include <string>

namespace nesa::bench {

/// Prints "# SUITE LABEL: N remote calls (dependent round trips), X MB sent, Y MB received per
/// UNIT" to stderr. Each call goes to all of its miners at once: one dependent round trip.
inline void printTraffic(const char *suite, const std::string &label,
                         const privacy::RunReport &report, const char *unit) {
  std::cerr << "# " << suite << ' ' << label << ": " << report.calls.size()
            << " remote calls (dependent round trips), " << std::fixed << std::setprecision(1)
            << report.bytesSent / 1e6 << " MB sent, " << report.bytesReceived / 1e6
            << " MB received per " << unit << '\n'
            << std::defaultfloat;
}

} // namespace nesa::bench
