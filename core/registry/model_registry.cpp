#include "registry/model_registry.h"

#include "ingest/gguf_file.h"

#include <nlohmann/json.hpp>
#include <sodium.h>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <regex>
#include <sstream>

namespace nesa::registry {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char *kCatalogue = "catalogue.json";

std::string nowUtc() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string defaultId(const std::string &stem) {
  std::string id;
  for (char c : stem) {
    const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    id += std::isalnum(static_cast<unsigned char>(lower)) || lower == '.' || lower == '_' ? lower
                                                                                          : '-';
  }
  while (!id.empty() && !std::isalnum(static_cast<unsigned char>(id.front())))
    id.erase(id.begin());
  return id.substr(0, 64);
}

bool validId(const std::string &id) {
  static const std::regex pattern("[a-z0-9][a-z0-9._-]{0,63}");
  return std::regex_match(id, pattern);
}

Result<void> hashFile(crypto_hash_sha256_state &state, const fs::path &file) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return fail(ErrorCode::Io, "cannot read " + file.string());
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char *>(buffer.data()),
                              static_cast<unsigned long long>(in.gcount()));
  }
  return {};
}

std::uint64_t sizeOf(const fs::path &path) {
  std::error_code ec;
  if (!fs::is_directory(path, ec))
    return fs::file_size(path, ec);
  std::uint64_t total = 0;
  for (const auto &entry : fs::recursive_directory_iterator(path, ec))
    if (entry.is_regular_file())
      total += entry.file_size();
  return total;
}

// The licence a language-model folder states: "license:" in README.md's front matter, else the
// first line of a LICENSE file.
std::string folderLicence(const fs::path &folder) {
  std::ifstream readme(folder / "README.md");
  std::string line;
  for (int n = 0; std::getline(readme, line) && n < 40; ++n)
    if (line.rfind("license:", 0) == 0) {
      std::string value = line.substr(8);
      value.erase(0, value.find_first_not_of(" \t\"'"));
      value.erase(value.find_last_not_of(" \t\"'\r") + 1);
      if (!value.empty())
        return value;
    }
  for (const char *name : {"LICENSE", "LICENSE.txt", "LICENSE.md"}) {
    std::ifstream licence(folder / name);
    while (std::getline(licence, line))
      if (line.find_first_not_of(" \t\r") != std::string::npos)
        return line;
  }
  return "not stated in the folder";
}

bool copiedFromLanguageModel(const fs::path &file) {
  const std::string name = file.filename().string(), ext = file.extension().string();
  return ext == ".json" || ext == ".safetensors" || ext == ".md" || ext == ".txt" ||
         name.rfind("LICENSE", 0) == 0;
}

json toJson(const RegisteredModel &m, const fs::path &folder) {
  return {{"id", m.id},
          {"kind", kindName(m.kind)},
          {"source", sourceName(m.source)},
          {"path", fs::relative(m.path, folder).string()},
          {"name", m.name},
          {"task", m.task},
          {"licence", m.licence},
          {"sha256", m.sha256},
          {"bytes", m.bytes},
          {"added", m.added}};
}

Result<RegisteredModel> builtIn(const fs::path &file) {
  auto manifest = ingest::loadManifest(fs::path(file).replace_extension(".json"));
  if (!manifest)
    return manifest.error();
  auto hash = contentHash(file);
  if (!hash)
    return hash.error();
  RegisteredModel m;
  m.id = file.stem().string();
  m.kind = ModelKind::TorchScript;
  m.source = ModelSource::BuiltIn;
  m.path = file;
  m.name = manifest->name;
  m.task = manifest->task;
  m.licence = manifest->licence;
  m.manifest = std::move(*manifest);
  m.sha256 = *hash;
  m.bytes = sizeOf(file);
  return m;
}

} // namespace

const char *kindName(ModelKind kind) {
  return kind == ModelKind::TorchScript ? "torchscript" : "language-model";
}

const char *sourceName(ModelSource source) {
  switch (source) {
  case ModelSource::BuiltIn: return "built-in";
  case ModelSource::Imported: return "imported";
  case ModelSource::User: return "user";
  }
  return "user";
}

Result<std::string> contentHash(const fs::path &path) {
  if (sodium_init() < 0)
    return fail(ErrorCode::Internal, "libsodium failed to start");
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    std::vector<fs::path> files;
    for (const auto &entry : fs::recursive_directory_iterator(path, ec))
      if (entry.is_regular_file())
        files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto &file : files) {
      const std::string name = fs::relative(file, path).generic_string() + '\n';
      crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char *>(name.data()),
                                name.size());
      if (auto done = hashFile(state, file); !done)
        return done.error();
    }
  } else if (fs::is_regular_file(path, ec)) {
    if (auto done = hashFile(state, path); !done)
      return done.error();
  } else {
    return fail(ErrorCode::NotFound, path.string() + " does not exist");
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  std::ostringstream hex;
  for (unsigned char b : digest)
    hex << "0123456789abcdef"[b >> 4] << "0123456789abcdef"[b & 15];
  return hex.str();
}

Result<ModelRegistry> ModelRegistry::open(const fs::path &folder,
                                          std::vector<fs::path> builtInFolders) {
  ModelRegistry registry;
  registry.m_folder = folder;
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec)
    return fail(ErrorCode::Io, "cannot create " + folder.string() + ": " + ec.message());
  for (const auto &dir : builtInFolders) {
    if (!fs::is_directory(dir, ec))
      continue;
    std::vector<fs::path> files;
    for (const auto &entry : fs::directory_iterator(dir, ec))
      if (entry.path().extension() == ".pt" &&
          fs::exists(fs::path(entry.path()).replace_extension(".json")))
        files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto &file : files) {
      if (std::any_of(registry.m_builtIn.begin(), registry.m_builtIn.end(),
                      [&](const RegisteredModel &m) { return m.id == file.stem().string(); }))
        continue; // the first folder wins (a development tree before an installed copy)
      auto model = builtIn(file);
      if (!model)
        return model.error().withContext("built-in model " + file.string());
      registry.m_builtIn.push_back(std::move(*model));
    }
  }
  const fs::path catalogue = folder / kCatalogue;
  if (!fs::exists(catalogue))
    return registry;
  try {
    std::ifstream in(catalogue);
    const json root = json::parse(in);
    for (const auto &e : root.at("models")) {
      RegisteredModel m;
      m.id = e.at("id").get<std::string>();
      if (!validId(m.id))
        return fail(ErrorCode::Corrupt,
                    catalogue.string() + " holds an invalid id \"" + m.id + "\"");
      m.kind = e.at("kind").get<std::string>() == "language-model" ? ModelKind::LanguageModel
                                                                   : ModelKind::TorchScript;
      m.source = e.at("source").get<std::string>() == "imported" ? ModelSource::Imported
                                                                 : ModelSource::User;
      m.path = folder / e.at("path").get<std::string>();
      m.name = e.at("name").get<std::string>();
      m.task = e.at("task").get<std::string>();
      m.licence = e.at("licence").get<std::string>();
      m.sha256 = e.at("sha256").get<std::string>();
      if (!e.at("bytes").is_number_unsigned())
        return fail(ErrorCode::Corrupt, catalogue.string() + " gives model " + m.id +
                                            " a size that is not a whole number of bytes");
      m.bytes = e.at("bytes").get<std::uint64_t>();
      m.added = e.at("added").get<std::string>();
      if (m.kind == ModelKind::TorchScript) {
        auto manifest = ingest::loadManifest(folder / m.id / "manifest.json");
        if (!manifest)
          return manifest.error().withContext("model " + m.id);
        m.manifest = std::move(*manifest);
      }
      registry.m_added.push_back(std::move(m));
    }
  } catch (const json::exception &e) {
    return fail(ErrorCode::Corrupt, catalogue.string() + " is damaged: " + e.what());
  }
  return registry;
}

std::vector<RegisteredModel> ModelRegistry::list() const {
  auto all = m_builtIn;
  all.insert(all.end(), m_added.begin(), m_added.end());
  return all;
}

Result<RegisteredModel> ModelRegistry::find(const std::string &id) const {
  for (const auto &m : list())
    if (m.id == id)
      return m;
  return fail(ErrorCode::NotFound, "no model \"" + id + "\" is installed (see 'nesa model list')");
}

Result<void> ModelRegistry::checkNewId(const std::string &id) const {
  if (!validId(id))
    return fail(ErrorCode::InvalidInput,
                "\"" + id +
                    "\" is not a valid model id (lowercase letters, digits, '.', '_', "
                    "'-'; up to 64)");
  if (find(id).ok())
    return fail(ErrorCode::AlreadyExists,
                "a model \"" + id + "\" is already installed; choose another with --id");
  return {};
}

Result<void> ModelRegistry::save() const {
  json models = json::array();
  for (const auto &m : m_added)
    models.push_back(toJson(m, m_folder));
  const fs::path target = m_folder / kCatalogue, temporary = m_folder / ".catalogue.json.new";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << json{{"version", 1}, {"models", models}}.dump(2) << '\n';
    if (!out.flush())
      return fail(ErrorCode::Io, "cannot write " + temporary.string());
  }
  std::error_code ec;
  fs::rename(temporary, target, ec);
  if (ec)
    return fail(ErrorCode::Io, "cannot replace " + target.string() + ": " + ec.message());
  return {};
}

Result<RegisteredModel> ModelRegistry::addTorchScript(const fs::path &file,
                                                      const fs::path &manifestFile, std::string id,
                                                      ModelSource source) {
  if (!fs::is_regular_file(file))
    return fail(ErrorCode::NotFound, file.string() + " is not a file");
  if (manifestFile.empty())
    return fail(ErrorCode::InvalidInput,
                "a TorchScript model needs a manifest (--manifest FILE.json) saying what it does, "
                "its input and its licence; see docs/models.md");
  {
    char magic[4] = {};
    std::ifstream in(file, std::ios::binary);
    in.read(magic, 4);
    if (std::string(magic, 4) != std::string("PK\x03\x04", 4))
      return fail(ErrorCode::InvalidInput,
                  file.string() + " is not a TorchScript file (those are zip archives)");
  }
  auto manifest = ingest::loadManifest(manifestFile);
  if (!manifest)
    return manifest.error();
  if (id.empty())
    id = defaultId(file.stem().string());
  if (auto ok = checkNewId(id); !ok)
    return ok.error();
  RegisteredModel m;
  m.id = id;
  m.kind = ModelKind::TorchScript;
  m.source = source;
  m.path = m_folder / id / "model.pt";
  m.name = manifest->name;
  m.task = manifest->task;
  m.licence = manifest->licence;
  m.manifest = std::move(*manifest);
  return install(std::move(m), [&](const fs::path &staging, std::error_code &ec) {
    fs::copy_file(file, staging / "model.pt", ec);
    if (!ec)
      fs::copy_file(manifestFile, staging / "manifest.json", ec);
  });
}

Result<RegisteredModel> ModelRegistry::addGguf(const fs::path &file, std::string id) {
  auto gguf = ingest::gguf::File::open(file);
  if (!gguf)
    return gguf.error();
  auto arch = gguf->text("general.architecture");
  if (!arch)
    return arch.error().withContext(file.string());
  if (*arch != "llama" && *arch != "gpt2")
    return fail(ErrorCode::InvalidInput, file.string() + ": the architecture '" + *arch +
                                             "' is not supported (llama and gpt2 are)");
  if (id.empty())
    id = defaultId(file.stem().string());
  if (auto ok = checkNewId(id); !ok)
    return ok.error();
  RegisteredModel m;
  m.id = id;
  m.kind = ModelKind::LanguageModel;
  m.source = ModelSource::User;
  m.path = m_folder / id; // a folder holding model.gguf and no config.json
  m.name = id + " (" + *arch + ", GGUF)";
  m.task = "summarization, classification";
  if (auto licence = gguf->text("general.license"))
    m.licence = *licence;
  return install(std::move(m), [&](const fs::path &staging, std::error_code &ec) {
    fs::copy_file(file, staging / "model.gguf", ec);
  });
}

Result<RegisteredModel> ModelRegistry::addLanguageModel(const fs::path &folder, std::string id) {
  if (!fs::is_directory(folder))
    return fail(ErrorCode::NotFound, folder.string() + " is not a folder");
  bool weights = false;
  for (const auto &entry : fs::directory_iterator(folder))
    weights = weights || entry.path().extension() == ".safetensors";
  if (!fs::exists(folder / "config.json") || !fs::exists(folder / "tokenizer.json") || !weights)
    return fail(ErrorCode::InvalidInput,
                folder.string() + " is not a language-model folder: it needs config.json, "
                                  "tokenizer.json and *.safetensors weights");
  std::string modelType;
  try {
    std::ifstream in(folder / "config.json");
    modelType = json::parse(in).at("model_type").get<std::string>();
  } catch (const json::exception &e) {
    return fail(ErrorCode::InvalidInput,
                (folder / "config.json").string() + " has no readable model_type: " + e.what());
  }
  if (id.empty())
    id = defaultId(fs::absolute(folder).lexically_normal().filename().string());
  if (auto ok = checkNewId(id); !ok)
    return ok.error();
  RegisteredModel m;
  m.id = id;
  m.kind = ModelKind::LanguageModel;
  m.source = ModelSource::User;
  m.path = m_folder / id;
  m.name = id + " (" + modelType + ")";
  m.task = "summarization, classification";
  m.licence = folderLicence(folder);
  return install(std::move(m), [&](const fs::path &staging, std::error_code &ec) {
    for (const auto &entry : fs::directory_iterator(folder))
      if (!ec && entry.is_regular_file() && copiedFromLanguageModel(entry.path()))
        fs::copy_file(entry.path(), staging / entry.path().filename(), ec);
  });
}

Result<RegisteredModel>
ModelRegistry::install(RegisteredModel model,
                       const std::function<void(const fs::path &, std::error_code &)> &copyInto) {
  const fs::path staging = m_folder / (".adding-" + model.id), target = m_folder / model.id;
  std::error_code ec;
  fs::remove_all(staging, ec);
  fs::create_directories(staging, ec);
  if (!ec)
    copyInto(staging, ec);
  if (!ec)
    fs::rename(staging, target, ec);
  if (ec) {
    const std::string why = ec.message();
    fs::remove_all(staging, ec);
    return fail(ErrorCode::Io, "cannot copy the model into " + m_folder.string() + ": " + why);
  }
  auto hash = contentHash(model.path);
  if (!hash) {
    fs::remove_all(target, ec);
    return hash.error();
  }
  model.sha256 = *hash;
  model.bytes = sizeOf(model.path);
  model.added = nowUtc();
  m_added.push_back(model);
  if (auto saved = save(); !saved) {
    m_added.pop_back();
    fs::remove_all(target, ec);
    return saved.error();
  }
  return model;
}

Result<void> ModelRegistry::remove(const std::string &id) {
  auto model = find(id);
  if (!model)
    return model.error();
  if (model->source == ModelSource::BuiltIn)
    return fail(ErrorCode::InvalidInput, "\"" + id + "\" is built in and cannot be removed");
  const auto it = std::find_if(m_added.begin(), m_added.end(),
                               [&](const RegisteredModel &m) { return m.id == id; });
  const RegisteredModel removed = *it;
  m_added.erase(it);
  if (auto saved = save(); !saved) {
    m_added.push_back(removed);
    return saved.error();
  }
  std::error_code ec;
  fs::remove_all(m_folder / id, ec);
  return {};
}

Result<bool> ModelRegistry::verify(const std::string &id) const {
  auto model = find(id);
  if (!model)
    return model.error();
  auto hash = contentHash(model->path);
  if (!hash)
    return hash.error();
  return *hash == model->sha256;
}

} // namespace nesa::registry
