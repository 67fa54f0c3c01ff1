#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "calloutemu/dhcp/message.h"
#include "calloutemu/dhcp/wire_format.h"
#include "packet_maker.h"
#include "parsed_message.h"

namespace calloutemu::dhcp {
namespace {

using testing::Bytes;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using testing::PacketMaker;
using testing::ParsedMessage;

TEST(MessageHeader, ReadsEveryFixedField) {
  Bytes sname(kSnameSize, 0);
  Bytes file(kFileSize, 0);
  for (std::size_t index = 0; index < kFileSize; ++index) {
    file[index] = static_cast<std::uint8_t>(0x80 + index);
  }
  sname[0] = 's';
  sname[63] = 'z';
  const Bytes bytes = PacketMaker()
                          .op(1)
                          .byte_at(kHtypeOffset, 6)
                          .hlen(6)
                          .byte_at(kHopsOffset, 3)
                          .xid(0xDEADBEEF)
                          .u16_at(kSecsOffset, 0x0102)
                          .u16_at(kFlagsOffset, 0x8000)
                          .u32_at(kCiaddrOffset, 0xC0000201)
                          .u32_at(kYiaddrOffset, 0xC0000202)
                          .u32_at(kSiaddrOffset, 0xC0000203)
                          .u32_at(kGiaddrOffset, 0xC6336401)
                          .chaddr({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
                          .bytes_at(kSnameOffset, sname)
                          .bytes_at(kFileOffset, file)
                          .bytes();
  auto parsed = parse_message(bytes);  // the view of this very buffer
  ASSERT_TRUE(parsed);
  const MessageView& message = *parsed;
  EXPECT_EQ(message.op, 1);
  EXPECT_EQ(message.htype, 6);
  EXPECT_EQ(message.hlen, 6);
  EXPECT_EQ(message.hops, 3);
  EXPECT_EQ(message.xid, 0xDEADBEEFu);
  EXPECT_EQ(message.secs, 0x0102);
  EXPECT_EQ(message.flags, 0x8000);
  EXPECT_EQ(message.ciaddr, 0xC0000201u);
  EXPECT_EQ(message.yiaddr, 0xC0000202u);
  EXPECT_EQ(message.siaddr, 0xC0000203u);
  EXPECT_EQ(message.giaddr, 0xC6336401u);
  EXPECT_THAT(message.chaddr, ElementsAre(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16));
  EXPECT_THAT(message.client_hardware_address(), ElementsAre(1, 2, 3, 4, 5, 6));
  EXPECT_THAT(message.sname, ElementsAreArray(sname));
  EXPECT_THAT(message.file, ElementsAreArray(file));
  EXPECT_EQ(message.bytes.data(), bytes.data());
  EXPECT_EQ(message.bytes.size(), 240u);
}

TEST(MessageHeader, FieldsPointIntoTheBuffer) {
  const Bytes bytes = PacketMaker().bytes();
  auto parsed = parse_message(bytes);  // the view of this very buffer
  ASSERT_TRUE(parsed);
  const MessageView& message = *parsed;
  EXPECT_EQ(message.chaddr.data(), bytes.data() + 28);
  EXPECT_EQ(message.sname.data(), bytes.data() + 44);
  EXPECT_EQ(message.file.data(), bytes.data() + 108);
  EXPECT_EQ(message.chaddr.size(), 16u);
  EXPECT_EQ(message.sname.size(), 64u);
  EXPECT_EQ(message.file.size(), 128u);
}

TEST(MessageHeader, ClientAddressIsTheFirstHlenBytes) {
  const Bytes address{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  EXPECT_THAT(
      ParsedMessage(PacketMaker().chaddr(address).hlen(0).bytes()).client_hardware_address(),
      ElementsAre());
  EXPECT_THAT(
      ParsedMessage(PacketMaker().chaddr(address).hlen(1).bytes()).client_hardware_address(),
      ElementsAre(1));
  EXPECT_EQ(ParsedMessage(PacketMaker().chaddr(address).hlen(16).bytes())
                .client_hardware_address()
                .size(),
            16u);
}

TEST(MessageHeader, ClientAddressStopsAtChaddrWhenHlenIsTooLong) {
  const Bytes bytes = PacketMaker().hlen(200).bytes();
  auto parsed = parse_message(bytes);  // the view of this very buffer
  ASSERT_TRUE(parsed);
  const MessageView& message = *parsed;
  EXPECT_EQ(message.hlen, 200);
  EXPECT_EQ(message.client_hardware_address().data(), bytes.data() + 28);
  EXPECT_EQ(message.client_hardware_address().size(), 16u);
}

TEST(MessageHeader, ShorterThanTheFixedHeaderIsAnError) {
  Bytes bytes = PacketMaker().bytes();
  bytes.resize(235);
  auto message = parse_message(bytes);
  ASSERT_FALSE(message);
  EXPECT_EQ(message.error().message,
            "the datagram is 235 bytes, shorter than the 236-byte fixed header");
  auto empty = parse_message(std::span<const std::uint8_t>());
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().message,
            "the datagram is 0 bytes, shorter than the 236-byte fixed header");
}

TEST(MessageHeader, ExactlyTheFixedHeaderParsesWithoutACookie) {
  const ParsedMessage message(PacketMaker().no_vendor_area().bytes());
  EXPECT_EQ(message.bytes.size(), 236u);
  EXPECT_FALSE(message.has_magic_cookie);
  EXPECT_TRUE(message.options.empty());
  EXPECT_EQ(message.xid, 0x12345678u);
}

TEST(MessageHeader, RecognisesTheMagicCookie) {
  EXPECT_TRUE(ParsedMessage(PacketMaker().bytes()).has_magic_cookie);
  EXPECT_TRUE(ParsedMessage(PacketMaker().end().bytes()).has_magic_cookie);
}

TEST(MessageHeader, APartialCookieIsNoCookie) {
  for (std::size_t size = 236; size < 240; ++size) {
    Bytes bytes = PacketMaker().bytes();
    bytes.resize(size);
    EXPECT_FALSE(ParsedMessage(bytes).has_magic_cookie) << size;
  }
}

TEST(MessageHeader, AVendorAreaWithoutTheCookieHasNoOptions) {
  // RFC 951's 64-byte vendor area, holding what would be option 53 after a cookie.
  Bytes bytes = PacketMaker().byte_at(kMagicCookieOffset, 98).option(53, {1}).end().bytes();
  bytes.resize(300, 0);
  const ParsedMessage message(bytes);
  EXPECT_FALSE(message.has_magic_cookie);
  EXPECT_TRUE(message.options.empty());
  EXPECT_FALSE(message.overrun);
  EXPECT_TRUE(message.is_bootp());
}

TEST(MessageHeader, WithoutTheCookieOverloadIsIgnored) {
  Bytes file = testing::tlv(12, {'x'});
  Bytes bytes = PacketMaker()
                    .bytes_at(kFileOffset, file)
                    .bytes_at(kMagicCookieOffset, {0, 0, 0, 0})
                    .option(52, {1})
                    .end()
                    .bytes();
  const ParsedMessage message(bytes);
  EXPECT_EQ(message.overload, 0);
  EXPECT_TRUE(message.options.empty());
}

}  // namespace
}  // namespace calloutemu::dhcp

namespace calloutemu::dhcp {
namespace {

// The server parses every request into the same view: what the last datagram
// left in it must not show in the next.
TEST(MessageHeader, ParsingIntoAUsedViewGivesWhatAFreshParseGives) {
  const testing::Bytes first = testing::PacketMaker()
                                   .xid(1)
                                   .option(52, {1})
                                   .option(53, {1})
                                   .option(12, {'a', 'b'})
                                   .option(61, {1, 2, 3})
                                   .end()
                                   .bytes();
  const testing::Bytes second = testing::PacketMaker().xid(2).option(53, {3}).end().bytes();
  MessageView reused;
  ASSERT_FALSE(parse_message_into(first, reused));
  ASSERT_EQ(reused.options.size(), 4u);
  ASSERT_FALSE(parse_message_into(second, reused));
  const auto fresh = parse_message(second);
  ASSERT_TRUE(fresh);
  EXPECT_EQ(reused.xid, 2u);
  EXPECT_EQ(reused.options, fresh->options);
  EXPECT_EQ(reused.overload, fresh->overload);
  EXPECT_EQ(reused.bytes.data(), second.data());
  EXPECT_FALSE(reused.overrun);
}

TEST(MessageHeader, ParsingIntoAViewAShortDatagramLeavesItEmpty) {
  const testing::Bytes request = testing::PacketMaker().option(53, {1}).end().bytes();
  MessageView reused;
  ASSERT_FALSE(parse_message_into(request, reused));
  const testing::Bytes short_datagram(100, 0);
  const auto error = parse_message_into(short_datagram, reused);
  ASSERT_TRUE(error);
  EXPECT_THAT(error->message, ::testing::HasSubstr("100 bytes"));
  EXPECT_TRUE(reused.options.empty());
  EXPECT_TRUE(reused.bytes.empty());
  EXPECT_EQ(reused.xid, 0u);
}

}  // namespace
}  // namespace calloutemu::dhcp
