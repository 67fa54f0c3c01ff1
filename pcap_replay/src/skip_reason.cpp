#include "calloutemu/pcap_replay/skip_reason.h"

namespace calloutemu::pcap_replay {

std::string_view to_string(SkipReason reason) {
  switch (reason) {
    case SkipReason::unsupported_link_type:
      return "unsupported link type";
    case SkipReason::not_ipv4:
      return "not IPv4";
    case SkipReason::not_udp:
      return "not UDP";
    case SkipReason::ipv4_fragment:
      return "IPv4 fragment";
    case SkipReason::truncated:
      return "truncated";
    case SkipReason::malformed_ip_header:
      return "malformed IPv4 header";
    case SkipReason::malformed_udp_header:
      return "malformed UDP header";
  }
  return "unknown skip reason";
}

}  // namespace calloutemu::pcap_replay
