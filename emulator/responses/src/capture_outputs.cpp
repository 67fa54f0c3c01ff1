#include "calloutemu/responses/capture_outputs.h"

#include <exception>
#include <string_view>
#include <utility>

#include "calloutemu/responses/response_frame.h"

namespace calloutemu::responses {
namespace {

// Frames of one request share its number as their IPv4 identification.
std::uint16_t ip_id(const server::RequestOutcome& outcome) {
  return static_cast<std::uint16_t>(outcome.number);
}

// "FILE: request N: problem"; `problem` may already start with "FILE: ".
Error request_error(const std::filesystem::path& path, const server::RequestOutcome& outcome,
                    std::string_view problem) {
  const std::string file = path.string() + ": ";
  if (problem.starts_with(file)) {
    problem.remove_prefix(file.size());
  }
  return make_error(file + "request " + std::to_string(outcome.number) + ": " +
                    std::string(problem));
}

}  // namespace

Result<std::unique_ptr<CaptureOutputs>> CaptureOutputs::create(
    const CaptureOutputSettings& settings) {
  std::unique_ptr<CaptureOutputs> outputs(new CaptureOutputs());
  if (settings.responses) {
    auto writer = pcap_replay::CaptureWriter::create(*settings.responses, settings.precision);
    if (!writer) {
      return writer.error();
    }
    outputs->responses_.writer.emplace(std::move(*writer));
  }
  if (settings.dropped) {
    auto writer = pcap_replay::PcapngWriter::create(*settings.dropped, settings.precision);
    if (!writer) {
      return writer.error();
    }
    outputs->dropped_.writer.emplace(std::move(*writer));
  }
  return outputs;
}

template <class Writer, class WriteFrame>
void CaptureOutputs::write_to(Output<Writer>& output, const server::RequestOutcome& outcome,
                              const WriteFrame& write_frame) {
  if (!output.writer || output.failed) {
    return;
  }
  const std::filesystem::path& path = output.writer->path();
  std::optional<Error> error;
  try {
    Status status = write_frame(*output.writer);
    if (status) {
      ++output.written;
      return;
    }
    error = request_error(path, outcome, status.error().message);
  } catch (const std::exception& exception) {
    error = request_error(path, outcome, exception.what());
  } catch (...) {
    error = request_error(path, outcome, "unknown exception");
  }
  output.failed = true;
  if (!first_error_) {
    first_error_ = std::move(error);
  }
}

void CaptureOutputs::response_sent(const server::RequestOutcome& outcome,
                                   std::span<const std::uint8_t> bytes) {
  write_to(responses_, outcome, [&](pcap_replay::CaptureWriter& writer) -> Status {
    const server::Request no_request;
    const server::Request& request = outcome.request ? *outcome.request : no_request;
    auto frame =
        response_frame(request, response_source_address(request, bytes), bytes, ip_id(outcome));
    if (!frame) {
      return make_error("response of " + std::to_string(bytes.size()) +
                        " bytes: " + frame.error().message);
    }
    return writer.write(outcome.origin.time, *frame);
  });
}

void CaptureOutputs::request_finished(const server::RequestOutcome& outcome) {
  if (!is_dropped(outcome)) {
    return;
  }
  write_to(dropped_, outcome, [&](pcap_replay::PcapngWriter& writer) -> Status {
    if (outcome.request == nullptr) {
      return make_error("the captured request is not available");
    }
    auto frame = request_frame(*outcome.request, ip_id(outcome));
    if (!frame) {
      return make_error("request of " + std::to_string(outcome.request->payload.size()) +
                        " bytes: " + frame.error().message);
    }
    return writer.write(outcome.origin.time, *frame, dropped_comment(outcome));
  });
}

Status CaptureOutputs::close() {
  Status responses = responses_.writer ? responses_.writer->close() : Status{};
  Status dropped = dropped_.writer ? dropped_.writer->close() : Status{};
  if (first_error_) {
    return *first_error_;
  }
  return !responses ? responses : dropped;
}

}  // namespace calloutemu::responses
