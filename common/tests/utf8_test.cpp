#include "calloutemu/utf8.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace calloutemu {
namespace {

TEST(Utf8Sequence, AcceptsWellFormedSequences) {
  EXPECT_EQ(utf8_sequence("a", 0).length, 1u);
  EXPECT_EQ(utf8_sequence("\xC3\xA9", 0).length, 2u);          // é
  EXPECT_EQ(utf8_sequence("\xE2\x82\xAC", 0).length, 3u);      // €
  EXPECT_EQ(utf8_sequence("\xF0\x9F\x98\x80", 0).length, 4u);  // U+1F600
  EXPECT_EQ(utf8_sequence("\xF4\x8F\xBF\xBF", 0).length, 4u);  // U+10FFFF
  EXPECT_EQ(utf8_sequence("\xED\x9F\xBF", 0).length, 3u);      // U+D7FF
}

TEST(Utf8Sequence, RejectsIllFormedSequences) {
  for (const std::string_view bad : {
           std::string_view("\x80"),              // lone continuation
           std::string_view("\xC0\x80"),          // overlong NUL
           std::string_view("\xC1\xBF"),          // overlong
           std::string_view("\xE0\x80\x80"),      // overlong
           std::string_view("\xED\xA0\x80"),      // surrogate U+D800
           std::string_view("\xF4\x90\x80\x80"),  // past U+10FFFF
           std::string_view("\xF5\x80\x80\x80"),  // no such lead byte
           std::string_view("\xC3"),              // truncated
           std::string_view("\xE2\x82"),          // truncated
           std::string_view("\xE2\x82x"),         // not a continuation
       }) {
    EXPECT_EQ(utf8_sequence(bad, 0).length, 0u) << testing::PrintToString(std::string(bad));
  }
}

TEST(Utf8Sequence, DecodesTheCodePoint) {
  EXPECT_EQ(utf8_sequence("\xE2\x82\xAC", 0).code_point, U'\u20AC');
  EXPECT_EQ(utf8_sequence("x\xF0\x9F\x98\x80", 1).code_point, U'\U0001F600');
}

TEST(IsUtf8, AcceptsWellFormedTextOnly) {
  EXPECT_TRUE(is_utf8(""));
  EXPECT_TRUE(is_utf8("plain \xC3\xA9t\xC3\xA9 \xE2\x82\xAC"));
  EXPECT_FALSE(is_utf8("ends in the middle \xE2\x82"));
  EXPECT_FALSE(is_utf8("a surrogate \xED\xA0\x80 inside"));
}

}  // namespace
}  // namespace calloutemu
