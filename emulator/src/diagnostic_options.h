// The options that go beyond the real server: --checked, --hook-timeout,
// --slow-hook, --workers, --break-before, --break-always, --wait-for-debugger.
#pragma once

#include <boost/program_options/options_description.hpp>
#include <boost/program_options/variables_map.hpp>

#include "calloutemu/emulator/options.h"
#include "calloutemu/result.h"
#include "option_origin.h"

namespace calloutemu::emulator {

void describe_diagnostic_options(boost::program_options::options_description& description);

// Errors name the option (or the config file) and the value.
Status read_diagnostic_options(const boost::program_options::variables_map& values,
                               const OptionOrigin& origin, DiagnosticOptions& diagnostics);

}  // namespace calloutemu::emulator
