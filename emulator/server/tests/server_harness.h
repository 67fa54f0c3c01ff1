// What the server model's tests share: the standard scope, requests built
// byte by byte, a recording observer and a harness that feeds the server.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "calloutemu/dhcp/message_type.h"
#include "calloutemu/server/dhcp_server.h"
#include "calloutemu/server/outcome.h"
#include "calloutemu/server/request.h"
#include "calloutemu/server/settings.h"
#include "recording_hooks.h"

namespace calloutemu::server::testing {

// 192.0.2.host in host order: net(1) is 0xC0000201.
constexpr std::uint32_t net(std::uint8_t host) {
  return 0xC0000200u | host;
}
inline constexpr std::uint32_t kServer = net(1);
inline constexpr std::uint32_t kOtherServer = 0xC6336401;  // 198.51.100.1
inline constexpr std::uint32_t kBroadcast = 0xFFFFFFFF;

Bytes be32(std::uint32_t value);
// The test client `n`: chaddr 02:00:5e:00:00:n.
Bytes mac(std::uint8_t n);

// 192.0.2.0/24, server 192.0.2.1, range .100-.199, default lease time.
scopes::Scope test_scope();
ServerSettings model_settings(Fidelity fidelity = Fidelity::documented);

// Requests from client `client` with transaction id `xid`.
namespace msg {
Bytes discover(std::uint8_t client, std::uint32_t xid);
// SELECTING: options 50 and 54.
Bytes request_selecting(std::uint8_t client, std::uint32_t xid, std::uint32_t address,
                        std::uint32_t server = kServer);
// INIT-REBOOT: option 50, no 54.
Bytes request_init_reboot(std::uint8_t client, std::uint32_t xid, std::uint32_t address);
// RENEWING: ciaddr, no 50 or 54.
Bytes request_renewing(std::uint8_t client, std::uint32_t xid, std::uint32_t ciaddr);
Bytes decline(std::uint8_t client, std::uint32_t xid, std::uint32_t address);
Bytes release(std::uint8_t client, std::uint32_t xid, std::uint32_t ciaddr);
Bytes inform(std::uint8_t client, std::uint32_t xid, std::uint32_t ciaddr);
// A BOOTP request: the magic cookie, no option 53.
Bytes bootp(std::uint8_t client, std::uint32_t xid);
Bytes of_type(std::uint8_t type, std::uint8_t client, std::uint32_t xid);
// A BOOTREPLY of the captured server: options 53, 54 and 51 (when given).
Bytes reply(std::optional<dhcp::MessageType> type, std::uint8_t client, std::uint32_t xid,
            std::uint32_t yiaddr, std::optional<std::uint32_t> lease = 3600,
            std::uint32_t server = kServer);
}  // namespace msg

// Capture times: seconds after a fixed start.
std::chrono::nanoseconds at(double seconds);

CapturedReply captured_reply(const Bytes& datagram, double seconds, std::uint32_t source = kServer);

struct ObservedHook {
  loader::Hook hook = loader::Hook::control;
  DWORD code = 0;
  std::uint64_t request = 0;
  loader::HookCall call;
};

struct SentResponse {
  std::uint64_t request = 0;
  std::optional<dhcp::MessageType> type;
  bool replaced = false;
  Bytes bytes;
};

class RecordingObserver final : public ServerObserver {
 public:
  void hook_called(const HookRecord& record) override;
  void response_sent(const RequestOutcome& outcome, std::span<const std::uint8_t> bytes) override;
  void request_finished(const RequestOutcome& outcome) override;
  void note(std::string_view text) override;

  std::vector<ObservedHook> hooks;
  std::vector<SentResponse> responses;
  std::vector<RequestOutcome> outcomes;
  std::vector<std::string> notes;
};

// What one request did.
struct Handled {
  RequestOutcome outcome;
  std::vector<RecordedCall> calls;  // scheduled events before it included
  std::optional<SentResponse> response;

  std::vector<std::string> sequence() const { return names(calls); }
  // The first call of `hook`; fails the test when there is none.
  const RecordedCall& first(loader::Hook hook) const;
};

class Harness {
 public:
  explicit Harness(ServerSettings settings = model_settings());

  // The next request (numbered from 1), at `seconds` of capture time.
  Handled send(const Bytes& bytes, double seconds, const CapturedReply* reply = nullptr,
               std::uint32_t destination = kBroadcast);
  // One second after the previous request.
  Handled send(const Bytes& bytes) { return send(bytes, last_seconds_ + 1.0); }

  RecordingHooks hooks;
  RecordingObserver observer;
  DhcpServer& server() { return *server_; }
  std::uint64_t requests() const { return number_; }

 private:
  std::unique_ptr<DhcpServer> server_;
  std::uint64_t number_ = 0;
  double last_seconds_ = 0.0;
};

// DISCOVER then REQUEST (SELECTING) from `client`, each one second after the
// previous request: the address bound (0 when no ACK came).
std::uint32_t acquire_lease(Harness& harness, std::uint8_t client, std::uint32_t xid);

// The parsed type and yiaddr of a response.
std::optional<dhcp::MessageType> response_type(const Bytes& bytes);
std::uint32_t response_yiaddr(const Bytes& bytes);

}  // namespace calloutemu::server::testing
