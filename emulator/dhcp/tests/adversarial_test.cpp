// Truncated and random datagrams: each parses or fails cleanly, and nothing
// the library hands out points outside the datagram.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "calloutemu/dhcp/message_builder.h"
#include "calloutemu/dhcp/server_options.h"
#include "calloutemu/dhcp/validation.h"
#include "calloutemu/dhcp/wire_format.h"
#include "packet_maker.h"
#include "sample_messages.h"

namespace calloutemu::dhcp {
namespace {

using testing::Bytes;
using ::testing::IsEmpty;

// Every invariant the server model relies on, for any input.
void check_everything(const Bytes& bytes) {
  const auto reason = why_invalid(std::span<const std::uint8_t>(bytes));
  auto message = parse_message(bytes);
  if (!message) {
    ASSERT_LT(bytes.size(), kFixedHeaderSize);
    ASSERT_EQ(reason, InvalidReason::shorter_than_header);
    return;
  }
  ASSERT_EQ(why_invalid(*message), reason);
  if (reason == InvalidReason::option_overrun) {
    ASSERT_TRUE(message->overrun);
  }
  if (message->overrun) {
    ASSERT_TRUE(reason);
  }
  for (const OptionRef& each : message->options) {
    ASSERT_LE(each.data_offset + each.length, bytes.size());
    ASSERT_NE(each.code, option::pad);
    ASSERT_NE(each.code, option::end);
  }
  DHCP_SERVER_OPTIONS options;
  fill_server_options(*message, options);
  ASSERT_THAT(members_outside(options, bytes), IsEmpty());
  ASSERT_EQ(options.ScopeId, nullptr);
  const ServerOptionsReadBack seen = read_back_server_options(options, *message);
  ASSERT_THAT(seen.unreadable, IsEmpty());
  ASSERT_EQ(seen.message_type, message->message_type());
  ASSERT_EQ(seen.is_bootp(), message->is_bootp());

  Bytes reply(kServerBufferSize);
  ReplySpec spec;
  spec.message_type = MessageType::ack;
  auto size = build_reply(*message, spec, reply);
  ASSERT_TRUE(size) << size.error().message;
  reply.resize(*size);
  auto reparsed = parse_message(reply);
  ASSERT_TRUE(reparsed);
  ASSERT_EQ(reparsed->xid, message->xid);
  ASSERT_EQ(reparsed->overrun, std::nullopt);
}

TEST(Adversarial, EveryTruncationOfEverySampleParsesOrFailsCleanly) {
  for (const auto& sample : testing::sample_messages()) {
    for (std::size_t size = 0; size <= sample.bytes.size(); ++size) {
      SCOPED_TRACE(sample.name + " cut to " + std::to_string(size));
      const Bytes cut(sample.bytes.begin(),
                      sample.bytes.begin() + static_cast<std::ptrdiff_t>(size));
      check_everything(cut);
    }
  }
}

TEST(Adversarial, TruncationInsideAnOptionIsAnOverrunAndAtItsEdgeIsNot) {
  const Bytes full = testing::rich_discover();
  // Where each option of the rich DISCOVER ends (the last one is the end option).
  const std::vector<std::size_t> edges = {240, 243, 252, 258, 264, 272, 279,
                                          289, 294, 303, 316, 324, 325};
  ASSERT_EQ(full.size(), edges.back());
  for (std::size_t size = 0; size <= full.size(); ++size) {
    const Bytes cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(size));
    const auto reason = why_invalid(std::span<const std::uint8_t>(cut));
    std::optional<InvalidReason> expected;
    if (size < 236) {
      expected = InvalidReason::shorter_than_header;
    } else if (size > 240 && std::find(edges.begin(), edges.end(), size) == edges.end()) {
      expected = InvalidReason::option_overrun;
    }
    EXPECT_EQ(reason, expected) << size;
    if (size >= 236) {
      auto message = parse_message(cut);
      ASSERT_TRUE(message) << size;
      const auto complete = static_cast<std::size_t>(std::count_if(
          edges.begin() + 1, edges.end() - 1, [&](std::size_t edge) { return edge <= size; }));
      EXPECT_EQ(message->options.size(), complete) << size;
    }
  }
}

TEST(Adversarial, RandomBytes) {
  std::mt19937 random(20240607);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<std::size_t> length(0, 700);
  for (int round = 0; round < 3000; ++round) {
    Bytes bytes(length(random));
    std::generate(bytes.begin(), bytes.end(),
                  [&] { return static_cast<std::uint8_t>(byte(random)); });
    if (round % 2 == 0 && bytes.size() >= kOptionsOffset) {
      std::copy(kMagicCookie.begin(), kMagicCookie.end(), bytes.begin() + kMagicCookieOffset);
      bytes[kOpOffset] = kBootRequest;
    }
    SCOPED_TRACE("round " + std::to_string(round));
    check_everything(bytes);
    if (::testing::Test::HasFatalFailure()) {
      return;
    }
  }
}

TEST(Adversarial, MutatedSamples) {
  std::mt19937 random(7);
  std::uniform_int_distribution<int> byte(0, 255);
  const auto samples = testing::sample_messages();
  for (int round = 0; round < 3000; ++round) {
    Bytes bytes = samples[static_cast<std::size_t>(round) % samples.size()].bytes;
    std::uniform_int_distribution<std::size_t> where(kFixedHeaderSize - 200, bytes.size() - 1);
    for (int flip = 0; flip < 1 + round % 4; ++flip) {
      bytes[where(random)] = static_cast<std::uint8_t>(byte(random));
    }
    SCOPED_TRACE("round " + std::to_string(round));
    check_everything(bytes);
    if (::testing::Test::HasFatalFailure()) {
      return;
    }
  }
}

}  // namespace
}  // namespace calloutemu::dhcp
