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
using testing::PacketMaker;
using testing::ParsedMessage;

constexpr auto kOptions = OptionArea::options;

TEST(MessageOptions, ListsEachOccurrenceInOrderWithItsDataOffset) {
  const Bytes bytes = PacketMaker()
                          .option(53, {1})
                          .option(12, {'a', 'b', 'c'})
                          .option(55, {1, 3})
                          .option(12, {'d'})
                          .end()
                          .bytes();
  const ParsedMessage message(bytes);
  EXPECT_THAT(message.options,
              ElementsAre(OptionRef{53, kOptions, 242, 1}, OptionRef{12, kOptions, 245, 3},
                          OptionRef{55, kOptions, 250, 2}, OptionRef{12, kOptions, 254, 1}));
  EXPECT_FALSE(message.overrun);
}

TEST(MessageOptions, SkipsPadsAndRecordsNeitherPadNorEnd) {
  const Bytes bytes =
      PacketMaker().raw({0, 0}).option(53, {3}).raw({0}).option(61, {}).end().bytes();
  EXPECT_THAT(ParsedMessage(bytes).options,
              ElementsAre(OptionRef{53, kOptions, 244, 1}, OptionRef{61, kOptions, 248, 0}));
}

TEST(MessageOptions, StopsAtTheEndOption) {
  const Bytes bytes =
      PacketMaker().option(53, {1}).end().option(12, {'x'}).raw({0xFF, 0xFF}).bytes();
  const ParsedMessage message(bytes);
  EXPECT_THAT(message.options, ElementsAre(OptionRef{53, kOptions, 242, 1}));
  EXPECT_FALSE(message.overrun);
}

TEST(MessageOptions, MissingEndOptionEndsWithTheDatagram) {
  const ParsedMessage message(PacketMaker().option(53, {1}).option(12, {'x'}).bytes());
  EXPECT_THAT(message.options,
              ElementsAre(OptionRef{53, kOptions, 242, 1}, OptionRef{12, kOptions, 245, 1}));
  EXPECT_FALSE(message.overrun);
}

TEST(MessageOptions, AnOptionOfLength255AtTheEndFits) {
  const ParsedMessage message(PacketMaker().option(43, Bytes(255, 7)).bytes());
  EXPECT_THAT(message.options, ElementsAre(OptionRef{43, kOptions, 242, 255}));
  EXPECT_FALSE(message.overrun);
}

TEST(MessageOptions, RecordsAnOptionRunningPastTheDatagram) {
  // Option 12 says 5 bytes; 4 follow.
  const MessageView message =
      ParsedMessage(PacketMaker().option(53, {1}).raw({12, 5, 'a', 'b', 'c', 'd'}).bytes());
  EXPECT_THAT(message.options, ElementsAre(OptionRef{53, kOptions, 242, 1}));
  EXPECT_EQ(message.overrun, (OptionOverrun{12, kOptions, 243}));
}

TEST(MessageOptions, RecordsAnOptionWithoutItsLengthByte) {
  const ParsedMessage message(PacketMaker().option(53, {1}).raw({12}).bytes());
  EXPECT_THAT(message.options, ElementsAre(OptionRef{53, kOptions, 242, 1}));
  EXPECT_EQ(message.overrun, (OptionOverrun{12, kOptions, 243}));
}

TEST(MessageOptions, PadsAtTheVeryEndAreNoOverrun) {
  EXPECT_FALSE(ParsedMessage(PacketMaker().option(53, {1}).raw({0}).bytes()).overrun);
}

TEST(MessageOptions, FindsTheFirstOccurrence) {
  const Bytes bytes =
      PacketMaker().option(12, {'a'}).option(50, {1, 2, 3, 4}).option(12, {'b', 'c'}).bytes();
  auto parsed = parse_message(bytes);  // the view of this very buffer
  ASSERT_TRUE(parsed);
  const MessageView& message = *parsed;
  EXPECT_EQ(message.find_option(12), (OptionRef{12, kOptions, 242, 1}));
  EXPECT_EQ(message.find_option(13), std::nullopt);
  EXPECT_THAT(message.find_all_options(12),
              ElementsAre(OptionRef{12, kOptions, 242, 1}, OptionRef{12, kOptions, 251, 2}));
  EXPECT_TRUE(message.find_all_options(13).empty());
  const auto data = message.find_option_data(50);
  ASSERT_TRUE(data);
  EXPECT_EQ(data->data(), bytes.data() + 245);
  EXPECT_THAT(*data, ElementsAre(1, 2, 3, 4));
  EXPECT_EQ(message.find_option_data(13), std::nullopt);
}

TEST(MessageOptions, ConcatenatesOccurrencesOnlyWhenAsked) {
  const ParsedMessage message(PacketMaker()
                                  .option(81, {0x05, 0, 0, 'a'})
                                  .option(53, {1})
                                  .option(81, {'.', 'b'})
                                  .option(81, {})
                                  .bytes());
  EXPECT_THAT(message.option_data(*message.find_option(81)), ElementsAre(0x05, 0, 0, 'a'));
  EXPECT_THAT(*message.concatenated_option(81), ElementsAre(0x05, 0, 0, 'a', '.', 'b'));
  EXPECT_THAT(*message.concatenated_option(53), ElementsAre(1));
  EXPECT_EQ(message.concatenated_option(54), std::nullopt);
}

TEST(MessageOptions, AnEmptyOptionConcatenatesToEmpty) {
  const ParsedMessage message(PacketMaker().option(61, {}).bytes());
  ASSERT_TRUE(message.concatenated_option(61));
  EXPECT_TRUE(message.concatenated_option(61)->empty());
}

TEST(MessageType, IsOption53sByteWhenExactlyOneByteLong) {
  const ParsedMessage message(PacketMaker().option(53, {3}).bytes());
  EXPECT_EQ(message.message_type(), MessageType::request);
  EXPECT_FALSE(message.is_bootp());
}

TEST(MessageType, AbsentMeansBootp) {
  const ParsedMessage message(PacketMaker().option(12, {'x'}).bytes());
  EXPECT_EQ(message.message_type(), std::nullopt);
  EXPECT_TRUE(message.is_bootp());
}

TEST(MessageType, AnotherLengthIsNeitherATypeNorBootp) {
  for (const Bytes& data : {Bytes{}, Bytes{1, 1}, Bytes{3, 0, 0}}) {
    const ParsedMessage message(PacketMaker().option(53, data).bytes());
    EXPECT_EQ(message.message_type(), std::nullopt) << data.size();
    EXPECT_FALSE(message.is_bootp()) << data.size();
  }
}

TEST(MessageType, TheFirstOccurrenceDecides) {
  EXPECT_EQ(ParsedMessage(PacketMaker().option(53, {8}).option(53, {1}).bytes()).message_type(),
            MessageType::inform);
  EXPECT_EQ(ParsedMessage(PacketMaker().option(53, {8, 8}).option(53, {1}).bytes()).message_type(),
            std::nullopt);
}

TEST(MessageType, KeepsValuesWithoutAName) {
  EXPECT_EQ(ParsedMessage(PacketMaker().option(53, {200}).bytes()).message_type(),
            static_cast<MessageType>(200));
}

TEST(MessageType, Names) {
  EXPECT_EQ(to_string(MessageType::discover), "DISCOVER");
  EXPECT_EQ(to_string(MessageType::offer), "OFFER");
  EXPECT_EQ(to_string(MessageType::request), "REQUEST");
  EXPECT_EQ(to_string(MessageType::decline), "DECLINE");
  EXPECT_EQ(to_string(MessageType::ack), "ACK");
  EXPECT_EQ(to_string(MessageType::nak), "NAK");
  EXPECT_EQ(to_string(MessageType::release), "RELEASE");
  EXPECT_EQ(to_string(MessageType::inform), "INFORM");
  EXPECT_EQ(to_string(MessageType::leasequery), "LEASEQUERY");
  EXPECT_EQ(to_string(MessageType::leaseunassigned), "LEASEUNASSIGNED");
  EXPECT_EQ(to_string(MessageType::leaseunknown), "LEASEUNKNOWN");
  EXPECT_EQ(to_string(MessageType::leaseactive), "LEASEACTIVE");
  EXPECT_EQ(to_string(static_cast<MessageType>(0)), "unknown");
  EXPECT_EQ(to_string(static_cast<MessageType>(9)), "unknown");
  EXPECT_EQ(to_string(static_cast<MessageType>(14)), "unknown");
  EXPECT_EQ(static_cast<int>(MessageType::discover), 1);
  EXPECT_EQ(static_cast<int>(MessageType::inform), 8);
  EXPECT_EQ(static_cast<int>(MessageType::leasequery), 10);
  EXPECT_EQ(static_cast<int>(MessageType::leaseactive), 13);
}

TEST(MessageType, TheServerServesOnlyClientRequests) {
  std::vector<int> served;
  for (int value = 0; value < 256; ++value) {
    if (is_served_request(static_cast<MessageType>(value))) {
      served.push_back(value);
    }
  }
  EXPECT_THAT(served, ElementsAre(1, 3, 4, 7, 8));
}

TEST(OptionArea, Names) {
  EXPECT_EQ(to_string(OptionArea::options), "options");
  EXPECT_EQ(to_string(OptionArea::file), "file");
  EXPECT_EQ(to_string(OptionArea::sname), "sname");
}

}  // namespace
}  // namespace calloutemu::dhcp
