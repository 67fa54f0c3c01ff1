// What the server did with each request, for reports and traces.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "calloutemu/dhcp/message_type.h"
#include "calloutemu/dhcpssdk.h"
#include "calloutemu/loader/callout_hooks.h"
#include "calloutemu/server/request.h"

namespace calloutemu::server {

enum class DecisionSource : std::uint8_t { none, model, capture };
std::string_view to_string(DecisionSource source);

// What a hook was called with, for traces. Spans and pointers are valid only
// during ServerObserver::hook_called.
struct HookArguments {
  std::span<const std::uint8_t> packet;        // as handed to the hook; empty: no packet
  std::span<const std::uint8_t> packet_after;  // as the hook left it (the same bytes if untouched)
  bool replaced = false;                       // the hook replaced Packet/PacketSize
  DWORD ip_address = 0;                        // IpAddress as passed (legacy byte order included)
  DWORD alt_address = 0;                       // AddressDel, AddressOffer
  DWORD address_type = 0;                      // AddressOffer
  DWORD lease_time = 0;                        // AddressOffer
  const void* reserved = nullptr;              // Reserved: the packet's slot
  const void* context = nullptr;               // PktContext passed in (NewPkt: as it set it)
  std::optional<BOOL> process_it;              // NewPkt: ProcessIt as it left it
  std::span<const std::uint8_t> hw_address;    // DeleteClient
  DWORD client_type = 0;                       // DeleteClient
};

// One hook call. `code` is the control, drop or address code the hook was
// called with (0 for NewPkt, HandleOptions and DeleteClient); `request` is
// the request being handled, or about to be (events scheduled before it,
// such as lease expiry, carry the number of the request that follows them);
// 0 for calls before the first request or after the last.
struct HookRecord {
  loader::Hook hook = loader::Hook::control;
  DWORD code = 0;
  std::uint64_t request = 0;
  const CaptureOrigin* origin = nullptr;  // request's; nullptr when `request` is 0
  const loader::HookCall* call = nullptr;
  // Set only for observers that ask for them (ServerObserver::wants_arguments).
  const HookArguments* arguments = nullptr;
};

struct RequestOutcome {
  std::uint64_t number = 0;
  CaptureOrigin origin;
  const Request* request = nullptr;  // as captured; valid in response_sent and request_finished
  std::optional<dhcp::MessageType> message_type;  // as the server read it
  bool bootp = false;                             // no option 53
  DecisionSource source = DecisionSource::none;
  bool dropped_by_callout = false;  // NewPkt set ProcessIt to FALSE
  std::vector<DWORD> drop_reasons;  // every reason drop, PROCESSED excluded
  bool responded = false;
  std::optional<dhcp::MessageType> response_type;  // when responded; nullopt: BOOTP reply
  bool packet_replaced = false;                    // a hook replaced the request buffer
  bool response_replaced = false;                  // PktSend replaced the response buffer
  std::size_t faults = 0;                          // hook calls that crashed or threw
  std::vector<std::string> findings;               // misuse of buffers the server noticed

  void reset(const Request& captured);
};

class ServerObserver {
 public:
  virtual ~ServerObserver() = default;
  // Whether hook_called needs HookRecord::arguments (a copy of each packet
  // before each hook: only for traces). Asked once, when the server is made.
  virtual bool wants_arguments() const { return false; }
  virtual void hook_called(const HookRecord& record) { (void)record; }
  // What the server transmits: the response as PktSend left it.
  virtual void response_sent(const RequestOutcome& outcome, std::span<const std::uint8_t> bytes) {
    (void)outcome;
    (void)bytes;
  }
  virtual void request_finished(const RequestOutcome& outcome) { (void)outcome; }
  // Something the run should say once: a scripted event that could not
  // happen, why every request is dropped, ...
  virtual void note(std::string_view text) { (void)text; }
};

}  // namespace calloutemu::server
