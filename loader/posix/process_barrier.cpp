#include "process_barrier.h"

#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace calloutemu::loader {
namespace {

long membarrier(int command) {
  return syscall(SYS_membarrier, command, 0U, 0);
}

bool register_for_expedited_barriers() {
  const long commands = membarrier(MEMBARRIER_CMD_QUERY);
  return commands > 0 && (commands & MEMBARRIER_CMD_PRIVATE_EXPEDITED) != 0 &&
         membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) == 0;
}

}  // namespace

bool has_process_barrier() {
  static const bool registered = register_for_expedited_barriers();
  return registered;
}

void process_barrier() {
  membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED);
}

}  // namespace calloutemu::loader
