// Small ONNX models written with the schema's protobuf classes, for tests that need an .onnx
// file of a known shape (the backend suite's cases all have fixed shapes of their own).
#pragma once

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace nesa::testing {

/// Adds a float initializer of `shape` filled from `seed` (uniform in [-0.5, 0.5)).
inline void addWeights(onnx::GraphProto &graph, const std::string &name,
                       const std::vector<std::int64_t> &shape, unsigned seed) {
  auto *t = graph.add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::FLOAT);
  std::int64_t n = 1;
  for (const auto d : shape) {
    t->add_dims(d);
    n *= d;
  }
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> uniform(-0.5f, 0.5f);
  for (std::int64_t i = 0; i < n; ++i)
    t->add_float_data(uniform(rng));
}

/// Adds a node `op` reading `inputs` and writing `output`; returns it for attributes.
inline onnx::NodeProto *addNode(onnx::GraphProto &graph, const std::string &op,
                                const std::vector<std::string> &inputs, const std::string &output) {
  auto *node = graph.add_node();
  node->set_op_type(op);
  for (const auto &input : inputs)
    node->add_input(input);
  node->add_output(output);
  return node;
}

/// Sets an integer-list attribute.
inline void setInts(onnx::NodeProto *node, const std::string &name,
                    const std::vector<std::int64_t> &values) {
  auto *a = node->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (const auto v : values)
    a->add_ints(v);
}

/// A volume classifier over [1, 1, 8, 8, 8]: Conv 3×3×3 (1→4 channels, padded) → Relu →
/// GlobalAveragePool → Flatten → Gemm (4→2) → Softmax. Serialized ModelProto.
inline std::string volumeClassifierOnnx() {
  onnx::ModelProto model;
  model.set_ir_version(8);
  model.set_producer_name("nesa tests");
  model.add_opset_import()->set_version(13);
  auto &graph = *model.mutable_graph();
  graph.set_name("volume-classifier");
  auto *input = graph.add_input();
  input->set_name("scan");
  auto *type = input->mutable_type()->mutable_tensor_type();
  type->set_elem_type(onnx::TensorProto::FLOAT);
  for (const std::int64_t d : {1, 1, 8, 8, 8})
    type->mutable_shape()->add_dim()->set_dim_value(d);
  addWeights(graph, "conv.w", {4, 1, 3, 3, 3}, 1);
  addWeights(graph, "conv.b", {4}, 2);
  addWeights(graph, "fc.w", {2, 4}, 3);
  addWeights(graph, "fc.b", {2}, 4);
  setInts(addNode(graph, "Conv", {"scan", "conv.w", "conv.b"}, "c"), "pads", {1, 1, 1, 1, 1, 1});
  addNode(graph, "Relu", {"c"}, "r");
  addNode(graph, "GlobalAveragePool", {"r"}, "g");
  addNode(graph, "Flatten", {"g"}, "f");
  auto *gemm = addNode(graph, "Gemm", {"f", "fc.w", "fc.b"}, "logits");
  auto *transB = gemm->add_attribute();
  transB->set_name("transB");
  transB->set_type(onnx::AttributeProto::INT);
  transB->set_i(1);
  addNode(graph, "Softmax", {"logits"}, "probabilities");
  graph.add_output()->set_name("probabilities");
  return model.SerializeAsString();
}

} // namespace nesa::testing
