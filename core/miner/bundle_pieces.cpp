// Bundles larger than a message may be, arrive in pieces: each (sender, bundle)'s pieces are
// appended to a file of their own, in order, and hashed as they come; the whole is checked
// against its id before it is installed. What senders announce is budgeted before anything is
// written.
#include "miner/internal/miner_state.h"
#include "model/linear_bundle.h"
#include "util/log.h"

#include <fstream>

namespace nesa::miner {

namespace {

namespace fs = std::filesystem;

// An upload nothing arrived for this long gives its place to others.
constexpr auto kIdlePartial = std::chrono::minutes(5);
// Uploads under way at once, from everyone.
constexpr std::size_t kMostPartials = 16;

} // namespace

fs::path MinerService::State::partialFile(const net::PublicKey &sender,
                                          const std::string &bundleId) const {
  return options.dataDir / "bundles" /
         ("incoming-" + net::toHex(sender).substr(0, 32) + "-" + bundleId + ".part");
}

void MinerService::State::clearPartialUploads() {
  std::error_code ec;
  for (const auto &entry : fs::directory_iterator(options.dataDir / "bundles", ec))
    if (entry.path().extension() == ".part")
      fs::remove(entry.path(), ec);
}

Result<void> MinerService::State::makeRoomForPartial(std::uint64_t total, bool paid) {
  const auto now = std::chrono::steady_clock::now();
  std::error_code ec;
  const auto evict = [&](auto it) {
    fs::remove(partialFile(it->first.first, it->first.second), ec);
    return partialUploads.erase(it);
  };
  for (auto it = partialUploads.begin(); it != partialUploads.end();)
    it = now - it->second.lastPiece > kIdlePartial ? evict(it) : std::next(it);
  const auto sum = [&](bool paidOnly) {
    std::uint64_t bytes = 0;
    for (const auto &[key, partial] : partialUploads)
      bytes += (!paidOnly || partial.paid) ? partial.total : 0;
    return bytes;
  };
  // A paying sender's upload takes the place of a stranger's, the least recently active first.
  const auto evictUnpaid = [&] {
    auto oldest = partialUploads.end();
    for (auto it = partialUploads.begin(); it != partialUploads.end(); ++it)
      if (!it->second.paid &&
          (oldest == partialUploads.end() || it->second.lastPiece < oldest->second.lastPiece))
        oldest = it;
    if (oldest == partialUploads.end())
      return false;
    evict(oldest);
    return true;
  };
  const std::uint64_t unpaidSpace = options.maxBundleBytes / 4;
  if (!paid && sum(false) - sum(true) + total > unpaidSpace)
    return fail(ErrorCode::Busy, "other bundles are arriving here: send it again later");
  while (partialUploads.size() >= kMostPartials || sum(false) + total > options.maxBundleBytes)
    if (!paid || !evictUnpaid())
      return fail(ErrorCode::Busy, "other bundles are arriving here: send it again later");
  return {};
}

Result<bool> MinerService::State::receivePiece(const net::PublicKey &sender,
                                               const net::BundleUpload &piece, bool paid) {
  const auto &id = piece.bundleId;
  if (!isBundleId(id))
    return fail(ErrorCode::InvalidInput, "'" + id + "' is not a bundle id");
  const auto key = std::pair(sender, id);
  const auto file = partialFile(sender, id);
  std::error_code ec;
  std::unique_lock lock(piecesMutex);
  const auto drop = [&] {
    partialUploads.erase(key);
    fs::remove(file, ec);
  };
  if (piece.total <= net::kSmallestPiecedBundle || piece.content.empty() ||
      piece.offset > piece.total || piece.content.size() > piece.total - piece.offset) {
    drop();
    return fail(ErrorCode::InvalidInput,
                "a piece of bundle " + id.substr(0, 12) +
                    " lies outside the bundle's size (or the bundle is small enough to send "
                    "whole)");
  }
  const std::uint64_t space = paid ? options.maxBundleBytes : options.maxBundleBytes / 4;
  if (piece.total > space) {
    drop();
    return fail(ErrorCode::InvalidInput, "the bundle's " + std::to_string(piece.total) +
                                             " bytes are more than this miner keeps (" +
                                             std::to_string(space) +
                                             (paid ? "" : " for clients without a session") + ")");
  }
  const auto now = std::chrono::steady_clock::now();
  if (piece.offset == 0) {
    drop(); // this bundle again from the start
    if (auto room = makeRoomForPartial(piece.total, paid); !room)
      return room.error();
    fs::create_directories(file.parent_path(), ec);
    partialUploads[key] = {piece.total, 0, now, paid, model::ContentHasher()};
  }
  const auto found = partialUploads.find(key);
  if (found == partialUploads.end() || found->second.total != piece.total ||
      found->second.received != piece.offset) {
    const auto expected = found == partialUploads.end() ? std::uint64_t{0} : found->second.received;
    drop();
    // NotFound: what the sender continues is not here (expired, or this miner restarted).
    return fail(ErrorCode::NotFound, "a piece of bundle " + id.substr(0, 12) + " at byte " +
                                         std::to_string(piece.offset) + ", where byte " +
                                         std::to_string(expected) +
                                         " was due: send the bundle again from the start");
  }
  auto &partial = found->second;
  {
    // The first piece starts the file afresh, whatever an earlier upload left in it.
    std::ofstream out(file,
                      std::ios::binary | (piece.offset == 0 ? std::ios::trunc : std::ios::app));
    out.write(reinterpret_cast<const char *>(piece.content.data()),
              static_cast<std::streamsize>(piece.content.size()));
    if (!out.flush()) {
      drop();
      return fail(ErrorCode::Io, "cannot store a piece of bundle " + id.substr(0, 12));
    }
  }
  partial.hasher.update(piece.content);
  partial.received += piece.content.size();
  partial.lastPiece = now;
  if (partial.received < partial.total)
    return false;
  const auto total = partial.total;
  // Whole: it must be what the id names before anything parses it.
  const bool hashesToId = partial.hasher.finish() == id;
  partialUploads.erase(found);
  // What was hashed is what arrived; the file must hold exactly that to be loaded unchecked.
  const bool fileComplete = fs::file_size(file, ec) == total && !ec;
  // Out of the way of this sender's next upload of the same bundle before the lock is let go.
  auto whole = file;
  whole.replace_extension(".whole.part");
  fs::rename(file, whole, ec);
  if (ec) {
    fs::remove(file, ec);
    return fail(ErrorCode::Io, "cannot store bundle " + id.substr(0, 12));
  }
  lock.unlock();
  if (!hashesToId || !fileComplete) {
    fs::remove(whole, ec);
    return hashesToId
               ? fail(ErrorCode::Io, "cannot store bundle " + id.substr(0, 12))
               : fail(ErrorCode::Corrupt, "the bundle sent does not hash to " + id.substr(0, 12));
  }
  const auto target = bundleFile(id);
  const bool fresh = !fs::exists(target, ec);
  if (fresh)
    fs::rename(whole, target, ec);
  if (!fresh || ec) {
    const bool notStored = static_cast<bool>(ec);
    fs::remove(whole, ec);
    if (notStored)
      return fail(ErrorCode::Io, "cannot store bundle " + id.substr(0, 12));
  }
  log::info(name + ": received bundle " + id.substr(0, 12) + " in pieces (" +
            std::to_string(total) + " bytes)");
  // A file that was here already came through a checked path too, but is loaded with its check:
  // only this upload's bytes were hashed.
  auto installed = install(id, paid, {nullptr, fresh});
  if (!installed) {
    // Refused: nothing of it stays, unless another upload of it is being installed (busy).
    if (fresh && installed.error().code != ErrorCode::Busy)
      fs::remove(target, ec);
    return installed.error();
  }
  return true;
}

} // namespace nesa::miner
