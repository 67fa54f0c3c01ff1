#include "host_stdio.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "host_protocol.h"

namespace calloutemu::loader::host {

Result<HostPipes> HostPipes::take() {
  std::fflush(stdout);
  const int input = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
  const int output = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
  if (input < 0 || output < 0) {
    return make_error(std::string("cannot take standard input and output: ") +
                      std::strerror(errno));
  }
  const int null_device = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (dup2(STDERR_FILENO, STDOUT_FILENO) < 0 || null_device < 0 ||
      dup2(null_device, STDIN_FILENO) < 0) {
    return make_error(std::string("cannot redirect standard output: ") + std::strerror(errno));
  }
  close(null_device);
  return HostPipes(input, output);
}

bool HostPipes::wait() {
  std::uint8_t byte = 0;
  while (true) {
    const ssize_t count = read(static_cast<int>(input_), &byte, 1);
    if (count == 1) {
      return true;
    }
    if (count == 0 || errno != EINTR) {
      return false;
    }
  }
}

bool HostPipes::wake_client() {
  const std::uint8_t byte = kWakeClient;
  while (true) {
    const ssize_t count = write(static_cast<int>(output_), &byte, 1);
    if (count == 1) {
      return true;
    }
    if (count == 0 || errno != EINTR) {
      return false;
    }
  }
}

std::vector<std::string> host_arguments(int argc, char** argv) {
  return std::vector<std::string>(argv, argv + argc);
}

void exit_now(int status) {
  _exit(status);
}

const char* host_platform() {
  return "posix";
}

}  // namespace calloutemu::loader::host
