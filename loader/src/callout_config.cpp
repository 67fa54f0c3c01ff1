#include "calloutemu/loader/callout_config.h"

#include <cstddef>
#include <string_view>

namespace calloutemu::loader {
namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

std::string_view trim_blanks(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && is_blank(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

Result<std::vector<std::string>> parse_dll_list(const std::vector<std::string>& values) {
  std::vector<std::string> names;
  for (const std::string& value : values) {
    std::string_view rest = value;
    std::size_t element = 1;
    while (true) {
      const std::size_t comma = rest.find(',');
      const std::string_view name = trim_blanks(rest.substr(0, comma));
      if (name.empty()) {
        return make_error("--dlls \"" + value + "\": DLL name " + std::to_string(element) +
                          " is empty");
      }
      names.emplace_back(name);
      if (comma == std::string_view::npos) {
        break;
      }
      rest.remove_prefix(comma + 1);
      ++element;
    }
  }
  return names;
}

}  // namespace calloutemu::loader
