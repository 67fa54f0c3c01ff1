// The DHCP server model: drives one request through the callout's hooks in
// the order Microsoft DHCP Server does (spec §3-§5).
#pragma once

#include <cstdint>
#include <memory>
#include <thread>

#include "calloutemu/loader/callout_hooks.h"
#include "calloutemu/server/outcome.h"
#include "calloutemu/server/request.h"
#include "calloutemu/server/settings.h"

namespace calloutemu::server {

class DhcpServer {
 public:
  // `hooks` and `observer` must outlive the server. START and STOP are not
  // sent here: they belong to loading and unloading.
  DhcpServer(ServerSettings settings, loader::CalloutHooks& hooks, ServerObserver& observer);
  ~DhcpServer();
  DhcpServer(const DhcpServer&) = delete;
  DhcpServer& operator=(const DhcpServer&) = delete;

  // One request, in capture order: first what is scheduled before it (lease
  // expiry up to its capture time, --delete-client, PAUSE/CONTINUE), then its
  // hooks. `reply` is the captured server's answer to it, if the capture has
  // one; it decides the request unless the decision mode is `model`.
  void process(const Request& request, const CapturedReply* reply);

  // Every BOOTREPLY read from the capture, as it is read (before the
  // requests it answers are processed).
  void observe_reply(const CapturedReply& reply);

  // With --workers (ServerSettings::workers over 1), process() returns once
  // the request's NewPkt has run, and the worker stage goes on in a thread;
  // the observer hears of each request in request order, from one thread at
  // a time. drain() waits until every request handed over is done and
  // reported (nothing to wait for with one worker).
  void drain();
  // Requests handed over from now on are ignored (a fault ends the run);
  // those in flight finish. Callable from any thread, observers included.
  void stop_taking_requests();

  // Where a thread that will never return from its hook call was (the
  // watchdog gave the call up): the receive thread (the one that made the
  // server and calls process()), a worker, or neither.
  enum class HeldThread { none, receive, worker };
  // From any thread, while `thread` is held in that call: the request it was
  // serving ends there, with `hung` as the call's record (a fault), and the
  // requests after it are no longer held up by it (a held worker is
  // replaced by a new thread; drain() can return).
  HeldThread give_up_call(std::thread::id thread, loader::Hook hook, DWORD code,
                          const loader::HookCall& hung);

  // After the last request (drains first): notes for scripted events that
  // never happened.
  void finish(std::uint64_t requests_seen);

  std::size_t lease_count() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace calloutemu::server
