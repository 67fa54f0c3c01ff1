#include "calloutemu/pcap_replay/pcapng_writer.h"

#include <cerrno>
#include <limits>
#include <utility>
#include <vector>

#include "calloutemu/utf8.h"
#include "libpcap_support.h"

namespace calloutemu::pcap_replay {
namespace {

// Block types and option codes (draft-ietf-opsawg-pcapng).
constexpr std::uint32_t kSectionHeaderBlock = 0x0A0D0D0A;
constexpr std::uint32_t kInterfaceDescriptionBlock = 1;
constexpr std::uint32_t kEnhancedPacketBlock = 6;
constexpr std::uint32_t kByteOrderMagic = 0x1A2B3C4D;
constexpr std::uint16_t kOptEndOfOpt = 0;
constexpr std::uint16_t kOptComment = 1;
constexpr std::uint16_t kShbUserAppl = 4;
constexpr std::uint16_t kIfTsresol = 9;
constexpr std::uint8_t kTsresolMicroseconds = 6;
constexpr std::uint8_t kTsresolNanoseconds = 9;
constexpr int kLinktypeRaw = 101;

// One block, built in memory in little-endian order.
class BlockBuilder {
 public:
  explicit BlockBuilder(std::uint32_t type) {
    put32(type);
    put32(0);  // the total length, filled in by finish()
  }

  void put16(std::uint16_t value) {
    bytes_.push_back(static_cast<std::uint8_t>(value));
    bytes_.push_back(static_cast<std::uint8_t>(value >> 8));
  }
  void put32(std::uint32_t value) {
    put16(static_cast<std::uint16_t>(value));
    put16(static_cast<std::uint16_t>(value >> 16));
  }
  void put(std::span<const std::uint8_t> data) {
    bytes_.insert(bytes_.end(), data.begin(), data.end());
    bytes_.resize((bytes_.size() + 3) / 4 * 4, 0);
  }
  // The caller keeps `value` within 65535 bytes.
  void option(std::uint16_t code, std::span<const std::uint8_t> value) {
    put16(code);
    put16(static_cast<std::uint16_t>(value.size()));
    put(value);
  }
  void option(std::uint16_t code, std::string_view value) {
    option(code, std::span(reinterpret_cast<const std::uint8_t*>(value.data()), value.size()));
  }
  void end_of_options() {
    put16(kOptEndOfOpt);
    put16(0);
  }

  const std::vector<std::uint8_t>& finish() {
    const auto total = static_cast<std::uint32_t>(bytes_.size() + 4);
    put32(total);
    for (std::size_t i = 0; i < 4; ++i) {
      bytes_[4 + i] = static_cast<std::uint8_t>(total >> (8 * i));
    }
    return bytes_;
  }

 private:
  std::vector<std::uint8_t> bytes_;
};

}  // namespace

void PcapngWriter::FileCloser::operator()(std::FILE* file) const {
  std::fclose(file);
}

PcapngWriter::~PcapngWriter() = default;

Error PcapngWriter::error(const std::string& problem) const {
  return make_error(path_.string() + ": " + problem);
}

Result<PcapngWriter> PcapngWriter::create(const std::filesystem::path& path,
                                          TimestampPrecision precision, std::uint32_t snaplen,
                                          int link_type) {
  PcapngWriter writer;
  writer.path_ = path;
  writer.precision_ = precision;
  writer.snaplen_ = snaplen;
  if (snaplen == 0 || snaplen > static_cast<std::uint32_t>(std::numeric_limits<int>::max())) {
    return writer.error("cannot create: snaplen " + std::to_string(snaplen) + " is out of range");
  }
  if (link_type == link_type::kRaw) {
    link_type = kLinktypeRaw;
  }
  if (link_type < 0 || link_type > std::numeric_limits<std::uint16_t>::max()) {
    return writer.error("cannot create: link type " + std::to_string(link_type) +
                        " is out of range");
  }
  auto file = open_file(path, "wb");
  if (!file) {
    return writer.error("cannot create: " + file.error().message);
  }
  writer.file_.reset(file->release());

  BlockBuilder section(kSectionHeaderBlock);
  section.put32(kByteOrderMagic);
  section.put16(1);  // version 1.0
  section.put16(0);
  section.put32(0xFFFFFFFF);  // section length: not given
  section.put32(0xFFFFFFFF);
  section.option(kShbUserAppl, std::string_view("calloutemu"));
  section.end_of_options();
  if (Status status = writer.write_block(section.finish()); !status) {
    return status.error();
  }

  BlockBuilder interface(kInterfaceDescriptionBlock);
  interface.put16(static_cast<std::uint16_t>(link_type));
  interface.put16(0);  // reserved
  interface.put32(snaplen);
  const std::uint8_t tsresol =
      precision == TimestampPrecision::nanoseconds ? kTsresolNanoseconds : kTsresolMicroseconds;
  interface.option(kIfTsresol, std::span(&tsresol, 1));
  interface.end_of_options();
  if (Status status = writer.write_block(interface.finish()); !status) {
    return status.error();
  }
  return writer;
}

Status PcapngWriter::write(std::chrono::nanoseconds timestamp, std::span<const std::uint8_t> frame,
                           std::string_view comment) {
  if (!file_) {
    return error("cannot write: the file is closed");
  }
  if (frame.size() > snaplen_) {
    return error("cannot write a frame of " + std::to_string(frame.size()) +
                 " bytes: the snaplen is " + std::to_string(snaplen_));
  }
  if (timestamp.count() < 0) {
    return error("cannot write a frame stamped " + std::to_string(timestamp.count()) +
                 " ns before the epoch");
  }
  if (comment.size() > kMaxCommentLength) {
    return error("cannot write a comment of " + std::to_string(comment.size()) +
                 " bytes: an option holds at most " + std::to_string(kMaxCommentLength));
  }
  if (!is_utf8(comment)) {
    return error("cannot write a comment that is not UTF-8");
  }
  auto units = static_cast<std::uint64_t>(timestamp.count());
  if (precision_ == TimestampPrecision::microseconds) {
    units /= 1000;
  }
  BlockBuilder packet(kEnhancedPacketBlock);
  packet.put32(0);  // interface 0
  packet.put32(static_cast<std::uint32_t>(units >> 32));
  packet.put32(static_cast<std::uint32_t>(units));
  packet.put32(static_cast<std::uint32_t>(frame.size()));  // captured
  packet.put32(static_cast<std::uint32_t>(frame.size()));  // on the wire
  packet.put(frame);
  if (!comment.empty()) {
    packet.option(kOptComment, comment);
    packet.end_of_options();
  }
  return write_block(packet.finish());
}

Status PcapngWriter::write_block(std::span<const std::uint8_t> block) {
  if (std::fwrite(block.data(), 1, block.size(), file_.get()) != block.size()) {
    return error("write failed: " + errno_reason(errno));
  }
  return {};
}

Status PcapngWriter::close() {
  if (!file_) {
    return {};
  }
  const bool flushed = std::fflush(file_.get()) == 0;
  const int flush_errno = errno;
  const bool clean = flushed && std::ferror(file_.get()) == 0;
  const bool closed = std::fclose(file_.release()) == 0;
  const int close_errno = errno;
  if (!flushed) {
    return error("write failed: " + errno_reason(flush_errno));
  }
  if (!clean) {
    return error("write failed");
  }
  if (!closed) {
    return error("close failed: " + errno_reason(close_errno));
  }
  return {};
}

}  // namespace calloutemu::pcap_replay
