// dhcp_seed_corpus DIR: writes the sample messages, one file each, as the
// fuzzer's seed corpus (emulator/dhcp/fuzz/corpus/).
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "sample_messages.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: dhcp_seed_corpus DIR\n");
    return 1;
  }
  const std::filesystem::path directory = argv[1];
  std::filesystem::create_directories(directory);
  for (const auto& sample : calloutemu::dhcp::testing::sample_messages()) {
    std::ofstream file(directory / sample.name, std::ios::binary | std::ios::trunc);
    file.write(reinterpret_cast<const char*>(sample.bytes.data()),
               static_cast<std::streamsize>(sample.bytes.size()));
    if (!file) {
      std::fprintf(stderr, "dhcp_seed_corpus: cannot write %s\n",
                   (directory / sample.name).string().c_str());
      return 1;
    }
    std::printf("%s (%zu bytes)\n", sample.name.c_str(), sample.bytes.size());
  }
  return 0;
}
