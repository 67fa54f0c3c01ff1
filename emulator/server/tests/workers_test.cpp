// --workers: the worker-stage hooks of different requests run on several
// threads at once, each request's hooks stay in order, and the observer sees
// exactly what one worker gives it, in request order, one call at a time.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <tuple>

#include "server_harness.h"

namespace calloutemu::server::testing {
namespace {

using loader::Hook;
using loader::HookCall;

// A chain whose every hook sleeps a random while, noting which packet it was
// called for (NewPkt numbers them in PktContext) and how many calls were
// under way at once.
class SleepyHooks final : public loader::CalloutHooks {
 public:
  bool has(Hook) const override { return true; }
  HookCall control(DWORD code) override { return call(Hook::control, code, nullptr); }
  HookCall new_pkt(BYTE**, DWORD*, DWORD, void*, void** context, BOOL*) override {
    {
      std::lock_guard guard(lock_);
      ++packets_;
      *context = reinterpret_cast<void*>(packets_);
    }
    return call(Hook::new_pkt, 0, *context);
  }
  HookCall pkt_drop(BYTE**, DWORD*, DWORD code, DWORD, void*, void* context) override {
    return call(Hook::pkt_drop, code, context);
  }
  HookCall pkt_send(BYTE**, DWORD*, DWORD code, DWORD, void*, void* context) override {
    return call(Hook::pkt_send, code, context);
  }
  HookCall address_del(BYTE*, DWORD, DWORD code, DWORD, DWORD, void*, void* context) override {
    return call(Hook::address_del, code, context);
  }
  HookCall address_offer(BYTE*, DWORD, DWORD code, DWORD, DWORD, DWORD, DWORD, void*,
                         void* context) override {
    return call(Hook::address_offer, code, context);
  }
  HookCall handle_options(BYTE*, DWORD, void*, void* context, DHCP_SERVER_OPTIONS*) override {
    return call(Hook::handle_options, 0, context);
  }
  HookCall delete_client(DWORD, BYTE*, ULONG, DWORD, DWORD) override {
    return call(Hook::delete_client, 0, nullptr);
  }
  std::optional<loader::Fault> guarded(void (*fn)(void*), void* context) override {
    fn(context);
    return std::nullopt;
  }
  using CalloutHooks::guarded;

  // The calls for each packet, in the order they were made; 0: Control and
  // DeleteClient.
  std::map<std::uintptr_t, std::vector<std::pair<Hook, DWORD>>> by_packet;
  int most_at_once = 0;

 private:
  HookCall call(Hook hook, DWORD code, void* context) {
    const int now = ++under_way_;
    std::chrono::microseconds pause;
    {
      std::lock_guard guard(lock_);
      most_at_once = std::max(most_at_once, now);
      by_packet[reinterpret_cast<std::uintptr_t>(context)].emplace_back(hook, code);
      pause = std::chrono::microseconds(std::uniform_int_distribution<int>(0, 300)(random_));
    }
    std::this_thread::sleep_for(pause);
    --under_way_;
    HookCall result;
    result.called = true;
    return result;
  }

  std::mutex lock_;
  std::mt19937 random_{std::random_device{}()};
  std::atomic<int> under_way_ = 0;
  std::uintptr_t packets_ = 0;
};

// Records, and notes any call made while another is still in progress.
class CheckedObserver final : public ServerObserver {
 public:
  bool wants_arguments() const override { return true; }
  void hook_called(const HookRecord& record) override {
    Enter enter(*this);
    ASSERT_NE(record.call, nullptr);
    ASSERT_NE(record.arguments, nullptr);
    ASSERT_TRUE(record.request == 0 || record.origin != nullptr);
    hooks.emplace_back(record.hook, record.code, record.request,
                       record.origin != nullptr ? record.origin->frame_number : 0,
                       Bytes(record.arguments->packet.begin(), record.arguments->packet.end()));
  }
  void response_sent(const RequestOutcome& outcome, std::span<const std::uint8_t> bytes) override {
    Enter enter(*this);
    responses.emplace_back(outcome.number, Bytes(bytes.begin(), bytes.end()));
  }
  void request_finished(const RequestOutcome& outcome) override {
    Enter enter(*this);
    ASSERT_NE(outcome.request, nullptr);
    EXPECT_EQ(outcome.request->number, outcome.number);
    outcomes.emplace_back(outcome.number, outcome.drop_reasons, outcome.responded,
                          outcome.response_type, outcome.findings,
                          Bytes(outcome.request->payload.begin(), outcome.request->payload.end()));
  }
  void note(std::string_view text) override {
    Enter enter(*this);
    notes.emplace_back(text);
  }

  std::vector<std::tuple<Hook, DWORD, std::uint64_t, std::uint64_t, Bytes>> hooks;
  std::vector<std::pair<std::uint64_t, Bytes>> responses;
  std::vector<std::tuple<std::uint64_t, std::vector<DWORD>, bool, std::optional<dhcp::MessageType>,
                         std::vector<std::string>, Bytes>>
      outcomes;
  std::vector<std::string> notes;
  std::atomic<bool> overlapped = false;

 private:
  struct Enter {
    explicit Enter(CheckedObserver& observer) : observer_(observer) {
      if (observer_.inside_.exchange(true)) {
        observer_.overlapped = true;
      }
    }
    ~Enter() { observer_.inside_ = false; }
    CheckedObserver& observer_;
  };
  std::atomic<bool> inside_ = false;
};

// A mixed run: leases, renewals, duplicates, DECLINE, RELEASE, INFORM,
// PAUSE/CONTINUE, an injection and a deleted client, 40 clients.
std::vector<Bytes> mixed_requests() {
  std::vector<Bytes> requests;
  for (std::uint8_t client = 1; client <= 40; ++client) {
    const std::uint32_t xid = 0x1000u + client;
    requests.push_back(msg::discover(client, xid));
    if (client % 7 == 0) {
      requests.push_back(msg::discover(client, xid));  // a duplicate
    }
    requests.push_back(msg::request_init_reboot(client, xid + 0x100, net(100 + client)));
    if (client % 5 == 0) {
      requests.push_back(msg::request_renewing(client, xid + 0x200, net(100 + client)));
    }
    if (client % 9 == 0) {
      requests.push_back(msg::decline(client, xid + 0x300, net(100 + client)));
    }
    if (client % 6 == 0) {
      requests.push_back(msg::release(client, xid + 0x400, net(100 + client)));
    }
    if (client % 4 == 0) {
      requests.push_back(msg::inform(client, xid + 0x500, net(50 + client)));
    }
  }
  return requests;
}

struct ReplayRun {
  CheckedObserver observer;
  SleepyHooks hooks;
  std::size_t leases = 0;
};

void replay(unsigned workers, ReplayRun& run) {
  auto settings = model_settings();
  settings.workers = workers;
  settings.pause_at = {30};
  settings.continue_at = {33};
  settings.injections = {Injection{DHCP_DROP_GEN_FAILURE, 12}};
  settings.deletes = {AdminDelete{{0x02, 0x00, 0x5e, 0x00, 0x00, 3}, 50}};
  DhcpServer server(settings, run.hooks, run.observer);
  const auto requests = mixed_requests();
  std::uint64_t number = 0;
  double seconds = 0;
  for (const auto& bytes : requests) {
    // The caller's request goes as process() returns: the server keeps a copy.
    auto payload = std::make_unique<Bytes>(bytes);
    Request request;
    request.number = ++number;
    seconds += 0.25;
    request.origin.time = at(seconds);
    request.origin.frame_number = number;
    request.destination_address = kBroadcast;
    request.payload = *payload;
    server.process(request, nullptr);
    payload->assign(payload->size(), 0xEE);
  }
  server.finish(number + 5);
  run.leases = server.lease_count();
}

TEST(Workers, GiveTheObserverWhatOneWorkerGivesIt) {
  ReplayRun one;
  replay(1, one);
  ReplayRun four;
  replay(4, four);

  EXPECT_FALSE(four.observer.overlapped) << "the observer was called from two threads at once";
  ASSERT_GT(one.observer.outcomes.size(), 100u);
  EXPECT_EQ(four.observer.hooks, one.observer.hooks);
  EXPECT_EQ(four.observer.responses, one.observer.responses);
  EXPECT_EQ(four.observer.outcomes, one.observer.outcomes);
  EXPECT_EQ(four.observer.notes, one.observer.notes);
  EXPECT_EQ(four.leases, one.leases);
  // Each packet's own hooks, as the callout saw them, in the same order.
  EXPECT_EQ(four.hooks.by_packet, one.hooks.by_packet);
}

TEST(Workers, RunHooksOfDifferentRequestsAtOnce) {
  ReplayRun one;
  replay(1, one);
  EXPECT_EQ(one.hooks.most_at_once, 1);
  ReplayRun four;
  replay(4, four);
  EXPECT_GT(four.hooks.most_at_once, 1) << "no two hook calls overlapped";
}

TEST(Workers, ReuseNoPacketSlotWhileItsPacketIsInFlight) {
  // Reserved is the slot: a packet's hooks all get the same one, and no other
  // packet gets it between its NewPkt and its PktDrop(PROCESSED).
  class SlotHooks final : public loader::CalloutHooks {
   public:
    bool has(Hook) const override { return true; }
    HookCall control(DWORD) override { return done(); }
    HookCall new_pkt(BYTE**, DWORD*, DWORD, void* reserved, void**, BOOL*) override {
      std::lock_guard guard(lock_);
      if (!held_.insert(reserved).second) {
        reused = true;
      }
      return pause();
    }
    HookCall pkt_drop(BYTE**, DWORD*, DWORD code, DWORD, void* reserved, void*) override {
      if (code == DHCP_DROP_PROCESSED) {
        std::lock_guard guard(lock_);
        held_.erase(reserved);
      }
      return pause();
    }
    HookCall pkt_send(BYTE**, DWORD*, DWORD, DWORD, void*, void*) override { return pause(); }
    HookCall address_del(BYTE*, DWORD, DWORD, DWORD, DWORD, void*, void*) override {
      return done();
    }
    HookCall address_offer(BYTE*, DWORD, DWORD, DWORD, DWORD, DWORD, DWORD, void*, void*) override {
      return pause();
    }
    HookCall handle_options(BYTE*, DWORD, void*, void*, DHCP_SERVER_OPTIONS*) override {
      return pause();
    }
    HookCall delete_client(DWORD, BYTE*, ULONG, DWORD, DWORD) override { return done(); }
    std::optional<loader::Fault> guarded(void (*fn)(void*), void* context) override {
      fn(context);
      return std::nullopt;
    }
    using CalloutHooks::guarded;

    std::atomic<bool> reused = false;

   private:
    static HookCall done() {
      HookCall result;
      result.called = true;
      return result;
    }
    static HookCall pause() {
      std::this_thread::sleep_for(std::chrono::microseconds(50));
      return done();
    }
    std::mutex lock_;
    std::set<void*> held_;
  };

  for (unsigned workers : {2u, 4u, 8u}) {
    SlotHooks hooks;
    RecordingObserver observer;
    auto settings = model_settings();
    settings.workers = workers;
    DhcpServer server(settings, hooks, observer);
    const auto requests = mixed_requests();
    std::uint64_t number = 0;
    for (const auto& bytes : requests) {
      Request request;
      request.number = ++number;
      request.origin.time = at(static_cast<double>(number));
      request.payload = bytes;
      server.process(request, nullptr);
    }
    server.finish(number);
    EXPECT_FALSE(hooks.reused) << workers << " workers";
    EXPECT_EQ(observer.outcomes.size(), requests.size());
  }
}

TEST(Workers, StopTakingRequestsIgnoresWhatComesAfter) {
  SleepyHooks hooks;
  RecordingObserver observer;
  auto settings = model_settings();
  settings.workers = 3;
  DhcpServer server(settings, hooks, observer);
  const auto requests = mixed_requests();
  std::uint64_t number = 0;
  for (const auto& bytes : requests) {
    if (number == 10) {
      server.stop_taking_requests();
    }
    Request request;
    request.number = ++number;
    request.origin.time = at(static_cast<double>(number));
    request.payload = bytes;
    server.process(request, nullptr);
  }
  server.drain();
  ASSERT_EQ(observer.outcomes.size(), 10u);
  EXPECT_EQ(observer.outcomes.back().number, 10u);
}

}  // namespace
}  // namespace calloutemu::server::testing
