#include "fixture_test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "calloutemu/loader/hook_table.h"
#include "fixtures.h"
#include "json_lines.h"

namespace calloutemu::test {

void LoadedCalloutTest::TearDown() {
  if (load_.callout) {
    load_.callout->stop_and_unload(trap_);
  }
}

std::vector<nlohmann::json> LoadedCalloutTest::records() const {
  return read_json_lines(record_);
}

std::vector<std::string> set_hooks(const DHCP_CALLOUT_TABLE& table) {
  std::vector<std::string> names;
  for (const auto& slot : loader::describe_hooks(table)) {
    if (slot.address != 0) {
      names.emplace_back(slot.name);
    }
  }
  return names;
}

std::string copy_callout(const TempDir& dir, const std::string& name,
                         const std::string& file_name) {
  const auto copy = dir / file_name;
  std::filesystem::copy_file(callout_path(name), copy,
                             std::filesystem::copy_options::overwrite_existing);
  return copy.string();
}

std::vector<BYTE> bootp_request(const MacAddress& mac, BYTE hlen, std::size_t size) {
  constexpr std::size_t kChaddrOffset = 28;
  std::vector<BYTE> packet(size, 0);
  if (size > 2) {
    packet[0] = 1;  // BOOTREQUEST
    packet[1] = 1;  // Ethernet
    packet[2] = hlen;
  }
  for (std::size_t i = 0; i < mac.size() && kChaddrOffset + i < size; ++i) {
    packet[kChaddrOffset + i] = mac[i];
  }
  return packet;
}

std::string fnv1a64_hex(const void* data, std::size_t length) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (std::size_t i = 0; i < length; ++i) {
    hash ^= bytes[i];
    hash *= 0x100000001b3ULL;
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

std::string hex_pointer(const void* pointer) {
  char text[2 + 2 * sizeof(void*) + 1];
  std::snprintf(text, sizeof text, "0x%llx",
                static_cast<unsigned long long>(reinterpret_cast<std::uintptr_t>(pointer)));
  return text;
}

std::vector<nlohmann::ordered_json> read_ordered_json_lines(const std::filesystem::path& path) {
  std::vector<nlohmann::ordered_json> records;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) {
      continue;
    }
    auto parsed = nlohmann::ordered_json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) {
      ADD_FAILURE() << path << ": not JSON: " << line;
      continue;
    }
    records.push_back(std::move(parsed));
  }
  return records;
}

std::vector<nlohmann::json> records_of(const std::vector<nlohmann::json>& records,
                                       std::string_view dll) {
  std::vector<nlohmann::json> selected;
  std::copy_if(records.begin(), records.end(), std::back_inserter(selected),
               [&](const nlohmann::json& record) { return record.value("dll", "") == dll; });
  return selected;
}

}  // namespace calloutemu::test
