// Streams the UDP/IPv4 datagrams of a pcap or pcapng file (libpcap reads both).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "calloutemu/pcap_replay/capture_counters.h"
#include "calloutemu/pcap_replay/frame_decoder.h"
#include "calloutemu/result.h"

struct pcap;
struct bpf_program;

namespace calloutemu::pcap_replay {

// One datagram and the frame it came in. The spans point into the reader's
// buffer: they stay valid until the reader's next call to next().
struct CapturedDatagram {
  std::chrono::nanoseconds timestamp{};  // capture time since the Unix epoch
  std::uint64_t frame_number = 0;        // 1-based in its file, counting every frame
  std::size_t file_index = 0;            // which file of a CaptureSequence (0 for a reader)
  int link_type = 0;                     // DLT_ value (link_type.h)
  std::span<const std::uint8_t> frame;   // every captured byte of the frame
  std::uint32_t wire_length = 0;         // the frame's length on the wire
  UdpDatagram datagram;                  // decoded from `frame`
};

class CaptureReader {
 public:
  // Opens a pcap or pcapng file. `filter` is a BPF expression (tcpdump
  // syntax, e.g. "udp dst port 67"): frames it rejects are counted and not
  // decoded. Errors are one line naming the file: cannot open, not a capture
  // file, bad filter expression.
  static Result<CaptureReader> open(const std::filesystem::path& path,
                                    const std::optional<std::string>& filter = std::nullopt);

  // The next datagram that passes the filter and decodes; nullopt at the end
  // of the file. A file that ends in the middle of a record, or any other read
  // error, is an error value returned after every complete frame before it;
  // from then on next() returns that error again.
  Result<std::optional<CapturedDatagram>> next();

  const std::filesystem::path& path() const { return path_; }
  // How far into the file reading has got, in bytes (for progress reports;
  // it asks the OS, so not for every frame).
  std::uint64_t position() const;
  int link_type() const { return link_type_; }
  const CaptureCounters& counters() const { return counters_; }

  CaptureReader(CaptureReader&&) noexcept = default;
  CaptureReader& operator=(CaptureReader&&) noexcept = default;
  ~CaptureReader();

 private:
  // Closes the capture, and only then frees the stdio buffer it read through:
  // the buffer lives in the deleter, which unique_ptr destroys after calling it.
  struct PcapCloser {
    std::unique_ptr<char[]> read_buffer;
    void operator()(pcap* handle) const;
  };
  struct ProgramFreer {
    void operator()(bpf_program* program) const;
  };

  CaptureReader() = default;
  Error error(const std::string& problem) const;
  Error read_failure() const;  // after pcap_next_ex failed

  std::filesystem::path path_;
  std::unique_ptr<pcap, PcapCloser> handle_;
  std::unique_ptr<bpf_program, ProgramFreer> filter_;  // null: no filter
  int link_type_ = 0;
  CaptureCounters counters_;
  std::optional<Error> failed_;  // the read error, once there was one
  bool finished_ = false;
};

}  // namespace calloutemu::pcap_replay
