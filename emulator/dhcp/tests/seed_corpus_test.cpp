// The committed seed corpus is what dhcp_seed_corpus writes today.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "sample_messages.h"

namespace calloutemu::dhcp {
namespace {

testing::Bytes read_file(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  return testing::Bytes(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

TEST(SeedCorpus, MatchesTheSampleMessages) {
  const std::filesystem::path corpus = CALLOUTEMU_DHCP_CORPUS_DIR;
  const auto samples = testing::sample_messages();
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    ++files;
    const auto name = entry.path().filename().string();
    const auto sample = std::find_if(samples.begin(), samples.end(),
                                     [&](const auto& each) { return each.name == name; });
    ASSERT_NE(sample, samples.end()) << name << " is no sample: regenerate the corpus";
    EXPECT_EQ(read_file(entry.path()), sample->bytes)
        << name << " is stale: run dhcp_seed_corpus " << corpus;
  }
  EXPECT_EQ(files, samples.size()) << "regenerate the corpus with dhcp_seed_corpus";
}

}  // namespace
}  // namespace calloutemu::dhcp
