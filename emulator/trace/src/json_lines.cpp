#include "json_lines.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "text_escaping.h"

namespace calloutemu::trace::detail {
namespace {

// Where a line is written: a cursor into `out`, which is grown ahead in
// large steps, so that each piece of a line is a bounds check and a copy
// rather than a call into std::string (a trace line has some 40 pieces, and
// --trace writes five lines a request). finish() gives `out` its final size.
class LineCursor {
 public:
  explicit LineCursor(std::string& out) : out_(out) { grow_from(out.size(), kStep); }

  // Room for `count` more bytes; advance() past what was written there.
  char* room(std::size_t count) {
    if (static_cast<std::size_t>(end_ - at_) < count) [[unlikely]] {
      grow_from(used(), count + kStep);
    }
    return at_;
  }
  void advance(char* to) { at_ = to; }

  void append(std::string_view text) {
    char* to = room(text.size());
    std::memcpy(to, text.data(), text.size());
    at_ = to + text.size();
  }
  void put(char c) {
    char* to = room(1);
    *to = c;
    at_ = to + 1;
  }
  // Text that may need escaping goes through std::string itself.
  std::string& synced() {
    out_.resize(used());
    return out_;
  }
  void resume() { grow_from(out_.size(), kStep); }
  void finish() { out_.resize(used()); }

 private:
  static constexpr std::size_t kStep = 512;
  std::size_t used() const { return static_cast<std::size_t>(at_ - out_.data()); }
  [[gnu::noinline]] void grow_from(std::size_t used, std::size_t more) {
    out_.resize(std::max(used + more, out_.size()));
    at_ = out_.data() + used;
    end_ = out_.data() + out_.size();
  }

  std::string& out_;
  char* at_ = nullptr;  // the bytes of `out_` before it are the line so far
  char* end_ = nullptr;
};

class JsonObject {
 public:
  explicit JsonObject(LineCursor& out) : out_(out) { out_.put('{'); }
  void close() { out_.put('}'); }

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
    out_.append(value ? "true" : "false");
  }
  void null(std::string_view key) {
    this->key(key);
    out_.append("null");
  }
  void strings(std::string_view key, const std::vector<std::string>& values) {
    this->key(key);
    out_.put('[');
    for (std::size_t index = 0; index < values.size(); ++index) {
      if (index > 0) {
        out_.put(',');
      }
      quoted(values[index]);
    }
    out_.put(']');
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
    out_.append(R"({"length":)");
    decimal(packet.length);
    char hash[] = R"(,"hash":"0000000000000000")";  // digits at 9..24
    for (int digit = 0; digit < 16; ++digit) {
      hash[24 - digit] = kHexDigits[(packet.hash >> (4 * digit)) & 0xF];
    }
    out_.append({hash, sizeof hash - 1});
    out_.put('}');
  }
  void address(std::string_view key, DWORD value) {
    this->key(key);
    out_.put('"');
    for (int shift = 24; shift >= 0; shift -= 8) {
      decimal((value >> shift) & 0xFF);
      out_.put(shift > 0 ? '.' : '"');
    }
  }
  void id(std::string_view key, char prefix, std::uint64_t id) {
    if (id == 0) {
      null(key);
      return;
    }
    this->key(key);
    out_.put('"');
    out_.put(prefix);
    decimal(id);
    out_.put('"');
  }
  void hw_address(std::string_view key, const std::vector<std::uint8_t>& bytes) {
    this->key(key);
    out_.put('"');
    for (std::size_t index = 0; index < bytes.size(); ++index) {
      if (index > 0) {
        out_.put(':');
      }
      out_.put(kHexDigits[bytes[index] >> 4]);
      out_.put(kHexDigits[bytes[index] & 0xF]);
    }
    out_.put('"');
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
    out_.append({digits, sizeof digits});
  }

 private:
  static constexpr char kHexDigits[] = "0123456789abcdef";

  // Keys are our own identifiers: nothing to escape.
  void key(std::string_view name) {
    char* to = out_.room(name.size() + 4);
    if (!first_) {
      *to++ = ',';
    }
    first_ = false;
    *to++ = '"';
    std::memcpy(to, name.data(), name.size());
    to += name.size();
    *to++ = '"';
    *to++ = ':';
    out_.advance(to);
  }
  void quoted(std::string_view text) {
    out_.put('"');
    if (is_plain_json_ascii(text)) {
      out_.append(text);
    } else {
      append_json_string(out_.synced(), text);
      out_.resume();
    }
    out_.put('"');
  }
  void decimal(std::uint64_t value) {
    constexpr std::size_t kMaxDigits = 20;
    char* to = out_.room(kMaxDigits);
    out_.advance(std::to_chars(to, to + kMaxDigits, value).ptr);
  }

  LineCursor& out_;
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
  LineCursor cursor(out);
  JsonObject json(cursor);
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
  cursor.put('\n');
  cursor.finish();
}

}  // namespace calloutemu::trace::detail
