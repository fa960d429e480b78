// Bundles larger than a message may be arrive in pieces: each sender's pieces are appended to a
// file of its own, in order, and the whole is checked against its id before it is installed.
#include "miner/internal/miner_state.h"
#include "model/linear_bundle.h"
#include "util/log.h"

#include <fstream>

namespace nesa::miner {

namespace {

namespace fs = std::filesystem;

// A sender that sent nothing for this long may lose its partial bundle to another's.
constexpr auto kIdlePartial = std::chrono::minutes(10);

} // namespace

fs::path MinerService::State::partialFile(const net::PublicKey &sender) const {
  return options.dataDir / "bundles" / ("incoming-" + net::toHex(sender).substr(0, 32) + ".part");
}

void MinerService::State::clearPartialUploads() {
  std::error_code ec;
  for (const auto &entry : fs::directory_iterator(options.dataDir / "bundles", ec))
    if (entry.path().extension() == ".part")
      fs::remove(entry.path(), ec);
}

Result<bool> MinerService::State::receivePiece(const net::PublicKey &sender,
                                               const net::BundleUpload &piece, bool paid) {
  const auto &id = piece.bundleId;
  if (!isBundleId(id))
    return fail(ErrorCode::InvalidInput, "'" + id + "' is not a bundle id");
  if (piece.total == 0 || piece.content.empty() || piece.offset > piece.total ||
      piece.content.size() > piece.total - piece.offset)
    return fail(ErrorCode::InvalidInput,
                "a piece of bundle " + id.substr(0, 12) + " lies outside the bundle's size");
  const std::uint64_t space = paid ? options.maxBundleBytes : options.maxBundleBytes / 4;
  if (piece.total > space)
    return fail(ErrorCode::InvalidInput, "the bundle's " + std::to_string(piece.total) +
                                             " bytes are more than this miner keeps (" +
                                             std::to_string(space) +
                                             (paid ? "" : " for clients without a session") + ")");
  const auto file = partialFile(sender);
  std::error_code ec;
  std::unique_lock lock(piecesMutex);
  const auto drop = [&] {
    partialUploads.erase(sender);
    fs::remove(file, ec);
  };
  const auto now = std::chrono::steady_clock::now();
  if (piece.offset == 0) {
    drop(); // a new bundle, or this one again from the start
    // Partial bundles together stay within what this miner keeps installed; idle ones make room.
    std::uint64_t arriving = piece.total;
    for (auto it = partialUploads.begin(); it != partialUploads.end();) {
      if (now - it->second.lastPiece > kIdlePartial) {
        fs::remove(partialFile(it->first), ec);
        it = partialUploads.erase(it);
      } else {
        arriving += it->second.total;
        ++it;
      }
    }
    if (arriving > options.maxBundleBytes)
      return fail(ErrorCode::Busy, "other bundles are arriving here: send it again later");
    fs::create_directories(file.parent_path(), ec);
    partialUploads[sender] = {id, piece.total, 0, now};
  }
  const auto found = partialUploads.find(sender);
  if (found == partialUploads.end() || found->second.bundleId != id ||
      found->second.total != piece.total || found->second.received != piece.offset) {
    const auto expected = found == partialUploads.end() || found->second.bundleId != id
                              ? std::uint64_t{0}
                              : found->second.received;
    drop();
    return fail(ErrorCode::InvalidInput, "a piece of bundle " + id.substr(0, 12) + " at byte " +
                                             std::to_string(piece.offset) + ", where byte " +
                                             std::to_string(expected) +
                                             " was due: send the bundle again from the start");
  }
  auto &partial = found->second;
  {
    std::ofstream out(file, std::ios::binary | std::ios::app);
    out.write(reinterpret_cast<const char *>(piece.content.data()),
              static_cast<std::streamsize>(piece.content.size()));
    if (!out.flush()) {
      drop();
      return fail(ErrorCode::Io, "cannot store a piece of bundle " + id.substr(0, 12));
    }
  }
  partial.received += piece.content.size();
  partial.lastPiece = now;
  if (partial.received < partial.total)
    return false;
  const auto total = partial.total;
  partialUploads.erase(found);
  // Out of the way of this sender's next bundle before the lock is let go.
  auto whole = file;
  whole.replace_extension(".whole.part");
  fs::rename(file, whole, ec);
  if (ec)
    return fail(ErrorCode::Io, "cannot store bundle " + id.substr(0, 12) + ": " + ec.message());
  lock.unlock();
  // Whole: it must be what the id names before anything parses it.
  auto hashed = model::fileContentId(whole);
  if (!hashed || *hashed != id) {
    fs::remove(whole, ec);
    return hashed ? fail(ErrorCode::Corrupt, "the bundle sent does not hash to " + id.substr(0, 12))
                  : Result<bool>(hashed.error());
  }
  const auto target = bundleFile(id);
  const bool fresh = !fs::exists(target, ec);
  if (fresh)
    fs::rename(whole, target, ec);
  else
    fs::remove(whole, ec);
  if (ec)
    return fail(ErrorCode::Io, "cannot store bundle " + id.substr(0, 12) + ": " + ec.message());
  log::info(name + ": received bundle " + id.substr(0, 12) + " in pieces (" +
            std::to_string(total) + " bytes)");
  auto installed = install(id, paid);
  if (!installed) {
    if (fresh)
      fs::remove(target, ec); // refused: nothing of it stays
    return installed.error();
  }
  return true;
}

} // namespace nesa::miner
