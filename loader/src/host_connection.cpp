#include "host_connection.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <new>

#include "calloutemu/spin_wait.h"

namespace calloutemu::loader::host {
namespace {

// While asleep the client still looks for the host's exit this often: a
// host can die without its output closing (a child it started holds it).
constexpr std::chrono::milliseconds kDeathCheck{50};
constexpr std::chrono::milliseconds kExitGrace{2000};

std::string byte_text(std::uint8_t byte) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%02X", static_cast<unsigned>(byte));
  return text;
}

std::string seconds_text(std::chrono::milliseconds time) {
  char text[32];
  std::snprintf(text, sizeof text, "%g s", static_cast<double>(time.count()) / 1000.0);
  return text;
}

}  // namespace

HostConnection::HostConnection(HostProcess process, SharedFile channel, std::size_t lanes,
                               std::string label)
    : process_(std::move(process)),
      channel_(std::move(channel)),
      view_(channel_.data(), lanes),
      label_(std::move(label)),
      sequences_(lanes, 0) {}

Result<std::unique_ptr<HostConnection>> HostConnection::start(const HostCommand& command) {
  if (command.argv.empty()) {
    return make_error("no " + command.label + " program given");
  }
  if (command.lanes == 0 || command.lanes > kMaxLanes) {
    return make_error("a " + command.label + " serves 1 to " + std::to_string(kMaxLanes) +
                      " calls at once, not " + std::to_string(command.lanes));
  }
  const std::size_t lanes = command.lanes;
  auto channel = SharedFile::create(channel_size(lanes));
  if (!channel) {
    return channel.error();
  }
  auto* header = new (channel->data()) ChannelHeader{};
  header->magic = kChannelMagic;
  header->version = kProtocolVersion;
  header->header_size = static_cast<std::uint32_t>(channel_header_size(lanes));
  header->lane_count = static_cast<std::uint32_t>(lanes);
  header->lane_size = static_cast<std::uint32_t>(kLaneSize);
  header->request_capacity = kRequestCapacity;
  header->reply_capacity = kReplyCapacity;
  for (std::size_t i = 0; i < lanes; ++i) {
    new (channel->data() + kLaneControlOffset + i * sizeof(LaneControl)) LaneControl{};
  }

  HostSpawn spawn;
  spawn.argv = command.argv;
  if (command.hook_timeout.count() > 0) {
    spawn.argv.push_back("--hook-timeout");
    spawn.argv.push_back(std::to_string(command.hook_timeout.count()));
  }
  if (command.checked) {
    spawn.argv.push_back("--checked");
  }
  spawn.argv.push_back("--channel");
  spawn.argv.push_back(path_for_host(channel->path(), command.windows_host));
  spawn.environment = command.environment;
  auto process = HostProcess::spawn(spawn);
  if (!process) {
    return process.error();
  }
  std::unique_ptr<HostConnection> connection(new HostConnection(
      std::move(process).value(), std::move(channel).value(), lanes, command.label));
  connection->program_ = command.argv.back();

  auto request = connection->begin(0, Request::hello);
  request.u32(kProtocolVersion);
  // Woken whether it sleeps or not: a program that echoes its input (it is
  // no host) shows itself at once.
  connection->process_.wake();
  auto reply = connection->exchange(0, request, command.startup_timeout);
  const std::string not_a_host = " (is " + connection->program_ + " a callout host?)";
  if (reply.failure) {
    return make_error(reply.failure->description + not_a_host);
  }
  if (reply.status != Status::ok) {
    return make_error(connection->broke_protocol("it did not accept hello").description +
                      not_a_host);
  }
  const std::uint32_t version = reply.body.u32();
  connection->host_description_ = reply.body.string(256);
  if (!reply.body.ok()) {
    return make_error(connection->broke_protocol("malformed hello reply").description);
  }
  if (version != kProtocolVersion) {
    return make_error(command.label + " speaks protocol version " + std::to_string(version) +
                      ", not " + std::to_string(kProtocolVersion) + ": " + command.argv.back() +
                      " belongs to another calloutemu version");
  }
  // Both sides have it mapped: the name is no longer needed.
  connection->channel_.remove();
  return connection;
}

WireWriter HostConnection::begin(std::size_t lane, Request kind) {
  WireWriter writer(view_.request_area(lane) + sizeof(std::uint32_t),
                    kRequestCapacity - sizeof(std::uint32_t));
  writer.u32(static_cast<std::uint32_t>(kind));
  return writer;
}

bool HostConnection::replied(std::size_t lane) const {
  return view_.control(lane).reply_sequence.load(std::memory_order_seq_cst) == sequences_[lane];
}

HostFailure HostConnection::broke_protocol(const std::string& what) const {
  return {"the " + label_ + " broke the protocol: " + what, 0};
}

Exchange HostConnection::exchange(std::size_t lane, const WireWriter& request,
                                  std::optional<std::chrono::milliseconds> timeout) {
  Exchange result;
  if (!request.ok()) {
    result.failure = HostFailure{"the request does not fit the channel", 0};
    return result;
  }
  store_u32(view_.request_area(lane), static_cast<std::uint32_t>(request.size()));
  LaneControl& control = view_.control(lane);
  control.call_sequence.store(++sequences_[lane], std::memory_order_seq_cst);
  if (control.host_sleeping.load(std::memory_order_seq_cst) != 0) {
    process_.wake();
  }
  if (auto failure = wait_for_reply(lane, timeout)) {
    result.failure = std::move(failure);
    return result;
  }
  const std::uint8_t* area = view_.reply_area(lane);
  const std::uint32_t length = load_u32(area);
  if (length < sizeof(std::uint32_t) || length > kReplyCapacity - sizeof(std::uint32_t)) {
    result.failure = broke_protocol("reply length " + std::to_string(length) + " is out of range");
    return result;
  }
  WireReader reader(area + sizeof(std::uint32_t), length);
  const std::uint32_t status = reader.u32();
  if (status < static_cast<std::uint32_t>(Status::ok) ||
      status > static_cast<std::uint32_t>(Status::error)) {
    result.failure = broke_protocol("unknown reply status " + std::to_string(status));
    return result;
  }
  result.status = static_cast<Status>(status);
  result.body = reader;
  return result;
}

std::optional<HostFailure> HostConnection::wait_for_reply(
    std::size_t lane, std::optional<std::chrono::milliseconds> timeout) {
  if (spin_until([&] { return replied(lane); }, kSpinTime, kBusySpinTime)) {
    return std::nullopt;
  }
  const auto start = std::chrono::steady_clock::now();
  LaneControl& control = view_.control(lane);
  control.client_sleeping.store(1, std::memory_order_seq_cst);
  std::optional<HostFailure> failure;
  std::unique_lock guard(wait_lock_);
  while (!replied(lane)) {
    if (gone_) {
      failure = gone_;
      break;
    }
    auto slice = kDeathCheck;
    if (timeout) {
      const auto left = *timeout - std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::steady_clock::now() - start);
      if (left <= std::chrono::milliseconds::zero()) {
        failure = HostFailure{"the " + label_ + " did not answer within " + seconds_text(*timeout),
                              0, true};
        break;
      }
      slice = std::min(slice, left);
    }
    if (reading_) {
      woken_.wait_for(guard, slice);
      continue;
    }
    reading_ = true;
    guard.unlock();
    std::optional<HostFailure> lost = read_host_output(slice);
    guard.lock();
    reading_ = false;
    if (lost && !gone_) {
      gone_ = std::move(lost);
    }
    woken_.notify_all();
  }
  guard.unlock();
  control.client_sleeping.store(0, std::memory_order_relaxed);
  return failure;
}

// Waits up to `slice` for bytes from the host; how it was lost, if it was.
std::optional<HostFailure> HostConnection::read_host_output(std::chrono::milliseconds slice) {
  std::uint8_t byte = 0;
  const HostSignal signal = process_.wait(slice, byte);
  if (signal == HostSignal::unexpected) {
    return broke_protocol("it wrote " + byte_text(byte) + " on its output");
  }
  if (signal == HostSignal::closed || process_.exited()) {
    const HostExit exit = process_.finish(kExitGrace);
    return HostFailure{"the " + label_ + " died: " + exit.description, exit.code};
  }
  return std::nullopt;
}

HostExit HostConnection::finish(std::chrono::milliseconds grace) {
  std::unique_lock guard(wait_lock_);
  woken_.wait(guard, [&] { return !reading_; });
  reading_ = true;
  guard.unlock();
  const HostExit exit = process_.finish(grace);
  guard.lock();
  reading_ = false;
  if (!gone_) {
    gone_ = HostFailure{"the " + label_ + " " + exit.description, exit.code};
  }
  woken_.notify_all();
  return exit;
}

}  // namespace calloutemu::loader::host
