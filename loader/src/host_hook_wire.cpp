#include "host_hook_wire.h"

#include <cstring>
#include <optional>

namespace calloutemu::loader::host {
namespace {

bool valid_where(std::uint8_t value) {
  return value < kWhereCount;
}

// The offset of `pointer` in [base, base + extent), if it lies there.
std::optional<std::uint32_t> offset_in(const void* pointer, const std::uint8_t* base,
                                       std::size_t extent) {
  if (base == nullptr) {
    return std::nullopt;
  }
  const auto address = reinterpret_cast<std::uintptr_t>(pointer);
  const auto start = reinterpret_cast<std::uintptr_t>(base);
  if (address < start || address - start >= extent) {
    return std::nullopt;
  }
  return static_cast<std::uint32_t>(address - start);
}

}  // namespace

void write_hook_head(WireWriter& out, const HookHead& head) {
  out.u8(head.hook);
  out.u8(head.flags);
  out.u32(static_cast<std::uint32_t>(head.ended.size() / sizeof(std::uint64_t)));
  out.bytes(head.ended.data(), head.ended.size());
  out.u64(head.reserved);
  out.u64(head.context);
  for (std::uint32_t argument : head.arguments) {
    out.u32(argument);
  }
}

bool read_hook_head(WireReader& in, HookHead& head) {
  head.hook = in.u8();
  head.flags = in.u8();
  const std::uint32_t ended = in.count(sizeof(std::uint64_t));
  if (ended > kMaxEndedPerRequest) {
    return false;
  }
  head.ended = in.bytes(std::size_t{ended} * sizeof(std::uint64_t));
  head.reserved = in.u64();
  head.context = in.u64();
  for (auto& argument : head.arguments) {
    argument = in.u32();
  }
  return in.ok();
}

std::uint64_t ended_at(const HookHead& head, std::size_t index) {
  std::uint64_t value = 0;
  if ((index + 1) * sizeof value <= head.ended.size()) {
    std::memcpy(&value, head.ended.data() + index * sizeof value, sizeof value);
  }
  return value;
}

void write_packet_section(WireWriter& out, const PacketSection& section) {
  out.u8(static_cast<std::uint8_t>(section.where));
  out.u32(section.size);
  if (section.where == Where::slot_receive || section.where == Where::slot_send) {
    out.byte_string(section.bytes);
  } else if (section.where == Where::callout) {
    out.u64(section.address);
  }
}

bool read_packet_section(WireReader& in, PacketSection& section) {
  const std::uint8_t where = in.u8();
  if (!valid_where(where)) {
    return false;
  }
  section.where = static_cast<Where>(where);
  section.size = in.u32();
  if (section.where == Where::slot_receive || section.where == Where::slot_send) {
    section.bytes = in.byte_string(kPacketBufferSize);
  } else if (section.where == Where::callout) {
    section.address = in.u64();
  }
  return in.ok();
}

void write_buffer_copy(WireWriter& out, const BufferCopy& copy) {
  out.u8(static_cast<std::uint8_t>(copy.state));
  if (copy.state == BufferState::bytes) {
    out.byte_string(copy.bytes);
  }
}

bool read_buffer_copy(WireReader& in, BufferCopy& copy) {
  const std::uint8_t state = in.u8();
  if (state > static_cast<std::uint8_t>(BufferState::unreadable)) {
    return false;
  }
  copy.state = static_cast<BufferState>(state);
  if (copy.state == BufferState::bytes) {
    copy.bytes = in.byte_string(kMaxCalloutBuffer);
  }
  return in.ok();
}

void write_packet_report(WireWriter& out, const PacketReport& report) {
  out.u32(report.size_after);
  out.u8(static_cast<std::uint8_t>(report.update));
  if (report.update == Update::slot_changes) {
    out.u32(report.change_offset);
    out.byte_string(report.change);
  } else if (report.update == Update::callout) {
    write_buffer_copy(out, report.passed);
  }
  out.u8(static_cast<std::uint8_t>(report.final));
  if (report.final == Final::callout) {
    out.u64(report.final_address);
    write_buffer_copy(out, report.final_copy);
  }
}

bool read_packet_report(WireReader& in, PacketReport& report) {
  report.size_after = in.u32();
  const std::uint8_t update = in.u8();
  if (update > static_cast<std::uint8_t>(Update::callout)) {
    return false;
  }
  report.update = static_cast<Update>(update);
  if (report.update == Update::slot_changes) {
    report.change_offset = in.u32();
    report.change = in.byte_string(kPacketBufferSize);
    if (report.change_offset > kPacketBufferSize ||
        report.change.size() > kPacketBufferSize - report.change_offset) {
      return false;
    }
  } else if (report.update == Update::callout && !read_buffer_copy(in, report.passed)) {
    return false;
  }
  const std::uint8_t final = in.u8();
  if (final > static_cast<std::uint8_t>(Final::callout)) {
    return false;
  }
  report.final = static_cast<Final>(final);
  if (report.final == Final::callout) {
    report.final_address = in.u64();
    if (!read_buffer_copy(in, report.final_copy)) {
      return false;
    }
  }
  return in.ok();
}

void write_options(WireWriter& out, const OptionValues& values) {
  for (std::uint32_t scalar : values.scalars) {
    out.u32(scalar);
  }
  for (const auto& member : values.members) {
    out.u8(static_cast<std::uint8_t>(member.kind));
    if (member.kind == Member::in_packet) {
      out.u32(member.offset);
    } else if (member.kind == Member::bytes) {
      out.byte_string(member.bytes);
    }
  }
}

bool read_options(WireReader& in, OptionValues& values) {
  for (auto& scalar : values.scalars) {
    scalar = in.u32();
  }
  for (auto& member : values.members) {
    const std::uint8_t kind = in.u8();
    if (kind > static_cast<std::uint8_t>(Member::unreadable)) {
      return false;
    }
    member = MemberValue{};
    member.kind = static_cast<Member>(kind);
    if (member.kind == Member::in_packet) {
      member.offset = in.u32();
    } else if (member.kind == Member::bytes) {
      member.bytes = in.byte_string(kMaxMemberLength);
    }
  }
  return in.ok();
}

OptionValues capture_options(const DHCP_SERVER_OPTIONS& options, const std::uint8_t* base,
                             std::size_t extent, const NoAccessRegion& no_access, FaultTrap& trap,
                             std::vector<std::uint8_t>& scratch) {
  OptionValues values;
  values.scalars = option_scalars(options);
  // Values are copied first, their spans set after: the scratch buffer may
  // move while it grows.
  scratch.clear();
  std::array<std::size_t, kOptionPointers> copied_at{};
  for (std::size_t i = 0; i < kOptionPointers; ++i) {
    const void* pointer = option_pointer(options, i);
    MemberValue& member = values.members[i];
    if (pointer == nullptr) {
      continue;
    }
    if (const auto offset = offset_in(pointer, base, extent)) {
      member.kind = Member::in_packet;
      member.offset = *offset;
      continue;
    }
    member.kind = Member::unreadable;
    const std::size_t length = option_value_length(options, i);
    if (length > kMaxMemberLength || no_access.contains(pointer)) {
      continue;
    }
    const std::size_t at = scratch.size();
    scratch.resize(at + length);
    std::uint8_t* target = scratch.data() + at;
    if (length != 0 && trap.run([&] { std::memcpy(target, pointer, length); })) {
      scratch.resize(at);
      continue;
    }
    member.kind = Member::bytes;
    copied_at[i] = at;
  }
  for (std::size_t i = 0; i < kOptionPointers; ++i) {
    MemberValue& member = values.members[i];
    if (member.kind == Member::bytes) {
      member.bytes = {scratch.data() + copied_at[i], option_value_length(options, i)};
    }
  }
  return values;
}

bool options_fit(const OptionValues& values, bool has_base, std::size_t extent) {
  DHCP_SERVER_OPTIONS scratch{};
  if (!set_option_scalars(scratch, values.scalars)) {
    return false;
  }
  for (const auto& member : values.members) {
    if (member.kind == Member::in_packet && (!has_base || member.offset >= extent)) {
      return false;
    }
  }
  return true;
}

void rebuild_options(DHCP_SERVER_OPTIONS& options, const OptionValues& values, std::uint8_t* base,
                     const NoAccessRegion& no_access, std::vector<std::uint8_t>& arena) {
  set_option_scalars(options, values.scalars);
  std::size_t total = 1;  // never empty: a value of no bytes still gets an address
  for (const auto& member : values.members) {
    total += member.bytes.size();
  }
  arena.resize(total);
  std::size_t at = 0;
  for (std::size_t i = 0; i < kOptionPointers; ++i) {
    const MemberValue& member = values.members[i];
    void* pointer = nullptr;
    switch (member.kind) {
      case Member::null:
        break;
      case Member::in_packet:
        pointer = base + member.offset;
        break;
      case Member::bytes:
        pointer = arena.data() + at;
        if (!member.bytes.empty()) {
          std::memcpy(arena.data() + at, member.bytes.data(), member.bytes.size());
        }
        at += member.bytes.size();
        break;
      case Member::unreadable:
        pointer = no_access.data();
        break;
    }
    set_option_pointer(options, i, pointer);
  }
}

void write_hook_result(WireWriter& out, const HookResult& result) {
  out.u8(result.called ? 1 : 0);
  out.u32(result.returned);
  out.u64(result.duration_ns);
  out.u64(result.context_after);
  out.u32(result.process_after);
}

bool read_hook_result(WireReader& in, HookResult& result) {
  result.called = in.flag();
  result.returned = in.u32();
  result.duration_ns = in.u64();
  result.context_after = in.u64();
  result.process_after = in.u32();
  return in.ok();
}

void write_findings(WireWriter& out, const std::vector<std::string>& findings) {
  out.u32(static_cast<std::uint32_t>(findings.size()));
  for (const auto& finding : findings) {
    out.string(finding);
  }
}

bool read_findings(WireReader& in, std::vector<std::string>& findings) {
  if (in.remaining() == 0) {
    return in.ok();
  }
  const std::uint32_t count = in.count(sizeof(std::uint32_t));
  for (std::uint32_t i = 0; i < count && in.ok(); ++i) {
    findings.push_back(in.string());
  }
  return in.ok();
}

}  // namespace calloutemu::loader::host
