// DHCP_DROP_DUPLICATE: the same request again within the duplicate window of
// capture time. "The same request" is the same transaction (xid and client)
// asking the same thing: the same message type, requested address (option
// 50) and server identifier (option 54). A client's retransmission matches;
// the REQUEST that follows a DISCOVER in one transaction, or a second REQUEST
// for another address, does not.
#pragma once

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
  // The requests accepted in one generation, by key: open addressing, linear
  // probing, at most 3/4 full. A probe reads a 16-bit tag per cell (0: empty)
  // and the entry only when the tag matches (one cell in 32,768 matches by
  // chance). Small tags keep the array probed for every request in cache.
  // Emptied whole, never entry by entry.
  class Generation {
   public:
    // When `key` was accepted in this generation; nullptr if it was not.
    std::chrono::nanoseconds* find(const RequestKey& key, std::uint64_t hash);
    void insert(const RequestKey& key, std::uint64_t hash, std::chrono::nanoseconds time);
    void clear();

   private:
    struct Entry {
      RequestKey key;
      std::chrono::nanoseconds time{};
    };
    static std::uint16_t tag_of(std::uint64_t hash) {
      return static_cast<std::uint16_t>(hash >> 48) | 1u;
    }
    void grow();

    std::vector<std::uint16_t> tags_;
    std::vector<Entry> entries_;
    std::size_t count_ = 0;
  };

  // Generations last at least a window: when one ends, the one before it
  // holds only requests accepted a whole window ago, and is dropped.
  void start_generation_if_due(std::chrono::nanoseconds time);

  std::chrono::nanoseconds window_;
  bool started_ = false;
  std::chrono::nanoseconds current_start_{};
  Generation current_;
  Generation previous_;
};

}  // namespace calloutemu::server
