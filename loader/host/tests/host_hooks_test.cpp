// Hooks called through the callout host look to the callout, and their
// effects look to the server, as in-process calls do (spec §3, §4).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <map>

#include "calloutemu/loader/callout_hooks.h"
#include "calloutemu/loader/chain_loader.h"
#include "calloutemu/loader/hosted_chain.h"
#include "fixtures.h"
#include "host_test_support.h"
#include "json_lines.h"
#include "scoped_env.h"
#include "temp_dir.h"

namespace calloutemu::loader {
namespace {

using test::OptionsPacket;
using test::ServerBuffer;

constexpr DWORD kIp = 0xC0000201;

// Two packets in flight, a drop with a reason, a third packet on the first
// one's Reserved, DeleteClient and the control codes: the server's calls.
void run_sequence(CalloutHooks& hooks) {
  int slot_a = 0;  // the Reserved pointers
  int slot_b = 0;
  OptionsPacket a;
  ServerBuffer b("a short, invalid datagram");
  auto expect_ok = [](const HookCall& call) {
    EXPECT_TRUE(call.called);
    EXPECT_FALSE(call.fault.has_value()) << call.fault->description;
    EXPECT_EQ(call.returned, 0u);
  };

  BYTE* packet_a = a.buffer.packet;
  DWORD size_a = a.buffer.size;
  void* context_a = nullptr;
  BOOL process_a = TRUE;
  expect_ok(hooks.new_pkt(&packet_a, &size_a, kIp, &slot_a, &context_a, &process_a));
  BYTE* packet_b = b.packet;
  DWORD size_b = b.size;
  void* context_b = nullptr;
  BOOL process_b = TRUE;
  expect_ok(hooks.new_pkt(&packet_b, &size_b, kIp, &slot_b, &context_b, &process_b));
  expect_ok(hooks.handle_options(packet_a, size_a, &slot_a, context_a, &a.options));
  expect_ok(hooks.pkt_drop(&packet_b, &size_b, DHCP_DROP_INVALID, kIp, &slot_b, context_b));
  expect_ok(
      hooks.address_del(packet_a, size_a, DHCP_PROB_CONFLICT, kIp, 0xC000020A, &slot_a, context_a));
  expect_ok(hooks.address_offer(packet_a, size_a, DHCP_GIVE_ADDRESS_NEW, kIp, 0xC000020B,
                                DHCP_CLIENT_DHCP, 86400, &slot_a, context_a));
  ServerBuffer reply("\x02 a reply to the discover");
  BYTE* send = reply.packet;
  DWORD send_size = reply.size;
  expect_ok(hooks.pkt_send(&send, &send_size, DHCP_SEND_PACKET, kIp, &slot_a, context_a));
  expect_ok(hooks.pkt_drop(&packet_b, &size_b, DHCP_DROP_PROCESSED, kIp, &slot_b, context_b));
  expect_ok(hooks.pkt_drop(&packet_a, &size_a, DHCP_DROP_PROCESSED, kIp, &slot_a, context_a));

  BYTE hw[] = {0x00, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e};
  expect_ok(hooks.delete_client(0xC000020B, hw, sizeof hw, 0, DHCP_CLIENT_DHCP));
  expect_ok(hooks.control(DHCP_CONTROL_PAUSE));
  expect_ok(hooks.control(DHCP_CONTROL_CONTINUE));

  ServerBuffer c("a third packet");
  BYTE* packet_c = c.packet;
  DWORD size_c = c.size;
  void* context_c = nullptr;
  BOOL process_c = TRUE;
  expect_ok(hooks.new_pkt(&packet_c, &size_c, kIp, &slot_a, &context_c, &process_c));
  expect_ok(hooks.pkt_drop(&packet_c, &size_c, DHCP_DROP_PROCESSED, kIp, &slot_a, context_c));
}

// The records with what may differ between processes made comparable: the
// table's address, and each Reserved pointer as the order it first appeared
// in (so identity across a packet's hooks still shows).
std::vector<nlohmann::json> comparable(std::vector<nlohmann::json> records) {
  std::map<std::string, std::string> reserved;
  for (auto& record : records) {
    if (record.contains("CalloutTbl")) {
      record["CalloutTbl"] = "table";
    }
    if (record["hook"] != "DeleteClient" && record.contains("Reserved") &&
        record["Reserved"] != "0x0") {
      const std::string value = record["Reserved"];
      auto [it, added] = reserved.emplace(value, "R" + std::to_string(reserved.size() + 1));
      record["Reserved"] = it->second;
    }
  }
  return records;
}

TEST(HostHooksTest, TheRecorderSeesWhatItSeesInProcess) {
  calloutemu::test::TempDir hosted_dir;
  calloutemu::test::TempDir local_dir;
  const auto hosted_dll = hosted_dir / "recorder.so";
  const auto local_dll = local_dir / "recorder.so";
  std::filesystem::copy_file(calloutemu::test::callout_path("recorder"), hosted_dll);
  std::filesystem::copy_file(calloutemu::test::callout_path("recorder"), local_dll);
  const auto hosted_record = hosted_dir / "record.jsonl";
  const auto local_record = local_dir / "record.jsonl";
  FaultTrap trap;

  {
    test::LogLines log;
    auto chain = HostedChain::launch(
        test::native_host({{"CALLOUT_RECORD", hosted_record.string()}}), trap, log.sink());
    ASSERT_TRUE(chain.ok()) << chain.error().message;
    auto load = (*chain)->load({hosted_dll.string()}, {});
    ASSERT_TRUE(load.ok() && load->loaded);
    run_sequence((*chain)->hooks());
    EXPECT_FALSE((*chain)->stop_and_unload().fault.has_value());
    EXPECT_TRUE(log.lines.empty()) << log.joined();
  }
  {
    calloutemu::test::ScopedEnv record("CALLOUT_RECORD", local_record.string());
    auto load = load_callout_chain({local_dll.string()}, trap);
    ASSERT_TRUE(load.callout.has_value());
    InProcessHooks hooks(load.callout->table(), trap);
    run_sequence(hooks);
    load.callout->stop_and_unload(trap);
  }

  const auto hosted = comparable(calloutemu::test::read_json_lines(hosted_record));
  const auto local = comparable(calloutemu::test::read_json_lines(local_record));
  ASSERT_EQ(hosted.size(), 17u);
  ASSERT_EQ(hosted.size(), local.size());
  for (std::size_t i = 0; i < hosted.size(); ++i) {
    EXPECT_EQ(hosted[i], local[i]) << "record " << i;
  }
  // The two packets in flight had different Reserved values; the third
  // packet, a new one on the first one's Reserved, has that one's.
  EXPECT_EQ(hosted[2]["Reserved"], "R1");
  EXPECT_EQ(hosted[3]["Reserved"], "R2");
  EXPECT_EQ(hosted[14]["hook"], "NewPkt");
  EXPECT_EQ(hosted[14]["Reserved"], "R1");
  EXPECT_EQ(hosted[4]["hook"], "HandleOptions");
  EXPECT_EQ(hosted[4]["ServerOptions"]["MachineName"], "host-a");
  EXPECT_EQ(hosted[4]["PktContext"], hosted[2]["PktContext"]);
  EXPECT_EQ(hosted[11]["HwAddress"], "001a2b3c4d5e");
}

TEST(HostHooksTest, AddOptionGrowsTheSendBufferAsInProcess) {
  FaultTrap trap;
  const auto dll = calloutemu::test::callout_path("addoption").string();
  // The same reply through the host and in-process: the server's 4096-byte
  // send buffers end up byte for byte the same.
  OptionsPacket hosted_reply(2);
  OptionsPacket local_reply(2);
  DWORD hosted_size = hosted_reply.buffer.size;
  DWORD local_size = local_reply.buffer.size;
  BYTE* hosted_send = hosted_reply.buffer.packet;
  BYTE* local_send = local_reply.buffer.packet;
  int reserved = 0;

  auto chain = HostedChain::launch(test::native_host(), trap);
  ASSERT_TRUE(chain.ok()) << chain.error().message;
  auto load = (*chain)->load({dll}, {});
  ASSERT_TRUE(load.ok() && load->loaded);
  EXPECT_FALSE((*chain)->hooks().has(Hook::new_pkt));
  const auto call = (*chain)->hooks().pkt_send(&hosted_send, &hosted_size, DHCP_SEND_PACKET, kIp,
                                               &reserved, nullptr);
  EXPECT_TRUE(call.called);
  EXPECT_FALSE(call.fault.has_value());

  auto local = load_callout_chain({dll}, trap);
  ASSERT_TRUE(local.callout.has_value());
  InProcessHooks hooks(local.callout->table(), trap);
  hooks.pkt_send(&local_send, &local_size, DHCP_SEND_PACKET, kIp, &reserved, nullptr);
  local.callout->stop_and_unload(trap);

  EXPECT_EQ(hosted_send, hosted_reply.buffer.packet);
  EXPECT_EQ(hosted_size, 312u);
  EXPECT_EQ(hosted_size, local_size);
  for (std::size_t i = 0; i < hosted_reply.buffer.bytes.size(); ++i) {
    ASSERT_EQ(hosted_reply.buffer.bytes[i], local_reply.buffer.bytes[i]) << "byte " << i;
  }
}

// --- the test callout ----------------------------------------------------

class HostedTestCallout : public ::testing::Test {
 protected:
  void SetUp() override {
    auto chain = HostedChain::launch(test::native_host(), trap_, log_.sink());
    ASSERT_TRUE(chain.ok()) << chain.error().message;
    chain_ = std::move(chain).value();
    auto load = chain_->load({test::test_callout_path()}, {});
    ASSERT_TRUE(load.ok() && load->loaded);
  }

  CalloutHooks& hooks() { return chain_->hooks(); }

  // NewPkt of `buffer`, on this fixture's Reserved.
  HookCall start(ServerBuffer& buffer) {
    packet_ = buffer.packet;
    size_ = buffer.size;
    return hooks().new_pkt(&packet_, &size_, kIp, &reserved_, &context_, &process_);
  }
  HookCall end() {
    return hooks().pkt_drop(&packet_, &size_, DHCP_DROP_PROCESSED, kIp, &reserved_, context_);
  }
  DWORD recognised(BYTE* packet) {
    const auto call = hooks().address_offer(packet, size_, DHCP_GIVE_ADDRESS_NEW, kIp, 1,
                                            DHCP_CLIENT_DHCP, 60, &reserved_, context_);
    EXPECT_FALSE(call.fault.has_value());
    return call.returned;
  }
  bool readable(const BYTE* bytes, std::size_t length) {
    std::vector<BYTE> copy(length);
    return !hooks().guarded([&] { std::memcpy(copy.data(), bytes, length); }).has_value();
  }

  FaultTrap trap_;
  test::LogLines log_;
  std::unique_ptr<HostedChain> chain_;
  int reserved_ = 0;
  BYTE* packet_ = nullptr;
  DWORD size_ = 0;
  void* context_ = nullptr;
  BOOL process_ = TRUE;
};

TEST_F(HostedTestCallout, TheServersBufferKeepsItsIdentity) {
  ServerBuffer buffer("Aabc");
  const auto call = start(buffer);
  EXPECT_TRUE(call.called);
  EXPECT_FALSE(call.fault.has_value());
  EXPECT_EQ(packet_, buffer.packet);
  EXPECT_NE(context_, nullptr);
  // Context, Reserved and Packet are what the callout saw in NewPkt.
  EXPECT_EQ(recognised(packet_), 7u);
  EXPECT_FALSE(end().fault.has_value());
}

TEST_F(HostedTestCallout, AReplacementIsACopyAtAStableAddress) {
  ServerBuffer buffer("Rabc");
  start(buffer);
  ASSERT_NE(packet_, buffer.packet);
  ASSERT_EQ(size_, 12u);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(packet_), size_), "REPLACEDRabc");
  // Handed back, the copy is the callout's own buffer again in the host.
  BYTE* copy = packet_;
  EXPECT_EQ(recognised(copy), 7u);
  EXPECT_FALSE(end().fault.has_value());
  EXPECT_EQ(packet_, copy);
  // Valid after the packet's end, until the next packet starts.
  EXPECT_TRUE(readable(copy, size_));
  // The server's buffer is untouched.
  EXPECT_EQ(std::memcmp(buffer.bytes.data(), "Rabc", 4), 0);
}

TEST_F(HostedTestCallout, AWritePastPacketSizeReachesTheServersBuffer) {
  ServerBuffer buffer("Wxyz");
  start(buffer);
  EXPECT_EQ(packet_, buffer.packet);
  EXPECT_EQ(buffer.bytes[14], 0xAB);
  EXPECT_EQ(buffer.bytes[13], 0xDB);
  EXPECT_EQ(buffer.bytes[15], 0xDB);
  end();
}

TEST_F(HostedTestCallout, PktSendChangesTheServersSendBuffer) {
  ServerBuffer buffer("Aabc");
  start(buffer);
  ServerBuffer written("W12345");
  BYTE* send = written.packet;
  DWORD send_size = written.size;
  hooks().pkt_send(&send, &send_size, DHCP_SEND_PACKET, kIp, &reserved_, context_);
  EXPECT_EQ(send, written.packet);
  EXPECT_EQ(send_size, 6u);
  EXPECT_EQ(written.bytes[11], 0xCD);

  ServerBuffer grown("Gab");
  send = grown.packet;
  send_size = grown.size;
  hooks().pkt_send(&send, &send_size, DHCP_SEND_PACKET, kIp, &reserved_, context_);
  EXPECT_EQ(send, grown.packet);
  EXPECT_EQ(send_size, 5u);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(grown.packet), 5), "Gab!!");
  end();
}

TEST_F(HostedTestCallout, ANullReplacementStaysNull) {
  ServerBuffer buffer("N");
  start(buffer);
  EXPECT_EQ(packet_, nullptr);
  packet_ = buffer.packet;  // as the server does: it keeps its buffer
  EXPECT_EQ(recognised(packet_), 7u);
  end();
}

TEST_F(HostedTestCallout, AnUnreadableReplacementFaultsWhenTheServerReadsIt) {
  ServerBuffer buffer("U");
  start(buffer);
  ASSERT_NE(packet_, nullptr);
  EXPECT_NE(packet_, buffer.packet);
  EXPECT_EQ(size_, 100u);
  EXPECT_FALSE(readable(packet_, size_));
  // Handed back, it is the callout's own (bad) pointer again: not its
  // NewPkt buffer, but its context and Reserved.
  EXPECT_EQ(recognised(packet_), 3u);
  EXPECT_FALSE(end().fault.has_value());
}

TEST_F(HostedTestCallout, AnEmptyReplacementIsNotNull) {
  ServerBuffer buffer("Zabc");
  start(buffer);
  EXPECT_NE(packet_, nullptr);
  EXPECT_NE(packet_, buffer.packet);
  EXPECT_EQ(size_, 0u);
  end();
}

TEST_F(HostedTestCallout, HandleOptionsEditsComeBack) {
  OptionsPacket packet('O');
  start(packet.buffer);
  BYTE* const message_type = packet.options.MessageType;
  BYTE* const parameters = packet.options.ParameterRequestList;
  DWORD* const mask = packet.options.SubnetMask;
  const auto call = hooks().handle_options(packet_, size_, &reserved_, context_, &packet.options);
  EXPECT_FALSE(call.fault.has_value());
  const auto& options = packet.options;
  // Untouched and edited-in-place members still point into the server's buffer.
  EXPECT_EQ(options.MessageType, message_type);
  EXPECT_EQ(options.ParameterRequestList, parameters);
  EXPECT_EQ(options.SubnetMask, mask);
  const auto* mask_bytes = reinterpret_cast<const BYTE*>(options.SubnetMask);
  EXPECT_EQ(std::vector<BYTE>(mask_bytes, mask_bytes + 4), (std::vector<BYTE>{255, 255, 255, 0}));
  // A member pointed at the callout's memory: a copy of its value.
  ASSERT_EQ(options.MachineNameLength, 11u);
  EXPECT_EQ(std::string(options.MachineName, options.MachineNameLength), "edited-name");
  // One pointed at memory that faults: it faults here too.
  ASSERT_NE(options.ClassIdentifier, nullptr);
  EXPECT_EQ(options.ClassIdentifierLength, 5u);
  EXPECT_FALSE(readable(reinterpret_cast<const BYTE*>(options.ClassIdentifier), 5));
  EXPECT_EQ(options.RequestedAddress, nullptr);
  EXPECT_EQ(options.ClientHardwareAddressType, 7);
  EXPECT_EQ(options.ClientHardwareAddressLength, 6);
  end();
}

TEST_F(HostedTestCallout, DeleteClientGetsTheHardwareAddress) {
  BYTE hw[] = {1, 2, 3, 250};
  const auto call = hooks().delete_client(1, hw, sizeof hw, 0, DHCP_CLIENT_DHCP);
  EXPECT_EQ(call.returned, 256u);
  EXPECT_EQ(hooks().delete_client(1, nullptr, 0, 0, DHCP_CLIENT_DHCP).returned, 0u);
}

TEST_F(HostedTestCallout, EachCallIsTimedInTheHost) {
  const auto call = hooks().control(0x98);  // sleeps two seconds
  EXPECT_GE(call.duration, std::chrono::milliseconds(1900));
  EXPECT_LT(call.duration, std::chrono::seconds(30));
}

}  // namespace
}  // namespace calloutemu::loader
