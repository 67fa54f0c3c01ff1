// --trace FILE: the run as JSON Lines, one record per line (schema in
// emulator/trace/README.md).
#pragma once

#include <cstdint>
#include <fstream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "calloutemu/loader/chain_loader.h"
#include "calloutemu/result.h"
#include "calloutemu/server/outcome.h"
#include "calloutemu/trace/record_builder.h"
#include "calloutemu/trace/trace_record.h"

namespace calloutemu::trace {

class TraceWriter final : public server::ServerObserver {
 public:
  // Opens `path` for writing; "-" writes to `standard_output` instead.
  static Result<std::unique_ptr<TraceWriter>> open(const std::string& path,
                                                   std::ostream& standard_output);
  // Writes to `out`; `name` is what errors call it.
  TraceWriter(std::ostream& out, std::string name);
  ~TraceWriter() override;
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;

  void write_header(const TraceHeader& header);
  void load_attempt(const loader::LoadAttempt& attempt);
  // START and STOP of the session. A call that did not happen (the control
  // hook is NULL) writes nothing, as the server's own hook records.
  void control(const loader::ControlCall& call);
  // Any record, as is (a record made by another TraceRecordBuilder keeps its
  // numbering).
  void write(const TraceRecord& record);

  bool wants_arguments() const override { return true; }
  void hook_called(const server::HookRecord& record) override;
  // One finding record per entry of outcome.findings.
  void request_finished(const server::RequestOutcome& outcome) override;

  // Flushes; the first write error, naming the file. Later writes are ignored.
  Status close();

 private:
  TraceWriter(std::unique_ptr<std::ofstream> file, std::string name);
  void check_stream();

  std::unique_ptr<std::ofstream> file_;  // when writing to a file of our own
  std::ostream* out_;
  std::string name_;
  TraceRecordBuilder builder_;
  std::string buffer_;
  std::optional<Error> error_;
  bool closed_ = false;
};

}  // namespace calloutemu::trace
