#include "run_program.h"

#include <windows.h>

#include <algorithm>
#include <array>
#include <cwctype>
#include <map>
#include <thread>
#include <vector>

#include "wide_text.h"

namespace calloutemu::test {
namespace {

class Handle {
 public:
  Handle() = default;
  explicit Handle(HANDLE handle) : handle_(handle) {}
  ~Handle() { reset(); }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  HANDLE get() const { return handle_; }
  HANDLE* out() {
    reset();
    return &handle_;
  }
  void reset() {
    if (handle_ != nullptr && handle_ != INVALID_HANDLE_VALUE) {
      CloseHandle(handle_);
    }
    handle_ = nullptr;
  }

 private:
  HANDLE handle_ = nullptr;
};

// One argument as the C runtime's command-line parser reads it back.
std::wstring quote_argument(const std::wstring& arg) {
  if (!arg.empty() && arg.find_first_of(L" \t\n\v\"") == std::wstring::npos) {
    return arg;
  }
  std::wstring quoted = L"\"";
  std::size_t backslashes = 0;
  for (wchar_t c : arg) {
    if (c == L'\\') {
      ++backslashes;
      continue;
    }
    // Backslashes are literal unless a quote follows them.
    quoted.append(c == L'"' ? backslashes * 2 + 1 : backslashes, L'\\');
    backslashes = 0;
    quoted.push_back(c);
  }
  quoted.append(backslashes * 2, L'\\');
  quoted.push_back(L'"');
  return quoted;
}

struct NameLess {
  bool operator()(const std::wstring& a, const std::wstring& b) const {
    return std::lexicographical_compare(
        a.begin(), a.end(), b.begin(), b.end(),
        [](wchar_t x, wchar_t y) { return std::towupper(x) < std::towupper(y); });
  }
};

// The inherited environment with `overrides` on top, as CreateProcessW takes
// it: sorted NAME=value strings, each NUL-terminated, and a final NUL.
std::wstring environment_block(const std::map<std::string, std::string>& overrides) {
  std::map<std::wstring, std::wstring, NameLess> variables;
  wchar_t* inherited = GetEnvironmentStringsW();
  for (const wchar_t* entry = inherited; entry != nullptr && *entry != L'\0';
       entry += wcslen(entry) + 1) {
    const std::wstring text(entry);
    // Names start after position 0: "=C:=C:\dir" is a variable named "=C:".
    const std::size_t equals = text.find(L'=', 1);
    if (equals != std::wstring::npos) {
      variables[text.substr(0, equals)] = text.substr(equals + 1);
    }
  }
  FreeEnvironmentStringsW(inherited);
  for (const auto& [name, value] : overrides) {
    variables[widen(name)] = widen(value);
  }
  std::wstring block;
  for (const auto& [name, value] : variables) {
    block += name + L"=" + value;
    block.push_back(L'\0');
  }
  block.push_back(L'\0');
  return block;
}

void drain(HANDLE pipe, std::string& into) {
  std::array<char, 4096> chunk{};
  DWORD got = 0;
  while (ReadFile(pipe, chunk.data(), static_cast<DWORD>(chunk.size()), &got, nullptr) && got > 0) {
    into.append(chunk.data(), got);
  }
}

}  // namespace

ProgramRun run_program(const std::vector<std::string>& args, const RunOptions& options) {
  ProgramRun run;
  if (args.empty()) {
    run.exit_code = 127;
    run.err = "no program";
    return run;
  }
  SECURITY_ATTRIBUTES inheritable{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
  Handle out_read;
  Handle out_write;
  Handle err_read;
  Handle err_write;
  Handle null_in(CreateFileW(L"NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, &inheritable,
                             OPEN_EXISTING, 0, nullptr));
  if (!CreatePipe(out_read.out(), out_write.out(), &inheritable, 0) ||
      !CreatePipe(err_read.out(), err_write.out(), &inheritable, 0) ||
      null_in.get() == INVALID_HANDLE_VALUE) {
    run.exit_code = 127;
    run.err = "no pipe";
    return run;
  }
  SetHandleInformation(out_read.get(), HANDLE_FLAG_INHERIT, 0);
  SetHandleInformation(err_read.get(), HANDLE_FLAG_INHERIT, 0);

  // Only these three handles go to the child, so that a program run at the
  // same time on another thread cannot hold our pipes open.
  std::array<HANDLE, 3> inherited{null_in.get(), out_write.get(), err_write.get()};
  SIZE_T attributes_size = 0;
  InitializeProcThreadAttributeList(nullptr, 1, 0, &attributes_size);
  std::vector<unsigned char> attributes_storage(attributes_size);
  auto* attributes = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(attributes_storage.data());
  if (!InitializeProcThreadAttributeList(attributes, 1, 0, &attributes_size) ||
      !UpdateProcThreadAttribute(attributes, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, inherited.data(),
                                 sizeof inherited, nullptr, nullptr)) {
    run.exit_code = 127;
    run.err = "no process attribute list";
    return run;
  }

  STARTUPINFOEXW startup{};
  startup.StartupInfo.cb = sizeof startup;
  startup.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
  startup.StartupInfo.hStdInput = null_in.get();
  startup.StartupInfo.hStdOutput = out_write.get();
  startup.StartupInfo.hStdError = err_write.get();
  startup.lpAttributeList = attributes;

  std::wstring command_line;
  for (const auto& arg : args) {
    if (!command_line.empty()) {
      command_line.push_back(L' ');
    }
    command_line += quote_argument(widen(arg));
  }
  std::wstring environment = environment_block(options.env);
  const std::wstring program = widen(args[0]);
  const std::wstring cwd = options.cwd.empty() ? std::wstring() : options.cwd.wstring();

  PROCESS_INFORMATION process{};
  const BOOL created = CreateProcessW(
      program.c_str(), command_line.data(), nullptr, nullptr, TRUE,
      CREATE_UNICODE_ENVIRONMENT | EXTENDED_STARTUPINFO_PRESENT | CREATE_NO_WINDOW,
      environment.data(), cwd.empty() ? nullptr : cwd.c_str(), &startup.StartupInfo, &process);
  const DWORD create_error = GetLastError();
  DeleteProcThreadAttributeList(attributes);
  out_write.reset();
  err_write.reset();
  null_in.reset();
  if (!created) {
    run.exit_code = 127;
    run.err = "cannot run " + args[0] + ": error " + std::to_string(create_error);
    return run;
  }
  Handle process_handle(process.hProcess);
  Handle thread_handle(process.hThread);

  std::thread err_reader([&] { drain(err_read.get(), run.err); });
  drain(out_read.get(), run.out);
  err_reader.join();
  WaitForSingleObject(process_handle.get(), INFINITE);
  DWORD exit_code = 0;
  GetExitCodeProcess(process_handle.get(), &exit_code);
  // An exception that ends the program gives its code, 0xC0000005 and such.
  run.exit_code = static_cast<int>(exit_code);
  return run;
}

}  // namespace calloutemu::test
