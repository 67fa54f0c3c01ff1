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

// One hook call. `code` is the control, drop or address code the hook was
// called with (0 for NewPkt, HandleOptions and DeleteClient); `request` is
// the request being handled, or about to be (events scheduled before it,
// such as lease expiry, carry the number of the request that follows them);
// 0 for calls before the first request or after the last.
struct HookRecord {
  loader::Hook hook = loader::Hook::control;
  DWORD code = 0;
  std::uint64_t request = 0;
  const loader::HookCall* call = nullptr;
};

struct RequestOutcome {
  std::uint64_t number = 0;
  CaptureOrigin origin;
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

  void reset(std::uint64_t request_number, const CaptureOrigin& request_origin);
};

class ServerObserver {
 public:
  virtual ~ServerObserver() = default;
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
