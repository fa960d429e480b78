// nesa-metainf: MetaInf's data set and its evaluation (`nesa metainf ...` runs this program).
//   nesa metainf collect [options]    measure generated models at every arm, append to the CSV
//   nesa metainf evaluate [options]   train every selector on held-out splits, print the table
#include "collector.h"
#include "metainf/dataset.h"
#include "metainf/evaluation.h"
#include "privacy/local_miner.h"
#include "util/log.h"
#include "util/paths.h"
#include "util/process_tuning.h"

#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace nesa;
using namespace nesa::metainf;

const char *kUsage = R"(Usage: nesa metainf collect [options]
       nesa metainf evaluate [options]

collect: runs generated random-weight models (mlp, cnn1d, cnn2d, cnn3d, transformer) at every
arm of each privacy level, on each hardware setting and over each network regime (loopback,
and emulated LAN and WAN links to real miner services of this process), and appends one row per
(task, arm) to the data set. Tasks already in the file are skipped, so it resumes.
  --out FILE          the data set (default: metainf-data.csv)
  --first N           the first generated model's index (default 0)
  --models N          how many models (default 10)
  --seed S            the generator's seed (default 1)
  --threads LIST      client threads, one hardware setting each (default 1,2)
  --networks LIST     loopback, lan, wan (default all three)
  --levels LIST       ee, hss, hss-ee (default all three)
  --repeats N         measured runs per arm after a warm-up (default 2)

evaluate: trains every selector (default, single-best, knn, isac, alors, rf, gb, metainf) on
each fold of the held-out splits and prints one line per selector, and the oracle:
  metainf/NAME: top1 T, within5 W, vs-default Dx, vs-gb Gx, regret R, p95-regret P, select S ms
  --data FILE         the data set (default: the one shipped with Nesa, collected by the
                      project: share/nesa/metainf/metainf-data.csv)
  --split NAME        family, hardware, network, or all (default all: the three pooled)
  --by-split          print a table for each split, then the pooled one
  --quiet             no progress on standard error
)";

std::vector<std::string> splitList(const std::string &text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty())
      out.push_back(item);
  return out;
}

int usageError(const std::string &message) {
  std::cerr << "nesa metainf: " << message << "\n(try nesa metainf --help)\n";
  return 2;
}

bool parseInt(const std::string &text, int &out, int min) {
  char *end = nullptr;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end || v < min || v > 1000000)
    return false;
  out = static_cast<int>(v);
  return true;
}

int collectCommand(const std::vector<std::string> &args) {
  CollectOptions options;
  options.out = "metainf-data.csv";
  (void)log::init({log::Level::Warn, {}}); // the miners' per-bundle lines would drown the progress
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto &a = args[i];
    if (i + 1 >= args.size())
      return usageError(a + " needs a value");
    const auto &v = args[++i];
    int n = 0;
    if (a == "--out")
      options.out = v;
    else if (a == "--first" && parseInt(v, n, 0))
      options.firstModel = n;
    else if (a == "--models" && parseInt(v, n, 1))
      options.models = n;
    else if (a == "--seed" && parseInt(v, n, 0))
      options.seed = static_cast<std::uint64_t>(n);
    else if (a == "--repeats" && parseInt(v, n, 1))
      options.repeats = n;
    else if (a == "--networks")
      options.networks = splitList(v);
    else if (a == "--levels")
      options.levels = splitList(v);
    else if (a == "--threads") {
      options.threads.clear();
      for (const auto &t : splitList(v)) {
        if (!parseInt(t, n, 1))
          return usageError("--threads takes numbers ≥ 1, such as 1,2");
        options.threads.push_back(n);
      }
    } else
      return usageError("unknown option or bad value: " + a + " " + v);
  }
  auto appended = collect(options, [](const std::string &line) { std::cerr << line << '\n'; });
  if (!appended) {
    std::cerr << "nesa metainf collect: " << appended.error().message << '\n';
    return 1;
  }
  std::cout << *appended << " tasks appended to " << options.out.string() << '\n';
  return 0;
}

int evaluateCommand(const std::vector<std::string> &args) {
  std::string data = paths::shippedData("share/nesa/metainf/metainf-data.csv", NESA_METAINF_DATA)
                         .string(),
              split = "all";
  bool bySplit = false, quiet = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto &a = args[i];
    if (a == "--by-split")
      bySplit = true;
    else if (a == "--quiet")
      quiet = true;
    else if ((a == "--data" || a == "--split") && i + 1 < args.size())
      (a == "--data" ? data : split) = args[++i];
    else
      return usageError("unknown option or missing value: " + a);
  }
  std::vector<Split> splits;
  if (split == "all")
    splits = {Split::Family, Split::Hardware, Split::Network};
  else if (auto one = parseSplit(split))
    splits = {*one};
  else
    return usageError(one.error().message);
  auto rows = readCsv(data);
  if (!rows) {
    std::cerr << "nesa metainf evaluate: " << rows.error().message << '\n';
    return 1;
  }
  auto tasks = groupTasks(*rows);
  if (!tasks) {
    std::cerr << "nesa metainf evaluate: " << tasks.error().message << '\n';
    return 1;
  }
  const auto progress = [&](const std::string &line) {
    if (!quiet)
      std::cerr << line << '\n';
  };
  std::cout << "# " << tasks->size() << " tasks, " << rows->size() << " measurements from " << data
            << '\n';
  // Each split's folds are trained once; the pooled table reuses their choices.
  std::vector<SplitChoices> chosen;
  for (Split s : splits) {
    auto one = chooseOnFolds(*tasks, s, progress);
    if (!one) {
      std::cerr << "nesa metainf evaluate: " << one.error().message << '\n';
      return 1;
    }
    chosen.push_back(std::move(*one));
  }
  const auto print = [](const std::string &title, const std::vector<const SplitChoices *> &from) {
    const auto scores = scoreSplits(from);
    std::cout << "# " << title << " (" << scores.front().tasks << " choices"
              << (from.size() > 1 ? ": each task held out once per split" : ", one per task")
              << ")\n";
    for (const auto &score : scores)
      std::cout << formatScore(score) << '\n';
  };
  std::vector<const SplitChoices *> all;
  std::string title;
  for (const auto &c : chosen) {
    all.push_back(&c);
    const std::string one = std::string("leave one ") + splitName(c.split) + " out";
    title += (title.empty() ? "" : " + ") + one;
    if (bySplit && chosen.size() > 1)
      print(one, {&c});
  }
  print(title, all);
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  // Measured as nesa-analyze and nesa-miner run (util/process_tuning.h): without this, idle
  // OpenMP threads of the client and the in-process miners spin on each other's cores.
  nesa::tuneProcess(argv);
  nesa::privacy::setComputeThreads(0);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  for (const auto &a : args)
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    }
  if (command == "collect")
    return collectCommand(args);
  if (command == "evaluate")
    return evaluateCommand(args);
  return usageError("unknown command '" + command + "' (collect or evaluate)");
}
