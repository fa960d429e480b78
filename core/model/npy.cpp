#include "model/npy.h"

#include <fstream>
#include <iterator>
#include <regex>

namespace nesa::model {
namespace {

constexpr char kMagic[] = "\x93NUMPY";

const char *descriptor(DType dtype) {
  switch (dtype) {
  case DType::F32: return "<f4";
  case DType::F64: return "<f8";
  case DType::I64: return "<i8";
  }
  return "";
}

} // namespace

Result<TensorData> readNpy(const std::filesystem::path &file) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return fail(ErrorCode::NotFound, "cannot read " + file.string());
  const std::vector<char> bytes{std::istreambuf_iterator<char>(in), {}};
  const auto bad = [&](const std::string &why) {
    return fail(ErrorCode::Corrupt, file.string() + ": " + why);
  };
  if (bytes.size() < 10 || std::string(bytes.data(), 6) != std::string(kMagic, 6))
    return bad("not a NumPy .npy file");
  const int major = static_cast<unsigned char>(bytes[6]);
  std::size_t headerLength = 0, start = 0;
  if (major == 1) {
    headerLength = static_cast<unsigned char>(bytes[8]) |
                   static_cast<std::size_t>(static_cast<unsigned char>(bytes[9])) << 8;
    start = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return bad("truncated header");
    for (int i = 3; i >= 0; --i)
      headerLength =
          (headerLength << 8) | static_cast<unsigned char>(bytes[8 + static_cast<std::size_t>(i)]);
    start = 12;
  } else {
    return bad("unsupported .npy version " + std::to_string(major));
  }
  if (bytes.size() < start + headerLength)
    return bad("truncated header");
  const std::string header(bytes.data() + start, headerLength);
  std::smatch match;
  if (!std::regex_search(header, match, std::regex(R"('descr'\s*:\s*'([^']*)')")))
    return bad("the header has no dtype");
  TensorData tensor;
  const std::string descr = match[1];
  if (descr == "<f4")
    tensor.dtype = DType::F32;
  else if (descr == "<f8")
    tensor.dtype = DType::F64;
  else if (descr == "<i8")
    tensor.dtype = DType::I64;
  else
    return bad("dtype '" + descr +
               "' is not supported (use float32, float64 or int64, little-endian)");
  if (!std::regex_search(header, match, std::regex(R"('fortran_order'\s*:\s*False)")))
    return bad("Fortran-ordered arrays are not supported; save with np.ascontiguousarray");
  if (!std::regex_search(header, match, std::regex(R"('shape'\s*:\s*\(([^)]*)\))")))
    return bad("the header has no shape");
  const std::string dims = match[1];
  static const std::regex number(R"(\d+)");
  std::uint64_t expected = dtypeSize(tensor.dtype); // bytes, without overflowing
  for (std::sregex_iterator it(dims.begin(), dims.end(), number), end; it != end; ++it) {
    if (it->length() > 12)
      return bad("invalid shape");
    const auto d = std::stoll(it->str());
    if (d > (std::int64_t{1} << 32) ||
        __builtin_mul_overflow(expected, static_cast<std::uint64_t>(d), &expected))
      return bad("invalid shape");
    tensor.shape.push_back(d);
  }
  const std::size_t dataStart = start + headerLength;
  if (static_cast<std::uint64_t>(bytes.size() - dataStart) != expected)
    return bad("the data has " + std::to_string(bytes.size() - dataStart) +
               " bytes where the shape needs " + std::to_string(expected));
  tensor.bytes.assign(bytes.begin() + static_cast<std::ptrdiff_t>(dataStart), bytes.end());
  return tensor;
}

Result<void> writeNpy(const std::filesystem::path &file, const TensorData &tensor) {
  std::string shape = "(";
  for (std::size_t i = 0; i < tensor.shape.size(); ++i)
    shape += std::to_string(tensor.shape[i]) + (tensor.shape.size() == 1      ? ","
                                                : i + 1 < tensor.shape.size() ? ", "
                                                                              : "");
  shape += ")";
  std::string header = std::string("{'descr': '") + descriptor(tensor.dtype) +
                       "', 'fortran_order': False, 'shape': " + shape + ", }";
  // Pad so the data starts on a 64-byte boundary, ending the header with a newline.
  const std::size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  if (tensor.numel() < 0 ||
      tensor.bytes.size() != static_cast<std::size_t>(tensor.numel()) * dtypeSize(tensor.dtype))
    return fail(ErrorCode::InvalidInput, "the values do not fill the shape " + tensor.shapeText());
  // Written beside the file and renamed over it: a reader never sees half an array, and a
  // failed write leaves what was there.
  auto partial = file;
  partial += ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out.write(kMagic, 6);
    out.put(1);
    out.put(0);
    out.put(static_cast<char>(header.size() & 0xff));
    out.put(static_cast<char>(header.size() >> 8));
    out << header;
    out.write(reinterpret_cast<const char *>(tensor.bytes.data()),
              static_cast<std::streamsize>(tensor.bytes.size()));
    out.close(); // flushes; a failure sets failbit
    if (out) {
      std::error_code ec;
      std::filesystem::rename(partial, file, ec);
      if (!ec)
        return {};
    }
  }
  std::error_code ignored;
  std::filesystem::remove(partial, ignored);
  return fail(ErrorCode::Io, "cannot write " + file.string());
}

} // namespace nesa::model
