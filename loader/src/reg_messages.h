// Error messages of the .reg parser: located at a line of the file, with
// quoted excerpts of what the file holds.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "calloutemu/result.h"

namespace calloutemu::loader::reg {

class Diagnostics {
 public:
  explicit Diagnostics(std::string_view file_name) : file_name_(file_name) {}

  Error at(std::size_t line, const std::string& problem) const {
    return make_error(std::string(file_name_) + ":" + std::to_string(line) + ": " + problem);
  }
  Error whole_file(const std::string& problem) const {
    return make_error(std::string(file_name_) + ": " + problem);
  }

 private:
  std::string_view file_name_;
};

// Quotes a piece of a line for a message: control characters escaped, long
// text cut at a character boundary, so the message stays on one line.
std::string excerpt(std::string_view text);

}  // namespace calloutemu::loader::reg
