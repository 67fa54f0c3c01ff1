#include "calloutemu/trace/trace_reader.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <system_error>
#include <utility>

#include "line_source.h"
#include "record_fields.h"

namespace calloutemu::trace {
namespace {

bool blank(std::string_view text) {
  return text.find_first_not_of(" \t") == std::string_view::npos;
}

std::string system_reason() {
  return errno != 0 ? std::strerror(errno) : "unknown error";
}

// "[json.exception.parse_error.101] parse error at ..." without the bracket.
std::string parse_problem(const nlohmann::json::exception& error) {
  std::string_view text = error.what();
  if (const auto end = text.find("] "); text.starts_with('[') && end != text.npos) {
    text.remove_prefix(end + 2);
  }
  return "not JSON: " + std::string(text);
}

}  // namespace

Result<TraceReader> TraceReader::open(const std::filesystem::path& path) {
  std::string name = path.string();
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) {
    return make_error(name + ": is a directory, not a trace");
  }
  errno = 0;
  auto source = detail::LineSource::open(path);
  if (!source) {
    return make_error(name + ": cannot open the trace: " + system_reason());
  }
  return TraceReader(std::move(name), std::move(source));
}

TraceReader::TraceReader(std::string name, std::unique_ptr<detail::LineSource> source)
    : name_(std::move(name)), source_(std::move(source)) {}
TraceReader::TraceReader(TraceReader&&) noexcept = default;
TraceReader& TraceReader::operator=(TraceReader&&) noexcept = default;
TraceReader::~TraceReader() = default;

Error TraceReader::fail(std::uint64_t line, std::string_view problem) {
  error_ = make_error(fmt::format("{}:{}: {}", name_, line, problem));
  return *error_;
}

Result<bool> TraceReader::next(TraceRecord& record) {
  using Read = detail::LineSource::Read;
  if (error_) {
    return *error_;
  }
  for (;;) {
    errno = 0;
    const Read read = source_->next(text_, kMaxTraceLine);
    if (read == Read::error) {
      return fail(line_ + 1, "cannot read the file: " + system_reason());
    }
    if (read == Read::end) {
      if (!header_seen_) {
        return fail(1, "empty trace: no header record");
      }
      return false;
    }
    ++line_;
    if (read == Read::too_long) {
      return fail(line_, fmt::format("line longer than {} bytes", kMaxTraceLine));
    }
    if (!blank(text_)) {
      break;
    }
  }
  try {
    const auto object = nlohmann::json::parse(text_);
    if (auto problem = detail::record_from_json(object, record); !problem.empty()) {
      return fail(line_, problem);
    }
  } catch (const nlohmann::json::exception& error) {
    return fail(line_, parse_problem(error));
  } catch (const std::exception& error) {
    return fail(line_, error.what());
  }
  const bool header = record.type == RecordType::header;
  if (!header_seen_ && !header) {
    return fail(line_, "the first record is not the header");
  }
  if (header_seen_ && header) {
    return fail(line_, "a second header record: the header is the first line only");
  }
  header_seen_ = true;
  return true;
}

}  // namespace calloutemu::trace
