// Loads the callout chain as the server does (spec §2, steps 4-8).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "calloutemu/dhcpssdk.h"
#include "calloutemu/loader/dynamic_library.h"
#include "calloutemu/loader/fault_trap.h"
#include "calloutemu/loader/guarded_memory.h"

namespace calloutemu::loader {

enum class AttemptOutcome {
  loaded,          // the entry returned 0: this DLL took the chain
  load_failed,     // the OS could not load it
  load_crashed,    // it crashed while being loaded (its initialisers)
  no_entry_point,  // DhcpServerCalloutEntry is not exported
  entry_failed,    // the entry returned non-zero
  entry_crashed,   // the entry crashed or threw
  bad_name,        // the name cannot be encoded (not UTF-8)
};

std::string_view to_string(AttemptOutcome outcome);

struct LoadAttempt {
  std::string name;
  AttemptOutcome outcome = AttemptOutcome::load_failed;
  std::string reason;                   // the OS's reason, the fault, or the return code
  std::vector<std::string> chain_dlls;  // ChainDlls as passed (the names after this one)
  std::optional<std::uint32_t> entry_result;
};

// One call of the control hook; `called` is false when the hook is NULL.
struct ControlCall {
  DWORD code = 0;
  bool called = false;
  DWORD returned = 0;
  std::optional<Fault> fault;
  std::chrono::nanoseconds duration{};
  std::vector<std::string> findings{};  // checked mode: misuse behind its fault
};

// The label of checked mode's guarded ChainDlls string (GuardedMemory).
inline constexpr std::string_view kChainDllsLabel = "ChainDlls";

// Checked mode: a Control fault in the retired ChainDlls becomes a finding
// naming `dll`.
void describe_checked_fault(ControlCall& call, const GuardedMemory& memory, const std::string& dll);

class LoadedCallout {
 public:
  LoadedCallout(std::string name, DynamicLibrary library, const DHCP_CALLOUT_TABLE& table)
      : name_(std::move(name)), library_(std::move(library)), table_(table) {}

  const std::string& name() const { return name_; }
  const DHCP_CALLOUT_TABLE& table() const { return table_; }

  ControlCall control(DWORD code, FaultTrap& trap);

  // STOP, then unload. The table is cleared: no hook may be called after.
  ControlCall stop_and_unload(FaultTrap& trap);

 private:
  std::string name_;
  DynamicLibrary library_;
  DHCP_CALLOUT_TABLE table_;
};

struct ChainLoad {
  std::vector<LoadAttempt> attempts;     // one per name tried, in order
  std::optional<LoadedCallout> callout;  // the DLL that took the chain
  std::optional<ControlCall> start;      // Control(START), sent right after the entry
};

// Tries `names` in the given order until an entry returns 0. `on_attempt` sees
// each attempt as it ends, so logs interleave with the callouts' own output.
// With `checked` (checked mode), ChainDlls is handed in guarded memory that
// is poisoned and protected once the entry returns.
ChainLoad load_callout_chain(const std::vector<std::string>& names, FaultTrap& trap,
                             const std::function<void(const LoadAttempt&)>& on_attempt = {},
                             GuardedMemory* checked = nullptr);

}  // namespace calloutemu::loader
