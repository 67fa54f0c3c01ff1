#include "calloutemu/loader/multi_sz.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace calloutemu::loader {
namespace {

using namespace std::string_literals;
using Names = std::vector<std::string>;

std::u16string encoded(const Names& names) {
  auto result = encode_multi_sz(names);
  EXPECT_TRUE(result) << result.error().message;
  return result ? *result : std::u16string(u"<error>");
}

TEST(EncodeMultiSz, EmptyListIsASingleNul) {
  const std::u16string data = encoded({});
  ASSERT_EQ(data.size(), 1u);
  EXPECT_EQ(data[0], u'\0');
}

TEST(EncodeMultiSz, TerminatesEachNameAndTheList) {
  EXPECT_EQ(encoded({"a.dll", "b.dll"}), u"a.dll\0b.dll\0\0"s);
  EXPECT_EQ(encoded({"a.dll", "b.dll"}).size(), 13u);
}

TEST(EncodeMultiSz, OneNameEndsInTwoNuls) {
  EXPECT_EQ(encoded({"C:\\callouts\\x.dll"}), u"C:\\callouts\\x.dll\0\0"s);
}

TEST(EncodeMultiSz, EncodesNamesAsUtf16) {
  // "Überwachung.dll" and a name outside the BMP.
  EXPECT_EQ(encoded({"\xC3\x9C"
                     "berwachung.dll",
                     "\xF0\x9F\x98\x80"}),
            u"\u00DCberwachung.dll\0\xD83D\xDE00\0\0"s);
}

TEST(EncodeMultiSz, RejectsAnEmptyName) {
  auto result = encode_multi_sz({"a.dll", ""});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "name 2 is empty: REG_MULTI_SZ cannot hold an empty string");
}

TEST(EncodeMultiSz, RejectsANameWithANul) {
  auto result = encode_multi_sz({"a\0b.dll"s});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "name 1 contains a NUL character");
}

TEST(EncodeMultiSz, RejectsMalformedUtf8) {
  auto result = encode_multi_sz({"ok.dll", "bad\xC0\x80.dll"});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "name 2: invalid UTF-8 at byte 3: overlong encoding of U+0000");
}

TEST(DecodeMultiSz, ReadsEveryString) {
  auto names = decode_multi_sz(u"a.dll\0b.dll\0\0"s);
  ASSERT_TRUE(names) << names.error().message;
  EXPECT_EQ(*names, (Names{"a.dll", "b.dll"}));
}

TEST(DecodeMultiSz, EmptyDataAndSingleNulAreEmptyLists) {
  auto nothing = decode_multi_sz(u"");
  ASSERT_TRUE(nothing);
  EXPECT_TRUE(nothing->empty());
  auto single = decode_multi_sz(u"\0"s);
  ASSERT_TRUE(single);
  EXPECT_TRUE(single->empty());
}

TEST(DecodeMultiSz, StopsAtTheFirstEmptyString) {
  auto names = decode_multi_sz(u"a.dll\0\0b.dll\0\0"s);
  ASSERT_TRUE(names);
  EXPECT_EQ(*names, (Names{"a.dll"}));
}

TEST(DecodeMultiSz, TakesALastStringWithoutItsNul) {
  auto names = decode_multi_sz(u"a.dll\0b.dll"s);
  ASSERT_TRUE(names);
  EXPECT_EQ(*names, (Names{"a.dll", "b.dll"}));
}

TEST(DecodeMultiSz, AcceptsAListWithoutTheClosingNul) {
  auto names = decode_multi_sz(u"a.dll\0b.dll\0"s);
  ASSERT_TRUE(names);
  EXPECT_EQ(*names, (Names{"a.dll", "b.dll"}));
}

TEST(DecodeMultiSz, DecodesUtf16ToUtf8) {
  auto names = decode_multi_sz(u"\u00DCber.dll\0\xD83D\xDE00\0\0"s);
  ASSERT_TRUE(names) << names.error().message;
  EXPECT_EQ(*names, (Names{"\xC3\x9C"
                           "ber.dll",
                           "\xF0\x9F\x98\x80"}));
}

TEST(DecodeMultiSz, RejectsMalformedUtf16NamingTheString) {
  auto names = decode_multi_sz(u"a.dll\0b\xD800.dll\0\0"s);
  ASSERT_FALSE(names);
  EXPECT_EQ(names.error().message,
            "string 2 (from unit 6): invalid UTF-16 at unit 1: high surrogate U+D800 not followed "
            "by a low surrogate");
}

TEST(MultiSz, RoundTrips) {
  const Names names{"C:\\Program Files\\Vendor\\v.dll", "audit.dll", "\xD0\x9F.dll"};
  auto decoded = decode_multi_sz(encoded(names));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, names);
}

}  // namespace
}  // namespace calloutemu::loader
