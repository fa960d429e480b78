// nesa-model: the catalogue of installed models (what `nesa model` runs). Links libtorch only
// because TF.js and ONNX models are converted to TorchScript when they are added.
#include "cli/arguments.h"
#include "cli/commands.h"
#include "ingest/onnx_model.h"
#include "ingest/tfjs_model.h"
#include "model/onnx_export.h"
#include "model/tfjs_export.h"
#include "registry/model_locations.h"
#include "registry/model_registry.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace {

using namespace nesa;
namespace fs = std::filesystem;

const std::vector<cli::OptionSpec> kOptions = {
    {"manifest", true, "add: the model's manifest (task, input, labels, licence)", "FILE.json"},
    {"id", true, "add: the id to install it under (default: from the file or folder name)", "ID"},
    {"help", false, "show this help"},
};

const char *kUsage =
    "usage: nesa model list\n"
    "       nesa model info ID\n"
    "       nesa model add MODEL.pt --manifest M.json [--id ID]     a TorchScript model\n"
    "       nesa model add model.json [--manifest M.json] [--id ID] a TF.js layers or graph model\n"
    "       nesa model add MODEL.onnx [--manifest M.json] [--id ID] an ONNX model\n"
    "       nesa model add FOLDER [--id ID]                         a language-model folder\n"
    "       nesa model add MODEL.gguf [--id ID]                     a GGUF language model\n"
    "       nesa model remove ID\n\n"
    "The catalogue of models on this computer: built-in ones, TF.js and ONNX models imported\n"
    "to TorchScript, your own TorchScript files, language-model folders and GGUF files, each\n"
    "with its manifest, content hash (SHA-256), size and licence. 'nesa analyze --model ID'\n"
    "runs one.\n\n"
    "Options:\n";

int failWith(const Error &error) {
  std::cerr << "nesa model: " << error.message << '\n';
  return cli::exitCodeFor(error);
}

std::string humanSize(std::uint64_t bytes) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(1);
  if (bytes >= (1u << 30))
    out << static_cast<double>(bytes) / (1u << 30) << " GiB";
  else if (bytes >= (1u << 20))
    out << static_cast<double>(bytes) / (1u << 20) << " MiB";
  else
    out << static_cast<double>(bytes) / 1024 << " KiB";
  return out.str();
}

void printList(const registry::ModelRegistry &models) {
  const auto all = models.list();
  if (all.empty()) {
    std::cout << "No models installed.\n";
    return;
  }
  // The task, the only column of no fixed width, comes last.
  std::cout << std::left << std::setw(28) << "ID" << std::setw(16) << "KIND" << std::setw(10)
            << "SOURCE" << std::setw(11) << "SIZE" << std::setw(14) << "SHA-256"
            << "TASK\n";
  for (const auto &m : all)
    std::cout << std::setw(28) << m.id << std::setw(16) << registry::kindName(m.kind)
              << std::setw(10) << registry::sourceName(m.source) << std::setw(11)
              << humanSize(m.bytes) << std::setw(14) << m.sha256.substr(0, 12) << m.task << '\n';
}

int printInfo(const registry::ModelRegistry &models, const std::string &id) {
  auto m = models.find(id);
  if (!m)
    return failWith(m.error());
  auto intact = models.verify(id);
  std::cout << "id:         " << m->id << "\nname:       " << m->name
            << "\nkind:       " << registry::kindName(m->kind)
            << "\nsource:     " << registry::sourceName(m->source) << "\ntask:       " << m->task
            << "\npath:       " << m->path.string() << "\nsize:       " << humanSize(m->bytes)
            << " (" << m->bytes << " bytes)\nsha-256:    " << m->sha256 << "\ncontent:    "
            << (!intact   ? "cannot be read: " + intact.error().message
                : *intact ? "intact"
                          : "CHANGED since it was installed")
            << "\nlicence:    " << m->licence << '\n';
  if (!m->added.empty())
    std::cout << "added:      " << m->added << '\n';
  if (m->manifest) {
    std::cout << "input:      " << m->manifest->input << " [";
    for (std::size_t i = 0; i < m->manifest->inputShape.size(); ++i)
      std::cout << (i ? ", " : "") << m->manifest->inputShape[i];
    std::cout << "]\n";
    if (!m->manifest->labels.empty()) {
      std::cout << "labels:     ";
      for (std::size_t i = 0; i < m->manifest->labels.size(); ++i)
        std::cout << (i ? ", " : "") << m->manifest->labels[i];
      std::cout << '\n';
    }
    std::cout << "provenance: " << m->manifest->provenance << '\n';
    if (!m->manifest->notice.empty())
      std::cout << "notice:     " << m->manifest->notice << '\n';
  }
  return intact && *intact ? cli::kExitOk : cli::kExitFailure;
}

// A model in a format the engine converts (TF.js, ONNX): converted to TorchScript in the
// registry's scratch folder by `convert`, then added. Without a manifest, one is written from
// what the model itself says.
Result<registry::RegisteredModel>
importConverted(registry::ModelRegistry &models, const fs::path &source, const std::string &format,
                const std::function<Result<std::vector<std::int64_t>>(const fs::path &)> &convert,
                fs::path manifest, std::string id) {
  const fs::path scratch = models.scratchFolder();
  std::error_code ec;
  fs::remove_all(scratch, ec);
  fs::create_directories(scratch, ec);
  const fs::path converted = scratch / "model.pt";
  auto shape = convert(converted);
  if (!shape)
    return shape.error();
  // The folder names a TF.js model (its file is always model.json); an ONNX file names itself.
  const std::string name =
      format == "TF.js" ? source.parent_path().filename().string() : source.stem().string();
  if (manifest.empty()) {
    auto hash = registry::contentHash(source);
    const nlohmann::json written = {
        {"name", name + " (imported from " + format + ")"},
        {"task", "classification"},
        {"input", shape->size() == 5   ? "volume"
                  : shape->size() == 4 ? "image"
                                       : "text"},
        {"inputShape", *shape},
        {"licence", "not stated: check the original package"},
        {"provenance", "imported by nesa model add from a " + format + " model (" +
                           source.filename().string() + " sha-256 " +
                           (hash ? *hash : std::string("unknown")) + ")"}};
    manifest = scratch / "manifest.json";
    std::ofstream(manifest) << written.dump(2) << '\n';
  }
  if (id.empty())
    id = name;
  auto added = models.addTorchScript(converted, manifest, id, registry::ModelSource::Imported);
  fs::remove_all(scratch, ec);
  return added;
}

Result<registry::RegisteredModel> importTfjs(registry::ModelRegistry &models, const fs::path &json,
                                             const fs::path &manifest, const std::string &id) {
  std::cerr << "Reading " << json.string() << " ...\n";
  auto tfjs = ingest::readTfjsModel(json);
  if (!tfjs)
    return tfjs.error();
  if (tfjs->graph)
    std::cerr << "Converting " << tfjs->nodes.size() << " graph nodes to TorchScript ...\n";
  else
    std::cerr << "Converting " << tfjs->layers.size() << " layers to TorchScript ...\n";
  return importConverted(
      models, json, "TF.js",
      [&](const fs::path &out) { return model::exportTfjsToTorchScript(*tfjs, out); }, manifest,
      id);
}

Result<registry::RegisteredModel> importOnnx(registry::ModelRegistry &models, const fs::path &file,
                                             const fs::path &manifest, const std::string &id) {
  std::cerr << "Reading " << file.string() << " ...\n";
  auto graph = ingest::readOnnxModel(file);
  if (!graph)
    return graph.error();
  std::cerr << "Converting " << graph->nodes.size() << " ONNX nodes (opset " << graph->opset
            << ") to TorchScript ...\n";
  return importConverted(
      models, file, "ONNX",
      [&](const fs::path &out) { return model::exportOnnxToTorchScript(*graph, out); }, manifest,
      id);
}

} // namespace

int main(int argc, char **argv) {
  auto args = cli::parseArguments(argc, argv, 1, kOptions);
  if (!args)
    return failWith(args.error());
  const auto &words = args->positional;
  if (args->has("help") || words.empty()) {
    (args->has("help") ? std::cout : std::cerr) << kUsage << cli::formatOptions(kOptions);
    return args->has("help") ? cli::kExitOk : cli::kExitUsage;
  }
  auto models =
      registry::ModelRegistry::open(registry::userModelsFolder(), registry::builtInModelFolders());
  if (!models)
    return failWith(models.error());
  const std::string &verb = words.front();
  if (verb == "list" && words.size() == 1) {
    printList(*models);
    return cli::kExitOk;
  }
  if (verb == "info" && words.size() == 2)
    return printInfo(*models, words[1]);
  if (verb == "remove" && words.size() == 2) {
    if (auto removed = models->remove(words[1]); !removed)
      return failWith(removed.error());
    std::cout << "Removed " << words[1] << ".\n";
    return cli::kExitOk;
  }
  if (verb == "add" && words.size() == 2) {
    const fs::path source = words[1];
    Result<registry::RegisteredModel> added = fail(ErrorCode::Internal, "unreachable");
    std::error_code ec;
    if (fs::is_directory(source, ec))
      added = models->addLanguageModel(source, args->value("id"));
    else if (source.extension() == ".json")
      added = importTfjs(*models, source, args->value("manifest"), args->value("id"));
    else if (source.extension() == ".onnx")
      added = importOnnx(*models, source, args->value("manifest"), args->value("id"));
    else if (source.extension() == ".gguf")
      added = models->addGguf(source, args->value("id"));
    else if (source.extension() == ".pt")
      added = models->addTorchScript(source, args->value("manifest"), args->value("id"));
    else
      added = fail(ErrorCode::InvalidInput,
                   source.string() + ": give a TorchScript .pt file, an ONNX file, a TF.js "
                                     "model.json, a GGUF file or a language-model folder");
    if (!added)
      return failWith(added.error());
    std::cout << "Added " << added->id << " (" << added->name << ", " << humanSize(added->bytes)
              << ", sha-256 " << added->sha256.substr(0, 12) << ").\n";
    return cli::kExitOk;
  }
  std::cerr << kUsage << cli::formatOptions(kOptions);
  return cli::kExitUsage;
}
