#include "wide_text.h"

#include <windows.h>

#include <stdexcept>

namespace calloutemu::test {

std::wstring widen(const std::string& utf8) {
  if (utf8.empty()) {
    return {};
  }
  const int units = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8.data(),
                                        static_cast<int>(utf8.size()), nullptr, 0);
  if (units <= 0) {
    throw std::invalid_argument("not UTF-8: " + utf8);
  }
  std::wstring wide(static_cast<std::size_t>(units), L'\0');
  MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8.data(), static_cast<int>(utf8.size()),
                      wide.data(), units);
  return wide;
}

std::string narrow(const std::wstring& utf16) {
  if (utf16.empty()) {
    return {};
  }
  const int bytes = WideCharToMultiByte(CP_UTF8, 0, utf16.data(), static_cast<int>(utf16.size()),
                                        nullptr, 0, nullptr, nullptr);
  std::string utf8(static_cast<std::size_t>(bytes > 0 ? bytes : 0), '\0');
  WideCharToMultiByte(CP_UTF8, 0, utf16.data(), static_cast<int>(utf16.size()), utf8.data(), bytes,
                      nullptr, nullptr);
  return utf8;
}

}  // namespace calloutemu::test
