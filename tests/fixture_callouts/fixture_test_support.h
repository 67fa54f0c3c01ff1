// Helpers for the fixture callout tests: environment, copies, packets, records.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "calloutemu/dhcpssdk.h"
#include "temp_dir.h"

namespace calloutemu::test {

// Sets (or, with nullopt, unsets) an environment variable for its lifetime.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::optional<std::string>& value);
  ~ScopedEnv();
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> previous_;
};

// Copies the built fixture `name` into `dir` as `file_name`; returns the copy's path.
std::string copy_callout(const TempDir& dir, const std::string& name, const std::string& file_name);

using MacAddress = std::array<BYTE, 6>;

// A BOOTREQUEST of `size` bytes with `hlen` and chaddr = `mac` (as much of it as fits).
std::vector<BYTE> bootp_request(const MacAddress& mac, BYTE hlen = 6, std::size_t size = 300);

// FNV-1a 64 as 16 lowercase hex digits, computed here independently of the fixtures.
std::string fnv1a64_hex(const void* data, std::size_t length);

// "0x" and lowercase hex without leading zeros, as the recorder writes pointers.
std::string hex_pointer(const void* pointer);

// The records as written, each with its keys in file order.
std::vector<nlohmann::ordered_json> read_ordered_json_lines(const std::filesystem::path& path);

// Only the records of one DLL (the "dll" member).
std::vector<nlohmann::json> records_of(const std::vector<nlohmann::json>& records,
                                       std::string_view dll);

}  // namespace calloutemu::test
