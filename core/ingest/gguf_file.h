// The GGUF container of llama.cpp's model files (versions 2 and 3): a header, typed metadata, a
// table of tensors and their data, read without trusting any count, size or offset in it.
#pragma once

#include "util/result.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace nesa::ingest::gguf {

/// One metadata value. Numbers keep both readings; arrays hold numbers or strings.
struct Value {
  enum class Kind { Integer, Real, Bool, String, NumberArray, StringArray, Other };
  Kind kind = Kind::Other;
  std::int64_t integer = 0; ///< Integer and Bool (a uint64 above int64's range is Other)
  double real = 0;          ///< Real, and Integer as a double
  std::string text;         ///< String
  std::vector<double> numbers;
  std::vector<std::string> strings;
};

/// One tensor of the table. `shape` is in ggml's order: shape[0] is the length of a row.
struct TensorInfo {
  std::string name;
  std::vector<std::int64_t> shape;
  std::uint32_t type = 0;
  std::uint64_t offset = 0; ///< from the start of the data section
  std::uint64_t bytes = 0;
  std::int64_t elements() const;
};

/// A parsed GGUF file over its bytes (mapped from disk, or a caller's buffer).
class File {
public:
  /// Maps `path` and parses it. Errors name the file and what is wrong in it.
  static Result<File> open(const std::filesystem::path &path);
  /// Parses bytes the caller keeps alive for the File's lifetime (the fuzz target's input).
  static Result<File> parse(std::span<const std::uint8_t> bytes);

  std::uint32_t version() const { return m_version; }
  const std::map<std::string, Value> &metadata() const { return m_metadata; }
  const std::vector<TensorInfo> &tensors() const { return m_tensors; }
  const Value *find(const std::string &key) const;
  const TensorInfo *tensor(const std::string &name) const;

  /// A metadata integer that must be present and in [min, max].
  Result<std::int64_t> integer(const std::string &key, std::int64_t min, std::int64_t max) const;
  /// A metadata number (integer or real) that must be present.
  Result<double> real(const std::string &key) const;
  /// A metadata string that must be present.
  Result<std::string> text(const std::string &key) const;

  /// Dequantizes a tensor into `out` (tensor.elements() floats).
  void dequantize(const TensorInfo &tensor, float *out) const;
  /// A tensor's stored bytes (tensor.bytes of them), valid while the File lives.
  std::span<const std::uint8_t> data(const TensorInfo &tensor) const;

private:
  std::shared_ptr<const void> m_owner; // the mapping, when the File made it
  std::span<const std::uint8_t> m_bytes;
  std::uint64_t m_dataStart = 0;
  std::uint32_t m_version = 0;
  std::map<std::string, Value> m_metadata;
  std::vector<TensorInfo> m_tensors;
  std::map<std::string, std::size_t> m_byName;
};

} // namespace nesa::ingest::gguf
