#include "llm/internal/safetensors.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <cstring>
#include <fstream>

namespace nesa::llm {
namespace {

using nlohmann::json;

// The header may not exceed this (the format's own readers use 100 MB).
constexpr std::uint64_t kMaxHeader = 100u << 20;

Error corrupt(const std::filesystem::path &file, const std::string &why) {
  return {ErrorCode::Corrupt, file.string() + " is not a valid safetensors file: " + why};
}

// Element size and the ATen type a safetensors dtype is read as.
std::optional<std::pair<std::size_t, at::ScalarType>> dtypeOf(const std::string &name) {
  if (name == "F32")
    return std::make_pair(std::size_t{4}, at::kFloat);
  if (name == "F16")
    return std::make_pair(std::size_t{2}, at::kHalf);
  if (name == "BF16")
    return std::make_pair(std::size_t{2}, at::kBFloat16);
  if (name == "F64")
    return std::make_pair(std::size_t{8}, at::kDouble);
  return std::nullopt;
}

} // namespace

Result<std::map<std::string, at::Tensor>> readSafetensors(const std::filesystem::path &file) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return fail(ErrorCode::NotFound, "cannot open " + file.string());
  in.seekg(0, std::ios::end);
  const auto size = static_cast<std::uint64_t>(in.tellg());
  in.seekg(0);
  if (size < 8)
    return corrupt(file, "it is shorter than its 8-byte header length");
  unsigned char lengthBytes[8];
  in.read(reinterpret_cast<char *>(lengthBytes), 8);
  std::uint64_t headerLength = 0;
  for (int i = 7; i >= 0; --i)
    headerLength = headerLength << 8 | lengthBytes[i];
  if (headerLength > kMaxHeader || headerLength > size - 8)
    return corrupt(file, "its header length (" + std::to_string(headerLength) +
                             " bytes) exceeds the file");
  std::string headerText(headerLength, '\0');
  in.read(headerText.data(), static_cast<std::streamsize>(headerLength));
  json header;
  try {
    header = json::parse(headerText);
  } catch (const json::exception &e) {
    return corrupt(file, std::string("its header is not JSON (") + e.what() + ")");
  }
  if (!header.is_object())
    return corrupt(file, "its header is not a JSON object");
  const std::uint64_t dataSize = size - 8 - headerLength;
  std::vector<char> data(dataSize);
  in.read(data.data(), static_cast<std::streamsize>(dataSize));
  if (!in)
    return fail(ErrorCode::Io, "reading " + file.string() + " failed");

  std::map<std::string, at::Tensor> tensors;
  for (const auto &[name, entry] : header.items()) {
    if (name == "__metadata__")
      continue;
    try {
      const auto type = dtypeOf(entry.at("dtype").get<std::string>());
      if (!type)
        return corrupt(file, name + " has the unsupported dtype " + entry.at("dtype").dump());
      for (const char *key : {"shape", "data_offsets"})
        for (const auto &v : entry.at(key))
          if (!v.is_number_integer())
            return corrupt(file, name + "'s " + key + " holds " + v.dump().substr(0, 32) +
                                     ", not a whole number");
      std::vector<std::int64_t> shape = entry.at("shape").get<std::vector<std::int64_t>>();
      const auto offsets = entry.at("data_offsets").get<std::vector<std::uint64_t>>();
      std::uint64_t count = 1;
      for (auto d : shape) {
        if (d < 0 || (d > 0 && count > (std::uint64_t{1} << 40) / static_cast<std::uint64_t>(d)))
          return corrupt(file, name + " has an absurd shape");
        count *= static_cast<std::uint64_t>(d);
      }
      if (offsets.size() != 2 || offsets[0] > offsets[1] || offsets[1] > dataSize)
        return corrupt(file, name + "'s data lies outside the file (truncated?)");
      if (offsets[1] - offsets[0] != count * type->first)
        return corrupt(file, name + "'s byte range does not match its shape and dtype");
      auto tensor = at::empty(shape, at::TensorOptions().dtype(type->second));
      std::memcpy(tensor.data_ptr(), data.data() + offsets[0], offsets[1] - offsets[0]);
      tensors.emplace(name, tensor.to(at::kFloat));
    } catch (const json::exception &e) {
      return corrupt(file, name + " has a malformed entry (" + e.what() + ")");
    }
  }
  return tensors;
}

Result<void> writeSafetensors(const std::filesystem::path &file,
                              const std::map<std::string, at::Tensor> &tensors) {
  json header = json::object();
  std::vector<at::Tensor> ordered;
  std::uint64_t offset = 0;
  for (const auto &[name, tensor] : tensors) {
    auto t = tensor.to(at::kFloat).contiguous();
    const std::uint64_t bytes = static_cast<std::uint64_t>(t.numel()) * 4;
    header[name] = {
        {"dtype", "F32"}, {"shape", t.sizes().vec()}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
    ordered.push_back(t);
  }
  std::string text = header.dump();
  while (text.size() % 8 != 0)
    text += ' ';
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out)
    return fail(ErrorCode::Io, "cannot write " + file.string());
  std::uint64_t length = text.size();
  for (int i = 0; i < 8; ++i)
    out.put(static_cast<char>(length >> (8 * i) & 0xff));
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  for (const auto &t : ordered)
    out.write(static_cast<const char *>(t.data_ptr()), t.numel() * 4);
  if (!out)
    return fail(ErrorCode::Io, "writing " + file.string() + " failed");
  return {};
}

} // namespace nesa::llm
