// The EIP-712 messages of the Nesa contracts, hashed here exactly as the contracts hash them:
// a client's cumulative payment receipt (PaymentSessions) and a miner's signed answer (Disputes).
#pragma once

#include "chain/account_key.h"
#include "chain/bytes.h"
#include "chain/u256.h"

namespace nesa::chain {

/// The EIP-712 domain separator of contract `verifyingContract` named `name`, version `version`.
Hash32 domainSeparator(std::string_view name, std::string_view version, std::uint64_t chainId,
                       const Address &verifyingContract);

/// A client's promise to pay `miner` `amount` µNES in total for `jobs` verified answers so far,
/// in session epoch `epoch`. The miner settles the newest one.
struct PaymentReceipt {
  Address client{};
  Address miner{};
  std::uint64_t epoch = 0;
  std::uint64_t jobs = 0;
  U256 amount; ///< cumulative µNES: fixed parts, per-byte parts and tips of every answer so far
};

/// A receipt with its client's signature, as it travels from the client to the miner.
struct SignedReceipt {
  PaymentReceipt receipt;
  Signature signature;
};

/// The size of a signed receipt on the wire.
inline constexpr std::size_t kSignedReceiptBytes = 20 + 20 + 8 + 8 + 32 + 65;

/// The fixed wire form: client, miner, epoch and jobs (big-endian), amount (32 bytes), r ‖ s ‖ v.
Bytes encodeSignedReceipt(const SignedReceipt &signedReceipt);
/// Reads the wire form; a wrong size or a malformed signature is an InvalidInput error (whether
/// the client signed it is the reader's check: recoverSigner over receiptDigest).
Result<SignedReceipt> decodeSignedReceipt(std::span<const std::uint8_t> bytes);

/// The digest a client signs for `receipt` under PaymentSessions at `sessions` on `chainId`.
Hash32 receiptDigest(const PaymentReceipt &receipt, std::uint64_t chainId, const Address &sessions);

/// The digest a miner signs for its answer (the call it belongs to, the job's and the result's
/// digests) under Disputes at `disputes`: what a report carries to prove the miner stood behind
/// the answer, and that the call's other miners served it too.
Hash32 answerDigest(const Hash32 &call, const Hash32 &job, const Hash32 &result,
                    std::uint64_t chainId, const Address &disputes);

} // namespace nesa::chain
