// The IPv4 header and the UDP header after it.
#pragma once

#include "bytes.h"
#include "calloutemu/pcap_replay/frame_decoder.h"
#include "link_layer.h"

namespace calloutemu::pcap_replay {

DecodeResult decode_ipv4_udp(Bytes frame, const Ipv4Start& start);

}  // namespace calloutemu::pcap_replay
