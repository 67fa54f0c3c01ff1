#include "record_fields.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <string_view>
#include <vector>

#include "calloutemu/loader/hook_table.h"
#include "calloutemu/scopes/ipv4.h"

namespace calloutemu::trace::detail {
namespace {

using nlohmann::json;

// Reads typed fields of one object, keeping the first problem met; every
// accessor returns nullopt once something is wrong.
class FieldReader {
 public:
  explicit FieldReader(const json& object) : object_(object) {}

  bool failed() const { return !problem_.empty(); }
  const std::string& problem() const { return problem_; }
  void fail(std::string_view key, std::string_view what) {
    if (problem_.empty()) {
      problem_ = fmt::format("field \"{}\" {}", key, what);
    }
  }
  void nested_failure(std::string_view key, const FieldReader& inner) {
    if (problem_.empty()) {
      problem_ = fmt::format("field \"{}\": {}", key, inner.problem());
    }
  }
  bool has(std::string_view key) const { return object_.contains(key); }

  std::optional<std::uint64_t> number(
      std::string_view key, bool required,
      std::uint64_t max = std::numeric_limits<std::uint64_t>::max()) {
    const json* value = find(key, required);
    if (value == nullptr) {
      return std::nullopt;
    }
    if (!value->is_number_unsigned() || value->get<std::uint64_t>() > max) {
      fail(key, max == std::numeric_limits<std::uint64_t>::max()
                    ? "is not an unsigned integer"
                    : fmt::format("is not an integer from 0 to {}", max));
      return std::nullopt;
    }
    return value->get<std::uint64_t>();
  }
  std::optional<DWORD> dword(std::string_view key, bool required = false) {
    const auto value = number(key, required, std::numeric_limits<DWORD>::max());
    return value ? std::optional<DWORD>(static_cast<DWORD>(*value)) : std::nullopt;
  }
  std::optional<std::string> string(std::string_view key, bool required) {
    const json* value = find(key, required);
    if (value == nullptr) {
      return std::nullopt;
    }
    if (!value->is_string()) {
      fail(key, "is not a string");
      return std::nullopt;
    }
    return value->get<std::string>();
  }
  std::optional<bool> boolean(std::string_view key) {
    const json* value = find(key, false);
    if (value != nullptr && !value->is_boolean()) {
      fail(key, "is not true or false");
      return std::nullopt;
    }
    return value == nullptr ? std::nullopt : std::optional<bool>(value->get<bool>());
  }
  std::optional<std::vector<std::string>> strings(std::string_view key, bool required) {
    const json* value = find(key, required);
    if (value == nullptr) {
      return std::nullopt;
    }
    std::vector<std::string> result;
    if (value->is_array()) {
      for (const json& item : *value) {
        if (!item.is_string()) {
          break;
        }
        result.push_back(item.get<std::string>());
      }
    }
    if (!value->is_array() || result.size() != value->size()) {
      fail(key, "is not an array of strings");
      return std::nullopt;
    }
    return result;
  }
  std::optional<DWORD> address(std::string_view key) {
    const auto text = string(key, false);
    if (!text) {
      return std::nullopt;
    }
    const auto value = scopes::parse_ipv4(*text);
    if (!value) {
      fail(key, "is not a dotted IPv4 address");
    }
    return value;
  }
  // {"name":"DUPLICATE","number":1}; the name must be the number's.
  std::optional<DWORD> code(std::string_view key, std::string_view (*name_of)(DWORD)) {
    const json* value = find(key, false);
    if (value == nullptr) {
      return std::nullopt;
    }
    if (!value->is_object()) {
      fail(key, "is not an object {\"name\", \"number\"}");
      return std::nullopt;
    }
    FieldReader inner(*value);
    const auto name = inner.string("name", true);
    const auto number = inner.dword("number", true);
    if (inner.failed()) {
      nested_failure(key, inner);
      return std::nullopt;
    }
    if (*name != name_of(*number)) {
      fail(key, fmt::format("names {} \"{}\", which is \"{}\"", *number, *name, name_of(*number)));
      return std::nullopt;
    }
    return number;
  }
  std::optional<PacketDigest> packet(std::string_view key) {
    const json* value = find(key, false);
    if (value == nullptr) {
      return std::nullopt;
    }
    if (!value->is_object()) {
      fail(key, "is not an object {\"length\", \"hash\"}");
      return std::nullopt;
    }
    FieldReader inner(*value);
    const auto length = inner.number("length", true);
    const auto hash = inner.string("hash", true);
    std::uint64_t hash_value = 0;
    if (hash && !parse_hex64(*hash, hash_value)) {
      inner.fail("hash", "is not 16 lowercase hex digits");
    }
    if (inner.failed()) {
      nested_failure(key, inner);
      return std::nullopt;
    }
    return PacketDigest{*length, hash_value};
  }
  // "R3" is 3, null is 0 (a NULL pointer).
  std::optional<std::uint64_t> id(std::string_view key, char prefix) {
    const json* value = find(key, false);
    if (value == nullptr) {
      return std::nullopt;
    }
    if (value->is_null()) {
      return 0;
    }
    const std::string* text = value->get_ptr<const std::string*>();
    std::uint64_t id = 0;
    if (text == nullptr || text->size() < 2 || (*text)[0] != prefix ||
        !parse_decimal(std::string_view(*text).substr(1), id) || id == 0) {
      fail(key, fmt::format("is not null or \"{}N\" (N from 1)", prefix));
      return std::nullopt;
    }
    return id;
  }
  std::optional<std::vector<std::uint8_t>> hw_address(std::string_view key) {
    const auto text = string(key, false);
    if (!text) {
      return std::nullopt;
    }
    std::vector<std::uint8_t> bytes;
    for (std::size_t at = 0; at < text->size(); at += 3) {
      std::uint64_t byte = 0;
      const bool separated = at + 2 == text->size() || (*text)[at + 2] == ':';
      if (at + 2 > text->size() || !separated || !parse_hex(text->substr(at, 2), byte)) {
        fail(key, "is not hex bytes separated by ':'");
        return std::nullopt;
      }
      bytes.push_back(static_cast<std::uint8_t>(byte));
    }
    return bytes;
  }
  std::optional<std::chrono::nanoseconds> microseconds(std::string_view key) {
    const json* value = find(key, false);
    if (value == nullptr) {
      return std::nullopt;
    }
    const double microseconds = value->is_number() ? value->get<double>() : -1.0;
    // Past 2^53 nanoseconds (104 days) a double no longer counts them exactly.
    if (!(microseconds >= 0.0 && microseconds < 9.0e12)) {
      fail(key, "is not a duration in microseconds from 0");
      return std::nullopt;
    }
    return std::chrono::nanoseconds(std::llround(microseconds * 1000.0));
  }

 private:
  const json* find(std::string_view key, bool required) {
    if (failed()) {
      return nullptr;
    }
    const auto found = object_.find(key);
    if (found == object_.end()) {
      if (required) {
        problem_ = fmt::format("missing field \"{}\"", key);
      }
      return nullptr;
    }
    return &*found;
  }
  static bool parse_decimal(std::string_view text, std::uint64_t& value) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc{} && end == text.data() + text.size() && text.front() != '0';
  }
  static bool parse_hex(std::string_view text, std::uint64_t& value) {
    for (const char c : text) {
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
    return !text.empty() && error == std::errc{} && end == text.data() + text.size();
  }
  static bool parse_hex64(std::string_view text, std::uint64_t& value) {
    return text.size() == 16 && parse_hex(text, value);
  }

  const json& object_;
  std::string problem_;
};

void read_header(FieldReader& fields, TraceHeader& header) {
  auto schema = fields.string("schema", true);
  const auto version = fields.number("version", true);
  auto calloutemu = fields.string("calloutemu", false);
  auto profile = fields.string("profile", false);
  auto captures = fields.strings("captures", false);
  auto decisions = fields.string("decisions", false);
  if (fields.failed()) {
    return;
  }
  if (*schema != kSchemaName) {
    fields.fail("schema", fmt::format("is \"{}\": not a {} file", *schema, kSchemaName));
    return;
  }
  if (*version != kSchemaVersion) {
    fields.fail("version", fmt::format("is {}: unsupported schema version (this calloutemu reads "
                                       "version {})",
                                       *version, kSchemaVersion));
    return;
  }
  header.schema = std::move(*schema);
  header.version = *version;
  header.calloutemu_version = std::move(calloutemu).value_or("");
  header.profile = std::move(profile).value_or("");
  header.captures = std::move(captures).value_or(std::vector<std::string>{});
  header.decisions = std::move(decisions).value_or("");
}

void read_load(FieldReader& fields, LoadEvent& load) {
  auto dll = fields.string("dll", true);
  auto outcome = fields.string("outcome", true);
  auto reason = fields.string("reason", false);
  auto chain = fields.strings("chain_dlls", false);
  const auto entry_result = fields.dword("entry_result");
  if (fields.failed()) {
    return;
  }
  load.dll = std::move(*dll);
  load.outcome = std::move(*outcome);
  load.reason = std::move(reason).value_or("");
  load.chain_dlls = std::move(chain).value_or(std::vector<std::string>{});
  load.entry_result = entry_result;
}

void read_hook(FieldReader& fields, HookCallRecord& hook) {
  const auto sequence = fields.number("seq", true);
  const auto request = fields.number("request", true);
  const auto frame = fields.number("frame", false);
  const auto file = fields.number("file", false);
  const auto name = fields.string("hook", true);
  if (fields.failed()) {
    return;
  }
  const auto called = hook_from_name(*name);
  if (!called) {
    fields.fail("hook", fmt::format("names no hook: \"{}\"", *name));
    return;
  }
  if (frame.has_value() != file.has_value()) {
    fields.fail(frame ? "file" : "frame", "is missing: \"frame\" and \"file\" go together");
    return;
  }
  hook.sequence = *sequence;
  hook.request = *request;
  hook.origin.reset();
  if (frame) {
    hook.origin = FramePosition{*frame, *file};
  }
  hook.hook = *called;
  if (fields.has("code") && !has_code(*called)) {
    fields.fail("code", fmt::format("is given, but {} has no code", *name));
    return;
  }
  switch (*called) {
    case loader::Hook::control:
      hook.code = fields.code("code", loader::control_code_name);
      break;
    case loader::Hook::pkt_drop:
      hook.code = fields.code("code", loader::drop_code_name);
      break;
    default:
      hook.code = fields.code("code", loader::address_code_name);
      break;
  }
  hook.ip_address = fields.address("ip_address");
  hook.alt_address = fields.address("alt_address");
  hook.address_type = fields.code("address_type", client_type_name);
  hook.lease_time = fields.dword("lease_time");
  hook.packet = fields.packet("packet");
  hook.packet_after = fields.packet("packet_after");
  hook.replaced = fields.boolean("replaced");
  hook.process_it = fields.boolean("process_it");
  hook.hw_address = fields.hw_address("hw_address");
  hook.client_type = fields.code("client_type", client_type_name);
  hook.reserved = fields.id("reserved", 'R');
  hook.context = fields.id("context", 'C');
  hook.returned = fields.dword("returned", true).value_or(0);
  hook.fault = fields.string("fault", false);
  // Traces written before issue 6 have neither.
  hook.fault_location = fields.string("location", false);
  hook.fault_backtrace = fields.strings("backtrace", false).value_or(std::vector<std::string>{});
  hook.duration = fields.microseconds("duration_us").value_or(std::chrono::nanoseconds{});
}

void read_finding(FieldReader& fields, Finding& finding) {
  const auto request = fields.number("request", true);
  auto text = fields.string("text", true);
  if (!fields.failed()) {
    finding.request = *request;
    finding.text = std::move(*text);
  }
}

}  // namespace

std::string record_from_json(const json& object, TraceRecord& record) {
  if (!object.is_object()) {
    return "not a JSON object";
  }
  FieldReader fields(object);
  const auto type = fields.string("record", true);
  if (!type) {
    return fields.problem();
  }
  if (*type == "header") {
    record.type = RecordType::header;
    read_header(fields, record.header);
  } else if (*type == "load") {
    record.type = RecordType::load;
    read_load(fields, record.load);
  } else if (*type == "hook") {
    record.type = RecordType::hook;
    read_hook(fields, record.hook);
  } else if (*type == "finding") {
    record.type = RecordType::finding;
    read_finding(fields, record.finding);
  } else {
    return fmt::format("unknown record type \"{}\"", *type);
  }
  return fields.problem();
}

}  // namespace calloutemu::trace::detail
