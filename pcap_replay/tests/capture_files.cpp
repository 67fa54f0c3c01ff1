#include "capture_files.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "calloutemu/pcap_replay/capture_reader.h"
#include "calloutemu/pcap_replay/capture_sequence.h"

namespace calloutemu::pcap_replay::test_frames {
namespace {

void append_le16(ByteVector& out, std::uint16_t value) {
  out.push_back(static_cast<std::uint8_t>(value));
  out.push_back(static_cast<std::uint8_t>(value >> 8));
}

void append_le32(ByteVector& out, std::uint32_t value) {
  append_le16(out, static_cast<std::uint16_t>(value));
  append_le16(out, static_cast<std::uint16_t>(value >> 16));
}

ReadDatagram copy_of(const CapturedDatagram& captured) {
  ReadDatagram out;
  out.timestamp = captured.timestamp;
  out.frame_number = captured.frame_number;
  out.file_index = captured.file_index;
  out.link_type = captured.link_type;
  out.frame = bytes_from(captured.frame);
  out.wire_length = captured.wire_length;
  out.source_address = captured.datagram.source_address;
  out.destination_address = captured.datagram.destination_address;
  out.source_port = captured.datagram.source_port;
  out.destination_port = captured.datagram.destination_port;
  out.payload = bytes_from(captured.datagram.payload);
  out.vlan_count = captured.datagram.vlan_tags.count;
  return out;
}

template <class Source>
void drain(Source& source, ReadAll& all) {
  for (;;) {
    auto next = source.next();
    if (!next) {
      all.read_error = next.error().message;
      return;
    }
    if (!next->has_value()) {
      return;
    }
    all.datagrams.push_back(copy_of(**next));
  }
}

}  // namespace

ByteVector pcap_file(int link_type, const std::vector<PcapRecord>& records, bool nanoseconds,
                     std::uint32_t snaplen) {
  ByteVector out;
  append_le32(out, nanoseconds ? 0xa1b23c4d : 0xa1b2c3d4);
  append_le16(out, 2);
  append_le16(out, 4);
  append_le32(out, 0);  // thiszone
  append_le32(out, 0);  // sigfigs
  append_le32(out, snaplen);
  append_le32(out, static_cast<std::uint32_t>(link_type));
  for (const auto& record : records) {
    append_le32(out, record.seconds);
    append_le32(out, record.fraction);
    append_le32(out, static_cast<std::uint32_t>(record.data.size()));
    append_le32(out, record.wire_length.value_or(static_cast<std::uint32_t>(record.data.size())));
    out.insert(out.end(), record.data.begin(), record.data.end());
  }
  return out;
}

void write_file(const std::filesystem::path& path, const ByteVector& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

ByteVector read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return ByteVector(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

ReadAll read_all(const std::filesystem::path& path, const std::optional<std::string>& filter) {
  ReadAll all;
  auto reader = CaptureReader::open(path, filter);
  if (!reader) {
    all.open_error = reader.error().message;
    return all;
  }
  drain(*reader, all);
  all.counters = reader->counters();
  return all;
}

ReadAll read_all(const std::vector<std::filesystem::path>& paths,
                 const std::optional<std::string>& filter) {
  ReadAll all;
  auto sequence = CaptureSequence::open(paths, filter);
  if (!sequence) {
    all.open_error = sequence.error().message;
    return all;
  }
  drain(*sequence, all);
  all.counters = sequence->counters();
  return all;
}

}  // namespace calloutemu::pcap_replay::test_frames
