// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Parameters} from "./Parameters.sol";
import {MinerRegistry} from "./MinerRegistry.sol";

/// @title PayForQuery sessions
/// @notice A client escrows a deposit for one miner and pays it per verified answer with
/// EIP-712 signed **cumulative** receipts (the fixed part, the per-byte part and any tip of every
/// answer so far). The miner settles the newest receipt whenever it likes, up to the session's
/// expiry plus the settle window; the client can take back the rest only after that, so an answer
/// served before expiry is always payable.
contract PaymentSessions is EIP712 {
    using SafeERC20 for IERC20;

    // Two storage slots: amounts fit in 128 bits (the whole supply is 10^15 µNES).
    struct Session {
        uint128 deposit; // µNES escrowed, in total
        uint128 settled; // µNES paid out so far (the newest settled receipt's amount)
        uint64 jobs; // verified answers covered by the newest settled receipt
        uint64 expiresAt; // no new jobs after this (miners check it before serving)
        uint64 epoch; // bumped on close, so old receipts never apply to a new session
        uint64 settleWindow; // fixed when the session opens, so a later vote cannot void receipts
    }

    /// @notice keccak256 of the receipt type, as EIP-712 hashes it.
    bytes32 public constant RECEIPT_TYPEHASH =
        keccak256("Receipt(address client,address miner,uint64 epoch,uint64 jobs,uint256 amount)");

    IERC20 public immutable token;
    Parameters public immutable parameters;
    MinerRegistry public immutable registry;

    mapping(address client => mapping(address miner => Session)) public sessions;
    /// @notice Protocol fees collected for miner rewards (µNES).
    uint256 public rewardPool;
    /// @notice How often the reward pool may be shared out.
    uint256 public constant REWARD_PERIOD = 1 days;
    /// @notice When it was last shared out.
    uint256 public lastDistribution;

    event Opened(address indexed client, address indexed miner, uint256 deposit, uint64 expiresAt, uint64 epoch);
    event Settled(address indexed client, address indexed miner, uint256 paid, uint256 fee, uint64 jobs);
    event Closed(address indexed client, address indexed miner, uint256 refund);
    event RewardsDistributed(uint256 paid, uint256 miners);

    error BadSession();
    error Expired();
    error SettleWindowOpen(uint256 until);
    error SettleWindowClosed();
    error NotNewer();
    error OverDeposit(uint256 amount, uint256 deposit);
    error WrongSigner(address signer);
    error NotRegistered(address miner);
    error TooSoon(uint256 next);

    constructor(IERC20 token_, Parameters parameters_, MinerRegistry registry_) EIP712("Nesa PayForQuery", "1") {
        token = token_;
        parameters = parameters_;
        registry = registry_;
    }

    /// @notice Opens (or tops up and extends) the caller's session with `miner`: escrows
    /// `amount` µNES (approve first) and sets the expiry to `expiresAt` (never earlier than now).
    function open(address miner, uint256 amount, uint64 expiresAt) external {
        if (!registry.isRegistered(miner)) revert NotRegistered(miner);
        if (expiresAt <= block.timestamp) revert Expired();
        Session storage s = sessions[msg.sender][miner];
        if (expiresAt < s.expiresAt) revert BadSession();
        token.safeTransferFrom(msg.sender, address(this), amount);
        s.deposit += SafeCast.toUint128(amount);
        s.expiresAt = expiresAt;
        if (s.settleWindow == 0) s.settleWindow = uint64(parameters.settleWindow());
        emit Opened(msg.sender, miner, s.deposit, expiresAt, s.epoch);
    }

    /// @notice The EIP-712 digest a client signs for a receipt.
    function receiptDigest(address client, address miner, uint64 epoch, uint64 jobs, uint256 amount)
        public
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(keccak256(abi.encode(RECEIPT_TYPEHASH, client, miner, epoch, jobs, amount)));
    }

    /// @notice Pays the caller (a miner) the difference between `amount` and what was settled,
    /// against the client's signed cumulative receipt. Allowed until expiry + settle window.
    function settle(address client, uint64 jobs, uint256 amount, bytes calldata signature) external {
        Session storage s = sessions[client][msg.sender];
        if (s.deposit == 0) revert BadSession();
        if (block.timestamp > uint256(s.expiresAt) + s.settleWindow) revert SettleWindowClosed();
        if (amount <= s.settled || jobs < s.jobs) revert NotNewer();
        if (amount > s.deposit) revert OverDeposit(amount, s.deposit);
        address signer = ECDSA.recover(receiptDigest(client, msg.sender, s.epoch, jobs, amount), signature);
        if (signer != client) revert WrongSigner(signer);
        uint256 delta = amount - s.settled;
        // Reputation follows what was paid, not the job count the client wrote.
        uint256 unit = parameters.reputationUnit();
        uint256 points = amount / unit - uint256(s.settled) / unit;
        s.settled = uint128(amount); // ≤ deposit, so it fits
        s.jobs = jobs;
        uint256 fee = (delta * parameters.protocolFeeBps()) / 10_000;
        rewardPool += fee;
        token.safeTransfer(msg.sender, delta - fee);
        if (points > 0) registry.recordServed(msg.sender, points);
        emit Settled(client, msg.sender, delta - fee, fee, jobs);
    }

    /// @notice Returns what is left of the caller's deposit with `miner`, once the session's
    /// expiry plus the settle window has passed; the session then starts a new epoch.
    function close(address miner) external {
        Session storage s = sessions[msg.sender][miner];
        if (s.deposit == 0) revert BadSession();
        uint256 until = uint256(s.expiresAt) + s.settleWindow;
        if (block.timestamp <= until) revert SettleWindowOpen(until);
        uint256 refund = s.deposit - s.settled;
        s.deposit = 0;
        s.settled = 0;
        s.jobs = 0;
        s.epoch += 1;
        s.settleWindow = 0;
        if (refund > 0) token.safeTransfer(msg.sender, refund);
        emit Closed(msg.sender, miner, refund);
    }

    /// @notice Shares the reward pool among registered miners in proportion to active stake ×
    /// (1000 + reputation, clamped to ±1000); anyone may call it once per REWARD_PERIOD.
    /// Rounding leftovers stay in the pool. Gas grows with the number of miners ever registered.
    function distributeRewards() external {
        uint256 next = lastDistribution + REWARD_PERIOD;
        if (block.timestamp < next) revert TooSoon(next);
        lastDistribution = block.timestamp;
        address[] memory list = registry.minerList();
        uint256[] memory weight = new uint256[](list.length);
        uint256 total;
        for (uint256 i = 0; i < list.length; ++i) {
            int256 reputation = registry.reputation(list[i]);
            if (reputation > 1000) reputation = 1000;
            if (reputation < -1000) reputation = -1000;
            weight[i] = registry.activeStake(list[i]) * uint256(1000 + reputation);
            total += weight[i];
        }
        if (total == 0) return;
        uint256 pool = rewardPool;
        uint256 paid;
        for (uint256 i = 0; i < list.length; ++i) {
            uint256 share = (pool * weight[i]) / total;
            if (share == 0) continue;
            paid += share;
            token.safeTransfer(list[i], share);
        }
        rewardPool = pool - paid;
        emit RewardsDistributed(paid, list.length);
    }
}
