#include "host_stdio.h"

// <windows.h> first: <shellapi.h> needs what it declares.
#include <windows.h>

#include <fcntl.h>
#include <io.h>
#include <shellapi.h>

#include <cstdio>
#include <string>

#include "calloutemu/loader/text_encoding.h"
#include "host_protocol.h"

namespace calloutemu::loader::host {
namespace {

HANDLE private_copy(HANDLE handle) {
  HANDLE copy = nullptr;
  const HANDLE process = GetCurrentProcess();
  if (handle == nullptr || handle == INVALID_HANDLE_VALUE ||
      !DuplicateHandle(process, handle, process, &copy, 0, FALSE, DUPLICATE_SAME_ACCESS)) {
    return nullptr;
  }
  return copy;
}

HANDLE as_handle(std::intptr_t value) {
  return reinterpret_cast<HANDLE>(value);
}

}  // namespace

Result<HostPipes> HostPipes::take() {
  std::fflush(stdout);
  HANDLE input = private_copy(GetStdHandle(STD_INPUT_HANDLE));
  HANDLE output = private_copy(GetStdHandle(STD_OUTPUT_HANDLE));
  if (input == nullptr || output == nullptr) {
    return make_error("cannot take standard input and output (error " +
                      std::to_string(GetLastError()) + ")");
  }
  // The handles first, for every C runtime a callout brings (they read them
  // when they start); then this runtime's descriptors, shared with callouts
  // that use the same msvcrt.
  SetStdHandle(STD_OUTPUT_HANDLE, GetStdHandle(STD_ERROR_HANDLE));
  HANDLE null_device = CreateFileW(L"NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE,
                                   nullptr, OPEN_EXISTING, 0, nullptr);
  if (null_device != INVALID_HANDLE_VALUE) {
    SetStdHandle(STD_INPUT_HANDLE, null_device);
  }
  if (_dup2(_fileno(stderr), _fileno(stdout)) != 0) {
    return make_error("cannot redirect standard output");
  }
  const int null_descriptor = _open("NUL", _O_RDONLY);
  if (null_descriptor >= 0) {
    _dup2(null_descriptor, _fileno(stdin));
    _close(null_descriptor);
  }
  return HostPipes(reinterpret_cast<std::intptr_t>(input), reinterpret_cast<std::intptr_t>(output));
}

bool HostPipes::wait() {
  std::uint8_t byte = 0;
  DWORD count = 0;
  return ReadFile(as_handle(input_), &byte, 1, &count, nullptr) && count == 1;
}

bool HostPipes::wake_client() {
  const std::uint8_t byte = kWakeClient;
  DWORD count = 0;
  return WriteFile(as_handle(output_), &byte, 1, &count, nullptr) && count == 1;
}

std::vector<std::string> host_arguments(int argc, char** argv) {
  int count = 0;
  LPWSTR* wide = CommandLineToArgvW(GetCommandLineW(), &count);
  if (wide == nullptr) {
    return std::vector<std::string>(argv, argv + argc);
  }
  std::vector<std::string> arguments;
  for (int i = 0; i < count; ++i) {
    const std::wstring_view text(wide[i]);
    auto utf8 = utf16_to_utf8(std::u16string(text.begin(), text.end()));
    arguments.push_back(utf8 ? std::move(utf8).value() : std::string());
  }
  LocalFree(wide);
  return arguments;
}

void exit_now(int status) {
  TerminateProcess(GetCurrentProcess(), static_cast<UINT>(status));
  _exit(status);
}

const char* host_platform() {
  return "win32";
}

}  // namespace calloutemu::loader::host
