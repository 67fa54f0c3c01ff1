// The emulated server's configuration: its scopes and server-wide settings, and
// the [server] / [scope NAME] sections of the --config file that describe them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "calloutemu/result.h"
#include "calloutemu/scopes/ipv4.h"
#include "calloutemu/scopes/scope.h"

namespace calloutemu::scopes {

struct ServerConfig {
  std::vector<Scope> scopes;
  bool authorized = true;
  std::vector<Ipv4> answering_ping;    // conflict detection: these addresses "answer ping"
  std::uint32_t offer_hold_time = 60;  // seconds an OFFER holds its address
};

// Checks: scopes' subnets are valid and do not overlap; names unique; server_address inside
// the subnet, not network/broadcast; every range/exclusion inside the subnet's hosts;
// reservation addresses inside the subnet's hosts and not the server address; two
// reservations of a scope neither share an address nor a key; lease times not 0;
// offer_hold_time 1..86400. The error text names the scope.
Status validate(const ServerConfig& config);

// The --config file is INI-like. Lines before the first section header are the program's
// own options (read elsewhere by Boost.Program_options). Sections [server] and
// [scope NAME] are ours; README.md describes their keys.
struct ConfigFileSections {
  // `text` (without a UTF-8 BOM) with every line from the first section header on replaced
  // by an empty line, so the line count is kept.
  std::string options_text;
  ServerConfig server;  // validated
};

// Errors are "FILE:LINE: problem", LINE 1-based, e.g.
// "run.conf:7: range: 192.0.3.5 is outside subnet 192.0.2.0/24 of scope lab". An error
// between scopes (overlapping subnets) is reported at the later scope's header line.
Result<ConfigFileSections> read_config_sections(std::string_view text,
                                                const std::string& file_name);

}  // namespace calloutemu::scopes
