// A host with several lanes: hook calls from several threads run in the host
// at once, each packet's state stays its own whichever lane carries its
// hooks, and a crash fails the calls in flight with it before one new host
// takes over.
#include <sys/types.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "calloutemu/loader/hosted_chain.h"
#include "host_test_support.h"

namespace calloutemu::loader {
namespace {

using test::ServerBuffer;
using ::testing::HasSubstr;

constexpr DWORD kIp = 0xC0000201;
constexpr DWORD kMeetAnotherCall = 0x97;  // test_callout.c: 1 when two calls meet
constexpr DWORD kSleepTwoSeconds = 0x98;
constexpr DWORD kProcessId = 0x99;

class HostLanesTest : public ::testing::Test {
 protected:
  void launch(std::size_t lanes) {
    HostCommand command = test::native_host();
    command.lanes = lanes;
    auto chain = HostedChain::launch(std::move(command), trap_, [this](std::string_view line) {
      std::lock_guard guard(log_lock_);
      log_.emplace_back(line);
    });
    ASSERT_TRUE(chain.ok()) << chain.error().message;
    chain_ = std::move(chain).value();
    auto load = chain_->load({test::test_callout_path()}, {});
    ASSERT_TRUE(load.ok() && load->loaded);
  }
  CalloutHooks& hooks() { return chain_->hooks(); }

  FaultTrap trap_;
  std::mutex log_lock_;
  std::vector<std::string> log_;
  std::unique_ptr<HostedChain> chain_;
};

TEST_F(HostLanesTest, CallsFromTwoThreadsRunInTheHostAtOnce) {
  launch(2);
  HookCall first;
  std::thread other([&] { first = hooks().control(kMeetAnotherCall); });
  const HookCall second = hooks().control(kMeetAnotherCall);
  other.join();
  ASSERT_FALSE(first.fault.has_value()) << first.fault->description;
  ASSERT_FALSE(second.fault.has_value()) << second.fault->description;
  EXPECT_EQ(first.returned, 1u) << "the first call did not meet the second in the host";
  EXPECT_EQ(second.returned, 1u);
}

// Four threads, each with its own packets, half of them replaced by the
// callout in NewPkt (a buffer of the host's, shown here as a local copy).
// AddressOffer returns 7 when the context, Reserved and packet it gets are
// those NewPkt saw or left, whichever lane carried each call.
TEST_F(HostLanesTest, EachPacketKeepsItsStateWhicheverLaneCarriesItsHooks) {
  launch(4);
  constexpr std::size_t kThreads = 4;
  constexpr int kPackets = 150;
  std::vector<std::string> problems(kThreads);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      int reserved = 0;  // this thread's packets take turns on one Reserved
      for (int i = 0; i < kPackets && problems[t].empty(); ++i) {
        const bool replaced = i % 2 == 1;
        ServerBuffer buffer(std::string(replaced ? "R" : "A") +
                            std::to_string(t * 1000 + static_cast<std::size_t>(i)));
        BYTE* packet = buffer.packet;
        DWORD size = buffer.size;
        void* context = nullptr;
        BOOL process = TRUE;
        const auto fail = [&](const std::string& what) {
          problems[t] =
              "thread " + std::to_string(t) + ", packet " + std::to_string(i) + ": " + what;
        };
        auto call = hooks().new_pkt(&packet, &size, kIp, &reserved, &context, &process);
        if (call.fault) {
          return fail("NewPkt: " + call.fault->description);
        }
        if (replaced != (packet != buffer.packet) ||
            (replaced && std::memcmp(packet, "REPLACED", 8) != 0)) {
          return fail("NewPkt left the wrong packet");
        }
        call = hooks().address_offer(packet, size, DHCP_GIVE_ADDRESS_NEW, kIp, 1, DHCP_CLIENT_DHCP,
                                     60, &reserved, context);
        if (call.fault || call.returned != 7u) {
          return fail("AddressOffer returned " + std::to_string(call.returned));
        }
        call = hooks().pkt_drop(&packet, &size, DHCP_DROP_PROCESSED, kIp, &reserved, context);
        if (call.fault) {
          return fail("Drop: " + call.fault->description);
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  for (const auto& problem : problems) {
    EXPECT_EQ(problem, "");
  }
  EXPECT_EQ(chain_->restarts(), 0u);
  EXPECT_FALSE(chain_->stop_and_unload().fault.has_value());
}

TEST_F(HostLanesTest, ACrashFailsTheCallsInFlightAndOneNewHostTakesOver) {
  launch(2);
  const auto first_pid = static_cast<pid_t>(hooks().control(kProcessId).returned);
  HookCall sleeping;
  std::thread other([&] { sleeping = hooks().control(kSleepTwoSeconds); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the sleep is under way

  ServerBuffer buffer("X");  // NewPkt faults
  BYTE* packet = buffer.packet;
  DWORD size = buffer.size;
  void* context = nullptr;
  BOOL process = TRUE;
  int reserved = 0;
  const auto crashed = hooks().new_pkt(&packet, &size, kIp, &reserved, &context, &process);
  other.join();

  ASSERT_TRUE(crashed.fault.has_value());
  EXPECT_THAT(crashed.fault->description, HasSubstr("(in the callout host)"));
  ASSERT_TRUE(sleeping.fault.has_value()) << "the sleeping call outlived its host";
  EXPECT_THAT(sleeping.fault->description, HasSubstr("the callout host"));
  EXPECT_EQ(chain_->restarts(), 1u);
  const auto second_pid = static_cast<pid_t>(hooks().control(kProcessId).returned);
  EXPECT_GT(second_pid, 0);
  EXPECT_NE(second_pid, first_pid);
}

TEST(HostLanesLimitTest, ANumberOfLanesOutOfRangeIsAnError) {
  FaultTrap trap;
  for (std::size_t lanes : {std::size_t{0}, std::size_t{129}}) {
    HostCommand command = test::native_host();
    command.lanes = lanes;
    auto chain = HostedChain::launch(std::move(command), trap);
    ASSERT_FALSE(chain.ok());
    EXPECT_THAT(chain.error().message, HasSubstr("1 to 128 calls at once"));
  }
}

}  // namespace
}  // namespace calloutemu::loader
