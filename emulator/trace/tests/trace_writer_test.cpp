// --trace: one valid JSON object per line, keys in the documented order.
#include "calloutemu/trace/trace_writer.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "trace_samples.h"

namespace calloutemu::trace::testing {
namespace {

using loader::Hook;
using nlohmann::json;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

// Every line parsed, each required to be valid JSON.
std::vector<json> parse_lines(const std::string& text) {
  EXPECT_TRUE(text.empty() || text.back() == '\n') << "every line ends with a newline";
  std::vector<json> objects;
  for (const std::string& line : lines_of(text)) {
    auto object = json::parse(line, nullptr, false);
    EXPECT_TRUE(object.is_object()) << "not a JSON object: " << line;
    objects.push_back(std::move(object));
  }
  return objects;
}

std::string hex(const Bytes& bytes) {
  return fmt::format("{:016x}", fnv1a64(bytes));
}

TEST(TraceWriter, WritesAHookRecordWithItsKeysInTheDocumentedOrder) {
  std::ostringstream out;
  TraceWriter writer(out, "test");
  auto call = packet_call(Hook::pkt_drop, DHCP_DROP_DUPLICATE, 3);
  call.call.duration = std::chrono::nanoseconds(1234567);
  writer.hook_called(call.record());
  ASSERT_TRUE(writer.close().ok());
  EXPECT_EQ(out.str(),
            R"({"record":"hook","seq":1,"request":3,"frame":13,"file":0,"hook":"PktDrop",)"
            R"("code":{"name":"DUPLICATE","number":1},"ip_address":"192.0.2.1",)"
            R"("packet":{"length":300,"hash":")" +
                hex(call.packet) +
                R"("},"replaced":false,"reserved":"R1","context":null,"returned":0,)"
                R"("duration_us":1234.567})"
                "\n");
}

TEST(TraceWriter, WritesEveryOptionalFieldWhenTheHookHasIt) {
  std::ostringstream out;
  TraceWriter writer(out, "test");
  const int context = 0;
  auto offer = packet_call(Hook::address_offer, DHCP_GIVE_ADDRESS_OLD, 2);
  offer.origin->file_index = 1;
  offer.arguments.alt_address = 0x0A000001;
  offer.arguments.address_type = DHCP_CLIENT_BOOTP;
  offer.arguments.lease_time = 0xFFFFFFFF;
  offer.arguments.context = &context;
  offer.packet_after = Bytes{1, 2, 3};
  offer.call.fault = loader::Fault{"C++ exception: boom", 0, 0};
  writer.hook_called(offer.record());
  SampleCall expiry = delete_client_call(3, {0x02, 0x00, 0x5e, 0x10, 0xab, 0xff}, DHCP_CLIENT_DHCP);
  expiry.arguments.ip_address = 0x0A000001;

  writer.hook_called(expiry.record());
  auto dropped = packet_call(Hook::new_pkt, 0, 4);
  dropped.arguments.process_it = FALSE;
  writer.hook_called(dropped.record());
  ASSERT_TRUE(writer.close().ok());

  const auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0],
            R"({"record":"hook","seq":1,"request":2,"frame":12,"file":1,"hook":"AddressOffer",)"
            R"("code":{"name":"OLD","number":805306370},"ip_address":"192.0.2.1",)"
            R"("alt_address":"10.0.0.1","address_type":{"name":"BOOTP","number":805306371},)"
            R"("lease_time":4294967295,"packet":{"length":300,"hash":")" +
                hex(offer.packet) + R"("},"packet_after":{"length":3,"hash":")" +
                hex(*offer.packet_after) +
                R"("},"replaced":false,"reserved":"R1","context":"C1","returned":0,)"
                R"("fault":"C++ exception: boom","duration_us":0.000})");
  EXPECT_EQ(lines[1],
            R"({"record":"hook","seq":2,"request":3,"hook":"DeleteClient","ip_address":"10.0.0.1",)"
            R"("hw_address":"02:00:5e:10:ab:ff","client_type":{"name":"DHCP","number":805306372},)"
            R"("returned":0,"duration_us":0.000})");
  const auto parsed = parse_lines(out.str());
  EXPECT_EQ(parsed[2]["process_it"], false);
  EXPECT_EQ(parsed[2]["reserved"], "R2") << "request 4 has another slot";
}

TEST(TraceWriter, PrintsIpAddressesAsPassedLegacyByteOrderIncluded) {
  std::ostringstream out;
  TraceWriter writer(out, "test");
  auto legacy = packet_call(Hook::pkt_send, DHCP_SEND_PACKET, 1);
  legacy.arguments.ip_address = 0x010200C0;  // 192.0.2.1 in network order
  writer.hook_called(legacy.record());
  ASSERT_TRUE(writer.close().ok());
  EXPECT_EQ(parse_lines(out.str()).at(0)["ip_address"], "1.2.0.192");
}

TEST(TraceWriter, WritesHeaderLoadControlAndFindingRecords) {
  std::ostringstream out;
  TraceWriter writer(out, "test");
  writer.write_header(sample_header());
  writer.load_attempt(
      load_attempt("entrycrash.so", loader::AttemptOutcome::entry_crashed, "SIGSEGV", {"mid.so"}));
  writer.load_attempt(load_attempt("mid.so", loader::AttemptOutcome::loaded, "", {}, 0));
  writer.control(control_of(DHCP_CONTROL_START));
  writer.control(control_of(DHCP_CONTROL_STOP, false));
  server::RequestOutcome outcome;
  outcome.number = 7;
  outcome.findings = {"NewPkt wrote 2 bytes past PacketSize", "second"};
  writer.request_finished(outcome);
  ASSERT_TRUE(writer.close().ok());

  const auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 6u) << "a control call that did not happen writes nothing";
  EXPECT_EQ(lines[0],
            R"({"record":"header","schema":"calloutemu-trace","version":1,"calloutemu":"0.1.0",)"
            R"("profile":"documented","captures":["dora.pcap"],"decisions":"auto"})");
  EXPECT_EQ(lines[1], R"({"record":"load","dll":"entrycrash.so","outcome":"entry crashed",)"
                      R"("reason":"SIGSEGV","chain_dlls":["mid.so"]})");
  EXPECT_EQ(lines[2],
            R"({"record":"load","dll":"mid.so","outcome":"loaded","reason":"","chain_dlls":[],)"
            R"("entry_result":0})");
  EXPECT_EQ(lines[3], R"({"record":"hook","seq":1,"request":0,"hook":"Control",)"
                      R"("code":{"name":"START","number":1},"returned":0,"duration_us":0.000})");
  EXPECT_EQ(lines[4],
            R"({"record":"finding","request":7,"text":"NewPkt wrote 2 bytes past PacketSize"})");
  EXPECT_EQ(lines[5], R"({"record":"finding","request":7,"text":"second"})");
}

TEST(TraceWriter, EscapesStringsSoEveryLineIsValidJson) {
  std::ostringstream out;
  TraceWriter writer(out, "test");
  static constexpr char kNasty[] = "say \"hi\"\\ \n\t\x01 \xFF\xFE caf\xC3\xA9 \0end";
  const std::string nasty(kNasty, sizeof kNasty - 1);
  auto call = packet_call(Hook::pkt_drop, DHCP_DROP_PROCESSED, 1);
  call.call.fault = loader::Fault{nasty, 0, 0};
  writer.hook_called(call.record());
  writer.load_attempt(load_attempt(nasty, loader::AttemptOutcome::bad_name, nasty, {nasty}));
  server::RequestOutcome outcome;
  outcome.number = 1;
  outcome.findings = {nasty};
  writer.request_finished(outcome);
  ASSERT_TRUE(writer.close().ok());

  static constexpr char kSanitized[] =
      "say \"hi\"\\ \n\t\x01 \xEF\xBF\xBD\xEF\xBF\xBD caf\xC3\xA9 \0end";
  const std::string sanitized(kSanitized, sizeof kSanitized - 1);
  const auto parsed = parse_lines(out.str());
  ASSERT_EQ(parsed.size(), 3u);
  EXPECT_EQ(parsed[0]["fault"], sanitized);
  EXPECT_EQ(parsed[1]["dll"], sanitized);
  EXPECT_EQ(parsed[1]["reason"], sanitized);
  EXPECT_EQ(parsed[1]["chain_dlls"][0], sanitized);
  EXPECT_EQ(parsed[2]["text"], sanitized);
  EXPECT_EQ(out.str().find('\t'), std::string::npos) << "control characters are escaped";
  EXPECT_NE(out.str().find(R"(\u0000end)"), std::string::npos);
}

// A line is written ahead into room made 512 bytes at a time: lines many
// times that long, plain and escaped text in turn, come out whole.
TEST(TraceWriter, WritesLinesLongerThanItsRoomWhole) {
  std::ostringstream out;
  TraceWriter writer(out, "test");
  const std::string plain(3000, 'p');
  const std::string escaped = std::string(700, 'e') + "\"\n" + std::string(700, 'e');
  std::vector<std::string> backtrace;
  for (int frame = 0; frame < 100; ++frame) {
    backtrace.push_back(
        fmt::format("#{} {} at callout.c:{}", frame, frame % 2 ? plain : escaped, frame));
  }
  auto call = packet_call(Hook::pkt_drop, DHCP_DROP_PROCESSED, 1);
  call.call.fault = loader::Fault{escaped, 0, 0};
  call.call.fault->location = plain;
  call.call.fault->backtrace = backtrace;
  writer.hook_called(call.record());
  writer.hook_called(packet_call(Hook::pkt_drop, DHCP_DROP_PROCESSED, 2).record());
  ASSERT_TRUE(writer.close().ok());
  const auto parsed = parse_lines(out.str());
  ASSERT_EQ(parsed.size(), 2u);
  EXPECT_EQ(parsed[0]["fault"], escaped);
  EXPECT_EQ(parsed[0]["location"], plain);
  EXPECT_EQ(parsed[0]["backtrace"], json(backtrace));
  EXPECT_EQ(parsed[0]["duration_us"], parsed[1]["duration_us"]);
  EXPECT_EQ(parsed[1]["request"], 2);
}

TEST(TraceWriter, WritesDurationsInMicrosecondsWithThreeDecimals) {
  std::ostringstream out;
  TraceWriter writer(out, "test");
  for (const long long nanoseconds : {0LL, 7LL, 1000LL, 12345678901LL}) {
    auto call = control_call(DHCP_CONTROL_PAUSE);
    call.call.duration = std::chrono::nanoseconds(nanoseconds);
    writer.hook_called(call.record());
  }
  ASSERT_TRUE(writer.close().ok());
  std::vector<std::string> durations;
  for (const std::string& line : lines_of(out.str())) {
    durations.push_back(line.substr(line.find("\"duration_us\":") + 14));
  }
  EXPECT_EQ(durations, (std::vector<std::string>{"0.000}", "0.007}", "1.000}", "12345678.901}"}));
}

TEST(TraceWriter, EveryLineOfALongRunIsValidJson) {
  std::ostringstream out;
  TraceWriter writer(out, "test");
  writer.write_header(sample_header());
  auto calls = sample_run(200);
  for (auto& call : calls) {
    writer.hook_called(call.record());
  }
  ASSERT_TRUE(writer.close().ok());
  const auto parsed = parse_lines(out.str());
  ASSERT_EQ(parsed.size(), 1u + calls.size());
  for (std::size_t index = 1; index < parsed.size(); ++index) {
    EXPECT_EQ(parsed[index]["seq"], index);
  }
  EXPECT_EQ(parsed.back()["code"]["name"], "STOP");
}

TEST(TraceWriter, OpensDashAsTheGivenStandardOutput) {
  std::ostringstream standard_output;
  auto writer = TraceWriter::open("-", standard_output);
  ASSERT_TRUE(writer.ok());
  EXPECT_TRUE((*writer)->wants_arguments());
  (*writer)->write_header(sample_header());
  ASSERT_TRUE((*writer)->close().ok());
  EXPECT_EQ(parse_lines(standard_output.str()).at(0)["record"], "header");
}

TEST(TraceWriter, WritesAFile) {
  TempFile file;
  std::ostringstream unused;
  auto writer = TraceWriter::open(file.name(), unused);
  ASSERT_TRUE(writer.ok()) << writer.error().message;
  (*writer)->write_header(sample_header());
  (*writer)->control(control_of(DHCP_CONTROL_START));
  ASSERT_TRUE((*writer)->close().ok());
  EXPECT_EQ(parse_lines(file.read()).size(), 2u);
  EXPECT_TRUE(unused.str().empty());
}

TEST(TraceWriter, CannotOpenIsAnErrorNamingThePath) {
  TempFile file;
  const std::string path = (file.path().parent_path() / "missing" / "trace.jsonl").string();
  std::ostringstream unused;
  auto writer = TraceWriter::open(path, unused);
  ASSERT_FALSE(writer.ok());
  EXPECT_NE(writer.error().message.find(path + ": cannot open"), std::string::npos)
      << writer.error().message;
}

TEST(TraceWriter, CloseReportsAWriteErrorNamingThePath) {
  if (!std::filesystem::exists("/dev/full")) {
    GTEST_SKIP() << "no /dev/full here";
  }
  std::ostringstream unused;
  auto writer = TraceWriter::open("/dev/full", unused);
  ASSERT_TRUE(writer.ok()) << writer.error().message;
  auto calls = sample_run(2000);
  for (auto& call : calls) {
    (*writer)->hook_called(call.record());
  }
  const Status closed = (*writer)->close();
  ASSERT_FALSE(closed.ok());
  EXPECT_EQ(closed.error().message.rfind("/dev/full: cannot write the trace", 0), 0u)
      << closed.error().message;
}

TEST(TraceWriter, AStreamInErrorIsReportedOnClose) {
  std::ostringstream out;
  out.setstate(std::ios::badbit);
  TraceWriter writer(out, "broken.jsonl");
  writer.write_header(sample_header());
  const Status closed = writer.close();
  ASSERT_FALSE(closed.ok());
  EXPECT_EQ(closed.error().message.rfind("broken.jsonl: cannot write the trace", 0), 0u);
}

}  // namespace
}  // namespace calloutemu::trace::testing
