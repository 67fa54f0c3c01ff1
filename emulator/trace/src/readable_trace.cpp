#include "calloutemu/trace/readable_trace.h"

#include <fmt/format.h>

#include <iterator>
#include <string_view>

#include "calloutemu/loader/callout_hooks.h"
#include "text_escaping.h"

namespace calloutemu::trace {
namespace {

class Line {
 public:
  explicit Line(std::string& out) : out_(out) {}

  template <class... Args>
  Line& format(fmt::format_string<Args...> text, Args&&... args) {
    fmt::format_to(std::back_inserter(out_), text, std::forward<Args>(args)...);
    return *this;
  }
  Line& text(std::string_view raw) {
    out_.append(raw);
    return *this;
  }
  Line& quoted(std::string_view untrusted) {
    detail::append_readable_string(out_, untrusted);
    return *this;
  }
  // NAME=1 for small codes, NAME=0x10000000 for the address codes.
  Line& code(std::string_view name, DWORD number) {
    return number < 0x10000 ? format("{}={}", name, number) : format("{}=0x{:08x}", name, number);
  }
  Line& address(DWORD value) {
    return format("{}.{}.{}.{}", value >> 24, (value >> 16) & 0xFF, (value >> 8) & 0xFF,
                  value & 0xFF);
  }
  Line& packet(const PacketDigest& packet) {
    return format("{} bytes #{:016x}", packet.length, packet.hash);
  }

 private:
  std::string& out_;
};

void where(Line& line, std::uint64_t request, const std::optional<FramePosition>& origin) {
  if (request == 0 && !origin) {
    line.text("session: ");
    return;
  }
  line.format("request {}", request);
  if (origin) {
    line.format(" frame {}", origin->frame);
    if (origin->file != 0) {
      line.format(" file {}", origin->file);
    }
  }
  line.text(": ");
}

void header(Line& line, const TraceHeader& header) {
  line.text("trace ").quoted(header.schema).format(" version {}", header.version);
  line.text(": calloutemu ").quoted(header.calloutemu_version);
  line.text(", profile ").quoted(header.profile);
  line.text(", decisions ").quoted(header.decisions);
  line.text(", captures [");
  for (std::size_t index = 0; index < header.captures.size(); ++index) {
    line.text(index > 0 ? ", " : "").quoted(header.captures[index]);
  }
  line.text("]");
}

void load(Line& line, const LoadEvent& load) {
  line.text("load ").quoted(load.dll).text(": ").quoted(load.outcome);
  if (!load.reason.empty()) {
    line.text(" (").quoted(load.reason).text(")");
  }
  if (load.entry_result) {
    line.format(", entry returned {}", *load.entry_result);
  }
  line.text(", ChainDlls [");
  for (std::size_t index = 0; index < load.chain_dlls.size(); ++index) {
    line.text(index > 0 ? ", " : "").quoted(load.chain_dlls[index]);
  }
  line.text("]");
}

void hook(Line& line, const HookCallRecord& hook) {
  where(line, hook.request, hook.origin);
  line.text(loader::to_string(hook.hook));
  if (hook.code) {
    line.text("(").code(code_name(hook.hook, *hook.code), *hook.code).text(")");
  }
  if (hook.ip_address) {
    line.text(" ip ").address(*hook.ip_address);
  }
  if (hook.alt_address) {
    line.text(" alt ").address(*hook.alt_address);
  }
  if (hook.address_type) {
    line.text(" type ").code(client_type_name(*hook.address_type), *hook.address_type);
  }
  if (hook.lease_time) {
    line.format(" lease {}", *hook.lease_time);
  }
  if (hook.packet) {
    line.text(" packet ").packet(*hook.packet);
  }
  if (hook.packet_after) {
    line.text(" after ").packet(*hook.packet_after);
  }
  if (hook.replaced.value_or(false)) {
    line.text(" replaced");
  }
  if (hook.process_it) {
    line.text(*hook.process_it ? " ProcessIt TRUE" : " ProcessIt FALSE");
  }
  if (hook.hw_address) {
    line.text(" hw ");
    if (hook.hw_address->empty()) {
      line.text("(none)");
    }
    for (std::size_t index = 0; index < hook.hw_address->size(); ++index) {
      line.format("{}{:02x}", index > 0 ? ":" : "", (*hook.hw_address)[index]);
    }
  }
  if (hook.client_type) {
    line.text(" client ").code(client_type_name(*hook.client_type), *hook.client_type);
  }
  if (hook.fault) {
    line.text(" -> crashed: ").quoted(*hook.fault);
    if (hook.returned != 0) {
      line.format(" (returned {})", hook.returned);
    }
  } else {
    line.format(" -> {}", hook.returned);
  }
}

}  // namespace

void readable(const TraceRecord& record, std::string& out) {
  out.clear();
  Line line(out);
  switch (record.type) {
    case RecordType::header:
      header(line, record.header);
      break;
    case RecordType::load:
      load(line, record.load);
      break;
    case RecordType::hook:
      hook(line, record.hook);
      break;
    case RecordType::finding:
      where(line, record.finding.request, std::nullopt);
      line.text("finding: ").quoted(record.finding.text);
      break;
  }
}

std::string readable(const TraceRecord& record) {
  std::string out;
  readable(record, out);
  return out;
}

}  // namespace calloutemu::trace
