// What a front end (nesa-analyze, the local API) hands the analysis library: the query, where
// its miners are, how to reach the wallet's secrets when a run needs them, and whom to tell
// what happens. Plain data: every front end builds the same structs.
#pragma once

#include "chain/account_key.h"
#include "chain/chain_access.h"
#include "privacy/engine.h"
#include "util/config.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nesa::analysis {

struct Outcome;

/// One query: a model on a file at a privacy level.
struct Request {
  /// An .npy array, a NIfTI or DICOM scan, an image, or (with a language model) a document.
  std::filesystem::path input;
  /// An installed model's id (nesa model list), a TorchScript file or a language-model folder.
  std::string model;
  /// How to prepare the input for the model; empty: the installed model's, else MODEL.json.
  std::filesystem::path manifest;
  std::string task = "summarize";  ///< with a language model: "summarize" or "classify"
  std::vector<std::string> labels; ///< classify's labels
  privacy::PrivacyLevel level = privacy::PrivacyLevel::Hss;
  /// None: the level's default (privacy::defaultArithmetic).
  std::optional<privacy::ShareArithmetic> arithmetic;
  int shares = 2; ///< hss levels: shares per remote call (2..8)
  /// When set: the prepared input (input.npy) and the first share a miner received (share.npy)
  /// are written there, to compare what the miners saw with the original.
  std::filesystem::path showShare;
};

/// Where a query's miners are and what they may ask.
struct NetworkChoice {
  bool inProcess = false; ///< compute the shares in this process (nothing is paid)
  /// A named EVM network; none: the settings' network, else the local devnet running on this
  /// computer, else a devnet started for the run.
  std::optional<chain::ChainAccess> chain;
  std::uint64_t maxPricePerJob = 1'000; ///< µNES: miners asking more are not used
  std::chrono::seconds jobTimeout{60};  ///< a miner silent this long has failed the job
  Config config;                        ///< the settings (network, data folder, threads)
};

/// The wallet's secrets, asked for only when a run needs them (the front end opens the wallet,
/// so the analysis library never sees a passphrase).
struct Secrets {
  /// The user's EE key, for ee and hss-ee.
  std::function<Result<std::shared_ptr<const privacy::EeKey>>()> eeKey;
  /// The account that pays the miners: on this computer's devnet (`localDevnet`) the demo
  /// account may pay; elsewhere the wallet's, allowed to sign on `chainId`.
  std::function<Result<chain::AccountKey>(bool localDevnet, std::uint64_t chainId)> payer;
  /// Called after every query: drop what was opened for it (the wallet, a passphrase), so that
  /// a wallet locked between two queries stays locked.
  std::function<void()> forget;
};

/// Whom a run tells what happens (each may be empty; called on the running thread).
struct Events {
  /// A status line for people: "starting a devnet", "patient details stay here", a report.
  std::function<void(const std::string &)> notice;
  /// A remote call finished, verified or not.
  std::function<void(const privacy::RunProgress &)> call;
  /// A piece of a summary, as soon as it is written (in order, the pieces are Outcome::text).
  std::function<void(const std::string &)> text;
  /// Before a run starts: a failure stops it before anything is read, sent or paid (the audit
  /// log records the start here).
  std::function<Result<void>(const Request &)> starting;
  /// After a run ended, with its outcome or error: a failure is the run's error instead (the
  /// audit log records the end here).
  std::function<Result<void>(const Request &, const Result<Outcome> &)> finished;
  /// µNES this person's queries paid today (UTC), for an organisation's spending limit (the
  /// audit log keeps the count); empty: not known, so a spending limit refuses paid queries.
  std::function<Result<std::uint64_t>()> spentToday;
  /// A run's result leaving Nesa as a file in `format` ("npy", "nifti"), at `stage`: "started"
  /// before it is written (a failure keeps it from being written), then "written" or "failed"
  /// (the audit log records exports here).
  std::function<Result<void>(const Request &, const std::string &format, const std::string &stage)>
      exporting;
};

} // namespace nesa::analysis
