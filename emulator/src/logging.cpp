#include "calloutemu/emulator/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace calloutemu::emulator {

std::shared_ptr<spdlog::logger> make_stderr_logger(spdlog::level::level_enum level) {
  auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>("calloutemu", std::move(sink));
  logger->set_pattern("calloutemu: %^%l%$: %v");
  logger->set_level(level);
  logger->flush_on(spdlog::level::trace);
  return logger;
}

}  // namespace calloutemu::emulator
