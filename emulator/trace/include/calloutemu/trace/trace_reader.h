// Reads a trace written by --trace, one line at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "calloutemu/result.h"
#include "calloutemu/trace/trace_record.h"

namespace calloutemu::trace {

namespace detail {
class LineSource;
}

// Longest line accepted; a longer one is an error rather than memory use.
inline constexpr std::size_t kMaxTraceLine = std::size_t{1} << 20;

// The first record must be the header, of schema kSchemaName and version
// kSchemaVersion, and no other record may be one; an empty file is an error.
// Blank lines are skipped. Errors are "FILE:LINE: problem"; nothing throws.
class TraceReader {
 public:
  static Result<TraceReader> open(const std::filesystem::path& path);
  TraceReader(TraceReader&&) noexcept;
  TraceReader& operator=(TraceReader&&) noexcept;
  ~TraceReader();

  // Reads the next record into `record` (whose buffers are reused): true, or
  // false at the end of the file. After an error every later call returns it.
  Result<bool> next(TraceRecord& record);

  const std::string& name() const { return name_; }
  std::uint64_t line() const { return line_; }  // of the record last read

 private:
  TraceReader(std::string name, std::unique_ptr<detail::LineSource> source);
  Error fail(std::uint64_t line, std::string_view problem);

  std::string name_;
  std::unique_ptr<detail::LineSource> source_;
  std::string text_;  // the current line
  std::uint64_t line_ = 0;
  bool header_seen_ = false;
  std::optional<Error> error_;
};

}  // namespace calloutemu::trace
