#include "environment.h"

#include <stdlib.h>
#include <windows.h>

#include <vector>

#include "wide_text.h"

namespace calloutemu::test {

std::optional<std::string> get_env(const std::string& name) {
  const std::wstring wide_name = widen(name);
  std::vector<wchar_t> value(256);
  for (;;) {
    SetLastError(ERROR_SUCCESS);
    const DWORD length =
        GetEnvironmentVariableW(wide_name.c_str(), value.data(), static_cast<DWORD>(value.size()));
    if (length == 0) {
      if (GetLastError() == ERROR_ENVVAR_NOT_FOUND) {
        return std::nullopt;
      }
      return std::string();
    }
    if (length < value.size()) {
      return narrow(std::wstring(value.data(), length));
    }
    value.resize(length);
  }
}

void set_env(const std::string& name, const std::optional<std::string>& value) {
  // _wputenv keeps the C runtime's copy (getenv) in step with the process
  // environment (GetEnvironmentVariableW, child processes); "NAME=" removes.
  const std::wstring assignment = widen(name) + L"=" + (value ? widen(*value) : std::wstring());
  _wputenv(assignment.c_str());
  SetEnvironmentVariableW(widen(name).c_str(), value ? widen(*value).c_str() : nullptr);
}

}  // namespace calloutemu::test
