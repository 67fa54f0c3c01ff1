#include "calloutemu/reports/summary_json.h"

#include <exception>

#include <nlohmann/json.hpp>

#include "output_file.h"

namespace calloutemu::reports {
namespace {

using Json = nlohmann::ordered_json;

double microseconds(std::chrono::nanoseconds duration) {
  return static_cast<double>(duration.count()) / 1000.0;
}

Json counts(const std::map<std::string, std::uint64_t>& by_name) {
  Json object = Json::object();
  for (const auto& [name, count] : by_name) {
    object[name] = count;
  }
  return object;
}

Json document(const RunSummary& summary) {
  Json hooks = Json::object();
  for (const HookSummary& hook : summary.hooks) {
    hooks[hook.hook] = {{"calls", hook.calls},
                        {"p50_us", hook.p50_us},
                        {"p99_us", hook.p99_us},
                        {"max_us", hook.max_us}};
  }
  Json slowest = Json::array();
  for (const SlowCallSummary& call : summary.slowest_calls) {
    slowest.push_back({{"hook", call.hook}, {"request", call.request}, {"us", call.us}});
  }
  Json json = Json::object();
  json["captures"] = summary.captures;
  json["frames_read"] = summary.frames_read;
  json["datagrams"] = summary.datagrams;
  json["filtered_out"] = summary.filtered_out;
  json["skipped"] = counts(summary.skipped);
  json["requests"] = summary.requests;
  json["replies_seen"] = summary.replies_seen;
  json["drops"] = counts(summary.drops);
  json["dropped_by_callout"] = summary.dropped_by_callout;
  json["responses"] = counts(summary.responses);
  json["faults"] = summary.faults;
  json["findings"] = summary.findings;
  if (summary.slow_hook_calls) {
    json["slow_hook_calls"] = *summary.slow_hook_calls;
  }
  json["hooks"] = std::move(hooks);
  json["slowest_calls"] = std::move(slowest);
  json["exit_code"] = summary.exit_code;
  return json;
}

}  // namespace

void add_latency(RunSummary& summary, const HookLatency& latency) {
  summary.hooks.clear();
  for (std::size_t i = 0; i < loader::kHookCount; ++i) {
    const auto hook = static_cast<loader::Hook>(i);
    const LatencyStats stats = latency.stats(hook);
    if (stats.calls == 0) {
      continue;
    }
    summary.hooks.push_back({std::string(loader::to_string(hook)), stats.calls,
                             microseconds(stats.p50), microseconds(stats.p99),
                             microseconds(stats.max)});
  }
  summary.slowest_calls.clear();
  for (const SlowCall& call : latency.slowest()) {
    summary.slowest_calls.push_back(
        {std::string(loader::to_string(call.hook)), call.request, microseconds(call.duration)});
  }
}

Result<std::string> summary_json(const RunSummary& summary) {
  try {
    return document(summary).dump(2, ' ', false, Json::error_handler_t::replace) + '\n';
  } catch (const std::exception& error) {
    return make_error(std::string("cannot write the summary: ") + error.what());
  }
}

Status write_summary_json(const std::filesystem::path& path, const RunSummary& summary) {
  auto text = summary_json(summary);
  if (!text) {
    return make_error(detail::display_name(path) + ": " + text.error().message);
  }
  auto file = detail::OutputFile::open(path, "wb");
  if (!file) {
    return make_error(detail::display_name(path) +
                      ": cannot create the summary: " + file.error().message);
  }
  if (Status written = file->write(*text); !written) {
    static_cast<void>(file->close());
    detail::remove_quietly(path);
    return written;
  }
  if (Status closed = file->close(); !closed) {
    detail::remove_quietly(path);
    return closed;
  }
  return {};
}

}  // namespace calloutemu::reports
