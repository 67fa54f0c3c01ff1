// What a replay writes besides its report: --trace, --expect, --junit,
// --write-pcap and --write-dropped, each a server observer, fed together.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "calloutemu/emulator/options.h"
#include "calloutemu/loader/chain_loader.h"
#include "calloutemu/reports/junit_writer.h"
#include "calloutemu/responses/capture_outputs.h"
#include "calloutemu/result.h"
#include "calloutemu/server/outcome.h"
#include "calloutemu/trace/record_builder.h"
#include "calloutemu/trace/trace_expectation.h"
#include "calloutemu/trace/trace_writer.h"

namespace calloutemu::emulator {

// Passes every event to each observer, in the order they were added.
class ObserverFanOut final : public server::ServerObserver {
 public:
  void add(server::ServerObserver& observer) { observers_.push_back(&observer); }
  // Where the server's events go once every observer is added: the only
  // observer itself when there is one (each hook call is an event).
  server::ServerObserver& target() { return observers_.size() == 1 ? *observers_.front() : *this; }

  bool wants_arguments() const override;
  void hook_called(const server::HookRecord& record) override;
  void response_sent(const server::RequestOutcome& outcome,
                     std::span<const std::uint8_t> bytes) override;
  void request_finished(const server::RequestOutcome& outcome) override;
  void note(std::string_view text) override;

 private:
  std::vector<server::ServerObserver*> observers_;
};

// --trace, --expect-update and --expect: each record built once, then written
// to every trace file and compared with the expected trace.
class TraceFeed final : public server::ServerObserver {
 public:
  void add(trace::TraceWriter& writer) { writers_.push_back(&writer); }
  void compare_with(trace::TraceExpectation& expectation) { expectation_ = &expectation; }
  bool active() const { return !writers_.empty() || expectation_ != nullptr; }

  void header(const trace::TraceHeader& header);  // written, not compared
  void load_attempt(const loader::LoadAttempt& attempt);
  void control(const loader::ControlCall& call);
  bool wants_arguments() const override { return true; }
  void hook_called(const server::HookRecord& record) override;
  // The trace writer's order: a request's findings when it ends.
  void request_finished(const server::RequestOutcome& outcome) override;

 private:
  void send(const trace::TraceRecord& record);

  trace::TraceRecordBuilder builder_;
  std::vector<trace::TraceWriter*> writers_;
  trace::TraceExpectation* expectation_ = nullptr;
};

// --junit: one test case per request, failed when a hook of it faulted or
// when the run first differs from the expected trace in it.
class JunitCases final : public server::ServerObserver {
 public:
  JunitCases(reports::JunitWriter writer, std::vector<std::filesystem::path> captures,
             const trace::TraceExpectation* expectation, std::string expected_path)
      : writer_(std::move(writer)),
        captures_(std::move(captures)),
        expectation_(expectation),
        expected_path_(std::move(expected_path)) {}

  void hook_called(const server::HookRecord& record) override;
  void request_finished(const server::RequestOutcome& outcome) override;
  // Adds a case for a divergence no request case shows, then writes the file.
  Status finish(const std::optional<trace::Divergence>& divergence);

 private:
  reports::JunitWriter writer_;
  std::vector<std::filesystem::path> captures_;
  const trace::TraceExpectation* expectation_;
  std::string expected_path_;
  std::vector<std::string> lines_;  // the hook calls of the request under way
  std::chrono::nanoseconds hooks_time_{};
  bool divergence_shown_ = false;
};

// Every output file of a replay, opened before the chain is loaded so that a
// bad path stops the run before any hook runs.
struct ReplayOutputs {
  std::unique_ptr<trace::TraceWriter> trace;             // --trace
  std::unique_ptr<trace::TraceWriter> update;            // --expect-update: the new expected file
  std::unique_ptr<trace::TraceExpectation> expectation;  // --expect
  std::unique_ptr<TraceFeed> traces;                     // feeds the three above
  std::unique_ptr<JunitCases> junit;
  std::unique_ptr<responses::CaptureOutputs> captures;

  void add_to(ObserverFanOut& fan_out);
};

Result<ReplayOutputs> open_replay_outputs(const Options& options, std::ostream& standard_output);

}  // namespace calloutemu::emulator
