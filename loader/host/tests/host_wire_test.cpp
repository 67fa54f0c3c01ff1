// The wire format's readers take untrusted bytes: bounds are checked before
// every read, and a malformed message fails without throwing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "host_hook_wire.h"
#include "host_process.h"
#include "host_wire.h"

namespace calloutemu::loader::host {
namespace {

// The message is copied into a buffer of exactly its size, so ASan sees any
// read past it.
class Message {
 public:
  explicit Message(const WireWriter& writer, const std::vector<std::uint8_t>& storage)
      : bytes_(storage.begin(), storage.begin() + static_cast<std::ptrdiff_t>(writer.size())) {}
  WireReader reader() const { return WireReader(bytes_.data(), bytes_.size()); }

 private:
  std::vector<std::uint8_t> bytes_;
};

TEST(WireTest, ValuesRoundTrip) {
  std::vector<std::uint8_t> storage(256);
  WireWriter out(storage.data(), storage.size());
  out.u8(7);
  out.u32(0xDEADBEEF);
  out.u64(0x0123456789ABCDEFull);
  out.string("text");
  ASSERT_TRUE(out.ok());
  const Message message(out, storage);
  auto in = message.reader();
  EXPECT_EQ(in.u8(), 7);
  EXPECT_EQ(in.u32(), 0xDEADBEEFu);
  EXPECT_EQ(in.u64(), 0x0123456789ABCDEFull);
  EXPECT_EQ(in.string(), "text");
  EXPECT_TRUE(in.ok());
  EXPECT_EQ(in.remaining(), 0u);
}

TEST(WireTest, AWriterThatRunsOutOfRoomFails) {
  std::vector<std::uint8_t> storage(6);
  WireWriter out(storage.data(), storage.size());
  out.u32(1);
  EXPECT_TRUE(out.ok());
  out.u32(2);
  EXPECT_FALSE(out.ok());
  EXPECT_EQ(out.reserve(1), nullptr);
}

TEST(WireTest, ReadsPastTheEndFailAndReturnNothing) {
  std::vector<std::uint8_t> storage(16);
  WireWriter out(storage.data(), storage.size());
  out.u32(1000);  // a string length with no string after it
  const Message message(out, storage);
  auto in = message.reader();
  EXPECT_EQ(in.string(), "");
  EXPECT_FALSE(in.ok());
  EXPECT_EQ(in.u64(), 0u);
  EXPECT_TRUE(in.bytes(1).empty());
}

TEST(WireTest, ACountLargerThanTheMessageCanHoldFails) {
  std::vector<std::uint8_t> storage(16);
  WireWriter out(storage.data(), storage.size());
  out.u32(0x7FFFFFFF);
  out.u32(0);
  const Message message(out, storage);
  auto in = message.reader();
  EXPECT_EQ(in.count(sizeof(std::uint32_t)), 0u);
  EXPECT_FALSE(in.ok());
}

TEST(WireTest, StringListsAreBounded) {
  std::vector<std::uint8_t> storage(64);
  WireWriter out(storage.data(), storage.size());
  out.u32(3);
  out.string("a");
  out.string("b");  // one short
  const Message message(out, storage);
  auto in = message.reader();
  read_strings(in);
  EXPECT_FALSE(in.ok());
}

TEST(WireTest, AFaultReadsBackWithItsLocationBacktraceAndTimeout) {
  Fault fault("did not return within 100 ms", 0, 0);
  fault.location = "block.so+0x18dd";
  fault.backtrace = {"libc.so.6+0xcf545 (clock_nanosleep+0x65)", "block.so+0x18dd"};
  fault.timed_out = true;
  std::vector<std::uint8_t> storage(1024);
  WireWriter out(storage.data(), storage.size());
  write_fault(out, fault);
  ASSERT_TRUE(out.ok());
  const Message message(out, storage);
  auto in = message.reader();
  const Fault read = read_fault(in);
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(read.description, fault.description);
  EXPECT_EQ(read.location, fault.location);
  EXPECT_EQ(read.backtrace, fault.backtrace);
  EXPECT_TRUE(read.timed_out);
}

TEST(WireTest, AFaultWithTooManyFramesIsMalformed) {
  std::vector<std::uint8_t> storage(4096);
  WireWriter out(storage.data(), storage.size());
  out.string("SIGSEGV");
  out.u32(11);
  out.u64(0x10);
  out.string("crash.so+0x10");
  out.u32(static_cast<std::uint32_t>(kMaxBacktraceFrames + 1));
  for (std::size_t i = 0; i <= kMaxBacktraceFrames; ++i) {
    out.string("x+0x1");
  }
  out.u8(0);
  ASSERT_TRUE(out.ok());
  const Message message(out, storage);
  auto in = message.reader();
  const Fault read = read_fault(in);
  EXPECT_FALSE(in.ok());
  EXPECT_TRUE(read.backtrace.empty());
}

TEST(WireTest, FindingsRoundTripAndAreOptional) {
  std::vector<std::uint8_t> storage(256);
  WireWriter out(storage.data(), storage.size());
  write_findings(out, {"NewPkt wrote past PacketSize (1 byte after it) in x.so", "second"});
  ASSERT_TRUE(out.ok());
  const Message message(out, storage);
  auto in = message.reader();
  std::vector<std::string> findings;
  ASSERT_TRUE(read_findings(in, findings));
  EXPECT_THAT(findings, ::testing::ElementsAre(
                            "NewPkt wrote past PacketSize (1 byte after it) in x.so", "second"));
  EXPECT_EQ(in.remaining(), 0u);

  // A reply without them (not checked mode) has none.
  std::vector<std::string> none;
  EXPECT_TRUE(read_findings(in, none));
  EXPECT_TRUE(none.empty());
}

TEST(WireTest, FindingsThatDoNotFitTheMessageAreMalformed) {
  std::vector<std::uint8_t> storage(16);
  WireWriter out(storage.data(), storage.size());
  out.u32(1000);  // far more findings than bytes after the count
  out.u32(2);
  const Message message(out, storage);
  auto in = message.reader();
  std::vector<std::string> findings;
  EXPECT_FALSE(read_findings(in, findings));

  WireWriter cut(storage.data(), storage.size());
  cut.u32(1);
  cut.u32(50);  // a string longer than what follows
  const Message cut_message(cut, storage);
  auto cut_in = cut_message.reader();
  EXPECT_FALSE(read_findings(cut_in, findings));
}

TEST(WireTest, AnAttemptWithAnUnknownOutcomeIsMalformed) {
  std::vector<std::uint8_t> storage(64);
  WireWriter out(storage.data(), storage.size());
  out.string("a.dll");
  out.u8(200);
  out.string("why");
  out.u32(0);
  out.u8(0);
  out.u32(0);
  const Message message(out, storage);
  auto in = message.reader();
  read_attempt(in);
  EXPECT_FALSE(in.ok());
}

TEST(WireTest, AChangedRangeOutsideTheBufferIsRejected) {
  std::vector<std::uint8_t> storage(8192);
  WireWriter out(storage.data(), storage.size());
  out.u32(10);
  out.u8(static_cast<std::uint8_t>(Update::slot_changes));
  out.u32(4090);
  out.byte_string(std::vector<std::uint8_t>(10, 1));
  out.u8(static_cast<std::uint8_t>(Final::same));
  const Message message(out, storage);
  auto in = message.reader();
  PacketReport report;
  EXPECT_FALSE(read_packet_report(in, report));
}

TEST(WireTest, AWellFormedReportReadsBack) {
  std::vector<std::uint8_t> storage(8192);
  WireWriter out(storage.data(), storage.size());
  PacketReport written;
  written.size_after = 12;
  const std::vector<std::uint8_t> change(6, 0xAB);
  written.update = Update::slot_changes;
  written.change_offset = 4090;
  written.change = change;
  written.final = Final::callout;
  written.final_address = 0x1234;
  const std::vector<std::uint8_t> copy{1, 2, 3};
  written.final_copy = {BufferState::bytes, copy};
  write_packet_report(out, written);
  const Message message(out, storage);
  auto in = message.reader();
  PacketReport read;
  ASSERT_TRUE(read_packet_report(in, read));
  EXPECT_EQ(read.size_after, 12u);
  EXPECT_EQ(read.change_offset, 4090u);
  EXPECT_EQ(std::vector<std::uint8_t>(read.change.begin(), read.change.end()), change);
  EXPECT_EQ(read.final, Final::callout);
  EXPECT_EQ(read.final_address, 0x1234u);
  EXPECT_EQ(std::vector<std::uint8_t>(read.final_copy.bytes.begin(), read.final_copy.bytes.end()),
            copy);
}

TEST(WireTest, AHeadWithTooManyEndedPacketsIsMalformed) {
  std::vector<std::uint8_t> storage(64);
  WireWriter out(storage.data(), storage.size());
  out.u8(0);
  out.u8(0);
  out.u32(5);  // five u64 values do not fit what follows
  const Message message(out, storage);
  auto in = message.reader();
  HookHead head;
  EXPECT_FALSE(read_hook_head(in, head));
}

TEST(WireTest, OptionOffsetsMustLieInThePacket) {
  OptionValues values;
  values.members[0].kind = Member::in_packet;
  values.members[0].offset = 299;
  EXPECT_TRUE(options_fit(values, true, 300));
  EXPECT_FALSE(options_fit(values, true, 299));
  EXPECT_FALSE(options_fit(values, false, 300));
  values.members[0].kind = Member::null;
  values.scalars[2] = 256;  // ClientHardwareAddressType is a byte
  EXPECT_FALSE(options_fit(values, true, 300));
}

TEST(WireTest, OptionsThatPointAnywhereAreCapturedSafely) {
  auto no_access = NoAccessRegion::reserve();
  ASSERT_TRUE(no_access.ok());
  FaultTrap trap;
  std::vector<std::uint8_t> packet(300, 0);
  char name[] = "outside";
  DHCP_SERVER_OPTIONS options{};
  options.MessageType = packet.data() + 242;
  options.MachineName = name;
  options.MachineNameLength = 7;
  options.ClassIdentifier = reinterpret_cast<CHAR*>(no_access->data());
  options.ClassIdentifierLength = 3;
  options.VendorClass = reinterpret_cast<BYTE*>(name);
  options.VendorClassLength = 100000;               // too long to copy
  options.DNSName = reinterpret_cast<BYTE*>(0x10);  // faults
  options.DNSNameLength = 4;
  std::vector<std::uint8_t> scratch;
  const auto values =
      capture_options(options, packet.data(), packet.size(), *no_access, trap, scratch);
  EXPECT_EQ(values.members[0].kind, Member::in_packet);
  EXPECT_EQ(values.members[0].offset, 242u);
  EXPECT_EQ(values.members[8].kind, Member::bytes);
  EXPECT_EQ(std::string(values.members[8].bytes.begin(), values.members[8].bytes.end()), "outside");
  EXPECT_EQ(values.members[10].kind, Member::unreadable);
  EXPECT_EQ(values.members[11].kind, Member::unreadable);
  EXPECT_EQ(values.members[12].kind, Member::unreadable);
  EXPECT_EQ(values.members[1].kind, Member::null);
}

TEST(WireTest, WindowsHostsGetZDrivePaths) {
  EXPECT_EQ(path_for_host("/dev/shm/calloutemu-host-abc", true),
            "Z:\\dev\\shm\\calloutemu-host-abc");
  EXPECT_EQ(path_for_host("/dev/shm/x", false), "/dev/shm/x");
}

TEST(WireTest, TheNoAccessRegionCoversAnyDwordLength) {
  auto region = NoAccessRegion::reserve();
  ASSERT_TRUE(region.ok());
  EXPECT_TRUE(region->contains(region->data()));
  EXPECT_TRUE(region->contains(region->data() + 0xFFFFFFFFull));
  EXPECT_FALSE(region->contains(nullptr));
}

}  // namespace
}  // namespace calloutemu::loader::host
