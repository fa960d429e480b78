// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Parameters} from "./Parameters.sol";
import {MinerRegistry} from "./MinerRegistry.sol";

/// @title Disputes judged by a committee of staked jurors
/// @notice A reporter (the client who caught a wrong answer, or waited in vain for one) posts a
/// bond and the accused's signed commitment to its answer. A committee is drawn at once, weighted
/// by stake, from registered miners other than the accused, the reporter and every miner that
/// served any share of the same call (so no juror ever gets a share's other half). Jurors
/// recompute off-chain from the job the reporter sends them and vote by commit–reveal. Two
/// thirds of the seats voting guilty slash the accused (staked and unbonding stake); the reporter
/// gets the bond back and a share, the guilty-voting jurors split theirs, the rest is burnt.
/// Otherwise the bond goes to the jurors who voted innocent. Jurors who do not reveal, or vote
/// against the outcome, get nothing. Every dispute has its own deadlines: none waits for another.
contract Disputes is EIP712 {
    using SafeERC20 for IERC20;

    enum Kind {
        WrongAnswer,
        Timeout
    }

    enum Vote {
        None,
        Guilty,
        Innocent
    }

    struct Dispute {
        address reporter;
        address accused;
        Kind kind;
        bytes32 job; // digest of the share job
        bytes32 result; // digest of the accused's answer (zero for a timeout)
        uint256 bond;
        uint64 commitEnd;
        uint64 revealEnd;
        bool finalized;
        bool guilty;
        address[] jurors;
    }

    /// @notice What a miner signs with each answer: the job's and the result's digests.
    bytes32 public constant ANSWER_TYPEHASH = keccak256("Answer(bytes32 job,bytes32 result)");
    /// @notice The largest list of a call's miners a report may exclude.
    uint256 public constant MAX_CALL_MINERS = 16;

    IERC20 public immutable token;
    Parameters public immutable parameters;
    MinerRegistry public immutable registry;

    Dispute[] private _disputes;
    mapping(uint256 id => mapping(address juror => bytes32)) public commitments;
    mapping(uint256 id => mapping(address juror => Vote)) public votes;
    mapping(address reporter => mapping(uint256 day => uint256)) public reportsOnDay;

    event Reported(uint256 indexed id, address indexed accused, address indexed reporter, Kind kind, address[] jurors);
    event Committed(uint256 indexed id, address indexed juror);
    event Revealed(uint256 indexed id, address indexed juror, bool guilty);
    event Finalized(uint256 indexed id, bool guilty, uint256 slashed);

    error TooManyReports(uint256 limit);
    error BadReport(string why);
    error NotEnoughJurors(uint256 eligible, uint256 needed);
    error NotAJuror();
    error WrongPhase();
    error AlreadyDone();
    error CommitmentMismatch();

    constructor(IERC20 token_, Parameters parameters_, MinerRegistry registry_) EIP712("Nesa Answers", "1") {
        token = token_;
        parameters = parameters_;
        registry = registry_;
    }

    /// @notice The EIP-712 digest of an answer a miner signs.
    function answerDigest(bytes32 job, bytes32 result) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(ANSWER_TYPEHASH, job, result)));
    }

    /// @notice Files a report against `accused` (approve `reportBond` first). For a wrong answer,
    /// `accusedSignature` is its signature over answerDigest(job, result); `callMiners` are the
    /// miners that served any share of the same call, excluded from the committee.
    function report(
        address accused,
        Kind kind,
        bytes32 job,
        bytes32 result,
        bytes calldata accusedSignature,
        address[] calldata callMiners
    ) external returns (uint256 id) {
        _checkReport(accused, kind, job, result, accusedSignature, callMiners.length);
        uint256 bond = parameters.reportBond();
        token.safeTransferFrom(msg.sender, address(this), bond);

        id = _disputes.length;
        Dispute storage d = _disputes.push();
        d.reporter = msg.sender;
        d.accused = accused;
        d.kind = kind;
        d.job = job;
        d.result = result;
        d.bond = bond;
        d.commitEnd = uint64(block.timestamp + parameters.commitPeriod());
        d.revealEnd = uint64(d.commitEnd + parameters.revealPeriod());
        d.jurors = _drawJurors(id, accused, callMiners);
        emit Reported(id, accused, msg.sender, kind, d.jurors);
    }

    /// Counts the report against the reporter's daily limit and checks what it claims.
    function _checkReport(
        address accused,
        Kind kind,
        bytes32 job,
        bytes32 result,
        bytes calldata accusedSignature,
        uint256 callMinerCount
    ) private {
        uint256 day = block.timestamp / 1 days;
        uint256 limit = parameters.reportsPerDay();
        if (reportsOnDay[msg.sender][day] >= limit) revert TooManyReports(limit);
        reportsOnDay[msg.sender][day] += 1;
        if (accused == msg.sender) revert BadReport("reporting oneself");
        if (callMinerCount > MAX_CALL_MINERS) revert BadReport("too many call miners");
        (uint256 unbondingNow, ) = registry.unbonding(accused);
        if (registry.staked(accused) + unbondingNow == 0) revert BadReport("the accused has no stake");
        if (kind == Kind.WrongAnswer) {
            if (ECDSA.recover(answerDigest(job, result), accusedSignature) != accused)
                revert BadReport("the answer is not signed by the accused");
        } else if (result != bytes32(0)) {
            revert BadReport("a timeout has no result");
        }
    }

    /// @notice Commits a juror's vote: keccak256(abi.encode(id, juror, guilty, salt)).
    function commit(uint256 id, bytes32 commitment) external {
        Dispute storage d = _disputes[id];
        if (!_isJuror(d, msg.sender)) revert NotAJuror();
        if (block.timestamp > d.commitEnd) revert WrongPhase();
        if (commitments[id][msg.sender] != bytes32(0)) revert AlreadyDone();
        commitments[id][msg.sender] = commitment;
        emit Committed(id, msg.sender);
    }

    /// @notice Reveals a committed vote, after the commit phase and before the reveal deadline.
    function reveal(uint256 id, bool guilty, bytes32 salt) external {
        Dispute storage d = _disputes[id];
        if (block.timestamp <= d.commitEnd || block.timestamp > d.revealEnd) revert WrongPhase();
        if (votes[id][msg.sender] != Vote.None) revert AlreadyDone();
        if (keccak256(abi.encode(id, msg.sender, guilty, salt)) != commitments[id][msg.sender])
            revert CommitmentMismatch();
        votes[id][msg.sender] = guilty ? Vote.Guilty : Vote.Innocent;
        emit Revealed(id, msg.sender, guilty);
    }

    /// @notice Decides a dispute after its reveal deadline; anyone may call it.
    function finalize(uint256 id) external {
        Dispute storage d = _disputes[id];
        if (block.timestamp <= d.revealEnd) revert WrongPhase();
        if (d.finalized) revert AlreadyDone();
        d.finalized = true;
        uint256 seats = d.jurors.length;
        uint256 guiltyVotes;
        uint256 innocentVotes;
        for (uint256 i = 0; i < seats; ++i) {
            Vote v = votes[id][d.jurors[i]];
            if (v == Vote.Guilty) ++guiltyVotes;
            else if (v == Vote.Innocent) ++innocentVotes;
        }
        uint256 slashed;
        if (guiltyVotes * 3 >= seats * 2) {
            d.guilty = true;
            uint256 reporterBps = parameters.reporterShareBps();
            uint256 jurorBps = parameters.jurorShareBps();
            uint256 forwarded;
            (slashed, forwarded) = registry.slash(d.accused, parameters.slashBps(), reporterBps + jurorBps);
            uint256 toReporter = reporterBps + jurorBps == 0 ? 0 : (forwarded * reporterBps) / (reporterBps + jurorBps);
            token.safeTransfer(d.reporter, d.bond + toReporter);
            _pay(id, d, Vote.Guilty, guiltyVotes, forwarded - toReporter);
        } else {
            _pay(id, d, Vote.Innocent, innocentVotes, d.bond);
        }
        emit Finalized(id, d.guilty, slashed);
    }

    /// @notice A dispute's facts and jurors.
    function dispute(uint256 id) external view returns (Dispute memory) {
        return _disputes[id];
    }

    function disputeCount() external view returns (uint256) {
        return _disputes.length;
    }

    /// Splits `amount` among the jurors who voted `side`; burns it when none did.
    function _pay(uint256 id, Dispute storage d, Vote side, uint256 count, uint256 amount) private {
        if (amount == 0) return;
        if (count == 0) {
            ERC20Burnable(address(token)).burn(amount);
            return;
        }
        uint256 each = amount / count;
        for (uint256 i = 0; i < d.jurors.length; ++i)
            if (votes[id][d.jurors[i]] == side) token.safeTransfer(d.jurors[i], each);
        uint256 dust = amount - each * count;
        if (dust > 0) ERC20Burnable(address(token)).burn(dust);
    }

    function _isJuror(Dispute storage d, address who) private view returns (bool) {
        for (uint256 i = 0; i < d.jurors.length; ++i)
            if (d.jurors[i] == who) return true;
        return false;
    }

    /// Draws `jurorCount` distinct registered miners, weighted by active stake, from everyone but
    /// the accused, the reporter and the call's miners. The randomness is the block's prevrandao
    /// mixed with the dispute id: known only once the report's block is built, and a block
    /// producer can at most withhold its block (one bit of bias), which costs it the block.
    function _drawJurors(uint256 id, address accused, address[] calldata callMiners)
        private
        view
        returns (address[] memory jurors)
    {
        address[] memory pool = registry.minerList();
        uint256[] memory weight = new uint256[](pool.length);
        uint256 total;
        uint256 eligible;
        for (uint256 i = 0; i < pool.length; ++i) {
            address m = pool[i];
            if (m == accused || m == msg.sender || _contains(callMiners, m)) continue;
            weight[i] = registry.activeStake(m);
            if (weight[i] > 0) {
                total += weight[i];
                ++eligible;
            }
        }
        uint256 needed = parameters.jurorCount();
        if (eligible < needed) revert NotEnoughJurors(eligible, needed);
        jurors = new address[](needed);
        bytes32 seed = keccak256(abi.encode(block.prevrandao, blockhash(block.number - 1), id));
        for (uint256 seat = 0; seat < needed; ++seat) {
            uint256 ticket = uint256(keccak256(abi.encode(seed, seat))) % total;
            for (uint256 i = 0; i < pool.length; ++i) {
                if (ticket < weight[i]) {
                    jurors[seat] = pool[i];
                    total -= weight[i];
                    weight[i] = 0;
                    break;
                }
                ticket -= weight[i];
            }
        }
    }

    function _contains(address[] calldata list, address who) private pure returns (bool) {
        for (uint256 i = 0; i < list.length; ++i)
            if (list[i] == who) return true;
        return false;
    }
}
