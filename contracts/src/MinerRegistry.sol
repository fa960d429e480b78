// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {Parameters} from "./Parameters.sol";

/// @title Miner registry and stake
/// @notice Miners stake $NES and publish how to reach them: the wire endpoint, the Ed25519 key
/// the wire authenticates, prices and what they serve. Clients read this instead of trusting a
/// node. Unstaking waits `unbondingPeriod` and the unbonding stake stays slashable (and cannot be
/// withdrawn while a dispute against the miner is open); reputation belongs to the address and
/// survives leaving and registering again. At most MAX_MINERS are registered at once.
contract MinerRegistry {
    using SafeERC20 for IERC20;

    struct Miner {
        string endpoint; // "host:port" of the miner's wire
        bytes32 wireKey; // its Ed25519 public key
        uint64 pricePerJob; // µNES, the fixed part of a share job
        uint64 pricePerMiB; // µNES per MiB of share data, the per-byte part
        string backend; // "cpu" or "gpu"
        bool registered;
    }

    struct Unbonding {
        uint256 amount;
        uint256 releaseAt;
    }

    IERC20 public immutable token;
    Parameters public immutable parameters;
    address public immutable deployer;
    address public sessions; // may add served jobs to reputation
    address public disputes; // may slash

    mapping(address => Miner) public miners;
    mapping(address => uint256) public staked;
    mapping(address => Unbonding) public unbonding;
    /// @notice Verified jobs served minus penalties; never reset by registering again.
    mapping(address => int256) public reputation;
    /// @notice The most miners registered at once: every loop over them (juror draws, rewards)
    /// stays far below a block's gas limit.
    uint256 public constant MAX_MINERS = 400;
    address[] private _registered; // the miners registered now
    mapping(address => uint256) private _slot; // 1 + index in _registered; 0 when absent
    /// @notice Open disputes against a miner; while any is open it cannot withdraw.
    mapping(address => uint256) public openDisputes;

    event Staked(address indexed miner, uint256 amount);
    event UnstakeRequested(address indexed miner, uint256 amount, uint256 releaseAt);
    event Withdrawn(address indexed miner, uint256 amount);
    event Registered(address indexed miner, string endpoint, bytes32 wireKey);
    event Deregistered(address indexed miner);
    event Slashed(address indexed miner, uint256 amount);

    error NotAllowed();
    error BelowMinStake(uint256 staked, uint256 required);
    error NothingToWithdraw();
    error StillUnbonding(uint256 releaseAt);
    error BadAmount();
    error RegistryFull(uint256 max);
    error UnderDispute(uint256 open);

    constructor(IERC20 token_, Parameters parameters_) {
        token = token_;
        parameters = parameters_;
        deployer = msg.sender;
    }

    /// @notice Wires the session and dispute contracts, once, at deployment.
    function link(address sessions_, address disputes_) external {
        if (msg.sender != deployer || sessions != address(0) || sessions_ == address(0) || disputes_ == address(0))
            revert NotAllowed();
        sessions = sessions_;
        disputes = disputes_;
    }

    /// @notice Adds `amount` µNES to the caller's stake (approve this contract first).
    function stake(uint256 amount) external {
        if (amount == 0) revert BadAmount();
        token.safeTransferFrom(msg.sender, address(this), amount);
        staked[msg.sender] += amount;
        emit Staked(msg.sender, amount);
    }

    /// @notice Publishes or updates the caller's miner record; needs at least `minStake` staked.
    function register(
        string calldata endpoint,
        bytes32 wireKey,
        uint64 pricePerJob,
        uint64 pricePerMiB,
        string calldata backend
    ) external {
        uint256 required = parameters.minStake();
        if (staked[msg.sender] < required) revert BelowMinStake(staked[msg.sender], required);
        if (_slot[msg.sender] == 0) {
            if (_registered.length >= MAX_MINERS) revert RegistryFull(MAX_MINERS);
            _registered.push(msg.sender);
            _slot[msg.sender] = _registered.length;
        }
        miners[msg.sender] = Miner(endpoint, wireKey, pricePerJob, pricePerMiB, backend, true);
        emit Registered(msg.sender, endpoint, wireKey);
    }

    /// @notice Starts unbonding `amount`; it stays slashable until withdrawn. Falling under
    /// `minStake` deregisters the miner. A new request adds to the pending amount and restarts
    /// its delay.
    function requestUnstake(uint256 amount) external {
        if (amount == 0 || amount > staked[msg.sender]) revert BadAmount();
        staked[msg.sender] -= amount;
        Unbonding storage u = unbonding[msg.sender];
        u.amount += amount;
        u.releaseAt = block.timestamp + parameters.unbondingPeriod();
        if (staked[msg.sender] < parameters.minStake()) _deregister(msg.sender);
        emit UnstakeRequested(msg.sender, amount, u.releaseAt);
    }

    /// @notice Withdraws the caller's unbonded stake once its delay has passed and no dispute
    /// against it is open.
    function withdraw() external {
        Unbonding memory u = unbonding[msg.sender];
        if (u.amount == 0) revert NothingToWithdraw();
        if (openDisputes[msg.sender] > 0) revert UnderDispute(openDisputes[msg.sender]);
        if (block.timestamp < u.releaseAt) revert StillUnbonding(u.releaseAt);
        delete unbonding[msg.sender];
        token.safeTransfer(msg.sender, u.amount);
        emit Withdrawn(msg.sender, u.amount);
    }

    /// @notice Leaves the registry (the stake stays until unstaked).
    function deregister() external {
        _deregister(msg.sender);
    }

    /// @notice Counts a dispute opened (+1) or decided (-1) against `miner` (disputes only).
    function markDispute(address miner, bool opened) external {
        if (msg.sender != disputes) revert NotAllowed();
        if (opened) openDisputes[miner] += 1;
        else openDisputes[miner] -= 1;
    }

    function _deregister(address miner) private {
        uint256 slot = _slot[miner];
        if (slot == 0) return;
        address last = _registered[_registered.length - 1];
        _registered[slot - 1] = last;
        _slot[last] = slot;
        _registered.pop();
        delete _slot[miner];
        miners[miner].registered = false;
        emit Deregistered(miner);
    }

    /// @notice Takes `bps` of the miner's staked and unbonding stake (disputes only), sends
    /// `toReporter`/`toJurors` basis points of it to the dispute contract for payout, and burns
    /// the rest. Returns the amount taken and the amount forwarded.
    function slash(address miner, uint256 bps, uint256 forwardBps) external returns (uint256 taken, uint256 forwarded) {
        if (msg.sender != disputes) revert NotAllowed();
        uint256 fromStake = (staked[miner] * bps) / 10_000;
        uint256 fromUnbonding = (unbonding[miner].amount * bps) / 10_000;
        staked[miner] -= fromStake;
        unbonding[miner].amount -= fromUnbonding;
        taken = fromStake + fromUnbonding;
        forwarded = (taken * forwardBps) / 10_000;
        reputation[miner] -= 100;
        if (staked[miner] < parameters.minStake()) _deregister(miner);
        if (forwarded > 0) token.safeTransfer(msg.sender, forwarded);
        if (taken > forwarded) ERC20Burnable(address(token)).burn(taken - forwarded);
        emit Slashed(miner, taken);
    }

    /// @notice Adds reputation points for paid, verified work (the session contract, on settlement).
    function recordServed(address miner, uint256 points) external {
        if (msg.sender != sessions) revert NotAllowed();
        reputation[miner] += int256(points);
    }

    /// @notice True while `miner` is registered (one storage read; sessions check it).
    function isRegistered(address miner) external view returns (bool) {
        return miners[miner].registered;
    }

    /// @notice Stake that counts for the juror draw and rewards: staked, not unbonding.
    function activeStake(address miner) external view returns (uint256) {
        return miners[miner].registered ? staked[miner] : 0;
    }

    /// @notice The miners registered now (at most MAX_MINERS).
    function minerList() external view returns (address[] memory) {
        return _registered;
    }
}
