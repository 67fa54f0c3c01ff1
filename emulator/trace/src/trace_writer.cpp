#include "calloutemu/trace/trace_writer.h"

#include <cerrno>
#include <cstring>
#include <utility>

#include "json_lines.h"

namespace calloutemu::trace {
namespace {

std::string system_reason() {
  return errno != 0 ? std::strerror(errno) : "I/O error";
}

}  // namespace

Result<std::unique_ptr<TraceWriter>> TraceWriter::open(const std::string& path,
                                                       std::ostream& standard_output) {
  if (path == "-") {
    return std::make_unique<TraceWriter>(standard_output, "standard output");
  }
  errno = 0;
  auto file = std::make_unique<std::ofstream>(path, std::ios::binary | std::ios::trunc);
  if (!file->is_open()) {
    return make_error(path + ": cannot open the trace for writing: " + system_reason());
  }
  return std::unique_ptr<TraceWriter>(new TraceWriter(std::move(file), path));
}

TraceWriter::TraceWriter(std::ostream& out, std::string name)
    : out_(&out), name_(std::move(name)) {}

TraceWriter::TraceWriter(std::unique_ptr<std::ofstream> file, std::string name)
    : file_(std::move(file)), out_(file_.get()), name_(std::move(name)) {}

TraceWriter::~TraceWriter() {
  if (!closed_) {
    (void)close();
  }
}

void TraceWriter::write_header(const TraceHeader& header) {
  write(builder_.header(header));
}

void TraceWriter::load_attempt(const loader::LoadAttempt& attempt) {
  write(builder_.load(attempt));
}

void TraceWriter::control(const loader::ControlCall& call) {
  if (call.called) {
    write(builder_.control(call));
  }
}

void TraceWriter::hook_called(const server::HookRecord& record) {
  write(builder_.hook(record));
}

void TraceWriter::request_finished(const server::RequestOutcome& outcome) {
  for (const std::string& text : outcome.findings) {
    write(builder_.finding(outcome.number, text));
  }
}

void TraceWriter::write(const TraceRecord& record) {
  if (error_ || closed_) {
    return;
  }
  buffer_.clear();
  detail::append_json_line(buffer_, record);
  errno = 0;
  out_->write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  check_stream();
}

void TraceWriter::check_stream() {
  if (!error_ && !*out_) {
    error_ = make_error(name_ + ": cannot write the trace: " + system_reason());
  }
}

Status TraceWriter::close() {
  if (!closed_) {
    closed_ = true;
    if (!error_) {
      errno = 0;
      out_->flush();
      check_stream();
    }
    if (file_ && !error_) {
      errno = 0;
      file_->close();
      check_stream();
    }
  }
  if (error_) {
    return *error_;
  }
  return {};
}

}  // namespace calloutemu::trace
