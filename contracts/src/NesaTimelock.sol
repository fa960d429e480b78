// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title Nesa timelock
/// @notice Runs what governance passed after `minDelay` seconds; it owns the Parameters
/// contract. The deployer hands its admin role over (to the timelock itself) once the governor
/// is its proposer.
contract NesaTimelock is TimelockController {
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors, address admin)
        TimelockController(minDelay, proposers, executors, admin)
    {}
}
