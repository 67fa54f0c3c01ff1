// What the program's output streams are attached to (platform folders).
#pragma once

#include <cstddef>
#include <cstdio>
#include <optional>

namespace calloutemu::reports {

// True when `stream` is an interactive terminal: isatty on POSIX; on Windows
// _isatty and a console mode (so that NUL, which _isatty accepts, is not one).
bool is_terminal(std::FILE* stream);

// The terminal's width in columns; nullopt when `stream` is not a terminal or
// the width is unknown.
std::optional<std::size_t> terminal_width(std::FILE* stream);

}  // namespace calloutemu::reports
