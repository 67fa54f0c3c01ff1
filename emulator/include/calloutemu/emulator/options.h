// The command line and the config file, which takes every long option too.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <spdlog/common.h>

#include "calloutemu/emulator/profile.h"
#include "calloutemu/loader/load_order.h"
#include "calloutemu/result.h"

namespace calloutemu::emulator {

struct Options {
  std::vector<std::string> dlls;                // --dlls values as given (comma lists)
  std::optional<std::string> reg_file;          // --reg-file
  bool registry = false;                        // --registry
  Profile profile = Profile::documented;        // --profile
  std::optional<loader::LoadOrder> load_order;  // --load-order; else the profile's
  spdlog::level::level_enum log_level = spdlog::level::info;

  loader::LoadOrder effective_load_order() const {
    return load_order.value_or(default_load_order(profile));
  }
};

// What the command line asks for: a run, or just the help or version text.
struct Invocation {
  enum class Action { run, help, version } action = Action::run;
  Options options;
  std::string text;  // the help or version text
};

// Errors are one line, naming the option or the config file and the problem.
Result<Invocation> parse_command_line(int argc, const char* const argv[]);

}  // namespace calloutemu::emulator
