#include "calloutemu/loader/checked_hooks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <functional>

namespace calloutemu::loader {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Inner hooks that run a test's function under a real trap, as InProcessHooks does.
class FakeHooks final : public CalloutHooks {
 public:
  using PacketHook = std::function<void(BYTE**, DWORD*)>;
  using OptionsHook = std::function<void(BYTE*, DWORD, DHCP_SERVER_OPTIONS*)>;
  PacketHook on_packet = [](BYTE**, DWORD*) {};
  OptionsHook on_options = [](BYTE*, DWORD, DHCP_SERVER_OPTIONS*) {};
  std::function<void()> on_control = [] {};

  bool has(Hook) const override { return true; }
  HookCall control(DWORD) override {
    return run([&] { on_control(); });
  }
  HookCall new_pkt(BYTE** packet, DWORD* size, DWORD, void*, void**, BOOL*) override {
    return run([&] { on_packet(packet, size); });
  }
  HookCall pkt_drop(BYTE** packet, DWORD* size, DWORD, DWORD, void*, void*) override {
    return run([&] { on_packet(packet, size); });
  }
  HookCall pkt_send(BYTE** packet, DWORD* size, DWORD, DWORD, void*, void*) override {
    return run([&] { on_packet(packet, size); });
  }
  HookCall address_del(BYTE* packet, DWORD size, DWORD, DWORD, DWORD, void*, void*) override {
    return run([&] { on_options(packet, size, nullptr); });
  }
  HookCall address_offer(BYTE* packet, DWORD size, DWORD, DWORD, DWORD, DWORD, DWORD, void*,
                         void*) override {
    return run([&] { on_options(packet, size, nullptr); });
  }
  HookCall handle_options(BYTE* packet, DWORD size, void*, void*,
                          DHCP_SERVER_OPTIONS* options) override {
    return run([&] { on_options(packet, size, options); });
  }
  HookCall delete_client(DWORD, BYTE*, ULONG, DWORD, DWORD) override { return {}; }
  std::optional<Fault> guarded(void (*fn)(void*), void* context) override {
    return trap_.run([&] { fn(context); });
  }
  using CalloutHooks::guarded;

 private:
  template <class F>
  HookCall run(F f) {
    HookCall call;
    call.called = true;
    call.fault = trap_.run(f);
    return call;
  }
  FaultTrap trap_;
};

class CheckedHooksTest : public ::testing::Test {
 protected:
  CheckedHooksTest() {
    for (std::size_t i = 0; i < server_.size(); ++i) {
      server_[i] = static_cast<BYTE>(i < 300 ? i : 0xEE);
    }
  }
  HookCall new_pkt() {
    packet_ = server_.data();
    BOOL process = TRUE;
    void* context = nullptr;
    return checked_.new_pkt(&packet_, &size_, 0, nullptr, &context, &process);
  }

  FakeHooks inner_;
  GuardedMemory memory_;
  CheckedHooks checked_{inner_, memory_, "fake.so"};
  std::array<BYTE, 4096> server_{};
  BYTE* packet_ = nullptr;
  DWORD size_ = 300;
};

TEST_F(CheckedHooksTest, TheHookGetsAGuardedCopyThatEndsAtAPageEnd) {
  BYTE* seen = nullptr;
  inner_.on_packet = [&](BYTE** packet, DWORD*) {
    seen = *packet;
    (*packet)[5] = 0x99;
  };
  const auto call = new_pkt();
  EXPECT_THAT(call.findings, IsEmpty());
  ASSERT_NE(seen, nullptr);
  EXPECT_NE(seen, server_.data());
  EXPECT_EQ((reinterpret_cast<std::uintptr_t>(seen) + 4096) % GuardedMemory::page_size(), 0u);
  EXPECT_EQ(packet_, server_.data());
  EXPECT_EQ(server_[5], 0x99);
  EXPECT_EQ(server_[300], 0xEE);  // past PacketSize: the server's bytes, untouched

  BYTE* second = nullptr;
  inner_.on_packet = [&](BYTE** packet, DWORD*) { second = *packet; };
  new_pkt();
  EXPECT_EQ(second, seen);  // one guarded buffer per server buffer
}

TEST_F(CheckedHooksTest, AWritePastPacketSizeIsAFinding) {
  inner_.on_packet = [](BYTE** packet, DWORD* size) { (*packet)[*size + 1000] = 1; };
  const auto call = new_pkt();
  EXPECT_THAT(call.findings,
              ElementsAre("NewPkt wrote past PacketSize (1001 bytes after it) in the receive "
                          "buffer in fake.so"));
  EXPECT_EQ(server_[1300], 0xEE);
}

TEST_F(CheckedHooksTest, AGrownPacketIsCopiedBackWithoutAFinding) {
  inner_.on_packet = [](BYTE** packet, DWORD* size) {
    (*packet)[*size] = 0x77;
    *size += 1;
  };
  const auto call = new_pkt();
  EXPECT_THAT(call.findings, IsEmpty());
  EXPECT_EQ(size_, 301u);
  EXPECT_EQ(server_[300], 0x77);
}

TEST_F(CheckedHooksTest, AWritePastTheBufferFaultsAndIsAnOverrun) {
  inner_.on_packet = [](BYTE** packet, DWORD*) {
    volatile BYTE* past = *packet + 4096;
    *past = 1;
  };
  const auto call = new_pkt();
  ASSERT_TRUE(call.fault);
  ASSERT_EQ(call.findings.size(), 1u);
  EXPECT_THAT(call.findings[0], HasSubstr("NewPkt accessed byte 4096 of the 4096-byte receive "
                                          "buffer, past its end (buffer overrun) in fake.so"));
  EXPECT_EQ(packet_, server_.data());
}

TEST_F(CheckedHooksTest, BadReplacementsAreFindingsAndUndone) {
  static BYTE own[16];
  struct Case {
    BYTE* packet;
    DWORD size;
    const char* finding;
  };
  const Case cases[] = {
      {nullptr, 300, "NewPkt set *Packet to NULL; the server kept the previous buffer in fake.so"},
      {own, 0, "NewPkt replaced the packet with a buffer of 0 bytes; the server kept"},
      {own, 70000, "NewPkt replaced the packet with a buffer of 70000 bytes"},
      {reinterpret_cast<BYTE*>(std::uintptr_t{0x10}), 300,
       "NewPkt replaced the packet with a buffer that faults when read"},
  };
  for (const auto& c : cases) {
    inner_.on_packet = [&](BYTE** packet, DWORD* size) {
      *packet = c.packet;
      *size = c.size;
    };
    size_ = 300;
    const auto call = new_pkt();
    ASSERT_EQ(call.findings.size(), 1u) << c.finding;
    EXPECT_THAT(call.findings[0], HasSubstr(c.finding));
    EXPECT_EQ(packet_, server_.data());
    EXPECT_EQ(size_, 300u);
  }
}

TEST_F(CheckedHooksTest, AGoodReplacementIsKeptAndPassedOnAsItIs) {
  static BYTE own[100];
  inner_.on_packet = [&](BYTE** packet, DWORD* size) {
    *packet = own;
    *size = sizeof own;
  };
  EXPECT_THAT(new_pkt().findings, IsEmpty());
  EXPECT_EQ(packet_, own);
  EXPECT_EQ(size_, sizeof own);

  BYTE* seen = nullptr;
  inner_.on_packet = [&](BYTE** packet, DWORD*) { seen = *packet; };
  DWORD size = sizeof own;
  checked_.pkt_drop(&packet_, &size, DHCP_DROP_PROCESSED, 0, nullptr, nullptr);
  EXPECT_EQ(seen, own);
  EXPECT_EQ(packet_, own);
}

TEST_F(CheckedHooksTest, HandleOptionsGetsRebasedOptionsThatFaultAfterTheCall) {
  DHCP_SERVER_OPTIONS options{};
  options.MessageType = server_.data() + 242;
  BYTE* seen_packet = nullptr;
  DHCP_SERVER_OPTIONS* kept = nullptr;
  inner_.on_options = [&](BYTE* packet, DWORD, DHCP_SERVER_OPTIONS* given) {
    seen_packet = packet;
    kept = given;
    EXPECT_EQ(given->MessageType, packet + 242);
    *given->MessageType = 3;
  };
  EXPECT_THAT(checked_.handle_options(server_.data(), size_, nullptr, nullptr, &options).findings,
              IsEmpty());
  EXPECT_NE(kept, &options);
  EXPECT_EQ(options.MessageType, server_.data() + 242);
  EXPECT_EQ(server_[242], 3);

  // The next hook reads the options it kept.
  inner_.on_packet = [&](BYTE**, DWORD*) {
    volatile BYTE* type = reinterpret_cast<volatile BYTE*>(&kept->MessageType);
    (void)*type;
  };
  const auto call = new_pkt();
  ASSERT_TRUE(call.fault);
  EXPECT_THAT(call.findings, ElementsAre("NewPkt used the DHCP_SERVER_OPTIONS of an earlier "
                                         "HandleOptions call after that call returned in "
                                         "fake.so"));

  // And the next HandleOptions gets them again.
  inner_.on_options = [&](BYTE*, DWORD, DHCP_SERVER_OPTIONS* given) { given->DNSFlags = 7; };
  EXPECT_FALSE(checked_.handle_options(server_.data(), size_, nullptr, nullptr, &options).fault);
  EXPECT_EQ(options.DNSFlags, 7u);
}

TEST_F(CheckedHooksTest, ByValueHooksAreCheckedToo) {
  inner_.on_options = [](BYTE* packet, DWORD size, DHCP_SERVER_OPTIONS*) { packet[size] = 1; };
  const auto call = checked_.address_offer(server_.data(), size_, 0, 0, 0, 0, 0, nullptr, nullptr);
  EXPECT_THAT(call.findings, ElementsAre("AddressOffer wrote past PacketSize (1 byte after it) "
                                         "in the receive buffer in fake.so"));
}

TEST_F(CheckedHooksTest, ChainDllsReadAfterTheEntryIsAFinding) {
  auto* chain = memory_.allocate(4, "ChainDlls");
  ASSERT_NE(chain, nullptr);
  memory_.retire(chain, 0xFD);
  inner_.on_control = [&] {
    volatile std::uint8_t* first = chain;
    (void)*first;
  };
  const auto call = checked_.control(DHCP_CONTROL_PAUSE);
  EXPECT_THAT(call.findings,
              ElementsAre("Control read ChainDlls after DhcpServerCalloutEntry returned in "
                          "fake.so"));
}

}  // namespace
}  // namespace calloutemu::loader
