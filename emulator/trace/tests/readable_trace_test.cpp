// The readable form: what --expect compares, one stable line per record.
#include "calloutemu/trace/readable_trace.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "calloutemu/trace/record_builder.h"
#include "trace_samples.h"

namespace calloutemu::trace::testing {
namespace {

using loader::Hook;

std::string hash_of(const Bytes& bytes) {
  return fmt::format("#{:016x}", fnv1a64(bytes));
}

TEST(Readable, HookCallOfARequest) {
  TraceRecordBuilder builder;
  auto call = packet_call(Hook::pkt_drop, DHCP_DROP_DUPLICATE, 3);
  EXPECT_EQ(readable(builder.hook(call.record())),
            "request 3 frame 13: PktDrop(DUPLICATE=1) ip 192.0.2.1 packet 300 bytes " +
                hash_of(call.packet) + " -> 0");
}

TEST(Readable, ControlCallsOfTheSession) {
  TraceRecordBuilder builder;
  EXPECT_EQ(readable(builder.control(control_of(DHCP_CONTROL_START))),
            "session: Control(START=1) -> 0");
  loader::ControlCall stop = control_of(DHCP_CONTROL_STOP);
  stop.fault = loader::Fault{"SIGSEGV at address 0x10", 0, 0};
  EXPECT_EQ(readable(builder.control(stop)),
            "session: Control(STOP=2) -> crashed: SIGSEGV at address 0x10");
}

TEST(Readable, EveryArgumentButTheIdsAndTheDuration) {
  TraceRecordBuilder builder;
  const int context = 0;
  auto offer = packet_call(Hook::address_offer, DHCP_GIVE_ADDRESS_NEW, 2);
  offer.origin->file_index = 1;
  offer.arguments.alt_address = 0xC0000264;
  offer.arguments.address_type = DHCP_CLIENT_DHCP;
  offer.arguments.lease_time = 3600;
  offer.arguments.context = &context;
  offer.arguments.replaced = true;
  offer.packet_after = Bytes{1, 2, 3};
  offer.call.returned = 87;
  offer.call.duration = std::chrono::microseconds(5);
  EXPECT_EQ(readable(builder.hook(offer.record())),
            "request 2 frame 12 file 1: AddressOffer(NEW=0x30000001) ip 192.0.2.1 alt 192.0.2.100 "
            "type DHCP=0x30000004 lease 3600 packet 300 bytes " +
                hash_of(offer.packet) + " after 3 bytes " + hash_of(*offer.packet_after) +
                " replaced -> 87");

  auto dropped = packet_call(Hook::new_pkt, 0, 5);
  dropped.arguments.process_it = FALSE;
  EXPECT_EQ(readable(builder.hook(dropped.record())),
            "request 5 frame 15: NewPkt ip 192.0.2.1 packet 300 bytes " + hash_of(dropped.packet) +
                " ProcessIt FALSE -> 0");

  SampleCall expiry =
      delete_client_call(6, {0x02, 0x00, 0x5e, 0x10, 0xab, 0xff}, DHCP_CLIENT_BOOTP);
  expiry.arguments.ip_address = 0xC0000264;

  EXPECT_EQ(
      readable(builder.hook(expiry.record())),
      "request 6: DeleteClient ip 192.0.2.100 hw 02:00:5e:10:ab:ff client BOOTP=0x30000003 -> 0");
}

TEST(Readable, FaultTextIsKeptOnOneLine) {
  TraceRecordBuilder builder;
  auto call = packet_call(Hook::handle_options, 0, 1);
  call.call.fault = loader::Fault{"C++ exception: line one\nline \xFF two", 0, 0};
  EXPECT_EQ(readable(builder.hook(call.record())),
            "request 1 frame 11: HandleOptions packet 300 bytes " + hash_of(call.packet) +
                " -> crashed: C++ exception: line one\\x0aline \xEF\xBF\xBD two");
}

TEST(Readable, LoadAndFindingRecords) {
  TraceRecordBuilder builder;
  EXPECT_EQ(
      readable(builder.load(load_attempt("Alpha.so", loader::AttemptOutcome::entry_failed,
                                         "returned 50 (0x00000032)", {"mid.so", "zeta.so"}, 50))),
      "load Alpha.so: entry failed (returned 50 (0x00000032)), entry returned 50, "
      "ChainDlls [mid.so, zeta.so]");
  EXPECT_EQ(readable(builder.load(load_attempt("zeta.so", loader::AttemptOutcome::loaded))),
            "load zeta.so: loaded, ChainDlls []");
  EXPECT_EQ(readable(builder.finding(4, "PktSend wrote past the buffer")),
            "request 4: finding: PktSend wrote past the buffer");
}

TEST(Readable, IgnoresSequenceDurationAndPointerIds) {
  TraceRecordBuilder first;
  TraceRecordBuilder second;
  const int contexts[2] = {};
  (void)second.control(control_of(DHCP_CONTROL_START));
  auto other = packet_call(Hook::pkt_send, DHCP_SEND_PACKET, 9);
  other.arguments.context = &contexts[1];
  (void)second.hook(other.record());

  auto call = packet_call(Hook::pkt_send, DHCP_SEND_PACKET, 1);
  call.arguments.context = &contexts[0];
  const std::string line = readable(first.hook(call.record()));
  call.call.duration = std::chrono::milliseconds(3);
  call.arguments.reserved = &contexts[1];
  const TraceRecord& later = second.hook(call.record());
  EXPECT_EQ(later.hook.sequence, 3u);
  EXPECT_EQ(later.hook.context, 2u);
  EXPECT_EQ(readable(later), line);
  call.arguments.context = nullptr;
  EXPECT_EQ(readable(second.hook(call.record())), line) << "NULL or not, the context is left out";
}

TEST(Readable, WritesOverTheGivenString) {
  TraceRecordBuilder builder;
  std::string out = "old contents";
  readable(builder.finding(1, "x"), out);
  EXPECT_EQ(out, "request 1: finding: x");
}

}  // namespace
}  // namespace calloutemu::trace::testing
