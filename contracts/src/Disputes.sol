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
/// bond and the accused's signed commitment to its answer. A committee is drawn from the hash of
/// a block mined after the report (so nobody can retry the draw by reverting), weighted by
/// stake, from registered miners other than the accused, the reporter and every miner that served
/// any share of the same call — each proven by its own signed answer in that call — so no juror
/// ever gets a share's other half. The accused cannot withdraw stake while it is open. Jurors
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
        uint64 commitEnd; // zero until the committee is drawn
        uint64 revealEnd;
        bool finalized;
        bool guilty;
        address[] jurors;
        uint64 drawBlock; // the block whose hash draws the committee
        address[] excluded; // the call's other miners
    }

    /// @notice Another miner of the same call, proven by its signature over one of its answers.
    struct CallMiner {
        address miner;
        bytes32 job;
        bytes32 result;
        bytes signature;
    }

    /// @notice What a miner signs with each answer: the call it belongs to, the job's and the
    /// result's digests.
    bytes32 public constant ANSWER_TYPEHASH = keccak256("Answer(bytes32 call,bytes32 job,bytes32 result)");
    /// @notice The largest list of a call's miners a report may exclude.
    uint256 public constant MAX_CALL_MINERS = 16;

    IERC20 public immutable token;
    Parameters public immutable parameters;
    MinerRegistry public immutable registry;

    Dispute[] private _disputes;
    mapping(uint256 id => mapping(address juror => bytes32)) public commitments;
    mapping(uint256 id => mapping(address juror => Vote)) public votes;
    mapping(address reporter => mapping(uint256 day => uint256)) public reportsOnDay;
    /// @notice keccak256(accused, call, job) of every job already reported: once each.
    mapping(bytes32 => bool) public reported;

    event Reported(uint256 indexed id, address indexed accused, address indexed reporter, Kind kind);
    event Drawn(uint256 indexed id, address[] jurors);
    event Committed(uint256 indexed id, address indexed juror);
    event Revealed(uint256 indexed id, address indexed juror, bool guilty);
    event Finalized(uint256 indexed id, bool guilty, uint256 slashed);

    error TooManyReports(uint256 limit);
    error BadReport(string why);
    error NotAJuror();
    error WrongPhase();
    error AlreadyDone();
    error CommitmentMismatch();
    error NotYetDrawable(uint256 block);

    constructor(IERC20 token_, Parameters parameters_, MinerRegistry registry_) EIP712("Nesa Answers", "1") {
        token = token_;
        parameters = parameters_;
        registry = registry_;
    }

    /// @notice The EIP-712 digest of an answer a miner signs.
    function answerDigest(bytes32 call, bytes32 job, bytes32 result) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(ANSWER_TYPEHASH, call, job, result)));
    }

    /// @notice Files a report against `accused` (approve `reportBond` first). For a wrong answer,
    /// `accusedSignature` is its signature over answerDigest(call, job, result); `callMiners` are
    /// the other miners of the same call, each with its own signed answer in `call`, excluded
    /// from the committee. The committee is drawn by draw(id) once the next block exists.
    function report(
        address accused,
        Kind kind,
        bytes32 call,
        bytes32 job,
        bytes32 result,
        bytes calldata accusedSignature,
        CallMiner[] calldata callMiners
    ) external returns (uint256 id) {
        _checkReport(accused, kind, call, job, result, accusedSignature);
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
        d.drawBlock = uint64(block.number + 1);
        if (callMiners.length > MAX_CALL_MINERS) revert BadReport("too many call miners");
        for (uint256 i = 0; i < callMiners.length; ++i) {
            CallMiner calldata m = callMiners[i];
            if (ECDSA.recover(answerDigest(call, m.job, m.result), m.signature) != m.miner)
                revert BadReport("a call miner's answer is not signed by it");
            d.excluded.push(m.miner);
        }
        registry.markDispute(accused, true);
        emit Reported(id, accused, msg.sender, kind);
    }

    /// @notice Draws the committee of dispute `id` from the hash of its draw block; anyone may
    /// call it once that block is mined. If nobody did within 256 blocks (the hash is gone),
    /// the draw moves to the next block. With fewer eligible miners than seats the dispute ends
    /// undecided and the reporter's bond is returned.
    function draw(uint256 id) external {
        Dispute storage d = _disputes[id];
        if (d.commitEnd != 0 || d.finalized) revert AlreadyDone();
        if (block.number <= d.drawBlock) revert NotYetDrawable(d.drawBlock);
        bytes32 hash = blockhash(d.drawBlock);
        if (hash == bytes32(0)) {
            d.drawBlock = uint64(block.number + 1);
            return;
        }
        address[] memory jurors = _drawJurors(id, d, hash);
        if (jurors.length == 0) {
            // Too few miners to judge: the dispute ends undecided and the bond goes back.
            d.finalized = true;
            registry.markDispute(d.accused, false);
            token.safeTransfer(d.reporter, d.bond);
            emit Finalized(id, false, 0);
            return;
        }
        d.jurors = jurors;
        d.commitEnd = uint64(block.timestamp + parameters.commitPeriod());
        d.revealEnd = uint64(d.commitEnd + parameters.revealPeriod());
        emit Drawn(id, d.jurors);
    }

    /// Counts the report against the reporter's daily limit and checks what it claims.
    function _checkReport(
        address accused,
        Kind kind,
        bytes32 call,
        bytes32 job,
        bytes32 result,
        bytes calldata accusedSignature
    ) private {
        uint256 day = block.timestamp / 1 days;
        uint256 limit = parameters.reportsPerDay();
        if (reportsOnDay[msg.sender][day] >= limit) revert TooManyReports(limit);
        reportsOnDay[msg.sender][day] += 1;
        if (accused == msg.sender) revert BadReport("reporting oneself");
        bytes32 key = keccak256(abi.encode(accused, call, job));
        if (reported[key]) revert BadReport("this job was already reported");
        reported[key] = true;
        (uint256 unbondingNow, ) = registry.unbonding(accused);
        if (registry.staked(accused) + unbondingNow == 0) revert BadReport("the accused has no stake");
        if (kind == Kind.WrongAnswer) {
            if (ECDSA.recover(answerDigest(call, job, result), accusedSignature) != accused)
                revert BadReport("the answer is not signed by the accused");
        } else if (result != bytes32(0)) {
            revert BadReport("a timeout has no result");
        }
    }

    /// @notice Commits a juror's vote: keccak256(abi.encode(id, juror, guilty, salt)).
    function commit(uint256 id, bytes32 commitment) external {
        Dispute storage d = _disputes[id];
        if (!_isJuror(d, msg.sender)) revert NotAJuror();
        if (d.commitEnd == 0 || block.timestamp > d.commitEnd) revert WrongPhase();
        if (commitments[id][msg.sender] != bytes32(0)) revert AlreadyDone();
        commitments[id][msg.sender] = commitment;
        emit Committed(id, msg.sender);
    }

    /// @notice Reveals a committed vote, after the commit phase and before the reveal deadline.
    function reveal(uint256 id, bool guilty, bytes32 salt) external {
        Dispute storage d = _disputes[id];
        if (d.commitEnd == 0 || block.timestamp <= d.commitEnd || block.timestamp > d.revealEnd) revert WrongPhase();
        if (votes[id][msg.sender] != Vote.None) revert AlreadyDone();
        if (keccak256(abi.encode(id, msg.sender, guilty, salt)) != commitments[id][msg.sender])
            revert CommitmentMismatch();
        votes[id][msg.sender] = guilty ? Vote.Guilty : Vote.Innocent;
        emit Revealed(id, msg.sender, guilty);
    }

    /// @notice Decides a dispute after its reveal deadline; anyone may call it.
    function finalize(uint256 id) external {
        Dispute storage d = _disputes[id];
        if (d.commitEnd == 0 || block.timestamp <= d.revealEnd) revert WrongPhase();
        if (d.finalized) revert AlreadyDone();
        d.finalized = true;
        registry.markDispute(d.accused, false);
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
    /// the accused, the reporter and the call's miners. The seed is the hash of a block mined
    /// after the report, unknown when the report was made; whoever calls draw() cannot change it.
    function _drawJurors(uint256 id, Dispute storage d, bytes32 blockHash) private view returns (address[] memory jurors) {
        address[] memory pool = registry.minerList();
        uint256[] memory weight = new uint256[](pool.length);
        uint256 total;
        uint256 eligible;
        for (uint256 i = 0; i < pool.length; ++i) {
            address m = pool[i];
            if (m == d.accused || m == d.reporter || _contains(d.excluded, m)) continue;
            weight[i] = registry.activeStake(m);
            if (weight[i] > 0) {
                total += weight[i];
                ++eligible;
            }
        }
        uint256 needed = parameters.jurorCount();
        if (eligible < needed) return new address[](0);
        jurors = new address[](needed);
        bytes32 seed = keccak256(abi.encode(blockHash, id));
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

    function _contains(address[] storage list, address who) private view returns (bool) {
        for (uint256 i = 0; i < list.length; ++i)
            if (list[i] == who) return true;
        return false;
    }
}
