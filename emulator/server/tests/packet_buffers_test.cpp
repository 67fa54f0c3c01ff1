// Spec §4: the receive and send buffers, a callout's replacements, and the
// misuse the server reports as findings.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "calloutemu/dhcp/wire_format.h"
#include "server_harness.h"

namespace calloutemu::server::testing {
namespace {

using dhcp::MessageType;
using loader::Hook;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const std::vector<std::string> kAnswered = {"NewPkt", "HandleOptions", "PktSend(SEND_PACKET)",
                                            "PktDrop(PROCESSED)"};

// --- NewPkt replacing the request --------------------------------------------

TEST(PacketBuffers, NewPktReplacementIsWhatLaterHooksGetAndTheServerParses) {
  Harness h;
  static Bytes replacement;
  replacement = msg::inform(1, 0x1001, net(50));
  h.hooks.on_new_pkt = [](std::uint64_t, BYTE** packet, DWORD* size, void**, BOOL*) {
    *packet = replacement.data();
    *size = static_cast<DWORD>(replacement.size());
  };
  const auto handled = h.send(msg::discover(1, 0x1001));
  EXPECT_EQ(handled.sequence(), kAnswered);
  for (const auto& call : handled.calls) {
    if (call.hook == Hook::new_pkt || call.hook == Hook::pkt_send) {
      continue;
    }
    EXPECT_EQ(call.packet, replacement.data()) << call.name();
    EXPECT_EQ(call.size, replacement.size()) << call.name();
  }
  ASSERT_TRUE(handled.first(Hook::handle_options).options);
  EXPECT_EQ(handled.first(Hook::handle_options).options->MessageType,
            replacement.data() + dhcp::kOptionsOffset + 2);
  EXPECT_EQ(handled.outcome.message_type, MessageType::inform);
  ASSERT_TRUE(handled.response);
  EXPECT_EQ(response_type(handled.response->bytes), MessageType::ack);
  EXPECT_TRUE(handled.outcome.packet_replaced);
  EXPECT_THAT(handled.outcome.findings, IsEmpty());
}

TEST(PacketBuffers, AReplacementLargerThanTheReceiveBufferIsAccepted) {
  Harness h;
  static Bytes replacement;
  replacement = msg::discover(1, 0x1001);
  replacement.resize(5000, 0);  // pad after the end option
  h.hooks.on_new_pkt = [](std::uint64_t, BYTE** packet, DWORD* size, void**, BOOL*) {
    *packet = replacement.data();
    *size = static_cast<DWORD>(replacement.size());
  };
  const auto handled = h.send(msg::inform(1, 0x1001, net(50)));
  EXPECT_EQ(handled.sequence(), kAnswered);
  ASSERT_TRUE(handled.response);
  EXPECT_EQ(response_type(handled.response->bytes), MessageType::offer);
  EXPECT_EQ(handled.first(Hook::pkt_drop).size, 5000u);
  EXPECT_THAT(handled.outcome.findings, IsEmpty());
}

struct BadReplacement {
  const char* name;
  bool null_pointer;
  DWORD size;
};

class ImplausibleReplacement : public ::testing::TestWithParam<BadReplacement> {};

TEST_P(ImplausibleReplacement, IsAFindingAndTheOriginalBufferIsKept) {
  Harness h;
  static Bytes own(70 * 1024, 0);
  static BadReplacement bad;
  bad = GetParam();
  h.hooks.on_new_pkt = [](std::uint64_t, BYTE** packet, DWORD* size, void**, BOOL*) {
    *packet = bad.null_pointer ? nullptr : own.data();
    *size = bad.size;
  };
  const auto request = msg::discover(1, 0x1001);
  const auto handled = h.send(request);
  EXPECT_EQ(handled.sequence(), kAnswered) << bad.name;
  const auto* original = handled.first(Hook::new_pkt).packet;
  for (const auto& call : handled.calls) {
    if (call.hook == Hook::handle_options || call.hook == Hook::pkt_drop) {
      EXPECT_EQ(call.packet, original) << call.name();
      EXPECT_EQ(call.size, request.size()) << call.name();
    }
  }
  EXPECT_EQ(handled.outcome.findings.size(), 1u) << bad.name;
  EXPECT_FALSE(handled.outcome.packet_replaced);
  ASSERT_TRUE(handled.response);
  EXPECT_EQ(response_type(handled.response->bytes), MessageType::offer);
}

INSTANTIATE_TEST_SUITE_P(
    PacketBuffers, ImplausibleReplacement,
    ::testing::Values(BadReplacement{"NULL", true, 300}, BadReplacement{"size 0", false, 0},
                      BadReplacement{"over 64 KiB", false, 64 * 1024 + 1}),
    [](const ::testing::TestParamInfo<BadReplacement>& param_info) {
      const auto& bad = param_info.param;
      return std::string(bad.null_pointer ? "Null" : bad.size == 0 ? "SizeZero" : "Over64KiB");
    });

TEST(PacketBuffers, OwnBufferSizeSetPastTheReceiveBufferIsAFindingAndUndone) {
  Harness h;
  h.hooks.on_new_pkt = [](std::uint64_t, BYTE**, DWORD* size, void**, BOOL*) { *size = 5000; };
  const auto request = msg::discover(1, 0x1001);
  const auto handled = h.send(request);
  EXPECT_EQ(handled.sequence(), kAnswered);
  ASSERT_EQ(handled.outcome.findings.size(), 1u);
  EXPECT_THAT(handled.outcome.findings[0], HasSubstr("NewPkt"));
  EXPECT_EQ(handled.first(Hook::handle_options).size, request.size());
}

TEST(PacketBuffers, AReplacementStaysForPktDropProcessed) {
  Harness h;
  static Bytes replacement;
  replacement = msg::discover(1, 0x1001);
  h.hooks.on_new_pkt = [](std::uint64_t, BYTE** packet, DWORD* size, void**, BOOL* process_it) {
    *packet = replacement.data();
    *size = static_cast<DWORD>(replacement.size());
    *process_it = FALSE;
  };
  const auto handled = h.send(msg::discover(1, 0x1001));
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "PktDrop(PROCESSED)"));
  EXPECT_EQ(handled.first(Hook::pkt_drop).packet, replacement.data());
}

// Regression (found in review, fixed): process() copied a payload over 4096
// bytes into the receive buffer whole, past its end. The callout must never
// be handed more than the receive buffer holds.
TEST(PacketBuffers, ARequestOverTheReceiveBufferIsCutToItWithAFinding) {
  Harness h;
  auto big = msg::discover(1, 0x1001);
  big.resize(5000, 0);  // stays inside the slot: safe to run even unfixed
  const auto handled = h.send(big);
  for (const auto& call : handled.calls) {
    if (call.hook != Hook::pkt_send) {
      EXPECT_EQ(call.size, dhcp::kServerBufferSize) << call.name();
    }
  }
  EXPECT_EQ(handled.first(Hook::new_pkt).bytes,
            Bytes(big.begin(), big.begin() + dhcp::kServerBufferSize));
  ASSERT_EQ(handled.outcome.findings.size(), 1u);
  EXPECT_THAT(handled.outcome.findings[0], HasSubstr("receive buffer"));
}

// --- writes past PacketSize --------------------------------------------------

TEST(PacketBuffers, NewPktWritingJustPastPacketSizeIsAFinding) {
  Harness h;
  h.hooks.on_new_pkt = [](std::uint64_t, BYTE** packet, DWORD* size, void**, BOOL*) {
    (*packet)[*size] = 0x55;
  };
  const auto handled = h.send(msg::discover(1, 0x1001));
  EXPECT_EQ(handled.sequence(), kAnswered);
  ASSERT_EQ(handled.outcome.findings.size(), 1u);
  EXPECT_THAT(handled.outcome.findings[0], HasSubstr("NewPkt"));
  EXPECT_THAT(handled.outcome.findings[0], HasSubstr("past PacketSize"));
}

TEST(PacketBuffers, HandleOptionsWritingPastPacketSizeIsAFinding) {
  Harness h;
  h.hooks.on_handle_options = [](std::uint64_t, BYTE* packet, DWORD size, DHCP_SERVER_OPTIONS*) {
    packet[size + 3] = 0x55;
  };
  const auto handled = h.send(msg::discover(1, 0x1001));
  ASSERT_EQ(handled.outcome.findings.size(), 1u);
  EXPECT_THAT(handled.outcome.findings[0], HasSubstr("HandleOptions"));
}

// Regression (found in review, fixed): only 16 bytes after PacketSize had a
// canary.
TEST(PacketBuffers, AWriteFarPastPacketSizeInsideTheBufferIsAFinding) {
  Harness h;
  h.hooks.on_new_pkt = [](std::uint64_t, BYTE** packet, DWORD* size, void**, BOOL*) {
    (*packet)[*size + 100] = 0x55;
  };
  const auto handled = h.send(msg::discover(1, 0x1001));
  EXPECT_EQ(handled.outcome.findings.size(), 1u);
}

// Spec §4: "a write past PacketSize inside the 4096-byte buffer", here its
// last byte, past the 256 bytes checked after each hook: found once the
// request is done.
TEST(PacketBuffers, AWriteAtTheLastByteOfTheReceiveBufferIsAFinding) {
  Harness h;
  h.hooks.on_new_pkt = [](std::uint64_t, BYTE** packet, DWORD*, void**, BOOL*) {
    (*packet)[dhcp::kServerBufferSize - 1] = 0x55;
  };
  const auto handled = h.send(msg::discover(1, 0x1001));
  EXPECT_EQ(handled.outcome.findings.size(), 1u);
}

// Past the 256 bytes checked after each hook, the rest of the buffer is
// checked once the request is done, from its first byte to its last; the
// slot is whole again for the requests that use it later.
TEST(PacketBuffers, EachFarWriteIsFoundOnceAndTheSlotIsCleanAfterIt) {
  const auto request = msg::discover(1, 0x1001);
  for (const std::size_t offset :
       {request.size() + 256, request.size() + 256 + 63, request.size() + 256 + 64,
        request.size() + 1000, std::size_t{dhcp::kServerBufferSize - 64},
        std::size_t{dhcp::kServerBufferSize - 1}}) {
    SCOPED_TRACE(offset);
    Harness h;
    h.hooks.on_new_pkt = [offset](std::uint64_t number, BYTE** packet, DWORD*, void**, BOOL*) {
      if (number == 1) {
        (*packet)[offset] = 0x55;
      }
    };
    const auto first = h.send(request);
    ASSERT_EQ(first.outcome.findings.size(), 1u);
    EXPECT_THAT(first.outcome.findings[0], HasSubstr("more than 256 bytes past it"));
    // Twice round the slots the server rotates among (four).
    for (std::uint8_t client = 2; client <= 9; ++client) {
      EXPECT_THAT(h.send(msg::discover(client, 0x1001)).outcome.findings, IsEmpty()) << client;
    }
  }
}

TEST(PacketBuffers, WritingInsidePacketSizeIsNoFinding) {
  Harness h;
  h.hooks.on_new_pkt = [](std::uint64_t, BYTE** packet, DWORD*, void**, BOOL*) {
    (*packet)[dhcp::kSecsOffset] = 0x7F;
  };
  const auto handled = h.send(msg::discover(1, 0x1001));
  EXPECT_THAT(handled.outcome.findings, IsEmpty());
  EXPECT_EQ(handled.first(Hook::handle_options).bytes[dhcp::kSecsOffset], 0x7F);
}

TEST(PacketBuffers, ShrinkingPacketSizeInTheOwnBufferIsHonouredWithoutFinding) {
  Harness h;
  h.hooks.on_new_pkt = [](std::uint64_t, BYTE**, DWORD* size, void**, BOOL*) { *size -= 1; };
  const auto request = msg::discover(1, 0x1001);  // its end option is cut off: still valid
  const auto handled = h.send(request);
  EXPECT_EQ(handled.sequence(), kAnswered);
  EXPECT_EQ(handled.first(Hook::handle_options).size, request.size() - 1);
  EXPECT_EQ(handled.first(Hook::pkt_drop).size, request.size() - 1);
  EXPECT_FALSE(handled.outcome.packet_replaced);
  EXPECT_THAT(handled.outcome.findings, IsEmpty());
}

TEST(PacketBuffers, WritingPastAShrunkPacketSizeIsAFinding) {
  Harness h;
  h.hooks.on_new_pkt = [](std::uint64_t, BYTE**, DWORD* size, void**, BOOL*) { *size -= 1; };
  h.hooks.on_handle_options = [](std::uint64_t, BYTE* packet, DWORD size, DHCP_SERVER_OPTIONS*) {
    packet[size] = 0x55;
  };
  const auto handled = h.send(msg::discover(1, 0x1001));
  ASSERT_EQ(handled.outcome.findings.size(), 1u);
  EXPECT_THAT(handled.outcome.findings[0], HasSubstr("HandleOptions"));
}

// --- PktSend and the response buffer ----------------------------------------

TEST(PacketBuffers, PktSendGetsTheResponseTheObserverSees) {
  Harness h;
  const auto handled = h.send(msg::discover(1, 0x1001));
  const auto& send = handled.first(Hook::pkt_send);
  EXPECT_EQ(send.code, DWORD{DHCP_SEND_PACKET});
  ASSERT_TRUE(handled.response);
  EXPECT_EQ(send.bytes, handled.response->bytes);
  EXPECT_NE(send.packet, handled.first(Hook::new_pkt).packet);
  EXPECT_GE(send.size, dhcp::kMinimumBootpSize);
  EXPECT_FALSE(handled.response->replaced);
}

TEST(PacketBuffers, PktSendReplacementIsWhatTheServerTransmits) {
  Harness h;
  static Bytes replacement;
  replacement = msg::reply(MessageType::offer, 1, 0x1001, net(177));
  h.hooks.on_pkt_send = [](std::uint64_t, BYTE** packet, DWORD* size) {
    *packet = replacement.data();
    *size = static_cast<DWORD>(replacement.size());
  };
  const auto handled = h.send(msg::discover(1, 0x1001));
  ASSERT_TRUE(handled.response);
  EXPECT_EQ(handled.response->bytes, replacement);
  EXPECT_TRUE(handled.response->replaced);
  EXPECT_TRUE(handled.outcome.response_replaced);
  EXPECT_FALSE(handled.outcome.packet_replaced);
  EXPECT_THAT(handled.outcome.findings, IsEmpty());
  // The request buffer is untouched by it.
  EXPECT_EQ(handled.first(Hook::pkt_drop).packet, handled.first(Hook::new_pkt).packet);
}

TEST(PacketBuffers, PktSendReplacementThatFaultsWhenCopiedIsAFindingAndNotSent) {
  Harness h;
  static Bytes replacement;
  replacement = msg::reply(MessageType::offer, 1, 0x1001, net(177));
  static RecordingHooks* hooks;
  hooks = &h.hooks;
  h.hooks.on_pkt_send = [](std::uint64_t, BYTE** packet, DWORD* size) {
    *packet = replacement.data();
    *size = static_cast<DWORD>(replacement.size());
    hooks->guarded_faults = true;  // reading it back will fault
  };
  const auto handled = h.send(msg::discover(1, 0x1001));
  EXPECT_EQ(handled.sequence(), kAnswered);
  EXPECT_FALSE(handled.response);
  EXPECT_FALSE(handled.outcome.responded);
  ASSERT_EQ(handled.outcome.findings.size(), 1u);
  EXPECT_THAT(handled.outcome.findings[0], HasSubstr("PktSend"));
}

TEST(PacketBuffers, PktSendShorteningTheResponseSendsTheShorterResponse) {
  Harness h;
  h.hooks.on_pkt_send = [](std::uint64_t, BYTE**, DWORD* size) { *size = 250; };
  const auto handled = h.send(msg::discover(1, 0x1001));
  ASSERT_TRUE(handled.response);
  EXPECT_EQ(handled.response->bytes.size(), 250u);
  EXPECT_EQ(handled.response->bytes, Bytes(handled.first(Hook::pkt_send).bytes.begin(),
                                           handled.first(Hook::pkt_send).bytes.begin() + 250));
}

TEST(PacketBuffers, PktSendSettingNullIsAFindingAndTheResponseIsSent) {
  Harness h;
  h.hooks.on_pkt_send = [](std::uint64_t, BYTE** packet, DWORD*) { *packet = nullptr; };
  const auto handled = h.send(msg::discover(1, 0x1001));
  ASSERT_TRUE(handled.response);
  EXPECT_EQ(handled.response->bytes, handled.first(Hook::pkt_send).bytes);
  ASSERT_EQ(handled.outcome.findings.size(), 1u);
  EXPECT_THAT(handled.outcome.findings[0], HasSubstr("PktSend"));
  EXPECT_FALSE(handled.outcome.response_replaced);
}

TEST(PacketBuffers, PktSendWritingPastTheResponseIsAFinding) {
  Harness h;
  h.hooks.on_pkt_send = [](std::uint64_t, BYTE** packet, DWORD* size) { (*packet)[*size] = 0x55; };
  const auto handled = h.send(msg::discover(1, 0x1001));
  ASSERT_EQ(handled.outcome.findings.size(), 1u);
  EXPECT_THAT(handled.outcome.findings[0], HasSubstr("PktSend"));
  EXPECT_THAT(handled.outcome.findings[0], HasSubstr("send"));
}

TEST(PacketBuffers, PktDropReplacingTheRequestIsKeptForProcessed) {
  Harness h;
  static Bytes replacement;
  replacement = msg::discover(9, 0x9999);
  h.hooks.on_pkt_drop = [](std::uint64_t, BYTE** packet, DWORD* size, DWORD code) {
    if (code != DHCP_DROP_PROCESSED) {
      *packet = replacement.data();
      *size = static_cast<DWORD>(replacement.size());
    }
  };
  auto settings = model_settings();
  settings.config.authorized = false;
  Harness unauthorized(settings);
  unauthorized.hooks.on_pkt_drop = h.hooks.on_pkt_drop;
  const auto handled = unauthorized.send(msg::discover(1, 0x1001));
  EXPECT_THAT(handled.sequence(), ElementsAre("NewPkt", "PktDrop(UNAUTH)", "PktDrop(PROCESSED)"));
  EXPECT_EQ(handled.calls.back().packet, replacement.data());
  EXPECT_TRUE(handled.outcome.packet_replaced);
}

}  // namespace
}  // namespace calloutemu::server::testing
