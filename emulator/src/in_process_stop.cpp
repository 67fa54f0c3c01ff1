#include "in_process_stop.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "calloutemu/emulator/exit_codes.h"
#include "calloutemu/loader/hook_table.h"

namespace calloutemu::emulator {

loader::StuckCallHandler end_run_when_stuck(spdlog::logger& log, std::chrono::milliseconds limit) {
  return [&log, limit](std::thread::id) {
    log.error(
        "a call into the callout (a DLL entry, Control(START) or Control(STOP)) did not return "
        "within {} ms, nor after the watchdog's interrupt: the run ends here",
        limit.count());
    exit_flushed(kExitHookFault, log);
  };
}

void exit_flushed(ExitCode code, spdlog::logger& log,
                  std::initializer_list<std::ostream*> streams) {
  for (std::ostream* stream : streams) {
    stream->flush();
  }
  log.flush();
  std::fflush(nullptr);
  std::_Exit(code);
}

using loader::Hook;

template <class Call>
loader::HookCall StopAfterFault::noted_call(Hook hook, DWORD code, Call& call) {
  if (noting_) {
    if (CallNote* note = note_of_this_thread()) {
      // Read by give_up() only once this thread is held in the call.
      note->hook = hook;
      note->code = code;
    }
  }
  return call();
}

// One named result, made in place and returned from its place (a second
// return statement would make GCC move every call's HookCall once more).
template <class Call>
loader::HookCall StopAfterFault::unless_stopped(Hook hook, DWORD code, Call&& call) {
  loader::HookCall result = stopped() ? loader::HookCall{} : noted_call(hook, code, call);
  if (result.fault) {
    stopped_.store(true, std::memory_order_release);
  }
  return result;
}

void StopAfterFault::note_calls(std::size_t threads) {
  notes_ = std::make_unique<CallNote[]>(threads);
  note_capacity_ = threads;
  noting_ = true;
}

StopAfterFault::CallNote* StopAfterFault::note_of_this_thread() {
  const auto self = std::this_thread::get_id();
  const std::size_t published = noted_threads_.load(std::memory_order_acquire);
  for (std::size_t i = 0; i < published; ++i) {
    if (notes_[i].thread == self) {
      return &notes_[i];
    }
  }
  // Only this thread adds its own note: none was added for it meanwhile.
  std::lock_guard guard(note_lock_);
  const std::size_t next = noted_threads_.load(std::memory_order_relaxed);
  if (next == note_capacity_) {
    return nullptr;
  }
  notes_[next].thread = self;
  noted_threads_.store(next + 1, std::memory_order_release);
  return &notes_[next];
}

std::optional<StopAfterFault::AbandonedCall> StopAfterFault::give_up(std::thread::id thread) {
  stopped_.store(true, std::memory_order_release);
  gave_up_.store(true, std::memory_order_release);
  const std::size_t published = noted_threads_.load(std::memory_order_acquire);
  for (std::size_t i = 0; i < published; ++i) {
    if (notes_[i].thread == thread) {
      return AbandonedCall{notes_[i].hook, notes_[i].code};
    }
  }
  return std::nullopt;
}

loader::HookCall StopAfterFault::control(DWORD code) {
  return unless_stopped(Hook::control, code, [&] { return inner_.control(code); });
}

loader::HookCall StopAfterFault::new_pkt(BYTE** packet, DWORD* size, DWORD ip_address,
                                         void* reserved, void** context, BOOL* process_it) {
  return unless_stopped(Hook::new_pkt, 0, [&] {
    return inner_.new_pkt(packet, size, ip_address, reserved, context, process_it);
  });
}

loader::HookCall StopAfterFault::pkt_drop(BYTE** packet, DWORD* size, DWORD code, DWORD ip_address,
                                          void* reserved, void* context) {
  return unless_stopped(Hook::pkt_drop, code, [&] {
    return inner_.pkt_drop(packet, size, code, ip_address, reserved, context);
  });
}

loader::HookCall StopAfterFault::pkt_send(BYTE** packet, DWORD* size, DWORD code, DWORD ip_address,
                                          void* reserved, void* context) {
  return unless_stopped(Hook::pkt_send, code, [&] {
    return inner_.pkt_send(packet, size, code, ip_address, reserved, context);
  });
}

loader::HookCall StopAfterFault::address_del(BYTE* packet, DWORD size, DWORD code, DWORD ip_address,
                                             DWORD alt_address, void* reserved, void* context) {
  return unless_stopped(Hook::address_del, code, [&] {
    return inner_.address_del(packet, size, code, ip_address, alt_address, reserved, context);
  });
}

loader::HookCall StopAfterFault::address_offer(BYTE* packet, DWORD size, DWORD code,
                                               DWORD ip_address, DWORD alt_address,
                                               DWORD address_type, DWORD lease_time, void* reserved,
                                               void* context) {
  return unless_stopped(Hook::address_offer, code, [&] {
    return inner_.address_offer(packet, size, code, ip_address, alt_address, address_type,
                                lease_time, reserved, context);
  });
}

loader::HookCall StopAfterFault::handle_options(BYTE* packet, DWORD size, void* reserved,
                                                void* context, DHCP_SERVER_OPTIONS* options) {
  return unless_stopped(Hook::handle_options, 0, [&] {
    return inner_.handle_options(packet, size, reserved, context, options);
  });
}

loader::HookCall StopAfterFault::delete_client(DWORD ip_address, BYTE* hw_address,
                                               ULONG hw_address_length, DWORD reserved,
                                               DWORD client_type) {
  return unless_stopped(Hook::delete_client, 0, [&] {
    return inner_.delete_client(ip_address, hw_address, hw_address_length, reserved, client_type);
  });
}

void StopGate::hook_called(const server::HookRecord& record) {
  if (!passes(record.request)) {
    return;
  }
  if (active_ && !cause_ && record.call != nullptr && record.call->fault) {
    stop_at(record);
  }
  next_.hook_called(record);
}

void StopGate::stop_at(const server::HookRecord& record) {
  std::string hook(loader::to_string(record.hook));
  if (record.hook == loader::Hook::control) {
    hook += "(" + std::string(loader::control_code_name(record.code)) + ")";
  }
  cause_ = StopCause{record.request, std::move(hook), *record.call->fault};
}

void StopGate::response_sent(const server::RequestOutcome& outcome,
                             std::span<const std::uint8_t> bytes) {
  if (!cause_) {
    next_.response_sent(outcome, bytes);
  }
}

void StopGate::request_finished(const server::RequestOutcome& outcome) {
  if (passes(outcome.number)) {
    next_.request_finished(outcome);
  }
}

void StopGate::note(std::string_view text) {
  if (!cause_) {
    next_.note(text);
  }
}

std::string stop_reason(const StopCause& cause) {
  if (cause.fault.timed_out) {
    return cause.hook + " " + cause.fault.description + " in-process";
  }
  return cause.hook + " crashed in-process";
}

}  // namespace calloutemu::emulator
