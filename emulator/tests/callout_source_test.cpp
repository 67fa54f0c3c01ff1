#include "calloutemu/emulator/callout_source.h"

#include <gtest/gtest.h>

#include "calloutemu/loader/registry.h"
#include "json_lines.h"
#include "temp_dir.h"

namespace calloutemu::emulator {
namespace {

TEST(CalloutSourceTest, DllsFromTheCommandLine) {
  Options options;
  options.dlls = {"b.so, a.so", "c.so"};
  auto config = read_callout_config(options);
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->source, "--dlls");
  EXPECT_EQ(config->dlls, (std::vector<std::string>{"b.so", "a.so", "c.so"}));
  EXPECT_TRUE(config->enabled());
}

TEST(CalloutSourceTest, ExactlyOneSource) {
  Options none;
  auto missing = read_callout_config(none);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("no callout DLLs given"), std::string::npos);

  Options two;
  two.dlls = {"a.so"};
  two.reg_file = "x.reg";
  auto both = read_callout_config(two);
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.error().message, "give one DLL list, not --dlls and --reg-file");
}

TEST(CalloutSourceTest, BadDllListIsAnError) {
  Options options;
  options.dlls = {"a.so,,b.so"};
  EXPECT_FALSE(read_callout_config(options).ok());
}

TEST(CalloutSourceTest, RegFile) {
  test::TempDir dir;
  const auto path = dir / "callouts.reg";
  test::write_text_file(path,
                        "REGEDIT4\r\n\r\n"
                        "[HKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\Services\\DHCPServer\\"
                        "Parameters]\r\n"
                        "\"CalloutDlls\"=hex(7):61,2e,73,6f,00,00\r\n"
                        "\"CalloutEnabled\"=dword:00000000\r\n");
  Options options;
  options.reg_file = path.string();
  auto config = read_callout_config(options);
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->dlls, (std::vector<std::string>{"a.so"}));
  EXPECT_FALSE(config->enabled());
}

TEST(CalloutSourceTest, RegistryNeedsAWindowsBuild) {
  if (loader::registry_available()) {
    GTEST_SKIP() << "this build reads the real registry";
  }
  Options options;
  options.registry = true;
  auto config = read_callout_config(options);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("--registry"), std::string::npos);
}

}  // namespace
}  // namespace calloutemu::emulator
