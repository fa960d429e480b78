// Registration of every benchmark suite nesa-bench knows.
#pragma once

namespace nesa::bench {

/// storage: the encrypted store against plaintext SQLite on the same engine.
void registerStorageSuite();
/// audit: the audit log's Merkle tree, checkpoints and store vs plain BLAKE2b of the records.
void registerAuditSuite();
/// util: locked secret memory against ordinary heap memory.
void registerUtilSuite();
/// blas: the dense kernels the private engine will lean on (fp32/fp64/int64 GEMM, convolution).
void registerBlasSuite();

/// engine: hss latency against the local run, and share kernels against plain fp32.
void registerEngineSuite();

/// ee: ee and hss-ee vs local, hss-ee generation vs local, keyed-model derivation.
void registerEeSuite();

/// net: share transfer and round trips on the encrypted wire vs raw TCP; hss over a devnet of
/// processes vs in-process miners.
void registerNetSuite();

/// chain: EIP-712 receipts vs raw libsecp256k1; gas per paid query in a session of 1 000 queries
/// vs a token transfer per query (a local anvil with the real contracts).
void registerChainSuite();

/// brain: the built-in brain model on Colin27 at every level vs local, over emulated LAN and WAN
/// links vs loopback, and with its buffers reused vs mapped afresh.
void registerBrainSuite();

/// llm: a GGUF Llama of 1.1 B parameters in Q8_0 at local vs llama.cpp on the same file, and at
/// hss-ee vs local in process and over emulated LAN and WAN links.
void registerLlmSuite();

/// imported: nsfwjs's TF.js models (graph and layers) on a photo at hss (f64, ring64) vs local.
void registerImportedSuite();

/// api: the local API (HTTP on loopback) vs the analyzer called directly, on the same queries.
void registerApiSuite();

} // namespace nesa::bench
