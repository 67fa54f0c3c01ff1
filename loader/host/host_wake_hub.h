// The client's wake bytes, for every lane of the host: one thread reads the
// pipe, and each byte wakes every lane that sleeps, to look at its own
// call sequence again (a byte does not say which lane it is for).
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>

#include "host_stdio.h"

namespace calloutemu::loader::host {

class WakeHub {
 public:
  // Starts the thread that reads `pipes`' input. It is never joined (it may
  // block in a read until the process ends), so it shares the hub's state.
  static std::shared_ptr<WakeHub> start(HostPipes pipes);

  // Sleeps until ready() holds (true), or until the client is gone or
  // stop() was called (false, unless ready() holds as well). ready() is
  // looked at under the hub's lock, after every wake byte.
  template <class Ready>
  bool sleep_until(Ready ready) {
    std::unique_lock guard(mutex_);
    woken_.wait(guard, [&] { return ready() || closed_ || stopped_; });
    return ready();
  }

  // Every sleeper returns; sleep_until() returns at once from now on.
  void stop();

 private:
  void read_pipe(HostPipes pipes);

  std::mutex mutex_;
  std::condition_variable woken_;
  bool closed_ = false;   // the client's end of the pipe closed
  bool stopped_ = false;  // STOP: the lanes' threads end
};

}  // namespace calloutemu::loader::host
