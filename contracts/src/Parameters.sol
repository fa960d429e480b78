// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title Network parameters
/// @notice Every tunable number of the Nesa contracts, owned by governance (the timelock). Each
/// has hard bounds written here, so no vote can make the network unaffordable, miners
/// unslashable, or unbonding shorter than a vote.
contract Parameters is Ownable {
    /// @notice The longest voting period the governor may use (seconds); unbonding is longer.
    uint256 public constant MAX_VOTING_PERIOD = 2 days;

    uint256 public minStake = 100e6; // µNES
    uint256 public unbondingPeriod = 7 days;
    uint256 public settleWindow = 1 days;
    uint256 public protocolFeeBps = 100; // of each settlement, to the reward pool
    uint256 public reportBond = 10e6; // µNES
    uint256 public slashBps = 1000; // of the accused's staked + unbonding stake
    uint256 public reporterShareBps = 3000; // of a slash, to the reporter
    uint256 public jurorShareBps = 2000; // of a slash, to the majority jurors (the rest is burnt)
    uint256 public jurorCount = 3;
    uint256 public commitPeriod = 1 hours;
    uint256 public revealPeriod = 1 hours;
    uint256 public reportsPerDay = 10; // per reporter
    uint256 public reputationUnit = 10_000; // µNES of paid work per reputation point (0.01 NES)

    /// @notice A parameter changed.
    event ParameterSet(string name, uint256 value);

    error OutOfBounds(string name, uint256 value, uint256 min, uint256 max);
    error UnknownParameter(string name);

    constructor(address governance) Ownable(governance) {}

    /// @notice Sets parameter `name` to `value`, within its bounds (governance only).
    function set(string calldata name, uint256 value) external onlyOwner {
        bytes32 key = keccak256(bytes(name));
        if (key == keccak256("minStake")) minStake = _bounded(name, value, 1e6, 1e12);
        else if (key == keccak256("unbondingPeriod")) unbondingPeriod = _bounded(name, value, MAX_VOTING_PERIOD + 1 days, 90 days);
        else if (key == keccak256("settleWindow")) settleWindow = _bounded(name, value, 1 hours, 30 days);
        else if (key == keccak256("protocolFeeBps")) protocolFeeBps = _bounded(name, value, 0, 1000);
        else if (key == keccak256("reportBond")) reportBond = _bounded(name, value, 1e5, 1e9);
        else if (key == keccak256("slashBps")) slashBps = _bounded(name, value, 100, 5000);
        else if (key == keccak256("reporterShareBps")) reporterShareBps = _bounded(name, value, 0, 5000 - jurorShareBps);
        else if (key == keccak256("jurorShareBps")) jurorShareBps = _bounded(name, value, 0, 5000 - reporterShareBps);
        else if (key == keccak256("jurorCount")) jurorCount = _bounded(name, value, 3, 21);
        else if (key == keccak256("commitPeriod")) commitPeriod = _bounded(name, value, 10 minutes, 7 days);
        else if (key == keccak256("revealPeriod")) revealPeriod = _bounded(name, value, 10 minutes, 7 days);
        else if (key == keccak256("reportsPerDay")) reportsPerDay = _bounded(name, value, 1, 1000);
        else if (key == keccak256("reputationUnit")) reputationUnit = _bounded(name, value, 1, 1e9);
        else revert UnknownParameter(name);
        emit ParameterSet(name, value);
    }

    function _bounded(string calldata name, uint256 value, uint256 min, uint256 max) private pure returns (uint256) {
        if (value < min || value > max) revert OutOfBounds(name, value, min, max);
        return value;
    }
}
