#include "calloutemu/emulator/host_plan.h"

#include <array>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string_view>
#include <utility>

#include "host_platform.h"

namespace calloutemu::emulator {
namespace {

namespace fs = std::filesystem;

bool is_program(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path, error);
}

std::optional<std::string> on_path(std::string_view name) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) {
    return std::nullopt;
  }
  std::string_view rest = path;
  while (true) {
    const auto colon = rest.find(':');
    const auto dir = rest.substr(0, colon);
    if (!dir.empty()) {
      const auto candidate = fs::path(dir) / name;
      if (is_program(candidate)) {
        return candidate.string();
      }
    }
    if (colon == std::string_view::npos) {
      return std::nullopt;
    }
    rest.remove_prefix(colon + 1);
  }
}

std::optional<std::string> find_wine(const HostOptions& host) {
  if (host.wine) {
    return host.wine;
  }
  for (const char* name : {"wine64", "wine"}) {
    if (auto found = on_path(name)) {
      return found;
    }
  }
  return std::nullopt;
}

// Beside calloutemu (an installed tree), then where the build tree puts it.
Result<std::string> find_host_program(const HostOptions& host, bool windows) {
  if (host.program) {
    if (!is_program(*host.program)) {
      return make_error("--callout-host: " + *host.program + ": no such file");
    }
    return *host.program;
  }
  const std::string name = windows ? "callouthost.exe" : "callouthost";
  const auto dir = own_directory();
  std::vector<fs::path> candidates;
  if (dir) {
    candidates.push_back(*dir / name);
    candidates.push_back(windows ? *dir / ".." / "windows" / "loader" / "host" / name
                                 : *dir / ".." / "loader" / "host" / name);
  }
  for (const auto& candidate : candidates) {
    if (is_program(candidate)) {
      return fs::weakly_canonical(candidate).string();
    }
  }
  std::string looked;
  for (const auto& candidate : candidates) {
    looked += (looked.empty() ? "" : ", ") + candidate.lexically_normal().string();
  }
  return make_error(name + " not found (looked for " + (looked.empty() ? "nothing" : looked) +
                    "): give it with --callout-host" +
                    (windows ? "; it is cross-built when MinGW-w64 is installed" : ""));
}

void set_unless_present(loader::HostCommand& command, const char* name, const char* value) {
  if (std::getenv(name) == nullptr) {
    command.environment.emplace_back(name, value);
  }
}

Result<HostPlan> wine_plan(const HostOptions& host) {
  HostPlan plan;
  plan.mode = HostMode::wine;
  if (host.wine && !is_program(*host.wine)) {
    return make_error("--wine: " + *host.wine + ": no such file");
  }
  const auto wine = find_wine(host);
  if (!wine) {
    return make_error(
        "--host wine: Wine not found (neither wine64 nor wine is on the PATH): "
        "install it or give it with --wine");
  }
  auto program = find_host_program(host, true);
  if (!program) {
    return program.error();
  }
  plan.command.argv = {*wine, *program};
  plan.command.windows_host = true;
  plan.command.label = "callout host (Wine)";
  if (host.wineprefix) {
    plan.command.environment.emplace_back("WINEPREFIX", *host.wineprefix);
  }
  // Quiet, and no Mono or Gecko installer prompt when the prefix is new.
  set_unless_present(plan.command, "WINEDEBUG", "-all");
  set_unless_present(plan.command, "WINEDLLOVERRIDES", "mscoree,mshtml=");
  return plan;
}

Result<HostPlan> process_plan(const HostOptions& host) {
  HostPlan plan;
  plan.mode = HostMode::process;
  auto program = find_host_program(host, false);
  if (!program) {
    return program.error();
  }
  plan.command.argv = {*program};
  plan.command.label = "callout host";
  return plan;
}

}  // namespace

bool is_windows_pe_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::array<unsigned char, 64> dos{};
  if (!in.read(reinterpret_cast<char*>(dos.data()), dos.size()) || dos[0] != 'M' || dos[1] != 'Z') {
    return false;
  }
  const std::uint32_t pe_offset =
      static_cast<std::uint32_t>(dos[0x3C]) | static_cast<std::uint32_t>(dos[0x3D]) << 8 |
      static_cast<std::uint32_t>(dos[0x3E]) << 16 | static_cast<std::uint32_t>(dos[0x3F]) << 24;
  std::array<char, 4> signature{};
  in.seekg(pe_offset);
  return in.read(signature.data(), signature.size()) &&
         std::string_view(signature.data(), signature.size()) == std::string_view("PE\0\0", 4);
}

std::string HostPlan::describe() const {
  switch (mode) {
    case HostMode::process:
      return "native callout host " + command.argv.at(0);
    case HostMode::wine:
      return command.argv.at(1) + " under Wine (" + command.argv.at(0) + ")";
    default:
      return "in-process";
  }
}

namespace {

Result<HostPlan> plan_host_program(const Options& options, const std::vector<std::string>& dlls,
                                   bool registry) {
  const HostOptions& host = options.host;
  switch (host.mode) {
    case HostMode::inproc:
      return HostPlan{};
    case HostMode::process:
      return process_plan(host);
    case HostMode::wine:
      return wine_plan(host);
    case HostMode::automatic:
      break;
  }
  if (loads_windows_dlls()) {
    return HostPlan{};
  }
  std::string why;
  if (registry) {
    why = "--registry on a build without a Windows registry";
  }
  for (const auto& dll : dlls) {
    if (why.empty() && is_windows_pe_file(dll)) {
      why = dll + " is a Windows PE DLL";
    }
  }
  if (why.empty()) {
    return HostPlan{};
  }
  if (!find_wine(host)) {
    HostPlan plan;
    plan.warning = why + ", and Wine is not installed: it is loaded in-process, where it " +
                   "cannot load (install Wine, or see --host)";
    return plan;
  }
  auto plan = wine_plan(host);
  if (plan) {
    plan->why = why;
  }
  return plan;
}

// The debugging options go to the host, where the callout runs.
Result<HostPlan> with_debugging(Result<HostPlan> plan, const DiagnosticOptions& diagnostics) {
  if (plan && plan->hosted()) {
    if (diagnostics.wait_for_debugger) {
      plan->command.argv.emplace_back("--wait-for-debugger");
    }
    if (diagnostics.break_always) {
      plan->command.argv.emplace_back("--break-always");
    }
  }
  return plan;
}

}  // namespace

Result<HostPlan> plan_host(const Options& options, const std::vector<std::string>& dlls,
                           bool registry) {
  return with_debugging(plan_host_program(options, dlls, registry), options.diagnostics);
}

}  // namespace calloutemu::emulator
