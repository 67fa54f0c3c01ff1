// The callout host's system part on Windows. The host's side (SharedFile::open,
// NoAccessRegion) runs in callouthost.exe under Wine in the test suite; the
// client's side (SharedFile::create, HostProcess) is for a calloutemu built
// for Windows, which is compiled but not run by the suite.
#include "host_process.h"

#include <windows.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cwchar>
#include <cwctype>
#include <string>
#include <string_view>

#include "calloutemu/loader/text_encoding.h"
#include "host_protocol.h"
#include "win32_error.h"

namespace calloutemu::loader::host {
namespace {

HANDLE as_handle(std::intptr_t value) {
  return reinterpret_cast<HANDLE>(value);
}

std::string last_error(const std::string& what) {
  return what + ": " + describe_win32_error(GetLastError());
}

Result<std::wstring> wide(const std::string& text) {
  auto utf16 = utf8_to_utf16(text);
  if (!utf16) {
    return utf16.error();
  }
  return std::wstring(utf16->begin(), utf16->end());
}

std::string narrow(std::wstring_view text) {
  auto utf8 = utf16_to_utf8(std::u16string(text.begin(), text.end()));
  return utf8 ? std::move(utf8).value() : std::string("?");
}

// One argument as CommandLineToArgvW reads it back.
std::wstring quoted(const std::wstring& argument) {
  if (!argument.empty() && argument.find_first_of(L" \t\n\v\"") == std::wstring::npos) {
    return argument;
  }
  std::wstring out = L"\"";
  for (auto it = argument.begin();; ++it) {
    std::size_t backslashes = 0;
    while (it != argument.end() && *it == L'\\') {
      ++it;
      ++backslashes;
    }
    if (it == argument.end()) {
      out.append(backslashes * 2, L'\\');
      break;
    }
    if (*it == L'"') {
      out.append(backslashes * 2 + 1, L'\\');
    } else {
      out.append(backslashes, L'\\');
    }
    out.push_back(*it);
  }
  out.push_back(L'"');
  return out;
}

bool same_name(std::wstring_view a, std::wstring_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(),
                    [](wchar_t x, wchar_t y) { return std::towupper(x) == std::towupper(y); });
}

// Our environment block with `overrides` set on top.
Result<std::wstring> environment_block(
    const std::vector<std::pair<std::string, std::string>>& overrides) {
  std::vector<std::pair<std::wstring, std::wstring>> extra;
  for (const auto& [name, value] : overrides) {
    auto wide_name = wide(name);
    auto wide_value = wide(value);
    if (!wide_name || !wide_value) {
      return make_error("environment variable " + name + " is not UTF-8");
    }
    extra.emplace_back(std::move(wide_name).value(), std::move(wide_value).value());
  }
  std::wstring block;
  wchar_t* current = GetEnvironmentStringsW();
  for (const wchar_t* entry = current; entry != nullptr && *entry != L'\0';
       entry += std::wcslen(entry) + 1) {
    const std::wstring_view text(entry);
    const auto name = text.substr(0, text.find(L'=', 1));
    const bool replaced = std::any_of(
        extra.begin(), extra.end(), [&](const auto& pair) { return same_name(pair.first, name); });
    if (!replaced) {
      block.append(text);
      block.push_back(L'\0');
    }
  }
  if (current != nullptr) {
    FreeEnvironmentStringsW(current);
  }
  for (const auto& [name, value] : extra) {
    block += name + L"=" + value;
    block.push_back(L'\0');
  }
  block.push_back(L'\0');
  return block;
}

HostExit describe_exit_code(DWORD code) {
  char text[64];
  if (code >= 0xC0000000u) {
    std::snprintf(text, sizeof text, "ended by exception 0x%08lX",
                  static_cast<unsigned long>(code));
  } else {
    std::snprintf(text, sizeof text, "exited with status %lu", static_cast<unsigned long>(code));
  }
  return {text, static_cast<std::uint32_t>(code), code == 0};
}

}  // namespace

// --- SharedFile ------------------------------------------------------------

Result<SharedFile> SharedFile::create(std::size_t size) {
  std::array<wchar_t, MAX_PATH + 1> directory{};
  std::array<wchar_t, MAX_PATH + 1> name{};
  if (GetTempPathW(static_cast<DWORD>(directory.size()), directory.data()) == 0 ||
      GetTempFileNameW(directory.data(), L"ceh", 0, name.data()) == 0) {
    return make_error(last_error("cannot create the channel file"));
  }
  // Deleted when the last handle to it closes, the host's included.
  HANDLE file =
      CreateFileW(name.data(), GENERIC_READ | GENERIC_WRITE,
                  FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr, OPEN_EXISTING,
                  FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE, nullptr);
  if (file == INVALID_HANDLE_VALUE) {
    const auto error = last_error("cannot open the channel file " + narrow(name.data()));
    DeleteFileW(name.data());
    return make_error(error);
  }
  const auto size64 = static_cast<std::uint64_t>(size);
  HANDLE mapping =
      CreateFileMappingW(file, nullptr, PAGE_READWRITE, static_cast<DWORD>(size64 >> 32),
                         static_cast<DWORD>(size64 & 0xFFFFFFFFu), nullptr);
  void* data =
      mapping != nullptr ? MapViewOfFile(mapping, FILE_MAP_ALL_ACCESS, 0, 0, size) : nullptr;
  const auto error = last_error("cannot map the channel file " + narrow(name.data()));
  if (mapping != nullptr) {
    CloseHandle(mapping);  // the view keeps the mapping
  }
  if (data == nullptr) {
    CloseHandle(file);
    return make_error(error);
  }
  SharedFile shared;
  shared.data_ = static_cast<std::uint8_t*>(data);
  shared.size_ = size;
  shared.path_ = narrow(name.data());
  shared.owner_ = true;
  shared.handle_ = reinterpret_cast<std::intptr_t>(file);
  return shared;
}

Result<SharedFile> SharedFile::open(const std::string& path, std::size_t min_size) {
  auto wide_path = wide(path);
  if (!wide_path) {
    return make_error("the channel path is not UTF-8: " + path);
  }
  HANDLE file = CreateFileW(wide_path->c_str(), GENERIC_READ | GENERIC_WRITE,
                            FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                            OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE) {
    return make_error(last_error("cannot open the channel " + path));
  }
  LARGE_INTEGER length{};
  if (!GetFileSizeEx(file, &length) || length.QuadPart < 0 ||
      static_cast<std::uint64_t>(length.QuadPart) < min_size) {
    CloseHandle(file);
    return make_error("the channel " + path + " is too small to be one");
  }
  HANDLE mapping = CreateFileMappingW(file, nullptr, PAGE_READWRITE, 0, 0, nullptr);
  CloseHandle(file);
  void* data = mapping != nullptr ? MapViewOfFile(mapping, FILE_MAP_ALL_ACCESS, 0, 0, 0) : nullptr;
  const auto error = last_error("cannot map the channel " + path);
  if (mapping != nullptr) {
    CloseHandle(mapping);
  }
  if (data == nullptr) {
    return make_error(error);
  }
  SharedFile shared;
  shared.data_ = static_cast<std::uint8_t*>(data);
  shared.size_ = static_cast<std::size_t>(length.QuadPart);
  shared.path_ = path;
  return shared;
}

// The file goes when its last handle closes (FILE_FLAG_DELETE_ON_CLOSE): a
// mapped file cannot be deleted by name on Windows.
void SharedFile::remove() {}

void SharedFile::release() {
  if (data_ != nullptr) {
    UnmapViewOfFile(data_);
    data_ = nullptr;
  }
  if (handle_ != 0) {
    CloseHandle(as_handle(handle_));
    handle_ = 0;
  }
}

// --- NoAccessRegion --------------------------------------------------------

namespace {
constexpr std::uint64_t kNoAccessWanted = (std::uint64_t{1} << 32) + 64 * 1024;
constexpr std::size_t kNoAccessSize =
    kNoAccessWanted < SIZE_MAX / 2 ? static_cast<std::size_t>(kNoAccessWanted) : SIZE_MAX / 4;
}  // namespace

Result<NoAccessRegion> NoAccessRegion::reserve() {
  void* data = VirtualAlloc(nullptr, kNoAccessSize, MEM_RESERVE, PAGE_NOACCESS);
  if (data == nullptr) {
    return make_error(last_error("cannot reserve address space"));
  }
  return NoAccessRegion(static_cast<std::uint8_t*>(data), kNoAccessSize);
}

NoAccessRegion::~NoAccessRegion() {
  if (data_ != nullptr) {
    VirtualFree(data_, 0, MEM_RELEASE);
  }
}

bool NoAccessRegion::contains(const void* pointer) const {
  const auto address = reinterpret_cast<std::uintptr_t>(pointer);
  const auto start = reinterpret_cast<std::uintptr_t>(data_);
  return data_ != nullptr && address >= start && address - start < size_;
}

// --- HostProcess -----------------------------------------------------------

struct HostProcess::State {
  HANDLE process = nullptr;
  HANDLE to_host = nullptr;
  HANDLE from_host = nullptr;
  std::optional<HostExit> exit;

  ~State() {
    if (process != nullptr && !exit) {
      TerminateProcess(process, 1);
      WaitForSingleObject(process, INFINITE);
    }
    for (HANDLE handle : {process, to_host, from_host}) {
      if (handle != nullptr) {
        CloseHandle(handle);
      }
    }
  }
};

HostProcess::HostProcess(std::unique_ptr<State> state) : state_(std::move(state)) {}
HostProcess::HostProcess(HostProcess&& other) noexcept = default;
HostProcess& HostProcess::operator=(HostProcess&& other) noexcept = default;
HostProcess::~HostProcess() = default;

Result<HostProcess> HostProcess::spawn(const HostSpawn& spawn) {
  if (spawn.argv.empty() || spawn.argv[0].empty()) {
    return make_error("no host program given");
  }
  std::wstring command_line;
  for (const auto& argument : spawn.argv) {
    auto wide_argument = wide(argument);
    if (!wide_argument) {
      return make_error("a host argument is not UTF-8: " + argument);
    }
    command_line += (command_line.empty() ? L"" : L" ") + quoted(*wide_argument);
  }
  auto environment = environment_block(spawn.environment);
  if (!environment) {
    return environment.error();
  }

  SECURITY_ATTRIBUTES inheritable{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
  HANDLE child_input = nullptr;
  HANDLE to_host = nullptr;
  HANDLE from_host = nullptr;
  HANDLE child_output = nullptr;
  HANDLE child_error = nullptr;
  const HANDLE self = GetCurrentProcess();
  auto close_all = [&] {
    for (HANDLE handle : {child_input, to_host, from_host, child_output, child_error}) {
      if (handle != nullptr) {
        CloseHandle(handle);
      }
    }
  };
  if (!CreatePipe(&child_input, &to_host, &inheritable, 0) ||
      !CreatePipe(&from_host, &child_output, &inheritable, 0) ||
      !SetHandleInformation(to_host, HANDLE_FLAG_INHERIT, 0) ||
      !SetHandleInformation(from_host, HANDLE_FLAG_INHERIT, 0) ||
      !DuplicateHandle(self, GetStdHandle(STD_ERROR_HANDLE), self, &child_error, 0, TRUE,
                       DUPLICATE_SAME_ACCESS)) {
    const auto error = last_error("cannot create the host's pipes");
    close_all();
    return make_error(error);
  }

  STARTUPINFOW startup{};
  startup.cb = sizeof startup;
  startup.dwFlags = STARTF_USESTDHANDLES;
  startup.hStdInput = child_input;
  startup.hStdOutput = child_output;
  startup.hStdError = child_error;
  PROCESS_INFORMATION created{};
  const BOOL started = CreateProcessW(nullptr, command_line.data(), nullptr, nullptr, TRUE,
                                      CREATE_UNICODE_ENVIRONMENT | CREATE_NO_WINDOW,
                                      environment->data(), nullptr, &startup, &created);
  const auto error = last_error("cannot start " + spawn.argv[0]);
  CloseHandle(child_input);
  CloseHandle(child_output);
  CloseHandle(child_error);
  child_input = child_output = child_error = nullptr;
  if (!started) {
    close_all();
    return make_error(error);
  }
  CloseHandle(created.hThread);
  auto state = std::make_unique<State>();
  state->process = created.hProcess;
  state->to_host = to_host;
  state->from_host = from_host;
  return HostProcess(std::move(state));
}

void HostProcess::wake() {
  const std::uint8_t byte = kWakeHost;
  DWORD written = 0;
  WriteFile(state_->to_host, &byte, 1, &written, nullptr);
}

// Anonymous pipes cannot be waited on with a timeout: the pipe is peeked,
// and the process handle waited on in between, a millisecond at a time.
HostSignal HostProcess::wait(std::chrono::milliseconds timeout, std::uint8_t& unexpected_byte) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    DWORD available = 0;
    if (!PeekNamedPipe(state_->from_host, nullptr, 0, nullptr, &available, nullptr)) {
      return HostSignal::closed;
    }
    if (available > 0) {
      std::array<std::uint8_t, 64> bytes{};
      DWORD count = 0;
      if (!ReadFile(state_->from_host, bytes.data(),
                    std::min<DWORD>(available, static_cast<DWORD>(bytes.size())), &count,
                    nullptr)) {
        return HostSignal::closed;
      }
      for (DWORD i = 0; i < count; ++i) {
        if (bytes[i] != kWakeClient) {
          unexpected_byte = bytes[i];
          return HostSignal::unexpected;
        }
      }
      return HostSignal::woken;
    }
    if (WaitForSingleObject(state_->process, 1) == WAIT_OBJECT_0) {
      return HostSignal::closed;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return HostSignal::timed_out;
    }
  }
}

std::optional<HostExit> HostProcess::exited() {
  if (!state_->exit && WaitForSingleObject(state_->process, 0) == WAIT_OBJECT_0) {
    DWORD code = 0;
    GetExitCodeProcess(state_->process, &code);
    state_->exit = describe_exit_code(code);
  }
  return state_->exit;
}

HostExit HostProcess::finish(std::chrono::milliseconds grace) {
  if (!state_->exit) {
    const auto wait = static_cast<DWORD>(std::clamp<std::int64_t>(grace.count(), 0, INFINITE - 1));
    if (WaitForSingleObject(state_->process, wait) != WAIT_OBJECT_0) {
      TerminateProcess(state_->process, 1);
      WaitForSingleObject(state_->process, INFINITE);
      exited();
      state_->exit->description +=
          " (killed: it did not exit within " + std::to_string(grace.count()) + " ms)";
    }
  }
  exited();
  return *state_->exit;
}

// A Windows client hands a Windows host its own paths.
std::string path_for_host(const std::string& path, bool /*windows_host*/) {
  return path;
}

}  // namespace calloutemu::loader::host
