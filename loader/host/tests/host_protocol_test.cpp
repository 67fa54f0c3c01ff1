// A host that breaks the protocol is a fault of the call it answers, never a
// crash or an out-of-bounds read here; the client replaces it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "calloutemu/loader/hosted_chain.h"
#include "host_test_support.h"

namespace calloutemu::loader {
namespace {

using test::OptionsPacket;
using test::ServerBuffer;
using ::testing::StartsWith;

class BrokenHostTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto chain = HostedChain::launch(test::fake_host(GetParam()), trap_, log_.sink());
    ASSERT_TRUE(chain.ok()) << chain.error().message;
    chain_ = std::move(chain).value();
    auto load = chain_->load({"anything.dll"}, {});
    ASSERT_TRUE(load.ok()) << load.error().message;
    ASSERT_TRUE(load->loaded);
  }

  FaultTrap trap_;
  test::LogLines log_;
  std::unique_ptr<HostedChain> chain_;
};

TEST_P(BrokenHostTest, TheCallFailsAndTheServersMemoryIsIntact) {
  OptionsPacket packet;
  const OptionsPacket pristine;
  const DHCP_SERVER_OPTIONS options_before = packet.options;
  BYTE* pointer = packet.buffer.packet;
  DWORD size = packet.buffer.size;
  int reserved = 0;
  void* context = nullptr;
  BOOL process = TRUE;

  HookCall call;
  if (GetParam() == "option_offset") {
    call = chain_->hooks().handle_options(pointer, size, &reserved, context, &packet.options);
  } else if (GetParam() == "final_by_value") {
    call = chain_->hooks().address_del(pointer, size, DHCP_PROB_NACKED, 1, 2, &reserved, context);
  } else {
    call = chain_->hooks().new_pkt(&pointer, &size, 1, &reserved, &context, &process);
  }
  EXPECT_TRUE(call.called);
  ASSERT_TRUE(call.fault.has_value());
  const std::string expected = GetParam() == "exit" ? "the callout host died: exited with status 1"
                                                    : "the callout host broke the protocol: ";
  EXPECT_THAT(call.fault->description, StartsWith(expected));
  EXPECT_EQ(chain_->restarts(), 1u);

  // Nothing of the bad reply reached the server's memory.
  EXPECT_EQ(pointer, packet.buffer.packet);
  EXPECT_EQ(size, packet.buffer.size);
  EXPECT_EQ(packet.buffer.bytes, pristine.buffer.bytes);
  EXPECT_EQ(packet.options.MessageType, options_before.MessageType);
  EXPECT_EQ(packet.options.MachineName, options_before.MachineName);
  EXPECT_EQ(context, nullptr);
}

INSTANTIATE_TEST_SUITE_P(Modes, BrokenHostTest,
                         ::testing::Values("reply_length", "status", "truncated", "change_range",
                                           "copy_length", "final_by_value", "option_offset",
                                           "stray_byte", "exit"));

TEST(BrokenHostLoadTest, EndlessAttemptsAreAProtocolError) {
  FaultTrap trap;
  auto chain = HostedChain::launch(test::fake_host("attempts"), trap);
  ASSERT_TRUE(chain.ok()) << chain.error().message;
  std::size_t attempts = 0;
  auto load = (*chain)->load({"a.dll", "b.dll"}, [&](const LoadAttempt&) { ++attempts; });
  ASSERT_FALSE(load.ok());
  EXPECT_THAT(load.error().message, StartsWith("the callout host broke the protocol"));
  EXPECT_EQ(attempts, 2u);
  // The host is gone; calls say so.
  const auto call = (*chain)->hooks().control(DHCP_CONTROL_PAUSE);
  EXPECT_FALSE(call.called);  // nothing was loaded: no hook is set
  EXPECT_FALSE((*chain)->read_registry().ok());
}

}  // namespace
}  // namespace calloutemu::loader
