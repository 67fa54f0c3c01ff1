#include "calloutemu/dhcp/message_builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "calloutemu/dhcp/validation.h"
#include "calloutemu/dhcp/wire_format.h"
#include "packet_maker.h"
#include "parsed_message.h"
#include "sample_messages.h"

namespace calloutemu::dhcp {
namespace {

using testing::Bytes;
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using testing::PacketMaker;
using testing::ParsedMessage;

// The built reply, cut to its size.
Bytes built(const Bytes& request_bytes, const ReplySpec& reply) {
  auto request = parse_message(request_bytes);
  EXPECT_TRUE(request);
  Bytes out(kServerBufferSize, 0xEE);
  auto size = build_reply(*request, reply, out);
  EXPECT_TRUE(size) << size.error().message;
  out.resize(size ? *size : 0);
  return out;
}

std::vector<std::uint8_t> codes(const MessageView& message) {
  std::vector<std::uint8_t> out;
  for (const OptionRef& each : message.options) {
    out.push_back(each.code);
  }
  return out;
}

Bytes data_of(const MessageView& message, std::uint8_t code) {
  const auto data = message.find_option_data(code);
  return data ? Bytes(data->begin(), data->end()) : Bytes{};
}

ReplySpec full_offer() {
  ReplySpec reply;
  reply.message_type = MessageType::offer;
  reply.yiaddr = 0xC000020A;
  reply.siaddr = 0xC0000201;
  reply.server_identifier = 0xC0000201;
  reply.lease_time = 86400;
  reply.renewal_time = 43200;
  reply.rebinding_time = 75600;
  reply.subnet_mask = 0xFFFFFF00;
  reply.routers = {0xC00002FE, 0xC00002FD};
  reply.dns_servers = {0xC0000235, 0x08080808};
  reply.domain_name = "example.net";
  reply.extra_options = {{66, {'t', 'f', 't', 'p'}}};
  return reply;
}

TEST(BuildReply, WritesTheHeaderFromTheRequestAndTheDecision) {
  const Bytes request = testing::rich_discover();
  const Bytes reply = built(request, full_offer());
  auto message = parse_message(reply);
  ASSERT_TRUE(message);
  EXPECT_EQ(message->op, 2);
  EXPECT_EQ(message->htype, 1);
  EXPECT_EQ(message->hlen, 6);
  EXPECT_EQ(message->hops, 0);
  EXPECT_EQ(message->xid, 0x12345678u);
  EXPECT_EQ(message->secs, 0);
  EXPECT_EQ(message->flags, 0x8000);
  EXPECT_EQ(message->ciaddr, 0u);
  EXPECT_EQ(message->yiaddr, 0xC000020Au);
  EXPECT_EQ(message->siaddr, 0xC0000201u);
  EXPECT_EQ(message->giaddr, 0xC6336401u);
  EXPECT_THAT(message->chaddr, ElementsAreArray(request.begin() + 28, request.begin() + 44));
  EXPECT_THAT(message->sname, Each(0));
  EXPECT_THAT(message->file, Each(0));
  EXPECT_TRUE(message->has_magic_cookie);
  EXPECT_TRUE(is_reply(*message));
}

TEST(BuildReply, WritesOptionsInTheServersOrder) {
  const Bytes reply = built(testing::rich_discover(), full_offer());
  ASSERT_EQ(reply.size(), 321u);
  auto message = parse_message(reply);
  ASSERT_TRUE(message);
  EXPECT_THAT(codes(*message), ElementsAre(53, 54, 51, 58, 59, 1, 3, 6, 15, 82, 66));
  EXPECT_EQ(message->message_type(), MessageType::offer);
  EXPECT_THAT(data_of(*message, 54), ElementsAre(192, 0, 2, 1));
  EXPECT_THAT(data_of(*message, 51), ElementsAre(0, 1, 0x51, 0x80));
  EXPECT_THAT(data_of(*message, 58), ElementsAre(0, 0, 0xA8, 0xC0));
  EXPECT_THAT(data_of(*message, 59), ElementsAre(0, 1, 0x27, 0x50));
  EXPECT_THAT(data_of(*message, 1), ElementsAre(255, 255, 255, 0));
  EXPECT_THAT(data_of(*message, 3), ElementsAre(192, 0, 2, 254, 192, 0, 2, 253));
  EXPECT_THAT(data_of(*message, 6), ElementsAre(192, 0, 2, 53, 8, 8, 8, 8));
  EXPECT_THAT(data_of(*message, 15), ElementsAreArray(std::string_view("example.net")));
  EXPECT_THAT(data_of(*message, 82), ElementsAre(1, 4, 'e', 't', 'h', '0'));
  EXPECT_THAT(data_of(*message, 66), ElementsAre('t', 'f', 't', 'p'));
  EXPECT_EQ(reply[320], 255);
  EXPECT_FALSE(message->overrun);
}

TEST(BuildReply, PadsToTheBootpMinimum) {
  ReplySpec ack;
  ack.message_type = MessageType::ack;
  ack.server_identifier = 0xC0000201;
  const Bytes reply = built(testing::sample_messages()[2].bytes, ack);
  ASSERT_EQ(reply.size(), 300u);
  EXPECT_THAT(Bytes(reply.begin() + 240, reply.begin() + 250),
              ElementsAre(53, 1, 5, 54, 4, 192, 0, 2, 1, 255));
  EXPECT_THAT(Bytes(reply.begin() + 250, reply.end()), Each(0));
}

TEST(BuildReply, LeavesOutOptionsNotGiven) {
  ReplySpec nak;
  nak.message_type = MessageType::nak;
  const ParsedMessage message(built(testing::rich_discover(), nak));
  EXPECT_THAT(codes(message), ElementsAre(53, 82));
}

TEST(BuildReply, APlainBootpReplyHasNoOption53) {
  const Bytes request = PacketMaker().no_vendor_area().bytes();
  ReplySpec reply;
  reply.yiaddr = 0xC0000214;
  reply.subnet_mask = 0xFFFFFF00;
  reply.server_name = std::string(63, 's');
  reply.boot_file = "pxelinux.0";
  const Bytes bytes = built(request, reply);
  ASSERT_EQ(bytes.size(), 300u);
  auto message = parse_message(bytes);
  ASSERT_TRUE(message);
  EXPECT_TRUE(message->is_bootp());
  EXPECT_THAT(codes(*message), ElementsAre(1));
  EXPECT_EQ(message->yiaddr, 0xC0000214u);
  EXPECT_THAT(message->sname.first(63), Each('s'));
  EXPECT_EQ(message->sname[63], 0);
  EXPECT_EQ(std::string(message->file.begin(), message->file.begin() + 11),
            std::string("pxelinux.0\0", 11));
}

TEST(BuildReply, EchoesEveryOption82Verbatim) {
  const Bytes file = testing::tlv(82, {2, 1, 'b'});
  const Bytes request = PacketMaker()
                            .bytes_at(kFileOffset, file)
                            .option(53, {1})
                            .option(82, {1, 1, 'a'})
                            .option(12, {'h'})
                            .option(52, {1})
                            .end()
                            .bytes();
  ReplySpec reply;
  reply.message_type = MessageType::offer;
  const ParsedMessage message(built(request, reply));
  EXPECT_THAT(codes(message), ElementsAre(53, 82, 82));
  const auto relays = message.find_all_options(82);
  ASSERT_EQ(relays.size(), 2u);
  EXPECT_THAT(message.option_data(relays[0]), ElementsAre(1, 1, 'a'));
  EXPECT_THAT(message.option_data(relays[1]), ElementsAre(2, 1, 'b'));
}

TEST(BuildReply, RoundTripsEverySample) {
  for (const auto& sample : testing::sample_messages()) {
    auto request = parse_message(sample.bytes);
    ASSERT_TRUE(request) << sample.name;
    ReplySpec reply = full_offer();
    reply.message_type = MessageType::ack;
    reply.ciaddr = request->ciaddr;
    const Bytes bytes = built(sample.bytes, reply);
    auto message = parse_message(bytes);
    ASSERT_TRUE(message) << sample.name;
    EXPECT_EQ(message->op, 2) << sample.name;
    EXPECT_EQ(message->xid, request->xid) << sample.name;
    EXPECT_EQ(message->flags, request->flags) << sample.name;
    EXPECT_EQ(message->giaddr, request->giaddr) << sample.name;
    EXPECT_EQ(message->ciaddr, request->ciaddr) << sample.name;
    EXPECT_TRUE(std::equal(message->chaddr.begin(), message->chaddr.end(), request->chaddr.begin()))
        << sample.name;
    EXPECT_EQ(message->message_type(), MessageType::ack) << sample.name;
    EXPECT_EQ(message->find_all_options(82).size(), request->find_all_options(82).size())
        << sample.name;
    EXPECT_EQ(message->overrun, std::nullopt) << sample.name;
  }
}

TEST(BuildReply, FailsCleanlyWhenTheBufferIsTooSmall) {
  const ParsedMessage request(testing::rich_discover());
  Bytes out(320, 0xEE);
  auto size = build_reply(request, full_offer(), out);
  ASSERT_FALSE(size);
  EXPECT_EQ(size.error().message, "the reply is 321 bytes; the buffer holds 320");
  EXPECT_THAT(out, Each(0xEE));
  out.resize(321);
  auto fits = build_reply(request, full_offer(), out);
  ASSERT_TRUE(fits);
  EXPECT_EQ(*fits, 321u);
  Bytes tiny(299);
  auto padded = build_reply(request, ReplySpec{}, tiny);
  ASSERT_FALSE(padded);
  EXPECT_EQ(padded.error().message, "the reply is 300 bytes; the buffer holds 299");
}

TEST(BuildReply, FailsWhenTheReplyOutgrowsTheServersSendBuffer) {
  const ParsedMessage request(testing::rich_discover());
  ReplySpec reply;
  reply.message_type = MessageType::ack;
  for (std::uint8_t code = 200; code < 216; ++code) {
    reply.extra_options.push_back({code, Bytes(255, code)});
  }
  Bytes out(kServerBufferSize);
  auto size = build_reply(request, reply, out);
  ASSERT_FALSE(size);
  // 240 + 53 (3) + 82 (8) + 16 * 257 + end
  EXPECT_EQ(size.error().message, "the reply is 4364 bytes; the buffer holds 4096");
}

TEST(BuildReply, RejectsValuesOver255Bytes) {
  const ParsedMessage request(testing::rich_discover());
  Bytes out(kServerBufferSize);
  ReplySpec routers;
  routers.routers.assign(64, 0x0A000001);
  auto too_many = build_reply(request, routers, out);
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error().message, "option 3 is 256 bytes long, over 255");
  ReplySpec domain;
  domain.domain_name = std::string(256, 'd');
  auto long_name = build_reply(request, domain, out);
  ASSERT_FALSE(long_name);
  EXPECT_EQ(long_name.error().message, "option 15 is 256 bytes long, over 255");
  ReplySpec extra;
  extra.extra_options = {{120, Bytes(256, 1)}};
  EXPECT_FALSE(build_reply(request, extra, out));
}

TEST(BuildReply, RejectsPadAndEndAsExtraOptions) {
  const ParsedMessage request(testing::rich_discover());
  Bytes out(kServerBufferSize);
  for (std::uint8_t code : Bytes{0, 255}) {
    ReplySpec reply;
    reply.extra_options = {{code, {}}};
    auto size = build_reply(request, reply, out);
    ASSERT_FALSE(size);
    EXPECT_EQ(size.error().message,
              "extra option code " + std::to_string(code) + " is pad or end, not an option");
  }
}

TEST(BuildReply, RejectsNamesLongerThanTheirFields) {
  const ParsedMessage request(testing::rich_discover());
  Bytes out(kServerBufferSize);
  ReplySpec sname;
  sname.server_name = std::string(64, 's');
  auto long_sname = build_reply(request, sname, out);
  ASSERT_FALSE(long_sname);
  EXPECT_EQ(long_sname.error().message,
            "sname is 64 bytes long; the field holds at most 63 and a NUL");
  ReplySpec file;
  file.boot_file = std::string(128, 'f');
  auto long_file = build_reply(request, file, out);
  ASSERT_FALSE(long_file);
  EXPECT_EQ(long_file.error().message,
            "file is 128 bytes long; the field holds at most 127 and a NUL");
  file.boot_file.pop_back();
  EXPECT_TRUE(build_reply(request, file, out));
}

}  // namespace
}  // namespace calloutemu::dhcp
