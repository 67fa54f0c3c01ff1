// --expect FILE: compares the run, record by record, with a trace written by
// an earlier run, by their readable forms (readable_trace.h). Headers are not
// compared (the expected one must be of schema version 1). Streaming: only
// the last three matching lines are kept, whatever the length of the run.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "calloutemu/result.h"
#include "calloutemu/trace/trace_reader.h"
#include "calloutemu/trace/trace_record.h"

namespace calloutemu::trace {

struct Divergence {
  // The request of the first actual record that differs; 0 when it is
  // outside requests or the run ended before the expected trace did.
  std::uint64_t request = 0;
  // Where the traces first differ, as a line of a trace file (the header is
  // line 1, so this is the expected file's line when it has no blank lines).
  std::uint64_t first_line_number = 0;
  // A unified diff of the readable forms: "--- expected FILE", "+++ actual
  // run", one hunk of up to 3 context lines and up to 3 lines of each side
  // from the first difference on.
  std::string diff_text;
};

class TraceExpectation {
 public:
  // Opens the file and reads its header: a file that is not a trace, or
  // not of schema version 1, is an error here.
  static Result<TraceExpectation> open(const std::filesystem::path& expected);

  // The run's records, in order; header records are skipped.
  void observe(const TraceRecord& actual);

  // Whether a difference was found, as soon as it is.
  bool diverged() const { return divergence_.has_value(); }
  // The divergence's request (see Divergence::request), once diverged().
  std::optional<std::uint64_t> divergence_request() const;

  // Once the run is over: nullopt when the traces are the same. An expected
  // file that turned out unreadable or malformed is an error, not a divergence.
  Result<std::optional<Divergence>> finish();

 private:
  static constexpr std::size_t kContext = 3;

  explicit TraceExpectation(TraceReader reader) : reader_(std::move(reader)) {}
  // The next expected record's readable form into `line`; false at the end or
  // on error (then error_ is set).
  bool next_expected(std::string& line);
  // Records the divergence at the current position; actual_line_ (when not
  // empty) is the first differing actual line.
  void start_divergence(std::uint64_t request);
  void read_expected_tail();
  std::string diff_text() const;

  TraceReader reader_;
  TraceRecord expected_;
  std::string expected_line_;
  std::string actual_line_;
  // The last matching lines, oldest first once rotated (a ring of kContext).
  std::array<std::string, kContext> context_;
  std::uint64_t compared_ = 0;  // records compared so far (each side)
  std::optional<Error> error_;
  bool finished_ = false;

  std::optional<Divergence> divergence_;
  std::vector<std::string> expected_tail_;  // from the divergence on, at most kContext
  std::vector<std::string> actual_tail_;
  bool expected_ended_ = false;
  bool actual_ended_ = false;
};

}  // namespace calloutemu::trace
