#include "model/linear_bundle.h"

#include "util/byte_io.h"
#include "util/secure_buffer.h"

#include <sodium.h>

#include <bit>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>

namespace nesa::model {
namespace {

static_assert(
    std::endian::native == std::endian::little,
    "weights are stored as little-endian float32 bytes; add byte swapping for this platform");

// The last byte is the format version: 1 without a client program, 2 with one (so that a bundle
// without a program keeps the bytes, and the id, it always had).
constexpr std::uint8_t kMagic[8] = {'N', 'E', 'S', 'A', 'L', 'B', 0, 1};
constexpr std::uint8_t kVersionWithProgram = 2;
constexpr std::int64_t kMaxElements = std::int64_t{1} << 32;
constexpr std::uint64_t kMaxProgramBytes = 64u << 20;

Error corrupt(const std::string &why) {
  return fail(ErrorCode::Corrupt, "not a valid linear bundle: " + why);
}

} // namespace

const char *linearKindName(LinearKind kind) {
  switch (kind) {
  case LinearKind::Linear: return "linear";
  case LinearKind::Conv1d: return "conv1d";
  case LinearKind::Conv2d: return "conv2d";
  case LinearKind::Conv3d: return "conv3d";
  }
  return "?";
}

int LinearOp::spatialDims() const {
  switch (kind) {
  case LinearKind::Linear: return 0;
  case LinearKind::Conv1d: return 1;
  case LinearKind::Conv2d: return 2;
  case LinearKind::Conv3d: return 3;
  }
  return 0;
}

std::int64_t LinearOp::innerSize() const {
  const auto out = outChannels();
  return out > 0 ? weight.numel() / out : 0;
}

Result<void> LinearOp::validate() const {
  const auto bad = [&](const std::string &why) {
    return fail(ErrorCode::Corrupt, std::string(linearKindName(kind)) + " op: " + why);
  };
  if (kind < LinearKind::Linear || kind > LinearKind::Conv3d)
    return bad("unknown kind");
  const int spatial = spatialDims();
  if (weight.dtype != DType::F32)
    return bad("weights must be float32");
  if (static_cast<int>(weight.shape.size()) != spatial + 2)
    return bad("weight has rank " + std::to_string(weight.shape.size()) + ", expected " +
               std::to_string(spatial + 2));
  std::int64_t numel = 1;
  for (auto d : weight.shape) {
    if (d <= 0 || d > kMaxElements)
      return bad("weight shape " + weight.shapeText() + " has an invalid dimension");
    numel *= d;
    if (numel > kMaxElements)
      return bad("weight is too large");
  }
  if (weight.bytes.size() != static_cast<std::size_t>(numel) * 4)
    return bad("weight data does not match its shape");
  if (bias) {
    if (bias->dtype != DType::F32 || bias->shape.size() != 1 || bias->shape[0] != outChannels() ||
        bias->bytes.size() != static_cast<std::size_t>(outChannels()) * 4)
      return bad("bias must be float32 [" + std::to_string(outChannels()) + "]");
  }
  if (static_cast<int>(stride.size()) != spatial || static_cast<int>(padding.size()) != spatial ||
      static_cast<int>(dilation.size()) != spatial)
    return bad("stride, padding and dilation need one value per spatial dimension");
  for (int i = 0; i < spatial; ++i)
    if (stride[i] < 1 || padding[i] < 0 || dilation[i] < 1 || stride[i] > 1 << 16 ||
        padding[i] > 1 << 16 || dilation[i] > 1 << 16)
      return bad("stride/dilation must be positive and padding non-negative");
  if (groups < 1 || outChannels() % groups != 0)
    return bad("groups must divide the output channels");
  if (kind == LinearKind::Linear && groups != 1)
    return bad("a linear op has no groups");
  return {};
}

namespace {

// The binary form in pieces: the header and each op's fields, then its weight and bias bytes as
// they are, so that hashing a bundle needs no second copy of its weights.
template <typename Sink> void writePieces(const LinearBundle &bundle, Sink &&sink) {
  ByteWriter w;
  std::uint8_t magic[8];
  std::memcpy(magic, kMagic, sizeof magic);
  if (!bundle.program.empty())
    magic[7] = kVersionWithProgram;
  w.raw(magic);
  w.u32(static_cast<std::uint32_t>(bundle.ops.size()));
  for (const auto &op : bundle.ops) {
    w.u8(static_cast<std::uint8_t>(op.kind));
    w.u8(static_cast<std::uint8_t>(op.bias ? 1 : 0));
    w.u16(static_cast<std::uint16_t>(op.spatialDims()));
    w.u32(static_cast<std::uint32_t>(op.weight.shape.size()));
    for (const auto *list : {&op.weight.shape, &op.stride, &op.padding, &op.dilation})
      for (auto v : *list)
        w.i64(v);
    w.i64(op.groups);
    const auto fields = w.take();
    sink(std::span<const std::uint8_t>(fields));
    sink(std::span<const std::uint8_t>(op.weight.bytes));
    if (op.bias)
      sink(std::span<const std::uint8_t>(op.bias->bytes));
  }
  if (!bundle.program.empty())
    w.u64(bundle.program.size());
  const auto rest = w.take(); // the header of a bundle without ops, or the program's size
  sink(std::span<const std::uint8_t>(rest));
  if (!bundle.program.empty())
    sink(std::span<const std::uint8_t>(bundle.program));
}

} // namespace

std::vector<std::uint8_t> LinearBundle::serialize() const {
  std::vector<std::uint8_t> out;
  out.reserve(serializedBytes());
  writePieces(*this, [&out](std::span<const std::uint8_t> piece) {
    out.insert(out.end(), piece.begin(), piece.end());
  });
  return out;
}

std::uint64_t LinearBundle::serializedBytes() const {
  std::uint64_t bytes = 0;
  writePieces(*this, [&bytes](std::span<const std::uint8_t> piece) { bytes += piece.size(); });
  return bytes;
}

Result<void> LinearBundle::writeInPieces(
    std::size_t pieceBytes,
    const std::function<Result<void>(std::uint64_t, std::span<const std::uint8_t>)> &sink) const {
  if (pieceBytes == 0)
    return fail(ErrorCode::InvalidInput, "pieces of a bundle must hold at least one byte");
  std::vector<std::uint8_t> piece;
  piece.reserve(pieceBytes);
  std::uint64_t offset = 0;
  Result<void> status;
  const auto flush = [&] {
    if (status && !piece.empty())
      status = sink(offset, piece);
    offset += piece.size();
    piece.clear();
  };
  writePieces(*this, [&](std::span<const std::uint8_t> bytes) {
    while (status && !bytes.empty()) {
      const auto take = std::min(bytes.size(), pieceBytes - piece.size());
      piece.insert(piece.end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(take));
      bytes = bytes.subspan(take);
      if (piece.size() == pieceBytes)
        flush();
    }
  });
  flush();
  return status;
}

namespace {

// Reads a bundle file as parseFrom() asks for its fields, never holding more of it than the
// field at hand: the weights go straight from the file into their tensors. Every byte read also
// goes to `hasher` when there is one. Refuses to read past the file's size, so a damaged header
// cannot make it allocate more than the file holds.
class FileReader {
public:
  FileReader(std::ifstream &in, std::uint64_t size, ContentHasher *hasher)
      : m_in(in), m_left(size), m_hasher(hasher) {}
  bool u8(std::uint8_t &v) { return raw(&v, 1); }
  bool u16(std::uint16_t &v) {
    return field(2, [&](ByteReader &r) { return r.u16(v); });
  }
  bool u32(std::uint32_t &v) {
    return field(4, [&](ByteReader &r) { return r.u32(v); });
  }
  bool u64(std::uint64_t &v) {
    return field(8, [&](ByteReader &r) { return r.u64(v); });
  }
  bool i64(std::int64_t &v) {
    return field(8, [&](ByteReader &r) { return r.i64(v); });
  }
  bool raw(std::uint8_t *out, std::size_t n) {
    if (n > m_left)
      return false; // the parser reports the truncation
    if (!m_in.read(reinterpret_cast<char *>(out), static_cast<std::streamsize>(n))) {
      m_failed = true;
      return false;
    }
    m_left -= n;
    if (m_hasher)
      m_hasher->update({out, n});
    return true;
  }
  bool bytes(std::vector<std::uint8_t> &out, std::size_t n) {
    if (n > m_left)
      return false;
    out.resize(n);
    return raw(out.data(), n);
  }
  bool atEnd() const { return m_left == 0; }
  /// Whether a read failed although the file should have held the bytes (an I/O error).
  bool failed() const { return m_failed; }
  /// Hashes what the parser did not read (a damaged file may end its parse early).
  bool hashRest() {
    std::vector<std::uint8_t> piece;
    while (m_left > 0 && bytes(piece, std::min<std::uint64_t>(m_left, 4u << 20))) {
    }
    return m_left == 0;
  }

private:
  // Reads a fixed-size field and decodes it as ByteReader does.
  template <typename Decode> bool field(std::size_t size, Decode decode) {
    std::uint8_t bytes[8];
    if (!raw(bytes, size))
      return false;
    ByteReader reader({bytes, size});
    return decode(reader);
  }
  std::ifstream &m_in;
  std::uint64_t m_left;
  ContentHasher *m_hasher;
  bool m_failed = false;
};

// The binary form's parser, over a ByteReader (bytes in memory) or a FileReader.
template <typename Reader> Result<LinearBundle> parseFrom(Reader &r) {
  std::uint8_t magic[8];
  if (!r.raw(magic, sizeof magic))
    return corrupt("the file is too short");
  if (std::memcmp(magic, kMagic, 6) != 0)
    return corrupt("wrong magic bytes");
  if (magic[6] != 0 || (magic[7] != 1 && magic[7] != kVersionWithProgram))
    return corrupt("unsupported format version " + std::to_string(magic[7]));
  std::uint32_t count = 0;
  if (!r.u32(count))
    return corrupt("truncated header");
  if (count > 100000)
    return corrupt("implausible op count " + std::to_string(count));
  auto readList = [&](std::vector<std::int64_t> &out, std::size_t n) {
    out.resize(n);
    for (auto &v : out)
      if (!r.i64(v))
        return false;
    return true;
  };
  LinearBundle bundle;
  for (std::uint32_t i = 0; i < count; ++i) {
    LinearOp op;
    std::uint8_t kind = 0, hasBias = 0;
    std::uint16_t spatial = 0;
    std::uint32_t rank = 0;
    if (!r.u8(kind) || !r.u8(hasBias) || !r.u16(spatial) || !r.u32(rank))
      return corrupt("truncated at op " + std::to_string(i));
    if (kind < 1 || kind > 4 || hasBias > 1 || spatial > 3 || rank > 5)
      return corrupt("op " + std::to_string(i) + " has an invalid header");
    op.kind = static_cast<LinearKind>(kind);
    op.weight.dtype = DType::F32;
    if (!readList(op.weight.shape, rank) || !readList(op.stride, spatial) ||
        !readList(op.padding, spatial) || !readList(op.dilation, spatial) || !r.i64(op.groups))
      return corrupt("truncated at op " + std::to_string(i));
    std::int64_t numel = 1;
    for (auto d : op.weight.shape) {
      if (d <= 0 || d > kMaxElements || (numel *= d) > kMaxElements)
        return corrupt("op " + std::to_string(i) + " has an invalid weight shape");
    }
    if (!r.bytes(op.weight.bytes, static_cast<std::size_t>(numel) * 4))
      return corrupt("weights of op " + std::to_string(i) + " are truncated");
    if (hasBias) {
      op.bias = TensorData{DType::F32, {op.weight.shape[0]}, {}};
      if (!r.bytes(op.bias->bytes, static_cast<std::size_t>(op.weight.shape[0]) * 4))
        return corrupt("bias of op " + std::to_string(i) + " is truncated");
    }
    if (auto valid = op.validate(); !valid)
      return corrupt(valid.error().message);
    bundle.ops.push_back(std::move(op));
  }
  if (magic[7] == kVersionWithProgram) {
    std::uint64_t size = 0;
    if (!r.u64(size))
      return corrupt("truncated before the client program");
    if (size == 0 || size > kMaxProgramBytes)
      return corrupt("implausible client program size " + std::to_string(size));
    if (!r.bytes(bundle.program, static_cast<std::size_t>(size)))
      return corrupt("the client program is truncated");
  }
  if (!r.atEnd())
    return corrupt("unexpected bytes after the last op");
  return bundle;
}

} // namespace

Result<LinearBundle> LinearBundle::parse(std::span<const std::uint8_t> bytes) {
  ByteReader reader(bytes);
  return parseFrom(reader);
}

struct ContentHasher::State {
  crypto_generichash_state hash;
};

ContentHasher::ContentHasher() : m_state(std::make_unique<State>()) {
  (void)ensureSodium();
  crypto_generichash_init(&m_state->hash, nullptr, 0, crypto_generichash_BYTES);
}

ContentHasher::~ContentHasher() = default;
ContentHasher::ContentHasher(ContentHasher &&) noexcept = default;
ContentHasher &ContentHasher::operator=(ContentHasher &&) noexcept = default;

void ContentHasher::update(std::span<const std::uint8_t> piece) {
  crypto_generichash_update(&m_state->hash, piece.data(), piece.size());
}

std::string ContentHasher::finish() {
  unsigned char hash[crypto_generichash_BYTES];
  crypto_generichash_final(&m_state->hash, hash, sizeof hash);
  crypto_generichash_init(&m_state->hash, nullptr, 0, crypto_generichash_BYTES);
  char hex[2 * sizeof hash + 1];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  return hex;
}

std::string contentId(std::span<const std::uint8_t> bytes) {
  ContentHasher hasher;
  hasher.update(bytes);
  return hasher.finish();
}

namespace {

struct InProcessBundles {
  std::mutex mutex;
  std::map<std::string, std::weak_ptr<const LinearBundle>> byId;
};

InProcessBundles &inProcessBundles() {
  static InProcessBundles bundles;
  return bundles;
}

} // namespace

void shareInProcess(const std::shared_ptr<const LinearBundle> &bundle, const std::string &id) {
  auto &shared = inProcessBundles();
  std::lock_guard lock(shared.mutex);
  std::erase_if(shared.byId, [](const auto &entry) { return entry.second.expired(); });
  if (bundle)
    shared.byId[id] = bundle;
}

std::shared_ptr<const LinearBundle> sharedInProcess(const std::string &id) {
  auto &shared = inProcessBundles();
  std::lock_guard lock(shared.mutex);
  const auto found = shared.byId.find(id);
  return found == shared.byId.end() ? nullptr : found->second.lock();
}

std::string LinearBundle::id() const {
  ContentHasher hasher;
  writePieces(*this, [&hasher](std::span<const std::uint8_t> piece) { hasher.update(piece); });
  return hasher.finish();
}

Result<void> LinearBundle::save(const std::filesystem::path &file) const {
  auto temporary = file;
  temporary += ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    writePieces(*this, [&out](std::span<const std::uint8_t> piece) {
      out.write(reinterpret_cast<const char *>(piece.data()),
                static_cast<std::streamsize>(piece.size()));
    });
    if (!out.flush())
      return fail(ErrorCode::Io, "cannot write " + temporary.string());
  }
  std::error_code ec;
  std::filesystem::rename(temporary, file, ec);
  if (ec)
    return fail(ErrorCode::Io, "cannot write " + file.string() + ": " + ec.message());
  return {};
}

Result<LinearBundle> LinearBundle::load(const std::filesystem::path &file,
                                        const std::string &expectedId) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return fail(ErrorCode::NotFound, "cannot read bundle " + file.string());
  // The size of the file opened, not of whatever the path names by now.
  in.seekg(0, std::ios::end);
  const auto end = in.tellg();
  in.seekg(0);
  if (end < 0 || !in)
    return fail(ErrorCode::Io, "cannot read bundle " + file.string());
  const auto size = static_cast<std::uint64_t>(end);
  // One pass: parsed and hashed as it is read (a bundle of gigabytes is never held twice).
  ContentHasher hasher;
  FileReader reader(in, size, expectedId.empty() ? nullptr : &hasher);
  auto bundle = parseFrom(reader);
  if (reader.failed() || (!expectedId.empty() && !bundle && !reader.hashRest()))
    return fail(ErrorCode::Io, "cannot read bundle " + file.string());
  if (!expectedId.empty() && hasher.finish() != expectedId)
    return fail(ErrorCode::Corrupt, "bundle " + file.string() + " does not hash to " + expectedId +
                                        " (damaged or replaced)");
  if (!bundle)
    return bundle.error().withContext(file.string());
  return bundle;
}

} // namespace nesa::model
