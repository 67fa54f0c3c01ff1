#include "calloutemu/loader/dynamic_library.h"

#include <dlfcn.h>
#include <link.h>
#include <sys/stat.h>

namespace calloutemu::loader {
namespace {

std::string last_dl_error(const char* fallback) {
  const char* reason = dlerror();
  return reason != nullptr ? reason : fallback;
}

// LoadLibrary finds a bare file name in the current directory; dlopen would
// only search the library path, so such a name is made relative explicitly.
std::string path_for_dlopen(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    return name;
  }
  struct stat info {};
  if (stat(name.c_str(), &info) == 0 && S_ISREG(info.st_mode)) {
    return "./" + name;
  }
  return name;
}

}  // namespace

Result<DynamicLibrary> DynamicLibrary::open(const std::string& name) {
  dlerror();
  void* handle = dlopen(path_for_dlopen(name).c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    return make_error(last_dl_error("dlopen failed"));
  }
  return DynamicLibrary(handle);
}

Result<void*> DynamicLibrary::symbol(const char* name) const {
  if (handle_ == nullptr) {
    return make_error("library is not loaded");
  }
  dlerror();
  void* address = dlsym(handle_, name);
  if (address == nullptr) {
    return make_error(last_dl_error("symbol not found"));
  }
  // dlsym also searches the library's dependencies; GetProcAddress only the
  // module's own exports, and so must we.
  link_map* own = nullptr;
  link_map* owner = nullptr;
  Dl_info info{};
  if (dlinfo(handle_, RTLD_DI_LINKMAP, &own) != 0 ||
      dladdr1(address, &info, reinterpret_cast<void**>(&owner), RTLD_DL_LINKMAP) == 0 ||
      own != owner) {
    const std::string provider = info.dli_fname != nullptr ? info.dli_fname : "another object";
    return make_error(std::string("the library does not export ") + name + " (only " + provider +
                      " does)");
  }
  return address;
}

void DynamicLibrary::release(void* handle) {
  dlclose(handle);
}

}  // namespace calloutemu::loader
