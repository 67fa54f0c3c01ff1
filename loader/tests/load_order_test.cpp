#include "calloutemu/loader/load_order.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace calloutemu::loader {
namespace {

using Names = std::vector<std::string>;

int sign(int value) {
  return (value > 0) - (value < 0);
}

int compare(std::string_view a, std::string_view b) {
  return sign(compare_paths_ignoring_case(a, b));
}

// Checks both argument orders, so the comparison is antisymmetric too.
void expect_less(std::string_view a, std::string_view b) {
  EXPECT_EQ(compare(a, b), -1) << '"' << a << "\" should sort before \"" << b << '"';
  EXPECT_EQ(compare(b, a), 1) << '"' << b << "\" should sort after \"" << a << '"';
}

void expect_same(std::string_view a, std::string_view b) {
  EXPECT_EQ(compare(a, b), 0) << '"' << a << "\" and \"" << b << "\" should compare equal";
  EXPECT_EQ(compare(b, a), 0) << '"' << b << "\" and \"" << a << "\" should compare equal";
}

TEST(ParseLoadOrder, AcceptsBothNames) {
  EXPECT_EQ(parse_load_order("alphabetical"), LoadOrder::alphabetical);
  EXPECT_EQ(parse_load_order("listed"), LoadOrder::listed);
}

TEST(ParseLoadOrder, RejectsAnythingElse) {
  EXPECT_EQ(parse_load_order(""), std::nullopt);
  EXPECT_EQ(parse_load_order("sorted"), std::nullopt);
  EXPECT_EQ(parse_load_order("Listed"), std::nullopt);
  EXPECT_EQ(parse_load_order("listed "), std::nullopt);
}

TEST(LoadOrderToString, RoundTrips) {
  EXPECT_EQ(to_string(LoadOrder::alphabetical), "alphabetical");
  EXPECT_EQ(to_string(LoadOrder::listed), "listed");
  for (LoadOrder order : {LoadOrder::alphabetical, LoadOrder::listed}) {
    EXPECT_EQ(parse_load_order(to_string(order)), order);
  }
}

TEST(ComparePaths, IgnoresAsciiCase) {
  expect_same("VENDOR_Callout.DLL", "vendor_callout.dll");
  expect_less("a.dll", "B.dll");  // ordinal without folding would put 'B' first
  expect_less("A.dll", "b.dll");
}

TEST(ComparePaths, FoldsToUppercaseNotLowercase) {
  // 'a' folds to 'A' (0x41), which is below '_' (0x5F); folding to lowercase
  // would put '_' (0x5F) before 'a' (0x61).
  expect_less("a.dll", "_.dll");
  expect_less("Z.dll", "[.dll");
}

TEST(ComparePaths, ShorterPrefixSortsFirst) {
  expect_less("call", "callout");
  expect_less("", "a");
  expect_same("", "");
}

TEST(ComparePaths, ComparesTheWholePathAsWritten) {
  expect_less("C:\\a\\z.dll", "C:\\b\\a.dll");
  expect_less("C:\\callouts\\z.dll", "z.dll");
  expect_less("a.b", "a\\b");  // '.' (0x2E) before '\' (0x5C)
}

TEST(ComparePaths, FoldsLatin1Supplement) {
  expect_same("\xC3\xA0", "\xC3\x80");                            // à À
  expect_same("\xC3\xA9t\xC3\xA9.dll", "\xC3\x89T\xC3\x89.DLL");  // été ÉTÉ
  expect_same("\xC3\xBE", "\xC3\x9E");                            // þ Þ
  expect_same("\xC3\xBF", "\xC5\xB8");                            // ÿ Ÿ (U+0178)
  expect_less("\xC3\x97", "\xC3\xB7");  // × (U+00D7) before ÷ (U+00F7): ÷ is not folded
  expect_less("\xC3\xA0", "\xC3\x9F");  // à folds to U+00C0, before ß, which stays U+00DF
}

TEST(ComparePaths, FoldsLatinExtendedAPairs) {
  expect_same("\xC4\x81", "\xC4\x80");  // ā Ā (even capital)
  expect_same("\xC4\xB3", "\xC4\xB2");  // ĳ Ĳ
  expect_same("\xC4\xBA", "\xC4\xB9");  // ĺ Ĺ (odd capital)
  expect_same("\xC5\x88", "\xC5\x87");  // ň Ň
  expect_same("\xC5\x8B", "\xC5\x8A");  // ŋ Ŋ (even capital again)
  expect_same("\xC5\xB7", "\xC5\xB6");  // ŷ Ŷ
  expect_same("\xC5\xBE", "\xC5\xBD");  // ž Ž
}

TEST(ComparePaths, LeavesLatinExtendedALettersWithoutAPairAlone) {
  expect_less("I", "\xC4\xB1");         // dotless ı (U+0131) is not I
  expect_less("S", "\xC5\xBF");         // long ſ (U+017F) is not S
  expect_less("\xC5\x87", "\xC5\x89");  // ŉ (U+0149) stays above Ň (U+0147)
  expect_less("\xC4\xB7", "\xC4\xB8");  // ĸ (U+0138) stays itself, after ķ -> Ķ (U+0136)
}

TEST(ComparePaths, FoldsGreek) {
  expect_same("\xCE\xB1\xCE\xB2\xCE\xB3", "\xCE\x91\xCE\x92\xCE\x93");  // αβγ ΑΒΓ
  expect_same("\xCF\x89", "\xCE\xA9");                                  // ω Ω
  expect_same("\xCF\x82", "\xCE\xA3");                                  // final ς Σ
  expect_same("\xCF\x83", "\xCF\x82");                                  // σ ς
  expect_same("\xCE\xAC", "\xCE\x86");                                  // ά Ά
  expect_same("\xCE\xAF", "\xCE\x8A");                                  // ί Ί
  expect_same("\xCF\x8C", "\xCE\x8C");                                  // ό Ό
  expect_same("\xCF\x8E", "\xCE\x8F");                                  // ώ Ώ
  expect_same("\xCF\x8B", "\xCE\xAB");                                  // ϋ Ϋ
}

TEST(ComparePaths, FoldsCyrillic) {
  expect_same("\xD0\xBF\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82",
              "\xD0\x9F\xD0\xA0\xD0\x98\xD0\x92\xD0\x95\xD0\xA2");  // привет ПРИВЕТ
  expect_same("\xD1\x8F", "\xD0\xAF");                              // я Я
  expect_same("\xD1\x91", "\xD0\x81");                              // ё Ё
  expect_same("\xD1\x9F", "\xD0\x8F");                              // џ Џ
}

TEST(ComparePaths, ComparesOtherCharactersByCodeUnit) {
  expect_less("\xE4\xB8\x81", "\xE4\xB8\xAD");  // 丁 U+4E01 before 中 U+4E2D
  expect_less("\xEF\xBC\xA1", "\xEF\xBD\x81");  // fullwidth Ａ before ａ: not folded
}

TEST(ComparePaths, UsesUtf16CodeUnitOrderNotCodePointOrder) {
  // U+1F600 is D83D DE00 in UTF-16, so it sorts before U+FF21, unlike in UTF-8.
  expect_less("\xF0\x9F\x98\x80", "\xEF\xBC\xA1");
}

TEST(ComparePaths, StaysATotalOrderOnMalformedUtf8) {
  expect_same("a\xFF", "A\xFF");
  expect_less("a\xFE", "a\xFF");
  expect_less("a\xC3\xA9", "a\xC3");      // é (U+00C9 once folded) before a stray C3 (U+DCC3)
  expect_less("a\xFF", "a\xEF\xBF\xBF");  // a stray FF (U+DCFF) before a valid U+FFFF
}

TEST(OrderForLoading, AlphabeticalSortsIgnoringCase) {
  EXPECT_EQ(order_for_loading({"zeta.dll", "Alpha.dll", "beta.dll", "C:\\x\\gamma.dll"},
                              LoadOrder::alphabetical),
            (Names{"Alpha.dll", "beta.dll", "C:\\x\\gamma.dll", "zeta.dll"}));
}

TEST(OrderForLoading, AlphabeticalIsStable) {
  EXPECT_EQ(order_for_loading({"B.dll", "a.dll", "b.dll", "A.dll"}, LoadOrder::alphabetical),
            (Names{"a.dll", "A.dll", "B.dll", "b.dll"}));
  EXPECT_EQ(order_for_loading({"b.dll", "A.dll", "B.dll", "a.dll"}, LoadOrder::alphabetical),
            (Names{"A.dll", "a.dll", "b.dll", "B.dll"}));
}

TEST(OrderForLoading, ListedKeepsTheStoredOrder) {
  const Names names{"zeta.dll", "Alpha.dll", "beta.dll"};
  EXPECT_EQ(order_for_loading(names, LoadOrder::listed), names);
}

TEST(OrderForLoading, HandlesEmptyAndSingleLists) {
  EXPECT_TRUE(order_for_loading({}, LoadOrder::alphabetical).empty());
  EXPECT_EQ(order_for_loading({"x.dll"}, LoadOrder::alphabetical), (Names{"x.dll"}));
}

}  // namespace
}  // namespace calloutemu::loader
