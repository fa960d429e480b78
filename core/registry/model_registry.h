// The catalogue of models on this computer: the built-in ones shipped with the app, TF.js models
// imported to TorchScript, the user's own TorchScript files (with a manifest) and language-model
// folders. Each entry has a content hash (SHA-256), a size and a licence; added models are
// copied into the registry's folder so later changes to the originals do not matter.
#pragma once

#include "ingest/model_manifest.h"
#include "util/result.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace nesa::registry {

/// What a model is run with.
enum class ModelKind { TorchScript, LanguageModel };

/// Where a model came from.
enum class ModelSource { BuiltIn, Imported, User };

/// "torchscript" / "language-model", "built-in" / "imported" / "user".
const char *kindName(ModelKind kind);
const char *sourceName(ModelSource source);

/// One catalogue entry.
struct RegisteredModel {
  std::string id; ///< short, unique: "brain-extraction"
  ModelKind kind = ModelKind::TorchScript;
  ModelSource source = ModelSource::User;
  std::filesystem::path path;                    ///< the .pt file or the language-model folder
  std::optional<ingest::ModelManifest> manifest; ///< TorchScript models
  std::string name, task, licence;
  std::string sha256;      ///< of the file, or of the folder's files (names and contents)
  std::uint64_t bytes = 0; ///< on disk
  std::string added;       ///< UTC date and time it was added ("" for built-ins)
};

/// The registry: user models under `folder` (catalogue.json plus one sub-folder per model),
/// built-in models read from `builtInFolders` (every NAME.pt with its NAME.json manifest).
class ModelRegistry {
public:
  /// Opens (creating `folder` when missing) and reads the catalogue; a damaged catalogue is
  /// an error that names the file rather than an empty registry.
  static Result<ModelRegistry> open(const std::filesystem::path &folder,
                                    std::vector<std::filesystem::path> builtInFolders);

  /// Built-in models first, then the added ones in the order they were added.
  std::vector<RegisteredModel> list() const;
  /// The model with `id`; NotFound names the id.
  Result<RegisteredModel> find(const std::string &id) const;

  /// Copies a TorchScript file and its manifest into the registry. `id` defaults to the file's
  /// stem; `source` says whether it was imported or the user's own.
  Result<RegisteredModel> addTorchScript(const std::filesystem::path &file,
                                         const std::filesystem::path &manifestFile, std::string id,
                                         ModelSource source = ModelSource::User);
  /// Copies a language-model folder (config.json, tokenizer.json, *.safetensors and any
  /// licence or README file) into the registry. `id` defaults to the folder's name.
  Result<RegisteredModel> addLanguageModel(const std::filesystem::path &folder, std::string id);
  /// Copies a GGUF language model (its header is read first and its architecture must be
  /// llama or gpt2) into the registry as a folder holding model.gguf. `id` defaults to the
  /// file's stem.
  Result<RegisteredModel> addGguf(const std::filesystem::path &file, std::string id);
  /// Deletes an added model and its files; built-in models cannot be removed.
  Result<void> remove(const std::string &id);
  /// Hashes the model's files again: true when they still match the catalogue.
  Result<bool> verify(const std::string &id) const;

  /// A folder for an import's intermediate files, inside the registry's folder.
  std::filesystem::path scratchFolder() const { return m_folder / ".import"; }

private:
  std::filesystem::path m_folder;
  std::vector<RegisteredModel> m_builtIn, m_added;

  Result<void> save() const;
  /// Copies a new model's files (through `copyInto`, into a staging folder renamed to the
  /// model's folder), hashes them and records the entry; undoes everything on any failure.
  Result<RegisteredModel>
  install(RegisteredModel model,
          const std::function<void(const std::filesystem::path &, std::error_code &)> &copyInto);
  Result<void> checkNewId(const std::string &id) const;
};

/// SHA-256 of a file, or of a folder (every regular file's relative name and contents, in
/// name order), as lowercase hex.
Result<std::string> contentHash(const std::filesystem::path &path);

} // namespace nesa::registry
