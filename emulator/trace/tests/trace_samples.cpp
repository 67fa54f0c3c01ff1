#include "trace_samples.h"

#include <gtest/gtest.h>

#include <array>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <utility>

#include "calloutemu/trace/record_builder.h"
#include "calloutemu/trace/trace_writer.h"

namespace calloutemu::trace::testing {
namespace {

// Stand-ins for the server's packet slots; only their addresses matter.
const std::array<int, 4> kSlots{};

}  // namespace

server::HookRecord SampleCall::record() {
  arguments.packet = packet;
  arguments.packet_after = packet_after ? std::span<const std::uint8_t>(*packet_after)
                                        : std::span<const std::uint8_t>(packet);
  arguments.hw_address = hw_address;
  return server::HookRecord{.hook = hook,
                            .code = code,
                            .request = request,
                            .origin = origin ? &*origin : nullptr,
                            .call = &call,
                            .arguments = with_arguments ? &arguments : nullptr};
}

SampleCall packet_call(loader::Hook hook, DWORD code, std::uint64_t request) {
  SampleCall sample;
  sample.hook = hook;
  sample.code = code;
  sample.request = request;
  sample.origin = server::CaptureOrigin{.frame_number = request + 10, .file_index = 0};
  sample.packet = Bytes(300, static_cast<std::uint8_t>(request));
  sample.packet[0] = 1;
  sample.arguments.ip_address = 0xC0000201;
  sample.arguments.reserved = &kSlots[request % kSlots.size()];
  if (hook == loader::Hook::new_pkt) {
    sample.arguments.process_it = TRUE;
  }
  return sample;
}

SampleCall control_call(DWORD code) {
  SampleCall sample;
  sample.hook = loader::Hook::control;
  sample.code = code;
  return sample;
}

SampleCall delete_client_call(std::uint64_t request, Bytes hw_address, DWORD client_type) {
  SampleCall sample;
  sample.hook = loader::Hook::delete_client;
  sample.request = request;
  sample.hw_address = std::move(hw_address);
  sample.arguments.client_type = client_type;
  return sample;
}

loader::ControlCall control_of(DWORD code, bool called) {
  loader::ControlCall call;
  call.code = code;
  call.called = called;
  return call;
}

loader::LoadAttempt load_attempt(std::string name, loader::AttemptOutcome outcome,
                                 std::string reason, std::vector<std::string> chain_dlls,
                                 std::optional<std::uint32_t> entry_result) {
  loader::LoadAttempt attempt;
  attempt.name = std::move(name);
  attempt.outcome = outcome;
  attempt.reason = std::move(reason);
  attempt.chain_dlls = std::move(chain_dlls);
  attempt.entry_result = entry_result;
  return attempt;
}

std::vector<SampleCall> sample_run(std::uint64_t requests) {
  std::vector<SampleCall> calls;
  calls.push_back(control_call(DHCP_CONTROL_START));
  for (std::uint64_t request = 1; request <= requests; ++request) {
    calls.push_back(packet_call(loader::Hook::new_pkt, 0, request));
    calls.push_back(packet_call(loader::Hook::handle_options, 0, request));
    calls.back().arguments.ip_address = 0;
    calls.push_back(packet_call(loader::Hook::pkt_send, DHCP_SEND_PACKET, request));
    calls.push_back(packet_call(loader::Hook::pkt_drop, DHCP_DROP_PROCESSED, request));
  }
  calls.push_back(control_call(DHCP_CONTROL_STOP));
  return calls;
}

TraceHeader sample_header() {
  TraceHeader header;
  header.calloutemu_version = "0.1.0";
  header.profile = "documented";
  header.captures = {"dora.pcap"};
  header.decisions = "auto";
  return header;
}

std::vector<TraceRecord> trace_of(std::vector<SampleCall>& calls) {
  TraceRecordBuilder builder;
  std::vector<TraceRecord> records{builder.header(sample_header())};
  for (SampleCall& call : calls) {
    records.push_back(builder.hook(call.record()));
  }
  return records;
}

TempFile::TempFile(const std::string& name) {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  directory_ = std::filesystem::temp_directory_path() /
               ("calloutemu-trace-" + (test != nullptr ? std::string(test->name()) : "none") + "-" +
                std::to_string(std::random_device{}()));
  std::filesystem::create_directories(directory_);
  path_ = directory_ / name;
}

TempFile::~TempFile() {
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

void TempFile::write(const std::string& contents) const {
  std::ofstream(path_, std::ios::binary) << contents;
}

std::string TempFile::read() const {
  std::ifstream in(path_, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_trace(const std::filesystem::path& path, const std::vector<TraceRecord>& records) {
  auto writer = TraceWriter::open(path.string(), std::cout);
  ASSERT_TRUE(writer.ok()) << writer.error().message;
  for (const TraceRecord& record : records) {
    (*writer)->write(record);
  }
  const Status closed = (*writer)->close();
  ASSERT_TRUE(closed.ok()) << closed.error().message;
}

}  // namespace calloutemu::trace::testing
