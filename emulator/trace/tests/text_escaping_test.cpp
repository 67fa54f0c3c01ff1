// Strings from callouts and the OS end up in JSON and in readable lines: any
// bytes must come out as valid UTF-8 and valid JSON.
#include "text_escaping.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace calloutemu::trace::detail {
namespace {

std::string json_string(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

std::string readable_string(std::string_view text) {
  std::string out;
  append_readable_string(out, text);
  return out;
}

// What nlohmann reads back from "<escaped>".
std::string parse_back(std::string_view text) {
  const auto parsed = nlohmann::json::parse("\"" + json_string(text) + "\"", nullptr, false);
  EXPECT_FALSE(parsed.is_discarded()) << json_string(text);
  return parsed.is_string() ? parsed.get<std::string>() : "<not a string>";
}

TEST(JsonString, PlainAsciiIsExactlyWhatComesOutUnchanged) {
  for (const std::string_view text :
       {"", "NewPkt", "SEND_PACKET", "a b~!#$%&'()*+,-./:;<=>?@[]^_`{|}", "\x7f"}) {
    EXPECT_TRUE(is_plain_json_ascii(text)) << text;
    EXPECT_EQ(json_string(text), text);
  }
  for (const std::string_view text :
       {"say \"hi\"", "back\\slash", "tab\there", "\x1f", "caf\xC3\xA9", "\xFF"}) {
    EXPECT_FALSE(is_plain_json_ascii(text)) << text;
  }
  EXPECT_FALSE(is_plain_json_ascii(std::string_view("nul\0", 4)));
}

TEST(JsonString, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(json_string(R"(say "hi" \ bye)"), R"(say \"hi\" \\ bye)");
  EXPECT_EQ(json_string(std::string("a\nb\tc\x01\x1f", 7)), R"(a\u000ab\u0009c\u0001\u001f)");
  EXPECT_EQ(json_string(std::string("nul\0here", 8)), R"(nul\u0000here)");
  EXPECT_EQ(json_string("caf\xC3\xA9 \xE2\x82\xAC"), "caf\xC3\xA9 \xE2\x82\xAC")
      << "valid UTF-8 as is";
  EXPECT_EQ(json_string("\x7f"), "\x7f");
}

TEST(JsonString, ReplacesEachInvalidByteWithTheReplacementCharacter) {
  EXPECT_EQ(json_string("a\xFF"
                        "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(json_string("\xC0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(json_string("end\xE2\x82"), "end\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(JsonString, ReadsBackAsTheSanitizedText) {
  EXPECT_EQ(parse_back(R"(quote " backslash \ slash /)"), R"(quote " backslash \ slash /)");
  EXPECT_EQ(parse_back(std::string("\0\x01\n\r\x1f", 5)), std::string("\0\x01\n\r\x1f", 5));
  EXPECT_EQ(
      parse_back("bad \xFE\xFF \xED\xA0\x80 ok \xF0\x9F\x98\x80"),
      "bad \xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD ok \xF0\x9F\x98\x80");
}

TEST(JsonString, EveryByteValueGivesValidJson) {
  std::string all;
  for (int byte = 0; byte < 256; ++byte) {
    all.push_back(static_cast<char>(byte));
  }
  const std::string back = parse_back(all);
  EXPECT_EQ(back.substr(0, 128), all.substr(0, 128));
  EXPECT_EQ(back.size(), 128u + 128u * 3u) << "each byte from 0x80 is one U+FFFD";
}

TEST(ReadableString, KeepsOneLineAndValidUtf8) {
  EXPECT_EQ(readable_string("a\nb\\c\x01"), R"(a\x0ab\\c\x01)");
  EXPECT_EQ(readable_string("x\xFFy"), "x\xEF\xBF\xBDy");
  EXPECT_EQ(readable_string("\"quoted\""), "\"quoted\"");
}

TEST(ReadableString, IsTheSameAfterAJsonRoundTrip) {
  const std::string text = "fault \"x\"\n\xFF\xC3\xA9\x01\\";
  EXPECT_EQ(readable_string(parse_back(text)), readable_string(text));
}

}  // namespace
}  // namespace calloutemu::trace::detail
