#include "audit/merkle.h"

#include <sodium.h>

#include <algorithm>
#include <bit>
#include <cassert>

namespace nesa::audit {
namespace {

constexpr std::uint8_t kLeafPrefix = 0x00;
constexpr std::uint8_t kNodePrefix = 0x01;

// The largest power of two strictly below n (n >= 2).
std::uint64_t splitPoint(std::uint64_t n) { return std::bit_floor(n - 1); }

void pathInto(std::span<const Hash> leaves, std::uint64_t index, std::vector<Hash> &out) {
  if (leaves.size() <= 1)
    return;
  const std::uint64_t k = splitPoint(leaves.size());
  if (index < k) {
    pathInto(leaves.first(k), index, out);
    out.push_back(rootOf(leaves.subspan(k)));
  } else {
    pathInto(leaves.subspan(k), index - k, out);
    out.push_back(rootOf(leaves.first(k)));
  }
}

// RFC 6962's SUBPROOF(m, D[n], b).
void subproofInto(std::span<const Hash> leaves, std::uint64_t m, bool wholeTreeKnown,
                  std::vector<Hash> &out) {
  const std::uint64_t n = leaves.size();
  if (m == n) {
    if (!wholeTreeKnown)
      out.push_back(rootOf(leaves));
    return;
  }
  const std::uint64_t k = splitPoint(n);
  if (m <= k) {
    subproofInto(leaves.first(k), m, wholeTreeKnown, out);
    out.push_back(rootOf(leaves.subspan(k)));
  } else {
    subproofInto(leaves.subspan(k), m - k, false, out);
    out.push_back(rootOf(leaves.first(k)));
  }
}

// Shifts both right until fn's lowest bit is set or fn is 0 (RFC 9162's inner loops).
void shiftUntilOdd(std::uint64_t &fn, std::uint64_t &sn) {
  while ((fn & 1U) == 0 && fn != 0) {
    fn >>= 1;
    sn >>= 1;
  }
}

} // namespace

Hash leafHash(std::span<const std::uint8_t> bytes) {
  Hash out{};
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, out.size());
  crypto_generichash_update(&state, &kLeafPrefix, 1);
  crypto_generichash_update(&state, bytes.data(), bytes.size());
  crypto_generichash_final(&state, out.data(), out.size());
  return out;
}

Hash nodeHash(const Hash &left, const Hash &right) {
  std::array<std::uint8_t, 1 + 2 * sizeof(Hash)> input{};
  input[0] = kNodePrefix;
  std::copy(left.begin(), left.end(), input.begin() + 1);
  std::copy(right.begin(), right.end(), input.begin() + 1 + left.size());
  Hash out{};
  crypto_generichash(out.data(), out.size(), input.data(), input.size(), nullptr, 0);
  return out;
}

Hash emptyRoot() {
  Hash out{};
  crypto_generichash(out.data(), out.size(), nullptr, 0, nullptr, 0);
  return out;
}

Hash rootOf(std::span<const Hash> leaves) {
  TreeFrontier frontier;
  for (const Hash &leaf : leaves)
    frontier.append(leaf);
  return frontier.root();
}

std::vector<Hash> inclusionProof(std::span<const Hash> leaves, std::uint64_t index) {
  assert(index < leaves.size());
  std::vector<Hash> out;
  pathInto(leaves, index, out);
  return out;
}

bool verifyInclusion(const Hash &leaf, std::uint64_t index, std::uint64_t size,
                     std::span<const Hash> proof, const Hash &root) {
  if (index >= size)
    return false;
  std::uint64_t fn = index;
  std::uint64_t sn = size - 1;
  Hash r = leaf;
  for (const Hash &p : proof) {
    if (sn == 0)
      return false;
    if ((fn & 1U) != 0 || fn == sn) {
      r = nodeHash(p, r);
      shiftUntilOdd(fn, sn);
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

std::vector<Hash> consistencyProof(std::span<const Hash> leaves, std::uint64_t oldSize) {
  assert(oldSize <= leaves.size());
  std::vector<Hash> out;
  if (oldSize == 0 || oldSize == leaves.size())
    return out;
  subproofInto(leaves, oldSize, true, out);
  return out;
}

bool verifyConsistency(std::uint64_t oldSize, std::uint64_t newSize, const Hash &oldRoot,
                       const Hash &newRoot, std::span<const Hash> proof) {
  if (oldSize > newSize)
    return false;
  if (oldSize == newSize)
    return proof.empty() && oldRoot == newRoot;
  if (oldSize == 0) // the empty tree is a prefix of every tree, if it is the empty tree
    return proof.empty() && oldRoot == emptyRoot();
  if (proof.empty())
    return false;
  std::vector<Hash> path;
  path.reserve(proof.size() + 1);
  if (std::has_single_bit(oldSize))
    path.push_back(oldRoot);
  path.insert(path.end(), proof.begin(), proof.end());

  std::uint64_t fn = oldSize - 1;
  std::uint64_t sn = newSize - 1;
  while ((fn & 1U) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path.front();
  Hash sr = path.front();
  for (std::size_t i = 1; i < path.size(); ++i) {
    const Hash &c = path[i];
    if (sn == 0)
      return false;
    if ((fn & 1U) != 0 || fn == sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      shiftUntilOdd(fn, sn);
    } else {
      sr = nodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == oldRoot && sr == newRoot && sn == 0;
}

void TreeFrontier::append(const Hash &leaf) {
  // Each trailing set bit of the old size is a subtree of the same size as the new one: merge.
  Hash carry = leaf;
  for (std::uint64_t size = m_size; (size & 1U) != 0; size >>= 1) {
    carry = nodeHash(m_subtrees.back(), carry);
    m_subtrees.pop_back();
  }
  m_subtrees.push_back(carry);
  ++m_size;
}

Hash TreeFrontier::root() const {
  if (m_subtrees.empty())
    return emptyRoot();
  Hash r = m_subtrees.back();
  for (auto it = m_subtrees.rbegin() + 1; it != m_subtrees.rend(); ++it)
    r = nodeHash(*it, r);
  return r;
}

std::vector<std::uint8_t> TreeFrontier::serialize() const {
  std::vector<std::uint8_t> out(8 + m_subtrees.size() * sizeof(Hash));
  for (int i = 0; i < 8; ++i)
    out[i] = static_cast<std::uint8_t>(m_size >> (8 * i));
  for (std::size_t i = 0; i < m_subtrees.size(); ++i)
    std::copy(m_subtrees[i].begin(), m_subtrees[i].end(), out.begin() + 8 + i * sizeof(Hash));
  return out;
}

bool TreeFrontier::deserialize(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 8)
    return false;
  std::uint64_t size = 0;
  for (int i = 0; i < 8; ++i)
    size |= std::uint64_t{bytes[i]} << (8 * i);
  const auto count = static_cast<std::size_t>(std::popcount(size));
  if (bytes.size() != 8 + count * sizeof(Hash))
    return false;
  m_size = size;
  m_subtrees.assign(count, Hash{});
  for (std::size_t i = 0; i < count; ++i)
    std::copy_n(bytes.begin() + 8 + i * sizeof(Hash), sizeof(Hash), m_subtrees[i].begin());
  return true;
}

std::string toHex(const Hash &hash) {
  std::string out(hash.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), hash.data(), hash.size());
  out.pop_back();
  return out;
}

} // namespace nesa::audit
