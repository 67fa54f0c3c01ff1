// The client's side of one running callout host: the process, the shared
// channel, and one call at a time on each of its lanes (loader/host/PROTOCOL.md).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "calloutemu/loader/hosted_chain.h"
#include "calloutemu/result.h"
#include "host_process.h"
#include "host_protocol.h"
#include "host_wire.h"

namespace calloutemu::loader::host {

// The host failed: it died, did not answer in time, or broke the protocol.
struct HostFailure {
  std::string description;  // "the callout host died: killed by signal 9"
  std::uint32_t code = 0;   // the signal or exit status, when it died
  bool timed_out = false;   // no reply within the time the exchange allowed
};

// A reply, or why there is none.
struct Exchange {
  std::optional<HostFailure> failure;
  Status status = Status::error;
  WireReader body;  // the reply after its status; valid until the next request
};

class HostConnection {
 public:
  // Starts the host with command.lanes lanes and says hello: within
  // command.startup_timeout the host must answer, or the error says what it
  // did instead.
  static Result<std::unique_ptr<HostConnection>> start(const HostCommand& command);

  // "callouthost 0.1.0 (posix)": what the host says it is.
  const std::string& host_description() const { return host_description_; }

  // A writer over `lane`'s request area, with the request kind written.
  // Each lane is used by one thread at a time; hello, the registry, the load
  // and STOP go on lane 0, hook calls on any.
  WireWriter begin(std::size_t lane, Request kind);
  // Publishes what `request` holds on `lane` and waits for the reply (no
  // time limit without `timeout`). A failure leaves the host dead or not to
  // be trusted, and every lane's call after it fails the same way.
  Exchange exchange(std::size_t lane, const WireWriter& request,
                    std::optional<std::chrono::milliseconds> timeout = std::nullopt);

  // After the host said it exits (a fault, STOP), or to be rid of it: waits
  // up to `grace`, then kills it; reaps it.
  HostExit finish(std::chrono::milliseconds grace);

  HostFailure broke_protocol(const std::string& what) const;

 private:
  HostConnection(HostProcess process, SharedFile channel, std::size_t lanes, std::string label);

  bool replied(std::size_t lane) const;
  std::optional<HostFailure> wait_for_reply(std::size_t lane,
                                            std::optional<std::chrono::milliseconds> timeout);
  std::optional<HostFailure> read_host_output(std::chrono::milliseconds slice);

  HostProcess process_;
  SharedFile channel_;
  ChannelView view_;
  std::string label_;
  std::string program_;
  std::string host_description_;
  std::vector<std::uint32_t> sequences_;  // per lane: the last call published

  // The lanes' waits share the host's output and its process: one waiting
  // thread at a time reads the output (and looks at the process), the others
  // sleep until it read something or gave the turn up.
  std::mutex wait_lock_;
  std::condition_variable woken_;
  bool reading_ = false;
  std::optional<HostFailure> gone_;  // the host died or broke the protocol
};

}  // namespace calloutemu::loader::host
