#include "cli/ledger_commands.h"

#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/daemon.h"
#include "cli/network_commands.h"
#include "ledger/ledger_codec.h"
#include "node/remote_ledger.h"

#include <memory>

namespace nesa::cli {

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

const std::vector<OptionSpec> kOptions = {
    {"node", true, "the node (default: the configured or local one)", "HOST:PORT"},
};

// The ledger of the node, reached with a throwaway identity (the wallet key signs, not it).
struct LedgerConnection {
  net::Identity identity = net::Identity::generate().value();
  std::unique_ptr<node::RemoteLedger> ledger;
};

Result<std::unique_ptr<LedgerConnection>> connect(const Context &ctx, const Arguments &args) {
  auto endpoint = resolveNode(ctx.config, args.value("node"));
  if (!endpoint)
    return endpoint.error();
  auto connection = std::make_unique<LedgerConnection>();
  auto ledger = node::RemoteLedger::connect(*endpoint, connection->identity);
  if (!ledger)
    return ledger.error();
  connection->ledger = std::move(*ledger);
  return connection;
}

Result<Arguments> parse(const std::string &name, const std::vector<std::string> &words) {
  return parseWords(name, words, kOptions);
}

} // namespace

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

int ledgerCommand(Context &ctx) {
  auto args = parse("ledger", ctx.args);
  if (!args)
    return failWith(ctx, "ledger", args.error());
  if (args->positional != std::vector<std::string>{"status"}) {
    ctx.err << "usage: nesa ledger status [--node HOST:PORT]\n";
    return kExitUsage;
  }
  auto connection = connect(ctx, *args);
  if (!connection)
    return failWith(ctx, "ledger", connection.error());
  auto status = (*connection)->ledger->status();
  if (!status)
    return failWith(ctx, "ledger", status.error());
  const auto &s = *status;
  ctx.out << "chain     " << s.chainId << "\nheight    " << s.height << "\ntip       "
          << ledger::hex(s.tip) << "\nstate     " << ledger::hex(s.stateHash) << "\nsupply    "
          << formatNes(s.supply) << "\nfee pool  " << formatNes(s.feePool) << "\npending   "
          << s.pending << " transactions\nminers    " << s.miners << " registered\nsessions  "
          << s.sessions << " open\nfees      " << formatNes(s.params.baseFee) << " + "
          << s.params.feePerByte << " µNES per byte\nstake     at least "
          << formatNes(s.params.minStake) << ", unbonding " << s.params.unbondingBlocks
          << " blocks\nvotes     " << s.params.votingBlocks << " blocks, quorum "
          << s.params.quorumPercent << "%\n";
  return kExitOk;
}

} // namespace nesa::cli
