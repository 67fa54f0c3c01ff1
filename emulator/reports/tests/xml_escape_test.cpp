#include "xml_escape.h"

#include <gtest/gtest.h>

#include <string>

namespace calloutemu::reports::detail {
namespace {

const std::string kReplacement = "\xEF\xBF\xBD";

TEST(XmlEscape, MarkupInText) {
  EXPECT_EQ(xml_escaped("a<b>&c\"d'e", XmlContext::text), "a&lt;b>&amp;c\"d'e");
  EXPECT_EQ(xml_escaped("NewPkt -> 0", XmlContext::text), "NewPkt -> 0");
  EXPECT_EQ(xml_escaped("]]>", XmlContext::text), "]]&gt;");
  EXPECT_EQ(xml_escaped("x]]>]>>", XmlContext::text), "x]]&gt;]>>");
}

TEST(XmlEscape, MarkupInAttributes) {
  EXPECT_EQ(xml_escaped("a<b>&c\"d'e", XmlContext::attribute), "a&lt;b&gt;&amp;c&quot;d'e");
}

TEST(XmlEscape, WhitespaceSurvivesAttributeNormalisation) {
  EXPECT_EQ(xml_escaped("a\tb\nc\rd", XmlContext::attribute), "a&#9;b&#10;c&#13;d");
  EXPECT_EQ(xml_escaped("a\tb\nc\rd", XmlContext::text), "a\tb\nc&#13;d");
}

TEST(XmlEscape, ForbiddenControlCharactersAreReplaced) {
  const std::string raw(
      "a\x01"
      "b\x00"
      "c\x1f\x0b\x0c"
      "d",
      9);
  const std::string expected = "a" + kReplacement + "b" + kReplacement + "c" + kReplacement +
                               kReplacement + kReplacement + "d";
  EXPECT_EQ(xml_escaped(raw, XmlContext::text), expected);
  EXPECT_EQ(xml_escaped(raw, XmlContext::attribute), expected);
  EXPECT_EQ(xml_escaped("\x7f", XmlContext::text), "\x7f");  // allowed in XML 1.0
}

TEST(XmlEscape, ValidUtf8IsKept) {
  const std::string text =
      "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xEF\xBF\xBD \xF4\x8F\xBF\xBF";
  EXPECT_EQ(xml_escaped(text, XmlContext::text), text);
}

TEST(XmlEscape, InvalidUtf8IsReplacedBytewise) {
  EXPECT_EQ(xml_escaped("a\xFF"
                        "b",
                        XmlContext::text),
            "a" + kReplacement + "b");
  // Truncated sequence, then an ASCII byte that must survive.
  EXPECT_EQ(xml_escaped("\xE2\x82"
                        "x",
                        XmlContext::text),
            kReplacement + kReplacement + "x");
  // Overlong '/', a surrogate, past U+10FFFF, a lone continuation byte.
  EXPECT_EQ(xml_escaped("\xC0\xAF", XmlContext::text), kReplacement + kReplacement);
  EXPECT_EQ(xml_escaped("\xED\xA0\x80", XmlContext::text),
            kReplacement + kReplacement + kReplacement);
  EXPECT_EQ(xml_escaped("\xF4\x90\x80\x80", XmlContext::text),
            kReplacement + kReplacement + kReplacement + kReplacement);
  EXPECT_EQ(xml_escaped("\x80", XmlContext::text), kReplacement);
  // Sequence cut off by the end of the text.
  EXPECT_EQ(xml_escaped("\xF0\x9F\x98", XmlContext::text),
            kReplacement + kReplacement + kReplacement);
}

TEST(XmlEscape, NonCharactersXmlForbidsAreReplaced) {
  EXPECT_EQ(xml_escaped("\xEF\xBF\xBE|\xEF\xBF\xBF", XmlContext::text),
            kReplacement + "|" + kReplacement);
}

TEST(XmlEscape, AppendsToWhatIsThere) {
  std::string out = "<x a=\"";
  append_xml_escaped(out, "1&2", XmlContext::attribute);
  EXPECT_EQ(out, "<x a=\"1&amp;2");
}

}  // namespace
}  // namespace calloutemu::reports::detail
