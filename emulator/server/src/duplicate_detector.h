// DHCP_DROP_DUPLICATE: the same request again within the duplicate window of
// capture time. "The same request" is the same transaction (xid and client)
// asking the same thing: the same message type, requested address (option
// 50) and server identifier (option 54). A client's retransmission matches;
// the REQUEST that follows a DISCOVER in one transaction, or a second REQUEST
// for another address, does not.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <vector>

#include "calloutemu/dhcp/message.h"
#include "calloutemu/server/request.h"

namespace calloutemu::server {

struct RequestKey {
  TransactionKey transaction;
  std::uint8_t message_type = 0;  // 0: none (BOOTP) or not one byte
  std::uint32_t requested_address = 0;
  std::uint32_t server_identifier = 0;

  friend bool operator==(const RequestKey&, const RequestKey&) = default;
};
struct RequestKeyHash {
  std::size_t operator()(const RequestKey& key) const;
};
RequestKey request_key(const dhcp::MessageView& message);

class DuplicateDetector {
 public:
  explicit DuplicateDetector(std::chrono::nanoseconds window) : window_(window) {}

  // True when the same request was accepted less than the window before
  // `time` (or after it: capture files are not always in order). Otherwise
  // this request is accepted and starts a new window. Memory holds only the
  // requests of the last two windows.
  bool is_duplicate(const RequestKey& key, std::chrono::nanoseconds time);

 private:
  // The requests accepted in the last two generations, by key: one open
  // addressing table per generation, linear probing, at most 3/4 full, both
  // of one size and hashed alike, with their tags side by side: a key's home
  // cell holds a 16-bit tag of each generation (0: empty), so a request's
  // look-up in both reads one cache line, not two (the tag array is too big to
  // stay in the cache between requests). An entry is read only when its tag
  // matches (one cell in 32,768 matches by chance). A generation is emptied
  // whole, never entry by entry.
  struct Cell {
    std::array<std::uint16_t, 2> tag{};  // by generation
  };
  struct Entry {
    RequestKey key;
    std::chrono::nanoseconds time{};
  };
  static std::uint16_t tag_of(std::uint64_t hash) {
    return static_cast<std::uint16_t>(hash >> 48) | 1u;
  }
  // When `key` was accepted in `generation`; nullptr if it was not.
  std::chrono::nanoseconds* find(std::size_t generation, const RequestKey& key, std::uint64_t hash);
  void insert(std::size_t generation, const RequestKey& key, std::uint64_t hash,
              std::chrono::nanoseconds time);
  void clear(std::size_t generation);
  void grow();

  // Generations last at least a window: when one ends, the one before it
  // holds only requests accepted a whole window ago, and is dropped.
  void start_generation_if_due(std::chrono::nanoseconds time);

  std::chrono::nanoseconds window_;
  bool started_ = false;
  std::chrono::nanoseconds current_start_{};
  std::size_t current_ = 0;  // the generation requests are accepted into; 1 - current_ is the last
  std::vector<Cell> cells_;
  std::array<std::vector<Entry>, 2> entries_;  // by generation, beside cells_
  std::array<std::size_t, 2> count_{};
};

}  // namespace calloutemu::server
