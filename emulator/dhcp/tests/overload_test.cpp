// Option 52: options continuing in `file`, then `sname` (RFC 2131 §4.1).
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
using testing::tlv;

constexpr auto kOptions = OptionArea::options;
constexpr auto kFile = OptionArea::file;
constexpr auto kSname = OptionArea::sname;

Bytes joined(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& part : parts) {
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

// Both fields filled with option-shaped bytes, so a field read by mistake shows.
PacketMaker with_fields() {
  return PacketMaker()
      .bytes_at(kFileOffset, joined({tlv(50, {10, 0, 0, 1}), {255}}))
      .bytes_at(kSnameOffset, joined({tlv(12, {'s', 'n'}), {255}}));
}

TEST(Overload, FileHoldsOptionsAfterTheOptionsField) {
  const ParsedMessage message(with_fields().option(52, {1}).option(53, {1}).end().bytes());
  EXPECT_EQ(message.overload, 1);
  EXPECT_TRUE(message.file_holds_options());
  EXPECT_FALSE(message.sname_holds_options());
  EXPECT_THAT(message.options,
              ElementsAre(OptionRef{52, kOptions, 242, 1}, OptionRef{53, kOptions, 245, 1},
                          OptionRef{50, kFile, 110, 4}));
  EXPECT_FALSE(message.overrun);
}

TEST(Overload, SnameHoldsOptions) {
  const ParsedMessage message(with_fields().option(52, {2}).end().bytes());
  EXPECT_EQ(message.overload, 2);
  EXPECT_FALSE(message.file_holds_options());
  EXPECT_TRUE(message.sname_holds_options());
  EXPECT_THAT(message.options,
              ElementsAre(OptionRef{52, kOptions, 242, 1}, OptionRef{12, kSname, 46, 2}));
}

TEST(Overload, BothAreReadFileFirstThenSname) {
  const ParsedMessage message(with_fields().option(53, {3}).option(52, {3}).end().bytes());
  EXPECT_EQ(message.overload, 3);
  EXPECT_THAT(message.options,
              ElementsAre(OptionRef{53, kOptions, 242, 1}, OptionRef{52, kOptions, 245, 1},
                          OptionRef{50, kFile, 110, 4}, OptionRef{12, kSname, 46, 2}));
}

TEST(Overload, FirstOccurrenceWinsOverLaterOnesInOtherAreas) {
  // 50 in the options field and in file: find_option() gives the options field's.
  const Bytes bytes = with_fields().option(50, {192, 0, 2, 9}).option(52, {1}).end().bytes();
  const ParsedMessage message(bytes);
  EXPECT_EQ(message.find_option(50), (OptionRef{50, kOptions, 242, 4}));
  EXPECT_THAT(message.find_all_options(50),
              ElementsAre(OptionRef{50, kOptions, 242, 4}, OptionRef{50, kFile, 110, 4}));
}

TEST(Overload, FieldsWithoutEndOptionAreReadToTheirEnd) {
  Bytes file(kFileSize, 0);
  const Bytes last = tlv(12, Bytes(5, 'f'));  // the field's last 7 bytes
  std::copy(last.begin(), last.end(), file.end() - 7);
  const ParsedMessage message(PacketMaker().bytes_at(kFileOffset, file).option(52, {1}).bytes());
  EXPECT_THAT(message.options,
              ElementsAre(OptionRef{52, kOptions, 242, 1}, OptionRef{12, kFile, 231, 5}));
  EXPECT_FALSE(message.overrun);
}

TEST(Overload, AnOptionRunningPastFileIsAnOverrunThoughTheDatagramGoesOn) {
  Bytes file(kFileSize, 0);
  const Bytes last = tlv(12, Bytes(6, 'f'));  // one byte more than the field has left
  std::copy(last.begin(), last.end() - 1, file.end() - 7);
  const ParsedMessage message(
      PacketMaker().bytes_at(kFileOffset, file).option(52, {1}).end().bytes());
  EXPECT_THAT(message.options, ElementsAre(OptionRef{52, kOptions, 242, 1}));
  EXPECT_EQ(message.overrun, (OptionOverrun{12, kFile, 229}));
}

TEST(Overload, AnOptionRunningPastSnameIsAnOverrun) {
  Bytes sname(kSnameSize, 0);
  sname[62] = 12;
  sname[63] = 1;  // its one byte would be file's first
  const ParsedMessage message(PacketMaker().bytes_at(kSnameOffset, sname).option(52, {2}).bytes());
  EXPECT_EQ(message.overrun, (OptionOverrun{12, kSname, 106}));
}

TEST(Overload, SnameIsStillReadAfterAnOverrunInFile) {
  Bytes file(kFileSize, 0);
  file[0] = 12;
  file[1] = 200;
  const ParsedMessage message(
      with_fields().bytes_at(kFileOffset, file).option(52, {3}).end().bytes());
  EXPECT_THAT(message.options,
              ElementsAre(OptionRef{52, kOptions, 242, 1}, OptionRef{12, kSname, 46, 2}));
  EXPECT_EQ(message.overrun, (OptionOverrun{12, kFile, 108}));
}

TEST(Overload, TheFirstOverrunIsKept) {
  Bytes file(kFileSize, 0);
  file[0] = 12;
  file[1] = 200;
  const MessageView message = ParsedMessage(
      with_fields().bytes_at(kFileOffset, file).option(52, {1}).raw({60, 9, 1}).bytes());
  EXPECT_EQ(message.overrun, (OptionOverrun{60, kOptions, 243}));
}

TEST(Overload, HonouredWhenSeenBeforeAnOverrunInTheOptionsField) {
  const ParsedMessage message(with_fields().option(52, {1}).raw({60, 9, 1}).bytes());
  EXPECT_EQ(message.overload, 1);
  EXPECT_THAT(message.options,
              ElementsAre(OptionRef{52, kOptions, 242, 1}, OptionRef{50, kFile, 110, 4}));
  EXPECT_EQ(message.overrun, (OptionOverrun{60, kOptions, 243}));
}

TEST(Overload, IgnoredUnlessOneByteOfOneToThree) {
  for (const Bytes& value : {Bytes{0}, Bytes{4}, Bytes{255}, Bytes{}, Bytes{1, 1}}) {
    const ParsedMessage message(with_fields().option(52, value).end().bytes());
    EXPECT_EQ(message.overload, 0) << value.size();
    ASSERT_EQ(message.options.size(), 1u);
    EXPECT_EQ(message.options[0].code, 52);
  }
}

TEST(Overload, TheFirstHonourableOccurrenceDecides) {
  EXPECT_EQ(
      ParsedMessage(with_fields().option(52, {7}).option(52, {2}).option(52, {1}).bytes()).overload,
      2);
}

TEST(Overload, AnOption52InsideFileDoesNotExtendToSname) {
  const Bytes file = joined({tlv(52, {3}), {255}});
  const MessageView message =
      ParsedMessage(with_fields().bytes_at(kFileOffset, file).option(52, {1}).end().bytes());
  EXPECT_EQ(message.overload, 1);
  EXPECT_THAT(message.options,
              ElementsAre(OptionRef{52, kOptions, 242, 1}, OptionRef{52, kFile, 110, 1}));
}

}  // namespace
}  // namespace calloutemu::dhcp
