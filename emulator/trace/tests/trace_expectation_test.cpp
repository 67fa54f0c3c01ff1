// --expect: the run against an earlier trace, with a diff at the first difference.
#include "calloutemu/trace/trace_expectation.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "calloutemu/trace/readable_trace.h"
#include "trace_samples.h"

namespace calloutemu::trace::testing {
namespace {

// START, four hooks for each request, STOP, after a header: record k is
// line k + 1 of its trace file.
std::vector<TraceRecord> run_records(std::uint64_t requests) {
  auto calls = sample_run(requests);
  return trace_of(calls);
}

std::vector<TraceRecord> first(const std::vector<TraceRecord>& records, std::size_t count) {
  return {records.begin(), records.begin() + static_cast<std::ptrdiff_t>(count)};
}

struct Compared {
  Result<std::optional<Divergence>> result;
  std::string expected_name;
};

Compared compare(const std::vector<TraceRecord>& expected, const std::vector<TraceRecord>& actual) {
  TempFile file("expected.jsonl");
  write_trace(file.path(), expected);
  auto expectation = TraceExpectation::open(file.path());
  if (!expectation) {
    return {expectation.error(), file.name()};
  }
  for (const TraceRecord& record : actual) {
    expectation->observe(record);
  }
  return {expectation->finish(), file.name()};
}

std::string lines(const std::vector<TraceRecord>& records, std::size_t from, std::size_t to,
                  char prefix) {
  std::string text;
  for (std::size_t index = from; index < to; ++index) {
    text += prefix + readable(records[index]) + "\n";
  }
  return text;
}

TEST(TraceExpectation, IdenticalTracesDoNotDiverge) {
  const auto records = run_records(3);
  const auto compared = compare(records, records);
  ASSERT_TRUE(compared.result.ok()) << compared.result.error().message;
  EXPECT_EQ(*compared.result, std::nullopt);
}

TEST(TraceExpectation, DurationsIdsAndHeadersMayDiffer) {
  const auto expected = run_records(3);
  auto actual = expected;
  for (TraceRecord& record : actual) {
    record.hook.duration += std::chrono::microseconds(17);
    record.hook.sequence += 100;
    if (record.hook.reserved) {
      *record.hook.reserved += 5;
    }
    if (record.hook.context) {
      record.hook.context = 3;
    }
  }
  actual.front().header.profile = "legacy";
  actual.front().header.calloutemu_version = "9.9.9";
  actual.insert(actual.begin() + 5, actual.front());
  const auto compared = compare(expected, actual);
  ASSERT_TRUE(compared.result.ok()) << compared.result.error().message;
  EXPECT_EQ(*compared.result, std::nullopt);
}

TEST(TraceExpectation, OneChangedRecordGivesADiffWithContext) {
  const auto expected = run_records(3);
  auto actual = expected;
  actual[7].hook.returned = 5;  // request 2's HandleOptions, line 8
  const auto compared = compare(expected, actual);
  ASSERT_TRUE(compared.result.ok()) << compared.result.error().message;
  ASSERT_TRUE(compared.result->has_value());
  const Divergence& divergence = **compared.result;
  EXPECT_EQ(divergence.request, 2u);
  EXPECT_EQ(divergence.first_line_number, 8u);
  EXPECT_EQ(divergence.diff_text, "--- expected " + compared.expected_name +
                                      "\n+++ actual run\n@@ -5,6 +5,6 @@\n" +
                                      lines(expected, 4, 7, ' ') + lines(expected, 7, 10, '-') +
                                      lines(actual, 7, 10, '+'));
  EXPECT_NE(divergence.diff_text.find("\n+request 2 frame 12: HandleOptions packet 300 bytes"),
            std::string::npos);
}

TEST(TraceExpectation, ADifferenceInTheFirstRecordHasNoContext) {
  const auto expected = run_records(1);
  auto actual = expected;
  actual[1].hook.fault = "SIGSEGV";
  const auto compared = compare(expected, actual);
  ASSERT_TRUE(compared.result.ok() && compared.result->has_value());
  const Divergence& divergence = **compared.result;
  EXPECT_EQ(divergence.request, 0u) << "START is outside requests";
  EXPECT_EQ(divergence.first_line_number, 2u);
  EXPECT_EQ(divergence.diff_text, "--- expected " + compared.expected_name +
                                      "\n+++ actual run\n@@ -2,3 +2,3 @@\n" +
                                      lines(expected, 1, 4, '-') + lines(actual, 1, 4, '+'));
}

TEST(TraceExpectation, TheRunEndingEarlyIsADivergence) {
  const auto expected = run_records(3);  // 15 records
  const auto compared = compare(expected, first(expected, 13));
  ASSERT_TRUE(compared.result.ok() && compared.result->has_value());
  const Divergence& divergence = **compared.result;
  EXPECT_EQ(divergence.request, 0u);
  EXPECT_EQ(divergence.first_line_number, 14u);
  EXPECT_EQ(divergence.diff_text, "--- expected " + compared.expected_name +
                                      "\n+++ actual run\n@@ -11,5 +11,3 @@\n" +
                                      lines(expected, 10, 13, ' ') + lines(expected, 13, 15, '-') +
                                      "(expected trace ends here)\n(the run ends here)\n");
}

TEST(TraceExpectation, TheExpectedTraceEndingEarlyIsADivergence) {
  const auto actual = run_records(3);
  const auto compared = compare(first(actual, 13), actual);
  ASSERT_TRUE(compared.result.ok() && compared.result->has_value());
  const Divergence& divergence = **compared.result;
  EXPECT_EQ(divergence.request, 3u) << "the first record the expected trace lacks";
  EXPECT_EQ(divergence.first_line_number, 14u);
  EXPECT_EQ(divergence.diff_text, "--- expected " + compared.expected_name +
                                      "\n+++ actual run\n@@ -11,3 +11,5 @@\n" +
                                      lines(actual, 10, 13, ' ') + "(expected trace ends here)\n" +
                                      lines(actual, 13, 15, '+') + "(the run ends here)\n");
}

TEST(TraceExpectation, ShowsAtMostThreeLinesOfEachSide) {
  const auto expected = run_records(5);
  auto actual = expected;
  actual.erase(actual.begin() + 3);  // request 1's HandleOptions is missing
  const auto compared = compare(expected, actual);
  ASSERT_TRUE(compared.result.ok() && compared.result->has_value());
  const Divergence& divergence = **compared.result;
  EXPECT_EQ(divergence.request, 1u);
  EXPECT_EQ(divergence.first_line_number, 4u);
  EXPECT_EQ(divergence.diff_text,
            "--- expected " + compared.expected_name + "\n+++ actual run\n@@ -2,5 +2,5 @@\n" +
                lines(expected, 1, 3, ' ') + lines(expected, 3, 6, '-') + lines(actual, 3, 6, '+'));
}

TEST(TraceExpectation, KnowsTheDivergenceAsSoonAsItHappens) {
  const auto expected = run_records(3);
  TempFile file;
  write_trace(file.path(), expected);
  auto expectation = TraceExpectation::open(file.path());
  ASSERT_TRUE(expectation.ok()) << expectation.error().message;
  auto actual = expected;
  actual[9].hook.returned = 1;  // request 2's PktDrop
  for (std::size_t index = 0; index < 9; ++index) {
    expectation->observe(actual[index]);
  }
  EXPECT_FALSE(expectation->diverged());
  EXPECT_EQ(expectation->divergence_request(), std::nullopt);
  expectation->observe(actual[9]);
  EXPECT_TRUE(expectation->diverged());
  EXPECT_EQ(expectation->divergence_request(), 2u);
  const auto result = expectation->finish();
  ASSERT_TRUE(result.ok() && result->has_value());
  EXPECT_EQ((*result)->first_line_number, 10u);
  const auto again = expectation->finish();
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ((*again)->diff_text, (*result)->diff_text);
}

TEST(TraceExpectation, ALongIdenticalRunStreams) {
  const auto records = run_records(5000);
  const auto compared = compare(records, records);
  ASSERT_TRUE(compared.result.ok()) << compared.result.error().message;
  EXPECT_EQ(*compared.result, std::nullopt);
}

TEST(TraceExpectation, BadExpectedFilesAreErrorsNamingFileAndLine) {
  TempFile file;
  const std::string name = file.name();
  auto open_error = [&](const std::string& contents) {
    file.write(contents);
    auto expectation = TraceExpectation::open(file.path());
    return expectation.ok() ? "no error" : expectation.error().message;
  };
  EXPECT_EQ(open_error(""), name + ":1: empty trace: no header record");
  EXPECT_EQ(open_error("calloutemu trace\n").rfind(name + ":1: not JSON: ", 0), 0u);
  EXPECT_EQ(open_error(R"({"record":"header","version":1})"),
            name + R"(:1: missing field "schema")");
  EXPECT_EQ(open_error(R"({"record":"header","schema":"calloutemu-trace","version":2})"),
            name + R"(:1: field "version" is 2: unsupported schema version (this calloutemu )"
                   "reads version 1)");
  const auto missing = TraceExpectation::open(file.path().parent_path() / "none.jsonl");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("none.jsonl: cannot open the trace"), std::string::npos);
}

TEST(TraceExpectation, AMalformedLineMidWayIsAnErrorNotADivergence) {
  const auto records = run_records(3);
  TempFile file;
  write_trace(file.path(), first(records, 4));
  file.write(file.read() + R"({"record":"hook","seq":4,"request":1})" + "\n");
  auto expectation = TraceExpectation::open(file.path());
  ASSERT_TRUE(expectation.ok()) << expectation.error().message;
  for (const TraceRecord& record : records) {
    expectation->observe(record);
  }
  EXPECT_FALSE(expectation->diverged());
  const auto result = expectation->finish();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message, file.name() + R"(:5: missing field "hook")");
}

}  // namespace
}  // namespace calloutemu::trace::testing
