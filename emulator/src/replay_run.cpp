#include "calloutemu/emulator/replay_run.h"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "calloutemu/emulator/version.h"
#include "calloutemu/loader/callout_hooks.h"
#include "calloutemu/pcap_replay/capture_sequence.h"
#include "calloutemu/reports/progress_meter.h"
#include "calloutemu/reports/summary_json.h"
#include "calloutemu/server/dhcp_server.h"
#include "calloutemu/server/reply_lookahead.h"
#include "chain_session.h"
#include "debugger.h"
#include "in_process_stop.h"
#include "replay_outputs.h"
#include "replay_report.h"
#include "serialized_hooks.h"

namespace calloutemu::emulator {
namespace {

server::ServerSettings server_settings(const Options& options) {
  const auto& replay = options.replay;
  server::ServerSettings settings;
  settings.fidelity =
      options.profile == Profile::legacy ? server::Fidelity::legacy : server::Fidelity::documented;
  settings.decisions = replay.decisions;
  settings.config = replay.server;
  settings.duplicate_window = replay.duplicate_window;
  settings.injections = replay.injections;
  settings.pause_at = replay.pause_at;
  settings.continue_at = replay.continue_at;
  settings.deletes = replay.deletes;
  settings.workers = options.diagnostics.workers;
  return settings;
}

server::CapturedUdp to_udp(const pcap_replay::CapturedDatagram& captured) {
  server::CapturedUdp udp;
  udp.origin = {captured.frame_number, captured.file_index, captured.timestamp};
  udp.source_address = captured.datagram.source_address;
  udp.destination_address = captured.datagram.destination_address;
  udp.source_port = captured.datagram.source_port;
  udp.destination_port = captured.datagram.destination_port;
  udp.payload = captured.datagram.payload;
  return udp;
}

trace::TraceHeader trace_header(const Options& options) {
  trace::TraceHeader header;
  header.calloutemu_version = kVersion;
  header.profile = std::string(to_string(options.profile));
  header.captures = options.replay.pcaps;
  header.decisions = std::string(server::to_string(options.replay.decisions));
  return header;
}

struct Verdict {
  bool failed = false;    // an output could not be written, or the expected trace read
  bool diverged = false;  // the run differs from --expect
};

// Closes every output file; a divergence from --expect is printed on `err`.
Verdict close_outputs(ReplayOutputs& outputs, const Options& options, spdlog::logger& log,
                      std::ostream& err) {
  Verdict verdict;
  auto check = [&](const Status& status) {
    if (!status) {
      log.error("{}", status.error().message);
      verdict.failed = true;
    }
  };
  std::optional<trace::Divergence> divergence;
  if (outputs.expectation) {
    auto finished = outputs.expectation->finish();
    if (!finished) {
      log.error("{}", finished.error().message);
      verdict.failed = true;
    } else if (*finished) {
      divergence = std::move(**finished);
      verdict.diverged = true;
      const std::string where = divergence->request != 0
                                    ? "request " + std::to_string(divergence->request)
                                    : std::string("outside any request");
      log.error("the run differs from the expected trace {} (first at its record {}, {}):",
                *options.results.expect, divergence->first_line_number, where);
      err << divergence->diff_text;
      if (!divergence->diff_text.ends_with('\n')) {
        err << '\n';
      }
    }
  }
  for (auto* writer : {outputs.trace.get(), outputs.update.get()}) {
    if (writer != nullptr) {
      check(writer->close());
    }
  }
  if (outputs.junit) {
    check(outputs.junit->finish(divergence));
  }
  if (outputs.captures) {
    check(outputs.captures->close());
  }
  return verdict;
}

// "at request 2: NewPkt crashed in-process" ("in Control(START)" for a crash in START).
std::string stop_text(const std::optional<StopCause>& cause, const std::string& dll) {
  if (!cause) {
    return "Control(START) in " + dll + " crashed in-process, so no request was replayed";
  }
  const std::string where =
      cause->request != 0 ? "at request " + std::to_string(cause->request) : "outside a request";
  return where + " because " + stop_reason(*cause) + " (" + dll + ")";
}

}  // namespace

ExitCode run_replay(const Options& options, CalloutSetup& setup, loader::FaultTrap& trap,
                    spdlog::logger& log, std::ostream& out, std::ostream& err,
                    std::FILE* err_file) {
  const auto& replay = options.replay;
  std::vector<std::filesystem::path> paths(replay.pcaps.begin(), replay.pcaps.end());
  auto captures = pcap_replay::CaptureSequence::open(paths, replay.filter);
  if (!captures) {
    log.error("{}", captures.error().message);
    return kExitUsage;
  }
  auto opened = open_replay_outputs(options, out);
  if (!opened) {
    log.error("{}", opened.error().message);
    return kExitUsage;
  }
  ReplayOutputs& outputs = *opened;
  if (outputs.traces) {
    outputs.traces->header(trace_header(options));
  }
  // stdout carries the trace when it is "-": the report goes with the summary.
  std::ostream& report_out = options.results.trace_to_stdout() ? err : out;

  // Ends the process from whichever thread ends the run when a thread is
  // held in the callout for good (it could not be joined); everything is
  // written and closed by then.
  auto exit_now = [&](ExitCode code) { exit_flushed(code, log, {&out, &err}); };
  // --summary-json, with the run's exit code; a file that cannot be written
  // makes it kExitUsage.
  auto write_summary = [&](const ReplayReport& report, const server::LookaheadCounters& feed,
                           ExitCode& code) {
    if (options.results.summary_json) {
      auto summary = report.summary(captures->counters(), feed);
      summary.exit_code = code;
      if (auto written = reports::write_summary_json(*options.results.summary_json, summary);
          !written) {
        log.error("{}", written.error().message);
        code = kExitUsage;
      }
    }
  };

  // A DLL entry or Control(START) that never returned ends the run as a
  // crash there does: reported, outputs closed, exit 3.
  auto conclude_stuck_start = [&](const StuckStart& stuck) {
    ReplayReport report(log, stuck.attempts.back().name, paths, options.diagnostics.slow_hook);
    if (stuck.start) {
      report.control_called(*stuck.start);
    } else {
      report.count_stuck_entry();
    }
    report_out.flush();
    const auto verdict = close_outputs(outputs, options, log, err);
    ExitCode code = verdict.failed ? kExitUsage : kExitHookFault;
    report.print(err, captures->counters(), server::LookaheadCounters{}, 0);
    err << "replay stopped: " << stuck.what << " did not return, so no request was replayed\n";
    write_summary(report, server::LookaheadCounters{}, code);
    return code;
  };
  auto trace_start = [&](const std::vector<loader::LoadAttempt>& attempts,
                         const std::optional<loader::ControlCall>& start_call) {
    if (outputs.traces) {
      for (const auto& attempt : attempts) {
        outputs.traces->load_attempt(attempt);
      }
      if (start_call) {
        outputs.traces->control(*start_call);
      }
    }
  };
  // In-process this runs on the watchdog's thread: the run's own is held in
  // the callout. (Through a host, start_session returns the stuck call.)
  std::vector<loader::LoadAttempt> attempts_seen;
  auto end_stuck_start = [&](std::thread::id) {
    const auto names = loader::order_for_loading(setup.config.dlls, options.effective_load_order());
    const auto stuck =
        report_stuck_start(attempts_seen, names, given_up_call(trap.timeout()), log, report_out);
    trace_start(stuck.attempts, stuck.start);
    exit_now(conclude_stuck_start(stuck));
  };
  const bool watch_start = !setup.plan.hosted() && trap.timeout().count() > 0;
  if (watch_start) {
    trap.set_timeout(trap.timeout(), end_stuck_start);
  }
  auto start =
      start_session(options, setup, trap, true, log, report_out,
                    [&](const loader::LoadAttempt& attempt) { attempts_seen.push_back(attempt); });
  if (watch_start) {
    // end_stuck_start refers to what start_session reported.
    trap.set_timeout(trap.timeout(), end_run_when_stuck(log, trap.timeout()));
  }
  trace_start(start.attempts, start.start);
  if (start.stuck) {
    return conclude_stuck_start(*start.stuck);
  }
  if (start.stop) {
    return *start.stop;
  }
  std::unique_ptr<loader::CalloutHooks> own_hooks;
  std::unique_ptr<SerializedHooks> serialized;
  std::unique_ptr<StopAfterFault> stopper;  // in-process: a fault ends the run
  loader::CalloutHooks* hooks = nullptr;
  const auto clock = loader::HookClock::calibrated();
  if (start.session.hosted) {
    hooks = &start.session.hosted->hooks();
  } else if (start.session.callout) {
    own_hooks =
        std::make_unique<loader::InProcessHooks>(start.session.callout->table(), trap, &clock);
    hooks = &checked_hooks(start.session, *own_hooks);
    if (options.diagnostics.checked && options.diagnostics.workers > 1) {
      // Checked mode's guarded buffers and options page serve one call at a time.
      serialized = std::make_unique<SerializedHooks>(*hooks);
      hooks = serialized.get();
    }
    stopper = std::make_unique<StopAfterFault>(*hooks);
    hooks = stopper.get();
  } else {
    own_hooks = std::make_unique<loader::NoHooks>();
    hooks = own_hooks.get();
  }

  ReplayReport report(log, start.session.dll, paths, options.diagnostics.slow_hook);
  if (start.start) {
    report.count_control_findings(start.start->findings.size());
  }
  ObserverFanOut observers;
  observers.add(report);
  outputs.add_to(observers);
  Breakpoints breakpoints(options.diagnostics, log, start.session.hosted.get());
  auto settings = server_settings(options);
  settings.before_hook = breakpoints.gate();
  StopGate gate(observers.target(), stopper != nullptr);
  if (start.start) {
    report.control_called(*start.start);
  }
  server::DhcpServer dhcp(std::move(settings), *hooks, gate);
  server::ReplyLookahead feed(replay.reply_window, replay.decisions != server::DecisionMode::model);
  reports::ProgressMeter progress(err_file, !options.results.progress);
  const std::uint64_t capture_bytes = captures->bytes_total();
  // In-process, a crash in START means no request is replayed at all.
  bool stopped = stopper != nullptr && start.session.faulted;
  auto drain = [&] {
    while (auto ready = feed.front()) {
      if (stopped) {
        return;
      }
      if (options.diagnostics.workers == 1) {
        // With workers the request is reported after it is popped.
        report.set_current(*ready->request);
      }
      dhcp.process(*ready->request, ready->reply);
      feed.pop();
      stopped = stopper != nullptr && stopper->stopped();
      progress.update_lazily(
          feed.counters().requests, [&] { return captures->bytes_read(); }, capture_bytes);
    }
  };

  std::optional<Error> read_error;
  // Outputs closed, the report printed, the exit code.
  auto conclude = [&](bool ended_by_fault) -> ExitCode {
    report_out.flush();
    // --checked: what it catches fails the run as a crash does.
    const bool faulted =
        start.session.faulted || report.faults() != 0 || report.checked_findings() != 0;
    const auto verdict = close_outputs(outputs, options, log, err);

    ExitCode code = kExitOk;
    if (read_error || verdict.failed) {
      code = kExitUsage;
    } else if (faulted) {
      code = kExitHookFault;
    } else if (verdict.diverged) {
      code = kExitExpectationMismatch;
    }
    report.print(err, captures->counters(), feed.counters(), dhcp.lease_count());
    if (ended_by_fault) {
      err << "replay stopped: " << stop_text(gate.cause(), start.session.dll)
          << "; Control(STOP) was not sent\n";
    }
    write_summary(report, feed.counters(), code);
    if (read_error) {
      log.error("{} (every request before it was replayed and is reported above)",
                read_error->message);
    }
    return code;
  };
  auto record_stop = [&](const loader::ControlCall& stop) {
    report.control_called(stop);
    report.count_control_findings(stop.findings.size());
    if (outputs.traces) {
      outputs.traces->control(stop);
    }
  };

  // A call the watchdog cannot interrupt (it blocks the watchdog's signal,
  // or waits in the system on Windows) would hold the run for ever: the
  // watchdog gives it up (its thread stays where it is) and it is reported
  // as a fault of that call.
  const bool ends_stuck_runs = stopper != nullptr && trap.timeout().count() > 0;
  // In-process, a Control(STOP) given up on ends the run with everything
  // before it reported.
  auto watch_stop = [&] {
    trap.set_timeout(trap.timeout(), [&](std::thread::id) {
      const auto stop =
          report_stuck_stop(start.session.dll, given_up_call(trap.timeout()), log, report_out);
      start.session.faulted = true;
      record_stop(stop);
      exit_now(conclude(false));
    });
  };

  // The end of the run: STOP (unless a fault stopped it), then the rest.
  auto finish_run = [&](bool ended_by_fault) -> ExitCode {
    progress.finish();
    if (ended_by_fault) {
      // The callout may be in any state after its crash: nothing of it runs again.
      report_out << "Control(STOP): not sent (" << stop_text(gate.cause(), start.session.dll)
                 << ")\n";
      start.session.faulted = true;
    } else {
      if (start.session.callout) {
        breakpoints.before(loader::Hook::control, 0);  // STOP
      }
      if (ends_stuck_runs) {
        watch_stop();
      }
      if (auto stop = end_session(start.session, trap, log, report_out)) {
        record_stop(*stop);
      }
      if (ends_stuck_runs) {
        // watch_stop's handler refers to this function's objects.
        trap.set_timeout(trap.timeout(), end_run_when_stuck(log, trap.timeout()));
      }
    }
    return conclude(ended_by_fault);
  };

  // During the requests, the request of the call given up on ends there;
  // the run ends on the thread that is free to end it.
  auto end_stuck_run = [&](std::thread::id thread) {
    const auto call = stopper->give_up(thread);
    if (serialized) {
      serialized->refuse_waiting_calls();  // the held call has the turn for good
    }
    const auto held =
        call ? dhcp.give_up_call(thread, call->hook, call->code, given_up_call(trap.timeout()))
             : server::DhcpServer::HeldThread::none;
    switch (held) {
      case server::DhcpServer::HeldThread::worker:
        return;  // the run's thread finds the run stopped and ends it
      case server::DhcpServer::HeldThread::receive:
        // The run's thread is held: another ends the run, while this one
        // goes on watching the workers' calls (one may be held too).
        std::thread([&] {
          dhcp.drain();
          exit_now(finish_run(true));
        }).detach();
        return;
      case server::DhcpServer::HeldThread::none:
        break;
    }
    log.error(
        "a hook did not return within {} ms, nor after the watchdog's interrupt, outside any "
        "request: the run ends here, without its summary and closing its outputs",
        trap.timeout().count());
    exit_now(kExitHookFault);
  };
  if (ends_stuck_runs) {
    stopper->note_calls(options.diagnostics.workers + 1);
    trap.set_timeout(trap.timeout(), end_stuck_run);
  }

  while (!stopped) {
    auto next = captures->next();
    if (!next) {
      read_error = next.error();
      break;
    }
    if (!*next) {
      break;
    }
    const auto udp = to_udp(**next);
    const auto pushed = feed.push(udp);
    if (pushed.kind == server::ReplyLookahead::Kind::reply) {
      dhcp.observe_reply(*pushed.reply);
    } else if (pushed.kind == server::ReplyLookahead::Kind::oversize) {
      log.warn("{}: a {}-byte datagram, over the server's 4096-byte receive buffer: not received",
               report.where(udp.origin), udp.payload.size());
    }
    drain();
  }
  if (!stopped) {
    feed.finish();
    drain();
  }
  if (!stopped) {
    dhcp.finish(feed.counters().requests);
  } else {
    dhcp.drain();  // requests already with worker threads end (their hooks are refused)
  }
  // With --workers the fault may come from a request still in flight above.
  stopped = stopped || (stopper != nullptr && stopper->stopped());
  if (ends_stuck_runs) {
    // end_stuck_run refers to the requests; finish_run watches STOP its own way.
    trap.set_timeout(trap.timeout(), end_run_when_stuck(log, trap.timeout()));
  }
  const auto code = finish_run(stopped);
  if (stopper != nullptr && stopper->gave_up()) {
    exit_now(code);  // a worker thread is held in the callout: the server cannot join it
  }
  return code;
}

}  // namespace calloutemu::emulator
