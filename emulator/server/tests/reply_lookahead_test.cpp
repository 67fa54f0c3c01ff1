// ReplyLookahead: requests wait for the captured server's reply to them, at
// most the window of capture time, and come out in capture order.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

#include "calloutemu/dhcp/wire_format.h"
#include "calloutemu/server/reply_lookahead.h"
#include "server_harness.h"

namespace calloutemu::server::testing {
namespace {

using dhcp::MessageType;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using Kind = ReplyLookahead::Kind;

constexpr auto kWindow = std::chrono::seconds(2);

CapturedUdp udp(const Bytes& payload, double seconds, std::uint16_t port = kServerPort) {
  CapturedUdp datagram;
  datagram.origin.time = at(seconds);
  datagram.source_address = port == kServerPort ? 0 : kServer;
  datagram.destination_address = port == kServerPort ? kBroadcast : net(100);
  datagram.source_port = port == kServerPort ? 68 : 67;
  datagram.destination_port = port;
  datagram.payload = payload;
  return datagram;
}

CapturedUdp reply_udp(const Bytes& payload, double seconds) {
  auto datagram = udp(payload, seconds, 68);
  return datagram;
}

struct Released {
  std::uint64_t number = 0;
  std::optional<std::uint32_t> reply_yiaddr;  // nullopt: no reply

  friend bool operator==(const Released&, const Released&) = default;
};

void PrintTo(const Released& released, std::ostream* out) {
  *out << "#" << released.number << (released.reply_yiaddr ? " with reply" : " without reply");
}

std::vector<Released> drain(ReplyLookahead& lookahead) {
  std::vector<Released> out;
  while (auto ready = lookahead.front()) {
    Released released;
    released.number = ready->request->number;
    if (ready->reply != nullptr) {
      released.reply_yiaddr = ready->reply->yiaddr;
    }
    out.push_back(released);
    lookahead.pop();
  }
  return out;
}

TEST(ReplyLookahead, AReplyHalfASecondAfterItsRequestIsMatched) {
  ReplyLookahead lookahead(kWindow, true);
  const auto discover = msg::discover(1, 0x1001);
  const auto offer = msg::reply(MessageType::offer, 1, 0x1001, net(120));
  const auto later = msg::discover(2, 0x2001);
  EXPECT_EQ(lookahead.push(udp(discover, 0.0)).kind, Kind::request);
  const auto pushed = lookahead.push(reply_udp(offer, 0.5));
  EXPECT_EQ(pushed.kind, Kind::reply);
  ASSERT_NE(pushed.reply, nullptr);
  EXPECT_EQ(pushed.reply->message_type, MessageType::offer);
  EXPECT_EQ(pushed.reply->payload, offer);
  EXPECT_THAT(drain(lookahead), IsEmpty()) << "the window is not over";
  lookahead.push(udp(later, 2.6));
  EXPECT_THAT(drain(lookahead), ElementsAre(Released{1, net(120)}));
  lookahead.finish();
  EXPECT_THAT(drain(lookahead), ElementsAre(Released{2, std::nullopt}));
  EXPECT_EQ(lookahead.counters().requests, 2u);
  EXPECT_EQ(lookahead.counters().replies, 1u);
  EXPECT_EQ(lookahead.counters().replies_matched, 1u);
  EXPECT_EQ(lookahead.counters().waited_too_long, 0u);
}

TEST(ReplyLookahead, AReplyThreeSecondsAfterItsRequestIsNotMatched) {
  ReplyLookahead lookahead(kWindow, true);
  const auto discover = msg::discover(1, 0x1001);
  const auto other = msg::discover(2, 0x2001);
  const auto offer = msg::reply(MessageType::offer, 1, 0x1001, net(120));
  lookahead.push(udp(discover, 0.0));
  lookahead.push(udp(other, 2.5));
  EXPECT_THAT(drain(lookahead), ElementsAre(Released{1, std::nullopt}));
  lookahead.push(reply_udp(offer, 3.0));
  lookahead.finish();
  EXPECT_THAT(drain(lookahead), ElementsAre(Released{2, std::nullopt}));
  EXPECT_EQ(lookahead.counters().replies_matched, 0u);
}

// Regression (found in review, fixed): whether a late reply was matched
// depended on unrelated traffic. With nothing captured between a request and
// a reply 3 s later, the request was still waiting when the reply came, and
// match() took it although the window had closed.
TEST(ReplyLookahead, AReplyThreeSecondsLaterWithNothingBetweenIsNotMatched) {
  ReplyLookahead lookahead(kWindow, true);
  const auto discover = msg::discover(1, 0x1001);
  const auto offer = msg::reply(MessageType::offer, 1, 0x1001, net(120));
  lookahead.push(udp(discover, 0.0));
  EXPECT_THAT(drain(lookahead), IsEmpty());
  lookahead.push(reply_udp(offer, 3.0));
  lookahead.finish();
  EXPECT_THAT(drain(lookahead), ElementsAre(Released{1, std::nullopt}));
  EXPECT_EQ(lookahead.counters().replies_matched, 0u);
}

TEST(ReplyLookahead, RequestsComeOutInCaptureOrder) {
  ReplyLookahead lookahead(kWindow, true);
  std::vector<Bytes> requests;
  for (std::uint8_t client = 1; client <= 5; ++client) {
    requests.push_back(msg::discover(client, 0x1000u + client));
  }
  for (std::size_t i = 0; i < requests.size(); ++i) {
    lookahead.push(udp(requests[i], 0.1 * static_cast<double>(i)));
  }
  const auto offer = msg::reply(MessageType::offer, 3, 0x1003, net(133));
  lookahead.push(reply_udp(offer, 0.6));
  lookahead.finish();
  EXPECT_THAT(drain(lookahead), ElementsAre(Released{1, std::nullopt}, Released{2, std::nullopt},
                                            Released{3, net(133)}, Released{4, std::nullopt},
                                            Released{5, std::nullopt}));
}

TEST(ReplyLookahead, ModelModeReleasesEachRequestAtOnce) {
  ReplyLookahead lookahead(kWindow, false);
  const auto discover = msg::discover(1, 0x1001);
  const auto offer = msg::reply(MessageType::offer, 1, 0x1001, net(120));
  lookahead.push(udp(discover, 0.0));
  const auto ready = lookahead.front();
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->request->number, 1u);
  EXPECT_EQ(ready->request->payload.size(), discover.size());
  EXPECT_TRUE(std::equal(discover.begin(), discover.end(), ready->request->payload.begin()));
  EXPECT_EQ(ready->reply, nullptr);
  // A reply is still read and reported, but matched to nothing.
  EXPECT_EQ(lookahead.push(reply_udp(offer, 0.5)).kind, Kind::reply);
  EXPECT_EQ(lookahead.front()->reply, nullptr);
  lookahead.pop();
  EXPECT_FALSE(lookahead.front());
  EXPECT_EQ(lookahead.counters().replies, 1u);
  EXPECT_EQ(lookahead.counters().replies_matched, 0u);
}

TEST(ReplyLookahead, ADatagramNotToPort67IsCountedAndIgnored) {
  ReplyLookahead lookahead(kWindow, false);
  const auto discover = msg::discover(1, 0x1001);
  const auto pushed = lookahead.push(udp(discover, 0.0, 1067));
  EXPECT_EQ(pushed.kind, Kind::ignored);
  EXPECT_FALSE(lookahead.front());
  EXPECT_EQ(lookahead.counters().not_to_server, 1u);
  EXPECT_EQ(lookahead.counters().requests, 0u);
}

TEST(ReplyLookahead, APayloadOverTheReceiveBufferIsCountedOversize) {
  ReplyLookahead lookahead(kWindow, false);
  auto big = msg::discover(1, 0x1001);
  big.resize(4097, 0);
  const auto pushed = lookahead.push(udp(big, 0.0));
  EXPECT_EQ(pushed.kind, Kind::oversize);
  EXPECT_FALSE(lookahead.front());
  EXPECT_EQ(lookahead.counters().oversize, 1u);
  EXPECT_EQ(lookahead.counters().requests, 0u);
  // Exactly 4096 bytes fits.
  big.resize(4096);
  EXPECT_EQ(lookahead.push(udp(big, 0.1)).kind, Kind::request);
}

TEST(ReplyLookahead, MaxPendingForcesTheOldestOutAndCountsIt) {
  ReplyLookahead lookahead(kWindow, true, 2);
  std::vector<Bytes> requests;
  for (std::uint8_t client = 1; client <= 3; ++client) {
    requests.push_back(msg::discover(client, 0x1000u + client));
  }
  lookahead.push(udp(requests[0], 0.0));
  lookahead.push(udp(requests[1], 0.0));
  EXPECT_FALSE(lookahead.front());
  lookahead.push(udp(requests[2], 0.0));
  EXPECT_THAT(drain(lookahead), ElementsAre(Released{1, std::nullopt}));
  EXPECT_EQ(lookahead.counters().waited_too_long, 1u);
}

// Regression (found in review, fixed): front() counted waited_too_long each
// time it was called for the same forced request.
TEST(ReplyLookahead, LookingAtTheFrontTwiceCountsAForcedRequestOnce) {
  ReplyLookahead lookahead(kWindow, true, 1);
  const auto first = msg::discover(1, 0x1001);
  const auto second = msg::discover(2, 0x2001);
  lookahead.push(udp(first, 0.0));
  lookahead.push(udp(second, 0.0));
  ASSERT_TRUE(lookahead.front());
  ASSERT_TRUE(lookahead.front());
  lookahead.pop();
  EXPECT_EQ(lookahead.counters().waited_too_long, 1u);
}

TEST(ReplyLookahead, EachReplyGoesToTheRequestItAnswers) {
  ReplyLookahead lookahead(kWindow, true);
  const auto discover = msg::discover(1, 0x1001);
  const auto request = msg::request_selecting(1, 0x1001, net(120));
  const auto offer = msg::reply(MessageType::offer, 1, 0x1001, net(120));
  const auto ack = msg::reply(MessageType::ack, 1, 0x1001, net(121));
  lookahead.push(udp(discover, 0.0));
  lookahead.push(udp(request, 0.1));
  lookahead.push(reply_udp(offer, 0.2));
  lookahead.push(reply_udp(ack, 0.3));
  lookahead.finish();
  EXPECT_THAT(drain(lookahead), ElementsAre(Released{1, net(120)}, Released{2, net(121)}));
  EXPECT_EQ(lookahead.counters().replies_matched, 2u);
}

TEST(ReplyLookahead, RequestsAfterTheFirstReplyAreMatchedToo) {
  ReplyLookahead lookahead(kWindow, true);
  const auto discover1 = msg::discover(1, 0x1001);
  const auto offer1 = msg::reply(MessageType::offer, 1, 0x1001, net(120));
  const auto discover2 = msg::discover(2, 0x2001);
  const auto offer2 = msg::reply(MessageType::offer, 2, 0x2001, net(121));
  lookahead.push(udp(discover1, 0.0));
  lookahead.push(reply_udp(offer1, 0.1));
  lookahead.push(udp(discover2, 0.2));
  lookahead.push(reply_udp(offer2, 0.3));
  lookahead.finish();
  EXPECT_THAT(drain(lookahead), ElementsAre(Released{1, net(120)}, Released{2, net(121)}));
}

TEST(ReplyLookahead, ARequestReleasedBeforeAnyReplyIsNotMatchedLater) {
  ReplyLookahead lookahead(kWindow, true);
  const auto discover = msg::discover(1, 0x1001);
  const auto other = msg::discover(2, 0x2001);
  const auto offer = msg::reply(MessageType::offer, 1, 0x1001, net(120));
  const auto third = msg::discover(3, 0x3001);
  lookahead.push(udp(discover, 0.0));
  lookahead.push(udp(other, 1.9));
  lookahead.push(udp(third, 2.1));
  EXPECT_THAT(drain(lookahead), ElementsAre(Released{1, std::nullopt}));
  lookahead.push(reply_udp(offer, 2.2));  // too late for request 1, which is gone
  lookahead.finish();
  EXPECT_THAT(drain(lookahead), ElementsAre(Released{2, std::nullopt}, Released{3, std::nullopt}));
  EXPECT_EQ(lookahead.counters().replies_matched, 0u);
}

TEST(ReplyLookahead, AReplyAnswersTheLatestRetransmission) {
  ReplyLookahead lookahead(kWindow, true);
  const auto discover = msg::discover(1, 0x1001);
  const auto offer = msg::reply(MessageType::offer, 1, 0x1001, net(120));
  lookahead.push(udp(discover, 0.0));
  lookahead.push(udp(discover, 1.0));
  lookahead.push(reply_udp(offer, 1.1));
  lookahead.finish();
  EXPECT_THAT(drain(lookahead), ElementsAre(Released{1, std::nullopt}, Released{2, net(120)}));
}

TEST(ReplyLookahead, AReplyOfAnotherClientIsNotMatched) {
  ReplyLookahead lookahead(kWindow, true);
  const auto discover = msg::discover(1, 0x1001);
  const auto offer = msg::reply(MessageType::offer, 2, 0x1001, net(120));
  lookahead.push(udp(discover, 0.0));
  lookahead.push(reply_udp(offer, 0.1));
  lookahead.finish();
  EXPECT_THAT(drain(lookahead), ElementsAre(Released{1, std::nullopt}));
}

TEST(ReplyLookahead, MalformedRequestsToPort67AreRequests) {
  ReplyLookahead lookahead(kWindow, false);
  const Bytes short_request(20, 0x01);
  const Bytes short_reply(20, 0x02);  // too short to be a BOOTREPLY
  EXPECT_EQ(lookahead.push(udp(short_request, 0.0)).kind, Kind::request);
  EXPECT_EQ(lookahead.push(udp(short_reply, 0.1)).kind, Kind::request);
  EXPECT_EQ(lookahead.counters().requests, 2u);
  EXPECT_EQ(lookahead.counters().replies, 0u);
}

// Regression (found in review, fixed): spec §3 step 7: a BOOTREPLY to port
// 67 is never a request, whatever port it came from.
TEST(ReplyLookahead, ABootreplyToPort67FromAnotherPortIsNotARequest) {
  ReplyLookahead lookahead(kWindow, false);
  const auto offer = msg::reply(MessageType::offer, 1, 0x1001, net(120));
  auto datagram = udp(offer, 0.0);
  datagram.source_port = 68;
  EXPECT_NE(lookahead.push(datagram).kind, Kind::request);
  EXPECT_FALSE(lookahead.front());
  EXPECT_EQ(lookahead.counters().requests, 0u);
}

TEST(ReplyLookahead, ABootreplyFromPort67ToARelayAgentIsAReply) {
  ReplyLookahead lookahead(kWindow, true);
  const auto discover = msg::discover(1, 0x1001);
  const auto offer = msg::reply(MessageType::offer, 1, 0x1001, net(120));
  lookahead.push(udp(discover, 0.0));
  auto to_relay = udp(offer, 0.1);
  to_relay.source_port = kServerPort;
  EXPECT_EQ(lookahead.push(to_relay).kind, Kind::reply);
  lookahead.finish();
  EXPECT_THAT(drain(lookahead), ElementsAre(Released{1, net(120)}));
}

TEST(ReplyLookahead, RequestNumbersCountOnlyRequests) {
  ReplyLookahead lookahead(kWindow, false);
  const auto offer = msg::reply(MessageType::offer, 1, 0x1001, net(120));
  const auto discover = msg::discover(1, 0x1001);
  lookahead.push(reply_udp(offer, 0.0));
  lookahead.push(udp(discover, 0.1, 1067));
  lookahead.push(udp(discover, 0.2));
  ASSERT_TRUE(lookahead.front());
  EXPECT_EQ(lookahead.front()->request->number, 1u);
  EXPECT_EQ(lookahead.front()->request->origin.time, at(0.2));
  EXPECT_EQ(lookahead.front()->request->destination_address, kBroadcast);
}

TEST(ReplyLookahead, PayloadsStayValidAfterTheirDatagramIsGone) {
  ReplyLookahead lookahead(kWindow, true);
  for (std::uint8_t client = 1; client <= 100; ++client) {
    auto bytes = msg::discover(client, 0x1000u + client);
    lookahead.push(udp(bytes, 0.01 * client));
    bytes.assign(bytes.size(), 0xEE);  // the capture reader reuses its buffer
  }
  lookahead.finish();
  std::uint8_t client = 1;
  while (auto ready = lookahead.front()) {
    const auto expected = msg::discover(client, 0x1000u + client);
    EXPECT_TRUE(std::equal(expected.begin(), expected.end(), ready->request->payload.begin(),
                           ready->request->payload.end()))
        << "request " << int{client};
    lookahead.pop();
    ++client;
  }
  EXPECT_EQ(client, 101);
}

TEST(ReplyLookahead, PayloadsOfEverySizeSurviveWhileOthersComeAndGo) {
  // Enough bytes to fill several of the queue's chunks, with empty and
  // receive-buffer-sized payloads among them, popped while others arrive.
  ReplyLookahead lookahead(kWindow, false);
  const auto payload_of = [](std::size_t i) {
    const std::size_t size = i % 7 == 0 ? 0 : i % 11 == 0 ? dhcp::kServerBufferSize : 1 + i % 600;
    Bytes bytes(size);
    for (std::size_t at = 0; at < size; ++at) {
      bytes[at] = static_cast<std::uint8_t>(i * 31 + at);
    }
    if (size != 0) {
      bytes[0] = 1;  // BOOTREQUEST: a BOOTREPLY from port 68 would be taken for a reply
    }
    return bytes;
  };
  constexpr std::size_t kCount = 3000;
  constexpr std::size_t kKeptBack = 200;  // waiting at any time
  std::size_t next_out = 0;
  const auto check_front = [&] {
    const std::size_t number = next_out++;
    auto ready = lookahead.front();
    ASSERT_TRUE(ready) << "payload " << number;
    const auto expected = payload_of(number);
    EXPECT_TRUE(std::equal(expected.begin(), expected.end(), ready->request->payload.begin(),
                           ready->request->payload.end()))
        << "payload " << number << " of " << expected.size() << " bytes";
    lookahead.pop();
  };
  for (std::size_t i = 0; i < kCount; ++i) {
    auto bytes = payload_of(i);
    lookahead.push(udp(bytes, 0.001 * static_cast<double>(i)));
    bytes.assign(bytes.size(), 0xEE);
    if (i >= kKeptBack) {
      check_front();
    }
  }
  while (next_out < kCount) {
    check_front();
  }
  EXPECT_FALSE(lookahead.front());
}

}  // namespace
}  // namespace calloutemu::server::testing
