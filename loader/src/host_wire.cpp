#include "host_wire.h"

#include <cstring>
#include <limits>

namespace calloutemu::loader::host {
namespace {

constexpr std::size_t kMaxStrings = 4096;
constexpr std::uint8_t kOutcomeCount = static_cast<std::uint8_t>(AttemptOutcome::bad_name) + 1;

void write_optional_u32(WireWriter& out, const std::optional<std::uint32_t>& value) {
  out.u8(value ? 1 : 0);
  out.u32(value.value_or(0));
}

std::optional<std::uint32_t> read_optional_u32(WireReader& in) {
  const bool present = in.flag();
  const std::uint32_t value = in.u32();
  return present ? std::optional(value) : std::nullopt;
}

}  // namespace

std::chrono::nanoseconds read_duration(WireReader& in) {
  const std::uint64_t nanoseconds = in.u64();
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  return std::chrono::nanoseconds(
      static_cast<std::int64_t>(nanoseconds < kMax ? nanoseconds : kMax));
}

void WireWriter::put(const void* data, std::size_t length) {
  std::uint8_t* target = reserve(length);
  if (target != nullptr && length != 0) {
    std::memcpy(target, data, length);
  }
}

std::uint8_t* WireWriter::reserve(std::size_t length) {
  if (!ok_ || length > capacity_ - used_) {
    ok_ = false;
    return nullptr;
  }
  std::uint8_t* target = data_ + used_;
  used_ += length;
  return target;
}

void WireWriter::u32(std::uint32_t value) {
  put(&value, sizeof value);
}

void WireWriter::u64(std::uint64_t value) {
  put(&value, sizeof value);
}

void WireWriter::bytes(const void* data, std::size_t length) {
  put(data, length);
}

void WireWriter::string(std::string_view text) {
  byte_string({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
}

void WireWriter::byte_string(std::span<const std::uint8_t> data) {
  if (data.size() > std::numeric_limits<std::uint32_t>::max()) {
    ok_ = false;
    return;
  }
  u32(static_cast<std::uint32_t>(data.size()));
  put(data.data(), data.size());
}

const std::uint8_t* WireReader::take(std::size_t length) {
  if (!ok_ || length > size_ - at_) {
    ok_ = false;
    return nullptr;
  }
  const std::uint8_t* source = data_ + at_;
  at_ += length;
  return source;
}

std::uint8_t WireReader::u8() {
  const std::uint8_t* source = take(1);
  return source != nullptr ? *source : 0;
}

std::uint32_t WireReader::u32() {
  std::uint32_t value = 0;
  if (const std::uint8_t* source = take(sizeof value)) {
    std::memcpy(&value, source, sizeof value);
  }
  return value;
}

std::uint64_t WireReader::u64() {
  std::uint64_t value = 0;
  if (const std::uint8_t* source = take(sizeof value)) {
    std::memcpy(&value, source, sizeof value);
  }
  return value;
}

std::span<const std::uint8_t> WireReader::bytes(std::size_t length) {
  const std::uint8_t* source = take(length);
  return source != nullptr ? std::span(source, length) : std::span<const std::uint8_t>();
}

std::span<const std::uint8_t> WireReader::byte_string(std::size_t max_length) {
  const std::uint32_t length = u32();
  if (length > max_length) {
    ok_ = false;
    return {};
  }
  return bytes(length);
}

std::string WireReader::string(std::size_t max_length) {
  const auto data = byte_string(max_length);
  return std::string(reinterpret_cast<const char*>(data.data()), data.size());
}

std::uint32_t WireReader::count(std::size_t min_item_size) {
  const std::uint32_t value = u32();
  if (min_item_size != 0 && value > remaining() / min_item_size) {
    ok_ = false;
    return 0;
  }
  return ok_ ? value : 0;
}

void write_fault(WireWriter& out, const Fault& fault) {
  out.string(fault.description);
  out.u32(fault.code);
  out.u64(fault.address);
  out.string(fault.location);
  if (fault.backtrace.size() > kMaxBacktraceFrames) {
    write_strings(out,
                  std::vector<std::string>(
                      fault.backtrace.begin(),
                      fault.backtrace.begin() + static_cast<std::ptrdiff_t>(kMaxBacktraceFrames)));
  } else {
    write_strings(out, fault.backtrace);
  }
  out.u8(fault.timed_out ? 1 : 0);
}

Fault read_fault(WireReader& in) {
  Fault fault;
  fault.description = in.string();
  fault.code = in.u32();
  fault.address = static_cast<std::uintptr_t>(in.u64());
  fault.location = in.string();
  fault.backtrace = read_strings(in);
  if (fault.backtrace.size() > kMaxBacktraceFrames) {
    in.fail();
    fault.backtrace.clear();
  }
  fault.timed_out = in.flag();
  return fault;
}

void write_control_call(WireWriter& out, const ControlCall& call) {
  out.u32(call.code);
  out.u8(call.called ? 1 : 0);
  out.u32(call.returned);
  out.u64(static_cast<std::uint64_t>(call.duration.count()));
  out.u8(call.fault ? 1 : 0);
  if (call.fault) {
    write_fault(out, *call.fault);
  }
}

ControlCall read_control_call(WireReader& in) {
  ControlCall call;
  call.code = in.u32();
  call.called = in.flag();
  call.returned = in.u32();
  call.duration = read_duration(in);
  if (in.flag()) {
    call.fault = read_fault(in);
  }
  return call;
}

void write_attempt(WireWriter& out, const LoadAttempt& attempt) {
  out.string(attempt.name);
  out.u8(static_cast<std::uint8_t>(attempt.outcome));
  out.string(attempt.reason);
  write_strings(out, attempt.chain_dlls);
  write_optional_u32(out, attempt.entry_result);
}

LoadAttempt read_attempt(WireReader& in) {
  LoadAttempt attempt;
  attempt.name = in.string();
  const std::uint8_t outcome = in.u8();
  if (outcome >= kOutcomeCount) {
    in.fail();
  }
  attempt.outcome = static_cast<AttemptOutcome>(in.ok() ? outcome : 0);
  attempt.reason = in.string();
  attempt.chain_dlls = read_strings(in);
  attempt.entry_result = read_optional_u32(in);
  return attempt;
}

void write_strings(WireWriter& out, const std::vector<std::string>& strings) {
  if (strings.size() > kMaxStrings) {
    out.fail();
    return;
  }
  out.u32(static_cast<std::uint32_t>(strings.size()));
  for (const auto& text : strings) {
    out.string(text);
  }
}

std::vector<std::string> read_strings(WireReader& in) {
  const std::uint32_t count = in.count(sizeof(std::uint32_t));
  std::vector<std::string> strings;
  if (count > kMaxStrings) {
    in.fail();
    return strings;
  }
  strings.reserve(count);
  for (std::uint32_t i = 0; i < count && in.ok(); ++i) {
    strings.push_back(in.string());
  }
  return strings;
}

void write_config(WireWriter& out, const CalloutConfig& config) {
  out.string(config.source);
  write_strings(out, config.dlls);
  write_optional_u32(out, config.callout_enabled);
}

CalloutConfig read_config(WireReader& in) {
  CalloutConfig config;
  config.source = in.string();
  config.dlls = read_strings(in);
  config.callout_enabled = read_optional_u32(in);
  return config;
}

}  // namespace calloutemu::loader::host
