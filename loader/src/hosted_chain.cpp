#include "calloutemu/loader/hosted_chain.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
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

// Loads `names` in `host`, passing each attempt to `on_attempt` as it ends.
Result<HostedLoad> load_in(HostConnection& host, const std::string& label,
                           const std::vector<std::string>& names,
                           const std::function<void(const LoadAttempt&)>& on_attempt) {
  auto request = host.begin(Request::load);
  host::write_strings(request, names);
  if (!request.ok()) {
    return make_error("the list of DLLs does not fit the " + label + "'s channel");
  }
  HostedLoad load;
  while (true) {
    Exchange reply = host.exchange(request);
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
      request = host.begin(Request::load_next);
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

class HostedChainImpl final : public HostedChain, public CalloutHooks {
 public:
  HostedChainImpl(HostCommand command, FaultTrap& trap, Log log, NoAccessRegion no_access,
                  std::unique_ptr<HostConnection> host)
      : command_(std::move(command)),
        trap_(trap),
        log_(std::move(log)),
        no_access_(std::move(no_access)),
        marshal_(trap, no_access_),
        host_(std::move(host)) {}

  // HostedChain
  Result<CalloutConfig> read_registry() override;
  Result<HostedLoad> load(const std::vector<std::string>& names,
                          const std::function<void(const LoadAttempt&)>& on_attempt) override;
  CalloutHooks& hooks() override { return *this; }
  ControlCall stop_and_unload() override;
  std::size_t restarts() const override { return restarts_; }
  // With --workers, calls come from several threads (one at a time): the
  // flag is for the next call of the thread that set it.
  void break_before_next_call() override { break_thread_ = std::this_thread::get_id(); }

  // CalloutHooks
  bool has(Hook hook) const override { return hooks_[static_cast<std::size_t>(hook)]; }
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
  HookCall run(HookArgs& call);
  HookCall failed(Hook hook, Fault fault, const std::string& exit);
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
  host::HookMarshal marshal_;
  std::unique_ptr<HostConnection> host_;
  std::vector<std::string> names_;
  bool loaded_ = false;
  std::array<bool, kHookCount> hooks_{};
  std::size_t restarts_ = 0;
  std::atomic<std::thread::id> break_thread_{};
  // Why no host serves calls (a restart failed, the chain was stopped).
  std::optional<std::string> unavailable_;

  // How long a hook call may take before the host is given up on.
  std::optional<std::chrono::milliseconds> hook_wait() const {
    if (command_.hook_timeout.count() <= 0) {
      return std::nullopt;
    }
    return command_.hook_timeout + command_.hook_timeout_grace;
  }
  // The host neither returned from the hook nor reported its own watchdog's
  // fault in time (the hook blocks the watchdog's signal, or the host hangs).
  Fault timed_out_fault(const HostFailure& failure) const {
    Fault fault("did not return within " + std::to_string(command_.hook_timeout.count()) + " ms (" +
                failure.description + "; it was killed)");
    fault.timed_out = true;
    return fault;
  }
};

Result<CalloutConfig> HostedChainImpl::read_registry() {
  if (!host_) {
    return make_error(unavailable_.value_or("the " + command_.label + " is not running"));
  }
  auto request = host_->begin(Request::read_registry);
  Exchange reply = host_->exchange(request);
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
  auto load = load_in(*host_, command_.label, names, on_attempt);
  if (!load) {
    unavailable_ = load.error().message;
    host_.reset();
    return load.error();
  }
  names_ = names;
  loaded_ = load->loaded;
  hooks_ = load->hooks;
  return load;
}

ControlCall HostedChainImpl::stop_and_unload() {
  ControlCall stop;
  stop.code = DHCP_CONTROL_STOP;
  if (!host_) {
    if (loaded_ && unavailable_ && hooks_[static_cast<std::size_t>(Hook::control)]) {
      stop.called = true;
      stop.fault = Fault{*unavailable_, 0, 0};
    }
    return stop;
  }
  auto request = host_->begin(Request::stop);
  Exchange reply = host_->exchange(request, hook_wait());
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
    stop.fault = failure->timed_out ? timed_out_fault(*failure)
                                    : Fault{failure->description, failure->code, 0};
    if (failure->timed_out) {
      host_.reset();  // killed
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

HookCall HostedChainImpl::run(HookArgs& call) {
  if (!host_) {
    HookCall result;
    result.called = true;
    result.fault = Fault{unavailable_.value_or("the " + command_.label + " is not running"), 0, 0};
    return result;
  }
  auto request = host_->begin(Request::hook);
  auto caller = std::this_thread::get_id();
  call.break_before = break_thread_.compare_exchange_strong(caller, std::thread::id{});
  if (!marshal_.write_request(request, call)) {
    HookCall result;
    result.called = true;
    result.fault = Fault{std::string(to_string(call.hook)) + "'s arguments do not fit the " +
                             command_.label + "'s channel; the hook was not called",
                         0, 0};
    return result;
  }
  Exchange reply = host_->exchange(request, hook_wait());
  if (reply.failure) {
    if (reply.failure->timed_out) {
      return failed(call.hook, timed_out_fault(*reply.failure), "was killed");
    }
    return failed(call.hook, Fault{reply.failure->description, reply.failure->code, 0}, "");
  }
  switch (reply.status) {
    case Status::ok:
      break;
    case Status::fault: {
      Fault fault = host::read_fault(reply.body);
      if (!reply.body.ok()) {
        return failed(call.hook,
                      Fault{host_->broke_protocol("a malformed fault report").description, 0, 0},
                      "");
      }
      fault.description += " (in the callout host)";
      std::vector<std::string> findings;  // checked mode: what the fault was
      const bool read = host::read_findings(reply.body, findings);
      const host::HostExit exit = host_->finish(kExitGrace);
      HookCall failure = failed(call.hook, std::move(fault), exit.description);
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
          Fault{host_->broke_protocol("a load attempt in reply to a hook").description, 0, 0}, "");
  }
  host::HookResult result;
  if (auto problem = marshal_.apply_reply(reply.body, call, result)) {
    return failed(call.hook, Fault{host_->broke_protocol(*problem).description, 0, 0}, "");
  }
  HookCall done;
  if (!host::read_findings(reply.body, done.findings)) {
    return failed(call.hook, Fault{host_->broke_protocol("malformed findings").description, 0, 0},
                  "");
  }
  done.called = result.called;
  done.returned = result.called ? result.returned : 0;
  done.duration = std::chrono::nanoseconds(
      static_cast<std::int64_t>(std::min<std::uint64_t>(result.duration_ns, INT64_MAX)));
  return done;
}

// The hook crashed, the host died or broke the protocol: the call's fault,
// and a new host for the calls after it.
HookCall HostedChainImpl::failed(Hook hook, Fault fault, const std::string& exit) {
  std::string line =
      command_.label + ": " + std::string(to_string(hook)) + " failed: " + fault.description;
  if (!exit.empty()) {
    line += "; the host " + exit;
  }
  note(line);
  host_.reset();  // a host still running (it broke the protocol) is killed
  restart();
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
  auto load = load_in(**connection, command_.label, names_, {});
  if (load && !load->loaded) {
    load = make_error("no DLL took the chain in the new host");
  }
  if (!load) {
    unavailable_ =
        "the " + command_.label + " could not be restarted after a crash: " + load.error().message;
    note(*unavailable_ + which + "; every later hook call fails");
    return;
  }
  host_ = std::move(connection).value();
  hooks_ = load->hooks;
  marshal_.host_restarted();
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
  marshal_.start_packet(as_number(reserved), packet != nullptr ? *packet : nullptr, sent);
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
    marshal_.end_packet(as_number(reserved), sent);
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
