// The program's logger: stderr, "calloutemu: <level>: message", colour on a terminal.
#pragma once

#include <memory>

#include <spdlog/logger.h>

namespace calloutemu::emulator {

std::shared_ptr<spdlog::logger> make_stderr_logger(spdlog::level::level_enum level);

}  // namespace calloutemu::emulator
