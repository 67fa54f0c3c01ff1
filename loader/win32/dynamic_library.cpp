#include "calloutemu/loader/dynamic_library.h"

#include <windows.h>

#include "calloutemu/loader/text_encoding.h"
#include "win32_error.h"

namespace calloutemu::loader {

Result<DynamicLibrary> DynamicLibrary::open(const std::string& name) {
  auto wide = utf8_to_utf16(name);
  if (!wide) {
    return wide.error();
  }
  const std::wstring path(wide->begin(), wide->end());
  HMODULE module = LoadLibraryW(path.c_str());
  if (module == nullptr) {
    return make_error(describe_win32_error(GetLastError()));
  }
  return DynamicLibrary(reinterpret_cast<void*>(module));
}

Result<void*> DynamicLibrary::symbol(const char* name) const {
  if (handle_ == nullptr) {
    return make_error("library is not loaded");
  }
  FARPROC address = GetProcAddress(static_cast<HMODULE>(handle_), name);
  if (address == nullptr) {
    return make_error(std::string("the library does not export ") + name + ": " +
                      describe_win32_error(GetLastError()));
  }
  return reinterpret_cast<void*>(address);
}

void DynamicLibrary::release(void* handle) {
  FreeLibrary(static_cast<HMODULE>(handle));
}

}  // namespace calloutemu::loader
