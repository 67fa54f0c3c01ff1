// x86 and x86-64 Linux: the instruction pointer saved in the signal's context.
#include "signal_context.h"

#include <ucontext.h>

namespace calloutemu::loader {

std::uintptr_t signal_context_pc(const void* context) {
  if (context == nullptr) {
    return 0;
  }
  const auto* user = static_cast<const ucontext_t*>(context);
#if defined(__x86_64__)
  return static_cast<std::uintptr_t>(user->uc_mcontext.gregs[REG_RIP]);
#else
  return static_cast<std::uintptr_t>(user->uc_mcontext.gregs[REG_EIP]);
#endif
}

}  // namespace calloutemu::loader
