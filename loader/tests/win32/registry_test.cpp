// The real registry: the values are written with the Reg* API and read back
// through read_callout_registry(). Under Wine this is the suite's own prefix;
// the key is put back as it was after each test.
#include "calloutemu/loader/registry.h"

#include <gtest/gtest.h>
#include <windows.h>

#include <string>
#include <vector>

namespace calloutemu::loader {
namespace {

constexpr wchar_t kServiceKey[] = L"System\\CurrentControlSet\\Services\\DHCPServer";
constexpr wchar_t kParametersKey[] = L"System\\CurrentControlSet\\Services\\DHCPServer\\Parameters";

bool key_exists(const wchar_t* path) {
  HKEY key = nullptr;
  if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0, KEY_READ, &key) != ERROR_SUCCESS) {
    return false;
  }
  RegCloseKey(key);
  return true;
}

// A value as it was before the test: its type and bytes, or absent.
struct SavedValue {
  bool present = false;
  DWORD type = 0;
  std::vector<BYTE> data;
};

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    service_existed_ = key_exists(kServiceKey);
    parameters_existed_ = key_exists(kParametersKey);
    ASSERT_EQ(RegCreateKeyExW(HKEY_LOCAL_MACHINE, kParametersKey, 0, nullptr, 0,
                              KEY_READ | KEY_WRITE, nullptr, &key_, nullptr),
              ERROR_SUCCESS);
    for (const wchar_t* name : {L"CalloutDlls", L"CalloutEnabled"}) {
      saved_.push_back(save(name));
      RegDeleteValueW(key_, name);
    }
  }

  void TearDown() override {
    if (key_ == nullptr) {
      return;
    }
    const wchar_t* names[] = {L"CalloutDlls", L"CalloutEnabled"};
    for (std::size_t i = 0; i < saved_.size(); ++i) {
      if (saved_[i].present) {
        RegSetValueExW(key_, names[i], 0, saved_[i].type, saved_[i].data.data(),
                       static_cast<DWORD>(saved_[i].data.size()));
      } else {
        RegDeleteValueW(key_, names[i]);
      }
    }
    RegCloseKey(key_);
    if (!parameters_existed_) {
      EXPECT_EQ(RegDeleteKeyW(HKEY_LOCAL_MACHINE, kParametersKey), ERROR_SUCCESS);
    }
    if (!service_existed_) {
      EXPECT_EQ(RegDeleteKeyW(HKEY_LOCAL_MACHINE, kServiceKey), ERROR_SUCCESS);
    }
  }

  SavedValue save(const wchar_t* name) const {
    SavedValue saved;
    DWORD size = 0;
    if (RegQueryValueExW(key_, name, nullptr, &saved.type, nullptr, &size) == ERROR_SUCCESS) {
      saved.present = true;
      saved.data.resize(size);
      RegQueryValueExW(key_, name, nullptr, &saved.type, saved.data.data(), &size);
    }
    return saved;
  }

  // REG_MULTI_SZ: each name NUL-terminated, then one more NUL.
  void set_dlls(const std::vector<std::wstring>& names, DWORD type = REG_MULTI_SZ) {
    std::wstring data;
    for (const auto& name : names) {
      data += name;
      data.push_back(L'\0');
    }
    data.push_back(L'\0');
    ASSERT_EQ(
        RegSetValueExW(key_, L"CalloutDlls", 0, type, reinterpret_cast<const BYTE*>(data.data()),
                       static_cast<DWORD>(data.size() * sizeof(wchar_t))),
        ERROR_SUCCESS);
  }

  void set_enabled(DWORD value) {
    ASSERT_EQ(RegSetValueExW(key_, L"CalloutEnabled", 0, REG_DWORD,
                             reinterpret_cast<const BYTE*>(&value), sizeof value),
              ERROR_SUCCESS);
  }

  HKEY key_ = nullptr;
  bool service_existed_ = false;
  bool parameters_existed_ = false;
  std::vector<SavedValue> saved_;
};

TEST_F(RegistryTest, IsAvailable) {
  EXPECT_TRUE(registry_available());
}

TEST_F(RegistryTest, ReadsTheDllListInStoredOrderAndCalloutEnabled) {
  set_dlls({L"C:\\callouts\\zeta.dll", L"C:\\callouts\\Alpha.dll", L"D:\\x\\r\u00E9corder.dll"});
  set_enabled(1);
  const auto config = read_callout_registry();
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->source, "registry");
  EXPECT_EQ(config->dlls,
            (std::vector<std::string>{"C:\\callouts\\zeta.dll", "C:\\callouts\\Alpha.dll",
                                      "D:\\x\\r\xC3\xA9"
                                      "corder.dll"}));
  ASSERT_TRUE(config->callout_enabled.has_value());
  EXPECT_EQ(*config->callout_enabled, 1u);
  EXPECT_TRUE(config->enabled());
}

TEST_F(RegistryTest, CalloutEnabledZeroDisables) {
  set_dlls({L"a.dll"});
  set_enabled(0);
  const auto config = read_callout_registry();
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->callout_enabled, 0u);
  EXPECT_FALSE(config->enabled());
}

TEST_F(RegistryTest, AbsentValuesAreAnEmptyListAndNoCalloutEnabled) {
  const auto config = read_callout_registry();
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_TRUE(config->dlls.empty());
  EXPECT_FALSE(config->callout_enabled.has_value());
  EXPECT_TRUE(config->enabled());
}

TEST_F(RegistryTest, CalloutDllsOfAnotherTypeIsAnError) {
  set_dlls({L"a.dll"}, REG_SZ);
  const auto config = read_callout_registry();
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().message,
            "HKLM\\System\\CurrentControlSet\\Services\\DHCPServer\\Parameters\\CalloutDlls: "
            "must be REG_MULTI_SZ, found type 1");
}

TEST_F(RegistryTest, CalloutEnabledOfAnotherTypeIsAnError) {
  const wchar_t text[] = L"1";
  ASSERT_EQ(RegSetValueExW(key_, L"CalloutEnabled", 0, REG_SZ, reinterpret_cast<const BYTE*>(text),
                           sizeof text),
            ERROR_SUCCESS);
  const auto config = read_callout_registry();
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("CalloutEnabled: must be REG_DWORD"), std::string::npos)
      << config.error().message;
}

TEST(RegistryWithoutKeyTest, AMissingKeyIsAnErrorWithTheSystemReason) {
  if (key_exists(kParametersKey)) {
    GTEST_SKIP() << "the Parameters key exists here";
  }
  const auto config = read_callout_registry();
  ASSERT_FALSE(config.ok());
  const std::string& message = config.error().message;
  EXPECT_EQ(message.rfind("HKLM\\System\\CurrentControlSet\\Services\\DHCPServer\\Parameters: "
                          "cannot open: ",
                          0),
            0u)
      << message;
  EXPECT_NE(message.find("(error 2)"), std::string::npos) << message;  // ERROR_FILE_NOT_FOUND
}

}  // namespace
}  // namespace calloutemu::loader
