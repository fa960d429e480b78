#include "ingest/gguf_file.h"

#include "ingest/gguf_quants.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <limits>

namespace nesa::ingest::gguf {
namespace {

constexpr std::uint64_t kDefaultAlignment = 32;
constexpr int kMaxDims = 4;         // ggml's GGML_MAX_DIMS
constexpr int kMaxArrayNesting = 4; // arrays of arrays are skipped, this deep at most
// No tensor holds more values (2^48: far above any model, far below byte-count overflow).
constexpr std::uint64_t kMaxElements = std::uint64_t{1} << 48;
// No metadata array holds more elements (a vocabulary or merge list has a few hundred thousand;
// each element costs memory beyond its bytes in the file).
constexpr std::uint64_t kMaxArrayElements = std::uint64_t{1} << 24;

enum ValueType : std::uint32_t {
  U8 = 0,
  I8 = 1,
  U16 = 2,
  I16 = 3,
  U32 = 4,
  I32 = 5,
  F32 = 6,
  Bool = 7,
  String = 8,
  Array = 9,
  U64 = 10,
  I64 = 11,
  F64 = 12,
};

Error malformed(const std::string &why) {
  return {ErrorCode::InvalidInput, "not a readable GGUF file: " + why};
}

// The fewest bytes a value of `type` takes, or 0 for a type GGUF does not define.
std::uint64_t smallestSize(std::uint32_t type) {
  switch (type) {
  case U8:
  case I8:
  case Bool: return 1;
  case U16:
  case I16: return 2;
  case U32:
  case I32:
  case F32: return 4;
  case U64:
  case I64:
  case F64:
  case String: return 8;
  case Array: return 12;
  default: return 0;
  }
}

// Reads little-endian values from the bytes, never past their end.
class Cursor {
public:
  explicit Cursor(std::span<const std::uint8_t> bytes) : m_bytes(bytes) {}
  std::uint64_t position() const { return m_at; }
  std::uint64_t remaining() const { return m_bytes.size() - m_at; }

  Result<std::uint64_t> unsignedOf(std::size_t width, const char *what) {
    if (remaining() < width)
      return malformed(std::string("it ends inside ") + what);
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < width; ++i)
      value |= static_cast<std::uint64_t>(m_bytes[m_at + i]) << (8 * i);
    m_at += width;
    return value;
  }
  Result<std::string> string(const char *what) {
    auto length = unsignedOf(8, what);
    if (!length)
      return length.error();
    if (*length > remaining())
      return malformed(std::string("the length of ") + what + " runs past the end of the file");
    std::string text(reinterpret_cast<const char *>(m_bytes.data() + m_at), *length);
    m_at += *length;
    return text;
  }

private:
  std::span<const std::uint8_t> m_bytes;
  std::uint64_t m_at = 0;
};

double asDouble(std::uint32_t type, std::uint64_t raw) {
  switch (type) {
  case I8: return static_cast<std::int8_t>(raw);
  case I16: return static_cast<std::int16_t>(raw);
  case I32: return static_cast<std::int32_t>(raw);
  case I64: return static_cast<double>(static_cast<std::int64_t>(raw));
  case F32: {
    float f;
    const auto bits = static_cast<std::uint32_t>(raw);
    std::memcpy(&f, &bits, sizeof f);
    return f;
  }
  case F64: {
    double d;
    std::memcpy(&d, &raw, sizeof d);
    return d;
  }
  default: return static_cast<double>(raw);
  }
}

Result<Value> readValue(Cursor &in, std::uint32_t type, const std::string &key, int depth);

// An array's elements: numbers or strings are kept, nested arrays are read and dropped.
Result<Value> readArray(Cursor &in, const std::string &key, int depth) {
  auto elementType = in.unsignedOf(4, "an array's type");
  if (!elementType)
    return elementType.error();
  auto count = in.unsignedOf(8, "an array's length");
  if (!count)
    return count.error();
  const auto size = smallestSize(static_cast<std::uint32_t>(*elementType));
  if (size == 0)
    return malformed("the array " + key + " has elements of unknown type " +
                     std::to_string(*elementType));
  if (*count > in.remaining() / size)
    return malformed("the array " + key + " claims " + std::to_string(*count) +
                     " elements, more than the file holds");
  if (*count > kMaxArrayElements)
    return malformed("the array " + key + " holds " + std::to_string(*count) +
                     " elements; at most " + std::to_string(kMaxArrayElements) + " are read");
  if (*elementType == Array && depth >= kMaxArrayNesting)
    return malformed("the array " + key + " nests arrays too deeply");
  Value value;
  value.kind = *elementType == String  ? Value::Kind::StringArray
               : *elementType == Array ? Value::Kind::Other
                                       : Value::Kind::NumberArray;
  if (value.kind == Value::Kind::StringArray)
    value.strings.reserve(static_cast<std::size_t>(*count));
  else if (value.kind == Value::Kind::NumberArray)
    value.numbers.reserve(static_cast<std::size_t>(*count));
  for (std::uint64_t i = 0; i < *count; ++i) {
    auto element = readValue(in, static_cast<std::uint32_t>(*elementType), key, depth + 1);
    if (!element)
      return element.error();
    if (value.kind == Value::Kind::StringArray)
      value.strings.push_back(std::move(element->text));
    else if (value.kind == Value::Kind::NumberArray)
      value.numbers.push_back(element->real);
  }
  return value;
}

Result<Value> readValue(Cursor &in, std::uint32_t type, const std::string &key, int depth) {
  if (type == String) {
    auto text = in.string("a string value");
    if (!text)
      return text.error();
    Value value;
    value.kind = Value::Kind::String;
    value.text = std::move(*text);
    return value;
  }
  if (type == Array)
    return readArray(in, key, depth);
  const auto size = smallestSize(type);
  if (size == 0)
    return malformed("the value of " + key + " has unknown type " + std::to_string(type));
  auto raw = in.unsignedOf(size, "a value");
  if (!raw)
    return raw.error();
  Value value;
  value.real = asDouble(type, *raw);
  if (type == F32 || type == F64) {
    value.kind = Value::Kind::Real;
  } else if (type == U64 && *raw > static_cast<std::uint64_t>(INT64_MAX)) {
    value.kind = Value::Kind::Other;
  } else {
    value.kind = type == Bool ? Value::Kind::Bool : Value::Kind::Integer;
    value.integer = type == I64 ? static_cast<std::int64_t>(*raw)
                    : type == I8 || type == I16 || type == I32
                        ? static_cast<std::int64_t>(value.real) // exact below 2^53
                        : static_cast<std::int64_t>(*raw);
  }
  return value;
}

// A tensor's byte count, with every multiplication checked.
Result<std::uint64_t> byteCount(const TensorInfo &t) {
  auto layout = readableLayout(t.type);
  if (!layout)
    return layout.error().withContext("tensor " + t.name);
  std::uint64_t elements = 1;
  for (auto n : t.shape) {
    if (n <= 0)
      return malformed("tensor " + t.name + " has a dimension of " + std::to_string(n));
    if (elements > kMaxElements / static_cast<std::uint64_t>(n))
      return malformed("tensor " + t.name + " is absurdly large");
    elements *= static_cast<std::uint64_t>(n);
  }
  if (static_cast<std::uint64_t>(t.shape[0]) % layout->blockValues != 0)
    return malformed("tensor " + t.name + " has rows of " + std::to_string(t.shape[0]) +
                     " values, not a multiple of " + typeName(t.type) + "'s block of " +
                     std::to_string(layout->blockValues));
  return elements / layout->blockValues * layout->blockBytes;
}

} // namespace

std::int64_t TensorInfo::elements() const {
  std::int64_t n = 1;
  for (auto d : shape)
    n *= d;
  return n;
}

Result<File> File::parse(std::span<const std::uint8_t> bytes) {
  File file;
  file.m_bytes = bytes;
  Cursor in(bytes);
  if (bytes.size() < 4 || std::memcmp(bytes.data(), "GGUF", 4) != 0)
    return malformed("it does not start with GGUF");
  (void)in.unsignedOf(4, "the magic");
  auto version = in.unsignedOf(4, "the version");
  if (!version)
    return version.error();
  if (*version != 2 && *version != 3)
    return malformed("version " + std::to_string(*version) +
                     " (versions 2 and 3 are read; a big-endian file shows a huge version)");
  file.m_version = static_cast<std::uint32_t>(*version);
  auto tensorCount = in.unsignedOf(8, "the tensor count");
  if (!tensorCount)
    return tensorCount.error();
  auto keyCount = in.unsignedOf(8, "the metadata count");
  if (!keyCount)
    return keyCount.error();
  // Each key-value pair takes 13 bytes at least, each tensor entry 28: no count may claim more.
  if (*keyCount > in.remaining() / 13)
    return malformed("it claims " + std::to_string(*keyCount) + " metadata entries");
  if (*tensorCount > in.remaining() / 28)
    return malformed("it claims " + std::to_string(*tensorCount) + " tensors");
  for (std::uint64_t i = 0; i < *keyCount; ++i) {
    auto key = in.string("a metadata key");
    if (!key)
      return key.error();
    auto type = in.unsignedOf(4, "a metadata type");
    if (!type)
      return type.error();
    auto value = readValue(in, static_cast<std::uint32_t>(*type), *key, 0);
    if (!value)
      return value.error();
    if (!file.m_metadata.emplace(*key, std::move(*value)).second)
      return malformed("the metadata key " + *key + " appears twice");
  }
  std::uint64_t alignment = kDefaultAlignment;
  if (const Value *a = file.find("general.alignment")) {
    if (a->kind != Value::Kind::Integer || a->integer <= 0 || a->integer > 65536 ||
        (a->integer & (a->integer - 1)) != 0)
      return malformed("general.alignment must be a power of two up to 65536");
    alignment = static_cast<std::uint64_t>(a->integer);
  }
  std::uint64_t nextOffset = 0;
  for (std::uint64_t i = 0; i < *tensorCount; ++i) {
    TensorInfo t;
    auto name = in.string("a tensor name");
    if (!name)
      return name.error();
    t.name = std::move(*name);
    auto dims = in.unsignedOf(4, "a tensor's rank");
    if (!dims)
      return dims.error();
    if (*dims < 1 || *dims > kMaxDims)
      return malformed("tensor " + t.name + " has " + std::to_string(*dims) + " dimensions");
    for (std::uint64_t d = 0; d < *dims; ++d) {
      auto n = in.unsignedOf(8, "a tensor's shape");
      if (!n)
        return n.error();
      if (*n == 0 || *n > static_cast<std::uint64_t>(INT64_MAX))
        return malformed("tensor " + t.name + " has a dimension of " + std::to_string(*n));
      t.shape.push_back(static_cast<std::int64_t>(*n));
    }
    auto type = in.unsignedOf(4, "a tensor's type");
    if (!type)
      return type.error();
    t.type = static_cast<std::uint32_t>(*type);
    auto offset = in.unsignedOf(8, "a tensor's offset");
    if (!offset)
      return offset.error();
    t.offset = *offset;
    auto bytesOf = byteCount(t);
    if (!bytesOf)
      return bytesOf.error();
    t.bytes = *bytesOf;
    // As ggml requires: each tensor's data follows the previous one's, padded to the
    // alignment, so no two tensors share bytes and their total is bounded by the file.
    if (t.offset != nextOffset)
      return malformed("tensor " + t.name + " does not start where the previous one ends (at " +
                       std::to_string(nextOffset) + ")");
    nextOffset = t.offset + (t.bytes + alignment - 1) / alignment * alignment;
    if (!file.m_byName.emplace(t.name, file.m_tensors.size()).second)
      return malformed("the tensor " + t.name + " appears twice");
    file.m_tensors.push_back(std::move(t));
  }
  const std::uint64_t end = in.position();
  file.m_dataStart = (end + alignment - 1) / alignment * alignment;
  for (const auto &t : file.m_tensors) {
    const std::uint64_t size = bytes.size();
    if (file.m_dataStart > size || t.offset > size - file.m_dataStart ||
        t.bytes > size - file.m_dataStart - t.offset)
      return malformed("the data of tensor " + t.name + " lies outside the file (truncated?)");
  }
  return file;
}

Result<File> File::open(const std::filesystem::path &path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return fail(ErrorCode::NotFound, "cannot open " + path.string() + ": " + std::strerror(errno));
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return fail(ErrorCode::InvalidInput, path.string() + " is not a regular file");
  }
  const auto size = static_cast<std::size_t>(info.st_size);
  if (size == 0) {
    ::close(fd);
    return fail(ErrorCode::InvalidInput, path.string() + " is empty");
  }
  void *mapped = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (mapped == MAP_FAILED)
    return fail(ErrorCode::Io, "cannot map " + path.string() + ": " + std::strerror(errno));
  std::shared_ptr<const void> owner(
      mapped, [size](const void *p) { ::munmap(const_cast<void *>(p), size); });
  auto parsed = parse({static_cast<const std::uint8_t *>(mapped), size});
  if (!parsed)
    return parsed.error().withContext(path.string());
  parsed->m_owner = std::move(owner);
  return parsed;
}

const Value *File::find(const std::string &key) const {
  auto it = m_metadata.find(key);
  return it == m_metadata.end() ? nullptr : &it->second;
}

const TensorInfo *File::tensor(const std::string &name) const {
  auto it = m_byName.find(name);
  return it == m_byName.end() ? nullptr : &m_tensors[it->second];
}

Result<std::int64_t> File::integer(const std::string &key, std::int64_t min,
                                   std::int64_t max) const {
  const Value *v = find(key);
  if (!v)
    return fail(ErrorCode::InvalidInput, "the GGUF metadata has no " + key);
  if (v->kind != Value::Kind::Integer || v->integer < min || v->integer > max)
    return fail(ErrorCode::InvalidInput, key + " must be an integer from " + std::to_string(min) +
                                             " to " + std::to_string(max));
  return v->integer;
}

Result<double> File::real(const std::string &key) const {
  const Value *v = find(key);
  if (!v || (v->kind != Value::Kind::Real && v->kind != Value::Kind::Integer))
    return fail(ErrorCode::InvalidInput, "the GGUF metadata has no number " + key);
  return v->real;
}

Result<std::string> File::text(const std::string &key) const {
  const Value *v = find(key);
  if (!v || v->kind != Value::Kind::String)
    return fail(ErrorCode::InvalidInput, "the GGUF metadata has no string " + key);
  return v->text;
}

std::span<const std::uint8_t> File::data(const TensorInfo &t) const {
  return m_bytes.subspan(m_dataStart + t.offset, t.bytes);
}

void File::dequantize(const TensorInfo &t, float *out) const {
  gguf::dequantize(t.type, m_bytes.data() + m_dataStart + t.offset,
                   static_cast<std::size_t>(t.elements()), out);
}

} // namespace nesa::ingest::gguf
