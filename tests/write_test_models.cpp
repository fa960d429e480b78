// nesa-test-models OUTDIR: writes the reference models the command-line tests run (mlp.pt,
// volume.pt, and the tiny GPT-2 folder gpt2/). A separate program because Debian's libtorch loads
// Qt 5, which must not share a process with the Qt 6 test harness (see docs/development.md).
#include "reference_models.h"
#include "tiny_language_models.h"

#include <filesystem>
#include <iostream>

int main(int argc, char **argv) {
  if (argc != 2 || argv[1][0] == '-') {
    std::cerr << "usage: nesa-test-models OUTDIR\n";
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir);
  nesa::testing::writeMlp(dir / "mlp.pt");
  nesa::testing::writeVolumeCnn(dir / "volume.pt");
  nesa::testing::writeTinyGpt2(dir / "gpt2");
  return 0;
}
