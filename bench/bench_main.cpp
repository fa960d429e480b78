// nesa-bench: runs named benchmark suites and prints one ratio per line.
#include "harness.h"
#include "privacy/local_miner.h"
#include "suites/suites.h"
#include "util/process_tuning.h"

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace {

using namespace nesa::bench;

void printHelp() {
  std::cout
      << "usage: nesa-bench [--repeats N] [--warmups N] [--list] [SUITE[/NAME]... | all]\n\n"
         "Runs each suite (SUITE/NAME: only its measurements whose name starts with NAME)\n"
         "and prints, per measurement,\n"
         "  SUITE/NAME: RATIOx (VALUE UNIT vs BASELINE UNIT)\n"
         "where RATIO = VALUE / BASELINE, both medians over N repeats measured in this run.\n\n"
         "Suites:\n";
  for (const auto &s : suites())
    std::cout << "  " << s.name << std::string(10 - std::min<std::size_t>(9, s.name.size()), ' ')
              << s.description << '\n';
}

bool parseCount(const char *text, int &out) {
  char *end = nullptr;
  const long value = std::strtol(text, &end, 10);
  if (end == text || *end != '\0' || value < 1 || value > 1000)
    return false;
  out = static_cast<int>(value);
  return true;
}

} // namespace

int main(int argc, char **argv) {
  // As nesa-analyze and nesa-miner run (both sides of every ratio): see util/process_tuning.h.
  nesa::tuneProcess(argv);
  nesa::privacy::setComputeThreads(0);
  registerStorageSuite();
  registerAuditSuite();
  registerUtilSuite();
  registerBlasSuite();
  registerEngineSuite();
  registerEeSuite();
  registerNetSuite();
  registerChainSuite();
  registerApiSuite();
  registerBrainSuite();
  registerLlmSuite();
  registerImportedSuite();

  Options options;
  std::vector<std::string> wanted;
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word == "--help" || word == "-h") {
      printHelp();
      return 0;
    }
    if (word == "--list") {
      for (const auto &s : suites())
        std::cout << s.name << '\n';
      return 0;
    }
    if (word == "--repeats" || word == "--warmups") {
      int &target = word == "--repeats" ? options.repeats : options.warmups;
      if (i + 1 >= argc || !parseCount(argv[++i], target)) {
        std::cerr << "nesa-bench: " << word << " needs a count between 1 and 1000\n";
        return 2;
      }
      continue;
    }
    if (word.rfind("--", 0) == 0) {
      std::cerr << "nesa-bench: unknown option '" << word << "'\n";
      return 2;
    }
    wanted.push_back(word);
  }
  if (wanted.empty()) {
    printHelp();
    return 2;
  }

  // Each chosen suite with the prefix its measurements' names must start with ("": all).
  std::vector<std::pair<const Suite *, std::string>> chosen;
  for (const auto &word : wanted) {
    const auto slash = word.find('/');
    const std::string name = word.substr(0, slash);
    const std::string prefix = slash == std::string::npos ? "" : word.substr(slash + 1);
    bool found = false;
    for (const auto &s : suites())
      if (name == "all" || name == s.name) {
        chosen.emplace_back(&s, prefix);
        found = true;
      }
    if (!found) {
      std::cerr << "nesa-bench: no suite named '" << name << "' (try --list)\n";
      return 2;
    }
  }
  for (const auto &[suite, prefix] : chosen) {
    std::cerr << "# " << suite->name << ": " << suite->description << " (" << options.repeats
              << " repeats, median)\n";
    int ran = 0;
    for (const auto &comparison : suite->make()) {
      if (comparison.name.rfind(prefix, 0) != 0)
        continue;
      std::cout << formatOutcome(run(suite->name, comparison, options)) << std::endl;
      ++ran;
    }
    if (ran == 0) {
      std::cerr << "nesa-bench: suite '" << suite->name << "' has no measurement named '" << prefix
                << "...'\n";
      return 2;
    }
  }
  return 0;
}
