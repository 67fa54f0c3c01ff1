// Shorthands for decoder tests.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "calloutemu/pcap_replay/frame_decoder.h"
#include "frame_builder.h"

namespace calloutemu::pcap_replay::test_frames {

// Decodes a frame captured whole.
inline DecodeResult decode(int link_type, const ByteVector& frame) {
  return decode_frame(link_type, frame, static_cast<std::uint32_t>(frame.size()));
}
// A datagram points into its frame: a temporary frame would leave it dangling.
DecodeResult decode(int link_type, ByteVector&& frame) = delete;

inline std::string describe(const DecodeResult& result) {
  if (const auto* reason = std::get_if<SkipReason>(&result)) {
    return "skipped: " + std::string(to_string(*reason));
  }
  return "a datagram";
}

// The datagram, or a test failure (and an empty datagram).
inline UdpDatagram datagram_of(const DecodeResult& result) {
  if (const auto* datagram = std::get_if<UdpDatagram>(&result)) {
    return *datagram;
  }
  ADD_FAILURE() << "expected a datagram, got " << describe(result);
  return {};
}

// Why the frame is skipped; nullopt for a datagram. Nothing is left pointing
// into the frame, so it may be a temporary.
inline std::optional<SkipReason> skip_of(int link_type, const ByteVector& frame) {
  const DecodeResult result =
      decode_frame(link_type, frame, static_cast<std::uint32_t>(frame.size()));
  if (const auto* reason = std::get_if<SkipReason>(&result)) {
    return *reason;
  }
  return std::nullopt;
}

inline ::testing::AssertionResult skipped_for(std::optional<SkipReason> got, SkipReason expected) {
  if (got == expected) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "expected skipped: " << to_string(expected) << ", got "
         << (got ? "skipped: " + std::string(to_string(*got)) : std::string("a datagram"));
}

inline ::testing::AssertionResult skipped_for(const DecodeResult& result, SkipReason expected) {
  const auto* reason = std::get_if<SkipReason>(&result);
  return skipped_for(reason ? std::optional(*reason) : std::nullopt, expected);
}

}  // namespace calloutemu::pcap_replay::test_frames
