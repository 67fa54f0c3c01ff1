// Small text renderings shared by the reports.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>

namespace calloutemu::reports::detail {

// "02:00:5e:10:20:30"; "" for no bytes.
std::string hardware_address_text(std::span<const std::uint8_t> bytes);
// 0xC0000201 (host order) is "192.0.2.1".
std::string ipv4_text(std::uint32_t host_order);
// 1234567 is "1,234,567".
std::string grouped(std::uint64_t value);
// "0:07", "12:34", "1:02:03" (hours:minutes:seconds), rounded down to seconds.
std::string clock_text(std::chrono::seconds duration);

}  // namespace calloutemu::reports::detail
