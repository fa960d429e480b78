// A Merkle tree in the shape of RFC 6962 / RFC 9162 (leaf and node hashes domain-separated by a
// 0x00 / 0x01 prefix, the largest power of two on the left), hashed with BLAKE2b-256.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace nesa::audit {

/// One tree hash: BLAKE2b with a 32-byte output.
using Hash = std::array<std::uint8_t, 32>;

/// The hash of one record: BLAKE2b-256(0x00 || bytes).
Hash leafHash(std::span<const std::uint8_t> bytes);
/// The hash of an inner node: BLAKE2b-256(0x01 || left || right).
Hash nodeHash(const Hash &left, const Hash &right);
/// The root of a tree without leaves: BLAKE2b-256 of nothing.
Hash emptyRoot();
/// The root of the tree over `leaves` (leaf hashes, in order): RFC 6962's MTH.
Hash rootOf(std::span<const Hash> leaves);

/// The audit path proving that leaf `index` is in the tree over `leaves` (RFC 6962 PATH).
/// Requires index < leaves.size().
std::vector<Hash> inclusionProof(std::span<const Hash> leaves, std::uint64_t index);
/// Checks an audit path (RFC 9162 §2.1.3.2): true when `leaf` is leaf `index` of the tree of
/// `size` leaves whose root is `root`.
bool verifyInclusion(const Hash &leaf, std::uint64_t index, std::uint64_t size,
                     std::span<const Hash> proof, const Hash &root);

/// The proof that the tree over the first `oldSize` of `leaves` is a prefix of the tree over
/// all of them (RFC 6962 PROOF). Requires oldSize <= leaves.size(); empty when they are equal
/// or oldSize is 0.
std::vector<Hash> consistencyProof(std::span<const Hash> leaves, std::uint64_t oldSize);
/// Checks a consistency proof (RFC 9162 §2.1.4.2): true when the tree of `oldSize` leaves with
/// root `oldRoot` is a prefix of the tree of `newSize` leaves with root `newRoot`.
bool verifyConsistency(std::uint64_t oldSize, std::uint64_t newSize, const Hash &oldRoot,
                       const Hash &newRoot, std::span<const Hash> proof);

/// The right edge of a growing tree: the roots of its perfect subtrees, largest first. Appending
/// a leaf and reading the root cost O(log n) hashes; this is all a log must keep to extend its
/// tree without re-reading old leaves.
class TreeFrontier {
public:
  /// Adds the next leaf hash.
  void append(const Hash &leaf);
  /// The root of the tree so far (RFC 6962's MTH over every appended leaf).
  Hash root() const;
  /// How many leaves were appended.
  std::uint64_t size() const { return m_size; }

  /// The frontier as bytes (8-byte little-endian size, then the subtree roots), for storage.
  std::vector<std::uint8_t> serialize() const;
  /// Reads serialize()'s bytes back; false when they do not describe a frontier.
  bool deserialize(std::span<const std::uint8_t> bytes);

private:
  std::uint64_t m_size = 0;
  std::vector<Hash> m_subtrees; ///< one per set bit of m_size, largest subtree first
};

/// Lower-case hexadecimal of a hash (for messages).
std::string toHex(const Hash &hash);

} // namespace nesa::audit
