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

// The result files and checks. Errors: a result option without --pcap, two
// outputs to one file, --expect-update without --expect.
Status read_result_options(const boost::program_options::variables_map& values,
                           const OptionOrigin& origin, bool quiet, Options& options);

}  // namespace calloutemu::emulator
