// Hook calls built by hand for the trace tests, and temporary files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "calloutemu/loader/callout_hooks.h"
#include "calloutemu/loader/chain_loader.h"
#include "calloutemu/server/outcome.h"
#include "calloutemu/trace/trace_record.h"

namespace calloutemu::trace::testing {

using Bytes = std::vector<std::uint8_t>;

// Everything a server::HookRecord points at. The record made by record()
// points into this object.
struct SampleCall {
  loader::Hook hook = loader::Hook::control;
  DWORD code = 0;
  std::uint64_t request = 0;
  std::optional<server::CaptureOrigin> origin;
  loader::HookCall call{true, 0, std::nullopt, {}};
  bool with_arguments = true;
  Bytes packet;
  std::optional<Bytes> packet_after;  // nullopt: the same as `packet`
  Bytes hw_address;
  server::HookArguments arguments;  // its spans are set by record()

  server::HookRecord record();
};

// A packet hook of `request` (frame request + 10 of file 0, IpAddress
// 192.0.2.1, Reserved = slot `request % 4`, PktContext NULL) with a packet
// whose bytes depend on `request`.
SampleCall packet_call(loader::Hook hook, DWORD code, std::uint64_t request);
SampleCall control_call(DWORD code);
// DeleteClient before `request`, for the client with this id.
SampleCall delete_client_call(std::uint64_t request, Bytes hw_address, DWORD client_type);

loader::ControlCall control_of(DWORD code, bool called = true);
loader::LoadAttempt load_attempt(std::string name, loader::AttemptOutcome outcome,
                                 std::string reason = "", std::vector<std::string> chain_dlls = {},
                                 std::optional<std::uint32_t> entry_result = std::nullopt);

// The hook records of `requests` DISCOVERs answered with an OFFER, between
// START and STOP.
std::vector<SampleCall> sample_run(std::uint64_t requests);

// The trace records of `calls`, numbered by one TraceRecordBuilder, after a header.
std::vector<TraceRecord> trace_of(std::vector<SampleCall>& calls);
TraceHeader sample_header();

// A file in a fresh temporary directory, removed with the object.
class TempFile {
 public:
  explicit TempFile(const std::string& name = "trace.jsonl");
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string name() const { return path_.string(); }
  void write(const std::string& contents) const;
  std::string read() const;

 private:
  std::filesystem::path directory_;
  std::filesystem::path path_;
};

// Writes `records` as a trace file (JSON Lines).
void write_trace(const std::filesystem::path& path, const std::vector<TraceRecord>& records);

}  // namespace calloutemu::trace::testing
