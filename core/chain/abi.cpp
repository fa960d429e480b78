#include "chain/abi.h"

#include "chain/keccak.h"

#include <charconv>

namespace nesa::chain::abi {

namespace {

using Kind = Type::Kind;
constexpr std::size_t kWord = 32;

Error bad(const std::string &what) { return fail(ErrorCode::InvalidInput, "ABI: " + what); }

Result<int> parseNumber(std::string_view digits, const std::string &type) {
  int n = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc{} || end != digits.data() + digits.size() || digits.empty() ||
      digits[0] == '0')
    return bad("'" + type + "' has a malformed size");
  return n;
}

/// Splits "a,(b,c),d" at top-level commas.
Result<std::vector<std::string_view>> splitTopLevel(std::string_view text) {
  std::vector<std::string_view> parts;
  if (text.empty())
    return parts;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '(')
      ++depth;
    else if (text[i] == ')' && --depth < 0)
      return bad("unbalanced parentheses in '" + std::string(text) + "'");
    else if (text[i] == ',' && depth == 0) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  if (depth != 0)
    return bad("unbalanced parentheses in '" + std::string(text) + "'");
  parts.push_back(text.substr(start));
  return parts;
}

Result<Type> parseBase(std::string_view text) {
  const std::string name(text);
  Type t;
  if (text.starts_with("(") && text.ends_with(")")) {
    auto members = parseTypeList(text.substr(1, text.size() - 2));
    if (!members)
      return members.error();
    t.kind = Kind::Tuple;
    t.components = std::move(*members);
    return t;
  }
  auto sized = [&](std::string_view prefix, Kind kind, int defaultSize, int step,
                   int maxSize) -> Result<Type> {
    t.kind = kind;
    const std::string_view digits = text.substr(prefix.size());
    if (digits.empty() && defaultSize > 0) {
      t.size = defaultSize;
      return t;
    }
    auto n = parseNumber(digits, name);
    if (!n)
      return n.error();
    if (*n % step != 0 || *n > maxSize)
      return bad("'" + name + "' is not a valid type");
    t.size = *n;
    return t;
  };
  if (text == "address")
    return Type{Kind::Address, 160, 0, {}};
  if (text == "bool")
    return Type{Kind::Bool, 8, 0, {}};
  if (text == "string")
    return Type{Kind::String, 0, 0, {}};
  if (text == "bytes")
    return Type{Kind::Bytes, 0, 0, {}};
  if (text.starts_with("uint"))
    return sized("uint", Kind::Uint, 256, 8, 256);
  if (text.starts_with("int"))
    return sized("int", Kind::Int, 256, 8, 256);
  if (text.starts_with("bytes"))
    return sized("bytes", Kind::FixedBytes, 0, 1, 32);
  return bad("unknown type '" + name + "'");
}

std::size_t headSize(const Type &t) {
  if (t.isDynamic())
    return kWord;
  if (t.kind == Kind::FixedArray)
    return t.length * headSize(t.components[0]);
  if (t.kind == Kind::Tuple) {
    std::size_t n = 0;
    for (const Type &c : t.components)
      n += headSize(c);
    return n;
  }
  return kWord;
}

void appendWord(Bytes &out, const U256 &v) {
  const auto w = v.toWord();
  out.insert(out.end(), w.begin(), w.end());
}

void appendPadded(Bytes &out, std::span<const std::uint8_t> bytes) {
  out.insert(out.end(), bytes.begin(), bytes.end());
  out.resize(out.size() + (kWord - bytes.size() % kWord) % kWord, 0);
}

Result<void> encodeTuple(const std::vector<Type> &types, const std::vector<Value> &values,
                         Bytes &out);

Result<void> encodeValue(const Type &t, const Value &v, Bytes &out) {
  switch (t.kind) {
  case Kind::Uint:
  case Kind::Int:
  case Kind::Address:
  case Kind::Bool: {
    auto word = v.asUint();
    if (!word)
      return word.error();
    if (t.kind != Kind::Int && word->bitLength() > t.size)
      return bad("a value does not fit in " + t.text());
    appendWord(out, *word);
    return {};
  }
  case Kind::FixedBytes: {
    auto bytes = v.asBytes();
    if (!bytes)
      return bytes.error();
    if (bytes->size() != static_cast<std::size_t>(t.size))
      return bad(t.text() + " needs " + std::to_string(t.size) + " bytes, got " +
                 std::to_string(bytes->size()));
    appendPadded(out, *bytes);
    return {};
  }
  case Kind::Bytes:
  case Kind::String: {
    auto bytes = v.asBytes();
    if (!bytes)
      return bytes.error();
    appendWord(out, bytes->size());
    appendPadded(out, *bytes);
    return {};
  }
  case Kind::Array:
  case Kind::FixedArray: {
    auto items = v.asList();
    if (!items)
      return items.error();
    if (t.kind == Kind::FixedArray && items->size() != t.length)
      return bad(t.text() + " needs " + std::to_string(t.length) + " elements, got " +
                 std::to_string(items->size()));
    if (t.kind == Kind::Array)
      appendWord(out, items->size());
    return encodeTuple(std::vector<Type>(items->size(), t.components[0]), *items, out);
  }
  case Kind::Tuple: {
    auto items = v.asList();
    if (!items)
      return items.error();
    return encodeTuple(t.components, *items, out);
  }
  }
  return bad("unknown kind");
}

Result<void> encodeTuple(const std::vector<Type> &types, const std::vector<Value> &values,
                         Bytes &out) {
  if (types.size() != values.size())
    return bad(std::to_string(types.size()) + " types but " + std::to_string(values.size()) +
               " values");
  std::size_t headLength = 0;
  for (const Type &t : types)
    headLength += headSize(t);
  Bytes head, tail;
  for (std::size_t i = 0; i < types.size(); ++i) {
    if (types[i].isDynamic()) {
      appendWord(head, headLength + tail.size());
      if (auto r = encodeValue(types[i], values[i], tail); !r)
        return r;
    } else if (auto r = encodeValue(types[i], values[i], head); !r) {
      return r;
    }
  }
  out.insert(out.end(), head.begin(), head.end());
  out.insert(out.end(), tail.begin(), tail.end());
  return {};
}

/// Reads values from one tuple's encoding; `base` is where the tuple starts in `data`.
class Decoder {
public:
  explicit Decoder(std::span<const std::uint8_t> data) : m_data(data) {}

  Result<std::vector<Value>> tuple(const std::vector<Type> &types, std::size_t base, int depth) {
    if (depth > 32)
      return bad("types nested more than 32 deep");
    std::vector<Value> values;
    std::size_t offset = base;
    for (const Type &t : types) {
      std::size_t at = offset;
      if (t.isDynamic()) {
        auto pointer = word(offset);
        if (!pointer)
          return pointer.error();
        if (!pointer->fitsU64() || pointer->low64() > m_data.size() - base)
          return bad("an offset points outside the data");
        at = base + pointer->low64();
      }
      auto v = value(t, at, depth + 1);
      if (!v)
        return v.error();
      values.push_back(std::move(*v));
      offset += headSize(t);
    }
    return values;
  }

private:
  Result<U256> word(std::size_t at) const {
    if (at > m_data.size() || m_data.size() - at < kWord)
      return bad("the data ends inside a word (at byte " + std::to_string(at) + ")");
    return U256::fromBigEndian(m_data.subspan(at, kWord));
  }

  Result<Value> value(const Type &t, std::size_t at, int depth) {
    switch (t.kind) {
    case Kind::Uint:
    case Kind::Address:
    case Kind::Bool: {
      auto w = word(at);
      if (!w)
        return w.error();
      if (w->bitLength() > (t.kind == Kind::Bool ? 1 : t.size))
        return bad("a value is too wide for " + t.text());
      return Value::uint(*w);
    }
    case Kind::Int: {
      auto w = word(at);
      if (!w)
        return w.error();
      return Value::uint(*w);
    }
    case Kind::FixedBytes: {
      if (auto w = word(at); !w)
        return w.error();
      const auto bytes = m_data.subspan(at, kWord);
      for (std::size_t i = t.size; i < kWord; ++i)
        if (bytes[i] != 0)
          return bad(t.text() + " has non-zero padding");
      return Value::bytes(bytes.first(t.size));
    }
    case Kind::Bytes:
    case Kind::String: {
      auto length = word(at);
      if (!length)
        return length.error();
      if (!length->fitsU64() || length->low64() > m_data.size() - at - kWord)
        return bad("a byte string runs past the end of the data");
      return Value::bytes(m_data.subspan(at + kWord, length->low64()));
    }
    case Kind::Array:
    case Kind::FixedArray: {
      std::size_t count = t.length;
      std::size_t start = at;
      if (t.kind == Kind::Array) {
        auto length = word(at);
        if (!length)
          return length.error();
        // Each element takes at least one word, which bounds what a hostile length can ask for.
        if (!length->fitsU64() || length->low64() > (m_data.size() - at - kWord) / kWord)
          return bad("an array's length runs past the end of the data");
        count = length->low64();
        start = at + kWord;
      }
      auto items = tuple(std::vector<Type>(count, t.components[0]), start, depth);
      if (!items)
        return items.error();
      return Value::list(std::move(*items));
    }
    case Kind::Tuple: {
      auto items = tuple(t.components, at, depth);
      if (!items)
        return items.error();
      return Value::list(std::move(*items));
    }
    }
    return bad("unknown kind");
  }

  std::span<const std::uint8_t> m_data;
};

} // namespace

bool Type::isDynamic() const {
  switch (kind) {
  case Kind::Bytes:
  case Kind::String:
  case Kind::Array: return true;
  case Kind::FixedArray: return components[0].isDynamic();
  case Kind::Tuple:
    for (const Type &c : components)
      if (c.isDynamic())
        return true;
    return false;
  default: return false;
  }
}

std::string Type::text() const {
  switch (kind) {
  case Kind::Uint: return "uint" + std::to_string(size);
  case Kind::Int: return "int" + std::to_string(size);
  case Kind::Address: return "address";
  case Kind::Bool: return "bool";
  case Kind::FixedBytes: return "bytes" + std::to_string(size);
  case Kind::Bytes: return "bytes";
  case Kind::String: return "string";
  case Kind::Array: return components[0].text() + "[]";
  case Kind::FixedArray: return components[0].text() + "[" + std::to_string(length) + "]";
  case Kind::Tuple: {
    std::string out = "(";
    for (std::size_t i = 0; i < components.size(); ++i)
      out += (i ? "," : "") + components[i].text();
    return out + ")";
  }
  }
  return {};
}

Result<Type> parseType(std::string_view text) {
  if (text.ends_with("]")) {
    const std::size_t open = text.rfind('[');
    if (open == std::string_view::npos)
      return bad("unbalanced brackets in '" + std::string(text) + "'");
    auto element = parseType(text.substr(0, open));
    if (!element)
      return element;
    Type t;
    t.components.push_back(std::move(*element));
    const std::string_view digits = text.substr(open + 1, text.size() - open - 2);
    if (digits.empty()) {
      t.kind = Kind::Array;
      return t;
    }
    auto n = parseNumber(digits, std::string(text));
    if (!n)
      return n.error();
    t.kind = Kind::FixedArray;
    t.length = static_cast<std::size_t>(*n);
    return t;
  }
  return parseBase(text);
}

Result<std::vector<Type>> parseTypeList(std::string_view text) {
  auto parts = splitTopLevel(text);
  if (!parts)
    return parts.error();
  std::vector<Type> types;
  for (std::string_view part : *parts) {
    auto t = parseType(part);
    if (!t)
      return t.error();
    types.push_back(std::move(*t));
  }
  return types;
}

Value Value::address(const Address &a) { return {*U256::fromBigEndian(a)}; }

Result<U256> Value::asUint() const {
  if (const auto *v = std::get_if<U256>(&data))
    return *v;
  return bad("expected a number, an address or a boolean");
}

Result<Address> Value::asAddress() const {
  auto w = asUint();
  if (!w)
    return w.error();
  if (w->bitLength() > 160)
    return bad("an address wider than 20 bytes");
  const auto word = w->toWord();
  Address a{};
  std::copy(word.begin() + 12, word.end(), a.begin());
  return a;
}

Result<bool> Value::asBool() const {
  auto w = asUint();
  if (!w)
    return w.error();
  return !w->isZero();
}

Result<Bytes> Value::asBytes() const {
  if (const auto *v = std::get_if<Bytes>(&data))
    return *v;
  return bad("expected bytes or a string");
}

Result<std::vector<Value>> Value::asList() const {
  if (const auto *v = std::get_if<std::vector<Value>>(&data))
    return *v;
  return bad("expected an array or a tuple");
}

std::array<std::uint8_t, 4> selector(std::string_view signature) {
  const Hash32 h = keccak256(signature);
  return {h[0], h[1], h[2], h[3]};
}

Result<Bytes> encode(const std::vector<Type> &types, const std::vector<Value> &values) {
  Bytes out;
  if (auto r = encodeTuple(types, values, out); !r)
    return r.error();
  return out;
}

Result<Bytes> encodeCall(std::string_view signature, const std::vector<Value> &values) {
  const std::size_t open = signature.find('(');
  if (open == std::string_view::npos || !signature.ends_with(")"))
    return bad("'" + std::string(signature) + "' is not a function signature");
  auto types = parseTypeList(signature.substr(open + 1, signature.size() - open - 2));
  if (!types)
    return types.error();
  auto args = encode(*types, values);
  if (!args)
    return args.error().withContext(std::string(signature));
  const auto sel = selector(signature);
  Bytes out(sel.begin(), sel.end());
  out.insert(out.end(), args->begin(), args->end());
  return out;
}

Result<std::vector<Value>> decode(const std::vector<Type> &types,
                                  std::span<const std::uint8_t> data) {
  return Decoder(data).tuple(types, 0, 0);
}

} // namespace nesa::chain::abi
