#include "calloutemu/emulator/replay_run.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "calloutemu/loader/callout_hooks.h"
#include "calloutemu/pcap_replay/capture_sequence.h"
#include "calloutemu/server/dhcp_server.h"
#include "calloutemu/server/reply_lookahead.h"
#include "chain_session.h"
#include "replay_report.h"

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

}  // namespace

ExitCode run_replay(const Options& options, const loader::CalloutConfig& config,
                    spdlog::logger& log, std::ostream& out) {
  const auto& replay = options.replay;
  std::vector<std::filesystem::path> paths(replay.pcaps.begin(), replay.pcaps.end());
  auto captures = pcap_replay::CaptureSequence::open(paths, replay.filter);
  if (!captures) {
    log.error("{}", captures.error().message);
    return kExitUsage;
  }

  loader::FaultTrap trap;
  auto start = start_session(options, config, trap, true, log, out);
  if (start.stop) {
    return *start.stop;
  }
  std::unique_ptr<loader::CalloutHooks> hooks;
  if (start.session.callout) {
    hooks = std::make_unique<loader::InProcessHooks>(start.session.callout->table(), trap);
  } else {
    hooks = std::make_unique<loader::NoHooks>();
  }

  ReplayReport report(log, start.session.dll, paths);
  server::DhcpServer dhcp(server_settings(options), *hooks, report);
  server::ReplyLookahead feed(replay.reply_window, replay.decisions != server::DecisionMode::model);
  auto drain = [&] {
    while (auto ready = feed.front()) {
      report.set_current(*ready->request);
      dhcp.process(*ready->request, ready->reply);
      feed.pop();
    }
  };

  std::optional<Error> read_error;
  while (true) {
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
  feed.finish();
  drain();
  dhcp.finish(feed.counters().requests);

  report.print(out, captures->counters(), feed.counters(), dhcp.lease_count());
  end_session(start.session, trap, log, out);
  if (read_error) {
    log.error("{} (every request before it was replayed and is reported above)",
              read_error->message);
    return kExitUsage;
  }
  return start.session.faulted || report.faults() != 0 ? kExitHookFault : kExitOk;
}

}  // namespace calloutemu::emulator
