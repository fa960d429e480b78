// ONNX import (core/ingest/onnx_model, core/model/onnx_export): ONNX's own backend test cases
// (Debian's libonnx-testdata) run at `local` and `hss` and compared with their expected
// outputs; hand-made graphs; hostile files.
#include "ingest/onnx_model.h"
#include "model/compiled_model.h"
#include "model/npy.h"
#include "model/onnx_export.h"
#include "onnx_builder.h"
#include "privacy/engine.h"
#include "test_miners.h"

#include <onnx/onnx_pb.h>
#include <torch/script.h>

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>

namespace fs = std::filesystem;
using namespace nesa;

namespace {

// ONNX's backend runner compares with these unless a case says otherwise.
constexpr double kRelative = 1e-3, kAbsolute = 1e-7;

struct Outcome {
  bool ok = false;
  std::string why;
};

std::vector<float> floatsOf(const ingest::OnnxTensor &t) {
  std::vector<float> out;
  for (std::int64_t i = 0; i < t.numel(); ++i)
    out.push_back(static_cast<float>(t.at(static_cast<std::size_t>(i))));
  return out;
}

Outcome compare(const ingest::OnnxTensor &expected, const std::vector<std::int64_t> &shape,
                const std::vector<float> &got) {
  if (shape != expected.shape) {
    std::string a, b;
    for (auto d : shape)
      a += std::to_string(d) + " ";
    for (auto d : expected.shape)
      b += std::to_string(d) + " ";
    return {false, "shape [" + a + "] where [" + b + "] was expected"};
  }
  const auto want = floatsOf(expected);
  for (std::size_t i = 0; i < want.size(); ++i) {
    const double w = want[i], g = got.at(i);
    if (std::isnan(w) && std::isnan(g))
      continue;
    if (std::isinf(w) && w == g)
      continue;
    if (!(std::abs(g - w) <= kAbsolute + kRelative * std::abs(w)))
      return {false, "element " + std::to_string(i) + " is " + std::to_string(g) + ", not " +
                         std::to_string(w)};
  }
  return {true, {}};
}

// ONNX's test data holds bfloat16 tensors as their uint16 bit patterns (numpy has no bfloat16).
void widenBfloat16(ingest::OnnxTensor &t, int declaredType) {
  if (declaredType != int(ingest::OnnxType::BFloat16) || t.type != ingest::OnnxType::UInt16)
    return;
  t.type = ingest::OnnxType::BFloat16;
  for (const std::int64_t bits : t.integers) {
    const std::uint32_t wide = static_cast<std::uint32_t>(bits) << 16;
    float f;
    std::memcpy(&f, &wide, sizeof f);
    t.reals.push_back(f);
  }
  t.integers.clear();
}

// One backend case made runnable: the first float input stays the input; every other input
// becomes a constant of the graph, as a model's weights are.
struct Case {
  std::string name;
  ingest::OnnxGraph graph;
  ingest::OnnxTensor input, expected;
};

std::variant<Case, std::string> loadCase(const fs::path &folder) {
  Case c;
  c.name = folder.parent_path().filename().string() + "/" + folder.filename().string();
  auto graph = ingest::readOnnxModel(folder / "model.onnx");
  if (!graph)
    return "unreadable: " + graph.error().message;
  const fs::path data = folder / "test_data_set_0";
  if (graph->outputs.size() != 1)
    return std::string("more than one output");
  bool haveInput = false;
  std::vector<ingest::OnnxValue> inputs = graph->inputs;
  graph->inputs.clear();
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    auto t = ingest::readOnnxTensor(data / ("input_" + std::to_string(i) + ".pb"));
    if (!t)
      return "input " + std::to_string(i) + " unreadable: " + t.error().message;
    widenBfloat16(*t, inputs[i].type);
    if (!haveInput && t->type == ingest::OnnxType::Float) {
      haveInput = true;
      c.input = *t;
      inputs[i].shape = t->shape;
      inputs[i].hasShape = true;
      graph->inputs.push_back(inputs[i]);
    } else {
      graph->initializers[inputs[i].name] = std::move(*t);
    }
  }
  if (!haveInput)
    return std::string("no float input");
  auto expected = ingest::readOnnxTensor(data / "output_0.pb");
  if (!expected)
    return "expected output unreadable: " + expected.error().message;
  widenBfloat16(*expected, graph->outputs.front().type);
  c.expected = std::move(*expected);
  c.graph = std::move(*graph);
  return c;
}

std::vector<fs::path> backendCases() {
  std::vector<fs::path> out;
  for (const char *suite : {"node", "pytorch-converted", "pytorch-operator", "simple"}) {
    const fs::path root = fs::path(NESA_ONNX_TEST_DATA) / suite;
    std::error_code ec;
    for (const auto &entry : fs::directory_iterator(root, ec))
      if (fs::exists(entry.path() / "model.onnx") && fs::exists(entry.path() / "test_data_set_0"))
        out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

Outcome runLocal(const fs::path &program, const Case &c) {
  try {
    auto module = torch::jit::load(program.string());
    module.eval();
    auto input =
        torch::from_blob(const_cast<float *>(c.input.reals.data()), c.input.shape, torch::kFloat32)
            .clone();
    const at::Tensor out = module.forward({input}).toTensor().contiguous();
    const std::vector<float> got(out.data_ptr<float>(), out.data_ptr<float>() + out.numel());
    return compare(c.expected, out.sizes().vec(), got);
  } catch (const c10::Error &e) {
    return {false, e.what_without_backtrace()};
  }
}

Outcome runHss(const model::CompiledModel &compiled, const Case &c) {
  privacy::Engine engine(testing::honestPool(2));
  privacy::RunOptions options;
  options.level = privacy::PrivacyLevel::Hss;
  auto run =
      engine.run(compiled, model::TensorData::fromFloats(c.input.shape, c.input.reals), options);
  if (!run)
    return {false, run.error().message};
  return compare(c.expected, run->output.shape, run->output.toFloats());
}

// A ModelProto of one node over float inputs, for the hand-made cases.
onnx::ModelProto oneNode(const std::string &op, int opset = 13) {
  onnx::ModelProto model;
  model.set_ir_version(7);
  model.add_opset_import()->set_version(opset);
  auto *graph = model.mutable_graph();
  auto *node = graph->add_node();
  node->set_op_type(op);
  node->add_input("x");
  node->add_output("y");
  for (const char *name : {"x"}) {
    auto *input = graph->add_input();
    input->set_name(name);
    auto *type = input->mutable_type()->mutable_tensor_type();
    type->set_elem_type(onnx::TensorProto::FLOAT);
    type->mutable_shape()->add_dim()->set_dim_value(2);
  }
  graph->add_output()->set_name("y");
  return model;
}

} // namespace

class TestOnnx : public QObject {
  Q_OBJECT
  QTemporaryDir m_exports;

private Q_SLOTS:
  // PyTorch's own exporter writes the models of tests/onnx/export_models.py with PyTorch's
  // outputs beside them (Debian's python3-torch, which scripts/install-deps.sh installs).
  void initTestCase() {
    QProcess python;
    python.start(QStringLiteral("/usr/bin/python3"),
                 {QStringLiteral(NESA_ONNX_EXPORT_SCRIPT), m_exports.path()});
    QVERIFY(python.waitForFinished(300000));
    QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
  }

  void pytorchExportsMatchPyTorch_data() {
    QTest::addColumn<QString>("name");
    for (const char *name : {"residual-cnn", "depthwise-net", "unet3d", "transformer-encoder"})
      QTest::newRow(name) << QString::fromLatin1(name);
  }

  // Each exported model gives PyTorch's output within 1e-4 of its largest value, at local and
  // at hss.
  void pytorchExportsMatchPyTorch() {
    QFETCH(QString, name);
    const fs::path folder = m_exports.path().toStdString();
    const std::string stem = name.toStdString();
    auto input = model::readNpy(folder / (stem + "-input.npy"));
    auto expected = model::readNpy(folder / (stem + "-output.npy"));
    QVERIFY(input && expected);
    auto compiled = model::compileModel(folder / (stem + ".onnx"));
    QVERIFY2(compiled, compiled ? "" : compiled.error().message.c_str());
    const auto want = expected->toFloats();
    double largest = 0;
    for (const float v : want)
      largest = std::max(largest, std::abs(static_cast<double>(v)));
    privacy::Engine engine(testing::honestPool(2));
    for (const auto level : {privacy::PrivacyLevel::Local, privacy::PrivacyLevel::Hss}) {
      privacy::RunOptions options;
      options.level = level;
      auto run = engine.run(*compiled, *input, options);
      QVERIFY2(run, run ? "" : run.error().message.c_str());
      QCOMPARE(run->output.shape, expected->shape);
      const auto got = run->output.toFloats();
      double worst = 0;
      for (std::size_t i = 0; i < got.size(); ++i)
        worst = std::max(worst, std::abs(static_cast<double>(got[i]) - want[i]));
      qInfo("%-20s %-5s %d remote ops, largest difference from PyTorch %.2e (relative %.2e)",
            stem.c_str(), privacy::privacyLevelName(level), compiled->report().remoteOps, worst,
            worst / largest);
      QVERIFY(worst <= 1e-4 * largest);
    }
  }

  // Every backend case whose operators we claim runs at local; those with a constant-weight
  // linear op also run at hss. Prints the counts and every refusal's operator.
  void backendSuite() {
    auto cases = backendCases();
    QVERIFY2(cases.size() > 900, "libonnx-testdata is not installed");
#ifdef __SANITIZE_ADDRESS__
    // Under AddressSanitizer all of them take five minutes: there every fourth case runs, and
    // the default pass runs them all.
    std::vector<fs::path> everyFourth;
    for (std::size_t i = 0; i < cases.size(); i += 4)
      everyFourth.push_back(cases[i]);
    qInfo("AddressSanitizer build: running %zu of the %zu cases", everyFourth.size(), cases.size());
    cases = std::move(everyFourth);
#endif
    QTemporaryDir dir;
    int run = 0, passed = 0, hssRun = 0, hssPassed = 0, noLinear = 0;
    std::map<std::string, int> refusedByOperator, refusedOtherwise;
    std::vector<std::string> failures, hssFailures;
    for (const auto &folder : cases) {
      auto loaded = loadCase(folder);
      if (auto *why = std::get_if<std::string>(&loaded)) {
        ++refusedOtherwise[why->substr(0, why->find(':'))];
        continue;
      }
      auto &c = std::get<Case>(loaded);
      if (const auto missing = model::unsupportedOnnxOperators(c.graph); !missing.empty()) {
        for (const auto &op : missing)
          ++refusedByOperator[op];
        continue;
      }
      ++run;
      const fs::path program = fs::path(dir.path().toStdString()) / "case.pt";
      auto exported = model::exportOnnxToTorchScript(c.graph, program);
      Outcome local = exported ? runLocal(program, c) : Outcome{false, exported.error().message};
      if (!local.ok) {
        failures.push_back(c.name + ": " + local.why);
        continue;
      }
      ++passed;
      auto compiled = model::compileModel(program);
      if (!compiled) {
        ++noLinear;
        continue;
      }
      ++hssRun;
      const Outcome hss = runHss(*compiled, c);
      if (hss.ok)
        ++hssPassed;
      else
        hssFailures.push_back(c.name + ": " + hss.why);
    }
    for (const auto &f : failures)
      qInfo("local FAIL %s", f.c_str());
    for (const auto &f : hssFailures)
      qInfo("hss FAIL %s", f.c_str());
    std::string refused;
    for (const auto &[op, n] : refusedByOperator)
      refused += " " + op + "(" + std::to_string(n) + ")";
    qInfo("refused by operator:%s", refused.c_str());
    for (const auto &[why, n] : refusedOtherwise)
      qInfo("refused, %s: %d", why.c_str(), n);
    qInfo("ONNX backend cases: %zu found, %d run, %d passed at local (%.1f%%); %d with linear "
          "ops run at hss, %d passed; %d have no linear op to offload",
          cases.size(), run, passed, 100.0 * passed / std::max(run, 1), hssRun, hssPassed,
          noLinear);
    QVERIFY(run > 0);
    QVERIFY2(passed >= 0.95 * run, "fewer than 95% of the claimed cases pass at local");
    QCOMPARE(hssPassed, hssRun);
  }

  // An .onnx file goes through compileModel() like a TorchScript file and gives the same
  // answer at every privacy level.
  void onnxFileRunsAtEveryLevel() {
    QTemporaryDir dir;
    const fs::path file = dir.filePath(QStringLiteral("volume.onnx")).toStdString();
    {
      std::ofstream out(file, std::ios::binary);
      out << testing::volumeClassifierOnnx();
    }
    auto compiled = model::compileModel(file);
    QVERIFY2(compiled, compiled ? "" : compiled.error().message.c_str());
    QCOMPARE(compiled->report().remoteOps, 2); // the Conv and the Gemm
    std::vector<float> scan(8 * 8 * 8);
    for (std::size_t i = 0; i < scan.size(); ++i)
      scan[i] = std::sin(0.37f * static_cast<float>(i));
    const auto input = model::TensorData::fromFloats({1, 1, 8, 8, 8}, scan);
    privacy::Engine engine(testing::honestPool(2));
    std::vector<float> local;
    for (const auto level : {privacy::PrivacyLevel::Local, privacy::PrivacyLevel::Ee,
                             privacy::PrivacyLevel::Hss, privacy::PrivacyLevel::HssEe}) {
      privacy::RunOptions options;
      options.level = level;
      auto run = engine.run(*compiled, input, options);
      QVERIFY2(run, run ? "" : run.error().message.c_str());
      const auto out = run->output.toFloats();
      QCOMPARE(out.size(), std::size_t{2});
      if (local.empty())
        local = out;
      for (std::size_t i = 0; i < out.size(); ++i)
        QVERIFY2(std::abs(out[i] - local[i]) <= 1e-4 * std::abs(local[i]),
                 privacy::privacyLevelName(level));
    }
    QVERIFY(std::abs(local[0] + local[1] - 1.0f) < 1e-5); // the softmax ran
  }

  void truncatedFileIsRefused() {
    auto model = oneNode("Relu");
    std::string bytes = model.SerializeAsString();
    bytes.resize(bytes.size() / 2);
    auto graph = ingest::parseOnnxModel(bytes);
    QVERIFY(!graph);
    QVERIFY2(graph.error().message.find("not an ONNX model") != std::string::npos,
             graph.error().message.c_str());
  }

  void cycleIsRefused() {
    auto model = oneNode("Add");
    auto *node = model.mutable_graph()->mutable_node(0);
    node->add_input("y"); // reads its own output
    auto graph = ingest::parseOnnxModel(model.SerializeAsString());
    QVERIFY(!graph);
    QVERIFY2(graph.error().message.find("out of order or has a cycle") != std::string::npos,
             graph.error().message.c_str());
  }

  void unknownOperatorIsNamed() {
    auto graph = ingest::parseOnnxModel(oneNode("NonMaxSuppression").SerializeAsString());
    QVERIFY(graph);
    QTemporaryDir dir;
    auto exported = model::exportOnnxToTorchScript(*graph, dir.filePath("m.pt").toStdString());
    QVERIFY(!exported);
    QVERIFY2(exported.error().message.find("NonMaxSuppression") != std::string::npos,
             exported.error().message.c_str());
  }

  void otherDomainsAndOpsetsAreRefused() {
    auto model = oneNode("Relu");
    model.mutable_graph()->mutable_node(0)->set_domain("com.microsoft");
    auto graph = ingest::parseOnnxModel(model.SerializeAsString());
    QVERIFY(!graph);
    QVERIFY(graph.error().message.find("com.microsoft") != std::string::npos);
    auto future = ingest::parseOnnxModel(oneNode("Relu", 19).SerializeAsString());
    QVERIFY(!future);
    QVERIFY(future.error().message.find("opset 19") != std::string::npos);
  }

  void absurdAndShortTensorsAreRefused() {
    auto model = oneNode("Add");
    auto *w = model.mutable_graph()->add_initializer();
    w->set_name("w");
    w->set_data_type(onnx::TensorProto::FLOAT);
    w->add_dims(std::int64_t{1} << 40);
    w->add_dims(std::int64_t{1} << 40);
    model.mutable_graph()->mutable_node(0)->add_input("w");
    auto absurd = ingest::parseOnnxModel(model.SerializeAsString());
    QVERIFY(!absurd);
    QVERIFY2(absurd.error().message.find("absurd shape") != std::string::npos,
             absurd.error().message.c_str());
    w->clear_dims();
    w->add_dims(4);
    w->set_raw_data(std::string(8, '\0')); // 2 floats for 4
    auto shortData = ingest::parseOnnxModel(model.SerializeAsString());
    QVERIFY(!shortData);
    QVERIFY2(shortData.error().message.find("8 bytes of data where its shape needs 16") !=
                 std::string::npos,
             shortData.error().message.c_str());
    w->clear_raw_data();
    w->set_data_location(onnx::TensorProto::EXTERNAL);
    auto external = ingest::parseOnnxModel(model.SerializeAsString());
    QVERIFY(!external);
    QVERIFY(external.error().message.find("external data") != std::string::npos);
  }

  // Graphs the reader accepts but the converter must refuse, each with its own message, and
  // never a crash.
  void hostileGraphsGetClearErrors() {
    struct Hostile {
      const char *what;
      std::function<void(onnx::ModelProto &)> change;
      const char *message;
    };
    const std::vector<Hostile> cases = {
        {"an output the operator does not produce",
         [](onnx::ModelProto &m) {
           auto *relu = m.mutable_graph()->mutable_node(0);
           relu->add_output("extra");
           m.mutable_graph()->mutable_output(0)->set_name("extra");
         },
         "its output 1 is not supported"},
        {"a Constant whose value is an integer, not a tensor",
         [](onnx::ModelProto &m) {
           auto *c = m.mutable_graph()->add_node();
           c->set_op_type("Constant");
           c->add_output("k");
           auto *a = c->add_attribute();
           a->set_name("value");
           a->set_type(onnx::AttributeProto::INT);
           a->set_i(3);
         },
         "its attribute value has the wrong kind"},
        {"a Gemm with one input",
         [](onnx::ModelProto &m) { m.mutable_graph()->mutable_node(0)->set_op_type("Gemm"); },
         "its input 1 is missing"},
        {"a node without outputs",
         [](onnx::ModelProto &m) {
           auto *n = m.mutable_graph()->add_node();
           n->set_op_type("Relu");
           n->add_input("x");
         },
         "it has no output"},
        {"a Flatten without inputs",
         [](onnx::ModelProto &m) {
           auto *n = m.mutable_graph()->mutable_node(0);
           n->set_op_type("Flatten");
           n->clear_input();
         },
         "its input 0 is missing"},
        {"an axis given as a float",
         [](onnx::ModelProto &m) {
           auto *n = m.mutable_graph()->mutable_node(0);
           n->set_op_type("Softmax");
           auto *a = n->add_attribute();
           a->set_name("axis");
           a->set_type(onnx::AttributeProto::FLOAT);
           a->set_f(1.5f);
         },
         "its attribute axis has the wrong kind"},
        {"a symbolic width",
         [](onnx::ModelProto &m) {
           auto *shape = m.mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type();
           shape->mutable_shape()->add_dim()->set_dim_param("width");
         },
         "symbolic dimension at position 1"},
        {"an input of 2^40 values",
         [](onnx::ModelProto &m) {
           auto *shape = m.mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type();
           shape->mutable_shape()->add_dim()->set_dim_value(std::int64_t{1} << 20);
           shape->mutable_shape()->add_dim()->set_dim_value(std::int64_t{1} << 20);
         },
         "more than 2^28 values"},
    };
    QTemporaryDir dir;
    for (const auto &hostile : cases) {
      auto model = oneNode("Relu");
      hostile.change(model);
      auto graph = ingest::parseOnnxModel(model.SerializeAsString());
      QVERIFY2(graph, hostile.what);
      auto exported = model::exportOnnxToTorchScript(*graph, dir.filePath("m.pt").toStdString());
      QVERIFY2(!exported, hostile.what);
      QVERIFY2(exported.error().message.find(hostile.message) != std::string::npos,
               (std::string(hostile.what) + ": " + exported.error().message).c_str());
    }
  }

  void secondInputIsRefused() {
    auto model = oneNode("Add");
    model.mutable_graph()->mutable_node(0)->add_input("z");
    auto *z = model.mutable_graph()->add_input();
    z->set_name("z");
    auto graph = ingest::parseOnnxModel(model.SerializeAsString());
    QVERIFY(graph);
    QTemporaryDir dir;
    auto exported = model::exportOnnxToTorchScript(*graph, dir.filePath("m.pt").toStdString());
    QVERIFY(!exported);
    QVERIFY2(exported.error().message.find("2 run-time inputs") != std::string::npos,
             exported.error().message.c_str());
  }
};

QTEST_GUILESS_MAIN(TestOnnx)
#include "tst_onnx.moc"
