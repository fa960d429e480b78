#include "net/share_digest.h"

#include "net/internal/wire.h"

#include <sodium.h>

#include <cstring>

namespace nesa::net {

namespace {

class Hasher {
public:
  explicit Hasher(std::string_view domain) {
    crypto_generichash_init(&m_state, nullptr, 0, 32);
    bytes({reinterpret_cast<const std::uint8_t *>(domain.data()), domain.size()});
  }
  void u64(std::uint64_t v) {
    std::uint8_t le[8];
    for (int i = 0; i < 8; ++i)
      le[i] = static_cast<std::uint8_t>(v >> (8 * i));
    crypto_generichash_update(&m_state, le, 8);
  }
  void bytes(std::span<const std::uint8_t> data) {
    u64(data.size());
    crypto_generichash_update(&m_state, data.data(), data.size());
  }
  void ints(std::span<const std::int64_t> values) {
    u64(values.size());
    for (auto v : values)
      u64(static_cast<std::uint64_t>(v));
  }
  Digest finish() {
    Digest out{};
    crypto_generichash_final(&m_state, out.data(), out.size());
    return out;
  }

private:
  crypto_generichash_state m_state{};
};

template <typename T> std::span<const T> spanOf(const flatbuffers::Vector<T> *v) {
  return v ? std::span<const T>(v->data(), v->size()) : std::span<const T>();
}

TensorView viewOf(const wire::Tensor *t) {
  return {static_cast<std::uint8_t>(t->dtype()), spanOf(t->shape()), spanOf(t->data())};
}

} // namespace

Digest tensorDigest(const TensorView &tensor) {
  Hasher h("nesa-tensor-v1");
  h.u64(tensor.dtype);
  h.ints(tensor.shape);
  h.bytes(tensor.data);
  return h.finish();
}

Digest shareJobDigest(const ShareJobView &job) {
  Hasher h(job.wholeProgram ? "nesa-program-job-v1" : "nesa-share-job-v1");
  h.bytes({reinterpret_cast<const std::uint8_t *>(job.bundleId.data()), job.bundleId.size()});
  h.ints(job.ops);
  h.u64(job.arithmetic);
  h.u64(static_cast<std::uint32_t>(job.fracBits));
  h.u64(job.addBias ? 1 : 0);
  if (job.input) {
    h.u64(1);
    const auto digest = tensorDigest(*job.input);
    h.bytes(digest);
  } else {
    h.u64(0);
    h.bytes(job.seed);
    h.u64(job.nonce);
    h.ints(job.seedShape);
  }
  return h.finish();
}

Digest programResultDigest(const Digest &output, std::span<const Digest> calls) {
  Hasher h("nesa-program-result-v1");
  h.bytes(output);
  h.u64(calls.size());
  for (const auto &call : calls)
    h.bytes(call);
  return h.finish();
}

ShareJobView shareJobViewOf(std::span<const std::uint8_t> frame) {
  const auto *r = messageOf(frame)->body_as_ShareJobRequest();
  ShareJobView view;
  if (r->bundle_id())
    view.bundleId = {r->bundle_id()->data(), r->bundle_id()->size()};
  view.ops = spanOf(r->ops());
  view.arithmetic = r->arithmetic();
  view.fracBits = r->frac_bits();
  view.addBias = r->add_bias();
  if (r->input())
    view.input = viewOf(r->input());
  view.seed = spanOf(r->seed());
  view.nonce = r->nonce();
  view.seedShape = spanOf(r->seed_shape());
  view.wholeProgram = r->whole_program();
  return view;
}

std::optional<TensorView> shareReplyOutputOf(std::span<const std::uint8_t> frame) {
  const auto *r = messageOf(frame)->body_as_ShareJobReply();
  if (!r || !r->output())
    return std::nullopt;
  return viewOf(r->output());
}

std::vector<std::uint8_t> answerSigningBytes(const Digest &jobDigest, const Digest &resultDigest) {
  static constexpr char kDomain[] = "nesa-share-result-v1";
  std::vector<std::uint8_t> out(kDomain, kDomain + sizeof kDomain - 1);
  out.insert(out.end(), jobDigest.begin(), jobDigest.end());
  out.insert(out.end(), resultDigest.begin(), resultDigest.end());
  return out;
}

} // namespace nesa::net
