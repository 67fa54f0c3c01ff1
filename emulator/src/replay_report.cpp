#include "replay_report.h"

#include "calloutemu/loader/hook_table.h"
#include "calloutemu/reports/fault_text.h"

namespace calloutemu::emulator {
namespace {

std::string code_name(loader::Hook hook, DWORD code) {
  switch (hook) {
    case loader::Hook::control:
      return std::string(loader::control_code_name(code));
    case loader::Hook::pkt_drop:
      return std::string(loader::drop_code_name(code));
    case loader::Hook::pkt_send:
    case loader::Hook::address_del:
    case loader::Hook::address_offer:
      return std::string(loader::address_code_name(code));
    default:
      return "";
  }
}

std::size_t type_index(const std::optional<dhcp::MessageType>& type) {
  return type ? static_cast<std::size_t>(*type) : 256;
}

std::string type_name(std::size_t index) {
  std::string name =
      index == 256 ? "BOOTP" : std::string(dhcp::to_string(static_cast<dhcp::MessageType>(index)));
  if (name == "unknown") {
    name = "type " + std::to_string(index);
  }
  return name;
}

// "DISCOVER 3, REQUEST 2", in alphabetical order of the names.
std::string type_breakdown(const std::array<std::uint64_t, 257>& counts) {
  std::map<std::string, std::uint64_t> named;
  for (std::size_t index = 0; index < counts.size(); ++index) {
    if (counts[index] != 0) {
      named[type_name(index)] += counts[index];
    }
  }
  std::string text;
  for (const auto& [name, count] : named) {
    text += (text.empty() ? "" : ", ") + name + " " + std::to_string(count);
  }
  return text;
}

template <class Map, class Name>
std::string breakdown(const Map& counts, Name name) {
  std::string text;
  for (const auto& [key, count] : counts) {
    text += (text.empty() ? "" : ", ") + name(key) + " " + std::to_string(count);
  }
  return text;
}

// "12.345": microseconds, three decimals.
std::string microseconds(std::chrono::nanoseconds duration) {
  const auto ns = duration.count();
  std::string fraction = std::to_string(ns % 1000);
  return std::to_string(ns / 1000) + "." + std::string(3 - fraction.size(), '0') + fraction;
}

}  // namespace

std::string ReplayReport::where(const server::CaptureOrigin& origin) const {
  std::string file = origin.file_index < captures_.size()
                         ? captures_[origin.file_index].filename().string()
                         : std::to_string(origin.file_index);
  return "frame " + std::to_string(origin.frame_number) + " of " + file;
}

// "12.5": milliseconds, one decimal.
static std::string milliseconds(std::chrono::nanoseconds duration) {
  const auto tenths = (duration.count() + 50'000) / 100'000;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10);
}

void ReplayReport::check_slow(std::chrono::nanoseconds duration, const std::string& hook,
                              std::uint64_t request) {
  if (!slow_hook_ || duration <= *slow_hook_) {
    return;
  }
  ++slow_calls_;
  if (request != 0 && current_ != nullptr && request == current_->number) {
    log_.warn("request {} ({}): {} took {} ms in {}: a hook should not block", request,
              where(current_->origin), hook, milliseconds(duration), dll_);
  } else if (request != 0) {
    log_.warn("request {}: {} took {} ms in {}: a hook should not block", request, hook,
              milliseconds(duration), dll_);
  } else {
    log_.warn("{} took {} ms in {}: a hook should not block", hook, milliseconds(duration), dll_);
  }
}

void ReplayReport::control_called(const loader::ControlCall& call) {
  if (call.fault) {
    ++faults_;  // already logged, with the Control line
  }
  if (call.called) {
    check_slow(call.duration, "Control(" + std::string(loader::control_code_name(call.code)) + ")",
               0);
  }
}

void ReplayReport::hook_called(const server::HookRecord& record) {
  ++calls_[static_cast<std::size_t>(record.hook)];
  checked_findings_ += record.call->findings.size();
  if (record.call->fault) {
    report_fault(record);
  } else if (slow_hook_ && record.call->duration > *slow_hook_) {
    check_slow(record.call->duration, hook_label(record), record.request);
  }
  latency_.add(record.hook, record.call->duration, record.request);
}

std::string ReplayReport::hook_label(const server::HookRecord& record) {
  std::string hook(loader::to_string(record.hook));
  const auto code = code_name(record.hook, record.code);
  if (!code.empty()) {
    hook += "(" + code + ")";
  }
  return hook;
}

void ReplayReport::report_fault(const server::HookRecord& record) {
  ++faults_;
  const std::string hook = hook_label(record);
  const auto& fault = *record.call->fault;
  const char* what = fault.timed_out ? "" : "crashed: ";
  const std::string text = reports::fault_summary(fault) + reports::fault_backtrace_lines(fault);
  if (current_ != nullptr && record.request == current_->number) {
    log_.error("request {} ({}): {} in {} {}{}", record.request, where(current_->origin), hook,
               dll_, what, text);
  } else if (record.request != 0) {
    log_.error("request {}: {} in {} {}{}", record.request, hook, dll_, what, text);
  } else {
    log_.error("{} in {} {}{}", hook, dll_, what, text);
  }
}

void ReplayReport::response_sent(const server::RequestOutcome& outcome,
                                 std::span<const std::uint8_t> bytes) {
  (void)bytes;
  ++responses_;
  ++response_types_[type_index(outcome.response_type)];
}

void ReplayReport::request_finished(const server::RequestOutcome& outcome) {
  ++sources_[static_cast<std::size_t>(outcome.source)];
  if (outcome.message_type || outcome.bootp) {
    ++message_types_[type_index(outcome.message_type)];
  } else {
    ++not_read_;
  }
  if (outcome.dropped_by_callout) {
    ++dropped_by_callout_;
  }
  if (!outcome.drop_reasons.empty()) {
    ++dropped_;
    for (DWORD code : outcome.drop_reasons) {
      ++drop_reasons_[code];
    }
  }
  for (const auto& text : outcome.findings) {
    ++findings_;
    log_.warn("request {} ({}): {}", outcome.number, where(outcome.origin), text);
  }
}

void ReplayReport::note(std::string_view text) {
  log_.warn("{}", text);
}

void ReplayReport::print(std::ostream& out, const pcap_replay::CaptureCounters& capture,
                         const server::LookaheadCounters& feed, std::size_t leases) const {
  std::string files;
  for (const auto& path : captures_) {
    files += (files.empty() ? "" : ", ") + path.string();
  }
  out << "captures: " << files << '\n';
  std::string skipped;
  std::uint64_t skipped_total = capture.skipped_total() + feed.oversize + feed.not_to_server;
  for (auto reason : pcap_replay::kAllSkipReasons) {
    if (auto count = capture.skipped_for(reason)) {
      skipped += (skipped.empty() ? "" : ", ") + std::string(pcap_replay::to_string(reason)) + " " +
                 std::to_string(count);
    }
  }
  if (feed.oversize != 0) {
    skipped += (skipped.empty() ? "" : ", ") + std::string("over the 4096-byte receive buffer ") +
               std::to_string(feed.oversize);
  }
  if (feed.not_to_server != 0) {
    skipped += (skipped.empty() ? "" : ", ") + std::string("UDP not to port 67 ") +
               std::to_string(feed.not_to_server);
  }
  out << "frames: " << capture.frames_read << " read, " << capture.filtered_out << " filtered out, "
      << skipped_total << " skipped" << (skipped.empty() ? "" : " (" + skipped + ")") << '\n';
  out << "requests: " << feed.requests << '\n';
  out << "replies in capture: " << feed.replies << " (" << feed.replies_matched
      << " matched to a request)\n";
  std::string types = type_breakdown(message_types_);
  if (not_read_ != 0) {
    types += (types.empty() ? "" : ", ") + std::string("not read ") + std::to_string(not_read_);
  }
  out << "message types: " << (types.empty() ? "none" : types) << '\n';
  std::string sources;
  for (auto source : {server::DecisionSource::capture, server::DecisionSource::model}) {
    if (const auto count = sources_[static_cast<std::size_t>(source)]) {
      sources += (sources.empty() ? "" : ", ") + std::string(server::to_string(source)) + " " +
                 std::to_string(count);
    }
  }
  out << "decisions: " << (sources.empty() ? "none" : sources) << '\n';
  out << "dropped: " << dropped_;
  if (!drop_reasons_.empty()) {
    out << " (" << breakdown(drop_reasons_, [](DWORD code) {
      return std::string(loader::drop_code_name(code));
    }) << ")";
  }
  out << '\n';
  out << "dropped by the callout: " << dropped_by_callout_ << '\n';
  out << "responses: " << responses_;
  if (responses_ != 0) {
    out << " (" << type_breakdown(response_types_) << ")";
  }
  out << '\n';
  // Control(START) and Control(STOP) have their own lines; PAUSE and
  // CONTINUE are counted here when there were any.
  std::string calls;
  for (std::size_t i = 0; i < calls_.size(); ++i) {
    const auto hook = static_cast<loader::Hook>(i);
    if (hook == loader::Hook::control && calls_[i] == 0) {
      continue;
    }
    calls += (calls.empty() ? "" : ", ") +
             (hook == loader::Hook::control ? std::string("Control(PAUSE/CONTINUE)")
                                            : std::string(loader::to_string(hook))) +
             " " + std::to_string(calls_[i]);
  }
  out << "hook calls: " << calls << '\n';
  out << "hook faults: " << faults_ << '\n';
  if (slow_hook_) {
    out << "slow hook calls: " << slow_calls_ << " (over " << slow_hook_->count() << " ms)\n";
  }
  out << "findings: " << findings_ << '\n';
  out << "leases at end: " << leases << '\n';
  if (feed.waited_too_long != 0) {
    out << "requests decided before their reply window ended: " << feed.waited_too_long << '\n';
  }
  for (std::size_t i = 0; i < loader::kHookCount; ++i) {
    const auto hook = static_cast<loader::Hook>(i);
    const auto stats = latency_.stats(hook);
    if (stats.calls != 0) {
      out << "latency " << loader::to_string(hook) << ": p50 " << microseconds(stats.p50)
          << " us, p99 " << microseconds(stats.p99) << " us, max " << microseconds(stats.max)
          << " us (" << stats.calls << (stats.calls == 1 ? " call)\n" : " calls)\n");
    }
  }
  std::string slowest;
  for (const auto& call : latency_.slowest()) {
    slowest += (slowest.empty() ? "" : ", ") + std::string(loader::to_string(call.hook)) + " " +
               microseconds(call.duration) + " us (request " + std::to_string(call.request) + ")";
  }
  if (!slowest.empty()) {
    out << "slowest hook calls: " << slowest << '\n';
  }
}

reports::RunSummary ReplayReport::summary(const pcap_replay::CaptureCounters& capture,
                                          const server::LookaheadCounters& feed) const {
  reports::RunSummary summary;
  for (const auto& path : captures_) {
    summary.captures.push_back(path.string());
  }
  summary.frames_read = capture.frames_read;
  summary.datagrams = capture.datagrams_returned;
  summary.filtered_out = capture.filtered_out;
  for (auto reason : pcap_replay::kAllSkipReasons) {
    if (auto count = capture.skipped_for(reason)) {
      summary.skipped[std::string(pcap_replay::to_string(reason))] = count;
    }
  }
  if (feed.oversize != 0) {
    summary.skipped["over the 4096-byte receive buffer"] = feed.oversize;
  }
  if (feed.not_to_server != 0) {
    summary.skipped["UDP not to port 67"] = feed.not_to_server;
  }
  summary.requests = feed.requests;
  summary.replies_seen = feed.replies;
  for (const auto& [code, count] : drop_reasons_) {
    summary.drops[std::string(loader::drop_code_name(code))] += count;
  }
  summary.dropped_by_callout = dropped_by_callout_;
  for (std::size_t index = 0; index < response_types_.size(); ++index) {
    if (response_types_[index] != 0) {
      summary.responses[type_name(index)] += response_types_[index];
    }
  }
  summary.faults = faults_;
  if (slow_hook_) {
    summary.slow_hook_calls = slow_calls_;
  }
  summary.findings = findings_;
  reports::add_latency(summary, latency_);
  return summary;
}

}  // namespace calloutemu::emulator
