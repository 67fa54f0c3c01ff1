#include "calloutemu/loader/text_encoding.h"

#include <gtest/gtest.h>

#include <string>

namespace calloutemu::loader {
namespace {

using namespace std::string_literals;

std::string utf8_error_of(std::string_view text) {
  auto result = utf8_to_utf16(text);
  return result ? std::string("(no error)") : result.error().message;
}

std::string utf16_error_of(std::u16string_view text) {
  auto result = utf16_to_utf8(text);
  return result ? std::string("(no error)") : result.error().message;
}

TEST(Utf8ToUtf16, ConvertsAscii) {
  auto wide = utf8_to_utf16("vendor_callout.dll");
  ASSERT_TRUE(wide) << wide.error().message;
  EXPECT_EQ(*wide, u"vendor_callout.dll");
}

TEST(Utf8ToUtf16, ConvertsEmptyText) {
  auto wide = utf8_to_utf16("");
  ASSERT_TRUE(wide);
  EXPECT_TRUE(wide->empty());
}

TEST(Utf8ToUtf16, ConvertsEachSequenceLength) {
  // é (2 bytes), € (3 bytes), U+1D11E (4 bytes, a surrogate pair in UTF-16).
  auto wide = utf8_to_utf16("\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9E");
  ASSERT_TRUE(wide) << wide.error().message;
  EXPECT_EQ(*wide, (std::u16string{0x00E9, 0x20AC, 0xD834, 0xDD1E}));
}

TEST(Utf8ToUtf16, AcceptsTheBoundaryCodePoints) {
  auto wide = utf8_to_utf16(
      "\x7F"
      "\xC2\x80\xDF\xBF"
      "\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\xEF\xBF\xBF"
      "\xF0\x90\x80\x80\xF4\x8F\xBF\xBF");
  ASSERT_TRUE(wide) << wide.error().message;
  EXPECT_EQ(*wide, (std::u16string{0x007F, 0x0080, 0x07FF, 0x0800, 0xD7FF, 0xE000, 0xFFFF, 0xD800,
                                   0xDC00, 0xDBFF, 0xDFFF}));
}

TEST(Utf8ToUtf16, KeepsEmbeddedNul) {
  auto wide = utf8_to_utf16("a\0b"s);
  ASSERT_TRUE(wide);
  EXPECT_EQ(*wide, (std::u16string{u'a', 0, u'b'}));
}

TEST(Utf8ToUtf16, RejectsOverlongEncodings) {
  EXPECT_EQ(utf8_error_of("ab\xC0\x80"), "invalid UTF-8 at byte 2: overlong encoding of U+0000");
  EXPECT_EQ(utf8_error_of("\xC1\xBF"), "invalid UTF-8 at byte 0: overlong encoding of U+007F");
  EXPECT_EQ(utf8_error_of("\xE0\x9F\xBF"), "invalid UTF-8 at byte 0: overlong encoding of U+07FF");
  EXPECT_EQ(utf8_error_of("\xF0\x8F\xBF\xBF"),
            "invalid UTF-8 at byte 0: overlong encoding of U+FFFF");
}

TEST(Utf8ToUtf16, RejectsEncodedSurrogates) {
  EXPECT_EQ(utf8_error_of("x\xED\xA0\x80"), "invalid UTF-8 at byte 1: surrogate code point U+D800");
  EXPECT_EQ(utf8_error_of("\xED\xBF\xBF"), "invalid UTF-8 at byte 0: surrogate code point U+DFFF");
}

TEST(Utf8ToUtf16, RejectsCodePointsAboveTheUnicodeRange) {
  EXPECT_EQ(utf8_error_of("\xF4\x90\x80\x80"),
            "invalid UTF-8 at byte 0: code point U+110000 is above U+10FFFF");
}

TEST(Utf8ToUtf16, RejectsTruncatedSequences) {
  EXPECT_EQ(utf8_error_of("a\xE2\x82"), "invalid UTF-8 at byte 1: truncated 3-byte sequence");
  EXPECT_EQ(utf8_error_of("\xC3"), "invalid UTF-8 at byte 0: truncated 2-byte sequence");
  EXPECT_EQ(utf8_error_of("\xF0\x9D\x84"), "invalid UTF-8 at byte 0: truncated 4-byte sequence");
}

TEST(Utf8ToUtf16, RejectsAMissingContinuationByte) {
  EXPECT_EQ(utf8_error_of("\xE2\x28\xA1"),
            "invalid UTF-8 at byte 1: expected a continuation byte, found 0x28");
}

TEST(Utf8ToUtf16, RejectsStrayAndInvalidBytes) {
  EXPECT_EQ(utf8_error_of("abc\x80"), "invalid UTF-8 at byte 3: unexpected continuation byte 0x80");
  EXPECT_EQ(utf8_error_of("\xFF"), "invalid UTF-8 at byte 0: invalid lead byte 0xFF");
  EXPECT_EQ(utf8_error_of("\xF8\x88\x80\x80\x80"),
            "invalid UTF-8 at byte 0: invalid lead byte 0xF8");
}

TEST(Utf16ToUtf8, ConvertsEachSequenceLength) {
  auto narrow = utf16_to_utf8(std::u16string{u'A', 0x00E9, 0x20AC, 0xD834, 0xDD1E});
  ASSERT_TRUE(narrow) << narrow.error().message;
  EXPECT_EQ(*narrow, "A\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9E");
}

TEST(Utf16ToUtf8, ConvertsTheHighestCodePoint) {
  auto narrow = utf16_to_utf8(std::u16string{0xDBFF, 0xDFFF, 0xFFFF});
  ASSERT_TRUE(narrow);
  EXPECT_EQ(*narrow, "\xF4\x8F\xBF\xBF\xEF\xBF\xBF");
}

TEST(Utf16ToUtf8, KeepsEmbeddedNul) {
  auto narrow = utf16_to_utf8(std::u16string{u'a', 0, u'b'});
  ASSERT_TRUE(narrow);
  EXPECT_EQ(*narrow, "a\0b"s);
}

TEST(Utf16ToUtf8, RejectsAHighSurrogateAtTheEnd) {
  EXPECT_EQ(utf16_error_of(std::u16string{u'a', u'b', 0xD800}),
            "invalid UTF-16 at unit 2: high surrogate U+D800 at the end");
}

TEST(Utf16ToUtf8, RejectsAHighSurrogateWithoutItsLowSurrogate) {
  EXPECT_EQ(utf16_error_of(std::u16string{0xDBFF, u'x'}),
            "invalid UTF-16 at unit 0: high surrogate U+DBFF not followed by a low surrogate");
  EXPECT_EQ(utf16_error_of(std::u16string{u'a', 0xD800, 0xD800, 0xDC00}),
            "invalid UTF-16 at unit 1: high surrogate U+D800 not followed by a low surrogate");
}

TEST(Utf16ToUtf8, RejectsALoneLowSurrogate) {
  EXPECT_EQ(utf16_error_of(std::u16string{u'a', 0xDC00, u'b'}),
            "invalid UTF-16 at unit 1: unpaired low surrogate U+DC00");
}

TEST(TextEncoding, RoundTripsEveryPlane) {
  const std::string text =
      "C:\\callouts\\\xC3\x9C"
      "berwachung-\xD0\x9F\xD1\x80\xD0\xB8-\xE4\xB8\xAD-\xF0\x9F\x98\x80.dll";
  auto wide = utf8_to_utf16(text);
  ASSERT_TRUE(wide) << wide.error().message;
  auto back = utf16_to_utf8(*wide);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, text);
}

}  // namespace
}  // namespace calloutemu::loader
