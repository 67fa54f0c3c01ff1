#include "diagnostic_options.h"

#include <charconv>
#include <string>
#include <string_view>
#include <vector>

namespace calloutemu::emulator {
namespace po = boost::program_options;
namespace {

constexpr std::uint64_t kMaxMilliseconds = 24ull * 3600 * 1000;
constexpr unsigned kMaxWorkers = 64;

std::optional<std::uint64_t> whole_number(std::string_view text) {
  std::uint64_t number = 0;
  const auto* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, number);
  if (text.empty() || error != std::errc() || stop != end) {
    return std::nullopt;
  }
  return number;
}

Result<std::optional<std::chrono::milliseconds>> milliseconds(const po::variables_map& values,
                                                              const char* name,
                                                              const OptionOrigin& origin) {
  if (!values.count(name)) {
    return std::optional<std::chrono::milliseconds>();
  }
  const auto& text = values[name].as<std::string>();
  const auto number = whole_number(text);
  if (!number || *number > kMaxMilliseconds) {
    return make_error(origin(name) + ": '" + text +
                      "' is not a whole number of milliseconds (0 to 86400000)");
  }
  return std::optional(std::chrono::milliseconds(*number));
}

Result<BreakPoint> break_point(const std::string& text, const std::string& where) {
  const auto at = text.find('@');
  const std::string_view name = std::string_view(text).substr(0, at);
  BreakPoint point;
  if (const auto hook = loader::parse_hook(name)) {
    point.hook = *hook;
  } else {
    return make_error(where + ": '" + std::string(name) +
                      "' is not a hook (Control, NewPkt, PktDrop, PktSend, AddressDel, "
                      "AddressOffer, HandleOptions or DeleteClient)");
  }
  if (at != std::string::npos) {
    const auto number = whole_number(std::string_view(text).substr(at + 1));
    if (!number) {
      return make_error(where + ": '" + text.substr(at + 1) +
                        "' is not a request number (0 for START and STOP, 1 for the first "
                        "request)");
    }
    point.request = *number;
  }
  return point;
}

}  // namespace

void describe_diagnostic_options(po::options_description& description) {
  description.add_options()("checked", po::bool_switch(),
                            "guard pages, canaries and poisoned memory around everything the "
                            "server hands a callout; misuse is a finding (exit 3)")(
      "hook-timeout", po::value<std::string>()->value_name("MS"),
      "a hook still running after MS milliseconds is reported and the run exits 3 "
      "(default 1000 with --checked, else off; 0: off)")(
      "slow-hook", po::value<std::string>()->value_name("MS"),
      "warn about every hook call that took longer than MS milliseconds")(
      "workers", po::value<std::string>()->value_name("N"),
      "run the worker-stage hooks of different requests on N threads at once (default 1)")(
      "break-before", po::value<std::vector<std::string>>()->value_name("HOOK[@N]"),
      "stop in the debugger just before that hook's call (request N's only), when one is "
      "attached (repeatable)")("break-always", po::bool_switch(),
                               "--break-before stops even without a debugger (SIGTRAP / "
                               "DebugBreak)")(
      "wait-for-debugger", po::bool_switch(),
      "print the process id and wait for a debugger to attach before loading the chain");
}

Status read_diagnostic_options(const po::variables_map& values, const OptionOrigin& origin,
                               DiagnosticOptions& diagnostics) {
  diagnostics.checked = values["checked"].as<bool>();
  diagnostics.break_always = values["break-always"].as<bool>();
  diagnostics.wait_for_debugger = values["wait-for-debugger"].as<bool>();
  auto timeout = milliseconds(values, "hook-timeout", origin);
  if (!timeout) {
    return timeout.error();
  }
  diagnostics.hook_timeout = *timeout;
  auto slow = milliseconds(values, "slow-hook", origin);
  if (!slow) {
    return slow.error();
  }
  diagnostics.slow_hook = *slow;
  if (values.count("workers")) {
    const auto& text = values["workers"].as<std::string>();
    const auto number = whole_number(text);
    if (!number || *number == 0 || *number > kMaxWorkers) {
      return make_error(origin("workers") + ": '" + text + "' is not a number of threads (1 to " +
                        std::to_string(kMaxWorkers) + ")");
    }
    diagnostics.workers = static_cast<unsigned>(*number);
  }
  if (values.count("break-before")) {
    for (const auto& text : values["break-before"].as<std::vector<std::string>>()) {
      auto point = break_point(text, origin("break-before"));
      if (!point) {
        return point.error();
      }
      diagnostics.break_before.push_back(*point);
    }
  }
  if (diagnostics.break_always && diagnostics.break_before.empty()) {
    return make_error("--break-always needs --break-before");
  }
  return {};
}

}  // namespace calloutemu::emulator
