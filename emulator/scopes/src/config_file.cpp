// read_config_sections: the [server] and [scope NAME] sections of the --config file.
#include <algorithm>
#include <map>
#include <string>

#include "calloutemu/scopes/server_config.h"
#include "config_values.h"
#include "scope_checks.h"
#include "text.h"

namespace calloutemu::scopes {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Where each item of a scope was given, to point errors found at the section's end at it.
struct ScopeDraft {
  Scope scope;
  std::size_t header_line = 0;
  std::size_t server_address_line = 0;  // 0: not given
  std::vector<std::size_t> range_lines;
  std::vector<std::size_t> exclusion_lines;
  std::vector<std::size_t> reservation_lines;
};

struct LineError {
  std::size_t line = 0;
  std::string problem;
};

class Reader {
 public:
  explicit Reader(std::string file_name) : file_name_(std::move(file_name)) {}

  Result<ConfigFileSections> read(std::string_view text);

 private:
  Status read_line(std::size_t number, std::string_view content);
  Status open_section(std::size_t number, std::string_view header);
  Status read_key(std::size_t number, std::string_view content);
  Status server_key(std::string_view key, std::string_view value);
  Status scope_key(std::size_t number, std::string_view key, std::string_view value);
  Status finish_scope();
  std::optional<LineError> scope_item_problem(const ScopeDraft& draft) const;
  std::string section_name() const;
  Error at(std::size_t line, const std::string& problem) const {
    return make_error(file_name_ + ":" + std::to_string(line) + ": " + problem);
  }

  std::string file_name_;
  ServerConfig config_;
  std::size_t server_header_line_ = 0;  // 0: no [server] section yet
  bool in_server_ = false;
  std::optional<ScopeDraft> draft_;
  std::vector<std::size_t> scope_header_lines_;
  std::map<std::string, std::size_t, std::less<>> keys_seen_;  // in the current section
};

Result<ConfigFileSections> Reader::read(std::string_view text) {
  if (text.starts_with(kBom)) {
    text.remove_prefix(kBom.size());
  }
  ConfigFileSections sections;
  bool in_sections = false;
  std::size_t number = 0;
  while (!text.empty()) {
    ++number;
    const auto newline = text.find('\n');
    const auto line = text.substr(0, newline);
    const auto rest =
        newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    const auto content = trim(line.substr(0, line.find('#')));
    in_sections = in_sections || content.starts_with('[');
    if (in_sections) {
      if (auto status = read_line(number, content); !status) {
        return status.error();
      }
      sections.options_text += newline == std::string_view::npos ? "" : "\n";
    } else {
      sections.options_text += text.substr(0, text.size() - rest.size());
    }
    text = rest;
  }
  if (auto status = finish_scope(); !status) {
    return status.error();
  }
  if (auto clash = find_scope_clash(config_.scopes)) {
    return at(scope_header_lines_[clash->later], clash->problem);
  }
  if (auto status = validate(config_); !status) {
    return make_error(file_name_ + ": " + status.error().message);
  }
  sections.server = std::move(config_);
  return sections;
}

Status Reader::read_line(std::size_t number, std::string_view content) {
  if (content.empty()) {
    return {};
  }
  if (content.starts_with('[')) {
    return open_section(number, content);
  }
  return read_key(number, content);
}

Status Reader::open_section(std::size_t number, std::string_view header) {
  if (auto status = finish_scope(); !status) {
    return status;
  }
  in_server_ = false;
  keys_seen_.clear();
  if (!header.ends_with(']')) {
    return at(number, "section header " + std::string(header) + " has no closing ]");
  }
  const auto inner = trim(header.substr(1, header.size() - 2));
  if (inner == "server") {
    if (server_header_line_ != 0) {
      return at(number, "a second [server] section (the first is at line " +
                            std::to_string(server_header_line_) + ")");
    }
    server_header_line_ = number;
    in_server_ = true;
    return {};
  }
  if (inner == "scope") {
    return at(number, "[scope] needs a name");
  }
  if (!inner.starts_with("scope") || !is_blank(inner[5])) {
    return at(number,
              "unknown section " + std::string(header) + " (expected [server] or [scope NAME])");
  }
  const auto name = trim(inner.substr(5));
  if (name.find(']') != std::string_view::npos) {
    return at(number, "scope name '" + std::string(name) + "' contains ]");
  }
  for (std::size_t i = 0; i < config_.scopes.size(); ++i) {
    if (config_.scopes[i].name == name) {
      return at(number, "[scope " + std::string(name) + "] is given twice (first at line " +
                            std::to_string(scope_header_lines_[i]) + ")");
    }
  }
  draft_.emplace();
  draft_->scope.name = std::string(name);
  draft_->header_line = number;
  return {};
}

Status Reader::read_key(std::size_t number, std::string_view content) {
  const auto equals = content.find('=');
  const auto key = trim(content.substr(0, equals));
  if (equals == std::string_view::npos || key.empty()) {
    return at(number, "expected KEY = VALUE, got '" + std::string(content) + "'");
  }
  const auto value = trim(content.substr(equals + 1));
  if (value.empty()) {
    return at(number, std::string(key) + ": no value");
  }
  static constexpr std::string_view kRepeatable[] = {"answers-ping", "range", "exclude", "reserve"};
  const bool repeatable =
      std::find(std::begin(kRepeatable), std::end(kRepeatable), key) != std::end(kRepeatable);
  if (const auto seen = keys_seen_.find(key); seen != keys_seen_.end() && !repeatable) {
    return at(number, std::string(key) + " given twice in " + section_name() + " (first at line " +
                          std::to_string(seen->second) + ")");
  }
  auto status = in_server_ ? server_key(key, value) : scope_key(number, key, value);
  if (!status) {
    return at(number, status.error().message);
  }
  keys_seen_.emplace(key, number);
  return {};
}

std::string Reader::section_name() const {
  return in_server_ ? "[server]" : "[scope " + draft_->scope.name + "]";
}

// Errors of the KEY: VALUE kind; an unknown key is the caller's to phrase.
template <class T>
Status keyed(std::string_view key, const Result<T>& result) {
  if (!result) {
    return make_error(std::string(key) + ": " + result.error().message);
  }
  return {};
}

Status Reader::server_key(std::string_view key, std::string_view value) {
  if (key == "authorized") {
    auto yes = parse_yes_no(value);
    if (yes) {
      config_.authorized = *yes;
    }
    return keyed(key, yes);
  }
  if (key == "answers-ping") {
    auto addresses = parse_address_list(value);
    if (addresses) {
      config_.answering_ping.insert(config_.answering_ping.end(), addresses->begin(),
                                    addresses->end());
    }
    return keyed(key, addresses);
  }
  if (key == "offer-hold-time") {
    auto seconds = parse_seconds(value, 1, 86400);
    if (seconds) {
      config_.offer_hold_time = *seconds;
    }
    return keyed(key, seconds);
  }
  return make_error("unknown key '" + std::string(key) + "' in [server]");
}

Status Reader::scope_key(std::size_t number, std::string_view key, std::string_view value) {
  auto& draft = *draft_;
  auto& scope = draft.scope;
  const auto set = [&](auto result, auto& field) {
    if (result) {
      field = std::move(*result);
    }
    return keyed(key, result);
  };
  if (key == "subnet") {
    return set(parse_subnet(value), scope.subnet);
  }
  if (key == "server-address") {
    draft.server_address_line = number;
    return set(parse_address(value), scope.server_address);
  }
  if (key == "range" || key == "exclude") {
    auto range = parse_range(value);
    if (range) {
      (key == "range" ? scope.ranges : scope.exclusions).push_back(*range);
      (key == "range" ? draft.range_lines : draft.exclusion_lines).push_back(number);
    }
    return keyed(key, range);
  }
  if (key == "reserve") {
    auto reservation = parse_reservation(value);
    if (reservation) {
      scope.reservations.push_back(*reservation);
      draft.reservation_lines.push_back(number);
    }
    return keyed(key, reservation);
  }
  if (key == "lease-time") {
    return set(parse_lease_time(value), scope.lease_time);
  }
  if (key == "bootp-lease-time") {
    return set(parse_lease_time(value), scope.bootp_lease_time);
  }
  if (key == "router") {
    return set(parse_address_list(value), scope.routers);
  }
  if (key == "dns") {
    return set(parse_address_list(value), scope.dns_servers);
  }
  if (key == "domain") {
    if (value.size() > 255) {
      return make_error("domain: the name is " + std::to_string(value.size()) +
                        " bytes long (at most 255)");
    }
    scope.domain_name = std::string(value);
    return {};
  }
  if (key == "bootp") {
    return set(parse_yes_no(value), scope.serves_bootp);
  }
  return make_error("unknown key '" + std::string(key) + "' in " + section_name());
}

std::optional<LineError> Reader::scope_item_problem(const ScopeDraft& draft) const {
  const auto& scope = draft.scope;
  if (draft.server_address_line != 0) {
    if (auto problem = check_server_address(scope)) {
      return LineError{draft.server_address_line, "server-address: " + *problem};
    }
  }
  for (std::size_t i = 0; i < scope.ranges.size(); ++i) {
    if (auto problem = check_range(scope, scope.ranges[i])) {
      return LineError{draft.range_lines[i], "range: " + *problem};
    }
  }
  for (std::size_t i = 0; i < scope.exclusions.size(); ++i) {
    if (auto problem = check_range(scope, scope.exclusions[i])) {
      return LineError{draft.exclusion_lines[i], "exclude: " + *problem};
    }
  }
  const auto& reservations = scope.reservations;
  for (std::size_t i = 0; i < reservations.size(); ++i) {
    auto problem = check_reservation(scope, reservations[i]);
    for (std::size_t j = 0; j < i && !problem; ++j) {
      problem = check_reservation_pair(scope, reservations[j], reservations[i]);
    }
    if (problem) {
      return LineError{draft.reservation_lines[i], "reserve: " + *problem};
    }
  }
  return std::nullopt;
}

Status Reader::finish_scope() {
  if (!draft_) {
    return {};
  }
  auto draft = std::move(*draft_);
  draft_.reset();
  auto& scope = draft.scope;
  if (!keys_seen_.contains("subnet")) {
    return at(draft.header_line, "[scope " + scope.name + "] has no subnet");
  }
  if (draft.server_address_line == 0) {
    scope.server_address = scope.subnet.first_host();
  }
  if (scope.ranges.empty()) {
    scope.ranges.push_back({scope.subnet.first_host(), scope.subnet.last_host()});
  }
  if (auto problem = scope_item_problem(draft)) {
    return at(problem->line, problem->problem);
  }
  config_.scopes.push_back(std::move(scope));
  scope_header_lines_.push_back(draft.header_line);
  return {};
}

}  // namespace

Result<ConfigFileSections> read_config_sections(std::string_view text,
                                                const std::string& file_name) {
  return Reader(file_name).read(text);
}

}  // namespace calloutemu::scopes
