// nesa-train-brain: trains the built-in brain models on the Colin27 T1 scan of Debian's
// mricron-data and exports them as TorchScript. Reproducible from --seed on the same thread
// count. See docs/models.md for the model card and the figures.
//   nesa-train-brain --task brain|lesions --manifest M.json --out MODEL.pt [--steps N]
//                    [--seed S] [--threads T] [--templates DIR]
#include "brain_data.h"
#include "brain_unet.h"

#include "ingest/model_manifest.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

using namespace nesa;

namespace {

struct Options {
  std::string task = "brain";
  std::string manifest, out;
  std::filesystem::path templates = models::kMricronTemplates;
  int steps = 1500, threads = 2, batch = 8;
  std::uint64_t seed = 27;
};

void usage() {
  std::puts("usage: nesa-train-brain --task brain|lesions --manifest M.json --out MODEL.pt\n"
            "                        [--steps N] [--seed S] [--threads T] [--templates DIR]\n"
            "Trains a built-in brain model on Colin27 (mricron-data) and exports TorchScript.");
}

bool parse(int argc, char **argv, Options &o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h")
      return false;
    if (i + 1 >= argc) {
      std::fprintf(stderr, "nesa-train-brain: %s needs a value\n", a.c_str());
      return false;
    }
    const std::string v = argv[++i];
    if (a == "--task")
      o.task = v;
    else if (a == "--manifest")
      o.manifest = v;
    else if (a == "--out")
      o.out = v;
    else if (a == "--templates")
      o.templates = v;
    else if (a == "--steps")
      o.steps = std::stoi(v);
    else if (a == "--seed")
      o.seed = std::stoull(v);
    else if (a == "--threads")
      o.threads = std::stoi(v);
    else {
      std::fprintf(stderr, "nesa-train-brain: unknown option %s\n", a.c_str());
      return false;
    }
  }
  return (o.task == "brain" || o.task == "lesions") && !o.manifest.empty() && !o.out.empty();
}

at::Tensor uniform(std::int64_t n, double lo, double hi) {
  return torch::rand({n, 1, 1, 1}) * (hi - lo) + lo;
}

// One training batch: random training slices (lesions painted in for that task), then random
// flips, rotations, scaling, shifts, contrast, bias field and noise, so the network learns
// anatomy rather than Colin27's pixels.
std::pair<at::Tensor, at::Tensor> makeBatch(const models::SliceStack &train, bool lesions,
                                            int batch) {
  const auto rows = train.rows, cols = train.cols, n = train.sliceSize();
  auto images = torch::empty({batch, 1, rows, cols});
  auto targets = torch::empty({batch, 1, rows, cols});
  for (int b = 0; b < batch; ++b) {
    const auto s = torch::randint(train.count, {1}).item<std::int64_t>();
    std::vector<float> image(train.images.begin() + s * n, train.images.begin() + (s + 1) * n);
    std::vector<std::uint8_t> target(train.masks.begin() + s * n,
                                     train.masks.begin() + (s + 1) * n);
    if (lesions) {
      const bool paint = torch::rand({1}).item<double>() < 0.6;
      target = models::paintLesions(
          image.data(), train.masks.data() + s * n, rows, cols, paint ? 4 : 0,
          static_cast<std::uint64_t>(torch::randint(1 << 30, {1}).item<std::int64_t>()));
    }
    // Some scans arrive already skull-stripped: a quarter of the brain task's slices lose
    // everything outside the brain (it becomes the slice's background value).
    if (!lesions && torch::rand({1}).item<double>() < 0.25) {
      const float background = *std::min_element(image.begin(), image.end());
      for (std::int64_t p = 0; p < n; ++p)
        if (!target[static_cast<std::size_t>(p)])
          image[static_cast<std::size_t>(p)] = background;
    }
    images[b][0].copy_(torch::from_blob(image.data(), {rows, cols}));
    std::vector<float> t(target.begin(), target.end());
    targets[b][0].copy_(torch::from_blob(t.data(), {rows, cols}));
  }
  // Geometry: one affine per slice, the same for image and target.
  const auto angle = (torch::rand({batch}) * 2 - 1) * (12.0 * M_PI / 180.0);
  const auto scale = torch::rand({batch}) * 0.2 + 0.9;
  const auto flip = torch::where(torch::rand({batch}) < 0.5, torch::full({batch}, -1.0),
                                 torch::full({batch}, 1.0));
  const auto shift = (torch::rand({batch, 2}) * 2 - 1) * 0.1;
  auto theta = torch::zeros({batch, 2, 3});
  theta.select(1, 0).select(1, 0).copy_(torch::cos(angle) / scale * flip);
  theta.select(1, 0).select(1, 1).copy_(-torch::sin(angle) / scale);
  theta.select(1, 1).select(1, 0).copy_(torch::sin(angle) / scale * flip);
  theta.select(1, 1).select(1, 1).copy_(torch::cos(angle) / scale);
  theta.select(2, 2).copy_(shift);
  const auto grid = torch::affine_grid_generator(theta, {batch, 1, rows, cols}, false);
  const auto background = images.amin({2, 3}, true);
  auto moved = torch::grid_sampler(images - background, grid, 0, 0, false) + background;
  auto movedTargets = torch::grid_sampler(targets, grid, 1, 0, false);
  // Intensity: contrast and offset, a smooth multiplicative bias field, noise.
  auto field =
      torch::upsample_bilinear2d(torch::randn({batch, 1, 4, 4}) * 0.12, {rows, cols}, false);
  moved = moved * uniform(batch, 0.75, 1.25) * torch::exp(field) + uniform(batch, -0.3, 0.3);
  // Resolution and sharpness differ between scanners: blur some slices a little.
  const auto blur = uniform(batch, 0.0, 0.5);
  moved = moved * (1 - blur) + torch::avg_pool2d(moved, 3, 1, 1, false, false) * blur;
  moved = moved + torch::randn_like(moved) * uniform(batch, 0.0, 0.08);
  return {moved, movedTargets.round().squeeze(1).to(torch::kLong)};
}

at::Tensor lossOf(const at::Tensor &logits, const at::Tensor &target, bool lesions) {
  const auto weight = lesions ? torch::tensor({1.0f, 2.0f}) : torch::tensor({1.0f, 1.0f});
  const auto ce = torch::nll_loss2d(torch::log_softmax(logits, 1), target, weight);
  const auto p = torch::softmax(logits, 1).select(1, 1);
  const auto t = target.to(torch::kFloat);
  const auto softDice = (2 * (p * t).sum() + 1) / (p.sum() + t.sum() + 1);
  return ce + (1 - softDice);
}

// The network's masks for every slice of `stack`, in batches.
std::vector<std::uint8_t> predict(torch::jit::Module &net, const std::vector<float> &images,
                                  const models::SliceStack &stack) {
  torch::NoGradGuard noGrad;
  std::vector<std::uint8_t> masks;
  for (std::int64_t s = 0; s < stack.count; s += 16) {
    const auto count = std::min<std::int64_t>(16, stack.count - s);
    auto x = torch::from_blob(const_cast<float *>(images.data()) + s * stack.sliceSize(),
                              {count, 1, stack.rows, stack.cols});
    const auto labels = net.forward({x}).toTensor().argmax(1).to(torch::kUInt8).contiguous();
    masks.insert(masks.end(), labels.data_ptr<std::uint8_t>(),
                 labels.data_ptr<std::uint8_t>() + labels.numel());
  }
  return masks;
}

} // namespace

int main(int argc, char **argv) {
  Options o;
  bool parsed = false;
  try {
    parsed = parse(argc, argv, o);
  } catch (const std::exception &) {
    std::fprintf(stderr, "nesa-train-brain: --steps, --seed and --threads take numbers\n");
  }
  if (!parsed) {
    usage();
    return argc > 1 && std::strcmp(argv[1], "--help") == 0 ? 0 : 2;
  }
  at::set_num_threads(o.threads);
  torch::manual_seed(o.seed);
  auto manifest = ingest::loadManifest(o.manifest);
  if (!manifest) {
    std::fprintf(stderr, "nesa-train-brain: %s\n", manifest.error().message.c_str());
    return 1;
  }
  auto stack = models::loadColin27(o.templates, "ch2.nii.gz", manifest->preprocessing);
  if (!stack) {
    std::fprintf(stderr, "nesa-train-brain: %s\n", stack.error().message.c_str());
    return 1;
  }
  const bool lesions = o.task == "lesions";
  // Lesions are painted into brain tissue: train on slices that hold enough of it.
  const auto train = models::selectSlices(*stack, [&](std::int64_t s) {
    if (models::isHeldOut(s))
      return false;
    std::int64_t brain = 0;
    for (std::int64_t i = 0; i < stack->sliceSize(); ++i)
      brain += stack->masks[static_cast<std::size_t>(s * stack->sliceSize() + i)];
    return !lesions || brain >= 400;
  });
  std::printf("%s: %lld training slices of %lldx%lld, %d steps of %d, seed %llu, %d threads\n",
              o.task.c_str(), static_cast<long long>(train.count),
              static_cast<long long>(train.rows), static_cast<long long>(train.cols), o.steps,
              o.batch, static_cast<unsigned long long>(o.seed), o.threads);

  auto net = models::makeBrainUnet(2);
  std::vector<at::Tensor> parameters;
  for (const auto &p : net.parameters())
    parameters.push_back(p);
  torch::optim::Adam optimizer(parameters, torch::optim::AdamOptions(2e-3));
  const auto start = std::chrono::steady_clock::now();
  double recent = 0;
  for (int step = 1; step <= o.steps; ++step) {
    if (step == o.steps * 7 / 10)
      for (auto &group : optimizer.param_groups())
        static_cast<torch::optim::AdamOptions &>(group.options()).lr(4e-4);
    auto [x, y] = makeBatch(train, lesions, o.batch);
    optimizer.zero_grad();
    auto loss = lossOf(net.forward({x}).toTensor(), y, lesions);
    loss.backward();
    optimizer.step();
    recent += loss.item<double>();
    if (step % 50 == 0) {
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::printf("step %d/%d  loss %.4f  %.0f s\n", step, o.steps, recent / 50, seconds);
      std::fflush(stdout);
      recent = 0;
    }
  }
  for (auto p : net.parameters())
    p.requires_grad_(false);
  net.eval();

  // A first look at held-out slices; the tests measure the shipped file independently.
  const auto heldOut = models::selectSlices(*stack, models::isHeldOut);
  if (lesions) {
    auto painted = heldOut;
    std::vector<std::uint8_t> truth;
    for (std::int64_t s = 0; s < painted.count; ++s) {
      auto t = models::paintLesions(painted.images.data() + s * painted.sliceSize(),
                                    heldOut.masks.data() + s * painted.sliceSize(), painted.rows,
                                    painted.cols, 3, 1000 + static_cast<std::uint64_t>(s));
      truth.insert(truth.end(), t.begin(), t.end());
    }
    const auto score = models::scoreDetection(predict(net, painted.images, painted), truth,
                                              painted.count, painted.rows, painted.cols);
    std::printf("held out: %d of %d lesions detected, %d false positives on %lld slices\n",
                score.detected, score.lesions, score.falsePositives,
                static_cast<long long>(score.slices));
  } else {
    std::printf("held out: brain Dice %.4f on %lld slices\n",
                models::dice(predict(net, heldOut.images, heldOut), heldOut.masks),
                static_cast<long long>(heldOut.count));
  }
  net.save(o.out);
  std::printf("wrote %s\n", o.out.c_str());
  return 0;
}
