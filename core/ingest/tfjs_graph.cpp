#include "ingest/internal/tfjs_graph.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <stdexcept>

namespace nesa::ingest {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxNodes = 200000;
constexpr std::size_t kMaxListLength = 65536;
constexpr std::int64_t kMaxDimension = std::int64_t{1} << 24;
constexpr std::int64_t kMaxInputValues = std::int64_t{1} << 28;

Error invalid(const std::string &what) {
  return fail(ErrorCode::InvalidInput, "model.json: " + what);
}

// TensorFlow's JSON writes bytes attributes ("SAME", "NHWC", fused op names) in base64.
Result<std::string> base64Decode(const std::string &text) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == '+' || c == '-')
      v = 62;
    else if (c == '/' || c == '_')
      v = 63;
    else if (c == '=')
      break;
    else
      return invalid("an attribute is not valid base64");
    buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xffu));
    }
  }
  return out;
}

// TensorFlow's JSON writes 64-bit integers as strings.
std::int64_t integer(const json &v) {
  if (!v.is_string()) {
    if (!v.is_number_integer())
      throw std::invalid_argument("an integer attribute is not an integer");
    return v.get<std::int64_t>();
  }
  const std::string text = v.get<std::string>();
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size())
    throw std::invalid_argument("\"" + text.substr(0, 32) + "\" is not an integer");
  return value;
}

Result<json> shapeOf(const json &shape) {
  if (shape.value("unknownRank", false))
    return json(nullptr);
  json dims = json::array();
  if (shape.contains("dim")) {
    if (shape.at("dim").size() > 16)
      return invalid("a shape has more than 16 dimensions");
    for (const auto &d : shape.at("dim"))
      dims.push_back(d.contains("size") ? integer(d.at("size")) : std::int64_t{-1});
  }
  return dims;
}

// One attribute value ({"s": ...}, {"i": ...}, {"list": {...}}, ...) as a plain JSON value.
Result<json> plainAttribute(const json &value) {
  if (value.contains("s")) {
    auto text = base64Decode(value.at("s").get<std::string>());
    if (!text)
      return text.error();
    return json(*text);
  }
  if (value.contains("i"))
    return json(integer(value.at("i")));
  if (value.contains("f"))
    return json(value.at("f").get<double>());
  if (value.contains("b"))
    return json(value.at("b").get<bool>());
  if (value.contains("type"))
    return json(value.at("type").get<std::string>());
  if (value.contains("shape"))
    return shapeOf(value.at("shape"));
  if (value.contains("tensor"))
    return json("<tensor>"); // a Const's value: its bytes are in the weights manifest
  if (value.contains("func"))
    return json("<function>");
  if (value.contains("list")) {
    const json &list = value.at("list");
    json out = json::array();
    for (const auto &[kind, items] : list.items()) {
      if (items.size() > kMaxListLength)
        return invalid("an attribute list is too long");
      for (const auto &item : items) {
        if (kind == "s") {
          auto s = base64Decode(item.get<std::string>());
          if (!s)
            return s.error();
          out.push_back(*s);
        } else if (kind == "i") {
          out.push_back(integer(item));
        } else if (kind == "f") {
          out.push_back(item.get<double>());
        } else if (kind == "b") {
          out.push_back(item.get<bool>());
        } else if (kind == "type") {
          out.push_back(item.get<std::string>());
        } else if (kind == "shape") {
          auto s = shapeOf(item);
          if (!s)
            return s.error();
          out.push_back(*s);
        } else {
          out.push_back("<" + kind + ">");
        }
      }
    }
    return out;
  }
  return json(nullptr); // an empty attribute value
}

Result<TfjsNode> readNode(const json &n) {
  TfjsNode node{n.at("name").get<std::string>(), n.at("op").get<std::string>(), {}, "{}"};
  if (node.name.empty())
    return invalid("a node has no name");
  if (n.contains("input")) {
    for (const auto &i : n.at("input")) {
      std::string input = i.get<std::string>();
      if (!input.empty() && input.front() == '^')
        continue; // a control dependency: the order it asks for is kept anyway
      if (const auto colon = input.rfind(':'); colon != std::string::npos) {
        const std::string index = input.substr(colon + 1);
        if (index != "0")
          return invalid("node " + node.name + " uses output " + index + " of " +
                         input.substr(0, colon) + " (only first outputs are supported)");
        input.resize(colon);
      }
      node.inputs.push_back(std::move(input));
    }
  }
  json attributes = json::object();
  if (n.contains("attr")) {
    for (const auto &[key, value] : n.at("attr").items()) {
      auto plain = plainAttribute(value);
      if (!plain)
        return plain.error().withContext("node " + node.name + ", attribute " + key);
      attributes[key] = std::move(*plain);
    }
  }
  node.attrJson = attributes.dump();
  return node;
}

// Kahn's algorithm, keeping the stored order among nodes that are ready together.
Result<std::vector<TfjsNode>> sortedByInputs(std::vector<TfjsNode> nodes) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (!index.emplace(nodes[i].name, i).second)
      return invalid("two nodes are named " + nodes[i].name);
  std::vector<std::size_t> waiting(nodes.size(), 0);
  std::vector<std::vector<std::size_t>> consumers(nodes.size());
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    for (const auto &input : nodes[i].inputs) {
      const auto it = index.find(input);
      if (it == index.end())
        return invalid("node " + nodes[i].name + " uses " + input +
                       ", which the graph does not define");
      consumers[it->second].push_back(i);
      ++waiting[i];
    }
  }
  std::set<std::size_t> ready;
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (waiting[i] == 0)
      ready.insert(i);
  std::vector<TfjsNode> sorted;
  sorted.reserve(nodes.size());
  while (!ready.empty()) {
    const std::size_t i = *ready.begin();
    ready.erase(ready.begin());
    for (std::size_t consumer : consumers[i])
      if (--waiting[consumer] == 0)
        ready.insert(consumer);
    sorted.push_back(std::move(nodes[i]));
  }
  if (sorted.size() != nodes.size()) {
    for (std::size_t i = 0; i < nodes.size(); ++i)
      if (waiting[i] != 0)
        return invalid("the graph has a cycle through node " + nodes[i].name);
  }
  return sorted;
}

// The signature's single input or output name ("Identity:0" → "Identity"), if it has one.
Result<std::string> signatureName(const json &root, const char *side) {
  const json *signature = nullptr;
  if (root.contains("signature"))
    signature = &root.at("signature");
  else if (root.contains("userDefinedMetadata") &&
           root.at("userDefinedMetadata").contains("signature"))
    signature = &root.at("userDefinedMetadata").at("signature");
  if (!signature || !signature->contains(side))
    return std::string();
  const json &entries = signature->at(side);
  if (entries.size() != 1)
    return invalid(std::string("only models with one input and one output are supported (the "
                               "signature has ") +
                   std::to_string(entries.size()) + " " + side + ")");
  const json &entry = entries.begin().value();
  std::string name =
      entry.contains("name") ? entry.at("name").get<std::string>() : entries.begin().key();
  if (const auto colon = name.rfind(':'); colon != std::string::npos)
    name.resize(colon);
  return name;
}

} // namespace

Result<void> readGraphTopology(const json &root, TfjsModel &model) {
  const json &topology = root.at("modelTopology");
  if (topology.contains("library") && topology.at("library").contains("function") &&
      !topology.at("library").at("function").empty())
    return invalid("the graph has functions (control flow), which are not supported");
  const json &list = topology.at("node");
  if (!list.is_array() || list.empty())
    return invalid("the graph has no nodes");
  if (list.size() > kMaxNodes)
    return invalid("the graph has more than " + std::to_string(kMaxNodes) + " nodes");
  std::vector<TfjsNode> nodes;
  for (const auto &n : list) {
    auto node = readNode(n);
    if (!node)
      return node.error();
    nodes.push_back(std::move(*node));
  }
  auto sorted = sortedByInputs(std::move(nodes));
  if (!sorted)
    return sorted.error();
  model.graph = true;
  model.nodes = std::move(*sorted);

  std::set<std::string> consumed;
  const TfjsNode *placeholder = nullptr;
  for (const auto &node : model.nodes) {
    consumed.insert(node.inputs.begin(), node.inputs.end());
    if (node.op == "Placeholder" || node.op == "PlaceholderWithDefault") {
      if (placeholder)
        return invalid("only models with one input are supported (" + placeholder->name + " and " +
                       node.name + " are both inputs)");
      placeholder = &node;
    }
  }
  if (!placeholder)
    return invalid("the graph has no Placeholder (input) node");
  model.input = placeholder->name;
  const json attributes = json::parse(placeholder->attrJson);
  if (!attributes.contains("shape") || !attributes.at("shape").is_array())
    return invalid("the input " + model.input + " has no shape");
  std::int64_t values = 1;
  for (const auto &d : attributes.at("shape")) {
    if (!d.is_number_integer())
      return invalid("the input " + model.input + " has a size that is not a whole number");
    auto size = d.get<std::int64_t>();
    if (model.inputShape.empty() && size != -1 && size != 1)
      return invalid("the input " + model.input + " has a fixed batch of " + std::to_string(size) +
                     " (only one at a time is supported)");
    if (size < 0 && model.inputShape.empty())
      size = 1; // the batch
    if (size <= 0 || size > kMaxDimension)
      return invalid("the model needs a fixed input size (the input " + model.input +
                     " has a size " + std::to_string(size) + ")");
    values *= size;
    if (values > kMaxInputValues)
      return invalid("the input " + model.input + " is too large");
    model.inputShape.push_back(size);
  }

  auto output = signatureName(root, "outputs");
  if (!output)
    return output.error();
  model.output = *output;
  if (model.output.empty()) {
    for (const auto &node : model.nodes) {
      if (consumed.count(node.name) || node.op == "Const" || node.op == "NoOp" ||
          node.name == model.input)
        continue;
      if (!model.output.empty())
        return invalid("only models with one output are supported (" + model.output + " and " +
                       node.name + " are both outputs)");
      model.output = node.name;
    }
  }
  const bool known = std::any_of(model.nodes.begin(), model.nodes.end(),
                                 [&](const TfjsNode &n) { return n.name == model.output; });
  if (!known)
    return invalid("the graph has no output node" +
                   (model.output.empty() ? std::string() : " named " + model.output));
  return {};
}

} // namespace nesa::ingest
