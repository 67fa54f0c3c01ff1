// Reading a trace back: the records written, or FILE:LINE errors.
#include "calloutemu/trace/trace_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "calloutemu/trace/readable_trace.h"
#include "calloutemu/trace/record_builder.h"
#include "calloutemu/trace/trace_writer.h"
#include "trace_samples.h"

namespace calloutemu::trace::testing {
namespace {

using loader::Hook;

constexpr const char* kHeader =
    R"({"record":"header","schema":"calloutemu-trace","version":1,"calloutemu":"0.1.0",)"
    R"("profile":"documented","captures":[],"decisions":"auto"})"
    "\n";

Result<std::vector<TraceRecord>> read_all(const std::filesystem::path& path) {
  auto reader = TraceReader::open(path);
  if (!reader) {
    return reader.error();
  }
  std::vector<TraceRecord> records;
  TraceRecord record;
  for (;;) {
    auto more = reader->next(record);
    if (!more) {
      return more.error();
    }
    if (!*more) {
      return records;
    }
    records.push_back(record);
  }
}

// The error reading `contents` gives.
std::string error_of(const TempFile& file, const std::string& contents) {
  file.write(contents);
  auto records = read_all(file.path());
  return records.ok() ? "no error" : records.error().message;
}

// Every kind of record and argument.
std::vector<TraceRecord> varied_records() {
  TraceRecordBuilder builder;
  std::vector<TraceRecord> records{builder.header(sample_header())};
  records.push_back(
      builder.load(load_attempt("bad\xFFname.so", loader::AttemptOutcome::entry_failed,
                                "returned 50", {"b.so", "c.so"}, 50)));
  const int context = 0;
  auto calls = sample_run(2);
  calls[1].arguments.context = &context;
  calls[1].arguments.process_it = FALSE;
  calls[2].call.fault = loader::Fault{"SIGSEGV \"x\"\n\x01", 0, 0};
  calls[3].packet_after = Bytes{9, 9};
  calls[3].arguments.replaced = true;
  calls[3].call.duration = std::chrono::nanoseconds(1500);
  calls[4].arguments.ip_address = 0x010200C0;
  auto offer = packet_call(Hook::address_offer, DHCP_GIVE_ADDRESS_NEW, 2);
  offer.origin->file_index = 2;
  offer.arguments.alt_address = 0xC0000264;
  offer.arguments.address_type = DHCP_CLIENT_BOOTP;
  offer.arguments.lease_time = 86400;
  calls.push_back(std::move(offer));
  SampleCall expiry = delete_client_call(3, {0xaa, 0xbb, 0x0c}, DHCP_CLIENT_DHCP);

  calls.push_back(std::move(expiry));
  SampleCall empty_id = delete_client_call(3, {}, DHCP_CLIENT_DHCP);
  calls.push_back(std::move(empty_id));
  for (auto& call : calls) {
    records.push_back(builder.hook(call.record()));
  }
  records.push_back(builder.finding(2, "wrote past PacketSize \xFE"));
  return records;
}

TEST(TraceReader, ReadsBackWhatTheWriterWrote) {
  TempFile file;
  const auto written = varied_records();
  write_trace(file.path(), written);
  const auto read = read_all(file.path());
  ASSERT_TRUE(read.ok()) << read.error().message;
  ASSERT_EQ(read->size(), written.size());
  for (std::size_t index = 0; index < written.size(); ++index) {
    EXPECT_EQ(readable((*read)[index]), readable(written[index])) << "record " << index;
  }
}

TEST(TraceReader, ReadsBackTheFieldsTheReadableFormLeavesOut) {
  TempFile file;
  const auto written = varied_records();
  write_trace(file.path(), written);
  const auto read = read_all(file.path());
  ASSERT_TRUE(read.ok()) << read.error().message;
  const HookCallRecord& new_pkt = (*read)[3].hook;
  EXPECT_EQ(new_pkt.sequence, 2u);
  EXPECT_EQ(new_pkt.reserved, 1u);
  EXPECT_EQ(new_pkt.context, 1u);
  const HookCallRecord& send = (*read)[5].hook;
  EXPECT_EQ(send.hook, Hook::pkt_send);
  EXPECT_EQ(send.duration, std::chrono::nanoseconds(1500));
  EXPECT_EQ(send.context, 0u) << "null";
  EXPECT_EQ((*read)[2].hook.reserved, std::nullopt) << "Control has no Reserved";
  EXPECT_EQ((*read)[0].header.captures, std::vector<std::string>{"dora.pcap"});
  EXPECT_EQ((*read)[1].load.dll, "bad\xEF\xBF\xBDname.so");
}

// Where a fault happened: written and read back, but neither in the readable
// form nor, therefore, compared by --expect (it changes between builds).
TEST(TraceReader, ReadsBackAFaultsLocationAndBacktraceWhichTheReadableFormLeavesOut) {
  TempFile file;
  TraceRecordBuilder builder;
  std::vector<TraceRecord> written{builder.header(sample_header())};
  auto calls = sample_run(1);
  loader::Fault fault("SIGSEGV (address not mapped) at address 0x10", 11, 0x10);
  fault.location = "crash.so+0x17ff";
  fault.backtrace = {"crash.so+0x17ff", "libc.so.6+0x8aeec (raise+0x12)"};
  calls[1].call.fault = fault;
  for (auto& call : calls) {
    written.push_back(builder.hook(call.record()));
  }
  const std::string readable_with = readable(written[2]);
  write_trace(file.path(), written);
  const auto read = read_all(file.path());
  ASSERT_TRUE(read.ok()) << read.error().message;
  const HookCallRecord& faulted = (*read)[2].hook;
  EXPECT_EQ(faulted.fault, fault.description);
  EXPECT_EQ(faulted.fault_location, "crash.so+0x17ff");
  EXPECT_EQ(faulted.fault_backtrace, fault.backtrace);
  EXPECT_EQ(readable_with.find("crash.so"), std::string::npos) << readable_with;

  TraceRecord other = (*read)[2];
  other.hook.fault_location = "crash.so+0x1234";
  other.hook.fault_backtrace.clear();
  EXPECT_EQ(readable(other), readable((*read)[2]));
  // A record without them (a trace from before) reads as before.
  EXPECT_FALSE((*read)[1].hook.fault_location.has_value());
  EXPECT_TRUE((*read)[1].hook.fault_backtrace.empty());
}

TEST(TraceReader, AcceptsCrLfAndBlankLines) {
  TempFile file;
  std::string text = kHeader;
  text.insert(text.size() - 1, "\r");
  text +=
      "\n  \n"
      R"({"record":"finding","request":1,"text":"x"})";  // no final newline
  file.write(text);
  const auto read = read_all(file.path());
  ASSERT_TRUE(read.ok()) << read.error().message;
  ASSERT_EQ(read->size(), 2u);
  EXPECT_EQ(readable(read->back()), "request 1: finding: x");
}

TEST(TraceReader, ErrorsNameTheFileAndLine) {
  TempFile file;
  const std::string name = file.name();
  EXPECT_EQ(error_of(file, ""), name + ":1: empty trace: no header record");
  EXPECT_EQ(error_of(file, "\n\n"), name + ":1: empty trace: no header record");
  EXPECT_EQ(error_of(file, std::string(kHeader) + R"({"record":"finding","request":1,"text":"x"})" +
                               "\n{not json\n")
                .rfind(name + ":3: not JSON: parse error", 0),
            0u);
  EXPECT_EQ(error_of(file, std::string(kHeader) + R"({"record":"hook","seq":1,"request":0})"),
            name + R"(:2: missing field "hook")");
  EXPECT_EQ(error_of(file, std::string(kHeader) + R"({"seq":1})"),
            name + R"(:2: missing field "record")");
  EXPECT_EQ(error_of(file, std::string(kHeader) + R"({"record":"lease","seq":1})"),
            name + R"(:2: unknown record type "lease")");
  EXPECT_EQ(error_of(file, std::string(kHeader) + "[1,2]\n"), name + ":2: not a JSON object");
  EXPECT_EQ(error_of(file, R"({"record":"finding","request":1,"text":"x"})"),
            name + ":1: the first record is not the header");
  EXPECT_EQ(error_of(file, std::string(kHeader) + kHeader),
            name + ":2: a second header record: the header is the first line only");
}

TEST(TraceReader, RejectsOtherSchemas) {
  TempFile file;
  const std::string name = file.name();
  EXPECT_EQ(error_of(file, R"({"record":"header","schema":"calloutemu-trace","version":2})"),
            name + R"(:1: field "version" is 2: unsupported schema version (this calloutemu )"
                   "reads version 1)");
  EXPECT_EQ(error_of(file, R"({"record":"header","schema":"other","version":1})"),
            name + R"(:1: field "schema" is "other": not a calloutemu-trace file)");
  EXPECT_EQ(error_of(file, R"({"record":"header","schema":"calloutemu-trace"})"),
            name + R"(:1: missing field "version")");
}

TEST(TraceReader, RejectsMistypedFields) {
  TempFile file;
  const std::string name = file.name();
  auto hook = [&](const std::string& fields) {
    return error_of(
        file, std::string(kHeader) +
                  R"({"record":"hook","seq":1,"request":1,"hook":"PktDrop","returned":0)" + fields +
                  "}\n");
  };
  EXPECT_EQ(hook(""), "no error");
  EXPECT_EQ(hook(R"(,"ip_address":"1.2.3")"),
            name + R"(:2: field "ip_address" is not a dotted IPv4 address)");
  EXPECT_EQ(hook(R"(,"packet":{"length":3,"hash":"ABCDEF0123456789"})"),
            name + R"(:2: field "packet": field "hash" is not 16 lowercase hex digits)");
  EXPECT_EQ(hook(R"(,"packet":{"hash":"abcdef0123456789"})"),
            name + R"(:2: field "packet": missing field "length")");
  EXPECT_EQ(hook(R"(,"code":{"name":"PROCESSED","number":1})"),
            name + R"(:2: field "code" names 1 "PROCESSED", which is "DUPLICATE")");
  EXPECT_EQ(hook(R"(,"code":{"name":"DUPLICATE","number":4294967296})"),
            name + R"(:2: field "code": field "number" is not an integer from 0 to 4294967295)");
  EXPECT_EQ(hook(R"(,"reserved":"C1")"),
            name + R"(:2: field "reserved" is not null or "RN" (N from 1))");
  EXPECT_EQ(hook(R"(,"context":"C0")"),
            name + R"(:2: field "context" is not null or "CN" (N from 1))");
  EXPECT_EQ(hook(R"(,"hw_address":"aa:b")"),
            name + R"(:2: field "hw_address" is not hex bytes separated by ':')");
  EXPECT_EQ(hook(R"(,"duration_us":-1)"),
            name + R"(:2: field "duration_us" is not a duration in microseconds from 0)");
  EXPECT_EQ(hook(R"(,"replaced":1)"), name + R"(:2: field "replaced" is not true or false)");
  EXPECT_EQ(hook(R"(,"frame":3)"),
            name + R"(:2: field "file" is missing: "frame" and "file" go together)");
  EXPECT_EQ(error_of(file, std::string(kHeader) + R"({"record":"hook","seq":-1})"),
            name + R"(:2: field "seq" is not an unsigned integer)");
  EXPECT_EQ(
      error_of(file, std::string(kHeader) +
                         R"({"record":"hook","seq":1,"request":1,"hook":"Nope","returned":0})"),
      name + R"(:2: field "hook" names no hook: "Nope")");
  EXPECT_EQ(
      error_of(file, std::string(kHeader) +
                         R"({"record":"hook","seq":1,"request":1,"hook":"NewPkt","returned":0,)"
                         R"("code":{"name":"unknown","number":5}})"),
      name + R"(:2: field "code" is given, but NewPkt has no code)");
  EXPECT_EQ(error_of(file, std::string(kHeader) +
                               R"({"record":"load","dll":"a","outcome":"x","chain_dlls":[1]})"),
            name + R"(:2: field "chain_dlls" is not an array of strings)");
}

TEST(TraceReader, RejectsOverlongLinesAndInvalidUtf8) {
  TempFile file;
  const std::string name = file.name();
  EXPECT_EQ(error_of(file, std::string(kHeader) + std::string(kMaxTraceLine + 1, ' ') + "\n"),
            name + ":2: line longer than 1048576 bytes");
  EXPECT_EQ(error_of(file, std::string(kHeader) +
                               "{\"record\":\"finding\",\"request\":1,\"text\":\"\xFF\"}\n")
                .rfind(name + ":2: not JSON: ", 0),
            0u);
}

TEST(TraceReader, CannotOpenIsAnErrorNamingThePath) {
  TempFile file;
  const auto missing = file.path().parent_path() / "missing.jsonl";
  auto reader = TraceReader::open(missing);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.error().message.rfind(missing.string() + ": cannot open the trace: ", 0), 0u);
  auto directory = TraceReader::open(file.path().parent_path());
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.error().message,
            file.path().parent_path().string() + ": is a directory, not a trace");
}

TEST(TraceReader, KeepsReturningTheFirstError) {
  TempFile file;
  file.write(std::string(kHeader) + "oops\n" + kHeader);
  auto reader = TraceReader::open(file.path());
  ASSERT_TRUE(reader.ok());
  TraceRecord record;
  ASSERT_TRUE(reader->next(record).ok());
  const auto first = reader->next(record);
  ASSERT_FALSE(first.ok());
  const auto again = reader->next(record);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message, first.error().message);
}

}  // namespace
}  // namespace calloutemu::trace::testing
