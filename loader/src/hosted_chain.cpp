#include "calloutemu/loader/hosted_chain.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <utility>

#include "host_connection.h"
#include "host_marshal.h"

namespace calloutemu::loader {
namespace {

using host::Exchange;
using host::HookArgs;
using host::HostConnection;
using host::HostFailure;
using host::NoAccessRegion;
using host::Request;
using host::Status;

constexpr std::chrono::milliseconds kExitGrace{5000};
constexpr std::uint32_t kAllMembers = (1u << kHookSlotCount) - 1;

std::uint64_t as_number(const void* pointer) {
  return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(pointer));
}

std::string describe_control(const std::optional<ControlCall>& call) {
  if (!call || !call->called) {
    return "not called (NULL)";
  }
  if (call->fault) {
    return "crashed: " + call->fault->description;
  }
  return "returned " + std::to_string(call->returned);
}

// The host neither returned from a call nor reported its own watchdog's
// fault in time (the call blocks the watchdog's signal, or the host hangs).
Fault timed_out_fault(const HostCommand& command, const HostFailure& failure) {
  Fault fault("did not return within " + std::to_string(command.hook_timeout.count()) + " ms (" +
              failure.description + "; it was killed)");
  fault.timed_out = true;
  return fault;
}

// "Control(START) did not return within ..." or "the entry of DLL did not
// return within ...", for a load that hung.
std::string describe_hung(const HostedLoad& load, const std::vector<std::string>& names) {
  const bool in_start =
      !load.attempts.empty() && load.attempts.back().outcome == AttemptOutcome::loaded;
  std::string call = "Control(START)";
  if (!in_start) {
    call = "the entry of " +
           (load.attempts.size() < names.size() ? names[load.attempts.size()] : "a DLL");
  }
  return call + " " + load.hung->description;
}

// Loads `names` in `host`, passing each attempt to `on_attempt` as it ends.
// Each DLL's entry (and START after the last) is watched as a hook is:
// `timeout` for each step, none without.
Result<HostedLoad> load_in(HostConnection& host, const HostCommand& command,
                           const std::vector<std::string>& names,
                           const std::function<void(const LoadAttempt&)>& on_attempt,
                           std::optional<std::chrono::milliseconds> timeout) {
  const std::string& label = command.label;
  auto request = host.begin(0, Request::load);
  host::write_strings(request, names);
  if (!request.ok()) {
    return make_error("the list of DLLs does not fit the " + label + "'s channel");
  }
  HostedLoad load;
  while (true) {
    Exchange reply = host.exchange(0, request, timeout);
    if (reply.failure && reply.failure->timed_out) {
      load.hung = timed_out_fault(command, *reply.failure);
      return load;
    }
    if (reply.failure) {
      return make_error(reply.failure->description + " while loading the chain");
    }
    if (reply.status == Status::attempt) {
      LoadAttempt attempt = host::read_attempt(reply.body);
      if (!reply.body.ok() || load.attempts.size() >= names.size()) {
        return make_error(host.broke_protocol("a malformed load attempt").description);
      }
      if (on_attempt) {
        on_attempt(attempt);
      }
      load.attempts.push_back(std::move(attempt));
      request = host.begin(0, Request::load_next);
      continue;
    }
    if (reply.status == Status::error) {
      return make_error(label + ": " + reply.body.string());
    }
    if (reply.status != Status::ok) {
      return make_error(host.broke_protocol("an unexpected reply to load").description);
    }
    load.loaded = reply.body.flag();
    if (reply.body.flag()) {
      load.start = host::read_control_call(reply.body);
    }
    const std::uint32_t members = reply.body.u32();
    const bool took_chain =
        !load.attempts.empty() && load.attempts.back().outcome == AttemptOutcome::loaded;
    if (!reply.body.ok() || (members & ~kAllMembers) != 0 || load.loaded != took_chain) {
      return make_error(host.broke_protocol("a malformed load result").description);
    }
    for (std::size_t i = 0; i < kHookSlotCount; ++i) {
      load.members[i] = (members >> i & 1u) != 0;
    }
    for (std::size_t i = 0; i < kHookCount; ++i) {
      load.hooks[i] = load.members[i];  // the eight hooks lead the table, in Hook order
    }
    return load;
  }
}

// The lanes of the channel, one per call in flight: a caller takes a free one
// for its call (and waits while all are taken).
class LanePool {
 public:
  explicit LanePool(std::size_t lanes) {
    for (std::size_t lane = lanes; lane-- > 0;) {
      free_.push_back(lane);
    }
  }
  std::size_t take() {
    std::unique_lock guard(lock_);
    freed_.wait(guard, [&] { return !free_.empty(); });
    const std::size_t lane = free_.back();
    free_.pop_back();
    return lane;
  }
  void give_back(std::size_t lane) {
    {
      std::lock_guard guard(lock_);
      free_.push_back(lane);
    }
    freed_.notify_one();
  }

 private:
  std::mutex lock_;
  std::condition_variable freed_;
  std::vector<std::size_t> free_;  // taken from the back, where lane 0 starts
};

class HostedChainImpl final : public HostedChain, public CalloutHooks {
 public:
  HostedChainImpl(HostCommand command, FaultTrap& trap, Log log, NoAccessRegion no_access,
                  std::unique_ptr<HostConnection> host)
      : command_(std::move(command)),
        trap_(trap),
        log_(std::move(log)),
        no_access_(std::move(no_access)),
        lanes_(command_.lanes),
        host_(std::move(host)) {
    for (std::size_t lane = 0; lane < command_.lanes; ++lane) {
      marshals_.push_back(std::make_unique<host::HookMarshal>(trap, no_access_, packets_));
    }
  }

  // HostedChain
  Result<CalloutConfig> read_registry() override;
  Result<HostedLoad> load(const std::vector<std::string>& names,
                          const std::function<void(const LoadAttempt&)>& on_attempt) override;
  CalloutHooks& hooks() override { return *this; }
  ControlCall stop_and_unload() override;
  std::size_t restarts() const override {
    std::lock_guard guard(host_lock_);
    return restarts_;
  }
  // With --workers, calls come from several threads (one at a time): the
  // flag is for the next call of the thread that set it.
  void break_before_next_call() override { break_thread_ = std::this_thread::get_id(); }

  // CalloutHooks
  bool has(Hook hook) const override {
    return hooks_[static_cast<std::size_t>(hook)].load(std::memory_order_relaxed);
  }
  void set_hooks(const std::array<bool, kHookCount>& hooks) {
    for (std::size_t i = 0; i < kHookCount; ++i) {
      hooks_[i].store(hooks[i], std::memory_order_relaxed);
    }
  }
  HookCall control(DWORD code) override;
  HookCall new_pkt(BYTE** packet, DWORD* size, DWORD ip_address, void* reserved, void** context,
                   BOOL* process_it) override;
  HookCall pkt_drop(BYTE** packet, DWORD* size, DWORD code, DWORD ip_address, void* reserved,
                    void* context) override;
  HookCall pkt_send(BYTE** packet, DWORD* size, DWORD code, DWORD ip_address, void* reserved,
                    void* context) override;
  HookCall address_del(BYTE* packet, DWORD size, DWORD code, DWORD ip_address, DWORD alt_address,
                       void* reserved, void* context) override;
  HookCall address_offer(BYTE* packet, DWORD size, DWORD code, DWORD ip_address, DWORD alt_address,
                         DWORD address_type, DWORD lease_time, void* reserved,
                         void* context) override;
  HookCall handle_options(BYTE* packet, DWORD size, void* reserved, void* context,
                          DHCP_SERVER_OPTIONS* options) override;
  HookCall delete_client(DWORD ip_address, BYTE* hw_address, ULONG hw_address_length,
                         DWORD reserved, DWORD client_type) override;
  std::optional<Fault> guarded(void (*fn)(void*), void* context) override {
    return trap_.run([&] { fn(context); });
  }
  using CalloutHooks::guarded;

 private:
  struct Turn;  // a lane and the host it talks to, for one call
  HookCall run(HookArgs& call);
  HookCall exchange_call(HookArgs& call, Turn& turn);
  HookCall failed(Hook hook, Fault fault, const std::string& exit, Turn& turn);
  void restart();
  void note(const std::string& line) const {
    if (log_) {
      log_(line);
    }
  }
  HookArgs packet_call(Hook hook, void* reserved, void* context) const;
  HookCall by_reference(Hook hook, BYTE** packet, DWORD* size, DWORD code, DWORD ip_address,
                        void* reserved, void* context);

  HostCommand command_;
  FaultTrap& trap_;
  Log log_;
  NoAccessRegion no_access_;
  host::SharedPackets packets_;
  std::vector<std::unique_ptr<host::HookMarshal>> marshals_;  // one per lane
  LanePool lanes_;
  std::vector<std::string> names_;
  bool loaded_ = false;
  // Set by load() and by restarts, read by has() on the callers' threads.
  std::array<std::atomic<bool>, kHookCount> hooks_{};
  std::atomic<std::thread::id> break_thread_{};

  // The running host. Calls in flight hold it, so a failed host is gone
  // when the last of them is done with it; a new one has a new generation.
  mutable std::mutex host_lock_;
  std::shared_ptr<HostConnection> host_;
  std::uint64_t generation_ = 0;
  std::size_t restarts_ = 0;
  // Why no host serves calls (a restart failed, the chain was stopped).
  std::optional<std::string> unavailable_;

  // How long a hook call may take before the host is given up on.
  std::optional<std::chrono::milliseconds> hook_wait() const {
    if (command_.hook_timeout.count() <= 0) {
      return std::nullopt;
    }
    return command_.hook_timeout + command_.hook_timeout_grace;
  }
};

Result<CalloutConfig> HostedChainImpl::read_registry() {
  if (!host_) {
    return make_error(unavailable_.value_or("the " + command_.label + " is not running"));
  }
  auto request = host_->begin(0, Request::read_registry);
  Exchange reply = host_->exchange(0, request);
  if (reply.failure) {
    unavailable_ = reply.failure->description;
    host_.reset();
    return make_error(*unavailable_);
  }
  if (reply.status == Status::error) {
    return make_error(reply.body.string());
  }
  CalloutConfig config = host::read_config(reply.body);
  if (reply.status != Status::ok || !reply.body.ok()) {
    unavailable_ = host_->broke_protocol("a malformed registry reply").description;
    host_.reset();
    return make_error(*unavailable_);
  }
  return config;
}

Result<HostedLoad> HostedChainImpl::load(
    const std::vector<std::string>& names,
    const std::function<void(const LoadAttempt&)>& on_attempt) {
  if (loaded_) {
    return make_error("the " + command_.label + " has loaded a chain already");
  }
  if (!host_) {
    return make_error(unavailable_.value_or("the " + command_.label + " is not running"));
  }
  auto load = load_in(*host_, command_, names, on_attempt, hook_wait());
  if (!load || load->hung) {
    unavailable_ = load ? describe_hung(*load, names) : load.error().message;
    host_->finish(std::chrono::milliseconds(0));
    host_.reset();
    return load;
  }
  names_ = names;
  loaded_ = load->loaded;
  set_hooks(load->hooks);
  return load;
}

ControlCall HostedChainImpl::stop_and_unload() {
  ControlCall stop;
  stop.code = DHCP_CONTROL_STOP;
  if (!host_) {
    if (loaded_ && unavailable_ && has(Hook::control)) {
      stop.called = true;
      stop.fault = Fault{*unavailable_, 0, 0};
    }
    return stop;
  }
  auto request = host_->begin(0, Request::stop);
  Exchange reply = host_->exchange(0, request, hook_wait());
  std::optional<HostFailure> failure = reply.failure;
  if (!failure) {
    stop = host::read_control_call(reply.body);
    if (reply.status != Status::ok || !reply.body.ok()) {
      failure = host_->broke_protocol("a malformed reply to STOP");
    }
  }
  if (failure) {
    stop = ControlCall{};
    stop.code = DHCP_CONTROL_STOP;
    stop.called = true;
    stop.fault = failure->timed_out ? timed_out_fault(command_, *failure)
                                    : Fault{failure->description, failure->code, 0};
    if (failure->timed_out) {
      host_->finish(std::chrono::milliseconds(0));  // killed
      host_.reset();
      unavailable_ = "the callout chain was stopped";
      return stop;
    }
  }
  const host::HostExit exit = host_->finish(kExitGrace);
  if (!exit.normal) {
    note(command_.label + " " + exit.description + " after STOP");
  }
  host_.reset();
  unavailable_ = "the callout chain was stopped";
  return stop;
}

struct HostedChainImpl::Turn {
  explicit Turn(LanePool& lanes) : pool(lanes), lane(lanes.take()) {}
  ~Turn() { pool.give_back(lane); }
  Turn(const Turn&) = delete;
  Turn& operator=(const Turn&) = delete;

  LanePool& pool;
  std::size_t lane;
  std::shared_ptr<HostConnection> host;
  std::uint64_t generation = 0;
};

HookCall HostedChainImpl::run(HookArgs& call) {
  Turn turn(lanes_);
  {
    std::lock_guard guard(host_lock_);
    turn.host = host_;
    turn.generation = generation_;
    if (!turn.host) {
      HookCall result;
      result.called = true;
      result.fault =
          Fault{unavailable_.value_or("the " + command_.label + " is not running"), 0, 0};
      return result;
    }
  }
  return exchange_call(call, turn);
}

HookCall HostedChainImpl::exchange_call(HookArgs& call, Turn& turn) {
  HostConnection& host = *turn.host;
  host::HookMarshal& marshal = *marshals_[turn.lane];
  auto request = host.begin(turn.lane, Request::hook);
  auto caller = std::this_thread::get_id();
  call.break_before = break_thread_.compare_exchange_strong(caller, std::thread::id{});
  if (!marshal.write_request(request, call)) {
    HookCall result;
    result.called = true;
    result.fault = Fault{std::string(to_string(call.hook)) + "'s arguments do not fit the " +
                             command_.label + "'s channel; the hook was not called",
                         0, 0};
    return result;
  }
  Exchange reply = host.exchange(turn.lane, request, hook_wait());
  if (reply.failure) {
    if (reply.failure->timed_out) {
      return failed(call.hook, timed_out_fault(command_, *reply.failure), "was killed", turn);
    }
    return failed(call.hook, Fault{reply.failure->description, reply.failure->code, 0}, "", turn);
  }
  switch (reply.status) {
    case Status::ok:
      break;
    case Status::fault: {
      Fault fault = host::read_fault(reply.body);
      if (!reply.body.ok()) {
        return failed(call.hook,
                      Fault{host.broke_protocol("a malformed fault report").description, 0, 0}, "",
                      turn);
      }
      fault.description += " (in the callout host)";
      std::vector<std::string> findings;  // checked mode: what the fault was
      const bool read = host::read_findings(reply.body, findings);
      const host::HostExit exit = host.finish(kExitGrace);
      HookCall failure = failed(call.hook, std::move(fault), exit.description, turn);
      if (read) {
        failure.findings = std::move(findings);
      }
      return failure;
    }
    case Status::error: {
      HookCall result;
      result.called = true;
      result.fault =
          Fault{"the " + command_.label + " refused the call: " + reply.body.string(), 0, 0};
      return result;
    }
    case Status::attempt:
      return failed(
          call.hook,
          Fault{host.broke_protocol("a load attempt in reply to a hook").description, 0, 0}, "",
          turn);
  }
  host::HookResult result;
  if (auto problem = marshal.apply_reply(reply.body, call, result)) {
    return failed(call.hook, Fault{host.broke_protocol(*problem).description, 0, 0}, "", turn);
  }
  HookCall done;
  if (!host::read_findings(reply.body, done.findings)) {
    return failed(call.hook, Fault{host.broke_protocol("malformed findings").description, 0, 0}, "",
                  turn);
  }
  done.called = result.called;
  done.returned = result.called ? result.returned : 0;
  done.duration = std::chrono::nanoseconds(
      static_cast<std::int64_t>(std::min<std::uint64_t>(result.duration_ns, INT64_MAX)));
  return done;
}

// The hook crashed, the host died or broke the protocol: the call's fault,
// and a new host for the calls after it. Calls in flight on other lanes fail
// with the host too; only the first to get here starts the new one.
HookCall HostedChainImpl::failed(Hook hook, Fault fault, const std::string& exit, Turn& turn) {
  std::string line =
      command_.label + ": " + std::string(to_string(hook)) + " failed: " + fault.description;
  if (!exit.empty()) {
    line += "; the host " + exit;
  }
  note(line);
  // A host still running (it broke the protocol, it hangs) is killed; the
  // calls in flight on it fail at once.
  turn.host->finish(std::chrono::milliseconds(0));
  {
    std::lock_guard guard(host_lock_);
    if (turn.generation == generation_ && host_ == turn.host) {
      host_.reset();
      restart();
    }
  }
  HookCall result;
  result.called = true;
  result.fault = std::move(fault);
  return result;
}

void HostedChainImpl::restart() {
  ++restarts_;
  const std::string which = " (restart " + std::to_string(restarts_) + ")";
  auto connection = HostConnection::start(command_);
  if (!connection) {
    unavailable_ = "the " + command_.label +
                   " could not be restarted after a crash: " + connection.error().message;
    note(*unavailable_ + which + "; every later hook call fails");
    return;
  }
  auto load = load_in(**connection, command_, names_, {}, hook_wait());
  if (load && load->hung) {
    load = make_error(describe_hung(*load, names_));
  } else if (load && !load->loaded) {
    load = make_error("no DLL took the chain in the new host");
  }
  if (!load) {
    unavailable_ =
        "the " + command_.label + " could not be restarted after a crash: " + load.error().message;
    note(*unavailable_ + which + "; every later hook call fails");
    return;
  }
  host_ = std::move(connection).value();
  ++generation_;
  set_hooks(load->hooks);
  packets_.host_restarted();
  const LoadAttempt& taken = load->attempts.back();
  note(command_.label + " restarted" + which + ": " + taken.name + ": entry " + taken.reason +
       "; Control(START) " + describe_control(load->start));
}

HookArgs HostedChainImpl::packet_call(Hook hook, void* reserved, void* context) const {
  HookArgs call;
  call.hook = hook;
  call.reserved = as_number(reserved);
  call.context = context;
  call.has_packet = true;
  return call;
}

HookCall HostedChainImpl::control(DWORD code) {
  if (!has(Hook::control)) {
    return {};
  }
  HookArgs call;
  call.hook = Hook::control;
  call.arguments[0] = code;
  return run(call);
}

HookCall HostedChainImpl::new_pkt(BYTE** packet, DWORD* size, DWORD ip_address, void* reserved,
                                  void** context, BOOL* process_it) {
  const bool sent = has(Hook::new_pkt);
  packets_.start_packet(as_number(reserved), packet != nullptr ? *packet : nullptr, sent);
  if (!sent) {
    return {};
  }
  HookArgs call = packet_call(Hook::new_pkt, reserved, nullptr);
  call.by_reference = true;
  call.starts_packet = true;
  call.packet_ref = packet;
  call.size_ref = size;
  call.context_ref = context;
  call.process_ref = process_it;
  call.arguments = {ip_address, process_it != nullptr ? static_cast<std::uint32_t>(*process_it) : 0,
                    0, 0, 0};
  return run(call);
}

HookCall HostedChainImpl::by_reference(Hook hook, BYTE** packet, DWORD* size, DWORD code,
                                       DWORD ip_address, void* reserved, void* context) {
  HookArgs call = packet_call(hook, reserved, context);
  call.by_reference = true;
  call.packet_ref = packet;
  call.size_ref = size;
  call.arguments = {code, ip_address, 0, 0, 0};
  return run(call);
}

HookCall HostedChainImpl::pkt_drop(BYTE** packet, DWORD* size, DWORD code, DWORD ip_address,
                                   void* reserved, void* context) {
  const bool sent = has(Hook::pkt_drop);
  HookCall result;
  if (sent) {
    result = by_reference(Hook::pkt_drop, packet, size, code, ip_address, reserved, context);
  }
  if (code == DHCP_DROP_PROCESSED) {
    packets_.end_packet(as_number(reserved), sent);
  }
  return result;
}

HookCall HostedChainImpl::pkt_send(BYTE** packet, DWORD* size, DWORD code, DWORD ip_address,
                                   void* reserved, void* context) {
  if (!has(Hook::pkt_send)) {
    return {};
  }
  return by_reference(Hook::pkt_send, packet, size, code, ip_address, reserved, context);
}

HookCall HostedChainImpl::address_del(BYTE* packet, DWORD size, DWORD code, DWORD ip_address,
                                      DWORD alt_address, void* reserved, void* context) {
  if (!has(Hook::address_del)) {
    return {};
  }
  HookArgs call = packet_call(Hook::address_del, reserved, context);
  call.packet = packet;
  call.size = size;
  call.arguments = {code, ip_address, alt_address, 0, 0};
  return run(call);
}

HookCall HostedChainImpl::address_offer(BYTE* packet, DWORD size, DWORD code, DWORD ip_address,
                                        DWORD alt_address, DWORD address_type, DWORD lease_time,
                                        void* reserved, void* context) {
  if (!has(Hook::address_offer)) {
    return {};
  }
  HookArgs call = packet_call(Hook::address_offer, reserved, context);
  call.packet = packet;
  call.size = size;
  call.arguments = {code, ip_address, alt_address, address_type, lease_time};
  return run(call);
}

HookCall HostedChainImpl::handle_options(BYTE* packet, DWORD size, void* reserved, void* context,
                                         DHCP_SERVER_OPTIONS* options) {
  if (!has(Hook::handle_options)) {
    return {};
  }
  HookArgs call = packet_call(Hook::handle_options, reserved, context);
  call.packet = packet;
  call.size = size;
  call.options = options;
  return run(call);
}

HookCall HostedChainImpl::delete_client(DWORD ip_address, BYTE* hw_address, ULONG hw_address_length,
                                        DWORD reserved, DWORD client_type) {
  if (!has(Hook::delete_client)) {
    return {};
  }
  HookArgs call;
  call.hook = Hook::delete_client;
  call.hw_address = hw_address;
  call.hw_length = hw_address_length;
  call.arguments = {ip_address, hw_address_length, reserved, client_type, 0};
  return run(call);
}

}  // namespace

Result<std::unique_ptr<HostedChain>> HostedChain::launch(HostCommand command, FaultTrap& trap,
                                                         Log log) {
  auto no_access = NoAccessRegion::reserve();
  if (!no_access) {
    return no_access.error();
  }
  auto host = HostConnection::start(command);
  if (!host) {
    return host.error();
  }
  return std::unique_ptr<HostedChain>(
      std::make_unique<HostedChainImpl>(std::move(command), trap, std::move(log),
                                        std::move(no_access).value(), std::move(host).value()));
}

}  // namespace calloutemu::loader
