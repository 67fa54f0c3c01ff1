// The byte encoding of the callout host protocol (loader/host/PROTOCOL.md):
// little-endian integers, length-prefixed strings and byte strings, written
// into and read from the shared channel by the client and the host alike.
//
// The reader takes its bytes as untrusted input: every read is bounds-checked,
// a failed read returns zero and marks the reader failed, and nothing throws.
// Each value is read from the channel exactly once, so a peer that changes the
// bytes while they are read can garble values but never move a bound.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "calloutemu/loader/callout_config.h"
#include "calloutemu/loader/chain_loader.h"
#include "calloutemu/loader/fault_trap.h"

namespace calloutemu::loader::host {

class WireWriter {
 public:
  WireWriter(std::uint8_t* data, std::size_t capacity) : data_(data), capacity_(capacity) {}

  void u8(std::uint8_t value) { put(&value, 1); }
  void u32(std::uint32_t value);
  void u64(std::uint64_t value);
  void bytes(const void* data, std::size_t length);
  // u32 length, then the bytes.
  void string(std::string_view text);
  void byte_string(std::span<const std::uint8_t> data);

  // `length` bytes to fill in place; nullptr (and the writer failed) when
  // they do not fit.
  std::uint8_t* reserve(std::size_t length);

  bool ok() const { return ok_; }
  std::size_t size() const { return used_; }
  void fail() { ok_ = false; }

 private:
  void put(const void* data, std::size_t length);

  std::uint8_t* data_;
  std::size_t capacity_;
  std::size_t used_ = 0;
  bool ok_ = true;
};

class WireReader {
 public:
  WireReader() = default;
  WireReader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  std::uint8_t u8();
  std::uint32_t u32();
  std::uint64_t u64();
  bool flag() { return u8() != 0; }
  // `length` bytes in place, or an empty span (and the reader failed).
  std::span<const std::uint8_t> bytes(std::size_t length);
  // A u32 length, then that many bytes, at most `max_length`.
  std::span<const std::uint8_t> byte_string(std::size_t max_length);
  std::string string(std::size_t max_length = kMaxString);
  // A count of items each at least `min_item_size` bytes long: fails when
  // the rest of the message cannot hold them, so a count never drives a loop
  // or an allocation past the message.
  std::uint32_t count(std::size_t min_item_size);

  bool ok() const { return ok_; }
  std::size_t remaining() const { return ok_ ? size_ - at_ : 0; }
  void fail() { ok_ = false; }

  static constexpr std::size_t kMaxString = 64 * 1024;

 private:
  const std::uint8_t* take(std::size_t length);

  const std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t at_ = 0;
  bool ok_ = true;
};

// memcpy of a span that may be empty (and then have no data at all).
// A 32-bit value in the channel's own byte order (both sides run on one machine).
inline std::uint32_t load_u32(const std::uint8_t* at) {
  std::uint32_t value = 0;
  std::memcpy(&value, at, sizeof value);
  return value;
}

inline void store_u32(std::uint8_t* at, std::uint32_t value) {
  std::memcpy(at, &value, sizeof value);
}

inline void copy_bytes(void* target, std::span<const std::uint8_t> bytes) {
  if (!bytes.empty()) {
    std::memcpy(target, bytes.data(), bytes.size());
  }
}

// The values both sides exchange whole.
std::chrono::nanoseconds read_duration(WireReader& in);  // clamped to what nanoseconds holds
void write_fault(WireWriter& out, const Fault& fault);
Fault read_fault(WireReader& in);
void write_control_call(WireWriter& out, const ControlCall& call);
ControlCall read_control_call(WireReader& in);
void write_attempt(WireWriter& out, const LoadAttempt& attempt);
LoadAttempt read_attempt(WireReader& in);
void write_strings(WireWriter& out, const std::vector<std::string>& strings);
std::vector<std::string> read_strings(WireReader& in);
void write_config(WireWriter& out, const CalloutConfig& config);
CalloutConfig read_config(WireReader& in);

}  // namespace calloutemu::loader::host
