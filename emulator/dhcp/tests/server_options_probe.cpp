#include "server_options_probe.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

namespace calloutemu::dhcp::testing {

std::ptrdiff_t offset_in(const Bytes& bytes, const void* pointer) {
  if (pointer == nullptr) {
    return -1;
  }
  const auto address = reinterpret_cast<std::uintptr_t>(pointer);
  const auto base = reinterpret_cast<std::uintptr_t>(bytes.data());
  if (address < base || address > base + bytes.size()) {
    return -2;
  }
  return static_cast<std::ptrdiff_t>(address - base);
}

DHCP_SERVER_OPTIONS filled(const Bytes& bytes) {
  DHCP_SERVER_OPTIONS options;
  std::memset(&options, 0xAB, sizeof options);
  auto message = parse_message(bytes);
  EXPECT_TRUE(message) << message.error().message;
  if (message) {
    fill_server_options(*message, options);
  }
  return options;
}

}  // namespace calloutemu::dhcp::testing
