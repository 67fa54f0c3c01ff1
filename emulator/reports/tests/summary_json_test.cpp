#include "calloutemu/reports/summary_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_files.h"

namespace calloutemu::reports {
namespace {

using loader::Hook;
using std::chrono::nanoseconds;

RunSummary sample() {
  RunSummary summary;
  summary.captures = {"dora.pcap", "more.pcapng"};
  summary.frames_read = 12;
  summary.datagrams = 9;
  summary.filtered_out = 1;
  summary.skipped = {{"not UDP", 1}, {"truncated", 1}};
  summary.requests = 5;
  summary.replies_seen = 4;
  summary.drops = {{"DUPLICATE", 1}, {"NOADDRESS", 2}};
  summary.dropped_by_callout = 1;
  summary.responses = {{"OFFER", 1}, {"ACK", 2}};
  summary.faults = 1;
  summary.findings = 2;
  summary.exit_code = 3;
  HookLatency latency;
  latency.add(Hook::new_pkt, nanoseconds(1'500), 1);
  latency.add(Hook::new_pkt, nanoseconds(2'500), 2);
  latency.add(Hook::pkt_drop, nanoseconds(250), 2);
  latency.add(Hook::control, nanoseconds(40'000), 0);
  add_latency(summary, latency);
  return summary;
}

TEST(SummaryJson, WritesEveryField) {
  test::ScratchDir dir;
  const auto path = dir / "summary.json";
  const Status written = write_summary_json(path, sample());
  ASSERT_TRUE(written) << written.error().message;
  const auto json = nlohmann::json::parse(test::read_file(path));

  EXPECT_EQ(json["captures"], nlohmann::json::array({"dora.pcap", "more.pcapng"}));
  EXPECT_EQ(json["frames_read"], 12);
  EXPECT_EQ(json["datagrams"], 9);
  EXPECT_EQ(json["filtered_out"], 1);
  EXPECT_EQ(json["skipped"], nlohmann::json({{"not UDP", 1}, {"truncated", 1}}));
  EXPECT_EQ(json["requests"], 5);
  EXPECT_EQ(json["replies_seen"], 4);
  EXPECT_EQ(json["drops"], nlohmann::json({{"DUPLICATE", 1}, {"NOADDRESS", 2}}));
  EXPECT_EQ(json["dropped_by_callout"], 1);
  EXPECT_EQ(json["responses"], nlohmann::json({{"ACK", 2}, {"OFFER", 1}}));
  EXPECT_EQ(json["faults"], 1);
  EXPECT_EQ(json["findings"], 2);
  EXPECT_EQ(json["exit_code"], 3);

  const auto& hooks = json["hooks"];
  ASSERT_EQ(hooks.size(), 3U);  // hooks without calls are left out
  EXPECT_EQ(hooks["NewPkt"]["calls"], 2);
  EXPECT_DOUBLE_EQ(hooks["NewPkt"]["p50_us"].get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(hooks["NewPkt"]["p99_us"].get<double>(), 2.5);
  EXPECT_DOUBLE_EQ(hooks["NewPkt"]["max_us"].get<double>(), 2.5);
  EXPECT_DOUBLE_EQ(hooks["PktDrop"]["max_us"].get<double>(), 0.25);
  EXPECT_EQ(hooks["Control"]["calls"], 1);

  const auto& slowest = json["slowest_calls"];
  ASSERT_EQ(slowest.size(), 4U);
  EXPECT_EQ(slowest[0], nlohmann::json({{"hook", "Control"}, {"request", 0}, {"us", 40.0}}));
  EXPECT_EQ(slowest[1]["hook"], "NewPkt");
  EXPECT_EQ(slowest[1]["request"], 2);
  EXPECT_DOUBLE_EQ(slowest[1]["us"].get<double>(), 2.5);
  EXPECT_EQ(slowest[3]["hook"], "PktDrop");
}

TEST(SummaryJson, KeepsTheDocumentedOrder) {
  const auto text = summary_json(sample());
  ASSERT_TRUE(text);
  const auto json = nlohmann::ordered_json::parse(*text);
  std::vector<std::string> keys;
  for (const auto& item : json.items()) {
    keys.push_back(item.key());
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"captures", "frames_read", "datagrams", "filtered_out",
                                            "skipped", "requests", "replies_seen", "drops",
                                            "dropped_by_callout", "responses", "faults", "findings",
                                            "hooks", "slowest_calls", "exit_code"}));
  std::vector<std::string> hooks;
  for (const auto& item : json["hooks"].items()) {
    hooks.push_back(item.key());
  }
  EXPECT_EQ(hooks, (std::vector<std::string>{"Control", "NewPkt", "PktDrop"}));
  EXPECT_EQ(text->back(), '\n');
}

TEST(SummaryJson, EmptyRun) {
  const auto text = summary_json(RunSummary{});
  ASSERT_TRUE(text);
  const auto json = nlohmann::json::parse(*text);
  EXPECT_TRUE(json["captures"].is_array());
  EXPECT_TRUE(json["captures"].empty());
  EXPECT_TRUE(json["skipped"].is_object());
  EXPECT_TRUE(json["hooks"].is_object());
  EXPECT_TRUE(json["slowest_calls"].is_array());
  EXPECT_EQ(json["exit_code"], 0);
}

TEST(SummaryJson, InvalidUtf8IsReplaced) {
  RunSummary summary;
  summary.captures = {"caf\xE9.pcap"};  // a Latin-1 file name
  summary.skipped = {{"bad \xFF reason", 1}};
  const auto text = summary_json(summary);
  ASSERT_TRUE(text) << text.error().message;
  const auto json = nlohmann::json::parse(*text);
  EXPECT_EQ(json["captures"][0], "caf\xEF\xBF\xBD.pcap");
  EXPECT_EQ(json["skipped"]["bad \xEF\xBF\xBD reason"], 1);
}

TEST(SummaryJson, UnwritablePathNamesIt) {
  test::ScratchDir dir;
  const auto path = dir / "missing" / "summary.json";
  const Status written = write_summary_json(path, sample());
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().message.rfind(path.string() + ": ", 0), 0U) << written.error().message;
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace calloutemu::reports
