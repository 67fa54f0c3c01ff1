// Link layers: where the IPv4 header starts in a frame.
#pragma once

#include <cstddef>
#include <variant>

#include "bytes.h"
#include "calloutemu/pcap_replay/frame_decoder.h"

namespace calloutemu::pcap_replay {

struct Ipv4Start {
  std::size_t offset = 0;  // of the IPv4 header in the frame
  VlanTags vlan_tags;
};

std::variant<Ipv4Start, SkipReason> find_ipv4(int link_type, Bytes frame);

}  // namespace calloutemu::pcap_replay
