// A file read one line at a time through a fixed buffer, with read errors
// told apart from the end of the file (which iostreams do not do).
#pragma once

#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace calloutemu::trace::detail {

class LineSource {
 public:
  enum class Read { line, end, too_long, error };

  // nullptr when the file cannot be opened (errno says why).
  static std::unique_ptr<LineSource> open(const std::filesystem::path& path);

  // The next line without its LF or CR LF, at most `limit` bytes. After
  // `error`, errno holds the reason.
  Read next(std::string& line, std::size_t limit);

 private:
  struct Closer {
    void operator()(std::FILE* file) const { std::fclose(file); }
  };
  explicit LineSource(std::FILE* file) : file_(file), buffer_(64 * 1024) {}
  bool refill();

  std::unique_ptr<std::FILE, Closer> file_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
};

}  // namespace calloutemu::trace::detail
