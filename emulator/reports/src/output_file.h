// A stdio file opened for one of the reports, whose errors name the file.
#pragma once

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "calloutemu/result.h"

namespace calloutemu::reports::detail {

// std::fopen with a path in the platform's own encoding (platform folders).
// errno tells why when it returns nullptr.
std::FILE* open_file(const std::filesystem::path& path, const char* mode);

std::string errno_reason(int error_number);

// The path as UTF-8 for messages (path::string() may throw on Windows).
std::string display_name(const std::filesystem::path& path);

class OutputFile {
 public:
  OutputFile() = default;
  // `mode` is an fopen mode: "wb" to write, "rb" to read back. The error is
  // only the reason ("No such file or directory"): callers say what failed.
  static Result<OutputFile> open(const std::filesystem::path& path, const char* mode);

  bool is_open() const { return file_ != nullptr; }
  std::FILE* get() const { return file_.get(); }
  const std::filesystem::path& path() const { return path_; }

  // Errors are "PATH: cannot write: REASON".
  Status write(std::string_view bytes);
  // Flushes and closes; a failure here means the file is incomplete.
  Status close();

 private:
  struct Closer {
    void operator()(std::FILE* file) const { std::fclose(file); }
  };
  std::filesystem::path path_;
  std::unique_ptr<std::FILE, Closer> file_;
};

// Removes `path` if it exists, ignoring errors: for files left half-written.
void remove_quietly(const std::filesystem::path& path);

}  // namespace calloutemu::reports::detail
