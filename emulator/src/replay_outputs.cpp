#include "replay_outputs.h"

#include <algorithm>
#include <chrono>
#include <utility>

namespace calloutemu::emulator {

bool ObserverFanOut::wants_arguments() const {
  return std::any_of(observers_.begin(), observers_.end(),
                     [](const auto* observer) { return observer->wants_arguments(); });
}

void ObserverFanOut::hook_called(const server::HookRecord& record) {
  for (auto* observer : observers_) {
    observer->hook_called(record);
  }
}

void ObserverFanOut::response_sent(const server::RequestOutcome& outcome,
                                   std::span<const std::uint8_t> bytes) {
  for (auto* observer : observers_) {
    observer->response_sent(outcome, bytes);
  }
}

void ObserverFanOut::request_finished(const server::RequestOutcome& outcome) {
  for (auto* observer : observers_) {
    observer->request_finished(outcome);
  }
}

void ObserverFanOut::note(std::string_view text) {
  for (auto* observer : observers_) {
    observer->note(text);
  }
}

// --- --trace, --expect -------------------------------------------------------

void TraceFeed::send(const trace::TraceRecord& record) {
  for (auto* writer : writers_) {
    writer->write(record);
  }
  if (expectation_ != nullptr) {
    expectation_->observe(record);
  }
}

void TraceFeed::header(const trace::TraceHeader& header) {
  const auto& record = builder_.header(header);
  for (auto* writer : writers_) {
    writer->write(record);
  }
}

void TraceFeed::load_attempt(const loader::LoadAttempt& attempt) {
  send(builder_.load(attempt));
}

void TraceFeed::control(const loader::ControlCall& call) {
  if (call.called) {
    send(builder_.control(call));
  }
}

void TraceFeed::hook_called(const server::HookRecord& record) {
  send(builder_.hook(record));
}

void TraceFeed::request_finished(const server::RequestOutcome& outcome) {
  for (const auto& text : outcome.findings) {
    send(builder_.finding(outcome.number, text));
  }
}

// --- --junit -----------------------------------------------------------------

void JunitCases::hook_called(const server::HookRecord& record) {
  lines_.push_back(reports::hook_line(record));
  hooks_time_ += record.call->duration;
}

void JunitCases::request_finished(const server::RequestOutcome& outcome) {
  const auto& origin = outcome.origin;
  const std::string capture = origin.file_index < captures_.size()
                                  ? captures_[origin.file_index].filename().string()
                                  : std::to_string(origin.file_index);
  auto test_case = reports::request_case(outcome, capture, std::move(lines_));
  lines_.clear();
  test_case.time = std::chrono::duration<double>(hooks_time_).count();
  hooks_time_ = {};
  if (expectation_ != nullptr && !divergence_shown_ &&
      expectation_->divergence_request() == outcome.number) {
    divergence_shown_ = true;
    if (!test_case.failure) {
      test_case.failure = reports::JunitFailure{
          "expectation", "the hook calls differ from " + expected_path_,
          "the first difference from the expected trace is in this request; the run's diff "
          "shows it"};
    }
  }
  writer_.add_case(test_case);
}

Status JunitCases::finish(const std::optional<trace::Divergence>& divergence) {
  if (divergence && !divergence_shown_) {
    reports::JunitCase run_case;
    run_case.name = "the run against " + expected_path_;
    run_case.classname = "calloutemu.expectation";
    run_case.failure = reports::JunitFailure{
        "expectation", "the run differs from " + expected_path_, divergence->diff_text};
    writer_.add_case(run_case);
  }
  return writer_.finish();
}

// --- all of them -------------------------------------------------------------

void ReplayOutputs::add_to(ObserverFanOut& fan_out) {
  // The traces first: the JUnit cases ask the expectation where the run diverged.
  if (traces) {
    fan_out.add(*traces);
  }
  if (junit) {
    fan_out.add(*junit);
  }
  if (captures) {
    fan_out.add(*captures);
  }
}

Result<ReplayOutputs> open_replay_outputs(const Options& options, std::ostream& standard_output) {
  const auto& results = options.results;
  ReplayOutputs outputs;
  if (results.trace) {
    auto writer = trace::TraceWriter::open(*results.trace, standard_output);
    if (!writer) {
      return writer.error();
    }
    outputs.trace = std::move(writer).value();
  }
  if (results.expect && results.expect_update) {
    auto writer = trace::TraceWriter::open(*results.expect, standard_output);
    if (!writer) {
      return writer.error();
    }
    outputs.update = std::move(writer).value();
  } else if (results.expect) {
    auto expectation = trace::TraceExpectation::open(*results.expect);
    if (!expectation) {
      return expectation.error();
    }
    outputs.expectation = std::make_unique<trace::TraceExpectation>(std::move(expectation).value());
  }
  outputs.traces = std::make_unique<TraceFeed>();
  for (auto* writer : {outputs.trace.get(), outputs.update.get()}) {
    if (writer != nullptr) {
      outputs.traces->add(*writer);
    }
  }
  if (outputs.expectation) {
    outputs.traces->compare_with(*outputs.expectation);
  }
  if (!outputs.traces->active()) {
    outputs.traces.reset();
  }
  if (results.junit) {
    auto writer = reports::JunitWriter::create(*results.junit);
    if (!writer) {
      return writer.error();
    }
    std::vector<std::filesystem::path> captures(options.replay.pcaps.begin(),
                                                options.replay.pcaps.end());
    outputs.junit =
        std::make_unique<JunitCases>(std::move(writer).value(), std::move(captures),
                                     outputs.expectation.get(), results.expect.value_or(""));
  }
  if (results.write_pcap || results.write_dropped) {
    responses::CaptureOutputSettings settings;
    if (results.write_pcap) {
      settings.responses = *results.write_pcap;
    }
    if (results.write_dropped) {
      settings.dropped = *results.write_dropped;
    }
    auto captures = responses::CaptureOutputs::create(settings);
    if (!captures) {
      return captures.error();
    }
    outputs.captures = std::move(captures).value();
  }
  return outputs;
}

}  // namespace calloutemu::emulator
