// What --break-before and --wait-for-debugger need from the system.
#pragma once

#include <cstdint>

namespace calloutemu::emulator {

// True while a debugger is attached to this process.
bool debugger_attached();

// Stops in the attached debugger (SIGTRAP / DebugBreak). Without one the
// system's default applies: the process ends (a core dump, or Windows' just-in-time debugger).
void break_into_debugger();

std::uint64_t own_process_id();

// The command that attaches a debugger to this process, for the message that waits for one.
const char* attach_hint();

}  // namespace calloutemu::emulator
