// Helpers for the fixture callout tests: the fixture, copies, packets, hooks, records.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "calloutemu/dhcpssdk.h"
#include "calloutemu/loader/chain_loader.h"
#include "scoped_env.h"
#include "temp_dir.h"

namespace calloutemu::test {

// The members every fixture callout test repeats: a directory, the recorder's
// record file in it (CALLOUT_RECORD), a FaultTrap and the chain it loads; the
// loaded callout gets STOP and is unloaded after the test.
class LoadedCalloutTest : public ::testing::Test {
 protected:
  void TearDown() override;

  // The records written so far to record_.
  std::vector<nlohmann::json> records() const;

  TempDir dir_;
  std::filesystem::path record_ = dir_ / "record.jsonl";
  ScopedEnv record_env_{"CALLOUT_RECORD", record_.string()};
  loader::FaultTrap trap_;
  loader::ChainLoad load_;
};

// The names of the members of `table` that are set (not NULL), in declaration order.
std::vector<std::string> set_hooks(const DHCP_CALLOUT_TABLE& table);

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
