#include "calloutemu/trace/trace_expectation.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <utility>

#include "calloutemu/trace/readable_trace.h"

namespace calloutemu::trace {
namespace {

std::uint64_t request_of(const TraceRecord& record) {
  switch (record.type) {
    case RecordType::hook:
      return record.hook.request;
    case RecordType::finding:
      return record.finding.request;
    default:
      return 0;
  }
}

// Line 1 of a trace is its header, which is not compared.
constexpr std::uint64_t kFirstComparedLine = 2;

}  // namespace

Result<TraceExpectation> TraceExpectation::open(const std::filesystem::path& expected) {
  auto reader = TraceReader::open(expected);
  if (!reader) {
    return reader.error();
  }
  TraceRecord header;
  if (auto first = reader->next(header); !first) {
    return first.error();
  }
  return TraceExpectation(std::move(*reader));
}

std::optional<std::uint64_t> TraceExpectation::divergence_request() const {
  if (!divergence_) {
    return std::nullopt;
  }
  return divergence_->request;
}

void TraceExpectation::observe(const TraceRecord& actual) {
  if (actual.type == RecordType::header || finished_ || error_) {
    return;
  }
  if (divergence_) {
    if (actual_tail_.size() < kContext) {
      actual_tail_.push_back(readable(actual));
    }
    return;
  }
  readable(actual, actual_line_);
  if (!next_expected(expected_line_)) {
    if (!error_) {
      expected_ended_ = true;
      start_divergence(request_of(actual));
    }
    return;
  }
  if (expected_line_ != actual_line_) {
    expected_tail_.push_back(expected_line_);
    start_divergence(request_of(actual));
    read_expected_tail();
    return;
  }
  std::swap(context_[compared_ % kContext], actual_line_);
  ++compared_;
}

bool TraceExpectation::next_expected(std::string& line) {
  auto more = reader_.next(expected_);
  if (!more) {
    error_ = more.error();
    return false;
  }
  if (!*more) {
    return false;
  }
  readable(expected_, line);
  return true;
}

void TraceExpectation::start_divergence(std::uint64_t request) {
  divergence_ = Divergence{request, compared_ + kFirstComparedLine, {}};
  if (!actual_line_.empty()) {
    actual_tail_.push_back(actual_line_);
  }
}

void TraceExpectation::read_expected_tail() {
  while (expected_tail_.size() < kContext) {
    if (!next_expected(expected_line_)) {
      expected_ended_ = !error_;
      return;
    }
    expected_tail_.push_back(expected_line_);
  }
}

Result<std::optional<Divergence>> TraceExpectation::finish() {
  if (!finished_) {
    finished_ = true;
    if (!error_ && !divergence_ && next_expected(expected_line_)) {
      actual_ended_ = true;
      actual_line_.clear();
      expected_tail_.push_back(expected_line_);
      start_divergence(0);
      read_expected_tail();
    } else if (divergence_ && actual_tail_.size() < kContext) {
      actual_ended_ = true;
    }
    if (divergence_) {
      divergence_->diff_text = diff_text();
    }
  }
  if (error_) {
    return *error_;
  }
  return divergence_;
}

std::string TraceExpectation::diff_text() const {
  const std::uint64_t context = std::min<std::uint64_t>(compared_, kContext);
  const std::uint64_t first = divergence_->first_line_number - context;
  const std::uint64_t expected_count = context + expected_tail_.size();
  const std::uint64_t actual_count = context + actual_tail_.size();
  // A range of no lines starts at the line before it, as in diff -u.
  auto start = [&](std::uint64_t count) { return count == 0 ? first - 1 : first; };

  std::string text;
  auto out = std::back_inserter(text);
  fmt::format_to(out, "--- expected {}\n+++ actual run\n@@ -{},{} +{},{} @@\n", reader_.name(),
                 start(expected_count), expected_count, start(actual_count), actual_count);
  for (std::uint64_t index = compared_ - context; index < compared_; ++index) {
    fmt::format_to(out, " {}\n", context_[index % kContext]);
  }
  for (const std::string& line : expected_tail_) {
    fmt::format_to(out, "-{}\n", line);
  }
  if (expected_ended_) {
    text += "(expected trace ends here)\n";
  }
  for (const std::string& line : actual_tail_) {
    fmt::format_to(out, "+{}\n", line);
  }
  if (actual_ended_) {
    text += "(the run ends here)\n";
  }
  return text;
}

}  // namespace calloutemu::trace
