// ee: what equivariant encryption costs. ee and hss-ee latency against the local run of the
// same model and input (CNN and tiny language models), greedy generation at hss-ee against
// local generation, and keyed-model derivation for a GPT-2-small-sized model (124M parameters)
// against one plain copy of its weights.
#include "harness.h"
#include "llm/internal/keyed_transformer.h"
#include "llm/language_model.h"
#include "model/compiled_model.h"
#include "privacy/engine.h"
#include "privacy/local_miner.h"
#include "reference_models.h"
#include "suites/or_die.h"
#include "suites/suites.h"
#include "tiny_language_models.h"

#include <ATen/ATen.h>

#include <cstdlib>
#include <iostream>

namespace nesa::bench {
namespace {

using namespace nesa::privacy;
namespace fs = std::filesystem;

// This suite's fixtures: exit with a message when their setup fails.
template <typename T> T orDie(Result<T> result, const char *what) {
  return bench::orDie(std::move(result), "ee", what);
}

std::shared_ptr<Engine> twoMiners() {
  return std::make_shared<Engine>(std::vector<std::shared_ptr<MinerEndpoint>>{
      std::make_shared<LocalMiner>("a"), std::make_shared<LocalMiner>("b")});
}

std::shared_ptr<const EeKey> key() {
  return std::make_shared<const EeKey>(orDie(EeKey::generate(), "key"));
}

struct CnnFixture {
  model::CompiledModel compiled;
  model::TensorData input;
  std::shared_ptr<Engine> engine = twoMiners();
  std::shared_ptr<const EeKey> key = bench::key();
};

double runCnn(const CnnFixture &f, PrivacyLevel level) {
  RunOptions options;
  options.level = level;
  options.arithmetic = defaultArithmetic(level); // what `nesa analyze` runs
  options.key = f.key;
  return timeMs([&] { orDie(f.engine->run(f.compiled, f.input, options), "cnn run"); });
}

struct LmFixture {
  std::shared_ptr<llm::LanguageModel> model;
  std::vector<std::int64_t> prompt;
  std::shared_ptr<Engine> engine = twoMiners();
  std::shared_ptr<const EeKey> key = bench::key();
};

llm::RunSetup setupFor(const LmFixture &f, PrivacyLevel level) {
  llm::RunSetup setup{f.engine.get(), {}};
  setup.options.level = level; // float64 calls, as nesa analyze runs language models
  setup.options.key = f.key;
  return setup;
}

double lmLogits(const LmFixture &f, PrivacyLevel level) {
  const auto setup = setupFor(f, level);
  return timeMs([&] { orDie(f.model->logits(f.prompt, setup), "logits"); });
}

double lmGenerate(const LmFixture &f, PrivacyLevel level) {
  const auto setup = setupFor(f, level);
  llm::GenerationOptions options;
  options.maxNewTokens = 16;
  options.stopAtEos = false;
  return timeMs([&] { orDie(f.model->generate(f.prompt, options, setup), "generate"); });
}

// GPT-2 small's shapes (124M parameters) with random weights, built in memory.
std::shared_ptr<llm::TransformerWeights> gpt2Small() {
  llm::ModelConfig c;
  c.family = llm::Family::Gpt2;
  c.vocabSize = 50257;
  c.hidden = 768;
  c.layers = 12;
  c.heads = 12;
  c.kvHeads = 12;
  c.intermediate = 3072;
  c.maxPositions = 1024;
  at::manual_seed(11);
  return std::make_shared<llm::TransformerWeights>(
      orDie(llm::buildWeights(c, testing::randomGpt2Tensors(c)), "gpt2 small"));
}

std::vector<Comparison> makeComparisons() {
  const fs::path dir = fs::temp_directory_path() / ("nesa-bench-ee-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const auto reference = testing::writeCnn(dir / "cnn.pt", 32, 64);
  at::manual_seed(3);
  auto x = at::randn(reference.inputShape);
  model::TensorData input{model::DType::F32, reference.inputShape, {}};
  input.bytes.assign(static_cast<const std::uint8_t *>(x.data_ptr()),
                     static_cast<const std::uint8_t *>(x.data_ptr()) + x.nbytes());
  auto cnn = std::make_shared<CnnFixture>(
      CnnFixture{orDie(model::compileModel(reference.file), "compile"), std::move(input)});
  std::map<std::string, std::shared_ptr<LmFixture>> lms;
  for (const char *name : {"gpt2", "llama"}) {
    if (std::string(name) == "gpt2")
      testing::writeTinyGpt2(dir / name);
    else
      testing::writeTinyLlama(dir / name);
    auto f = std::make_shared<LmFixture>();
    f->model =
        std::make_shared<llm::LanguageModel>(orDie(llm::LanguageModel::load(dir / name), "load"));
    f->prompt = orDie(f->model->tokenizer().encode("the cat and the hat sat on the mat"), "encode");
    lms[name] = f;
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  auto small = gpt2Small();
  auto derivationKey = key();

  std::vector<Comparison> out = {
      {"cnn_ee_vs_local", "ms", [cnn] { return runCnn(*cnn, PrivacyLevel::Local); },
       [cnn] { return runCnn(*cnn, PrivacyLevel::Ee); }},
      {"cnn_hss_ee_vs_local", "ms", [cnn] { return runCnn(*cnn, PrivacyLevel::Local); },
       [cnn] { return runCnn(*cnn, PrivacyLevel::HssEe); }},
      {"cnn_hss_ee_vs_hss", "ms", [cnn] { return runCnn(*cnn, PrivacyLevel::Hss); },
       [cnn] { return runCnn(*cnn, PrivacyLevel::HssEe); }},
  };
  for (const auto &[name, f] : lms) {
    out.push_back({name + "_tiny_ee_logits_vs_local", "ms",
                   [f] { return lmLogits(*f, PrivacyLevel::Local); },
                   [f] { return lmLogits(*f, PrivacyLevel::Ee); }});
    out.push_back({name + "_tiny_hss_ee_16_tokens_vs_local", "ms",
                   [f] { return lmGenerate(*f, PrivacyLevel::Local); },
                   [f] { return lmGenerate(*f, PrivacyLevel::HssEe); }});
  }
  out.push_back({"gpt2_124m_keying_vs_weight_copy", "ms",
                 [small] {
                   return timeMs([&] {
                     for (const auto &w : small->opWeight)
                       (void)w.clone();
                     (void)small->embed.clone();
                   });
                 },
                 [small, derivationKey] {
                   return timeMs([&] { (void)llm::keyWeights(*small, *derivationKey); });
                 }});
  return out;
}

} // namespace

void registerEeSuite() {
  registerSuite({"ee",
                 "ee and hss-ee vs local (CNN, tiny GPT-2/Llama), hss-ee generation vs local, "
                 "keyed-model derivation (124M parameters) vs one weight copy",
                 makeComparisons});
}

} // namespace nesa::bench
