#include "calloutemu/reports/junit_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "test_files.h"

namespace calloutemu::reports {
namespace {

using test::ScratchDir;
using test::xpath_string;

#define SKIP_WITHOUT_XMLLINT()                    \
  do {                                            \
    if (!test::xmllint()) {                       \
      GTEST_SKIP() << "xmllint is not installed"; \
    }                                             \
  } while (false)

JunitCase passing_case(std::string name) {
  return {std::move(name),
          "calloutemu.dora.pcap",
          0.000125,
          {"NewPkt -> 0", "HandleOptions -> 0", "PktDrop(PROCESSED) -> 0"},
          std::nullopt};
}

JunitCase failing_case(std::string name) {
  JunitCase test_case = passing_case(std::move(name));
  test_case.failure = JunitFailure{"hook fault", "request 2: 1 hook fault",
                                   "PktSend(SEND_PACKET) -> crashed: SIGSEGV"};
  return test_case;
}

TEST(JunitWriter, WritesAValidDocumentWithCounts) {
  SKIP_WITHOUT_XMLLINT();
  ScratchDir dir;
  const auto path = dir / "report.xml";
  auto writer = JunitWriter::create(path, "calloutemu replay");
  ASSERT_TRUE(writer) << writer.error().message;
  writer->add_case(passing_case("frame 1 02:00:5e:10:20:30 DISCOVER"));
  writer->add_case(failing_case("frame 2 02:00:5e:10:20:30 REQUEST"));
  writer->add_case({"frame 3 unknown unreadable", "calloutemu.dora.pcap", 0, {}, std::nullopt});
  EXPECT_EQ(writer->cases(), 3U);
  EXPECT_EQ(writer->failures(), 1U);
  const Status finished = writer->finish();
  ASSERT_TRUE(finished) << finished.error().message;

  ASSERT_TRUE(test::xml_is_valid(path)) << test::read_file(path);
  EXPECT_EQ(xpath_string(path, "/testsuites/@tests"), "3");
  EXPECT_EQ(xpath_string(path, "/testsuites/@failures"), "1");
  EXPECT_EQ(xpath_string(path, "/testsuites/testsuite/@name"), "calloutemu replay");
  EXPECT_EQ(xpath_string(path, "/testsuites/testsuite/@tests"), "3");
  EXPECT_EQ(xpath_string(path, "/testsuites/testsuite/@failures"), "1");
  EXPECT_EQ(xpath_string(path, "/testsuites/testsuite/@errors"), "0");
  EXPECT_EQ(xpath_string(path, "/testsuites/testsuite/@time"), "0.000250");
  EXPECT_EQ(xpath_string(path, "count(//testcase)"), "3");
  EXPECT_EQ(xpath_string(path, "//testcase[1]/@name"), "frame 1 02:00:5e:10:20:30 DISCOVER");
  EXPECT_EQ(xpath_string(path, "//testcase[1]/@classname"), "calloutemu.dora.pcap");
  EXPECT_EQ(xpath_string(path, "//testcase[1]/@time"), "0.000125");
  EXPECT_EQ(xpath_string(path, "//testcase[1]/system-out"),
            "NewPkt -> 0\nHandleOptions -> 0\nPktDrop(PROCESSED) -> 0");
  EXPECT_EQ(xpath_string(path, "count(//testcase[1]/failure)"), "0");
  EXPECT_EQ(xpath_string(path, "//testcase[2]/failure/@type"), "hook fault");
  EXPECT_EQ(xpath_string(path, "//testcase[2]/failure/@message"), "request 2: 1 hook fault");
  EXPECT_EQ(xpath_string(path, "//testcase[2]/failure"),
            "PktSend(SEND_PACKET) -> crashed: SIGSEGV");
  EXPECT_EQ(xpath_string(path, "count(//testcase[3]/*)"), "0");
  EXPECT_FALSE(std::filesystem::exists(writer->temporary_path()));
}

TEST(JunitWriter, EmptyRunIsAValidDocument) {
  SKIP_WITHOUT_XMLLINT();
  ScratchDir dir;
  const auto path = dir / "empty.xml";
  auto writer = JunitWriter::create(path);
  ASSERT_TRUE(writer);
  ASSERT_TRUE(writer->finish());
  ASSERT_TRUE(test::xml_is_valid(path));
  EXPECT_EQ(xpath_string(path, "/testsuites/testsuite/@tests"), "0");
  EXPECT_EQ(xpath_string(path, "/testsuites/testsuite/@name"), "calloutemu");
}

TEST(JunitWriter, EscapesNastyText) {
  SKIP_WITHOUT_XMLLINT();
  ScratchDir dir;
  const auto path = dir / "nasty.xml";
  auto writer = JunitWriter::create(path, "suite \"<&>\"");
  ASSERT_TRUE(writer);
  const char raw[] = "a<b>&c\"d'e\tf\ng\x01h\x00i\xFFj]]>k\xC3\xA9";
  const std::string nasty(raw, sizeof raw - 1);
  JunitCase test_case{
      nasty, nasty, 1.5, {nasty, "</system-out>"}, JunitFailure{nasty, nasty, nasty}};
  writer->add_case(test_case);
  ASSERT_TRUE(writer->finish());
  ASSERT_TRUE(test::xml_is_valid(path)) << test::read_file(path);

  const std::string replacement = "\xEF\xBF\xBD";
  const std::string expected =
      "a<b>&c\"d'e\tf\ng" + replacement + "h" + replacement + "i" + replacement + "j]]>k\xC3\xA9";
  EXPECT_EQ(xpath_string(path, "/testsuites/testsuite/@name"), "suite \"<&>\"");
  EXPECT_EQ(xpath_string(path, "//testcase/@name"), expected);
  EXPECT_EQ(xpath_string(path, "//testcase/@classname"), expected);
  EXPECT_EQ(xpath_string(path, "//testcase/failure/@type"), expected);
  EXPECT_EQ(xpath_string(path, "//testcase/failure/@message"), expected);
  EXPECT_EQ(xpath_string(path, "//testcase/failure"), expected);
  EXPECT_EQ(xpath_string(path, "//testcase/system-out"), expected + "\n</system-out>");
}

TEST(JunitWriter, OddTimesAreWrittenAsZero) {
  SKIP_WITHOUT_XMLLINT();
  ScratchDir dir;
  const auto path = dir / "times.xml";
  auto writer = JunitWriter::create(path);
  ASSERT_TRUE(writer);
  writer->add_case({"nan", "c", std::nan(""), {}, std::nullopt});
  writer->add_case({"negative", "c", -1, {}, std::nullopt});
  writer->add_case({"big", "c", 12345.25, {}, std::nullopt});
  ASSERT_TRUE(writer->finish());
  ASSERT_TRUE(test::xml_is_valid(path));
  EXPECT_EQ(xpath_string(path, "//testcase[1]/@time"), "0.000000");
  EXPECT_EQ(xpath_string(path, "//testcase[2]/@time"), "0.000000");
  EXPECT_EQ(xpath_string(path, "//testcase[3]/@time"), "12345.250000");
  EXPECT_EQ(xpath_string(path, "/testsuites/@time"), "12345.250000");
}

TEST(JunitWriter, CasesStreamToTheTemporaryFile) {
  ScratchDir dir;
  const auto path = dir / "stream.xml";
  auto writer = JunitWriter::create(path);
  ASSERT_TRUE(writer);
  const auto temporary = writer->temporary_path();
  EXPECT_EQ(temporary.parent_path(), path.parent_path());
  ASSERT_TRUE(std::filesystem::exists(temporary));
  // Far more than any stdio buffer: the cases cannot all be held in memory.
  for (int i = 0; i < 20'000; ++i) {
    writer->add_case(passing_case("frame " + std::to_string(i)));
  }
  EXPECT_GT(std::filesystem::file_size(temporary), 1'000'000U);
  EXPECT_EQ(std::filesystem::file_size(path), 0U);
  ASSERT_TRUE(writer->finish());
  EXPECT_FALSE(std::filesystem::exists(temporary));
  EXPECT_GT(std::filesystem::file_size(path), 2'000'000U);
  if (test::xmllint()) {
    ASSERT_TRUE(test::xml_is_valid(path));
    EXPECT_EQ(xpath_string(path, "/testsuites/@tests"), "20000");
    EXPECT_EQ(xpath_string(path, "//testcase[20000]/@name"), "frame 19999");
  }
}

TEST(JunitWriter, UnwritablePathNamesIt) {
  ScratchDir dir;
  const auto missing = dir / "no such dir" / "report.xml";
  auto writer = JunitWriter::create(missing);
  ASSERT_FALSE(writer);
  EXPECT_NE(writer.error().message.find(missing.string()), std::string::npos)
      << writer.error().message;
  EXPECT_NE(writer.error().message.find("No such file or directory"), std::string::npos)
      << writer.error().message;

  auto directory = JunitWriter::create(dir.path());
  ASSERT_FALSE(directory);
  EXPECT_EQ(directory.error().message.rfind(dir.path().string() + ": ", 0), 0U)
      << directory.error().message;
}

TEST(JunitWriter, UnwritableTemporaryRemovesTheTarget) {
  ScratchDir dir;
  const auto path = dir / "report.xml";
  // A directory where the temporary file would go.
  std::filesystem::create_directory(dir / "report.xml.cases.tmp");
  auto writer = JunitWriter::create(path);
  ASSERT_FALSE(writer);
  EXPECT_EQ(writer.error().message.rfind(path.string() + ": ", 0), 0U) << writer.error().message;
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(JunitWriter, UnfinishedWriterLeavesNothing) {
  ScratchDir dir;
  const auto path = dir / "abandoned.xml";
  std::filesystem::path temporary;
  {
    auto writer = JunitWriter::create(path);
    ASSERT_TRUE(writer);
    temporary = writer->temporary_path();
    writer->add_case(passing_case("frame 1"));
  }
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_FALSE(std::filesystem::exists(temporary));
}

TEST(JunitWriter, FailedFinishRemovesBothFiles) {
  ScratchDir dir;
  const auto path = dir / "lost.xml";
  auto writer = JunitWriter::create(path);
  ASSERT_TRUE(writer);
  writer->add_case(passing_case("frame 1"));
  const auto temporary = writer->temporary_path();
  // The cases cannot be read back: finish() must fail and clean up.
  std::filesystem::remove(temporary);
  std::filesystem::create_directory(temporary);
  const Status finished = writer->finish();
  ASSERT_FALSE(finished);
  EXPECT_NE(finished.error().message.find(temporary.string()), std::string::npos)
      << finished.error().message;
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_FALSE(std::filesystem::exists(temporary));
}

TEST(JunitWriter, FinishTwiceIsAnError) {
  ScratchDir dir;
  auto writer = JunitWriter::create(dir / "twice.xml");
  ASSERT_TRUE(writer);
  ASSERT_TRUE(writer->finish());
  EXPECT_FALSE(writer->finish());
  writer->add_case(passing_case("ignored"));
  EXPECT_EQ(writer->cases(), 0U);
}

TEST(JunitWriter, MovedWriterKeepsWriting) {
  ScratchDir dir;
  const auto path = dir / "moved.xml";
  auto created = JunitWriter::create(path);
  ASSERT_TRUE(created);
  JunitWriter writer = std::move(*created);
  writer.add_case(passing_case("frame 1"));
  ASSERT_TRUE(writer.finish());
  EXPECT_NE(test::read_file(path).find("frame 1"), std::string::npos);
}

}  // namespace
}  // namespace calloutemu::reports
