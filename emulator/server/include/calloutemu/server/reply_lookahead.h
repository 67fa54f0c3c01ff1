// Feeds the server the requests of a capture in order, each with the captured
// server's reply to it when the capture holds one. A reply comes after its
// request, so requests wait until the capture has moved `window` past them.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "calloutemu/server/request.h"

namespace calloutemu::server {

inline constexpr std::uint16_t kServerPort = 67;

struct CapturedUdp {
  CaptureOrigin origin;
  std::uint32_t source_address = 0;  // host order
  std::uint32_t destination_address = 0;
  std::uint16_t source_port = 0;
  std::uint16_t destination_port = 0;
  std::span<const std::uint8_t> payload;
};

struct LookaheadCounters {
  std::uint64_t requests = 0;         // datagrams handed to the server
  std::uint64_t replies = 0;          // BOOTREPLY datagrams from port 67 read
  std::uint64_t replies_matched = 0;  // ... that answer a request
  std::uint64_t not_to_server = 0;    // UDP, but neither a request to port 67 nor a reply
  std::uint64_t oversize = 0;         // requests over the 4096-byte receive buffer
  std::uint64_t waited_too_long = 0;  // requests processed before their window ended
};

class ReplyLookahead {
 public:
  // `look_ahead` false (decisions by the model only): requests are ready at
  // once. At most `max_pending` requests wait; past that the oldest is
  // processed early and counted in `waited_too_long`.
  ReplyLookahead(std::chrono::nanoseconds window, bool look_ahead, std::size_t max_pending = 65536);

  enum class Kind { request, reply, ignored, oversize };
  struct Pushed {
    Kind kind = Kind::ignored;
    const CapturedReply* reply = nullptr;  // Kind::reply: valid until the next call
  };
  // One datagram, in capture order; its bytes are copied.
  Pushed push(const CapturedUdp& datagram);
  // No more datagrams: every waiting request is ready.
  void finish() { finished_ = true; }

  struct Ready {
    const Request* request;
    const CapturedReply* reply;  // nullptr: the capture holds none
  };
  // The oldest request once it is ready; valid until pop().
  std::optional<Ready> front();
  void pop();

  const LookaheadCounters& counters() const { return counters_; }

 private:
  struct Waiting {
    Request request;  // its payload is in payloads_
    std::uint64_t sequence = 0;
    bool forced = false;    // released before its window ended
    bool answered = false;  // replies_ holds its reply
  };
  // The waiting requests' bytes, first in first out, in chunks that never
  // move: no allocation per request, and what is read back is contiguous.
  class PayloadQueue {
   public:
    std::span<const std::uint8_t> push(std::span<const std::uint8_t> bytes);
    // The oldest payload is done with: frees the chunks before it.
    void pop(std::span<const std::uint8_t> oldest);

   private:
    static constexpr std::size_t kChunkSize = 256 * 1024;
    std::deque<std::unique_ptr<std::uint8_t[]>> chunks_;
    std::size_t back_used_ = 0;  // bytes used in chunks_.back()
    std::unique_ptr<std::uint8_t[]> spare_;
  };
  void match(CapturedReply reply);
  void start_indexing();
  void index(const Waiting& waiting);

  std::chrono::nanoseconds window_;
  bool look_ahead_;
  std::size_t max_pending_;
  bool finished_ = false;
  bool indexing_ = false;  // by_key_ is kept once a reply was seen
  std::chrono::nanoseconds latest_{std::chrono::nanoseconds::min()};
  std::deque<Waiting> waiting_;
  PayloadQueue payloads_;
  std::uint64_t next_sequence_ = 0;  // of waiting_.front() + waiting_.size()
  std::unordered_map<TransactionKey, std::vector<std::uint64_t>, TransactionKeyHash> by_key_;
  std::unordered_map<std::uint64_t, CapturedReply> replies_;  // by sequence of the request
  std::optional<CapturedReply> last_reply_;
  LookaheadCounters counters_;
};

}  // namespace calloutemu::server
