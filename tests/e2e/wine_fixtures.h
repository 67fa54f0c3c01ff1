// The PE builds of the fixture callouts and Wine, for the end-to-end runs
// under Wine. Without them (MinGW-w64 or Wine missing when the build was
// configured) those tests skip and say why.
#pragma once

#include <filesystem>
#include <string>

namespace calloutemu::test {

// <windows build>/fixtures/callouts/<name>.dll
inline std::filesystem::path windows_callout_path(const std::string& name) {
  return std::filesystem::path(CALLOUTEMU_WINDOWS_FIXTURE_DIR) / (name + ".dll");
}

inline bool wine_ready(std::string& why) {
  if (std::string(CALLOUTEMU_WINDOWS_FIXTURE_DIR).empty()) {
    why = "no Windows build (MinGW-w64 not installed when configured)";
    return false;
  }
  if (std::string(CALLOUTEMU_WINE).empty()) {
    why = "Wine not installed when configured";
    return false;
  }
  if (!std::filesystem::exists(windows_callout_path("recorder"))) {
    why = windows_callout_path("recorder").string() + " not built";
    return false;
  }
  return true;
}

}  // namespace calloutemu::test

#define SKIP_WITHOUT_WINE()                     \
  do {                                          \
    std::string why;                            \
    if (!::calloutemu::test::wine_ready(why)) { \
      GTEST_SKIP() << why;                      \
    }                                           \
  } while (false)
