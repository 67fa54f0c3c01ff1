#include "calloutemu/emulator/options.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "json_lines.h"
#include "temp_dir.h"

namespace calloutemu::emulator {
namespace {

Result<Invocation> parse(std::vector<std::string> args) {
  args.insert(args.begin(), "calloutemu");
  std::vector<const char*> argv;
  for (const auto& arg : args) {
    argv.push_back(arg.c_str());
  }
  return parse_command_line(static_cast<int>(argv.size()), argv.data());
}

TEST(OptionsTest, DefaultsFollowTheDocumentedProfile) {
  auto invocation = parse({"--dlls", "a.so"});
  ASSERT_TRUE(invocation.ok()) << invocation.error().message;
  EXPECT_EQ(invocation->action, Invocation::Action::run);
  const Options& options = invocation->options;
  EXPECT_EQ(options.dlls, (std::vector<std::string>{"a.so"}));
  EXPECT_EQ(options.profile, Profile::documented);
  EXPECT_EQ(options.effective_load_order(), loader::LoadOrder::alphabetical);
  EXPECT_EQ(options.log_level, spdlog::level::info);
  EXPECT_FALSE(options.registry);
  EXPECT_FALSE(options.reg_file.has_value());
}

TEST(OptionsTest, DllsIsRepeatable) {
  auto invocation = parse({"--dlls", "a.so,b.so", "--dlls=c.so"});
  ASSERT_TRUE(invocation.ok()) << invocation.error().message;
  EXPECT_EQ(invocation->options.dlls, (std::vector<std::string>{"a.so,b.so", "c.so"}));
}

TEST(OptionsTest, LegacyProfileKeepsTheListedOrderUnlessOverridden) {
  auto legacy = parse({"--dlls", "a.so", "--profile", "legacy"});
  ASSERT_TRUE(legacy.ok());
  EXPECT_EQ(legacy->options.effective_load_order(), loader::LoadOrder::listed);

  auto overridden =
      parse({"--dlls", "a.so", "--profile", "legacy", "--load-order", "alphabetical"});
  ASSERT_TRUE(overridden.ok());
  EXPECT_EQ(overridden->options.effective_load_order(), loader::LoadOrder::alphabetical);
}

TEST(OptionsTest, HelpAndVersion) {
  auto help = parse({"--help"});
  ASSERT_TRUE(help.ok());
  EXPECT_EQ(help->action, Invocation::Action::help);
  for (const char* option : {"--dlls", "--reg-file", "--registry", "--profile", "--load-order",
                             "--config", "--log-level", "--verbose", "--quiet", "Exit codes"}) {
    EXPECT_NE(help->text.find(option), std::string::npos) << option;
  }
  auto version = parse({"--version"});
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(version->action, Invocation::Action::version);
  EXPECT_EQ(version->text, std::string("calloutemu ") + CALLOUTEMU_VERSION + "\n");
}

TEST(OptionsTest, LogLevels) {
  EXPECT_EQ(parse({"-v"})->options.log_level, spdlog::level::debug);
  EXPECT_EQ(parse({"-q"})->options.log_level, spdlog::level::err);
  EXPECT_EQ(parse({"--log-level", "trace"})->options.log_level, spdlog::level::trace);
  EXPECT_EQ(parse({"--log-level", "warning"})->options.log_level, spdlog::level::warn);
  EXPECT_EQ(parse({"--log-level", "warn"})->options.log_level, spdlog::level::warn);
  EXPECT_EQ(parse({"--log-level", "off"})->options.log_level, spdlog::level::off);
}

TEST(OptionsTest, BadValuesAreOneLineErrorsNamingTheOption) {
  struct Case {
    std::vector<std::string> args;
    std::string expected;
  };
  const std::vector<Case> cases{
      {{"--bogus"}, "unrecognised option '--bogus'"},
      {{"--profile", "modern"}, "--profile: 'modern' is not documented or legacy"},
      {{"--load-order", "random"}, "--load-order: 'random' is not alphabetical or listed"},
      {{"--log-level", "loud"}, "--log-level: 'loud' is not"},
      {{"-v", "-q"}, "-v and -q cannot be used together"},
      {{"--reg-file"}, "reg-file"},
  };
  for (const auto& c : cases) {
    auto invocation = parse(c.args);
    ASSERT_FALSE(invocation.ok()) << c.args[0];
    EXPECT_NE(invocation.error().message.find(c.expected), std::string::npos)
        << invocation.error().message;
    EXPECT_EQ(invocation.error().message.find('\n'), std::string::npos);
  }
}

class ConfigFileTest : public ::testing::Test {
 protected:
  std::string write(const std::string& text) {
    const auto path = dir_ / "run.ini";
    test::write_text_file(path, text);
    return path.string();
  }
  test::TempDir dir_;
};

TEST_F(ConfigFileTest, TakesEveryLongOption) {
  const auto path = write(
      "# a comment\n"
      "dlls = a.so,b.so\n"
      "dlls = c.so\n"
      "profile = legacy\n"
      "load-order = alphabetical\n"
      "log-level = debug\n");
  auto invocation = parse({"--config", path});
  ASSERT_TRUE(invocation.ok()) << invocation.error().message;
  const Options& options = invocation->options;
  EXPECT_EQ(options.dlls, (std::vector<std::string>{"a.so,b.so", "c.so"}));
  EXPECT_EQ(options.profile, Profile::legacy);
  EXPECT_EQ(options.effective_load_order(), loader::LoadOrder::alphabetical);
  EXPECT_EQ(options.log_level, spdlog::level::debug);
}

TEST_F(ConfigFileTest, RegistryAndRegFileToo) {
  const auto path = write("registry = true\nreg-file = x.reg\n");
  auto invocation = parse({"-c", path});
  ASSERT_TRUE(invocation.ok()) << invocation.error().message;
  EXPECT_TRUE(invocation->options.registry);
  EXPECT_EQ(invocation->options.reg_file, "x.reg");
}

TEST_F(ConfigFileTest, CommandLineWins) {
  const auto path = write("dlls = from-config.so\nprofile = legacy\n");
  auto invocation =
      parse({"--config", path, "--dlls", "from-command-line.so", "--profile", "documented"});
  ASSERT_TRUE(invocation.ok()) << invocation.error().message;
  EXPECT_EQ(invocation->options.dlls, (std::vector<std::string>{"from-command-line.so"}));
  EXPECT_EQ(invocation->options.profile, Profile::documented);
}

TEST_F(ConfigFileTest, ErrorsNameTheFile) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"bogus = 1\n", "unrecognised option 'bogus'"},
      {"just some words\n", "just some words"},
      {"profile = modern\n", "profile: 'modern' is not documented or legacy"},
      {"config = other.ini\n", "unrecognised option 'config'"},
  };
  for (const auto& [text, expected] : cases) {
    const auto path = write(text);
    auto invocation = parse({"--config", path});
    ASSERT_FALSE(invocation.ok()) << text;
    EXPECT_NE(invocation.error().message.find(path), std::string::npos)
        << invocation.error().message;
    EXPECT_NE(invocation.error().message.find(expected), std::string::npos)
        << invocation.error().message;
  }
}

TEST_F(ConfigFileTest, MissingFileIsAnErrorNamingIt) {
  const auto path = (dir_ / "absent.ini").string();
  auto invocation = parse({"--config", path});
  ASSERT_FALSE(invocation.ok());
  EXPECT_EQ(invocation.error().message, path + ": cannot read: No such file or directory");
}

}  // namespace
}  // namespace calloutemu::emulator
