#include "internet_checksum.h"

namespace calloutemu::pcap_replay {

void InternetChecksum::add(Bytes bytes) {
  std::size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2) {
    sum_ += load_be16(bytes.data() + i);
  }
  if (i < bytes.size()) {
    sum_ += std::uint64_t{bytes[i]} << 8;
  }
}

std::uint16_t InternetChecksum::finish() const {
  std::uint64_t folded = sum_;
  while (folded > 0xffff) {
    folded = (folded & 0xffff) + (folded >> 16);
  }
  return static_cast<std::uint16_t>(~folded & 0xffff);
}

}  // namespace calloutemu::pcap_replay
