// Where the callout chain runs: --host and, for `automatic`, the DLL list.
#pragma once

#include <string>
#include <vector>

#include "calloutemu/emulator/options.h"
#include "calloutemu/loader/hosted_chain.h"
#include "calloutemu/result.h"

namespace calloutemu::emulator {

struct HostPlan {
  HostMode mode = HostMode::inproc;  // never automatic
  loader::HostCommand command;       // how to start the host (process and wine)
  std::string why;                   // why `automatic` chose Wine ("" otherwise)
  std::string warning;               // something the user should hear ("" if nothing)

  bool hosted() const { return mode == HostMode::process || mode == HostMode::wine; }
  // "in-process", "native callout host /b/callouthost", "callouthost.exe under Wine (...)".
  std::string describe() const;
};

// `dlls`: the listed DLLs (what `automatic` looks at); `registry`: the list
// comes from --registry. An error names what is missing (the host program,
// Wine) and how to give it.
Result<HostPlan> plan_host(const Options& options, const std::vector<std::string>& dlls,
                           bool registry);

// The file starts with an MZ header whose e_lfanew points at "PE\0\0".
bool is_windows_pe_file(const std::string& path);

}  // namespace calloutemu::emulator
