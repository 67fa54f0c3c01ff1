#include "calloutemu/loader/multi_sz.h"

#include <cstddef>

#include "calloutemu/loader/text_encoding.h"

namespace calloutemu::loader {

Result<std::u16string> encode_multi_sz(const std::vector<std::string>& names) {
  std::u16string out;
  for (std::size_t index = 0; index < names.size(); ++index) {
    const std::string& name = names[index];
    const std::string which = "name " + std::to_string(index + 1);
    if (name.empty()) {
      return make_error(which + " is empty: REG_MULTI_SZ cannot hold an empty string");
    }
    if (name.find('\0') != std::string::npos) {
      return make_error(which + " contains a NUL character");
    }
    auto wide = utf8_to_utf16(name);
    if (!wide) {
      return make_error(which + ": " + wide.error().message);
    }
    out += *wide;
    out.push_back(u'\0');
  }
  out.push_back(u'\0');
  return out;
}

Result<std::vector<std::string>> decode_multi_sz(std::u16string_view data) {
  std::vector<std::string> names;
  std::size_t start = 0;
  while (start < data.size()) {
    const std::size_t nul = data.find(u'\0', start);
    const std::size_t end = nul == std::u16string_view::npos ? data.size() : nul;
    if (end == start) {
      break;  // the empty string that closes the list
    }
    auto name = utf16_to_utf8(data.substr(start, end - start));
    if (!name) {
      return make_error("string " + std::to_string(names.size() + 1) + " (from unit " +
                        std::to_string(start) + "): " + name.error().message);
    }
    names.push_back(std::move(*name));
    start = end + 1;
  }
  return names;
}

}  // namespace calloutemu::loader
