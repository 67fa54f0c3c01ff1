// UTF-8 and UTF-16 for the Windows API, in the test support code.
#pragma once

#include <string>

namespace calloutemu::test {

std::wstring widen(const std::string& utf8);
std::string narrow(const std::wstring& utf16);

}  // namespace calloutemu::test
