#include "calloutemu/server/reply_lookahead.h"

#include <algorithm>
#include <cstring>

#include "calloutemu/prefetch.h"

#include "calloutemu/dhcp/message.h"
#include "calloutemu/dhcp/validation.h"
#include "calloutemu/dhcp/wire_format.h"

namespace calloutemu::server {
namespace {

constexpr std::size_t kPrefetchDistance = 2;

}  // namespace

ReplyLookahead::ReplyLookahead(std::chrono::nanoseconds window, bool look_ahead,
                               std::size_t max_pending)
    : window_(window),
      look_ahead_(look_ahead),
      max_pending_(std::max<std::size_t>(1, max_pending)) {}

ReplyLookahead::Pushed ReplyLookahead::push(const CapturedUdp& datagram) {
  latest_ = std::max(latest_, datagram.origin.time);
  // The captured server's replies come from port 67, to clients (68) or to
  // relay agents (67); a BOOTREPLY to port 67 is never a request either.
  if ((datagram.source_port == kServerPort || datagram.destination_port == kServerPort) &&
      dhcp::is_reply(datagram.payload)) {
    ++counters_.replies;
    auto reply = read_captured_reply(datagram.origin, datagram.source_address, datagram.payload);
    if (!reply) {
      return {};
    }
    last_reply_ = std::move(reply).value();
    if (look_ahead_) {
      start_indexing();
      match(*last_reply_);
    }
    return {Kind::reply, &*last_reply_};
  }
  if (datagram.destination_port != kServerPort) {
    ++counters_.not_to_server;
    return {};
  }
  if (datagram.payload.size() > dhcp::kServerBufferSize) {
    ++counters_.oversize;
    return {Kind::oversize, nullptr};
  }
  Waiting waiting;
  waiting.request.number = ++counters_.requests;
  waiting.request.origin = datagram.origin;
  waiting.request.source_address = datagram.source_address;
  waiting.request.destination_address = datagram.destination_address;
  waiting.request.payload = payloads_.push(datagram.payload);
  waiting.sequence = next_sequence_++;
  waiting_.push_back(waiting);
  if (indexing_) {
    index(waiting_.back());
  }
  return {Kind::request, nullptr};
}

// A reply answers the latest earlier request of its transaction that it fits
// (an OFFER a DISCOVER, ...) and that has no reply yet.
void ReplyLookahead::match(CapturedReply reply) {
  const auto key = transaction_key(reply.payload);
  if (!key) {
    return;
  }
  auto found = by_key_.find(*key);
  if (found == by_key_.end() || waiting_.empty()) {
    return;
  }
  const std::uint64_t first_sequence = waiting_.front().sequence;
  auto& sequences = found->second;
  for (auto it = sequences.rbegin(); it != sequences.rend(); ++it) {
    Waiting& candidate = waiting_[static_cast<std::size_t>(*it - first_sequence)];
    if (candidate.answered || reply.origin.time - candidate.request.origin.time > window_) {
      continue;  // answered already, or its window closed before this reply
    }
    auto view = dhcp::parse_message(candidate.request.payload);
    if (!view || !answers(reply, view->message_type(), view->is_bootp())) {
      continue;
    }
    candidate.answered = true;
    replies_.emplace(candidate.sequence, std::move(reply));
    ++counters_.replies_matched;
    return;
  }
}

std::optional<ReplyLookahead::Ready> ReplyLookahead::front() {
  if (waiting_.empty()) {
    return std::nullopt;
  }
  Waiting& oldest = waiting_.front();
  const bool window_over =
      !look_ahead_ || finished_ || latest_ - oldest.request.origin.time > window_;
  if (!window_over) {
    if (waiting_.size() <= max_pending_) {
      return std::nullopt;
    }
    if (!oldest.forced) {
      oldest.forced = true;
      ++counters_.waited_too_long;
    }
  }
  if (waiting_.size() > kPrefetchDistance) {
    // A request's bytes were written a window ago: start reading them a few requests early.
    const auto soon = waiting_[kPrefetchDistance].request.payload;
    for (std::size_t at = 0; at < soon.size(); at += 64) {
      prefetch(soon.data() + at);
    }
  }
  const CapturedReply* reply = nullptr;
  if (oldest.answered) {
    reply = &replies_.at(oldest.sequence);
  }
  return Ready{&oldest.request, reply};
}

// Until the capture shows a reply there is nothing to match, so requests are
// not indexed: a capture of requests only costs no index upkeep.
void ReplyLookahead::start_indexing() {
  if (indexing_) {
    return;
  }
  indexing_ = true;
  for (const Waiting& waiting : waiting_) {
    index(waiting);
  }
}

void ReplyLookahead::index(const Waiting& waiting) {
  if (auto key = transaction_key(waiting.request.payload)) {
    by_key_[*key].push_back(waiting.sequence);
  }
}

void ReplyLookahead::pop() {
  Waiting& oldest = waiting_.front();
  if (indexing_) {
    if (auto key = transaction_key(oldest.request.payload)) {
      auto found = by_key_.find(*key);
      if (found != by_key_.end()) {
        auto& sequences = found->second;
        sequences.erase(std::remove(sequences.begin(), sequences.end(), oldest.sequence),
                        sequences.end());
        if (sequences.empty()) {
          by_key_.erase(found);
        }
      }
    }
  }
  if (oldest.answered) {
    replies_.erase(oldest.sequence);
  }
  payloads_.pop(oldest.request.payload);
  waiting_.pop_front();
}

std::span<const std::uint8_t> ReplyLookahead::PayloadQueue::push(
    std::span<const std::uint8_t> bytes) {
  if (chunks_.empty() || kChunkSize - back_used_ < bytes.size()) {
    chunks_.push_back(spare_ ? std::move(spare_) : std::make_unique<std::uint8_t[]>(kChunkSize));
    back_used_ = 0;
  }
  std::uint8_t* place = chunks_.back().get() + back_used_;
  if (!bytes.empty()) {
    std::memcpy(place, bytes.data(), bytes.size());
  }
  back_used_ += bytes.size();
  return {place, bytes.size()};
}

void ReplyLookahead::PayloadQueue::pop(std::span<const std::uint8_t> oldest) {
  // Payloads are pushed in order into chunks in order: the chunks before the
  // one holding the oldest payload hold only payloads already popped. (An
  // empty payload may point just past its chunk's end.)
  const auto holds = [&](const std::unique_ptr<std::uint8_t[]>& chunk) {
    return oldest.data() >= chunk.get() && oldest.data() <= chunk.get() + kChunkSize;
  };
  while (chunks_.size() > 1 && !holds(chunks_.front())) {
    spare_ = std::move(chunks_.front());
    chunks_.pop_front();
  }
}

}  // namespace calloutemu::server
