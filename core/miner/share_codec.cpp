#include "miner/share_codec.h"

#include "net/internal/wire.h"
#include "net/messages.h"

#include <zstd.h>

#include <cstring>
#include <memory>

namespace nesa::miner {

namespace {

using net::Bytes;

constexpr std::uint8_t kZstdCompressed = 1; // Tensor.compression

// Compressed only when asked for, for float32 tensors large enough to gain, and only when the
// frame is a tenth smaller (zstd level 1: ~500 MB/s a core here). A frame expands
// at most kMostExpansion times: what compresses better travels plain, so a small message can
// never make its reader allocate much more than it sent.
constexpr std::size_t kSmallestCompressed = 64u << 10;
constexpr int kZstdLevel = 1;
constexpr std::size_t kMostExpansion = 256;
// readTensor's `maxBytes` where compression is not expected at all.
constexpr std::uint64_t kPlainOnly = 0;

flatbuffers::Offset<wire::Tensor> writeTensor(flatbuffers::FlatBufferBuilder &builder,
                                              const model::TensorData &tensor,
                                              bool compress = false) {
  const auto shape = builder.CreateVector(tensor.shape);
  if (compress && tensor.dtype == model::DType::F32 && tensor.bytes.size() >= kSmallestCompressed) {
    std::vector<std::uint8_t> frame(ZSTD_compressBound(tensor.bytes.size()));
    // With its checksum: a frame that does not decompress to what was compressed is refused.
    const std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> context(ZSTD_createCCtx(),
                                                                       ZSTD_freeCCtx);
    ZSTD_CCtx_setParameter(context.get(), ZSTD_c_compressionLevel, kZstdLevel);
    ZSTD_CCtx_setParameter(context.get(), ZSTD_c_checksumFlag, 1);
    const auto size = ZSTD_compress2(context.get(), frame.data(), frame.size(), tensor.bytes.data(),
                                     tensor.bytes.size());
    if (!ZSTD_isError(size) && size < tensor.bytes.size() / 10 * 9 &&
        size * kMostExpansion >= tensor.bytes.size()) {
      const auto data = builder.CreateVector(frame.data(), size);
      return wire::CreateTensor(builder, static_cast<wire::DType>(tensor.dtype), shape, data,
                                kZstdCompressed);
    }
  }
  const auto data = builder.CreateVector(tensor.bytes.data(), tensor.bytes.size());
  return wire::CreateTensor(builder, static_cast<wire::DType>(tensor.dtype), shape, data);
}

// `maxBytes` bounds what a compressed tensor may expand to (checked before expanding);
// kPlainOnly refuses compressed ones.
Result<model::TensorData> readTensor(const wire::Tensor *tensor, std::uint64_t maxBytes) {
  if (!tensor || !tensor->shape() || !tensor->data())
    return fail(ErrorCode::InvalidInput, "a tensor without shape or data");
  const auto dtype = static_cast<std::uint8_t>(tensor->dtype());
  if (dtype < 1 || dtype > 3)
    return fail(ErrorCode::InvalidInput, "a tensor of an unknown element type");
  model::TensorData out;
  out.dtype = static_cast<model::DType>(dtype);
  std::int64_t numel = 1;
  for (const auto d : *tensor->shape()) {
    if (d < 0 || d > kMaxWireElements || (numel *= d) > kMaxWireElements)
      return fail(ErrorCode::InvalidInput, "a tensor shape that is negative or too large");
    out.shape.push_back(d);
  }
  const auto bytes = static_cast<std::size_t>(numel) * model::dtypeSize(out.dtype);
  const auto *data = tensor->data();
  if (tensor->compression() == kZstdCompressed) {
    if (maxBytes == kPlainOnly)
      return fail(ErrorCode::InvalidInput, "a compressed tensor where only plain ones are sent");
    if (bytes > maxBytes)
      return fail(ErrorCode::InvalidInput, "a compressed tensor of " + std::to_string(bytes) +
                                               " bytes, more than this peer may send (" +
                                               std::to_string(maxBytes) + ")");
    if (bytes > data->size() * kMostExpansion)
      return fail(ErrorCode::InvalidInput, "a compressed tensor that expands more than " +
                                               std::to_string(kMostExpansion) + " times");
    if (ZSTD_getFrameContentSize(data->data(), data->size()) != bytes)
      return fail(ErrorCode::InvalidInput,
                  "a compressed tensor whose frame does not hold its shape's bytes");
    out.bytes.resize(bytes);
    const auto size = ZSTD_decompress(out.bytes.data(), bytes, data->data(), data->size());
    if (ZSTD_isError(size) || size != bytes)
      return fail(ErrorCode::InvalidInput, "a compressed tensor that does not decompress");
    return out;
  }
  if (tensor->compression() != 0)
    return fail(ErrorCode::InvalidInput, "a tensor compressed in an unknown way");
  if (data->size() != bytes)
    return fail(ErrorCode::InvalidInput, "a tensor whose data does not match its shape");
  out.bytes.assign(data->begin(), data->end());
  return out;
}

flatbuffers::Offset<flatbuffers::Vector<std::uint8_t>>
writeChainReceipt(flatbuffers::FlatBufferBuilder &builder,
                  const std::optional<chain::SignedReceipt> &receipt) {
  if (!receipt)
    return {};
  const Bytes bytes = chain::encodeSignedReceipt(*receipt);
  return builder.CreateVector(bytes.data(), bytes.size());
}

Result<std::optional<chain::SignedReceipt>>
readChainReceipt(const flatbuffers::Vector<std::uint8_t> *bytes) {
  if (!bytes)
    return std::optional<chain::SignedReceipt>();
  auto receipt = chain::decodeSignedReceipt({bytes->data(), bytes->size()});
  if (!receipt)
    return receipt.error();
  return std::optional<chain::SignedReceipt>(*receipt);
}

} // namespace

Bytes encodeShareJob(const PricedJob &priced) {
  const auto &job = priced.job;
  const std::size_t payload = job.input ? job.input->bytes.size() : 0;
  flatbuffers::FlatBufferBuilder builder(payload + 512);
  flatbuffers::Offset<wire::Tensor> input;
  if (job.input)
    input = writeTensor(builder, *job.input, priced.compressed);
  const auto bundle = builder.CreateString(job.bundleId);
  const auto ops = builder.CreateVector(job.ops);
  flatbuffers::Offset<flatbuffers::Vector<std::uint8_t>> seed;
  flatbuffers::Offset<flatbuffers::Vector<std::int64_t>> seedShape;
  if (!job.input) {
    seed = builder.CreateVector(job.seed.data(), job.seed.size());
    seedShape = builder.CreateVector(job.seedShape);
  }
  const auto chainReceipt = writeChainReceipt(builder, priced.chainPayment);
  const auto call = builder.CreateVector(job.call.data(), job.call.size());
  const auto request =
      wire::CreateShareJobRequest(builder, bundle, ops, static_cast<std::uint8_t>(job.arithmetic),
                                  job.fracBits, job.addBias, input, seed, job.nonce, seedShape,
                                  priced.fee, priced.tip, chainReceipt, call, job.wholeProgram);
  return net::finishMessage(builder, request);
}

Result<PricedJob> decodeShareJob(std::span<const std::uint8_t> frame, std::uint64_t maxBytes) {
  const auto *request = net::messageOf(frame)->body_as_ShareJobRequest();
  PricedJob priced;
  auto &job = priced.job;
  job.bundleId = net::text(request->bundle_id());
  if (request->ops())
    job.ops.assign(request->ops()->begin(), request->ops()->end());
  const auto arithmetic = request->arithmetic();
  if (arithmetic != static_cast<std::uint8_t>(privacy::ShareArithmetic::F64Masked) &&
      arithmetic != static_cast<std::uint8_t>(privacy::ShareArithmetic::Ring64) &&
      arithmetic != static_cast<std::uint8_t>(privacy::ShareArithmetic::F32))
    return fail(ErrorCode::InvalidInput, "a share job with an unknown arithmetic");
  job.arithmetic = static_cast<privacy::ShareArithmetic>(arithmetic);
  job.fracBits = request->frac_bits();
  job.addBias = request->add_bias();
  job.nonce = request->nonce();
  job.wholeProgram = request->whole_program();
  if (job.wholeProgram && (!request->input() || !job.ops.empty()))
    return fail(ErrorCode::InvalidInput, "a whole program's job carries its input and no ops");
  if (request->input()) {
    auto input = readTensor(request->input(), maxBytes);
    if (!input)
      return input.error().withContext("the share");
    job.input = std::move(*input);
    priced.compressed = request->input()->compression() == kZstdCompressed;
  } else {
    if (!request->seed() || request->seed()->size() != job.seed.size() || !request->seed_shape())
      return fail(ErrorCode::InvalidInput, "a share job with neither a share nor a valid seed");
    std::memcpy(job.seed.data(), request->seed()->data(), job.seed.size());
    job.seedShape.assign(request->seed_shape()->begin(), request->seed_shape()->end());
  }
  priced.fee = request->fee();
  priced.tip = request->tip();
  auto chainReceipt = readChainReceipt(request->chain_receipt());
  if (!chainReceipt)
    return chainReceipt.error();
  priced.chainPayment = std::move(*chainReceipt);
  if (const auto *call = request->call()) {
    if (call->size() != job.call.size())
      return fail(ErrorCode::InvalidInput, "a share job whose call id is not 32 bytes");
    std::memcpy(job.call.data(), call->data(), job.call.size());
  }
  return priced;
}

Bytes encodeChainReceipt(const chain::SignedReceipt &receipt) {
  flatbuffers::FlatBufferBuilder builder;
  const auto bytes = writeChainReceipt(builder, receipt);
  return net::finishMessage(builder, wire::CreatePaymentReceipt(builder, bytes));
}

Result<std::optional<chain::SignedReceipt>>
decodeChainReceipt(std::span<const std::uint8_t> frame) {
  return readChainReceipt(net::messageOf(frame)->body_as_PaymentReceipt()->chain_receipt());
}

Bytes encodeShareReply(const TimedReply &timed) {
  std::size_t payload = timed.reply.output.bytes.size();
  for (const auto &call : timed.reply.callOutputs)
    payload += call.bytes.size();
  flatbuffers::FlatBufferBuilder builder(payload + 256 + 64 * timed.reply.callOutputs.size());
  const auto output = writeTensor(builder, timed.reply.output, timed.compressed);
  flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<wire::Tensor>>> callOutputs;
  if (!timed.reply.callOutputs.empty()) {
    std::vector<flatbuffers::Offset<wire::Tensor>> tensors;
    for (const auto &call : timed.reply.callOutputs)
      tensors.push_back(writeTensor(builder, call, timed.compressed));
    callOutputs = builder.CreateVector(tensors);
  }
  const auto signer = builder.CreateVector(timed.reply.signer.data(), timed.reply.signer.size());
  const auto signature =
      builder.CreateVector(timed.reply.signature.data(), timed.reply.signature.size());
  flatbuffers::Offset<flatbuffers::Vector<std::uint8_t>> chainSignature;
  if (!timed.chainSignature.empty())
    chainSignature = builder.CreateVector(timed.chainSignature.data(), timed.chainSignature.size());
  return net::finishMessage(
      builder, wire::CreateShareJobReply(builder, output, timed.reply.computeMs, timed.queueMs,
                                         signer, signature, chainSignature, callOutputs));
}

namespace {

/// A ShareJob message carried inside another message (no price: juror traffic is not paid).
flatbuffers::Offset<flatbuffers::Vector<std::uint8_t>>
writeInnerJob(flatbuffers::FlatBufferBuilder &builder, const Bytes &jobFrame) {
  return builder.CreateVector(jobFrame.data(), jobFrame.size());
}

Result<privacy::ShareJob> readInnerJob(const flatbuffers::Vector<std::uint8_t> *bytes) {
  if (!bytes)
    return fail(ErrorCode::InvalidInput, "a dispute without its job");
  const std::span<const std::uint8_t> inner(bytes->data(), bytes->size());
  if (auto kind = net::expectMessage(inner, net::MessageKind::ShareJob); !kind)
    return kind.error().withContext("the disputed job");
  auto job = decodeShareJob(inner, kPlainOnly); // sent by the client's engine, never compressed
  if (!job)
    return job.error().withContext("the disputed job");
  return std::move(job->job);
}

} // namespace

Bytes encodeJudgeJob(std::uint64_t dispute, const privacy::ShareJob &job,
                     const model::TensorData *output) {
  const Bytes jobFrame = encodeShareJob({job, 0, 0, {}});
  flatbuffers::FlatBufferBuilder builder(jobFrame.size() + (output ? output->bytes.size() : 0) +
                                         256);
  const auto jobBytes = writeInnerJob(builder, jobFrame);
  flatbuffers::Offset<wire::Tensor> tensor;
  if (output)
    tensor = writeTensor(builder, *output);
  return net::finishMessage(builder, wire::CreateJudgeJob(builder, dispute, jobBytes, tensor));
}

Result<JudgeRequest> decodeJudgeJob(std::span<const std::uint8_t> frame) {
  const auto *judge = net::messageOf(frame)->body_as_JudgeJob();
  auto job = readInnerJob(judge->job());
  if (!job)
    return job.error();
  JudgeRequest request{judge->dispute(), std::move(*job), std::nullopt};
  if (judge->output()) {
    auto output = readTensor(judge->output(), kPlainOnly);
    if (!output)
      return output.error().withContext("the accused's answer");
    request.accusedOutput = std::move(*output);
  }
  return request;
}

Bytes encodeAnswerDisputed(std::uint64_t dispute, const privacy::ShareJob &job) {
  const Bytes jobFrame = encodeShareJob({job, 0, 0, {}});
  flatbuffers::FlatBufferBuilder builder(jobFrame.size() + 128);
  const auto jobBytes = writeInnerJob(builder, jobFrame);
  return net::finishMessage(builder, wire::CreateAnswerDisputed(builder, dispute, jobBytes));
}

Result<DisputedJob> decodeAnswerDisputed(std::span<const std::uint8_t> frame) {
  const auto *request = net::messageOf(frame)->body_as_AnswerDisputed();
  auto job = readInnerJob(request->job());
  if (!job)
    return job.error();
  return DisputedJob{request->dispute(), std::move(*job)};
}

net::Digest jobDigestOf(const privacy::ShareJob &job) {
  net::ShareJobView view;
  view.bundleId = job.bundleId;
  view.ops = job.ops;
  view.arithmetic = static_cast<std::uint8_t>(job.arithmetic);
  view.fracBits = job.fracBits;
  view.addBias = job.addBias;
  view.wholeProgram = job.wholeProgram;
  if (job.input) {
    view.input = net::TensorView{static_cast<std::uint8_t>(job.input->dtype), job.input->shape,
                                 job.input->bytes};
  } else {
    view.seed = job.seed;
    view.nonce = job.nonce;
    view.seedShape = job.seedShape;
  }
  return net::shareJobDigest(view);
}

net::Digest resultDigestOf(const model::TensorData &output) {
  return net::tensorDigest({static_cast<std::uint8_t>(output.dtype), output.shape, output.bytes});
}

net::Digest resultDigestOf(const privacy::ShareReply &reply) {
  if (reply.callOutputs.empty())
    return resultDigestOf(reply.output);
  std::vector<net::Digest> calls;
  calls.reserve(reply.callOutputs.size());
  for (const auto &call : reply.callOutputs)
    calls.push_back(resultDigestOf(call));
  return net::programResultDigest(resultDigestOf(reply.output), calls);
}

Result<TimedReply> decodeShareReply(std::span<const std::uint8_t> frame, std::uint64_t maxBytes) {
  if (auto answer = net::expectMessage(frame, net::MessageKind::ShareReply); !answer)
    return answer.error();
  const auto *reply = net::messageOf(frame)->body_as_ShareJobReply();
  auto output = readTensor(reply->output(), maxBytes);
  if (!output)
    return output.error().withContext("the miner's answer");
  TimedReply timed;
  timed.reply.output = std::move(*output);
  timed.compressed = reply->output()->compression() == kZstdCompressed;
  if (const auto *calls = reply->call_outputs()) {
    if (calls->size() > privacy::kMaxProgramCalls)
      return fail(ErrorCode::InvalidInput, "an answer with more call outputs than a program makes");
    // Compressed outputs may expand to `maxBytes` between them.
    std::uint64_t left = maxBytes;
    for (const auto *call : *calls) {
      auto tensor = readTensor(call, left);
      if (!tensor)
        return tensor.error().withContext("the miner's answer");
      if (call->compression() == kZstdCompressed)
        left -= tensor->bytes.size();
      timed.reply.callOutputs.push_back(std::move(*tensor));
    }
  }
  timed.reply.computeMs = reply->compute_ms();
  timed.queueMs = reply->queue_ms();
  if (reply->signer() && reply->signer()->size() == timed.reply.signer.size())
    std::memcpy(timed.reply.signer.data(), reply->signer()->data(), timed.reply.signer.size());
  if (reply->signature() && reply->signature()->size() == timed.reply.signature.size())
    std::memcpy(timed.reply.signature.data(), reply->signature()->data(),
                timed.reply.signature.size());
  if (reply->chain_signature())
    timed.chainSignature.assign(reply->chain_signature()->begin(), reply->chain_signature()->end());
  return timed;
}

} // namespace nesa::miner
