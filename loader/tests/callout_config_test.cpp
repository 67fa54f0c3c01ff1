#include "calloutemu/loader/callout_config.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace calloutemu::loader {
namespace {

using Names = std::vector<std::string>;

Names parsed(const std::vector<std::string>& values) {
  auto result = parse_dll_list(values);
  EXPECT_TRUE(result) << result.error().message;
  return result ? *result : Names{"<error>"};
}

std::string error_of(const std::vector<std::string>& values) {
  auto result = parse_dll_list(values);
  return result ? std::string("(no error)") : result.error().message;
}

TEST(CalloutConfigEnabled, AbsentMeansEnabled) {
  CalloutConfig config;
  EXPECT_TRUE(config.enabled());
}

TEST(CalloutConfigEnabled, OnlyZeroDisables) {
  CalloutConfig config;
  config.callout_enabled = 0;
  EXPECT_FALSE(config.enabled());
  config.callout_enabled = 1;
  EXPECT_TRUE(config.enabled());
  config.callout_enabled = 0xFFFFFFFFu;
  EXPECT_TRUE(config.enabled());
}

TEST(ParseDllList, NoValuesIsAnEmptyList) {
  EXPECT_TRUE(parsed({}).empty());
}

TEST(ParseDllList, SplitsOnCommas) {
  EXPECT_EQ(parsed({"a.so,b.so,c.so"}), (Names{"a.so", "b.so", "c.so"}));
}

TEST(ParseDllList, TrimsSurroundingBlanksOnly) {
  EXPECT_EQ(parsed({"  a.so , \tMy Callout.so\t"}), (Names{"a.so", "My Callout.so"}));
}

TEST(ParseDllList, AccumulatesRepeatedValuesInOrder) {
  EXPECT_EQ(parsed({"z.so,y.so", "a.so", "./x.so"}), (Names{"z.so", "y.so", "a.so", "./x.so"}));
}

TEST(ParseDllList, KeepsDuplicates) {
  EXPECT_EQ(parsed({"a.so,a.so"}), (Names{"a.so", "a.so"}));
}

TEST(ParseDllList, RejectsAnEmptyElementNamingTheValue) {
  EXPECT_EQ(error_of({"a.so,,b.so"}), "--dlls \"a.so,,b.so\": DLL name 2 is empty");
  EXPECT_EQ(error_of({"a.so,"}), "--dlls \"a.so,\": DLL name 2 is empty");
  EXPECT_EQ(error_of({",a.so"}), "--dlls \",a.so\": DLL name 1 is empty");
  EXPECT_EQ(error_of({"a.so, ,b.so"}), "--dlls \"a.so, ,b.so\": DLL name 2 is empty");
}

TEST(ParseDllList, RejectsAnEmptyOrBlankValue) {
  EXPECT_EQ(error_of({""}), "--dlls \"\": DLL name 1 is empty");
  EXPECT_EQ(error_of({"   "}), "--dlls \"   \": DLL name 1 is empty");
}

TEST(ParseDllList, NamesTheValueThatFailsNotTheFirst) {
  EXPECT_EQ(error_of({"a.so", "b.so,,c.so"}), "--dlls \"b.so,,c.so\": DLL name 2 is empty");
}

}  // namespace
}  // namespace calloutemu::loader
