// What one request tells the observer, held until the requests before it
// have told theirs (--workers): the observer then sees every request's calls
// in request order, from one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "calloutemu/server/outcome.h"

namespace calloutemu::server {

class EventBuffer final : public ServerObserver {
 public:
  explicit EventBuffer(bool wants_arguments) : wants_arguments_(wants_arguments) {}

  bool wants_arguments() const override { return wants_arguments_; }
  // Deep copies: what the record and the outcome point to may change after
  // the call returns.
  void hook_called(const HookRecord& record) override;
  void response_sent(const RequestOutcome& outcome, std::span<const std::uint8_t> bytes) override;
  void request_finished(const RequestOutcome& outcome) override;
  void note(std::string_view text) override;

  // Tells `observer` everything held, in the order it came, and forgets it.
  // The Request the outcomes point to must still be valid.
  void replay_to(ServerObserver& observer);
  bool empty() const { return events_.empty(); }

 private:
  enum class Kind : std::uint8_t { hook, response, finished, note };
  struct Event {
    Kind kind;
    std::size_t index;
  };
  struct HeldHook {
    HookRecord record;
    std::optional<CaptureOrigin> origin;
    std::optional<loader::HookCall> call;
    std::optional<HookArguments> arguments;
    std::vector<std::uint8_t> packet;
    std::vector<std::uint8_t> packet_after;
    std::vector<std::uint8_t> hw_address;
  };
  struct HeldResponse {
    RequestOutcome outcome;
    std::vector<std::uint8_t> bytes;
  };

  bool wants_arguments_;
  std::vector<Event> events_;
  std::vector<HeldHook> hooks_;
  std::vector<HeldResponse> responses_;
  std::vector<RequestOutcome> outcomes_;
  std::vector<std::string> notes_;
};

}  // namespace calloutemu::server
