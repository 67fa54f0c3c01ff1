// The client's side of one running callout host: the process, the shared
// channel, and one call at a time over it (loader/host/PROTOCOL.md).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

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
  // Starts the host and says hello: within command.startup_timeout the host
  // must answer, or the error says what it did instead.
  static Result<std::unique_ptr<HostConnection>> start(const HostCommand& command);

  // "callouthost 0.1.0 (posix)": what the host says it is.
  const std::string& host_description() const { return host_description_; }

  // A writer over the request area, with the request kind written.
  WireWriter begin(Request kind);
  // Publishes what `request` holds and waits for the reply (no time limit
  // without `timeout`). A failure leaves the host dead or not to be trusted.
  Exchange exchange(const WireWriter& request,
                    std::optional<std::chrono::milliseconds> timeout = std::nullopt);

  // After the host said it exits (a fault, STOP): waits up to `grace`, then
  // kills it; reaps it.
  HostExit finish(std::chrono::milliseconds grace) { return process_.finish(grace); }

  HostFailure broke_protocol(const std::string& what) const;

 private:
  HostConnection(HostProcess process, SharedFile channel, std::string label);

  ChannelHeader& header() const;
  bool replied() const;
  std::optional<HostFailure> wait_for_reply(std::optional<std::chrono::milliseconds> timeout);
  HostFailure died();

  HostProcess process_;
  SharedFile channel_;
  std::string label_;
  std::string program_;
  std::string host_description_;
  std::uint32_t sequence_ = 0;
};

}  // namespace calloutemu::loader::host
