// What a trace record holds for each hook call the server reports.
#include "calloutemu/trace/record_builder.h"

#include <gtest/gtest.h>

#include <array>

#include "trace_samples.h"

namespace calloutemu::trace::testing {
namespace {

using loader::Hook;

TEST(RecordBuilder, NumbersHookRecordsFromOneAcrossControlCallsAndHooks) {
  TraceRecordBuilder builder;
  EXPECT_EQ(builder.header(sample_header()).type, RecordType::header);
  EXPECT_EQ(builder.control(control_of(DHCP_CONTROL_START)).hook.sequence, 1u);
  auto call = packet_call(Hook::new_pkt, 0, 1);
  EXPECT_EQ(builder.hook(call.record()).hook.sequence, 2u);
  EXPECT_EQ(builder.finding(1, "x").type, RecordType::finding);
  EXPECT_EQ(builder.load(loader::LoadAttempt{}).type, RecordType::load);
  EXPECT_EQ(builder.control(control_of(DHCP_CONTROL_STOP)).hook.sequence, 3u)
      << "only hook records are numbered";
}

TEST(RecordBuilder, ControlCallsAreControlHookRecordsOutsideRequests) {
  TraceRecordBuilder builder;
  loader::ControlCall stop = control_of(DHCP_CONTROL_STOP);
  stop.returned = 5;
  stop.fault = loader::Fault{"SIGSEGV (address not mapped) at address 0x10", 0, 0};
  const HookCallRecord& hook = builder.control(stop).hook;
  EXPECT_EQ(hook.hook, Hook::control);
  EXPECT_EQ(hook.request, 0u);
  EXPECT_FALSE(hook.origin);
  EXPECT_EQ(hook.code, DHCP_CONTROL_STOP);
  EXPECT_EQ(hook.returned, 5u);
  EXPECT_EQ(hook.fault, "SIGSEGV (address not mapped) at address 0x10");
  EXPECT_FALSE(hook.ip_address);
  EXPECT_FALSE(hook.packet);
  EXPECT_FALSE(hook.reserved);
}

TEST(RecordBuilder, IdsAreNumberedByFirstAppearanceOfEachPointer) {
  const std::array<int, 3> contexts{};
  const std::array<int, 2> slots{};
  TraceRecordBuilder builder;
  const std::array<std::pair<const void*, const void*>, 5> calls{{
      {&slots[1], &contexts[2]},
      {&slots[0], &contexts[0]},
      {&slots[1], nullptr},
      {&slots[0], &contexts[2]},
      {&slots[1], &contexts[1]},
  }};
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ids;
  for (const auto& [reserved, context] : calls) {
    auto call = packet_call(Hook::pkt_drop, DHCP_DROP_PROCESSED, 1);
    call.arguments.reserved = reserved;
    call.arguments.context = context;
    const HookCallRecord& hook = builder.hook(call.record()).hook;
    ids.emplace_back(hook.reserved.value(), hook.context.value());
  }
  const std::vector<std::pair<std::uint64_t, std::uint64_t>> expected{
      {1, 1}, {2, 2}, {1, 0}, {2, 1}, {1, 3}};
  EXPECT_EQ(ids, expected) << "a NULL context is 0 and takes no number";
}

TEST(RecordBuilder, PacketAfterOnlyWhenTheHookChangedOrReplacedThePacket) {
  TraceRecordBuilder builder;
  auto untouched = packet_call(Hook::new_pkt, 0, 1);
  const HookCallRecord& same = builder.hook(untouched.record()).hook;
  EXPECT_EQ(same.packet, digest(untouched.packet));
  EXPECT_FALSE(same.packet_after);
  EXPECT_EQ(same.replaced, false);

  auto changed = packet_call(Hook::new_pkt, 0, 1);
  changed.packet_after = changed.packet;
  changed.packet_after->at(299) ^= 1;
  const HookCallRecord& byte = builder.hook(changed.record()).hook;
  EXPECT_EQ(byte.packet_after, digest(*changed.packet_after));
  EXPECT_NE(byte.packet_after->hash, byte.packet->hash);

  auto shorter = packet_call(Hook::pkt_drop, DHCP_DROP_PROCESSED, 1);
  shorter.packet_after = Bytes(shorter.packet.begin(), shorter.packet.end() - 1);
  EXPECT_EQ(builder.hook(shorter.record()).hook.packet_after,
            (PacketDigest{299, fnv1a64(*shorter.packet_after)}));

  auto replaced = packet_call(Hook::pkt_send, DHCP_SEND_PACKET, 1);
  replaced.arguments.replaced = true;
  const HookCallRecord& same_bytes = builder.hook(replaced.record()).hook;
  EXPECT_EQ(same_bytes.packet_after, same_bytes.packet) << "replaced by a copy: still shown";
  EXPECT_EQ(same_bytes.replaced, true);

  const HookCallRecord& again = builder.hook(untouched.record()).hook;
  EXPECT_FALSE(again.packet_after) << "the reused record forgets the previous call";
}

TEST(RecordBuilder, HashesEveryPacketAfreshWhateverItHashedBefore) {
  TraceRecordBuilder builder;
  const std::vector<Bytes> packets{Bytes(300, 1), Bytes(300, 2), Bytes(300, 1), Bytes(299, 1),
                                   Bytes(300, 3), Bytes(300, 2), Bytes{}};
  for (const Bytes& packet : packets) {
    auto call = packet_call(Hook::pkt_drop, DHCP_DROP_PROCESSED, 1);
    call.packet = packet;
    call.packet_after = Bytes(300, 2);
    const HookCallRecord& hook = builder.hook(call.record()).hook;
    EXPECT_EQ(hook.packet, digest(packet));
    if (packet == Bytes(300, 2)) {
      EXPECT_FALSE(hook.packet_after);
    } else {
      EXPECT_EQ(hook.packet_after, digest(Bytes(300, 2)));
    }
  }
}

TEST(RecordBuilder, KeepsEachHooksOwnArguments) {
  TraceRecordBuilder builder;
  auto offer = packet_call(Hook::address_offer, DHCP_GIVE_ADDRESS_NEW, 4);
  offer.arguments.alt_address = 0xC0000264;
  offer.arguments.address_type = DHCP_CLIENT_DHCP;
  offer.arguments.lease_time = 3600;
  const HookCallRecord& hook = builder.hook(offer.record()).hook;
  EXPECT_EQ(hook.request, 4u);
  EXPECT_EQ(hook.origin->frame, 14u);
  EXPECT_EQ(hook.code, DHCP_GIVE_ADDRESS_NEW);
  EXPECT_EQ(hook.ip_address, 0xC0000201u);
  EXPECT_EQ(hook.alt_address, 0xC0000264u);
  EXPECT_EQ(hook.address_type, DHCP_CLIENT_DHCP);
  EXPECT_EQ(hook.lease_time, 3600u);
  EXPECT_FALSE(hook.process_it);
  EXPECT_FALSE(hook.hw_address);

  auto options = packet_call(Hook::handle_options, 0, 4);
  const HookCallRecord& handle = builder.hook(options.record()).hook;
  EXPECT_FALSE(handle.code) << "HandleOptions has no code";
  EXPECT_FALSE(handle.ip_address) << "nor an IpAddress";
  EXPECT_FALSE(handle.alt_address);
  EXPECT_TRUE(handle.packet);

  auto dropped = packet_call(Hook::new_pkt, 0, 5);
  dropped.arguments.process_it = FALSE;
  EXPECT_EQ(builder.hook(dropped.record()).hook.process_it, false);

  SampleCall expiry =
      delete_client_call(6, {0x02, 0x00, 0x5e, 0x10, 0xab, 0xff}, DHCP_CLIENT_BOOTP);
  expiry.arguments.ip_address = 0xC0000264;

  const HookCallRecord& deleted = builder.hook(expiry.record()).hook;
  EXPECT_EQ(deleted.hw_address, expiry.hw_address);
  EXPECT_EQ(deleted.client_type, DHCP_CLIENT_BOOTP);
  EXPECT_EQ(deleted.ip_address, 0xC0000264u);
  EXPECT_FALSE(deleted.packet) << "DeleteClient gets no packet";
  EXPECT_FALSE(deleted.reserved);
  EXPECT_FALSE(deleted.context);
  EXPECT_FALSE(deleted.origin);
}

TEST(RecordBuilder, ACallWithoutArgumentsKeepsWhatTheRecordItselfSays) {
  TraceRecordBuilder builder;
  auto call = packet_call(Hook::pkt_drop, DHCP_DROP_DUPLICATE, 2);
  call.with_arguments = false;
  call.call.returned = 7;
  call.call.duration = std::chrono::nanoseconds(-5);
  const HookCallRecord& hook = builder.hook(call.record()).hook;
  EXPECT_EQ(hook.code, DHCP_DROP_DUPLICATE);
  EXPECT_EQ(hook.returned, 7u);
  EXPECT_EQ(hook.duration, std::chrono::nanoseconds(0)) << "a negative duration is 0";
  EXPECT_FALSE(hook.ip_address);
  EXPECT_FALSE(hook.packet);
  EXPECT_FALSE(hook.reserved);
}

TEST(RecordBuilder, LoadEventsCopyTheAttempt) {
  TraceRecordBuilder builder;
  const loader::LoadAttempt attempt =
      load_attempt("Alpha.so", loader::AttemptOutcome::entry_failed, "returned 50 (0x00000032)",
                   {"mid.so", "zeta.so"}, 50);
  const LoadEvent& load = builder.load(attempt).load;
  EXPECT_EQ(load.dll, "Alpha.so");
  EXPECT_EQ(load.outcome, "entry failed");
  EXPECT_EQ(load.reason, "returned 50 (0x00000032)");
  EXPECT_EQ(load.chain_dlls, attempt.chain_dlls);
  EXPECT_EQ(load.entry_result, 50u);
}

TEST(Fnv1a64, MatchesTheReferenceValues) {
  EXPECT_EQ(fnv1a64({}), 0xcbf29ce484222325u);
  const std::array<std::uint8_t, 1> a{'a'};
  EXPECT_EQ(fnv1a64(a), 0xaf63dc4c8601ec8cu);
  const std::array<std::uint8_t, 6> foobar{'f', 'o', 'o', 'b', 'a', 'r'};
  EXPECT_EQ(fnv1a64(foobar), 0x85944171f73967e8u);
}

}  // namespace
}  // namespace calloutemu::trace::testing
