#include "host_wake_hub.h"

#include <thread>

namespace calloutemu::loader::host {

std::shared_ptr<WakeHub> WakeHub::start(HostPipes pipes) {
  auto hub = std::make_shared<WakeHub>();
  std::thread([hub, pipes] { hub->read_pipe(pipes); }).detach();
  return hub;
}

void WakeHub::read_pipe(HostPipes pipes) {
  while (pipes.wait()) {
    // Under the lock, so a lane between its look at ready() and its sleep
    // cannot miss the wake.
    { std::lock_guard guard(mutex_); }
    woken_.notify_all();
  }
  {
    std::lock_guard guard(mutex_);
    closed_ = true;
  }
  woken_.notify_all();
}

void WakeHub::stop() {
  {
    std::lock_guard guard(mutex_);
    stopped_ = true;
  }
  woken_.notify_all();
}

}  // namespace calloutemu::loader::host
