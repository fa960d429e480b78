#include "ingest/onnx_model.h"

#include "ingest/gguf_quants.h"
#include "ingest/internal/file_bytes.h"

#include <onnx/onnx_pb.h>

#include <cstring>
#include <set>

namespace nesa::ingest {
namespace fs = std::filesystem;

namespace {

// Protobuf messages cannot exceed 2 GiB; ONNX stores bigger models' weights beside the file.
constexpr std::uintmax_t kLargestModel = std::uintmax_t{2} << 30;

std::string tooLarge(const fs::path &file) {
  return file.string() + " is larger than 2 GiB, the most one ONNX file can hold";
}
// No tensor, and no model's tensors together, hold more values than this (2 GiB of floats;
// narrow integer types widen 8-fold, so the file's own 2 GiB is no bound).
constexpr std::int64_t kMostValues = std::int64_t{1} << 29;
// The longest list attribute read (kernel shapes, axes, pads are a handful).
constexpr int kLongestAttributeList = 1 << 16;

Error invalid(const std::string &what) { return fail(ErrorCode::InvalidInput, what); }

bool isIntegerType(int type) {
  switch (static_cast<OnnxType>(type)) {
  case OnnxType::UInt8:
  case OnnxType::Int8:
  case OnnxType::UInt16:
  case OnnxType::Int16:
  case OnnxType::Int32:
  case OnnxType::Int64:
  case OnnxType::Bool:
  case OnnxType::UInt32:
  case OnnxType::UInt64: return true;
  default: return false;
  }
}

std::size_t rawSize(OnnxType type) {
  switch (type) {
  case OnnxType::UInt8:
  case OnnxType::Int8:
  case OnnxType::Bool: return 1;
  case OnnxType::UInt16:
  case OnnxType::Int16:
  case OnnxType::Float16:
  case OnnxType::BFloat16: return 2;
  case OnnxType::Float:
  case OnnxType::Int32:
  case OnnxType::UInt32: return 4;
  default: return 8;
  }
}

template <typename T> T load(const char *p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// One element of raw (little-endian) data, placed in the tensor's vector for its type.
void appendRaw(OnnxTensor &t, const char *p) {
  switch (t.type) {
  case OnnxType::Float: t.reals.push_back(load<float>(p)); break;
  case OnnxType::Float16: t.reals.push_back(gguf::halfToFloat(load<std::uint16_t>(p))); break;
  case OnnxType::BFloat16: {
    const std::uint32_t bits = std::uint32_t{load<std::uint16_t>(p)} << 16;
    t.reals.push_back(load<float>(reinterpret_cast<const char *>(&bits)));
    break;
  }
  case OnnxType::Double: t.doubles.push_back(load<double>(p)); break;
  case OnnxType::UInt8:
  case OnnxType::Bool: t.integers.push_back(load<std::uint8_t>(p)); break;
  case OnnxType::Int8: t.integers.push_back(load<std::int8_t>(p)); break;
  case OnnxType::UInt16: t.integers.push_back(load<std::uint16_t>(p)); break;
  case OnnxType::Int16: t.integers.push_back(load<std::int16_t>(p)); break;
  case OnnxType::Int32: t.integers.push_back(load<std::int32_t>(p)); break;
  case OnnxType::UInt32: t.integers.push_back(load<std::uint32_t>(p)); break;
  case OnnxType::Int64:
  case OnnxType::UInt64: // values past 2^63 wrap, as numpy's int64 view of them does
    t.integers.push_back(load<std::int64_t>(p));
    break;
  }
}

// The values of the typed (non-raw) fields: float_data, int32_data (which also carries the
// narrow integer types and float16 bits), int64_data, double_data, uint64_data.
void appendTyped(OnnxTensor &t, const onnx::TensorProto &proto) {
  switch (t.type) {
  case OnnxType::Float: t.reals.assign(proto.float_data().begin(), proto.float_data().end()); break;
  case OnnxType::Float16:
  case OnnxType::BFloat16:
    for (const std::int32_t bits : proto.int32_data()) {
      const auto half = static_cast<std::uint16_t>(bits);
      appendRaw(t, reinterpret_cast<const char *>(&half));
    }
    break;
  case OnnxType::Double:
    t.doubles.assign(proto.double_data().begin(), proto.double_data().end());
    break;
  case OnnxType::Int64:
    t.integers.assign(proto.int64_data().begin(), proto.int64_data().end());
    break;
  case OnnxType::UInt32:
  case OnnxType::UInt64:
    for (const std::uint64_t v : proto.uint64_data())
      t.integers.push_back(static_cast<std::int64_t>(v));
    break;
  default: t.integers.assign(proto.int32_data().begin(), proto.int32_data().end());
  }
}

// Reads one tensor; `budget` is what the model may still hold, and shrinks by its values.
Result<OnnxTensor> tensorFrom(const onnx::TensorProto &proto, const std::string &what,
                              std::int64_t &budget) {
  OnnxTensor t;
  const int type = proto.data_type();
  if (!isIntegerType(type) && type != int(OnnxType::Float) && type != int(OnnxType::Float16) &&
      type != int(OnnxType::BFloat16) && type != int(OnnxType::Double))
    return invalid(what + " holds " + onnxTypeName(type) + " values, which cannot be read");
  t.type = static_cast<OnnxType>(type);
  if (proto.data_location() == onnx::TensorProto::EXTERNAL || proto.external_data_size() > 0)
    return invalid(what + " keeps its data in another file (ONNX external data), which is not "
                          "supported: save the model as one file");
  if (proto.has_segment())
    return invalid(what + " is split into segments, which is not supported");
  std::int64_t count = 1;
  for (const std::int64_t d : proto.dims()) {
    if (d < 0)
      return invalid(what + " has a negative dimension");
    if (d > 0 && count > kMostValues / d)
      return invalid(what + " has an absurd shape (more than 2^29 values)");
    count *= d;
    t.shape.push_back(d);
  }
  if (count > kMostValues)
    return invalid(what + " has an absurd shape (more than 2^29 values)");
  if (count > budget)
    return invalid(what + " takes the model past 2^29 values in all, which is not supported");
  budget -= count;
  if (proto.has_raw_data()) {
    const std::string &raw = proto.raw_data();
    const std::size_t width = rawSize(t.type);
    if (raw.size() != static_cast<std::size_t>(count) * width)
      return invalid(what + " has " + std::to_string(raw.size()) +
                     " bytes of data where its shape needs " +
                     std::to_string(static_cast<std::size_t>(count) * width));
    for (std::size_t i = 0; i < raw.size(); i += width)
      appendRaw(t, raw.data() + i);
  } else {
    appendTyped(t, proto);
  }
  const std::size_t held = t.reals.size() + t.doubles.size() + t.integers.size();
  if (held != static_cast<std::size_t>(count))
    return invalid(what + " has " + std::to_string(held) + " values where its shape needs " +
                   std::to_string(count));
  return t;
}

Result<OnnxAttribute> attributeFrom(const onnx::AttributeProto &proto, const std::string &node,
                                    std::int64_t &budget) {
  const std::string what = "attribute " + proto.name() + " of node " + node;
  if (!proto.ref_attr_name().empty())
    return invalid(what + " refers to a function's attribute, which is not supported");
  if (proto.floats_size() > kLongestAttributeList || proto.ints_size() > kLongestAttributeList ||
      proto.strings_size() > kLongestAttributeList)
    return invalid(what + " is a list longer than 65536 elements");
  OnnxAttribute a;
  switch (proto.type()) {
  case onnx::AttributeProto::FLOAT:
    a.kind = OnnxAttribute::Kind::Float;
    a.f = proto.f();
    break;
  case onnx::AttributeProto::INT:
    a.kind = OnnxAttribute::Kind::Int;
    a.i = proto.i();
    break;
  case onnx::AttributeProto::STRING:
    a.kind = OnnxAttribute::Kind::String;
    a.s = proto.s();
    break;
  case onnx::AttributeProto::TENSOR: {
    a.kind = OnnxAttribute::Kind::Tensor;
    auto t = tensorFrom(proto.t(), what, budget);
    if (!t)
      return t.error();
    a.t = std::move(*t);
    break;
  }
  case onnx::AttributeProto::FLOATS:
    a.kind = OnnxAttribute::Kind::Floats;
    a.floats.assign(proto.floats().begin(), proto.floats().end());
    break;
  case onnx::AttributeProto::INTS:
    a.kind = OnnxAttribute::Kind::Ints;
    a.ints.assign(proto.ints().begin(), proto.ints().end());
    break;
  case onnx::AttributeProto::STRINGS:
    a.kind = OnnxAttribute::Kind::Strings;
    a.strings.assign(proto.strings().begin(), proto.strings().end());
    break;
  case onnx::AttributeProto::GRAPH:
  case onnx::AttributeProto::GRAPHS:
    return invalid(what + " is a subgraph (If, Loop, Scan), which is not supported");
  default: return invalid(what + " has a kind (sparse tensor, type) that is not supported");
  }
  return a;
}

OnnxValue valueFrom(const onnx::ValueInfoProto &proto) {
  OnnxValue v;
  v.name = proto.name();
  if (proto.type().has_tensor_type()) {
    const auto &tensor = proto.type().tensor_type();
    v.type = tensor.elem_type();
    v.hasShape = tensor.has_shape();
    for (const auto &d : tensor.shape().dim())
      v.shape.push_back(d.has_dim_value() ? d.dim_value() : -1);
  }
  return v;
}

// Every value read by a node must be written before it (graph input, initializer or an
// earlier node's output), once.
Result<void> checkOrder(const OnnxGraph &graph) {
  std::set<std::string> written;
  for (const auto &input : graph.inputs)
    written.insert(input.name);
  for (const auto &[name, tensor] : graph.initializers)
    written.insert(name);
  for (const auto &node : graph.nodes) {
    for (const auto &input : node.inputs)
      if (!input.empty() && !written.count(input))
        return invalid("node " + node.name + " (" + node.opType + ") reads " + input +
                       " before anything writes it: the graph is out of order or has a cycle");
    for (const auto &output : node.outputs)
      if (!output.empty() && !written.insert(output).second)
        return invalid("the value " + output + " is written twice (node " + node.name + ")");
  }
  for (const auto &output : graph.outputs)
    if (!written.count(output.name))
      return invalid("the graph's output " + output.name + " is never written");
  return {};
}

} // namespace

std::string onnxTypeName(int type) {
  static const std::map<int, const char *> names = {
      {1, "float"},   {2, "uint8"},      {3, "int8"},        {4, "uint16"},
      {5, "int16"},   {6, "int32"},      {7, "int64"},       {8, "string"},
      {9, "bool"},    {10, "float16"},   {11, "double"},     {12, "uint32"},
      {13, "uint64"}, {14, "complex64"}, {15, "complex128"}, {16, "bfloat16"}};
  const auto it = names.find(type);
  return it != names.end() ? it->second : "type " + std::to_string(type);
}

std::int64_t OnnxTensor::numel() const {
  std::int64_t n = 1;
  for (const auto d : shape)
    n *= d;
  return n;
}

bool OnnxTensor::isReal() const {
  return type == OnnxType::Float || type == OnnxType::Float16 || type == OnnxType::BFloat16 ||
         type == OnnxType::Double;
}

double OnnxTensor::at(std::size_t i) const {
  if (!reals.empty())
    return reals.at(i);
  if (!doubles.empty())
    return doubles.at(i);
  return static_cast<double>(integers.at(i));
}

Result<OnnxGraph> parseOnnxModel(const std::string &bytes) {
  onnx::ModelProto model;
  if (bytes.size() > kLargestModel || !model.ParseFromString(bytes))
    return invalid("not an ONNX model (the protobuf does not parse)");
  if (!model.has_graph())
    return invalid("not an ONNX model (it has no graph)");
  OnnxGraph graph;
  graph.producer = model.producer_name() +
                   (model.producer_version().empty() ? "" : " " + model.producer_version());
  for (const auto &opset : model.opset_import())
    if (opset.domain().empty() || opset.domain() == "ai.onnx")
      graph.opset = opset.version();
  if (graph.opset == 0)
    return invalid("the model does not say which ONNX operator set it uses");
  if (graph.opset < kOnnxOldestOpset || graph.opset > kOnnxNewestOpset)
    return invalid("the model uses ONNX opset " + std::to_string(graph.opset) + "; opsets " +
                   std::to_string(kOnnxOldestOpset) + " to " + std::to_string(kOnnxNewestOpset) +
                   " are supported");
  const auto &g = model.graph();
  if (g.sparse_initializer_size() > 0)
    return invalid("the model has sparse initializers, which are not supported");
  std::int64_t budget = kMostValues;
  for (const auto &init : g.initializer()) {
    auto t = tensorFrom(init, "the initializer " + init.name(), budget);
    if (!t)
      return t.error();
    if (!graph.initializers.emplace(init.name(), std::move(*t)).second)
      return invalid("the initializer " + init.name() + " appears twice");
  }
  for (const auto &input : g.input())
    if (!graph.initializers.count(input.name()))
      graph.inputs.push_back(valueFrom(input));
  for (const auto &output : g.output())
    graph.outputs.push_back(valueFrom(output));
  for (int n = 0; n < g.node_size(); ++n) {
    const auto &proto = g.node(n);
    OnnxNode node;
    node.name = proto.name().empty() ? "#" + std::to_string(n) : proto.name();
    node.opType = proto.op_type();
    if (!proto.domain().empty() && proto.domain() != "ai.onnx")
      return invalid("node " + node.name + " uses the operator " + node.opType + " of domain " +
                     proto.domain() + "; only the default ONNX domain is supported");
    node.inputs.assign(proto.input().begin(), proto.input().end());
    node.outputs.assign(proto.output().begin(), proto.output().end());
    for (const auto &attribute : proto.attribute()) {
      auto a = attributeFrom(attribute, node.name, budget);
      if (!a)
        return a.error();
      node.attributes[attribute.name()] = std::move(*a);
    }
    graph.nodes.push_back(std::move(node));
  }
  if (graph.outputs.empty())
    return invalid("the graph has no output");
  if (auto ordered = checkOrder(graph); !ordered)
    return ordered.error();
  return graph;
}

Result<OnnxGraph> readOnnxModel(const fs::path &file) {
  auto bytes = readFileUpTo(file, kLargestModel, tooLarge(file));
  if (!bytes)
    return bytes.error();
  auto graph = parseOnnxModel(*bytes);
  if (!graph)
    return graph.error().withContext(file.string());
  return graph;
}

Result<OnnxTensor> parseOnnxTensor(const std::string &bytes) {
  onnx::TensorProto proto;
  if (bytes.size() > kLargestModel || !proto.ParseFromString(bytes))
    return invalid("not an ONNX tensor (the protobuf does not parse)");
  std::int64_t budget = kMostValues;
  return tensorFrom(proto, "the tensor" + (proto.name().empty() ? "" : " " + proto.name()), budget);
}

Result<OnnxTensor> readOnnxTensor(const fs::path &file) {
  auto bytes = readFileUpTo(file, kLargestModel, tooLarge(file));
  if (!bytes)
    return bytes.error();
  auto tensor = parseOnnxTensor(*bytes);
  if (!tensor)
    return tensor.error().withContext(file.string());
  return tensor;
}

} // namespace nesa::ingest
