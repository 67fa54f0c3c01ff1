// One portable interface over dlopen/dlsym and LoadLibraryW/GetProcAddress.
#pragma once

#include <string>

#include "calloutemu/result.h"

namespace calloutemu::loader {

class DynamicLibrary {
 public:
  // `name` is UTF-8, as listed. Errors carry the operating system's reason.
  // POSIX: a bare name that exists in the current directory is loaded from
  // there, as LoadLibrary would find it; other names go to dlopen unchanged.
  static Result<DynamicLibrary> open(const std::string& name);

  DynamicLibrary() = default;
  DynamicLibrary(DynamicLibrary&& other) noexcept;
  DynamicLibrary& operator=(DynamicLibrary&& other) noexcept;
  DynamicLibrary(const DynamicLibrary&) = delete;
  DynamicLibrary& operator=(const DynamicLibrary&) = delete;
  ~DynamicLibrary();

  bool is_open() const { return handle_ != nullptr; }

  // The address of an exported symbol, or the reason it cannot be found.
  Result<void*> symbol(const char* name) const;

  // Unloads now; the destructor does it otherwise.
  void close();

 private:
  explicit DynamicLibrary(void* handle) : handle_(handle) {}
  static void release(void* handle);  // the platform's dlclose / FreeLibrary
  void* handle_ = nullptr;
};

}  // namespace calloutemu::loader
