#include <io.h>
#include <windows.h>

#include "calloutemu/reports/terminal.h"

namespace calloutemu::reports {
namespace {

HANDLE console_handle(std::FILE* stream) {
  if (stream == nullptr) {
    return INVALID_HANDLE_VALUE;
  }
  const int descriptor = _fileno(stream);
  if (descriptor < 0 || _isatty(descriptor) == 0) {
    return INVALID_HANDLE_VALUE;
  }
  return reinterpret_cast<HANDLE>(_get_osfhandle(descriptor));
}

}  // namespace

bool is_terminal(std::FILE* stream) {
  const HANDLE handle = console_handle(stream);
  DWORD mode = 0;
  return handle != INVALID_HANDLE_VALUE && GetConsoleMode(handle, &mode) != 0;
}

std::optional<std::size_t> terminal_width(std::FILE* stream) {
  const HANDLE handle = console_handle(stream);
  CONSOLE_SCREEN_BUFFER_INFO info{};
  if (handle == INVALID_HANDLE_VALUE || GetConsoleScreenBufferInfo(handle, &info) == 0) {
    return std::nullopt;
  }
  const int columns = info.srWindow.Right - info.srWindow.Left + 1;
  if (columns <= 0) {
    return std::nullopt;
  }
  return static_cast<std::size_t>(columns);
}

}  // namespace calloutemu::reports
