// DHCP_DROP_DUPLICATE: the same request again within the duplicate window of
// capture time. "The same request" is the same transaction (xid and client)
// asking the same thing: the same message type, requested address (option
// 50) and server identifier (option 54). A client's retransmission matches;
// the REQUEST that follows a DISCOVER in one transaction, or a second REQUEST
// for another address, does not.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <utility>
#include <vector>

#include "calloutemu/dhcp/message.h"
#include "calloutemu/index_table.h"
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
  // requests of the last window.
  bool is_duplicate(const RequestKey& key, std::chrono::nanoseconds time);

 private:
  struct Accepted {
    RequestKey key;
    std::chrono::nanoseconds time{};
    std::uint32_t tag = 0;  // tag(key), kept for erasing
  };
  static std::uint32_t tag(const RequestKey& key) {
    return static_cast<std::uint32_t>(RequestKeyHash{}(key));
  }
  void forget_before(std::chrono::nanoseconds time);

  std::chrono::nanoseconds window_;
  std::vector<Accepted> accepted_;  // slots, reused through free_
  std::vector<std::uint32_t> free_;
  IndexTable index_;  // accepted_ slots by key
  std::deque<std::pair<std::chrono::nanoseconds, std::uint32_t>> by_time_;  // (time, slot)
};

}  // namespace calloutemu::server
