#include "calloutemu/loader/dynamic_library.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "fixtures.h"
#include "temp_dir.h"

namespace calloutemu::loader {
namespace {

using test::callout_path;

TEST(DynamicLibraryTest, MissingFileGivesTheSystemReason) {
  auto library = DynamicLibrary::open("/nonexistent/nothing.so");
  ASSERT_FALSE(library.ok());
  EXPECT_NE(library.error().message.find("No such file or directory"), std::string::npos)
      << library.error().message;
}

TEST(DynamicLibraryTest, FileThatIsNotALibraryGivesTheSystemReason) {
  test::TempDir dir;
  std::filesystem::path text = dir / "text.so";
  FILE* file = std::fopen(text.c_str(), "w");
  ASSERT_NE(file, nullptr);
  std::fputs("not an ELF file\n", file);
  std::fclose(file);
  auto library = DynamicLibrary::open(text.string());
  ASSERT_FALSE(library.ok());
  EXPECT_NE(library.error().message.find("text.so"), std::string::npos) << library.error().message;
}

TEST(DynamicLibraryTest, FindsTheEntryPointOfACallout) {
  auto library = DynamicLibrary::open(callout_path("recorder").string());
  ASSERT_TRUE(library.ok()) << library.error().message;
  EXPECT_TRUE(library->is_open());
  auto entry = library->symbol("DhcpServerCalloutEntry");
  ASSERT_TRUE(entry.ok()) << entry.error().message;
  EXPECT_NE(entry.value(), nullptr);
}

TEST(DynamicLibraryTest, MissingExportIsAnError) {
  auto library = DynamicLibrary::open(callout_path("noexport").string());
  ASSERT_TRUE(library.ok()) << library.error().message;
  auto entry = library->symbol("DhcpServerCalloutEntry");
  ASSERT_FALSE(entry.ok());
  EXPECT_NE(entry.error().message.find("DhcpServerCalloutEntry"), std::string::npos)
      << entry.error().message;
}

TEST(DynamicLibraryTest, SymbolsOfDependenciesAreNotExportsOfTheLibrary) {
  // GetProcAddress looks at the module's own exports only; dlsym would find
  // libc's malloc through the library's dependencies.
  auto library = DynamicLibrary::open(callout_path("recorder").string());
  ASSERT_TRUE(library.ok()) << library.error().message;
  auto malloc_symbol = library->symbol("malloc");
  ASSERT_FALSE(malloc_symbol.ok());
  EXPECT_NE(malloc_symbol.error().message.find("does not export malloc"), std::string::npos)
      << malloc_symbol.error().message;
}

TEST(DynamicLibraryTest, BareNameIsFoundInTheCurrentDirectory) {
  test::TempDir dir;
  std::filesystem::copy_file(callout_path("recorder"), dir / "bare-copy.so");
  const auto previous = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  auto library = DynamicLibrary::open("bare-copy.so");
  std::filesystem::current_path(previous);
  ASSERT_TRUE(library.ok()) << library.error().message;
  EXPECT_TRUE(library->symbol("DhcpServerCalloutEntry").ok());
}

TEST(DynamicLibraryTest, MovesOwnershipAndClosesOnce) {
  auto opened = DynamicLibrary::open(callout_path("recorder").string());
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  DynamicLibrary first = std::move(opened).value();
  DynamicLibrary second = std::move(first);
  EXPECT_FALSE(first.is_open());  // NOLINT(bugprone-use-after-move): moved-from state is defined
  EXPECT_TRUE(second.is_open());
  EXPECT_FALSE(first.symbol("DhcpServerCalloutEntry").ok());
  second.close();
  EXPECT_FALSE(second.is_open());
}

}  // namespace
}  // namespace calloutemu::loader
