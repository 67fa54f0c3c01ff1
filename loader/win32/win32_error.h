// FormatMessage text for a Win32 error code, for the reasons in load reports.
#pragma once

#include <windows.h>

#include <string>

namespace calloutemu::loader {

// "The specified module could not be found. (error 126)".
std::string describe_win32_error(DWORD code);

}  // namespace calloutemu::loader
