// Runs calloutemu with a capture in a fresh directory, the recorder writing
// to record.jsonl there.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
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
