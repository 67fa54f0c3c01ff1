#include "calloutemu/loader/registry.h"

#include <windows.h>

#include <cstring>
#include <string>
#include <vector>

#include "calloutemu/loader/multi_sz.h"
#include "win32_error.h"

namespace calloutemu::loader {
namespace {

constexpr wchar_t kParametersKey[] = L"System\\CurrentControlSet\\Services\\DHCPServer\\Parameters";
constexpr char kKeyForMessages[] =
    "HKLM\\System\\CurrentControlSet\\Services\\DHCPServer\\Parameters";

class Key {
 public:
  explicit Key(HKEY key) : key_(key) {}
  ~Key() { RegCloseKey(key_); }
  Key(const Key&) = delete;
  Key& operator=(const Key&) = delete;
  HKEY get() const { return key_; }

 private:
  HKEY key_;
};

std::string value_error(const char* value, const std::string& problem) {
  return std::string(kKeyForMessages) + "\\" + value + ": " + problem;
}

}  // namespace

bool registry_available() {
  return true;
}

Result<CalloutConfig> read_callout_registry() {
  HKEY raw_key = nullptr;
  const LONG opened = RegOpenKeyExW(HKEY_LOCAL_MACHINE, kParametersKey, 0, KEY_READ, &raw_key);
  if (opened != ERROR_SUCCESS) {
    return make_error(std::string(kKeyForMessages) +
                      ": cannot open: " + describe_win32_error(static_cast<DWORD>(opened)));
  }
  const Key key(raw_key);
  CalloutConfig config;
  config.source = "registry";

  DWORD type = 0;
  DWORD size = 0;
  LONG status = RegQueryValueExW(key.get(), L"CalloutDlls", nullptr, &type, nullptr, &size);
  if (status == ERROR_SUCCESS) {
    if (type != REG_MULTI_SZ) {
      return make_error(
          value_error("CalloutDlls", "must be REG_MULTI_SZ, found type " + std::to_string(type)));
    }
    std::vector<BYTE> data(size);
    status = RegQueryValueExW(key.get(), L"CalloutDlls", nullptr, &type, data.data(), &size);
    if (status != ERROR_SUCCESS) {
      return make_error(
          value_error("CalloutDlls", describe_win32_error(static_cast<DWORD>(status))));
    }
    std::u16string units(size / 2, u'\0');
    std::memcpy(units.data(), data.data(), units.size() * 2);
    auto names = decode_multi_sz(units);
    if (!names) {
      return make_error(value_error("CalloutDlls", names.error().message));
    }
    config.dlls = std::move(names).value();
  } else if (status != ERROR_FILE_NOT_FOUND) {
    return make_error(value_error("CalloutDlls", describe_win32_error(static_cast<DWORD>(status))));
  }

  DWORD enabled = 0;
  size = sizeof enabled;
  status = RegQueryValueExW(key.get(), L"CalloutEnabled", nullptr, &type,
                            reinterpret_cast<BYTE*>(&enabled), &size);
  if (status == ERROR_SUCCESS) {
    if (type != REG_DWORD || size != sizeof enabled) {
      return make_error(value_error("CalloutEnabled", "must be REG_DWORD"));
    }
    config.callout_enabled = enabled;
  } else if (status != ERROR_FILE_NOT_FOUND) {
    return make_error(
        value_error("CalloutEnabled", describe_win32_error(static_cast<DWORD>(status))));
  }
  return config;
}

}  // namespace calloutemu::loader
