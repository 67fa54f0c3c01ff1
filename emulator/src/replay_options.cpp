#include "replay_options.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "calloutemu/loader/hook_table.h"
#include "calloutemu/scopes/scope.h"

namespace calloutemu::emulator {
namespace po = boost::program_options;
namespace {

std::vector<std::string> strings(const po::variables_map& values, const char* name) {
  if (!values.count(name)) {
    return {};
  }
  return values[name].as<std::vector<std::string>>();
}

Result<std::uint64_t> request_number(std::string_view text, const std::string& where) {
  std::uint64_t number = 0;
  const auto* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, number);
  if (text.empty() || error != std::errc() || stop != end || number == 0) {
    return make_error(where + ": '" + std::string(text) +
                      "' is not a request number (1 for the first request)");
  }
  return number;
}

Result<std::chrono::nanoseconds> seconds(const po::variables_map& values, const char* name,
                                         const OptionOrigin& origin,
                                         std::chrono::nanoseconds fallback) {
  if (!values.count(name)) {
    return fallback;
  }
  const auto& text = values[name].as<std::string>();
  double value = 0;
  const auto* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end || !std::isfinite(value) || value < 0 ||
      value > 1e9) {
    return make_error(origin(name) + ": '" + text + "' is not a number of seconds");
  }
  return std::chrono::nanoseconds(static_cast<std::int64_t>(std::llround(value * 1e9)));
}

// "CODE@N" or "MAC@N": the part before the last '@' and the request number.
Result<std::pair<std::string, std::uint64_t>> at_request(const std::string& text,
                                                         const std::string& where,
                                                         const char* what) {
  const auto at = text.rfind('@');
  if (at == std::string::npos) {
    return make_error(where + ": '" + text + "' is not " + what + "@N");
  }
  auto number = request_number(std::string_view(text).substr(at + 1), where);
  if (!number) {
    return number.error();
  }
  return std::pair{text.substr(0, at), *number};
}

Result<DWORD> injectable_code(std::string name, const std::string& where) {
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (name.rfind("DHCP_DROP_", 0) == 0) {
    name.erase(0, 10);
  }
  for (DWORD code : server::kInjectableDrops) {
    if (loader::drop_code_name(code) == name) {
      return code;
    }
  }
  return make_error(where + ": '" + name +
                    "' cannot be injected (NOMEM, INTERNAL_ERROR, TIMEOUT or GEN_FAILURE)");
}

Status read_schedule(const po::variables_map& values, const OptionOrigin& origin,
                     ReplayOptions& replay) {
  for (const auto& text : strings(values, "inject")) {
    auto parts = at_request(text, origin("inject"), "CODE");
    if (!parts) {
      return parts.error();
    }
    auto code = injectable_code(parts->first, origin("inject"));
    if (!code) {
      return code.error();
    }
    replay.injections.push_back({*code, parts->second});
  }
  for (auto [name, list] :
       {std::pair{"pause-at", &replay.pause_at}, std::pair{"continue-at", &replay.continue_at}}) {
    for (const auto& text : strings(values, name)) {
      auto number = request_number(text, origin(name));
      if (!number) {
        return number.error();
      }
      list->push_back(*number);
    }
  }
  for (const auto& text : strings(values, "delete-client")) {
    auto parts = at_request(text, origin("delete-client"), "MAC");
    if (!parts) {
      return parts.error();
    }
    server::AdminDelete order;
    const auto mac = scopes::parse_mac(parts->first);
    if (!mac || mac->size() != order.mac.size()) {
      return make_error(origin("delete-client") + ": '" + parts->first +
                        "' is not a MAC address (aa:bb:cc:dd:ee:ff)");
    }
    std::copy_n(mac->begin(), order.mac.size(), order.mac.begin());
    order.request = parts->second;
    replay.deletes.push_back(order);
  }
  return {};
}

}  // namespace

Status read_replay_options(const po::variables_map& values, const OptionOrigin& origin,
                           ReplayOptions& replay) {
  replay.pcaps = strings(values, "pcap");
  if (values.count("filter")) {
    replay.filter = values["filter"].as<std::string>();
  }
  if (values.count("decisions")) {
    const auto& text = values["decisions"].as<std::string>();
    const auto mode = server::parse_decision_mode(text);
    if (!mode) {
      return make_error(origin("decisions") + ": '" + text + "' is not model, capture or auto");
    }
    replay.decisions = *mode;
  }
  auto duplicate = seconds(values, "duplicate-window", origin, replay.duplicate_window);
  if (!duplicate) {
    return duplicate.error();
  }
  replay.duplicate_window = *duplicate;
  auto reply = seconds(values, "reply-window", origin, replay.reply_window);
  if (!reply) {
    return reply.error();
  }
  replay.reply_window = *reply;
  if (auto schedule = read_schedule(values, origin, replay); !schedule) {
    return schedule;
  }

  replay.scope_cidrs = strings(values, "scope");
  for (const auto& cidr : replay.scope_cidrs) {
    auto scope = scopes::scope_from_cidr(cidr);
    if (!scope) {
      return scope.error();
    }
    replay.server.scopes.push_back(std::move(scope).value());
  }
  if (!replay.scope_cidrs.empty()) {
    if (auto valid = scopes::validate(replay.server); !valid) {
      return make_error("--scope: " + valid.error().message);
    }
  }
  return {};
}

Status read_result_options(const po::variables_map& values, const OptionOrigin& origin, bool quiet,
                           Options& options) {
  auto& results = options.results;
  const std::pair<const char*, std::optional<std::string>*> files[] = {
      {"trace", &results.trace},
      {"expect", &results.expect},
      {"junit", &results.junit},
      {"write-pcap", &results.write_pcap},
      {"write-dropped", &results.write_dropped},
      {"summary-json", &results.summary_json},
  };
  std::vector<std::pair<std::string, const char*>> outputs;  // (path, option)
  for (const auto& [name, target] : files) {
    if (!values.count(name)) {
      continue;
    }
    const auto& path = values[name].as<std::string>();
    if (path.empty()) {
      return make_error(origin(name) + ": needs a file name");
    }
    if (options.replay.pcaps.empty()) {
      return make_error(origin(name) + " needs a capture to replay (--pcap FILE)");
    }
    if (path == "-" && std::string_view(name) != "trace") {
      return make_error(origin(name) + ": '-' (stdout) is only for --trace");
    }
    *target = path;
  }
  results.expect_update = values["expect-update"].as<bool>();
  if (results.expect_update && !results.expect) {
    return make_error("--expect-update needs --expect FILE (the file it rewrites)");
  }
  // --expect reads its file, unless --expect-update rewrites it.
  for (const auto& [name, target] : files) {
    const bool written = std::string_view(name) != "expect" || results.expect_update;
    if (*target && written && **target != "-") {
      for (const auto& [path, other] : outputs) {
        if (std::filesystem::path(path).lexically_normal() ==
            std::filesystem::path(**target).lexically_normal()) {
          return make_error(origin(name) + " and " + origin(other) + " both write " + path);
        }
      }
      outputs.emplace_back(**target, name);
    }
  }
  for (const auto& capture : options.replay.pcaps) {
    for (const auto& [path, name] : outputs) {
      if (std::filesystem::path(path).lexically_normal() ==
          std::filesystem::path(capture).lexically_normal()) {
        return make_error(origin(name) + " would overwrite the capture " + capture);
      }
    }
  }
  results.progress = !quiet && !values["no-progress"].as<bool>();
  return {};
}

}  // namespace calloutemu::emulator
