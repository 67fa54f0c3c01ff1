#include "host_test_support.h"

#include <cstring>

namespace calloutemu::loader::test {
namespace {

constexpr std::chrono::milliseconds kStartup{10000};

}  // namespace

HostCommand native_host(std::vector<std::pair<std::string, std::string>> environment) {
  HostCommand command;
  command.argv = {CALLOUTEMU_HOST_PROGRAM};
  command.environment = std::move(environment);
  command.startup_timeout = kStartup;
  return command;
}

HostCommand fake_host(const std::string& mode) {
  HostCommand command;
  command.argv = {CALLOUTEMU_FAKE_HOST_PROGRAM};
  command.environment = {{"FAKE_HOST_MODE", mode}};
  command.startup_timeout = kStartup;
  return command;
}

std::string test_callout_path() {
  return CALLOUTEMU_TEST_CALLOUT;
}

ServerBuffer::ServerBuffer(const std::string& text) {
  bytes.fill(0xDB);
  std::memcpy(bytes.data(), text.data(), text.size());
  size = static_cast<DWORD>(text.size());
}

OptionsPacket::OptionsPacket(BYTE first) {
  BYTE* p = buffer.bytes.data();
  std::memset(p, 0, 300);
  p[0] = first;  // op
  p[1] = 1;      // htype
  p[2] = 6;      // hlen
  const BYTE chaddr[] = {0x00, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e};
  std::memcpy(p + 28, chaddr, sizeof chaddr);
  const BYTE cookie[] = {99, 130, 83, 99};
  std::memcpy(p + 236, cookie, sizeof cookie);
  std::size_t at = 240;
  auto option = [&](BYTE code, std::initializer_list<BYTE> data) {
    p[at] = code;
    p[at + 1] = static_cast<BYTE>(data.size());
    std::size_t i = at + 2;
    for (BYTE byte : data) {
      p[i++] = byte;
    }
    const std::size_t value = at + 2;
    at = i;
    return p + value;
  };
  BYTE* type = option(53, {1});
  BYTE* client_id = option(61, {1, 0x00, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e});
  BYTE* name = option(12, {'h', 'o', 's', 't', '-', 'a'});
  BYTE* requested = option(55, {1, 3, 6});
  BYTE* mask = option(1, {255, 255, 0, 0});
  BYTE* address = option(50, {192, 0, 2, 10});
  p[at++] = 255;
  buffer.size = 300;

  options.MessageType = type;
  options.ClientHardwareAddressType = client_id[0];
  options.ClientHardwareAddress = client_id + 1;
  options.ClientHardwareAddressLength = 6;
  options.MachineName = reinterpret_cast<CHAR*>(name);
  options.MachineNameLength = 6;
  options.ParameterRequestList = requested;
  options.ParameterRequestListLength = 3;
  options.SubnetMask = reinterpret_cast<DWORD*>(mask);
  options.RequestedAddress = reinterpret_cast<DWORD*>(address);
  options.DNSFlags = 0xFFFF;
}

std::string LogLines::joined() const {
  std::string text;
  for (const auto& line : lines) {
    text += line;
    text += '\n';
  }
  return text;
}

}  // namespace calloutemu::loader::test
