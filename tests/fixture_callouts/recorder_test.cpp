// The recorder fixture: one exact JSON record per call, loaded through the loader.
#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "calloutemu/loader/chain_loader.h"
#include "fixture_test_support.h"
#include "fixtures.h"
#include "json_lines.h"

namespace calloutemu::test {
namespace {

using loader::AttemptOutcome;
using loader::load_callout_chain;
using nlohmann::json;

class RecorderTest : public LoadedCalloutTest {
 protected:
  // Loads `names` with the recorder writing to record_; the first must load.
  const DHCP_CALLOUT_TABLE& load(const std::vector<std::string>& names) {
    load_ = load_callout_chain(names, trap_);
    EXPECT_TRUE(load_.callout.has_value());
    if (!load_.callout) {
      static const DHCP_CALLOUT_TABLE kEmpty{};
      return kEmpty;
    }
    return load_.callout->table();
  }
};

TEST_F(RecorderTest, RecordsEntryStartAndStop) {
  const std::string path = callout_path("recorder").string();
  const auto& table = load({path});
  ASSERT_EQ(load_.attempts.size(), 1u);
  EXPECT_EQ(load_.attempts[0].outcome, AttemptOutcome::loaded);
  ASSERT_TRUE(load_.start.has_value());
  EXPECT_TRUE(load_.start->called);
  EXPECT_EQ(load_.start->returned, 0u);

  auto calls = records();
  ASSERT_EQ(calls.size(), 2u);
  const std::string dll = callout_file_name("recorder");
  ASSERT_TRUE(calls[0]["CalloutTbl"].is_string());
  EXPECT_EQ(calls[0]["CalloutTbl"].get<std::string>().rfind("0x", 0), 0u);
  calls[0].erase("CalloutTbl");  // the loader's stack address
  EXPECT_EQ(
      calls[0],
      json({{"dll", dll}, {"hook", "Entry"}, {"ChainDlls", json::array()}, {"CalloutVersion", 0}}));
  EXPECT_EQ(calls[1],
            json({{"dll", dll}, {"hook", "Control"}, {"ControlCode", 1}, {"Reserved", "0x0"}}));

  // Every hook is set, the two reserved slots are not.
  EXPECT_EQ(set_hooks(table), (std::vector<std::string>{
                                  "DhcpControlHook", "DhcpNewPktHook", "DhcpPktDropHook",
                                  "DhcpPktSendHook", "DhcpAddressDelHook", "DhcpAddressOfferHook",
                                  "DhcpHandleOptionsHook", "DhcpDeleteClientHook"}));

  const auto stop = load_.callout->stop_and_unload(trap_);
  load_.callout.reset();
  EXPECT_TRUE(stop.called);
  EXPECT_EQ(stop.returned, 0u);
  calls = records();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[2],
            json({{"dll", dll}, {"hook", "Control"}, {"ControlCode", 2}, {"Reserved", "0x0"}}));
}

TEST_F(RecorderTest, ReportsTheNameOfARenamedCopy) {
  const std::string copy = copy_callout(dir_, "recorder", "renamed-copy.so");
  load({copy});
  auto calls = records();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0]["dll"], "renamed-copy.so");
  EXPECT_EQ(calls[0]["hook"], "Entry");
  EXPECT_EQ(calls[1]["dll"], "renamed-copy.so");
  EXPECT_EQ(calls[1]["hook"], "Control");
}

TEST_F(RecorderTest, DecodesChainDllsAsTheNamesAfterIt) {
  // Never loaded: the recorder takes the chain, so the names only reach ChainDlls.
  load({callout_path("recorder").string(), "/no/such/second.dll", "d\xC3\xA9j\xC3\xA0-vu.dll",
        "\xF0\x9F\x93\xA6.dll"});
  auto calls = records();
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls[0]["ChainDlls"], json::array({"/no/such/second.dll", "d\xC3\xA9j\xC3\xA0-vu.dll",
                                                "\xF0\x9F\x93\xA6.dll"}));
}

TEST_F(RecorderTest, RecordsEveryPacketHookExactly) {
  const auto& table = load({callout_path("recorder").string()});
  ASSERT_NE(table.DhcpNewPktHook, nullptr);
  const std::string dll = callout_file_name("recorder");

  std::vector<BYTE> request(300);
  for (std::size_t i = 0; i < request.size(); ++i) {
    request[i] = static_cast<BYTE>(i * 7 + 3);
  }
  const std::string request_hash = fnv1a64_hex(request.data(), request.size());
  void* const reserved = reinterpret_cast<void*>(std::uintptr_t{0x1234abcd});

  BYTE* packet = request.data();
  DWORD size = static_cast<DWORD>(request.size());
  void* context = nullptr;
  BOOL process = TRUE;
  EXPECT_EQ(table.DhcpNewPktHook(&packet, &size, 0xC0000201, reserved, &context, &process), 0u);
  ASSERT_NE(context, nullptr);
  EXPECT_EQ(process, TRUE);
  const std::string tag = hex_pointer(context);

  void* second_context = nullptr;
  table.DhcpNewPktHook(&packet, &size, 0xC0000201, reserved, &second_context, &process);
  EXPECT_NE(second_context, nullptr);
  EXPECT_NE(second_context, context) << "each NewPkt gets its own tag";

  EXPECT_EQ(table.DhcpPktSendHook(&packet, &size, DHCP_SEND_PACKET, 0xC0000201, reserved, context),
            0u);

  // "foobar" has a published FNV-1a 64 value.
  BYTE foobar[] = {'f', 'o', 'o', 'b', 'a', 'r'};
  EXPECT_EQ(table.DhcpAddressDelHook(foobar, sizeof foobar, DHCP_PROB_NACKED, 0xC0000201,
                                     0xC000020A, reserved, context),
            0u);
  EXPECT_EQ(table.DhcpAddressOfferHook(packet, size, DHCP_GIVE_ADDRESS_NEW, 0xC0000201, 0xC000020A,
                                       DHCP_CLIENT_DHCP, 86400, reserved, context),
            0u);
  BYTE hardware[] = {0x01, 0x00, 0x1A, 0x2B, 0x3C, 0x4D, 0x5E};
  EXPECT_EQ(table.DhcpDeleteClientHook(0xC000020A, hardware, sizeof hardware, 0, DHCP_CLIENT_BOOTP),
            0u);
  EXPECT_EQ(
      table.DhcpPktDropHook(&packet, &size, DHCP_DROP_PROCESSED, 0xC0000201, reserved, context),
      0u);
  EXPECT_EQ(table.DhcpControlHook(DHCP_CONTROL_PAUSE, nullptr), 0u);

  auto calls = records();
  ASSERT_EQ(calls.size(), 10u);  // Entry, START and the eight above
  const json packet_value = {{"length", 300}, {"fnv1a64", request_hash}};
  EXPECT_EQ(calls[2], json({{"dll", dll},
                            {"hook", "NewPkt"},
                            {"Packet", packet_value},
                            {"PacketSize", 300},
                            {"IpAddress", 0xC0000201u},
                            {"Reserved", "0x1234abcd"},
                            {"PktContext", tag},
                            {"ProcessIt", true}}));
  EXPECT_EQ(calls[3]["PktContext"], hex_pointer(second_context));
  EXPECT_EQ(calls[4], json({{"dll", dll},
                            {"hook", "PktSend"},
                            {"Packet", packet_value},
                            {"PacketSize", 300},
                            {"ControlCode", DHCP_SEND_PACKET},
                            {"IpAddress", 0xC0000201u},
                            {"Reserved", "0x1234abcd"},
                            {"PktContext", tag}}));
  EXPECT_EQ(calls[5], json({{"dll", dll},
                            {"hook", "AddressDel"},
                            {"Packet", {{"length", 6}, {"fnv1a64", "85944171f73967e8"}}},
                            {"PacketSize", 6},
                            {"ControlCode", DHCP_PROB_NACKED},
                            {"IpAddress", 0xC0000201u},
                            {"AltAddress", 0xC000020Au},
                            {"Reserved", "0x1234abcd"},
                            {"PktContext", tag}}));
  EXPECT_EQ(calls[6], json({{"dll", dll},
                            {"hook", "AddressOffer"},
                            {"Packet", packet_value},
                            {"PacketSize", 300},
                            {"ControlCode", DHCP_GIVE_ADDRESS_NEW},
                            {"IpAddress", 0xC0000201u},
                            {"AltAddress", 0xC000020Au},
                            {"AddrType", DHCP_CLIENT_DHCP},
                            {"LeaseTime", 86400},
                            {"Reserved", "0x1234abcd"},
                            {"PktContext", tag}}));
  EXPECT_EQ(calls[7], json({{"dll", dll},
                            {"hook", "DeleteClient"},
                            {"IpAddress", 0xC000020Au},
                            {"HwAddress", "01001a2b3c4d5e"},
                            {"HwAddressLength", 7},
                            {"Reserved", 0},
                            {"ClientType", DHCP_CLIENT_BOOTP}}));
  EXPECT_EQ(calls[8], json({{"dll", dll},
                            {"hook", "PktDrop"},
                            {"Packet", packet_value},
                            {"PacketSize", 300},
                            {"ControlCode", DHCP_DROP_PROCESSED},
                            {"IpAddress", 0xC0000201u},
                            {"Reserved", "0x1234abcd"},
                            {"PktContext", tag}}));
  EXPECT_EQ(calls[9], json({{"dll", dll},
                            {"hook", "Control"},
                            {"ControlCode", DHCP_CONTROL_PAUSE},
                            {"Reserved", "0x0"}}));
}

TEST_F(RecorderTest, RecordsProcessItAndNullArgumentsAsTheyStand) {
  const auto& table = load({callout_path("recorder").string()});
  ASSERT_NE(table.DhcpNewPktHook, nullptr);
  BYTE* no_packet = nullptr;
  DWORD size = 0;
  BOOL process = FALSE;
  void* context = nullptr;
  table.DhcpNewPktHook(&no_packet, &size, 7, nullptr, &context, &process);
  table.DhcpAddressDelHook(nullptr, 0, DHCP_PROB_RELEASE, 7, 8, nullptr, nullptr);
  table.DhcpDeleteClientHook(7, nullptr, 0, 0, DHCP_CLIENT_DHCP);
  table.DhcpHandleOptionsHook(nullptr, 0, nullptr, nullptr, nullptr);

  auto calls = records();
  ASSERT_EQ(calls.size(), 6u);
  EXPECT_EQ(calls[2]["Packet"], nullptr);
  EXPECT_EQ(calls[2]["PacketSize"], 0);
  EXPECT_EQ(calls[2]["Reserved"], "0x0");
  EXPECT_EQ(calls[2]["ProcessIt"], false);
  EXPECT_EQ(calls[3]["Packet"], nullptr);
  EXPECT_EQ(calls[3]["PktContext"], "0x0");
  EXPECT_EQ(calls[4]["HwAddress"], nullptr);
  EXPECT_EQ(calls[5]["ServerOptions"], nullptr);
}

// A request whose options the test points DHCP_SERVER_OPTIONS into.
struct OptionsPacket {
  std::vector<BYTE> bytes = std::vector<BYTE>(400, 0);
  std::size_t next = 240;

  BYTE* put(std::initializer_list<BYTE> data) {
    BYTE* start = bytes.data() + next;
    for (BYTE b : data) {
      bytes[next++] = b;
    }
    return start;
  }
  BYTE* put(std::string_view text) {
    BYTE* start = bytes.data() + next;
    for (char c : text) {
      bytes[next++] = static_cast<BYTE>(c);
    }
    return start;
  }
};

TEST_F(RecorderTest, DecodesEveryServerOptionsMember) {
  const auto& table = load({callout_path("recorder").string()});
  ASSERT_NE(table.DhcpHandleOptionsHook, nullptr);

  OptionsPacket request;
  DHCP_SERVER_OPTIONS options;
  std::memset(&options, 0, sizeof options);
  options.MessageType = request.put({3});
  options.SubnetMask = reinterpret_cast<DWORD*>(request.put({255, 255, 255, 0}));
  options.RequestedAddress = reinterpret_cast<DWORD*>(request.put({192, 0, 2, 10}));
  options.RequestLeaseTime = reinterpret_cast<DWORD*>(request.put({0x00, 0x01, 0x51, 0x80}));
  options.OverlayFields = request.put({2});
  options.RouterAddress = reinterpret_cast<DWORD*>(request.put({192, 0, 2, 1}));
  options.Server = reinterpret_cast<DWORD*>(request.put({192, 0, 2, 254}));
  options.ParameterRequestList = request.put({1, 3, 6, 15, 252});
  options.ParameterRequestListLength = 5;
  options.MachineName = reinterpret_cast<char*>(request.put("host-01"));
  options.MachineNameLength = 7;
  options.ClientHardwareAddressType = 1;
  options.ClientHardwareAddressLength = 6;
  options.ClientHardwareAddress = request.put({0x00, 0x1A, 0x2B, 0x3C, 0x4D, 0x5E});
  options.ClassIdentifier = reinterpret_cast<char*>(request.put("MSFT 5.0"));
  options.ClassIdentifierLength = 8;
  options.VendorClass = request.put({0xDE, 0xAD, 0xBE, 0xEF});
  options.VendorClassLength = 4;
  options.DNSFlags = 1;
  options.DNSName = request.put({4, 'h', 'o', 's', 't', 0});
  options.DNSNameLength = 6;
  options.DSDomainNameRequested = TRUE;
  options.DSDomainName = reinterpret_cast<char*>(request.put("corp.example"));
  options.DSDomainNameLen = 12;
  options.ScopeId = nullptr;

  const DWORD size = static_cast<DWORD>(request.bytes.size());
  void* const reserved = reinterpret_cast<void*>(std::uintptr_t{0x5000});
  void* const context = reinterpret_cast<void*>(std::uintptr_t{0x5EC00042});
  EXPECT_EQ(table.DhcpHandleOptionsHook(request.bytes.data(), size, reserved, context, &options),
            0u);

  auto calls = records();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[2],
            json({{"dll", callout_file_name("recorder")},
                  {"hook", "HandleOptions"},
                  {"Packet",
                   {{"length", 400},
                    {"fnv1a64", fnv1a64_hex(request.bytes.data(), request.bytes.size())}}},
                  {"PacketSize", 400},
                  {"Reserved", "0x5000"},
                  {"PktContext", "0x5ec00042"},
                  {"ServerOptions",
                   {{"MessageType", 3},
                    {"SubnetMask", "255.255.255.0"},
                    {"RequestedAddress", "192.0.2.10"},
                    {"RequestLeaseTime", 86400},
                    {"OverlayFields", 2},
                    {"RouterAddress", "192.0.2.1"},
                    {"Server", "192.0.2.254"},
                    {"ParameterRequestList", {1, 3, 6, 15, 252}},
                    {"ParameterRequestListLength", 5},
                    {"MachineName", "host-01"},
                    {"MachineNameLength", 7},
                    {"ClientHardwareAddressType", 1},
                    {"ClientHardwareAddressLength", 6},
                    {"ClientHardwareAddress", "001a2b3c4d5e"},
                    {"ClassIdentifier", "MSFT 5.0"},
                    {"ClassIdentifierLength", 8},
                    {"VendorClass", "deadbeef"},
                    {"VendorClassLength", 4},
                    {"DNSFlags", 1},
                    {"DNSNameLength", 6},
                    {"DNSName", "04686f737400"},
                    {"DSDomainNameRequested", true},
                    {"DSDomainName", "corp.example"},
                    {"DSDomainNameLen", 12},
                    {"ScopeId", nullptr}}}}));
}

TEST_F(RecorderTest, DecodesEmptyOptionsAndFlagsPointersOutsideThePacket) {
  const auto& table = load({callout_path("recorder").string()});
  ASSERT_NE(table.DhcpHandleOptionsHook, nullptr);

  OptionsPacket request;
  DHCP_SERVER_OPTIONS options;
  std::memset(&options, 0, sizeof options);
  options.DNSFlags = 0xFFFF;
  // Bytes that need escaping, and one that is not UTF-8 (0xFF).
  options.MachineName = reinterpret_cast<char*>(request.put("a\"b\\c\x01\xff"));
  options.MachineNameLength = 7;
  // Runs one byte past the end of the packet.
  options.ClassIdentifier = reinterpret_cast<char*>(request.bytes.data() + 396);
  options.ClassIdentifierLength = 5;
  BYTE elsewhere[4] = {10, 0, 0, 1};
  options.Server = reinterpret_cast<DWORD*>(elsewhere);
  DWORD scope = 0x0A000000;
  options.ScopeId = &scope;

  table.DhcpHandleOptionsHook(request.bytes.data(), static_cast<DWORD>(request.bytes.size()),
                              nullptr, nullptr, &options);
  auto calls = records();
  ASSERT_EQ(calls.size(), 3u);
  json decoded = calls[2]["ServerOptions"];
  EXPECT_EQ(decoded["MessageType"], nullptr);
  EXPECT_EQ(decoded["SubnetMask"], nullptr);
  EXPECT_EQ(decoded["RequestLeaseTime"], nullptr);
  EXPECT_EQ(decoded["ParameterRequestList"], nullptr);
  EXPECT_EQ(decoded["ParameterRequestListLength"], 0);
  EXPECT_EQ(decoded["MachineName"], "a\"b\\c\x01\xC3\xBF");
  EXPECT_EQ(decoded["ClassIdentifier"],
            json({{"outside_packet", hex_pointer(request.bytes.data() + 396)}}));
  EXPECT_EQ(decoded["Server"], json({{"outside_packet", hex_pointer(elsewhere)}}));
  EXPECT_EQ(decoded["ClientHardwareAddress"], nullptr);
  EXPECT_EQ(decoded["DNSFlags"], 0xFFFF);
  EXPECT_EQ(decoded["DNSName"], nullptr);
  EXPECT_EQ(decoded["DSDomainNameRequested"], false);
  EXPECT_EQ(decoded["DSDomainName"], nullptr);
  EXPECT_EQ(decoded["ScopeId"], 0x0A000000);
}

TEST_F(RecorderTest, WritesKeysInSignatureOrder) {
  const auto& table = load({callout_path("recorder").string()});
  ASSERT_NE(table.DhcpNewPktHook, nullptr);
  BYTE data[4] = {1, 2, 3, 4};
  BYTE* packet = data;
  DWORD size = sizeof data;
  void* context = nullptr;
  BOOL process = TRUE;
  DHCP_SERVER_OPTIONS options;
  std::memset(&options, 0, sizeof options);
  table.DhcpNewPktHook(&packet, &size, 1, nullptr, &context, &process);
  table.DhcpPktDropHook(&packet, &size, DHCP_DROP_INVALID, 1, nullptr, context);
  table.DhcpPktSendHook(&packet, &size, DHCP_SEND_PACKET, 1, nullptr, context);
  table.DhcpAddressDelHook(data, size, DHCP_PROB_DECLINE, 1, 2, nullptr, context);
  table.DhcpAddressOfferHook(data, size, DHCP_GIVE_ADDRESS_OLD, 1, 2, DHCP_CLIENT_DHCP, 60, nullptr,
                             context);
  table.DhcpHandleOptionsHook(data, size, nullptr, context, &options);
  table.DhcpDeleteClientHook(2, data, size, 0, DHCP_CLIENT_DHCP);

  using Keys = std::vector<std::string>;
  const std::vector<Keys> expected = {
      {"dll", "hook", "ChainDlls", "CalloutVersion", "CalloutTbl"},
      {"dll", "hook", "ControlCode", "Reserved"},
      {"dll", "hook", "Packet", "PacketSize", "IpAddress", "Reserved", "PktContext", "ProcessIt"},
      {"dll", "hook", "Packet", "PacketSize", "ControlCode", "IpAddress", "Reserved", "PktContext"},
      {"dll", "hook", "Packet", "PacketSize", "ControlCode", "IpAddress", "Reserved", "PktContext"},
      {"dll", "hook", "Packet", "PacketSize", "ControlCode", "IpAddress", "AltAddress", "Reserved",
       "PktContext"},
      {"dll", "hook", "Packet", "PacketSize", "ControlCode", "IpAddress", "AltAddress", "AddrType",
       "LeaseTime", "Reserved", "PktContext"},
      {"dll", "hook", "Packet", "PacketSize", "Reserved", "PktContext", "ServerOptions"},
      {"dll", "hook", "IpAddress", "HwAddress", "HwAddressLength", "Reserved", "ClientType"},
  };
  auto calls = read_ordered_json_lines(record_);
  ASSERT_EQ(calls.size(), expected.size());
  for (std::size_t i = 0; i < calls.size(); ++i) {
    Keys keys;
    for (const auto& member : calls[i].items()) {
      keys.push_back(member.key());
    }
    EXPECT_EQ(keys, expected[i]) << "record " << i;
  }
  Keys option_keys;
  for (const auto& member : calls[7]["ServerOptions"].items()) {
    option_keys.push_back(member.key());
  }
  EXPECT_EQ(option_keys, (Keys{"MessageType",
                               "SubnetMask",
                               "RequestedAddress",
                               "RequestLeaseTime",
                               "OverlayFields",
                               "RouterAddress",
                               "Server",
                               "ParameterRequestList",
                               "ParameterRequestListLength",
                               "MachineName",
                               "MachineNameLength",
                               "ClientHardwareAddressType",
                               "ClientHardwareAddressLength",
                               "ClientHardwareAddress",
                               "ClassIdentifier",
                               "ClassIdentifierLength",
                               "VendorClass",
                               "VendorClassLength",
                               "DNSFlags",
                               "DNSNameLength",
                               "DNSName",
                               "DSDomainNameRequested",
                               "DSDomainName",
                               "DSDomainNameLen",
                               "ScopeId"}));
}

TEST_F(RecorderTest, ConcurrentCallsWriteWholeLines) {
  const auto& table = load({callout_path("recorder").string()});
  ASSERT_NE(table.DhcpControlHook, nullptr);
  constexpr int kThreads = 8;
  constexpr int kCallsPerThread = 250;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&table, t] {
      std::vector<BYTE> data(1500, static_cast<BYTE>(t));
      for (int i = 0; i < kCallsPerThread; ++i) {
        BYTE* packet = data.data();
        DWORD size = static_cast<DWORD>(data.size());
        void* context = nullptr;
        BOOL process = TRUE;
        table.DhcpNewPktHook(&packet, &size, static_cast<DWORD>(t), nullptr, &context, &process);
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  auto calls = records();  // a torn line fails read_json_lines
  ASSERT_EQ(calls.size(), 2u + kThreads * kCallsPerThread);
  std::set<std::string> tags;
  for (std::size_t i = 2; i < calls.size(); ++i) {
    tags.insert(calls[i]["PktContext"].get<std::string>());
  }
  EXPECT_EQ(tags.size(), static_cast<std::size_t>(kThreads * kCallsPerThread))
      << "every NewPkt gets a distinct tag";
}

TEST_F(RecorderTest, WritesNothingWithoutCalloutRecord) {
  ScopedEnv unset("CALLOUT_RECORD", std::nullopt);
  const auto& table = load({callout_path("recorder").string()});
  ASSERT_NE(table.DhcpNewPktHook, nullptr);
  BYTE data[1] = {0};
  BYTE* packet = data;
  DWORD size = 1;
  void* context = nullptr;
  BOOL process = TRUE;
  table.DhcpNewPktHook(&packet, &size, 0, nullptr, &context, &process);
  EXPECT_NE(context, nullptr) << "the tag is set whether or not anything is recorded";
  EXPECT_FALSE(std::filesystem::exists(record_));
}

}  // namespace
}  // namespace calloutemu::test
