#include "cli/arguments.h"

#include <algorithm>
#include <sstream>

namespace nesa::cli {

std::string Arguments::value(const std::string &name, const std::string &fallback) const {
  auto it = options.find(name);
  return it == options.end() ? fallback : it->second;
}

Result<long long> Arguments::integer(const std::string &name, long long fallback, long long low,
                                     long long high) const {
  if (!has(name))
    return fallback;
  const std::string text = value(name);
  try {
    std::size_t used = 0;
    const long long number = std::stoll(text, &used);
    if (used == text.size() && number >= low && number <= high)
      return number;
  } catch (const std::exception &) {
  }
  return fail(ErrorCode::InvalidInput, "--" + name + " takes a number from " + std::to_string(low) +
                                           " to " + std::to_string(high));
}

Result<Arguments> parseArguments(int argc, const char *const *argv, int first,
                                 const std::vector<OptionSpec> &specs) {
  Arguments parsed;
  bool optionsEnded = false;
  for (int i = first; i < argc; ++i) {
    std::string word = argv[i];
    if (optionsEnded || word.size() < 2 || word[0] != '-') {
      parsed.positional.push_back(word);
      continue;
    }
    if (word == "--") {
      optionsEnded = true;
      continue;
    }
    if (word == "-h")
      word = "--help";
    if (word.rfind("--", 0) != 0)
      return fail(ErrorCode::InvalidInput, "unknown option '" + word + "'");
    std::string name = word.substr(2);
    std::string value;
    bool inlineValue = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      inlineValue = true;
    }
    auto spec = std::find_if(specs.begin(), specs.end(),
                             [&](const OptionSpec &s) { return s.name == name; });
    if (spec == specs.end())
      return fail(ErrorCode::InvalidInput, "unknown option '--" + name + "'");
    if (spec->takesValue && !inlineValue) {
      if (i + 1 >= argc)
        return fail(ErrorCode::InvalidInput, "option '--" + name + "' needs a value");
      value = argv[++i];
    } else if (!spec->takesValue && inlineValue) {
      return fail(ErrorCode::InvalidInput, "option '--" + name + "' takes no value");
    }
    parsed.options[name] = value;
  }
  return parsed;
}

std::string formatOptions(const std::vector<OptionSpec> &specs) {
  std::vector<std::string> left;
  std::size_t width = 0;
  for (const auto &s : specs) {
    left.push_back("--" + s.name + (s.takesValue ? " " + s.valueName : ""));
    width = std::max(width, left.back().size());
  }
  std::ostringstream out;
  for (std::size_t i = 0; i < specs.size(); ++i)
    out << "  " << left[i] << std::string(width - left[i].size() + 2, ' ') << specs[i].help << '\n';
  return out.str();
}

Result<Arguments> parseWords(const std::string &command, const std::vector<std::string> &words,
                             const std::vector<OptionSpec> &specs) {
  std::vector<const char *> argv{command.c_str()};
  for (const auto &w : words)
    argv.push_back(w.c_str());
  return parseArguments(static_cast<int>(argv.size()), argv.data(), 1, specs);
}

} // namespace nesa::cli
