// LoadLibraryW and GetProcAddress on the fixture callouts built as PE DLLs.
#include "calloutemu/loader/dynamic_library.h"

#include <gtest/gtest.h>
#include <windows.h>

#include <filesystem>
#include <fstream>

#include "fixtures.h"
#include "temp_dir.h"

namespace calloutemu::loader {
namespace {

using test::callout_path;

// FormatMessage gave a reason: there is text before " (error N)".
void expect_system_reason(const std::string& message, DWORD code) {
  const std::string suffix = " (error " + std::to_string(code) + ")";
  ASSERT_GE(message.size(), suffix.size()) << message;
  EXPECT_EQ(message.substr(message.size() - suffix.size()), suffix) << message;
  EXPECT_EQ(message.find("unknown error"), std::string::npos) << message;
  EXPECT_GT(message.size(), suffix.size() + 5) << message;
}

TEST(DynamicLibraryTest, MissingFileGivesTheSystemReason) {
  test::TempDir dir;
  auto library = DynamicLibrary::open((dir / "nothing.dll").string());
  ASSERT_FALSE(library.ok());
  expect_system_reason(library.error().message, ERROR_MOD_NOT_FOUND);
}

TEST(DynamicLibraryTest, FileThatIsNotALibraryGivesTheSystemReason) {
  test::TempDir dir;
  const auto text = dir / "text.dll";
  std::ofstream(text) << "not a PE file\n";
  auto library = DynamicLibrary::open(text.string());
  ASSERT_FALSE(library.ok());
  expect_system_reason(library.error().message, ERROR_BAD_EXE_FORMAT);
}

// The file name of the module that holds `address`.
std::wstring module_file_of(void* address) {
  HMODULE module = nullptr;
  if (!GetModuleHandleExW(
          GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
          static_cast<LPCWSTR>(address), &module)) {
    return L"";
  }
  wchar_t path[MAX_PATH];
  const DWORD length = GetModuleFileNameW(module, path, MAX_PATH);
  return std::filesystem::path(std::wstring(path, length)).filename().wstring();
}

TEST(DynamicLibraryTest, FindsTheEntryPointOfACallout) {
  auto library = DynamicLibrary::open(callout_path("recorder").string());
  ASSERT_TRUE(library.ok()) << library.error().message;
  EXPECT_TRUE(library->is_open());
  auto entry = library->symbol("DhcpServerCalloutEntry");
  ASSERT_TRUE(entry.ok()) << entry.error().message;
  EXPECT_EQ(module_file_of(entry.value()), L"recorder.dll");
}

TEST(DynamicLibraryTest, MissingExportIsAnErrorNamingTheSymbol) {
  auto library = DynamicLibrary::open(callout_path("noexport").string());
  ASSERT_TRUE(library.ok()) << library.error().message;
  auto entry = library->symbol("DhcpServerCalloutEntry");
  ASSERT_FALSE(entry.ok());
  const std::string& message = entry.error().message;
  EXPECT_EQ(message.rfind("the library does not export DhcpServerCalloutEntry: ", 0), 0u)
      << message;
  expect_system_reason(message, ERROR_PROC_NOT_FOUND);
  EXPECT_TRUE(library->symbol("NotTheCalloutEntry").ok());
}

TEST(DynamicLibraryTest, FunctionsOfTheCRuntimeAreNotExportsOfTheCallout) {
  auto library = DynamicLibrary::open(callout_path("recorder").string());
  ASSERT_TRUE(library.ok()) << library.error().message;
  EXPECT_FALSE(library->symbol("malloc").ok());
}

TEST(DynamicLibraryTest, BareNameIsFoundInTheCurrentDirectory) {
  test::TempDir dir;
  std::filesystem::copy_file(callout_path("recorder"), dir / "bare-copy.dll");
  const auto previous = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  auto library = DynamicLibrary::open("bare-copy.dll");
  std::filesystem::current_path(previous);
  ASSERT_TRUE(library.ok()) << library.error().message;
  EXPECT_TRUE(library->symbol("DhcpServerCalloutEntry").ok());
}

TEST(DynamicLibraryTest, NamesAreUtf8AndReachLoadLibraryWIntact) {
  test::TempDir dir;
  const std::filesystem::path copy = dir / std::u8string(u8"r\u00E9corder-\u20AC.dll");
  std::filesystem::copy_file(callout_path("recorder"), copy);
  const std::u8string utf8 = copy.u8string();
  auto library = DynamicLibrary::open(std::string(utf8.begin(), utf8.end()));
  ASSERT_TRUE(library.ok()) << library.error().message;
  EXPECT_NE(GetModuleHandleW(copy.wstring().c_str()), nullptr);
}

TEST(DynamicLibraryTest, CloseUnloadsTheModule) {
  test::TempDir dir;
  const auto copy = dir / "unload-me.dll";
  std::filesystem::copy_file(callout_path("recorder"), copy);
  auto opened = DynamicLibrary::open(copy.string());
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  DynamicLibrary first = std::move(opened).value();
  DynamicLibrary second = std::move(first);
  EXPECT_FALSE(first.is_open());  // NOLINT(bugprone-use-after-move): moved-from state is defined
  EXPECT_TRUE(second.is_open());
  EXPECT_NE(GetModuleHandleW(copy.wstring().c_str()), nullptr);
  second.close();
  EXPECT_FALSE(second.is_open());
  EXPECT_EQ(GetModuleHandleW(copy.wstring().c_str()), nullptr);
}

}  // namespace
}  // namespace calloutemu::loader
