#include "calloutemu/loader/reg_file.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdio>
#include <string>
#include <system_error>
#include <vector>

#include "fixtures.h"

namespace calloutemu::loader {
namespace {

using namespace std::string_literals;
using Names = std::vector<std::string>;

const std::string kV5 = "Windows Registry Editor Version 5.00";
const std::string kKey =
    "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\DHCPServer\\Parameters]";
const std::string kNoSectionError =
    "test.reg: the file has no "
    "[HKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\Services\\DHCPServer\\Parameters] section";

std::string utf16le_bytes(std::u16string_view text) {
  std::string bytes;
  for (char16_t unit : text) {
    bytes.push_back(static_cast<char>(unit & 0xFF));
    bytes.push_back(static_cast<char>(unit >> 8));
  }
  return bytes;
}

// A file as regedit 5 writes it: UTF-16LE with a BOM, CRLF line ends.
std::string unicode_file(std::u16string_view text) {
  return "\xFF\xFE" + utf16le_bytes(text);
}

std::u16string widen_ascii(std::string_view text) {
  std::u16string wide;
  for (char c : text) {
    EXPECT_LT(static_cast<unsigned char>(c), 0x80u) << "test helper takes ASCII only";
    wide.push_back(static_cast<char16_t>(c));
  }
  return wide;
}

std::string join(const std::vector<std::string>& lines, std::string_view newline = "\r\n") {
  std::string text;
  for (const std::string& line : lines) {
    text += line;
    text += newline;
  }
  return text;
}

std::string unicode_export(const std::vector<std::string>& lines) {
  return unicode_file(widen_ascii(join(lines)));
}

std::string ansi_export(const std::vector<std::string>& lines, std::string_view newline = "\r\n") {
  return join(lines, newline);
}

// "61,00,2e,00,..." for raw bytes.
std::string hex_list(std::string_view bytes) {
  std::string text;
  for (char c : bytes) {
    char item[4];
    std::snprintf(item, sizeof item, "%02x", static_cast<unsigned>(static_cast<unsigned char>(c)));
    if (!text.empty()) {
      text += ',';
    }
    text += item;
  }
  return text;
}

// The hex(7) data regedit 5 writes for a REG_MULTI_SZ, given the UTF-16 value.
std::string hex7(std::u16string_view multi_sz) {
  return "hex(7):" + hex_list(utf16le_bytes(multi_sz));
}

CalloutConfig parsed(std::string_view bytes) {
  auto result = parse_reg_export(bytes, "test.reg");
  EXPECT_TRUE(result) << result.error().message;
  return result ? *result : CalloutConfig{};
}

std::string error_of(std::string_view bytes, std::string_view file_name = "test.reg") {
  auto result = parse_reg_export(bytes, file_name);
  return result ? std::string("(no error)") : result.error().message;
}

// ------------------------------------------------------------ good exports

TEST(ParseRegExport, ReadsAUnicodeExportAsRegeditWritesIt) {
  const std::string file = unicode_export({
      kV5,
      "",
      kKey,
      "\"CalloutDlls\"=hex(7):43,00,3a,00,5c,00,76,00,2e,00,64,00,6c,00,6c,00,00,00,62,\\",
      "  00,2e,00,64,00,6c,00,6c,00,00,00,00,00",
      "\"CalloutEnabled\"=dword:00000001",
      "",
  });
  const CalloutConfig config = parsed(file);
  EXPECT_EQ(config.source, "test.reg");
  EXPECT_EQ(config.dlls, (Names{"C:\\v.dll", "b.dll"}));
  EXPECT_EQ(config.callout_enabled, 1u);
  EXPECT_TRUE(config.enabled());
}

TEST(ParseRegExport, KeepsTheStoredOrder) {
  const CalloutConfig config =
      parsed(unicode_export({kV5, kKey, "\"CalloutDlls\"=" + hex7(u"z.dll\0a.dll\0m.dll\0\0"s)}));
  EXPECT_EQ(config.dlls, (Names{"z.dll", "a.dll", "m.dll"}));
}

TEST(ParseRegExport, DecodesNonAsciiNamesFromUtf16) {
  const CalloutConfig config =
      parsed(unicode_export({kV5, kKey, "\"CalloutDlls\"=" + hex7(u"\u00DCber.dll\0\0"s)}));
  EXPECT_EQ(config.dlls, (Names{"\xC3\x9C"
                                "ber.dll"}));
}

TEST(ParseRegExport, ReadsRegedit4WithAnsiStrings) {
  // REGEDIT4 stores hex(7) as 8-bit Windows-1252: E9 is é, 80 is €.
  const std::string file = ansi_export({
      "REGEDIT4",
      "",
      kKey,
      "\"CalloutDlls\"=hex(7):" + hex_list("caf\xE9.dll\0\x80.dll\0\0"s),
      "\"CalloutEnabled\"=dword:00000001",
  });
  const CalloutConfig config = parsed(file);
  EXPECT_EQ(config.dlls, (Names{"caf\xC3\xA9.dll", "\xE2\x82\xAC.dll"}));
  EXPECT_EQ(config.callout_enabled, 1u);
}

TEST(ParseRegExport, Regedit4AcceptsAnOddNumberOfHex7Bytes) {
  const CalloutConfig config =
      parsed(ansi_export({"REGEDIT4", kKey, "\"CalloutDlls\"=hex(7):61,62,63,00,00"}));
  EXPECT_EQ(config.dlls, (Names{"abc"}));
}

TEST(ParseRegExport, Version5WithoutBomStillStoresHex7AsUtf16) {
  const CalloutConfig config =
      parsed(ansi_export({kV5, kKey, "\"CalloutDlls\"=" + hex7(u"a.dll\0\0"s)}));
  EXPECT_EQ(config.dlls, (Names{"a.dll"}));
}

TEST(ParseRegExport, DecodesWindows1252TextInAnsiFiles) {
  // The é (E9) in the key name of another section must not break decoding.
  const CalloutConfig config = parsed(ansi_export({
      "REGEDIT4",
      "[HKEY_CURRENT_USER\\Software\\Caf\xE9]",
      "\"Name\"=\"\x93quoted\x94\"",
      kKey,
      "\"CalloutDlls\"=hex(7):61,00,00",
  }));
  EXPECT_EQ(config.dlls, (Names{"a"}));
}

TEST(ParseRegExport, AcceptsAUtf8Bom) {
  const CalloutConfig config =
      parsed("\xEF\xBB\xBF" + ansi_export({kV5, kKey, "\"CalloutDlls\"=" + hex7(u"a.dll\0\0"s)}));
  EXPECT_EQ(config.dlls, (Names{"a.dll"}));
}

TEST(ParseRegExport, AcceptsLfLineEnds) {
  const CalloutConfig config =
      parsed(unicode_file(widen_ascii(join({kV5, "", kKey, "\"CalloutDlls\"=hex(7):61,00,00,00,\\",
                                            "  00,00", "\"CalloutEnabled\"=dword:0"},
                                           "\n"))));
  EXPECT_EQ(config.dlls, (Names{"a"}));
  EXPECT_EQ(config.callout_enabled, 0u);
}

TEST(ParseRegExport, CalloutEnabledZeroDisables) {
  const CalloutConfig config = parsed(unicode_export(
      {kV5, kKey, "\"CalloutDlls\"=" + hex7(u"a.dll\0\0"s), "\"CalloutEnabled\"=dword:00000000"}));
  EXPECT_EQ(config.dlls, (Names{"a.dll"}));
  EXPECT_EQ(config.callout_enabled, 0u);
  EXPECT_FALSE(config.enabled());
}

TEST(ParseRegExport, CalloutEnabledAbsentIsUnset) {
  const CalloutConfig config =
      parsed(unicode_export({kV5, kKey, "\"CalloutDlls\"=" + hex7(u"a.dll\0\0"s)}));
  EXPECT_EQ(config.callout_enabled, std::nullopt);
  EXPECT_TRUE(config.enabled());
}

TEST(ParseRegExport, CalloutEnabledTakesAllEightHexDigits) {
  EXPECT_EQ(
      parsed(unicode_export({kV5, kKey, "\"CalloutEnabled\"=dword:FfFfFfFf"})).callout_enabled,
      0xFFFFFFFFu);
  EXPECT_EQ(parsed(unicode_export({kV5, kKey, "\"CalloutEnabled\"=dword:10"})).callout_enabled,
            0x10u);
}

TEST(ParseRegExport, CalloutEnabledAsHex4IsLittleEndian) {
  EXPECT_EQ(
      parsed(unicode_export({kV5, kKey, "\"CalloutEnabled\"=hex(4):01,02,03,04"})).callout_enabled,
      0x04030201u);
  EXPECT_EQ(
      parsed(unicode_export({kV5, kKey, "\"CalloutEnabled\"=hex(4):00,00,00,00"})).callout_enabled,
      0u);
}

TEST(ParseRegExport, NoCalloutDllsValueGivesAnEmptyList) {
  const CalloutConfig config = parsed(unicode_export({kV5, kKey, "\"CalloutEnabled\"=dword:1"}));
  EXPECT_TRUE(config.dlls.empty());
  EXPECT_EQ(config.callout_enabled, 1u);
}

TEST(ParseRegExport, AnEmptyKeyIsFine) {
  const CalloutConfig config = parsed(unicode_export({kV5, kKey}));
  EXPECT_TRUE(config.dlls.empty());
  EXPECT_EQ(config.callout_enabled, std::nullopt);
}

TEST(ParseRegExport, EmptyMultiSzGivesAnEmptyList) {
  EXPECT_TRUE(parsed(unicode_export({kV5, kKey, "\"CalloutDlls\"=hex(7):"})).dlls.empty());
  EXPECT_TRUE(parsed(unicode_export({kV5, kKey, "\"CalloutDlls\"=hex(7):00,00"})).dlls.empty());
}

TEST(ParseRegExport, MultiSzStopsAtTheFirstEmptyString) {
  const CalloutConfig config =
      parsed(unicode_export({kV5, kKey, "\"CalloutDlls\"=" + hex7(u"a\0\0b\0\0"s)}));
  EXPECT_EQ(config.dlls, (Names{"a"}));
}

TEST(ParseRegExport, MultiSzWithoutTerminatorsIsStillRead) {
  const CalloutConfig config =
      parsed(unicode_export({kV5, kKey, "\"CalloutDlls\"=" + hex7(u"a\0b"s)}));
  EXPECT_EQ(config.dlls, (Names{"a", "b"}));
}

TEST(ParseRegExport, MatchesTheKeyIgnoringCase) {
  const CalloutConfig config = parsed(unicode_export({
      kV5,
      "[hkey_local_machine\\system\\CURRENTCONTROLSET\\services\\dhcpserver\\PARAMETERS]",
      "\"CalloutEnabled\"=dword:2",
  }));
  EXPECT_EQ(config.callout_enabled, 2u);
}

TEST(ParseRegExport, AcceptsTheHklmAbbreviation) {
  const CalloutConfig config = parsed(unicode_export({
      kV5,
      "[HKLM\\System\\CurrentControlSet\\Services\\DHCPServer\\Parameters]",
      "\"CalloutEnabled\"=dword:3",
  }));
  EXPECT_EQ(config.callout_enabled, 3u);
}

TEST(ParseRegExport, MatchesValueNamesIgnoringCase) {
  const CalloutConfig config = parsed(unicode_export(
      {kV5, kKey, "\"calloutdlls\"=" + hex7(u"a\0\0"s), "\"CALLOUTENABLED\"=dword:0"}));
  EXPECT_EQ(config.dlls, (Names{"a"}));
  EXPECT_EQ(config.callout_enabled, 0u);
}

TEST(ParseRegExport, IgnoresValuesOfOtherKeys) {
  const CalloutConfig config = parsed(unicode_export({
      kV5,
      "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\DHCPServer]",
      "\"CalloutDlls\"=" + hex7(u"parent.dll\0\0"s),
      kKey,
      "\"CalloutDlls\"=" + hex7(u"ours.dll\0\0"s),
      "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\DHCPServer\\Parameters\\Sub]",
      "\"CalloutDlls\"=" + hex7(u"child.dll\0\0"s),
      "\"CalloutEnabled\"=dword:0",
      "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\DHCPServer\\Parameters2]",
      "\"CalloutDlls\"=\"a string here is fine\"",
  }));
  EXPECT_EQ(config.dlls, (Names{"ours.dll"}));
  EXPECT_EQ(config.callout_enabled, std::nullopt);
}

TEST(ParseRegExport, IgnoresOtherValuesOfOurKey) {
  const CalloutConfig config = parsed(unicode_export({
      kV5,
      kKey,
      "@=\"default\"",
      "\"DatabaseName\"=\"dhcp.mdb\"",
      "\"Quoted \\\"name\\\" with \\\\ escapes\"=hex:01,02",
      "\"DatabasePath\"=hex(2):25,00,00,00",
      "\"CalloutDlls\"=" + hex7(u"a\0\0"s),
      "\"Empty\"=hex:",
  }));
  EXPECT_EQ(config.dlls, (Names{"a"}));
}

TEST(ParseRegExport, EscapedQuoteDoesNotEndTheName) {
  // "CalloutDlls\"" is another value's name, not CalloutDlls.
  const CalloutConfig config =
      parsed(unicode_export({kV5, kKey, "\"CalloutDlls\\\"\"=" + hex7(u"a\0\0"s)}));
  EXPECT_TRUE(config.dlls.empty());
}

TEST(ParseRegExport, LaterDuplicatesWin) {
  const CalloutConfig config = parsed(unicode_export({
      kV5,
      kKey,
      "\"CalloutDlls\"=\"first, and of the wrong type\"",
      "\"CalloutEnabled\"=dword:0",
      "\"CalloutDlls\"=" + hex7(u"second.dll\0\0"s),
      kKey,
      "\"CalloutEnabled\"=dword:1",
  }));
  EXPECT_EQ(config.dlls, (Names{"second.dll"}));
  EXPECT_EQ(config.callout_enabled, 1u);
}

TEST(ParseRegExport, DeletedValuesAreAbsent) {
  const CalloutConfig config = parsed(unicode_export({
      kV5,
      kKey,
      "\"CalloutDlls\"=" + hex7(u"a.dll\0\0"s),
      "\"CalloutEnabled\"=dword:0",
      "\"CalloutDlls\"=-",
      "\"CalloutEnabled\"=-",
  }));
  EXPECT_TRUE(config.dlls.empty());
  EXPECT_EQ(config.callout_enabled, std::nullopt);
}

TEST(ParseRegExport, AValueCanComeBackAfterItsDeletion) {
  const CalloutConfig config = parsed(unicode_export(
      {kV5, kKey, "\"CalloutDlls\"=-", "\"CalloutDlls\"=" + hex7(u"again.dll\0\0"s)}));
  EXPECT_EQ(config.dlls, (Names{"again.dll"}));
}

TEST(ParseRegExport, DeletingTheKeyDropsItsValues) {
  const std::string deletion =
      "[-HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\DHCPServer\\Parameters]";
  const CalloutConfig config = parsed(unicode_export({
      kV5,
      kKey,
      "\"CalloutDlls\"=" + hex7(u"a.dll\0\0"s),
      "\"CalloutEnabled\"=dword:0",
      deletion,
      "\"CalloutEnabled\"=dword:0",  // belongs to the deleted key: ignored
      kKey,
      "\"CalloutEnabled\"=dword:5",
  }));
  EXPECT_TRUE(config.dlls.empty());
  EXPECT_EQ(config.callout_enabled, 5u);
}

TEST(ParseRegExport, DeletingASiblingKeepsOurKey) {
  const CalloutConfig config = parsed(unicode_export({
      kV5,
      kKey,
      "\"CalloutEnabled\"=dword:7",
      "[-HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\DHCPServer\\ParametersOld]",
      "[-HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\DHCPServer\\Parameters\\Sub]",
  }));
  EXPECT_EQ(config.callout_enabled, 7u);
}

TEST(ParseRegExport, IgnoresCommentsAndBlankLines) {
  const CalloutConfig config = parsed(unicode_export({
      "",
      "  ",
      kV5,
      "; [HKEY_LOCAL_MACHINE\\bogus]",
      "",
      "\t; \"CalloutEnabled\"=dword:0",
      kKey,
      "; \"CalloutDlls\"=hex(7):00",
      "",
      "\"CalloutEnabled\"=dword:1",
  }));
  EXPECT_EQ(config.callout_enabled, 1u);
  EXPECT_TRUE(config.dlls.empty());
}

TEST(ParseRegExport, ContinuationDropsLeadingBlanksAndAllowsBlanksInHex) {
  const CalloutConfig config = parsed(unicode_export({
      kV5,
      kKey,
      "\"CalloutDlls\"=hex(7): 61 , 00,\\",
      "\t\t   62,00 ,00,00,\\   ",
      "  00,00",
  }));
  EXPECT_EQ(config.dlls, (Names{"ab"}));
}

TEST(ParseRegExport, ContinuationAtTheEndOfTheFileEndsTheValue) {
  std::string file = ansi_export({kV5, kKey, "\"CalloutDlls\"=hex(7):61,00,00,00\\"});
  file.resize(file.size() - 2);  // no line end after the backslash
  const CalloutConfig config = parsed(file);
  EXPECT_EQ(config.dlls, (Names{"a"}));
}

TEST(ParseRegExport, AcceptsUppercaseHexAndTypePrefixes) {
  const CalloutConfig config = parsed(unicode_export(
      {kV5, kKey, "\"CalloutDlls\"=HEX(7):4A,00,00,00", "\"CalloutEnabled\"=DWORD:0000000A"}));
  EXPECT_EQ(config.dlls, (Names{"J"}));
  EXPECT_EQ(config.callout_enabled, 10u);
}

TEST(ParseRegExport, UsesTheFileNameAsTheSource) {
  auto result = parse_reg_export(unicode_export({kV5, kKey}), "C:\\exports\\dhcp.reg");
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->source, "C:\\exports\\dhcp.reg");
}

// ------------------------------------------------------------ bad exports

TEST(ParseRegExport, RejectsUtf16BigEndian) {
  EXPECT_EQ(error_of("\xFE\xFF\x00R"s),
            "test.reg: UTF-16BE is not supported; save the export as UTF-16LE or ANSI");
}

TEST(ParseRegExport, RejectsAnOddLengthUtf16File) {
  EXPECT_EQ(error_of(unicode_export({kV5, kKey}) + "\n"),
            "test.reg: UTF-16LE text has an odd number of bytes (" +
                std::to_string(unicode_export({kV5, kKey}).size() - 1) + " after the BOM)");
}

TEST(ParseRegExport, RejectsMalformedUtf16TextNamingTheLine) {
  const std::string file =
      unicode_file(widen_ascii(kV5 + "\r\n" + kKey + "\r\n") + u"\"Bad\xD800\"=dword:1\r\n");
  EXPECT_EQ(error_of(file),
            "test.reg:3: invalid UTF-16 at unit 4: high surrogate U+D800 not followed by a low "
            "surrogate");
}

TEST(ParseRegExport, RejectsMalformedUtf8AfterAUtf8Bom) {
  EXPECT_EQ(error_of("\xEF\xBB\xBF" + ansi_export({kV5, kKey, "\"Bad\xC3\"=dword:1"})),
            "test.reg:3: invalid UTF-8 at byte 5: expected a continuation byte, found 0x22");
}

TEST(ParseRegExport, RejectsFilesWithoutTheHeader) {
  EXPECT_EQ(error_of(ansi_export({"[settings]", "dlls=a.dll"})),
            "test.reg:1: not a regedit export: expected \"Windows Registry Editor Version 5.00\" "
            "or \"REGEDIT4\", found \"[settings]\"");
  EXPECT_EQ(error_of(ansi_export({"", "  ", "Windows Registry Editor Version 4.00", kKey})),
            "test.reg:3: not a regedit export: expected \"Windows Registry Editor Version 5.00\" "
            "or \"REGEDIT4\", found \"Windows Registry Editor Version 4.00\"");
}

TEST(ParseRegExport, RejectsACommentBeforeTheHeader) {
  EXPECT_NE(
      error_of(unicode_export({"; exported", kV5, kKey})).find("test.reg:1: not a regedit export"),
      std::string::npos);
}

TEST(ParseRegExport, RejectsUtf16WithoutBom) {
  // Without its BOM, UTF-16 is read as 8-bit text with NULs in it.
  EXPECT_EQ(error_of(utf16le_bytes(widen_ascii(kV5 + "\r\n")))
                .rfind("test.reg:1: not a regedit export", 0),
            0u);
}

TEST(ParseRegExport, RejectsAnEmptyFile) {
  EXPECT_EQ(error_of(""), "test.reg: not a regedit export: the file is empty");
  EXPECT_EQ(error_of("\xFF\xFE"), "test.reg: not a regedit export: the file is empty");
  EXPECT_EQ(error_of("\r\n\r\n"), "test.reg: not a regedit export: the file is empty");
}

TEST(ParseRegExport, RejectsAFileWithoutOurKey) {
  EXPECT_EQ(error_of(unicode_export({kV5, "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Vendor]",
                                     "\"CalloutDlls\"=" + hex7(u"a\0\0"s)})),
            kNoSectionError);
  EXPECT_EQ(error_of(ansi_export({"REGEDIT4"})), kNoSectionError);
}

TEST(ParseRegExport, RejectsAFileThatDeletesOurKey) {
  EXPECT_EQ(error_of(unicode_export({
                kV5,
                kKey,
                "\"CalloutEnabled\"=dword:1",
                "",
                "[-HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\DHCPServer]",
            })),
            "test.reg:5: this line deletes "
            "[HKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\Services\\DHCPServer\\Parameters] "
            "and no later section adds it back");
}

TEST(ParseRegExport, RejectsAKeyWithoutItsClosingBracket) {
  EXPECT_EQ(error_of(unicode_export({kV5, "", "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Vendor"})),
            "test.reg:3: missing ']' at the end of the key name "
            "\"[HKEY_LOCAL_MACHINE\\SOFTWARE\\Vendor\"");
}

TEST(ParseRegExport, RejectsAnEmptyKeyName) {
  EXPECT_EQ(error_of(unicode_export({kV5, "[]"})), "test.reg:2: empty key name");
  EXPECT_EQ(error_of(unicode_export({kV5, "[-]"})), "test.reg:2: empty key name");
}

TEST(ParseRegExport, RejectsCalloutDllsOfAnyOtherType) {
  EXPECT_EQ(
      error_of(unicode_export({kV5, kKey, "\"CalloutDlls\"=\"a.dll\""})),
      "test.reg:3: CalloutDlls must be REG_MULTI_SZ (hex(7)), found REG_SZ (a quoted string)");
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "\"CalloutDlls\"=hex(2):61,00,00,00"})),
            "test.reg:3: CalloutDlls must be REG_MULTI_SZ (hex(7)), found REG_EXPAND_SZ (hex(2))");
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "\"CalloutDlls\"=dword:00000001"})),
            "test.reg:3: CalloutDlls must be REG_MULTI_SZ (hex(7)), found REG_DWORD (dword:)");
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "\"CalloutDlls\"=hex:61,00"})),
            "test.reg:3: CalloutDlls must be REG_MULTI_SZ (hex(7)), found REG_BINARY (hex:)");
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "\"CalloutDlls\"=hex(b):00"})),
            "test.reg:3: CalloutDlls must be REG_MULTI_SZ (hex(7)), found REG_QWORD (hex(b))");
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "\"CalloutDlls\"=hex(17):00"})),
            "test.reg:3: CalloutDlls must be REG_MULTI_SZ (hex(7)), found type 0x17 (hex(17))");
}

TEST(ParseRegExport, RejectsAnOddLengthMultiSzInAVersion5Export) {
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "\"CalloutDlls\"=hex(7):61,00,00"})),
            "test.reg:3: CalloutDlls: hex(7) data has an odd number of bytes (3); a Version 5.00 "
            "export stores UTF-16LE");
}

TEST(ParseRegExport, RejectsMalformedUtf16InTheMultiSz) {
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "\"CalloutDlls\"=hex(7):00,dc,00,00,00,00"})),
            "test.reg:3: CalloutDlls: string 1 (from unit 0): invalid UTF-16 at unit 0: unpaired "
            "low surrogate U+DC00");
}

TEST(ParseRegExport, RejectsCalloutEnabledOfAnyOtherType) {
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "\"CalloutEnabled\"=\"0\""})),
            "test.reg:3: CalloutEnabled must be REG_DWORD (dword: or hex(4)), found REG_SZ (a "
            "quoted string)");
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "\"CalloutEnabled\"=hex:00,00,00,00"})),
            "test.reg:3: CalloutEnabled must be REG_DWORD (dword: or hex(4)), found REG_BINARY "
            "(hex:)");
}

TEST(ParseRegExport, RejectsAHex4CalloutEnabledThatIsNotFourBytes) {
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "\"CalloutEnabled\"=hex(4):01,00,00,00,00"})),
            "test.reg:3: CalloutEnabled: hex(4) data must be exactly 4 bytes, found 5");
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "\"CalloutEnabled\"=hex(4):"})),
            "test.reg:3: CalloutEnabled: hex(4) data must be exactly 4 bytes, found 0");
}

TEST(ParseRegExport, RejectsBadDwordData) {
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "\"CalloutEnabled\"=dword:"})),
            "test.reg:3: value \"CalloutEnabled\": dword: needs 1 to 8 hex digits, found \"\"");
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "\"CalloutEnabled\"=dword:100000000"})),
            "test.reg:3: value \"CalloutEnabled\": dword: needs 1 to 8 hex digits, found "
            "\"100000000\"");
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "\"CalloutEnabled\"=dword:-1"})),
            "test.reg:3: value \"CalloutEnabled\": dword: needs 1 to 8 hex digits, found \"-1\"");
}

TEST(ParseRegExport, RejectsBadHexBytes) {
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "\"X\"=hex:0g"})),
            "test.reg:3: value \"X\": hex data: byte 1 is \"0g\", expected two hex digits");
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "\"X\"=hex:01,2"})),
            "test.reg:3: value \"X\": hex data: byte 2 is \"2\", expected two hex digits");
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "\"X\"=hex:01,,02"})),
            "test.reg:3: value \"X\": hex data: byte 2 is \"\", expected two hex digits");
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "\"X\"=hex:01,"})),
            "test.reg:3: value \"X\": hex data: byte 2 is \"\", expected two hex digits");
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "\"X\"=hex:0102"})),
            "test.reg:3: value \"X\": hex data: byte 1 is \"0102\", expected two hex digits");
}

TEST(ParseRegExport, RejectsBadHexTypes) {
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "\"X\"=hex(7:00"})),
            "test.reg:3: value \"X\": hex( without a closing ')'");
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "\"X\"=hex():00"})),
            "test.reg:3: value \"X\": hex(N): the type needs 1 to 8 hex digits, found \"\"");
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "\"X\"=hex(zz):00"})),
            "test.reg:3: value \"X\": hex(N): the type needs 1 to 8 hex digits, found \"zz\"");
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "\"X\"=hex(7)00"})),
            "test.reg:3: value \"X\": expected ':' after hex(7)");
}

TEST(ParseRegExport, RejectsUnknownValueData) {
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "\"X\"=qword:1"})),
            "test.reg:3: value \"X\": unrecognised value data \"qword:1\" (expected -, "
            "\"string\", dword:, hex: or hex(N):)");
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "@="})),
            "test.reg:3: default value (@): missing value data after '='");
}

TEST(ParseRegExport, RejectsBadStrings) {
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "\"X\"=\"open"})),
            "test.reg:3: value \"X\": string data: missing closing quote");
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "\"X\"=\"C:\\Windows\""})),
            "test.reg:3: value \"X\": string data: unknown escape \\W (only \\\\ and \\\" are "
            "allowed)");
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "\"X\"=\"a\" junk"})),
            "test.reg:3: value \"X\": unexpected text after the closing quote: \"junk\"");
}

TEST(ParseRegExport, RejectsBadValueNames) {
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "\"CalloutDlls=hex(7):00,00"})),
            "test.reg:3: value name: missing closing quote");
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "\"CalloutDlls\":hex(7):00,00"})),
            "test.reg:3: value \"CalloutDlls\": expected '=' after the name");
}

TEST(ParseRegExport, RejectsUnrecognisedLines) {
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "CalloutDlls=hex(7):00,00"})),
            "test.reg:3: unrecognised line \"CalloutDlls=hex(7):00,00\" (expected [key], "
            "\"name\"=data or @=data)");
}

TEST(ParseRegExport, RejectsAValueBeforeAnyKey) {
  EXPECT_EQ(error_of(unicode_export({kV5, "\"CalloutEnabled\"=dword:0", kKey})),
            "test.reg:2: value before any [key] line");
}

TEST(ParseRegExport, ValidatesSyntaxInEverySection) {
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "[HKEY_CURRENT_USER\\Other]", "\"X\"=hex:zz"})),
            "test.reg:4: value \"X\": hex data: byte 1 is \"zz\", expected two hex digits");
  EXPECT_EQ(error_of(unicode_export({kV5, kKey, "[-HKEY_CURRENT_USER\\Other]", "\"X\"=dword:xyz"})),
            "test.reg:4: value \"X\": dword: needs 1 to 8 hex digits, found \"xyz\"");
}

TEST(ParseRegExport, ReportsTheFirstLineOfAContinuedValue) {
  EXPECT_EQ(error_of(unicode_export({kV5, "; comment", "", kKey, "\"CalloutDlls\"=hex(7):61,00,\\",
                                     "  00,zz,\\", "  00,00"})),
            "test.reg:5: value \"CalloutDlls\": hex data: byte 4 is \"zz\", expected two hex "
            "digits");
}

TEST(ParseRegExport, CountsLinesTheSameWithLfAndCrLf) {
  const std::vector<std::string> lines{kV5, "", kKey, "", "\"CalloutDlls\"=\"a\""};
  const std::string expected =
      "test.reg:5: CalloutDlls must be REG_MULTI_SZ (hex(7)), found REG_SZ (a quoted string)";
  EXPECT_EQ(error_of(ansi_export(lines, "\n")), expected);
  EXPECT_EQ(error_of(ansi_export(lines, "\r\n")), expected);
}

TEST(ParseRegExport, QuotesControlCharactersInMessages) {
  EXPECT_EQ(error_of(ansi_export({kV5, kKey, "junk\rmore\x01"})),
            "test.reg:3: unrecognised line \"junk\\x0Dmore\\x01\" (expected [key], "
            "\"name\"=data or @=data)");
}

TEST(ParseRegExport, ShortensLongExcerpts) {
  const std::string message = error_of(ansi_export({kV5, kKey, std::string(200, 'x')}));
  EXPECT_EQ(message, "test.reg:3: unrecognised line \"" + std::string(40, 'x') +
                         "\"... (expected [key], \"name\"=data or @=data)");
}

TEST(ParseRegExport, NamesTheGivenFileInEveryError) {
  EXPECT_EQ(error_of("nonsense", "dir/callouts.reg"),
            "dir/callouts.reg:1: not a regedit export: expected \"Windows Registry Editor Version "
            "5.00\" or \"REGEDIT4\", found \"nonsense\"");
}

// Every prefix of a good export either parses or fails with a one-line message
// that names the file: nothing is read past the end of the data.
TEST(ParseRegExport, SurvivesEveryTruncation) {
  const std::string files[] = {
      unicode_export({kV5, "", kKey, "\"CalloutDlls\"=hex(7):61,00,2e,00,00,00,\\", "  00,00",
                      "\"CalloutEnabled\"=dword:00000001", "\"S\"=\"a\\\\b\\\"c\"", "@=-",
                      "[-HKLM\\Software\\X]"}),
      ansi_export(
          {"REGEDIT4", kKey, "\"CalloutDlls\"=hex(7):e9,00,00", "\"E\"=hex(4):01,00,00,00"}),
  };
  for (const std::string& file : files) {
    for (std::size_t size = 0; size <= file.size(); ++size) {
      auto result = parse_reg_export(std::string_view(file).substr(0, size), "cut.reg");
      if (!result) {
        const std::string& message = result.error().message;
        EXPECT_EQ(message.rfind("cut.reg:", 0), 0u) << message;
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
      }
    }
  }
}

// ------------------------------------------------------------ files

std::string read_error_of(const std::filesystem::path& path) {
  auto result = read_reg_file(path);
  return result ? std::string("(no error)") : result.error().message;
}

TEST(ReadRegFile, ReadsAUnicodeExport) {
  const auto path = test::fixture_source_path("regs/good_unicode.reg");
  auto config = read_reg_file(path);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->source, path.string());
  EXPECT_EQ(config->dlls, (Names{"C:\\Program Files\\Vendor\\vendor_callout.dll", "audit.dll",
                                 "C:\\callouts\\\xC3\x9C"
                                 "berwachung.dll"}));
  EXPECT_EQ(config->callout_enabled, 1u);
}

TEST(ReadRegFile, ReadsARegedit4Export) {
  auto config = read_reg_file(test::fixture_source_path("regs/good_regedit4.reg"));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->dlls, (Names{"C:\\callouts\\caf\xC3\xA9.dll", "logger.dll"}));
  EXPECT_EQ(config->callout_enabled, std::nullopt);
  EXPECT_TRUE(config->enabled());
}

TEST(ReadRegFile, ReadsADisabledExport) {
  auto config = read_reg_file(test::fixture_source_path("regs/disabled.reg"));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->dlls, (Names{"vendor_callout.dll"}));
  EXPECT_EQ(config->callout_enabled, 0u);
  EXPECT_FALSE(config->enabled());
}

TEST(ReadRegFile, ReadsAnExportWithoutCalloutDlls) {
  auto config = read_reg_file(test::fixture_source_path("regs/no_dlls.reg"));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_TRUE(config->dlls.empty());
  EXPECT_EQ(config->callout_enabled, 1u);
}

TEST(ReadRegFile, ReportsMalformedFixturesWithTheirPath) {
  struct Case {
    const char* file;
    std::string message;  // after "<path>"
  };
  const Case cases[] = {
      {"not_regedit.reg",
       ":1: not a regedit export: expected \"Windows Registry Editor Version 5.00\" or "
       "\"REGEDIT4\", found \"[settings]\""},
      {"utf16be.reg", ": UTF-16BE is not supported; save the export as UTF-16LE or ANSI"},
      {"odd_length_utf16.reg", ": UTF-16LE text has an odd number of bytes (237 after the BOM)"},
      {"dlls_wrong_type.reg",
       ":4: CalloutDlls must be REG_MULTI_SZ (hex(7)), found REG_SZ (a quoted string)"},
      {"missing_key.reg",
       ": the file has no "
       "[HKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\Services\\DHCPServer\\Parameters] "
       "section"},
      {"missing_bracket.reg",
       ":3: missing ']' at the end of the key name "
       "\"[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentContro\"..."},
      {"bad_hex.reg",
       ":4: value \"CalloutDlls\": hex data: byte 14 is \"0g\", expected two hex digits"},
  };
  for (const Case& c : cases) {
    const auto path = test::fixture_source_path(std::string("regs/") + c.file);
    EXPECT_EQ(read_error_of(path), path.string() + c.message) << c.file;
  }
}

TEST(ReadRegFile, ReportsAMissingFile) {
  const auto path = test::fixture_source_path("regs/does_not_exist.reg");
  EXPECT_EQ(read_error_of(path),
            path.string() + ": cannot read: " + std::generic_category().message(ENOENT));
}

TEST(ReadRegFile, ReportsADirectory) {
  const auto path = test::fixture_source_path("regs");
  EXPECT_EQ(read_error_of(path), path.string() + ": cannot read: " +
                                     std::make_error_code(std::errc::is_a_directory).message());
}

}  // namespace
}  // namespace calloutemu::loader
