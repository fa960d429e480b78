#include "cli/policy_command.h"

#include "cli/arguments.h"
#include "cli/commands.h"
#include "policy/enforcement.h"
#include "util/atomic_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace nesa::cli {
namespace {

namespace fs = std::filesystem;
using policy::Enforcement;

constexpr const char *kUsage =
    "usage: nesa policy COMMAND\n\n"
    "  show                   what the installed policy lets you do: your roles and their\n"
    "                         rules, or why the policy cannot be used (--json)\n"
    "  keygen NAME --output FILE\n"
    "                         (administrator) a new Ed25519 signing key, written to FILE\n"
    "                         (kept offline, mode 0600); prints the verifier key to install as\n"
    "                         /etc/nesa/policy.pub\n"
    "  sign POLICY.json --key FILE [--output NOTE]\n"
    "                         (administrator) check a policy and sign it as a signed note,\n"
    "                         to install as /etc/nesa/policy\n"
    "  verify NOTE [--pub FILE]\n"
    "                         check a signed policy against a verifier key (default: the\n"
    "                         installed policy.pub) before installing it\n\n"
    "The policy folder is /etc/nesa; where that holds no policy.pub, $NESA_POLICY_DIR may name\n"
    "another. Without policy.pub nothing is restricted. Refusals exit with code 4.\n";

const std::vector<OptionSpec> kOptions = {
    {"output", true, "keygen, sign: the file to write", "FILE"},
    {"key", true, "sign: the administrator's signing key file", "FILE"},
    {"pub", true, "verify: the verifier key file", "FILE"},
    {"json", false, "show: machine-readable output"},
};

int failWith(Context &ctx, const Error &error) { return cli::failWith(ctx, "policy", error); }

Result<std::string> readFile(const fs::path &file) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return fail(ErrorCode::NotFound, "cannot read " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string firstLine(const std::string &text) { return text.substr(0, text.find('\n')); }

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int show(Context &ctx, const Arguments &args) {
  const Enforcement enforcement = Enforcement::installed();
  if (!args.has("json")) {
    for (const std::string &line : enforcement.describe())
      ctx.out << line << '\n';
    return kExitOk;
  }
  static const char *const modes[] = {"open", "enforced", "lockdown"};
  nlohmann::json out{{"mode", modes[static_cast<int>(enforcement.mode())]},
                     {"folder", policy::installedPolicyFolder().string()},
                     {"roles", enforcement.roles()},
                     {"lines", enforcement.describe()}};
  if (enforcement.policy()) {
    out["organisation"] = enforcement.policy()->organisation;
    out["version"] = enforcement.policy()->version;
    out["expires"] = policy::formatUtcTime(enforcement.policy()->expiresMs);
  }
  if (enforcement.mode() == Enforcement::Mode::Lockdown)
    out["problem"] = enforcement.problem();
  ctx.out << out.dump() << '\n';
  return kExitOk;
}

int keygen(Context &ctx, const Arguments &args) {
  if (args.positional.size() != 2 || !args.has("output"))
    return failWith(ctx,
                    fail(ErrorCode::InvalidInput, "usage: nesa policy keygen NAME --output FILE"));
  auto key = audit::SignerKey::generate(args.positional[1]);
  if (!key)
    return failWith(ctx, key.error());
  if (auto valid = audit::VerifierKey::parse(key->verifier.toString()); !valid)
    return failWith(
        ctx, fail(ErrorCode::InvalidInput, "a key name has no '+', spaces or control characters"));
  auto secret = key->toSecretString();
  if (!secret)
    return failWith(ctx, secret.error());
  const fs::path file = args.value("output");
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    return failWith(ctx,
                    fail(errno == EEXIST ? ErrorCode::AlreadyExists : ErrorCode::Io,
                         "cannot create " + file.string() +
                             (errno == EEXIST ? ": it exists (a key is never overwritten)" : "")));
  const std::string_view text = secret->view();
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                       ::write(fd, "\n", 1) == 1 && ::fsync(fd) == 0;
  ::close(fd);
  if (!written)
    return failWith(ctx, fail(ErrorCode::Io, "cannot write " + file.string()));
  ctx.out << key->verifier.toString() << '\n';
  ctx.err << "Signing key written to " << file.string()
          << " (keep it offline); install the line above as /etc/nesa/policy.pub.\n";
  return kExitOk;
}

int sign(Context &ctx, const Arguments &args) {
  if (args.positional.size() != 2 || !args.has("key"))
    return failWith(ctx, fail(ErrorCode::InvalidInput,
                              "usage: nesa policy sign POLICY.json --key FILE [--output NOTE]"));
  auto json = readFile(args.positional[1]);
  if (!json)
    return failWith(ctx, json.error());
  auto keyText = readFile(args.value("key"));
  if (!keyText)
    return failWith(ctx, keyText.error());
  std::string line = firstLine(*keyText);
  auto key = audit::SignerKey::parseSecretString(line);
  sodium_memzero(keyText->data(), keyText->size());
  sodium_memzero(line.data(), line.size());
  if (!key)
    return failWith(ctx, key.error().withContext(args.value("key")));
  auto note = policy::signPolicy(*json, *key);
  if (!note)
    return failWith(ctx, note.error());
  if (!args.has("output")) {
    ctx.out << *note;
    return kExitOk;
  }
  if (auto written = writeFileAtomically(args.value("output"), *note); !written)
    return failWith(ctx, written.error());
  ctx.err << "Signed policy written to " << args.value("output") << ".\n";
  return kExitOk;
}

int verify(Context &ctx, const Arguments &args) {
  if (args.positional.size() != 2)
    return failWith(ctx,
                    fail(ErrorCode::InvalidInput, "usage: nesa policy verify NOTE [--pub FILE]"));
  const fs::path pubFile = args.has("pub") ? fs::path(args.value("pub"))
                                           : policy::installedPolicyFolder() / "policy.pub";
  auto key = policy::readVerifierKey(pubFile); // as enforcement reads it
  if (!key)
    return failWith(ctx, key.error());
  auto note = readFile(args.positional[1]);
  if (!note)
    return failWith(ctx, note.error());
  auto opened = policy::openPolicy(*note, *key, nowMs());
  if (!opened)
    return failWith(ctx, opened.error());
  ctx.out << "policy of " << opened->organisation << ", version " << opened->version
          << ", signed by " << key->name << ", valid until "
          << policy::formatUtcTime(opened->expiresMs) << "; " << opened->roles.size() << " roles, "
          << opened->users.size() << " users, " << opened->groups.size() << " groups\n";
  return kExitOk;
}

} // namespace

int policyCommand(Context &ctx) {
  if (ctx.args.empty() || ctx.args[0] == "--help" || ctx.args[0] == "-h") {
    (ctx.args.empty() ? ctx.err : ctx.out) << kUsage << formatOptions(kOptions);
    return ctx.args.empty() ? kExitUsage : kExitOk;
  }
  auto args = parseWords("policy", ctx.args, kOptions);
  if (!args)
    return failWith(ctx, args.error());
  const std::string sub = args->positional.empty() ? "" : args->positional[0];
  if (sub == "show")
    return show(ctx, *args);
  if (sub == "keygen")
    return keygen(ctx, *args);
  if (sub == "sign")
    return sign(ctx, *args);
  if (sub == "verify")
    return verify(ctx, *args);
  return failWith(
      ctx, fail(ErrorCode::InvalidInput, "unknown command '" + sub + "' (see nesa policy --help)"));
}

} // namespace nesa::cli
