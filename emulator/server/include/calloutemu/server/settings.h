// How the server model behaves: the profile, where its decisions come from,
// and the scripted events of a replay.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "calloutemu/dhcpssdk.h"
#include "calloutemu/loader/callout_hooks.h"
#include "calloutemu/scopes/server_config.h"

namespace calloutemu::server {

enum class Fidelity { documented, legacy };

// Where the answer to a request comes from (--decisions).
enum class DecisionMode {
  model,      // the configured scopes decide
  capture,    // the captured server's replies decide
  automatic,  // the capture where it holds a reply, else the scopes ("auto")
};
std::string_view to_string(DecisionMode mode);  // "model", "capture", "auto"
std::optional<DecisionMode> parse_decision_mode(std::string_view text);

// --inject CODE@N: the server fails request N with CODE at the stage where
// that failure happens (spec §3: NOMEM and INTERNAL_ERROR when it is
// received, TIMEOUT when a worker takes it, GEN_FAILURE while it is processed).
struct Injection {
  DWORD code = 0;
  std::uint64_t request = 0;  // 1-based
};
inline constexpr std::array<DWORD, 4> kInjectableDrops = {DHCP_DROP_NOMEM, DHCP_DROP_INTERNAL_ERROR,
                                                          DHCP_DROP_TIMEOUT, DHCP_DROP_GEN_FAILURE};

// --delete-client MAC@N: an administrator deletes the client's lease before
// request N arrives.
struct AdminDelete {
  std::array<std::uint8_t, 6> mac{};
  std::uint64_t request = 0;
};

struct ServerSettings {
  Fidelity fidelity = Fidelity::documented;
  DecisionMode decisions = DecisionMode::automatic;
  scopes::ServerConfig config;
  std::chrono::nanoseconds duplicate_window = std::chrono::seconds(2);
  std::vector<Injection> injections;
  std::vector<std::uint64_t> pause_at;     // PAUSE before these requests
  std::vector<std::uint64_t> continue_at;  // CONTINUE before these requests
  std::vector<AdminDelete> deletes;
  // Called just before each hook call the server makes, with the request it
  // belongs to (scheduled Control and DeleteClient calls: the request they
  // come before). Empty: nothing is called.
  std::function<void(loader::Hook, std::uint64_t request)> before_hook;
  unsigned workers = 1;  // threads for the worker-stage hooks (--workers)
};

}  // namespace calloutemu::server
