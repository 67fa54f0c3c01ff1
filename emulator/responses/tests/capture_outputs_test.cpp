// CaptureOutputs driven as the server drives an observer, its files read
// back with CaptureReader and tshark.
#include "calloutemu/responses/capture_outputs.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "calloutemu/dhcp/message.h"
#include "calloutemu/dhcp/wire_format.h"
#include "calloutemu/pcap_replay/capture_reader.h"
#include "calloutemu/responses/response_frame.h"
#include "temp_dir.h"
#include "test_messages.h"
#include "tshark.h"

namespace calloutemu::responses {
namespace {

using dhcp::MessageType;
using namespace testing;
using namespace std::chrono_literals;
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr std::chrono::nanoseconds kTime = 1717243200s + 123456789ns;
constexpr std::uint32_t kOffered = 0xC0000264;  // 192.0.2.100

// A request and what the server made of it, kept alive together.
struct Handled {
  Bytes payload;
  server::Request request;
  server::RequestOutcome outcome;

  Handled(std::uint64_t number, Bytes bytes, std::uint32_t source = 0,
          std::uint32_t destination = kLimitedBroadcast)
      : payload(std::move(bytes)) {
    request = captured(payload, source, destination);
    request.number = number;
    request.origin.time = kTime + number * 1s;
    outcome.number = number;
    outcome.origin = request.origin;
    outcome.request = &request;
  }
  Handled(const Handled&) = delete;
  Handled& operator=(const Handled&) = delete;
};

struct ReadBack {
  std::chrono::nanoseconds timestamp{};
  Bytes frame;
  std::uint32_t source_address = 0;
  std::uint32_t destination_address = 0;
  std::uint16_t source_port = 0;
  std::uint16_t destination_port = 0;
  Bytes payload;
};

std::vector<ReadBack> read_back(const std::filesystem::path& path) {
  std::vector<ReadBack> frames;
  auto reader = pcap_replay::CaptureReader::open(path);
  EXPECT_TRUE(reader) << reader.error().message;
  if (!reader) {
    return frames;
  }
  EXPECT_EQ(reader->link_type(), 1);
  while (true) {
    auto next = reader->next();
    EXPECT_TRUE(next) << next.error().message;
    if (!next || !*next) {
      break;
    }
    const auto& read = **next;
    frames.push_back({read.timestamp, Bytes(read.frame.begin(), read.frame.end()),
                      read.datagram.source_address, read.datagram.destination_address,
                      read.datagram.source_port, read.datagram.destination_port,
                      Bytes(read.datagram.payload.begin(), read.datagram.payload.end())});
  }
  return frames;
}

CaptureOutputSettings files(std::optional<std::filesystem::path> responses,
                            std::optional<std::filesystem::path> dropped = std::nullopt) {
  CaptureOutputSettings settings;
  settings.responses = std::move(responses);
  settings.dropped = std::move(dropped);
  return settings;
}

std::unique_ptr<CaptureOutputs> outputs_for(const CaptureOutputSettings& settings) {
  auto outputs = CaptureOutputs::create(settings);
  EXPECT_TRUE(outputs) << outputs.error().message;
  return outputs ? std::move(*outputs) : nullptr;
}

void expect_closed(CaptureOutputs& outputs) {
  auto status = outputs.close();
  EXPECT_TRUE(status) << status.error().message;
}

// `response` with `option` inserted before its end option, as a PktSend hook
// appending an option would leave it.
Bytes with_option_appended(Bytes response, const Bytes& option) {
  auto message = dhcp::parse_message(response);
  EXPECT_TRUE(message);
  if (!message) {
    return response;
  }
  const dhcp::OptionRef& last = message->options.back();
  const auto end = response.begin() + static_cast<long>(last.data_offset + last.length);
  EXPECT_EQ(*end, dhcp::option::end);
  response.insert(end, option.begin(), option.end());
  return response;
}

TEST(CaptureOutputs, WritesTheResponseExactlyAsPktSendLeftIt) {
  test::TempDir dir;
  auto outputs = outputs_for(files(dir / "responses.pcap"));
  ASSERT_TRUE(outputs);
  Handled discover(1, request_maker(MessageType::discover).bytes());
  const Bytes offer = with_option_appended(reply_to(discover.payload, MessageType::offer, kOffered),
                                           {224, 4, 'm', 'i', 'n', 'e'});
  outputs->response_sent(discover.outcome, offer);
  expect_closed(*outputs);
  EXPECT_EQ(outputs->responses_written(), 1u);

  const auto frames = read_back(dir / "responses.pcap");
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].payload, offer);
  EXPECT_EQ(frames[0].timestamp, kTime + 1s);
  EXPECT_EQ(frames[0].source_address, kServer) << "from option 54";
  EXPECT_EQ(frames[0].destination_address, kOffered);
  EXPECT_EQ(frames[0].source_port, 67);
  EXPECT_EQ(frames[0].destination_port, 68);
  EXPECT_EQ(Bytes(frames[0].frame.begin(), frames[0].frame.begin() + 12),
            (Bytes{0x02, 0x00, 0x5e, 0x10, 0x20, 0x30, 0x02, 0, 0, 0, 0, 0x43}));
  EXPECT_TRUE(checksums_hold(frames[0].frame));
}

TEST(CaptureOutputs, SourceIsOptionFiftyFourElseAUnicastDestinationElseZero) {
  test::TempDir dir;
  auto outputs = outputs_for(files(dir / "responses.pcap"));
  ASSERT_TRUE(outputs);
  Handled broadcast(1, request_maker(MessageType::discover).bytes());
  Handled unicast(2, request_maker(MessageType::discover).bytes(), 0, net(7));
  outputs->response_sent(broadcast.outcome,
                         reply_to(broadcast.payload, MessageType::offer, kOffered, net(9)));
  outputs->response_sent(broadcast.outcome,
                         reply_to(broadcast.payload, MessageType::offer, kOffered, std::nullopt));
  outputs->response_sent(unicast.outcome,
                         reply_to(unicast.payload, MessageType::offer, kOffered, std::nullopt));
  expect_closed(*outputs);
  const auto frames = read_back(dir / "responses.pcap");
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[0].source_address, net(9));
  EXPECT_EQ(frames[1].source_address, 0u);
  EXPECT_EQ(frames[2].source_address, net(7));
}

TEST(CaptureOutputs, TsharkDecodesOfferAndAckWithGoodChecksums) {
  const auto tshark = find_tshark();
  if (!tshark) {
    GTEST_SKIP() << "tshark is not installed";
  }
  test::TempDir dir;
  auto outputs = outputs_for(files(dir / "responses.pcap"));
  ASSERT_TRUE(outputs);
  Handled discover(1, request_maker(MessageType::discover).bytes());
  Handled request(2,
                  request_maker(MessageType::request).u16_at(dhcp::kFlagsOffset, 0x8000).bytes());
  Handled relayed(3,
                  request_maker(MessageType::request).u32_at(dhcp::kGiaddrOffset, kRelay).bytes(),
                  kRelay, kServer);
  outputs->response_sent(discover.outcome,
                         reply_to(discover.payload, MessageType::offer, kOffered));
  outputs->response_sent(request.outcome, reply_to(request.payload, MessageType::ack, kOffered));
  // An odd length: the UDP checksum covers a padded last byte.
  Bytes nak = reply_to(relayed.payload, MessageType::nak, 0);
  nak.push_back(0);
  outputs->response_sent(relayed.outcome, nak);
  expect_closed(*outputs);

  const auto file = dir / "responses.pcap";
  const auto types = run_tshark(
      *tshark, file, {"-Y", "dhcp", "-T", "fields", "-e", "dhcp.option.dhcp"}, dir.path());
  ASSERT_EQ(types.exit_code, 0) << types.err;
  EXPECT_THAT(types.lines, ElementsAre("2", "5", "6"));

  const auto destinations = run_tshark(
      *tshark, file, {"-T", "fields", "-E", "separator=,", "-e", "ip.dst", "-e", "udp.dstport"},
      dir.path());
  EXPECT_THAT(destinations.lines,
              ElementsAre("192.0.2.100,68", "255.255.255.255,68", "198.51.100.1,67"));

  // Status 1 is "Good" (0 "Bad", 2 "Unverified").
  const auto checksums =
      run_tshark(*tshark, file,
                 {"-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-T", "fields",
                  "-E", "separator=,", "-e", "ip.checksum.status", "-e", "udp.checksum.status"},
                 dir.path());
  ASSERT_EQ(checksums.exit_code, 0) << checksums.err;
  EXPECT_THAT(checksums.lines, ElementsAre("1,1", "1,1", "1,1"));
}

TEST(CaptureOutputs, WritesEveryDroppedRequestWithItsReason) {
  test::TempDir dir;
  auto outputs = outputs_for(files(std::nullopt, dir / "dropped.pcapng"));
  ASSERT_TRUE(outputs);
  Handled answered(1, request_maker(MessageType::discover).bytes());
  Handled duplicate(2, request_maker(MessageType::discover).bytes());
  duplicate.outcome.drop_reasons = {DHCP_DROP_DUPLICATE};
  Handled by_callout(3, request_maker(MessageType::request).bytes(), net(50), kServer);
  by_callout.outcome.dropped_by_callout = true;
  Handled malformed(4, Bytes{1, 2, 3});
  malformed.outcome.drop_reasons = {DHCP_DROP_INVALID};
  for (const Handled* handled : {&answered, &duplicate, &by_callout, &malformed}) {
    outputs->request_finished(handled->outcome);
  }
  expect_closed(*outputs);
  EXPECT_EQ(outputs->dropped_written(), 3u);

  const auto frames = read_back(dir / "dropped.pcapng");
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[0].payload, duplicate.payload);
  EXPECT_EQ(frames[0].timestamp, kTime + 2s);
  EXPECT_EQ(frames[0].destination_address, kLimitedBroadcast);
  EXPECT_EQ(frames[1].payload, by_callout.payload);
  EXPECT_EQ(frames[1].source_address, net(50));
  EXPECT_EQ(frames[1].destination_address, kServer);
  EXPECT_EQ(frames[2].payload, malformed.payload);
  for (const auto& frame : frames) {
    EXPECT_EQ(frame.source_port, 68);
    EXPECT_EQ(frame.destination_port, 67);
    EXPECT_TRUE(checksums_hold(frame.frame));
  }

  const auto tshark = find_tshark();
  if (!tshark) {
    GTEST_SKIP() << "tshark is not installed: comments not checked";
  }
  const auto comments = run_tshark(*tshark, dir / "dropped.pcapng",
                                   {"-T", "fields", "-e", "frame.comment"}, dir.path());
  ASSERT_EQ(comments.exit_code, 0) << comments.err;
  EXPECT_THAT(comments.lines,
              ElementsAre("request 2: dropped: DUPLICATE (1)",
                          "request 3: dropped by the callout (NewPkt set ProcessIt to FALSE)",
                          "request 4: dropped: INVALID (8)"));
}

TEST(CaptureOutputs, WithoutFilesItDoesNothing) {
  auto outputs = outputs_for(files(std::nullopt));
  ASSERT_TRUE(outputs);
  Handled dropped(1, request_maker(MessageType::discover).bytes());
  dropped.outcome.drop_reasons = {DHCP_DROP_NOADDRESS};
  outputs->response_sent(dropped.outcome, dropped.payload);
  outputs->request_finished(dropped.outcome);
  expect_closed(*outputs);
  EXPECT_EQ(outputs->responses_written(), 0u);
  EXPECT_EQ(outputs->dropped_written(), 0u);
}

TEST(CaptureOutputs, AFileThatCannotBeCreatedIsAnErrorNamingIt) {
  test::TempDir dir;
  const auto missing = dir / "missing" / "out.pcap";
  auto responses = CaptureOutputs::create(files(missing));
  ASSERT_FALSE(responses);
  EXPECT_EQ(responses.error().message,
            missing.string() + ": cannot create: No such file or directory");
  auto dropped = CaptureOutputs::create(files(dir / "ok.pcap", missing));
  ASSERT_FALSE(dropped);
  EXPECT_EQ(dropped.error().message,
            missing.string() + ": cannot create: No such file or directory");
}

TEST(CaptureOutputs, KeepsTheFirstErrorAndStopsThatFile) {
  test::TempDir dir;
  const auto responses_path = dir / "responses.pcap";
  auto outputs = outputs_for(files(responses_path, dir / "dropped.pcapng"));
  ASSERT_TRUE(outputs);
  Handled first(1, request_maker(MessageType::discover).bytes());
  Handled too_big(2, request_maker(MessageType::discover).bytes());
  Handled before_1970(3, request_maker(MessageType::discover).bytes());
  before_1970.outcome.origin.time = -1s;
  Handled later(4, request_maker(MessageType::discover).bytes());
  later.outcome.drop_reasons = {DHCP_DROP_NOADDRESS};

  outputs->response_sent(first.outcome, reply_to(first.payload, MessageType::offer, kOffered));
  outputs->response_sent(too_big.outcome, Bytes(65508, 0));
  outputs->response_sent(before_1970.outcome, first.payload);
  outputs->response_sent(later.outcome, reply_to(later.payload, MessageType::offer, kOffered));
  outputs->request_finished(later.outcome);  // the other file goes on

  auto status = outputs->close();
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message,
            responses_path.string() +
                ": request 2: response of 65508 bytes: UDP payload of 65508 bytes is over the "
                "IPv4 maximum of 65507");
  EXPECT_EQ(outputs->responses_written(), 1u);
  EXPECT_EQ(outputs->dropped_written(), 1u);
  EXPECT_EQ(read_back(responses_path).size(), 1u) << "the file is complete up to the error";
  EXPECT_EQ(read_back(dir / "dropped.pcapng").size(), 1u);
}

TEST(CaptureOutputs, AWriteErrorNamesTheFileAndTheRequest) {
  test::TempDir dir;
  const auto path = dir / "dropped.pcapng";
  auto outputs = outputs_for(files(std::nullopt, path));
  ASSERT_TRUE(outputs);
  Handled before_1970(5, Bytes{1});
  before_1970.outcome.drop_reasons = {DHCP_DROP_INVALID};
  before_1970.outcome.origin.time = -1ns;
  outputs->request_finished(before_1970.outcome);
  auto status = outputs->close();
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message,
            path.string() + ": request 5: cannot write a frame stamped -1 ns before the epoch");
}

TEST(CaptureOutputs, AMissingRequestIsAnErrorForTheDroppedFile) {
  test::TempDir dir;
  const auto path = dir / "dropped.pcapng";
  auto outputs = outputs_for(files(dir / "responses.pcap", path));
  ASSERT_TRUE(outputs);
  server::RequestOutcome no_request;
  no_request.number = 6;
  no_request.drop_reasons = {DHCP_DROP_INVALID};
  Handled discover(7, request_maker(MessageType::discover).bytes());
  // A response is addressed from its own header when the request is missing.
  outputs->response_sent(no_request, reply_to(discover.payload, MessageType::offer, kOffered));
  outputs->request_finished(no_request);
  auto status = outputs->close();
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message,
            path.string() + ": request 6: the captured request is not available");
  EXPECT_EQ(outputs->responses_written(), 1u);
}

}  // namespace
}  // namespace calloutemu::responses
