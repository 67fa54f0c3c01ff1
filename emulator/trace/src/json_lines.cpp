#include "json_lines.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

#include "text_escaping.h"

namespace calloutemu::trace::detail {
namespace {

class JsonObject {
 public:
  explicit JsonObject(std::string& out) : out_(out) { out_.push_back('{'); }
  void close() { out_.push_back('}'); }

  void string(std::string_view key, std::string_view value) {
    this->key(key);
    quoted(value);
  }
  void number(std::string_view key, std::uint64_t value) {
    this->key(key);
    decimal(value);
  }
  void boolean(std::string_view key, bool value) {
    this->key(key);
    raw(value ? "true" : "false");
  }
  void null(std::string_view key) {
    this->key(key);
    raw("null");
  }
  void strings(std::string_view key, const std::vector<std::string>& values) {
    this->key(key);
    out_.push_back('[');
    for (std::size_t index = 0; index < values.size(); ++index) {
      if (index > 0) {
        out_.push_back(',');
      }
      quoted(values[index]);
    }
    out_.push_back(']');
  }
  // {"name":"DUPLICATE","number":1}
  void code(std::string_view key, std::string_view name, DWORD number) {
    this->key(key);
    JsonObject inner(out_);
    inner.string("name", name);
    inner.number("number", number);
    inner.close();
  }
  void packet(std::string_view key, const PacketDigest& packet) {
    this->key(key);
    raw(R"({"length":)");
    decimal(packet.length);
    static constexpr char kHex[] = "0123456789abcdef";
    char hash[] = R"(,"hash":"0000000000000000")";  // digits at 9..24
    for (int digit = 0; digit < 16; ++digit) {
      hash[24 - digit] = kHex[(packet.hash >> (4 * digit)) & 0xF];
    }
    out_.append(hash, sizeof hash - 1);
    out_.push_back('}');
  }
  void address(std::string_view key, DWORD value) {
    this->key(key);
    out_.push_back('"');
    for (int shift = 24; shift >= 0; shift -= 8) {
      decimal((value >> shift) & 0xFF);
      out_.push_back(shift > 0 ? '.' : '"');
    }
  }
  void id(std::string_view key, char prefix, std::uint64_t id) {
    if (id == 0) {
      null(key);
      return;
    }
    this->key(key);
    out_.push_back('"');
    out_.push_back(prefix);
    decimal(id);
    out_.push_back('"');
  }
  void hw_address(std::string_view key, const std::vector<std::uint8_t>& bytes) {
    this->key(key);
    out_.push_back('"');
    for (std::size_t index = 0; index < bytes.size(); ++index) {
      fmt::format_to(std::back_inserter(out_), "{}{:02x}", index > 0 ? ":" : "", bytes[index]);
    }
    out_.push_back('"');
  }
  void microseconds(std::string_view key, std::chrono::nanoseconds duration) {
    this->key(key);
    const auto nanoseconds =
        static_cast<std::uint64_t>(std::max<std::int64_t>(duration.count(), 0));
    decimal(nanoseconds / 1000);
    const auto fraction = static_cast<unsigned>(nanoseconds % 1000);
    const char digits[] = {'.', static_cast<char>('0' + fraction / 100),
                           static_cast<char>('0' + fraction / 10 % 10),
                           static_cast<char>('0' + fraction % 10)};
    out_.append(digits, sizeof digits);
  }

 private:
  // Keys are our own identifiers: nothing to escape.
  void key(std::string_view name) {
    out_.append(first_ ? "\"" : ",\"");
    first_ = false;
    out_.append(name);
    out_.append("\":");
  }
  void quoted(std::string_view text) {
    out_.push_back('"');
    append_json_string(out_, text);
    out_.push_back('"');
  }
  void raw(std::string_view text) { out_.append(text); }
  void decimal(std::uint64_t value) {
    const fmt::format_int text(value);
    out_.append(text.data(), text.size());
  }

  std::string& out_;
  bool first_ = true;
};

void append_header(JsonObject& json, const TraceHeader& header) {
  json.string("schema", header.schema);
  json.number("version", header.version);
  json.string("calloutemu", header.calloutemu_version);
  json.string("profile", header.profile);
  json.strings("captures", header.captures);
  json.string("decisions", header.decisions);
}

void append_load(JsonObject& json, const LoadEvent& load) {
  json.string("dll", load.dll);
  json.string("outcome", load.outcome);
  json.string("reason", load.reason);
  json.strings("chain_dlls", load.chain_dlls);
  if (load.entry_result) {
    json.number("entry_result", *load.entry_result);
  }
}

void append_hook(JsonObject& json, const HookCallRecord& hook) {
  json.number("seq", hook.sequence);
  json.number("request", hook.request);
  if (hook.origin) {
    json.number("frame", hook.origin->frame);
    json.number("file", hook.origin->file);
  }
  json.string("hook", loader::to_string(hook.hook));
  if (hook.code) {
    json.code("code", code_name(hook.hook, *hook.code), *hook.code);
  }
  if (hook.ip_address) {
    json.address("ip_address", *hook.ip_address);
  }
  if (hook.alt_address) {
    json.address("alt_address", *hook.alt_address);
  }
  if (hook.address_type) {
    json.code("address_type", client_type_name(*hook.address_type), *hook.address_type);
  }
  if (hook.lease_time) {
    json.number("lease_time", *hook.lease_time);
  }
  if (hook.packet) {
    json.packet("packet", *hook.packet);
  }
  if (hook.packet_after) {
    json.packet("packet_after", *hook.packet_after);
  }
  if (hook.replaced) {
    json.boolean("replaced", *hook.replaced);
  }
  if (hook.process_it) {
    json.boolean("process_it", *hook.process_it);
  }
  if (hook.hw_address) {
    json.hw_address("hw_address", *hook.hw_address);
  }
  if (hook.client_type) {
    json.code("client_type", client_type_name(*hook.client_type), *hook.client_type);
  }
  if (hook.reserved) {
    json.id("reserved", 'R', *hook.reserved);
  }
  if (hook.context) {
    json.id("context", 'C', *hook.context);
  }
  json.number("returned", hook.returned);
  if (hook.fault) {
    json.string("fault", *hook.fault);
  }
  if (hook.fault_location) {
    json.string("location", *hook.fault_location);
  }
  if (!hook.fault_backtrace.empty()) {
    json.strings("backtrace", hook.fault_backtrace);
  }
  json.microseconds("duration_us", hook.duration);
}

}  // namespace

void append_json_line(std::string& out, const TraceRecord& record) {
  JsonObject json(out);
  json.string("record", to_string(record.type));
  switch (record.type) {
    case RecordType::header:
      append_header(json, record.header);
      break;
    case RecordType::load:
      append_load(json, record.load);
      break;
    case RecordType::hook:
      append_hook(json, record.hook);
      break;
    case RecordType::finding:
      json.number("request", record.finding.request);
      json.string("text", record.finding.text);
      break;
  }
  json.close();
  out.push_back('\n');
}

}  // namespace calloutemu::trace::detail
