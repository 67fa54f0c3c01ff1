#include "calloutemu/pcap_replay/capture_writer.h"

#include <pcap/pcap.h>

#include <cerrno>
#include <cstdio>
#include <limits>
#include <utility>

#include "libpcap_support.h"

namespace calloutemu::pcap_replay {
namespace {

constexpr std::int64_t kBillion = 1'000'000'000;

}  // namespace

void CaptureWriter::PcapCloser::operator()(pcap* handle) const {
  pcap_close(handle);
}

void CaptureWriter::DumperCloser::operator()(pcap_dumper* dumper) const {
  pcap_dump_close(dumper);
}

CaptureWriter::~CaptureWriter() = default;

Error CaptureWriter::error(const std::string& problem) const {
  return make_error(path_.string() + ": " + problem);
}

Result<CaptureWriter> CaptureWriter::create(const std::filesystem::path& path,
                                            TimestampPrecision precision, std::uint32_t snaplen,
                                            int link_type) {
  CaptureWriter writer;
  writer.path_ = path;
  writer.precision_ = precision;
  writer.snaplen_ = snaplen;
  if (snaplen == 0 || snaplen > static_cast<std::uint32_t>(std::numeric_limits<int>::max())) {
    return writer.error("cannot create: snaplen " + std::to_string(snaplen) + " is out of range");
  }
  const u_int libpcap_precision = precision == TimestampPrecision::nanoseconds
                                      ? PCAP_TSTAMP_PRECISION_NANO
                                      : PCAP_TSTAMP_PRECISION_MICRO;
  // Checked before the file is created; pcap_dump_fopen would refuse it only
  // after, leaving an empty file behind.
  if (pcap_datalink_val_to_name(link_type) == nullptr) {
    return writer.error("cannot create: unknown link type " + std::to_string(link_type));
  }
  writer.dead_.reset(pcap_open_dead_with_tstamp_precision(link_type, static_cast<int>(snaplen),
                                                          libpcap_precision));
  if (!writer.dead_) {
    return writer.error("cannot create: libpcap could not allocate a handle");
  }
  auto file = open_file(path, "wb");
  if (!file) {
    return writer.error("cannot create: " + file.error().message);
  }
  // pcap_dump_fopen writes the file header; pcap_dump_close closes the file.
  writer.dumper_.reset(pcap_dump_fopen(writer.dead_.get(), file->get()));
  if (!writer.dumper_) {
    return writer.error("cannot create: " + std::string(pcap_geterr(writer.dead_.get())));
  }
  static_cast<void>(file->release());
  return writer;
}

Status CaptureWriter::write(std::chrono::nanoseconds timestamp,
                            std::span<const std::uint8_t> frame) {
  if (!dumper_) {
    return error("cannot write: the file is closed");
  }
  if (frame.size() > snaplen_) {
    return error("cannot write a frame of " + std::to_string(frame.size()) +
                 " bytes: the snaplen is " + std::to_string(snaplen_));
  }
  const std::int64_t nanoseconds = timestamp.count();
  const std::int64_t seconds = nanoseconds / kBillion;
  if (nanoseconds < 0 || seconds > std::numeric_limits<std::uint32_t>::max()) {
    return error("cannot write a frame stamped " + std::to_string(nanoseconds) +
                 " ns after the epoch: pcap holds 1970 to 2106");
  }
  std::int64_t fraction = nanoseconds % kBillion;
  if (precision_ == TimestampPrecision::microseconds) {
    fraction /= 1000;
  }
  pcap_pkthdr header{};
  header.ts.tv_sec = static_cast<decltype(header.ts.tv_sec)>(seconds);
  header.ts.tv_usec = static_cast<decltype(header.ts.tv_usec)>(fraction);
  header.caplen = static_cast<bpf_u_int32>(frame.size());
  header.len = header.caplen;
  pcap_dump(reinterpret_cast<u_char*>(dumper_.get()), &header, frame.data());
  if (std::ferror(pcap_dump_file(dumper_.get())) != 0) {
    return error("write failed: " + errno_reason(errno));
  }
  return {};
}

Status CaptureWriter::close() {
  if (!dumper_) {
    return {};
  }
  const bool flushed = pcap_dump_flush(dumper_.get()) == 0;
  const int flush_errno = errno;
  const bool clean = flushed && std::ferror(pcap_dump_file(dumper_.get())) == 0;
  // pcap_dump_close does not report fclose's failure; the flush above did the writing.
  dumper_.reset();
  dead_.reset();
  if (!clean) {
    return error(flushed ? "write failed" : "write failed: " + errno_reason(flush_errno));
  }
  return {};
}

}  // namespace calloutemu::pcap_replay
