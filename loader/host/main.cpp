// callouthost: loads a callout chain in its own process and runs its hooks
// for a calloutemu client over a shared-memory channel (PROTOCOL.md).
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "calloutemu/loader/fault_trap.h"
#include "calloutemu/loader/hook_clock.h"
#include "host_process.h"
#include "host_protocol.h"
#include "host_server.h"
#include "host_stdio.h"

#ifndef CALLOUTEMU_VERSION
#define CALLOUTEMU_VERSION "unknown"
#endif

namespace {

using namespace calloutemu::loader;
using namespace calloutemu::loader::host;

constexpr char kUsage[] =
    "usage: callouthost --channel PATH [--checked] [--hook-timeout MS]\n"
    "                   [--wait-for-debugger] [--break-always]\n"
    "       callouthost --version | --help\n"
    "\n"
    "The callout host of calloutemu: calloutemu starts it and drives it over the\n"
    "shared-memory channel PATH; standard input and output carry the channel's\n"
    "wake bytes. With --hook-timeout, a hook call still running after MS\n"
    "milliseconds is interrupted and reported as a fault. It is not meant to be\n"
    "run by hand.\n";

int usage_error(const std::string& message) {
  std::fprintf(stderr, "callouthost: %s\n%s", message.c_str(), kUsage);
  return kUsageExitStatus;
}

int fail(const std::string& message) {
  std::fprintf(stderr, "callouthost: %s\n", message.c_str());
  return kUsageExitStatus;
}

int serve(const std::string& channel_path, bool checked_mode,
          std::chrono::milliseconds hook_timeout, bool wait_for_debugger, bool break_always) {
  // Before anything a callout could write to.
  auto pipes = HostPipes::take();
  if (!pipes) {
    return fail(pipes.error().message);
  }
  auto channel = SharedFile::open(channel_path, kLaneControlOffset);
  if (!channel) {
    return fail(channel.error().message);
  }
  const auto lanes = check_channel(*channel);
  if (!lanes) {
    return fail(channel_path + ": " + lanes.error().message);
  }
  auto no_access = NoAccessRegion::reserve();
  if (!no_access) {
    return fail(no_access.error().message);
  }
  FaultTrap trap;
  trap.set_timeout(hook_timeout);
  const HookClock clock = HookClock::calibrated();
  std::optional<GuardedMemory> guarded;
  if (checked_mode) {
    guarded.emplace();
  }
  HostServer server(std::move(channel).value(), *lanes, pipes.value(), trap, clock, *no_access,
                    guarded ? &*guarded : nullptr);
  server.debugging(wait_for_debugger, break_always);
  const int status = server.run();
  // Nothing of the callout's may run after its unload (atexit handlers it
  // left): what it printed is flushed, and the process ends here.
  std::fflush(nullptr);
  exit_now(status);
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> arguments = host_arguments(argc, argv);
  std::optional<std::string> channel;
  bool wait_for_debugger = false;
  bool break_always = false;
  std::chrono::milliseconds hook_timeout{0};
  bool checked = false;
  for (std::size_t i = 1; i < arguments.size(); ++i) {
    const std::string& argument = arguments[i];
    if (argument == "--version") {
      std::printf("callouthost %s (%s, protocol %u)\n", CALLOUTEMU_VERSION, host_platform(),
                  static_cast<unsigned>(kProtocolVersion));
      return 0;
    }
    if (argument == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (argument == "--wait-for-debugger") {
      wait_for_debugger = true;
      continue;
    }
    if (argument == "--break-always") {
      break_always = true;
      continue;
    }
    if (argument == "--hook-timeout") {
      const std::string value = i + 1 < arguments.size() ? arguments[i + 1] : std::string();
      if (value.empty() || value.size() > 9 ||
          value.find_first_not_of("0123456789") != std::string::npos) {
        return usage_error("--hook-timeout needs a number of milliseconds");
      }
      hook_timeout = std::chrono::milliseconds(std::stol(value));
      ++i;
      continue;
    }
    if (argument == "--checked") {
      checked = true;
      continue;
    }
    if (argument == "--channel") {
      if (i + 1 >= arguments.size() || arguments[i + 1].empty()) {
        return usage_error("--channel needs a path");
      }
      channel = arguments[++i];
      continue;
    }
    return usage_error("unknown argument: " + argument);
  }
  if (!channel) {
    return usage_error("--channel PATH is required");
  }
  return serve(*channel, checked, hook_timeout, wait_for_debugger, break_always);
}
