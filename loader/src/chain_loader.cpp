#include "calloutemu/loader/chain_loader.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <iterator>

#include "calloutemu/loader/hook_table.h"
#include "calloutemu/loader/multi_sz.h"

namespace calloutemu::loader {
namespace {

std::string describe_entry_result(DWORD result) {
  char text[64];
  std::snprintf(text, sizeof text, "returned %lu (0x%08lX)", static_cast<unsigned long>(result),
                static_cast<unsigned long>(result));
  return text;
}

LoadAttempt try_one(const std::vector<std::string>& names, std::size_t index, FaultTrap& trap,
                    std::optional<LoadedCallout>& loaded, GuardedMemory* checked) {
  LoadAttempt attempt;
  attempt.name = names[index];
  attempt.chain_dlls.assign(names.begin() + static_cast<std::ptrdiff_t>(index) + 1, names.end());

  auto chain_dlls = encode_multi_sz(attempt.chain_dlls);
  if (!chain_dlls) {
    attempt.outcome = AttemptOutcome::bad_name;
    attempt.reason = chain_dlls.error().message;
    return attempt;
  }

  std::optional<Result<DynamicLibrary>> opened;
  if (auto fault = trap.run([&] { opened.emplace(DynamicLibrary::open(attempt.name)); })) {
    attempt.outcome = AttemptOutcome::load_crashed;
    attempt.reason = fault->description;
    return attempt;
  }
  if (!*opened) {
    attempt.outcome = AttemptOutcome::load_failed;
    attempt.reason = opened->error().message;
    return attempt;
  }
  DynamicLibrary library = std::move(*opened).value();

  auto entry_symbol = library.symbol(DHCP_CALLOUT_ENTRY_POINT);
  if (!entry_symbol) {
    attempt.outcome = AttemptOutcome::no_entry_point;
    attempt.reason = entry_symbol.error().message;
    return attempt;
  }
  auto entry = reinterpret_cast<LPDHCP_ENTRY_POINT_FUNC>(entry_symbol.value());

  DHCP_CALLOUT_TABLE table;
  std::memset(&table, 0, sizeof table);
  DWORD result = 0;
  // ChainDlls lives only for the call: the buffer is released right after it.
  // (LPWSTR is wchar_t* on Windows, char16_t* elsewhere; both are UTF-16.)
  auto* chain_argument = reinterpret_cast<LPWSTR>(chain_dlls->data());
  // Checked mode: in its own pages, poisoned and made inaccessible after the
  // call, so a callout that keeps the pointer faults when it reads it.
  std::uint8_t* guarded = nullptr;
  if (checked != nullptr) {
    const std::size_t bytes = chain_dlls->size() * sizeof(char16_t);
    guarded = checked->allocate(bytes, std::string(kChainDllsLabel));
    if (guarded != nullptr) {
      std::memcpy(guarded, chain_dlls->data(), bytes);
      chain_argument = reinterpret_cast<LPWSTR>(guarded);
    }
  }
  const auto fault = trap.run([&] { result = entry(chain_argument, 0, &table); });
  chain_dlls = std::u16string();
  if (guarded != nullptr) {
    checked->retire(guarded, 0xFD);
  }
  if (fault) {
    attempt.outcome = AttemptOutcome::entry_crashed;
    attempt.reason = fault->description;
    return attempt;
  }
  attempt.entry_result = result;
  if (result != ERROR_SUCCESS) {
    attempt.outcome = AttemptOutcome::entry_failed;
    attempt.reason = describe_entry_result(result);
    return attempt;  // the table is dropped unread and the library unloaded
  }
  attempt.outcome = AttemptOutcome::loaded;
  attempt.reason = describe_entry_result(result);
  loaded.emplace(attempt.name, std::move(library), table);
  return attempt;
}

}  // namespace

std::string_view to_string(AttemptOutcome outcome) {
  switch (outcome) {
    case AttemptOutcome::loaded:
      return "loaded";
    case AttemptOutcome::load_failed:
      return "load failed";
    case AttemptOutcome::load_crashed:
      return "crashed while loading";
    case AttemptOutcome::no_entry_point:
      return "no entry point";
    case AttemptOutcome::entry_failed:
      return "entry failed";
    case AttemptOutcome::entry_crashed:
      return "entry crashed";
    case AttemptOutcome::bad_name:
      return "bad name";
  }
  return "unknown";
}

void describe_checked_fault(ControlCall& call, const GuardedMemory& memory,
                            const std::string& dll) {
  if (!call.fault) {
    return;
  }
  if (auto where = memory.locate(call.fault->accessed);
      where && where->label == kChainDllsLabel && where->area == GuardedMemory::Area::retired) {
    call.findings.push_back("Control(" + std::string(control_code_name(call.code)) + ")" +
                            " read ChainDlls after DhcpServerCalloutEntry returned in " + dll);
  }
}

ControlCall LoadedCallout::control(DWORD code, FaultTrap& trap) {
  ControlCall call;
  call.code = code;
  const LPDHCP_CONTROL hook = table_.DhcpControlHook;
  if (hook == nullptr) {
    return call;
  }
  call.called = true;
  const auto started = std::chrono::steady_clock::now();
  call.fault = trap.run([&] { call.returned = hook(code, nullptr); });
  call.duration = std::chrono::steady_clock::now() - started;
  return call;
}

ControlCall LoadedCallout::stop_and_unload(FaultTrap& trap) {
  ControlCall stop = control(DHCP_CONTROL_STOP, trap);
  std::memset(&table_, 0, sizeof table_);
  library_.close();
  return stop;
}

ChainLoad load_callout_chain(const std::vector<std::string>& names, FaultTrap& trap,
                             const std::function<void(const LoadAttempt&)>& on_attempt,
                             GuardedMemory* checked) {
  ChainLoad load;
  for (std::size_t index = 0; index < names.size() && !load.callout; ++index) {
    load.attempts.push_back(try_one(names, index, trap, load.callout, checked));
    if (on_attempt) {
      on_attempt(load.attempts.back());
    }
  }
  if (load.callout) {
    load.start = load.callout->control(DHCP_CONTROL_START, trap);
    if (checked != nullptr) {
      describe_checked_fault(*load.start, *checked, load.callout->name());
    }
  }
  return load;
}

}  // namespace calloutemu::loader
