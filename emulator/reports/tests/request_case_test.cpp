#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "calloutemu/reports/junit_writer.h"
#include "packet_maker.h"

namespace calloutemu::reports {
namespace {

using dhcp::MessageType;
using dhcp::testing::PacketMaker;

struct Fixture {
  std::vector<std::uint8_t> bytes;
  server::Request request;
  server::RequestOutcome outcome;

  explicit Fixture(std::vector<std::uint8_t> payload) : bytes(std::move(payload)) {
    request.number = 7;
    request.origin.frame_number = 12;
    request.payload = bytes;
    outcome.number = 7;
    outcome.origin = request.origin;
    outcome.request = &request;
  }
};

std::vector<std::uint8_t> discover() {
  return PacketMaker().option(53, {1}).end().bytes();
}

TEST(RequestCase, NamesFrameClientAndType) {
  Fixture f(discover());
  f.outcome.message_type = MessageType::discover;
  const JunitCase test_case = request_case(f.outcome, "captures/dora.pcap", {"NewPkt -> 0"});
  EXPECT_EQ(test_case.name, "frame 12 02:00:5e:10:20:30 DISCOVER");
  EXPECT_EQ(test_case.classname, "calloutemu.dora.pcap");
  EXPECT_EQ(test_case.output, std::vector<std::string>{"NewPkt -> 0"});
  EXPECT_FALSE(test_case.failure);
  EXPECT_EQ(test_case.time, 0);
}

TEST(RequestCase, TypeAsTheServerReadIt) {
  Fixture f(discover());  // HandleOptions may have changed what the server saw
  f.outcome.message_type = MessageType::request;
  EXPECT_EQ(request_case(f.outcome, "a.pcap", {}).name, "frame 12 02:00:5e:10:20:30 REQUEST");
  f.outcome.message_type = static_cast<MessageType>(42);
  EXPECT_EQ(request_case(f.outcome, "a.pcap", {}).name, "frame 12 02:00:5e:10:20:30 type 42");
}

TEST(RequestCase, TypeFromTheCaptureWhenTheServerNeverReadIt) {
  Fixture f(PacketMaker().option(53, {7}).end().bytes());  // dropped in NewPkt, say
  f.outcome.dropped_by_callout = true;
  EXPECT_EQ(request_case(f.outcome, "a.pcap", {}).name, "frame 12 02:00:5e:10:20:30 RELEASE");
}

TEST(RequestCase, Bootp) {
  Fixture f(PacketMaker().end().bytes());
  f.outcome.bootp = true;
  EXPECT_EQ(request_case(f.outcome, "a.pcap", {}).name, "frame 12 02:00:5e:10:20:30 BOOTP");
  f.outcome.bootp = false;  // not read by the server, but the capture says BOOTP
  EXPECT_EQ(request_case(f.outcome, "a.pcap", {}).name, "frame 12 02:00:5e:10:20:30 BOOTP");
}

TEST(RequestCase, Unreadable) {
  Fixture short_datagram(std::vector<std::uint8_t>(30, 0));  // chaddr cut off
  short_datagram.bytes[2] = 6;
  EXPECT_EQ(request_case(short_datagram.outcome, "a.pcap", {}).name, "frame 12 unknown unreadable");

  Fixture two_byte_type(PacketMaker().option(53, {1, 2}).end().bytes());
  EXPECT_EQ(request_case(two_byte_type.outcome, "a.pcap", {}).name,
            "frame 12 02:00:5e:10:20:30 unreadable");

  server::RequestOutcome no_request;
  no_request.origin.frame_number = 3;
  EXPECT_EQ(request_case(no_request, "a.pcap", {}).name, "frame 3 unknown unreadable");
}

TEST(RequestCase, ClientAddressLength) {
  Fixture long_hlen(PacketMaker().hlen(16).option(53, {1}).end().bytes());
  EXPECT_EQ(request_case(long_hlen.outcome, "a.pcap", {}).name,
            "frame 12 02:00:5e:10:20:30:00:00:00:00:00:00:00:00:00:00 DISCOVER");
  Fixture huge_hlen(PacketMaker().hlen(200).option(53, {1}).end().bytes());
  EXPECT_EQ(request_case(huge_hlen.outcome, "a.pcap", {}).name,
            "frame 12 02:00:5e:10:20:30:00:00:00:00:00:00:00:00:00:00 DISCOVER");
  Fixture no_hlen(PacketMaker().hlen(0).option(53, {1}).end().bytes());
  EXPECT_EQ(request_case(no_hlen.outcome, "a.pcap", {}).name, "frame 12 unknown DISCOVER");
}

TEST(RequestCase, ClassnameUsesTheFileNameOnly) {
  Fixture f(discover());
  EXPECT_EQ(request_case(f.outcome, "dora.pcap", {}).classname, "calloutemu.dora.pcap");
  EXPECT_EQ(request_case(f.outcome, "/a/b/c.pcapng", {}).classname, "calloutemu.c.pcapng");
  EXPECT_EQ(request_case(f.outcome, "C:\\traces\\x.pcap", {}).classname, "calloutemu.x.pcap");
}

TEST(RequestCase, FaultsFail) {
  Fixture f(discover());
  f.outcome.message_type = MessageType::discover;
  f.outcome.faults = 2;
  const JunitCase test_case = request_case(
      f.outcome, "dora.pcap",
      {"NewPkt -> 0", "HandleOptions -> crashed: SIGSEGV at address 0x10",
       "PktSend(SEND_PACKET) -> crashed: C++ exception: boom", "PktDrop(PROCESSED) -> 0"});
  ASSERT_TRUE(test_case.failure);
  EXPECT_EQ(test_case.failure->type, "hook fault");
  EXPECT_EQ(test_case.failure->message, "request 7: 2 hook faults");
  EXPECT_EQ(test_case.failure->details,
            "HandleOptions -> crashed: SIGSEGV at address 0x10\n"
            "PktSend(SEND_PACKET) -> crashed: C++ exception: boom");
  EXPECT_EQ(test_case.output.size(), 4U);
}

TEST(RequestCase, FindingsFollowTheHooks) {
  Fixture f(discover());
  f.outcome.findings = {"NewPkt wrote 4 bytes past PacketSize"};
  const JunitCase test_case = request_case(f.outcome, "dora.pcap", {"NewPkt -> 0"});
  EXPECT_EQ(test_case.output, (std::vector<std::string>{
                                  "NewPkt -> 0", "finding: NewPkt wrote 4 bytes past PacketSize"}));
  EXPECT_FALSE(test_case.failure);
}

}  // namespace
}  // namespace calloutemu::reports
