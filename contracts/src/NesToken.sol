// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

/// @title $NES
/// @notice The fixed-supply token of Nesa: 6 decimals (one unit is a µNES), EIP-2612 permits, and
/// vote checkpoints (by timestamp) for governance. The whole supply is minted once, in the
/// constructor; no function mints afterwards. Holders may burn their own tokens (slashing burns).
contract NesToken is ERC20, ERC20Burnable, ERC20Permit, ERC20Votes {
    /// @param holder receives the whole supply
    /// @param supply the supply in µNES
    constructor(address holder, uint256 supply) ERC20("Nesa", "NES") ERC20Permit("Nesa") {
        _mint(holder, supply);
    }

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @notice Votes are checkpointed by timestamp, so governance periods are in seconds.
    function clock() public view override returns (uint48) {
        return uint48(block.timestamp);
    }

    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }

    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }
}
