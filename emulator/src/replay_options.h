// The replay options, read from Boost's variables: --pcap, --scope, --inject, ...
#pragma once

#include <boost/program_options/variables_map.hpp>

#include "calloutemu/emulator/options.h"
#include "calloutemu/result.h"
#include "option_origin.h"

namespace calloutemu::emulator {

// Fills `replay`, whose `server` already holds the config file's sections:
// --scope scopes are added to them and the whole is validated. Errors name
// the option (or the config file) and the value.
Status read_replay_options(const boost::program_options::variables_map& values,
                           const OptionOrigin& origin, ReplayOptions& replay);

}  // namespace calloutemu::emulator
