#include "calloutemu/dhcp/validation.h"

#include <gtest/gtest.h>

#include "calloutemu/dhcp/wire_format.h"
#include "packet_maker.h"
#include "sample_messages.h"

namespace calloutemu::dhcp {
namespace {

using testing::Bytes;
using testing::PacketMaker;
using testing::tlv;

std::optional<InvalidReason> invalid(const Bytes& bytes) {
  const auto from_raw = why_invalid(std::span<const std::uint8_t>(bytes));
  auto message = parse_message(bytes);
  if (message) {
    EXPECT_EQ(why_invalid(*message), from_raw) << "the view and the raw bytes disagree";
    EXPECT_EQ(is_invalid(*message), from_raw.has_value()) << "is_invalid and why_invalid disagree";
  }
  return from_raw;
}

TEST(Validation, EverySampleIsValid) {
  for (const auto& sample : testing::sample_messages()) {
    EXPECT_EQ(invalid(sample.bytes), std::nullopt) << sample.name;
  }
}

TEST(Validation, ShorterThanTheFixedHeader) {
  for (std::size_t size : {0u, 1u, 100u, 235u}) {
    Bytes bytes = PacketMaker().bytes();
    bytes.resize(size);
    EXPECT_EQ(invalid(bytes), InvalidReason::shorter_than_header) << size;
  }
  EXPECT_EQ(invalid(PacketMaker().no_vendor_area().bytes()), std::nullopt);
}

TEST(Validation, OpMustBeBootRequest) {
  for (std::uint8_t op : Bytes{0, 2, 3, 255}) {
    EXPECT_EQ(invalid(PacketMaker().op(op).bytes()), InvalidReason::not_a_request) << int{op};
  }
  EXPECT_EQ(invalid(PacketMaker().op(1).bytes()), std::nullopt);
}

TEST(Validation, HlenOver16) {
  EXPECT_EQ(invalid(PacketMaker().hlen(16).bytes()), std::nullopt);
  EXPECT_EQ(invalid(PacketMaker().hlen(0).bytes()), std::nullopt);
  EXPECT_EQ(invalid(PacketMaker().hlen(17).bytes()), InvalidReason::hardware_address_too_long);
  EXPECT_EQ(invalid(PacketMaker().hlen(255).bytes()), InvalidReason::hardware_address_too_long);
}

TEST(Validation, OptionRunningPastTheDatagram) {
  EXPECT_EQ(invalid(PacketMaker().option(53, {1}).raw({12, 3, 'a', 'b'}).bytes()),
            InvalidReason::option_overrun);
  EXPECT_EQ(invalid(PacketMaker().option(53, {1}).raw({12}).bytes()),
            InvalidReason::option_overrun);
  EXPECT_EQ(invalid(PacketMaker().option(53, {1}).raw({12, 2, 'a', 'b'}).bytes()), std::nullopt);
}

TEST(Validation, OptionRunningPastAnOverloadedField) {
  Bytes sname(kSnameSize, 0);
  sname[63] = 12;  // no room for its length
  EXPECT_EQ(invalid(PacketMaker().bytes_at(kSnameOffset, sname).option(52, {2}).end().bytes()),
            InvalidReason::option_overrun);
  // The same bytes are no option when 52 does not point there.
  EXPECT_EQ(invalid(PacketMaker().bytes_at(kSnameOffset, sname).option(52, {1}).end().bytes()),
            std::nullopt);
}

class FourByteOption : public ::testing::TestWithParam<int> {};

TEST_P(FourByteOption, MustBeExactlyFourBytes) {
  const auto code = static_cast<std::uint8_t>(GetParam());
  EXPECT_EQ(invalid(PacketMaker().option(code, {1, 2, 3, 4}).end().bytes()), std::nullopt);
  for (std::size_t length : {0u, 1u, 3u, 5u, 8u}) {
    EXPECT_EQ(invalid(PacketMaker().option(code, Bytes(length, 1)).end().bytes()),
              InvalidReason::address_option_length)
        << "option " << int{code} << ", " << length << " bytes";
  }
}

TEST_P(FourByteOption, EveryOccurrenceCounts) {
  const auto code = static_cast<std::uint8_t>(GetParam());
  EXPECT_EQ(invalid(PacketMaker().option(code, {1, 2, 3, 4}).option(code, {5, 6}).bytes()),
            InvalidReason::address_option_length);
  EXPECT_EQ(invalid(PacketMaker().option(code, {1, 2, 3, 4}).option(code, {5, 6, 7, 8}).bytes()),
            std::nullopt);
}

TEST_P(FourByteOption, CountsInsideOverloadedFields) {
  const auto code = static_cast<std::uint8_t>(GetParam());
  const Bytes file = tlv(code, {1, 2});
  EXPECT_EQ(invalid(PacketMaker().bytes_at(kFileOffset, file).option(52, {1}).end().bytes()),
            InvalidReason::address_option_length);
  EXPECT_EQ(invalid(PacketMaker().bytes_at(kFileOffset, file).end().bytes()), std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(Options, FourByteOption, ::testing::Values(1, 50, 51, 3, 54),
                         [](const auto& test) { return "option" + std::to_string(test.param); });

TEST(Validation, OtherOptionsMayHaveAnyLength) {
  EXPECT_EQ(invalid(PacketMaker().option(6, {1, 2, 3, 4, 5, 6, 7, 8}).option(2, {1, 2}).bytes()),
            std::nullopt);
}

TEST(Validation, NoCookieIsAPlainBootpRequestNotAnError) {
  Bytes bytes = PacketMaker().bytes_at(kMagicCookieOffset, {1, 2, 3, 4}).raw({50, 2, 1}).bytes();
  EXPECT_EQ(invalid(bytes), std::nullopt);
}

TEST(Validation, ReasonsComeInOrder) {
  // Every fault at once: op, hlen, an overrun and a short option 50.
  const Bytes all = PacketMaker().op(2).hlen(17).option(50, {1}).raw({12, 9}).bytes();
  EXPECT_EQ(invalid(all), InvalidReason::not_a_request);
  EXPECT_EQ(invalid(PacketMaker().hlen(17).option(50, {1}).raw({12, 9}).bytes()),
            InvalidReason::hardware_address_too_long);
  EXPECT_EQ(invalid(PacketMaker().option(50, {1}).raw({12, 9}).bytes()),
            InvalidReason::option_overrun);
}

TEST(Validation, ReasonNames) {
  EXPECT_EQ(to_string(InvalidReason::shorter_than_header),
            "the datagram is shorter than the 236-byte fixed header");
  EXPECT_EQ(to_string(InvalidReason::not_a_request), "op is not BOOTREQUEST");
  EXPECT_EQ(to_string(InvalidReason::hardware_address_too_long), "hlen is over 16");
  EXPECT_EQ(to_string(InvalidReason::option_overrun), "an option runs past the end of its area");
  EXPECT_EQ(to_string(InvalidReason::address_option_length),
            "option 1, 50, 51, 3 or 54 is not exactly 4 bytes long");
}

TEST(IsReply, OpTwoWithAFullHeader) {
  const Bytes reply = PacketMaker().op(2).bytes();
  EXPECT_TRUE(is_reply(std::span<const std::uint8_t>(reply)));
  EXPECT_TRUE(is_reply(*parse_message(reply)));
  const Bytes request = PacketMaker().bytes();
  EXPECT_FALSE(is_reply(std::span<const std::uint8_t>(request)));
  EXPECT_FALSE(is_reply(*parse_message(request)));
  const Bytes other = PacketMaker().op(3).bytes();
  EXPECT_FALSE(is_reply(std::span<const std::uint8_t>(other)));
}

TEST(IsReply, AShortDatagramIsNoReply) {
  Bytes bytes = PacketMaker().op(2).bytes();
  bytes.resize(235);
  EXPECT_FALSE(is_reply(std::span<const std::uint8_t>(bytes)));
  EXPECT_FALSE(is_reply(std::span<const std::uint8_t>()));
  EXPECT_EQ(why_invalid(std::span<const std::uint8_t>(bytes)), InvalidReason::shorter_than_header);
}

}  // namespace
}  // namespace calloutemu::dhcp
