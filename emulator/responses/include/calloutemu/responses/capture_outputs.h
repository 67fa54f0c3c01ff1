// --write-pcap and --write-dropped: a server observer that writes what the
// server transmits, and the requests it dropped, as capture files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "calloutemu/pcap_replay/capture_writer.h"
#include "calloutemu/pcap_replay/pcapng_writer.h"
#include "calloutemu/result.h"
#include "calloutemu/server/outcome.h"

namespace calloutemu::responses {

struct CaptureOutputSettings {
  // --write-pcap: every response as PktSend left it, in Ethernet frames (pcap).
  std::optional<std::filesystem::path> responses;
  // --write-dropped: every dropped request as captured, with the reason in
  // its comment (pcapng).
  std::optional<std::filesystem::path> dropped;
  // Of both files. Frames are stamped with their request's capture time.
  pcap_replay::TimestampPrecision precision = pcap_replay::TimestampPrecision::nanoseconds;
};

// Dropped: a reason drop (drop_reasons), or NewPkt set ProcessIt to FALSE.
bool is_dropped(const server::RequestOutcome& outcome);

// "request 12: dropped: DUPLICATE (1)", reasons in the order they came;
// "request 7: dropped by the callout (NewPkt set ProcessIt to FALSE)".
std::string dropped_comment(const server::RequestOutcome& outcome);

class CaptureOutputs final : public server::ServerObserver {
 public:
  // Creates the files asked for (none, one or both). Errors name the file.
  static Result<std::unique_ptr<CaptureOutputs>> create(const CaptureOutputSettings& settings);

  // Never throw. The first error (a frame that cannot be built or written)
  // is kept for close(), and that file gets no more frames.
  void response_sent(const server::RequestOutcome& outcome,
                     std::span<const std::uint8_t> bytes) override;
  void request_finished(const server::RequestOutcome& outcome) override;

  // Closes both files; returns the first error of the run, else of closing.
  Status close();

  std::uint64_t responses_written() const { return responses_.written; }
  std::uint64_t dropped_written() const { return dropped_.written; }

 private:
  template <class Writer>
  struct Output {
    std::optional<Writer> writer;  // nullopt: not asked for
    bool failed = false;           // no more frames after an error
    std::uint64_t written = 0;
  };

  CaptureOutputs() = default;
  // Runs `write_frame(writer)` unless `output` is off or failed; keeps the
  // first error, and any exception as one.
  template <class Writer, class WriteFrame>
  void write_to(Output<Writer>& output, const server::RequestOutcome& outcome,
                const WriteFrame& write_frame);

  Output<pcap_replay::CaptureWriter> responses_;
  Output<pcap_replay::PcapngWriter> dropped_;
  std::optional<Error> first_error_;
};

}  // namespace calloutemu::responses
