#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>

#include "calloutemu/dhcp/message.h"
#include "calloutemu/reports/junit_writer.h"
#include "text_format.h"

namespace calloutemu::reports {
namespace {

constexpr std::size_t kHlenOffset = 2;
constexpr std::size_t kChaddrOffset = 28;
constexpr std::size_t kChaddrSize = 16;

std::span<const std::uint8_t> payload_of(const server::RequestOutcome& outcome) {
  return outcome.request != nullptr ? outcome.request->payload : std::span<const std::uint8_t>();
}

std::string client_text(std::span<const std::uint8_t> payload) {
  if (payload.size() <= kHlenOffset) {
    return "unknown";
  }
  const std::size_t length = std::min<std::size_t>(payload[kHlenOffset], kChaddrSize);
  if (length == 0 || payload.size() < kChaddrOffset + length) {
    return "unknown";
  }
  return detail::hardware_address_text(payload.subspan(kChaddrOffset, length));
}

std::string type_text(dhcp::MessageType type) {
  const std::string_view name = dhcp::to_string(type);
  if (name == "unknown") {
    return "type " + std::to_string(static_cast<unsigned>(type));
  }
  return std::string(name);
}

// As the server read it; for requests it dropped before reading the type, as
// the captured datagram says.
std::string request_type_text(const server::RequestOutcome& outcome) {
  if (outcome.bootp) {
    return "BOOTP";
  }
  if (outcome.message_type) {
    return type_text(*outcome.message_type);
  }
  const auto message = dhcp::parse_message(payload_of(outcome));
  if (!message) {
    return "unreadable";
  }
  if (const auto type = message->message_type()) {
    return type_text(*type);
  }
  return message->is_bootp() ? "BOOTP" : "unreadable";
}

// The last component of a path written with either separator.
std::string_view file_name(std::string_view path) {
  const std::size_t separator = path.find_last_of("/\\");
  return separator == std::string_view::npos ? path : path.substr(separator + 1);
}

std::string plural(std::size_t count, std::string_view noun) {
  return std::to_string(count) + ' ' + std::string(noun) + (count == 1 ? "" : "s");
}

}  // namespace

JunitCase request_case(const server::RequestOutcome& outcome, std::string_view capture_name,
                       std::vector<std::string> hook_lines) {
  JunitCase test_case;
  test_case.name = "frame " + std::to_string(outcome.origin.frame_number) + ' ' +
                   client_text(payload_of(outcome)) + ' ' + request_type_text(outcome);
  test_case.classname = "calloutemu." + std::string(file_name(capture_name));
  if (outcome.faults > 0) {
    std::string details;
    for (const std::string& line : hook_lines) {
      if (line.find(" -> crashed: ") != std::string::npos) {
        details += details.empty() ? "" : "\n";
        details += line;
      }
    }
    test_case.failure = JunitFailure{
        "hook fault",
        "request " + std::to_string(outcome.number) + ": " + plural(outcome.faults, "hook fault"),
        std::move(details)};
  }
  test_case.output = std::move(hook_lines);
  for (const std::string& finding : outcome.findings) {
    test_case.output.push_back("finding: " + finding);
  }
  return test_case;
}

}  // namespace calloutemu::reports
