#include "temp_dir.h"

#include <cstdio>
#include <random>
#include <stdexcept>
#include <string>

namespace calloutemu::test {

TempDir::TempDir() {
  const auto base = std::filesystem::temp_directory_path();
  std::random_device random;
  for (int attempt = 0; attempt < 100; ++attempt) {
    char name[32];
    std::snprintf(name, sizeof name, "calloutemu-test-%08x", static_cast<unsigned>(random()));
    // create_directory is false when the name is taken: then try another.
    if (std::filesystem::create_directory(base / name)) {
      path_ = base / name;
      return;
    }
  }
  throw std::runtime_error("cannot create a fresh directory in " + base.string());
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace calloutemu::test
