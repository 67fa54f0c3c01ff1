// Stopping in a debugger before a hook call, and waiting for one to attach
// (--break-before, --wait-for-debugger), in calloutemu and in the callout host.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "calloutemu/loader/callout_hooks.h"

namespace calloutemu::loader {

// True while a debugger is attached to this process.
bool debugger_attached();

// Stops in the attached debugger (SIGTRAP / DebugBreak). Without one the
// system's default applies: the process ends (a core dump, or Windows'
// just-in-time debugger).
void break_into_debugger();

std::uint64_t own_process_id();

// How to attach to this process, for the message that waits for a debugger:
// "gdb -p 1234".
std::string attach_command();

// break_into_debugger() from a frame of its own, named for the debugger's
// backtrace. `request` 0: START, STOP, or not known (in the callout host).
void stop_before_hook(Hook hook, std::uint64_t request);

// Says (through `say`) which process waits and how to attach, then polls
// until a debugger is attached.
void wait_for_debugger(const std::function<void(std::string_view)>& say);

}  // namespace calloutemu::loader
