// What the server reads from its Parameters key: the DLL list and CalloutEnabled.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "calloutemu/result.h"

namespace calloutemu::loader {

struct CalloutConfig {
  std::string source;                            // for messages: "--dlls", a file name, "registry"
  std::vector<std::string> dlls;                 // CalloutDlls, in stored order
  std::optional<std::uint32_t> callout_enabled;  // CalloutEnabled, when the value exists

  // Absent counts as enabled (the legacy server; the documentation calls the
  // value mandatory); only a present 0 disables callouts.
  bool enabled() const { return !callout_enabled || *callout_enabled != 0; }
};

// Joins --dlls values: each is a comma-separated list; surrounding blanks are
// trimmed. Fails, naming the culprit, on an empty name.
Result<std::vector<std::string>> parse_dll_list(const std::vector<std::string>& values);

}  // namespace calloutemu::loader
