#include <sys/ioctl.h>
#include <unistd.h>

#include "calloutemu/reports/terminal.h"

namespace calloutemu::reports {

bool is_terminal(std::FILE* stream) {
  if (stream == nullptr) {
    return false;
  }
  const int descriptor = fileno(stream);
  return descriptor >= 0 && isatty(descriptor) == 1;
}

std::optional<std::size_t> terminal_width(std::FILE* stream) {
  if (!is_terminal(stream)) {
    return std::nullopt;
  }
  winsize size{};
  if (ioctl(fileno(stream), TIOCGWINSZ, &size) != 0 || size.ws_col == 0) {
    return std::nullopt;
  }
  return static_cast<std::size_t>(size.ws_col);
}

}  // namespace calloutemu::reports
