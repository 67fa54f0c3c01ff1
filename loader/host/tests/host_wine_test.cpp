// The Windows host under Wine, driven from here: callouthost.exe and the
// fixture DLLs of the build's Windows parts, or those that
// CALLOUTEMU_TEST_WINE_HOST (a callouthost.exe) and
// CALLOUTEMU_TEST_WINE_FIXTURES (a MinGW build's fixtures/callouts) name;
// skipped without them. Wine is $CALLOUTEMU_WINE, else the one the build
// found, else wine; the prefix is $WINEPREFIX.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <optional>

#include "calloutemu/loader/hosted_chain.h"
#include "host_process.h"
#include "host_test_support.h"
#include "json_lines.h"
#include "temp_dir.h"

namespace calloutemu::loader {
namespace {

using test::OptionsPacket;
using test::ServerBuffer;
using ::testing::StartsWith;

constexpr DWORD kIp = 0xC0000201;

// The environment's value, else the build's, if either is set.
std::optional<std::string> setting(const char* name, const char* built = "") {
  const char* value = std::getenv(name);
  if (value != nullptr && value[0] != '\0') {
    return value;
  }
  return built[0] != '\0' ? std::optional<std::string>(built) : std::nullopt;
}

class WineHostTest : public ::testing::Test {
 protected:
  void SetUp() override {
    host_ = setting("CALLOUTEMU_TEST_WINE_HOST", CALLOUTEMU_WINDOWS_HOST_PROGRAM);
    fixtures_ = setting("CALLOUTEMU_TEST_WINE_FIXTURES", CALLOUTEMU_WINDOWS_FIXTURE_DIR);
    if (!host_ || !fixtures_ || !std::filesystem::exists(*host_)) {
      GTEST_SKIP() << "no callouthost.exe: build the Windows parts (MinGW-w64 and Wine), or set "
                      "CALLOUTEMU_TEST_WINE_HOST and CALLOUTEMU_TEST_WINE_FIXTURES";
    }
  }

  HostCommand command(std::vector<std::pair<std::string, std::string>> extra = {}) const {
    HostCommand wine;
    wine.argv = {setting("CALLOUTEMU_WINE", CALLOUTEMU_WINE).value_or("wine"), *host_};
    wine.environment = {{"WINEDEBUG", "-all"}, {"WINEDLLOVERRIDES", "mscoree,mshtml="}};
    wine.environment.insert(wine.environment.end(), extra.begin(), extra.end());
    wine.windows_host = true;
    wine.label = "callout host (Wine)";
    return wine;
  }
  std::string dll(const std::string& name) const {
    return host::path_for_host(*fixtures_ + "/" + name + ".dll", true);
  }

  std::optional<std::string> host_;
  std::optional<std::string> fixtures_;
  FaultTrap trap_;
  test::LogLines log_;
};

TEST_F(WineHostTest, TheRecorderRunsUnderWine) {
  calloutemu::test::TempDir dir;
  const auto record = dir / "record.jsonl";
  auto chain =
      HostedChain::launch(command({{"CALLOUT_RECORD", host::path_for_host(record.string(), true)}}),
                          trap_, log_.sink());
  ASSERT_TRUE(chain.ok()) << chain.error().message;
  auto load = (*chain)->load({dll("recorder")}, {});
  ASSERT_TRUE(load.ok()) << load.error().message;
  ASSERT_TRUE(load->loaded) << load->attempts.back().reason;

  OptionsPacket packet;
  BYTE* pointer = packet.buffer.packet;
  DWORD size = packet.buffer.size;
  int reserved = 0;
  void* context = nullptr;
  BOOL process = TRUE;
  auto& hooks = (*chain)->hooks();
  EXPECT_FALSE(hooks.new_pkt(&pointer, &size, kIp, &reserved, &context, &process).fault);
  EXPECT_NE(context, nullptr);
  EXPECT_FALSE(hooks.handle_options(pointer, size, &reserved, context, &packet.options).fault);
  ServerBuffer reply("\x02reply");
  BYTE* send = reply.packet;
  DWORD send_size = reply.size;
  EXPECT_FALSE(hooks.pkt_send(&send, &send_size, DHCP_SEND_PACKET, kIp, &reserved, context).fault);
  EXPECT_FALSE(hooks.pkt_drop(&pointer, &size, DHCP_DROP_PROCESSED, kIp, &reserved, context).fault);
  EXPECT_FALSE((*chain)->stop_and_unload().fault);

  const auto lines = calloutemu::test::read_json_lines(record);
  ASSERT_EQ(calloutemu::test::hook_names(lines),
            (std::vector<std::string>{"Entry", "Control", "NewPkt", "HandleOptions", "PktSend",
                                      "PktDrop", "Control"}));
  EXPECT_EQ(lines[0]["dll"], "recorder.dll");
  EXPECT_EQ(lines[3]["ServerOptions"]["MachineName"], "host-a");
  EXPECT_EQ(lines[3]["Reserved"], lines[2]["Reserved"]);
  EXPECT_TRUE(log_.lines.empty()) << log_.joined();
}

TEST_F(WineHostTest, AnAccessViolationKeepsItsCode) {
  auto chain = HostedChain::launch(
      command({{"CALLOUT_CRASH_HOOK", "NewPkt"}, {"CALLOUT_CRASH_CALL", "2"}}), trap_, log_.sink());
  ASSERT_TRUE(chain.ok()) << chain.error().message;
  auto load = (*chain)->load({dll("crash")}, {});
  ASSERT_TRUE(load.ok() && load->loaded);
  auto& hooks = (*chain)->hooks();
  for (int packet = 1; packet <= 3; ++packet) {
    ServerBuffer buffer("packet");
    BYTE* pointer = buffer.packet;
    DWORD size = buffer.size;
    void* context = nullptr;
    BOOL process = TRUE;
    const auto call = hooks.new_pkt(&pointer, &size, kIp, &packet, &context, &process);
    if (packet == 2) {
      ASSERT_TRUE(call.fault.has_value());
      EXPECT_EQ(call.fault->code, 0xC0000005u);
      EXPECT_THAT(call.fault->description,
                  StartsWith("EXCEPTION_ACCESS_VIOLATION (0xC0000005) writing address 0x10"));
      EXPECT_EQ((*chain)->restarts(), 1u);
    } else {
      EXPECT_FALSE(call.fault.has_value()) << call.fault->description;
    }
    hooks.pkt_drop(&pointer, &size, DHCP_DROP_PROCESSED, kIp, &packet, context);
  }
  EXPECT_EQ(log_.lines.size(), 2u) << log_.joined();
}

TEST_F(WineHostTest, TheRegistryIsThePrefixs) {
  auto chain = HostedChain::launch(command(), trap_, log_.sink());
  ASSERT_TRUE(chain.ok()) << chain.error().message;
  auto config = (*chain)->read_registry();
  // A fresh prefix has no DHCPServer key; one that has it gives its values.
  if (!config.ok()) {
    EXPECT_THAT(config.error().message,
                StartsWith("HKLM\\System\\CurrentControlSet\\Services\\DHCPServer\\Parameters"));
  } else {
    EXPECT_EQ(config->source, "registry");
  }
}

}  // namespace
}  // namespace calloutemu::loader
