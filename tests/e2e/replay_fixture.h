// Runs calloutemu with a capture in a fresh directory, the recorder writing
// to record.jsonl there.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "fixtures.h"
#include "hook_sequence.h"
#include "json_lines.h"
#include "run_program.h"
#include "temp_dir.h"

namespace calloutemu::test {

class ReplayTest : public ::testing::Test {
 protected:
  ProgramRun run(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), program_path().string());
    env["CALLOUT_RECORD"] = record_.string();
    return run_program(args, RunOptions{dir_.path(), env});
  }

  std::vector<nlohmann::json> records() const { return read_json_lines(record_); }
  std::vector<std::vector<std::string>> packets() const { return packet_sequences(records()); }

  // The records of the packet hooks only (NewPkt ... PktDrop), grouped per packet.
  std::vector<std::vector<nlohmann::json>> packet_records() const {
    std::vector<std::vector<nlohmann::json>> groups;
    for (const auto& record : records()) {
      const std::string hook = record["hook"];
      if (hook == "NewPkt") {
        groups.emplace_back();
      }
      if (!groups.empty() && hook != "Control" && hook != "DeleteClient") {
        groups.back().push_back(record);
      }
    }
    return groups;
  }

  // One replay with --workers N and --trace: the trace without durations,
  // and the recorder's records per packet (by PktContext, in call order) with
  // addresses left out; Control and DeleteClient apart.
  struct WorkersRun {
    int exit_code = -1;
    std::string err;
    std::string trace;
    std::map<std::string, std::vector<std::string>> packets;
    std::vector<std::string> between_packets;
  };
  WorkersRun run_workers(std::vector<std::string> args, unsigned workers,
                         std::map<std::string, std::string> env = {}) {
    std::filesystem::remove(record_);
    const auto trace = dir_ / "workers-trace.jsonl";
    args.insert(args.end(), {"--workers", std::to_string(workers), "--trace", trace.string()});
    const auto result = run(args, std::move(env));
    WorkersRun out;
    out.exit_code = result.exit_code;
    out.err = result.err;
    std::istringstream lines(read_text_file(trace));
    for (std::string line; std::getline(lines, line);) {
      if (const auto at = line.find("\"duration_us\":"); at != std::string::npos) {
        line.erase(at, line.find_first_of(",}", at) - at);
      }
      out.trace += line + "\n";
    }
    for (auto record : records()) {
      // Addresses (Reserved, CalloutTbl, ...) differ from run to run.
      for (auto it = record.begin(); it != record.end();) {
        const bool address = it.key() != "PktContext" && it->is_string() &&
                             it->template get<std::string>().starts_with("0x");
        it = address ? record.erase(it) : std::next(it);
      }
      const std::string hook = record["hook"];
      if (hook == "Control" || hook == "DeleteClient" || !record.contains("PktContext")) {
        out.between_packets.push_back(record.dump());
      } else {
        out.packets[record["PktContext"].dump()].push_back(record.dump());
      }
    }
    return out;
  }

  // `args` with --workers 4 give the trace and records of --workers 1.
  void expect_four_workers_to_give_the_run_of_one(const std::vector<std::string>& args) {
    const auto one = run_workers(args, 1);
    ASSERT_EQ(one.exit_code, 0) << one.err;
    ASSERT_FALSE(one.packets.empty());
    const auto four = run_workers(args, 4);
    ASSERT_EQ(four.exit_code, 0) << four.err;
    EXPECT_EQ(four.trace, one.trace);
    EXPECT_EQ(four.packets, one.packets);
    EXPECT_EQ(four.between_packets, one.between_packets);
  }

  std::filesystem::path write_file(const std::string& name, const std::string& text) {
    write_text_file(dir_ / name, text);
    return dir_ / name;
  }

  // The value of a "key: value" line of the report.
  static std::string report_value(const std::string& out, const std::string& key) {
    const auto at = out.find("\n" + key + ": ");
    if (at == std::string::npos) {
      return "<no " + key + " line>";
    }
    const auto start = at + key.size() + 3;
    return out.substr(start, out.find('\n', start) - start);
  }

  TempDir dir_;
  std::filesystem::path record_ = dir_ / "record.jsonl";
};

}  // namespace calloutemu::test
