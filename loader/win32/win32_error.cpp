#include "win32_error.h"

#include <string>

#include "calloutemu/loader/text_encoding.h"

namespace calloutemu::loader {

std::string describe_win32_error(DWORD code) {
  wchar_t* buffer = nullptr;
  const DWORD length = FormatMessageW(
      FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
      nullptr, code, 0, reinterpret_cast<wchar_t*>(&buffer), 0, nullptr);
  std::string text;
  if (length > 0 && buffer != nullptr) {
    std::u16string wide(buffer, buffer + length);
    auto utf8 = utf16_to_utf8(wide);
    if (utf8) {
      text = std::move(utf8).value();
    }
  }
  if (buffer != nullptr) {
    LocalFree(buffer);
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  if (text.empty()) {
    text = "unknown error";
  }
  return text + " (error " + std::to_string(code) + ")";
}

}  // namespace calloutemu::loader
