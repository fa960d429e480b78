#include "miner/juror_duties.h"

#include "util/atomic_file.h"
#include "util/secure_buffer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>

namespace nesa::miner {

using V = chain::abi::Value;

JurorDuties::JurorDuties(chain::ChainConnection &chain, const chain::Address &self,
                         std::filesystem::path store)
    : m_chain(chain), m_self(self), m_store(std::move(store)) {}

Result<std::size_t> JurorDuties::load() {
  std::lock_guard lock(m_mutex);
  std::error_code ec;
  if (m_store.empty() || !std::filesystem::exists(m_store, ec))
    return std::size_t{0};
  std::ifstream in(m_store);
  const auto json = nlohmann::json::parse(in, nullptr, false);
  const auto damaged = [this] {
    m_votes.clear();
    m_storeDamaged = true; // never overwritten: the salts in it may still be needed
    return fail(ErrorCode::Corrupt, m_store.string() + " (this juror's votes) is damaged; move "
                                                       "it away to take part in disputes again");
  };
  if (!json.is_object() || !json.contains("votes") || !json["votes"].is_array())
    return damaged();
  for (const auto &entry : json["votes"]) {
    if (!entry.is_object() || !entry.contains("id") || !entry["id"].is_number_unsigned() ||
        !entry.contains("salt") || !entry["salt"].is_string() || !entry.contains("guilty") ||
        !entry["guilty"].is_boolean() || !entry.contains("stage") ||
        !entry["stage"].is_number_unsigned())
      return damaged();
    auto salt = chain::fromHex(entry["salt"].get<std::string>());
    const auto stage = entry["stage"].get<std::uint64_t>();
    if (!salt || salt->size() != 32 || stage > 2)
      return damaged();
    Vote vote;
    vote.guilty = entry["guilty"].get<bool>();
    std::copy(salt->begin(), salt->end(), vote.salt.begin());
    vote.stage = static_cast<Stage>(stage);
    m_votes[entry["id"].get<std::uint64_t>()] = vote;
  }
  return m_votes.size();
}

Result<void> JurorDuties::save() const {
  if (m_store.empty())
    return {};
  if (m_storeDamaged)
    return fail(ErrorCode::Corrupt, m_store.string() + " is damaged; not overwriting it");
  nlohmann::json votes = nlohmann::json::array();
  for (const auto &[id, vote] : m_votes)
    votes.push_back({{"id", id},
                     {"guilty", vote.guilty},
                     {"salt", chain::toHex(vote.salt)},
                     {"stage", static_cast<int>(vote.stage)}});
  return writeFileAtomically(m_store, nlohmann::json{{"votes", votes}}.dump(1) + "\n");
}

Result<chain::DisputeState> JurorDuties::check(std::uint64_t id, const chain::Hash32 &job,
                                               const chain::Hash32 &result) {
  auto d = chain::readDispute(m_chain.rpc(), m_chain.contracts().disputes, id);
  if (!d)
    return d.error();
  const auto refused = [id](const std::string &why) {
    return fail(ErrorCode::InvalidInput, "dispute " + std::to_string(id) + ": " + why);
  };
  if (std::find(d->jurors.begin(), d->jurors.end(), m_self) == d->jurors.end())
    return refused("this miner is not on its jury");
  auto now = m_chain.rpc().latestTimestamp();
  if (!now)
    return now.error();
  if (d->finalized || d->commitEnd == 0 || *now > d->commitEnd)
    return refused("it is not in its commit phase");
  if (d->job != job)
    return refused("the job sent is not the one reported");
  if (d->result != result)
    return refused("the answer sent is not the one reported");
  std::lock_guard lock(m_mutex);
  if (m_votes.count(id))
    return refused("this juror has already voted");
  return d;
}

Result<void> JurorDuties::record(std::uint64_t id, bool guilty) {
  auto salt = SecureBuffer::random(32);
  if (!salt)
    return salt.error();
  Vote vote;
  vote.guilty = guilty;
  std::copy_n(salt->data(), 32, vote.salt.begin());
  std::lock_guard lock(m_mutex);
  if (m_votes.count(id))
    return fail(ErrorCode::InvalidInput, "already voted on dispute " + std::to_string(id));
  m_votes[id] = vote;
  if (auto saved = save(); !saved) {
    m_votes.erase(id);
    return saved;
  }
  return {};
}

Result<void> JurorDuties::advance(chain::Transactor &sender) {
  std::map<std::uint64_t, Vote> votes;
  {
    std::lock_guard lock(m_mutex);
    votes = m_votes;
  }
  const chain::Contract &disputes = m_chain.contracts().disputes;
  std::optional<Error> first;
  const auto note = [&first](Error error) {
    if (!first)
      first = std::move(error);
  };
  for (auto &[id, vote] : votes) {
    const std::string which = "dispute " + std::to_string(id);
    auto d = chain::readDispute(m_chain.rpc(), disputes, id);
    auto now = m_chain.rpc().latestTimestamp();
    if (!d || !now) {
      note(d ? now.error() : d.error());
      continue;
    }
    // What the chain already has decides the stage: a commit or reveal whose receipt was late,
    // or that a crash kept from being written down, is not sent again (it would revert).
    if (vote.stage == Stage::Recorded) {
      auto committed =
          disputes.call(m_chain.rpc(), "commitments", {V::uint(id), V::address(m_self)});
      if (committed && (*committed)[0].asBytes() &&
          *(*committed)[0].asBytes() != chain::Bytes(32, 0))
        vote.stage = Stage::Committed;
    }
    if (vote.stage == Stage::Committed) {
      auto revealed = disputes.call(m_chain.rpc(), "votes", {V::uint(id), V::address(m_self)});
      if (revealed && (*revealed)[0].asUint() && !(*revealed)[0].asUint()->isZero())
        vote.stage = Stage::Revealed;
    }
    if (vote.stage == Stage::Recorded && *now <= d->commitEnd) {
      auto sent =
          disputes.send(sender, "commit",
                        {V::uint(id), V::bytes(std::span<const std::uint8_t>(chain::voteCommitment(
                                          id, m_self, vote.guilty, vote.salt)))});
      if (sent)
        vote.stage = Stage::Committed;
      else
        note(sent.error().withContext("committing the vote on " + which));
    } else if (vote.stage == Stage::Committed && *now > d->commitEnd && *now <= d->revealEnd) {
      auto sent = disputes.send(sender, "reveal",
                                {V::uint(id), V::boolean(vote.guilty),
                                 V::bytes(std::span<const std::uint8_t>(vote.salt))});
      if (sent)
        vote.stage = Stage::Revealed;
      else
        note(sent.error().withContext("revealing the vote on " + which));
    }
    const bool pastReveal = d->commitEnd != 0 && *now > d->revealEnd;
    const bool over = d->finalized || pastReveal;
    if (pastReveal && !d->finalized) { // anyone may; the jurors' reward waits for it
      // Several jurors may try at once: the one that comes second finds it done.
      auto sent = disputes.send(sender, "finalize", {V::uint(id)});
      if (!sent && !finalizedMeanwhile(id))
        note(sent.error().withContext("finalizing " + which));
    }
    std::lock_guard lock(m_mutex);
    if (over)
      m_votes.erase(id);
    else
      m_votes[id].stage = vote.stage;
    if (auto saved = save(); !saved) // after every step, not once at the end
      note(saved.error());
  }
  if (first)
    return *first;
  return {};
}

bool JurorDuties::finalizedMeanwhile(std::uint64_t id) {
  auto d = chain::readDispute(m_chain.rpc(), m_chain.contracts().disputes, id);
  return d && d->finalized;
}

std::size_t JurorDuties::pending() const {
  std::lock_guard lock(m_mutex);
  return m_votes.size();
}

} // namespace nesa::miner
