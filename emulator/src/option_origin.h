// Names where an option's value came from, for error messages.
#pragma once

#include <string>
#include <utility>

#include <boost/program_options/variables_map.hpp>

namespace calloutemu::emulator {

// "--profile" for the command line, "run.ini: profile" for the config file.
class OptionOrigin {
 public:
  OptionOrigin(const boost::program_options::variables_map& command_line, std::string config_path)
      : command_line_(command_line), config_path_(std::move(config_path)) {}
  std::string operator()(const std::string& name) const {
    const bool on_command_line = command_line_.count(name) && !command_line_[name].defaulted();
    if (on_command_line || config_path_.empty()) {
      return "--" + name;
    }
    return config_path_ + ": " + name;
  }

 private:
  const boost::program_options::variables_map& command_line_;
  std::string config_path_;
};

}  // namespace calloutemu::emulator
