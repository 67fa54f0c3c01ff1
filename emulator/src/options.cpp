#include "calloutemu/emulator/options.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include <boost/program_options.hpp>

#include "calloutemu/emulator/version.h"
#include "diagnostic_options.h"
#include "option_origin.h"
#include "replay_options.h"

namespace calloutemu::emulator {
namespace po = boost::program_options;
namespace {

constexpr const char* kUsage =
    "Usage: calloutemu [options]\n"
    "Loads a Microsoft DHCP Server callout DLL chain as the server does.\n"
    "With --pcap, replays the captured DHCP requests through the chain's hooks\n"
    "in the server's order and reports what happened. With no capture, it loads\n"
    "the chain, sends START then STOP, prints which DLL was loaded and its hook\n"
    "table, and exits.\n";

constexpr const char* kExitCodes =
    "Exit codes: 0 ok; 1 bad usage, config or input file; 2 callouts listed but\n"
    "none could be loaded; 3 a hook crashed or threw; 4 the run differs from the\n"
    "--expect trace.\n";

struct Descriptions {
  po::options_description command_line_only{"General"};
  po::options_description shared{"Callout DLLs (also accepted in the --config file)"};
  po::options_description replay{"Replay (also accepted in the --config file)"};
  po::options_description results{"Results (also accepted in the --config file)"};
  po::options_description host{"Callout host (also accepted in the --config file)"};
  po::options_description logging{"Logging (also accepted in the --config file)"};
  po::options_description diagnostics{
      "Checks and debugging, beyond the real server (also accepted in the --config file)"};
};

void describe(Descriptions& d) {
  d.command_line_only.add_options()("help,h", "show this help and exit")(
      "version", "show the version and exit")(
      "config,c", po::value<std::string>()->value_name("FILE"),
      "read options from FILE (name = value lines; the command line wins)");
  d.shared.add_options()("dlls", po::value<std::vector<std::string>>()->value_name("A,B,..."),
                         "callout DLLs, as CalloutDlls would list them (repeatable)")(
      "reg-file", po::value<std::string>()->value_name("FILE"),
      "read CalloutDlls and CalloutEnabled from a regedit export (.reg)")(
      "registry", po::bool_switch(), "read them from the real registry key (Windows builds)")(
      "profile", po::value<std::string>()->value_name("NAME")->default_value("documented"),
      "fidelity profile: documented or legacy")("load-order",
                                                po::value<std::string>()->value_name("ORDER"),
                                                "alphabetical or listed (default: the profile's)");
  d.host.add_options()("host", po::value<std::string>()->value_name("MODE"),
                       "where the chain runs: inproc, process or wine (default: wine for "
                       "Windows PE DLLs when Wine is installed, else inproc)")(
      "callout-host", po::value<std::string>()->value_name("PATH"),
      "the callout host program (default: callouthost or callouthost.exe beside calloutemu)")(
      "wine", po::value<std::string>()->value_name("PATH"),
      "the Wine program for --host wine (default: wine64, then wine, on the PATH)")(
      "wineprefix", po::value<std::string>()->value_name("DIR"),
      "WINEPREFIX for the Wine host (default: the environment's, else Wine's own)");
  d.replay.add_options()("pcap", po::value<std::vector<std::string>>()->value_name("FILE"),
                         "replay this pcap or pcapng capture (repeatable, read in order)")(
      "filter", po::value<std::string>()->value_name("EXPR"),
      "BPF filter applied to the captures first (default: none)")(
      "scope", po::value<std::vector<std::string>>()->value_name("CIDR"),
      "serve this subnet: all of it, server address = its first host (repeatable)")(
      "decisions", po::value<std::string>()->value_name("MODE"),
      "who answers requests: model, capture or auto (default auto)")(
      "duplicate-window", po::value<std::string>()->value_name("SECONDS"),
      "same xid and client again within this capture time: DUPLICATE (default 2)")(
      "reply-window", po::value<std::string>()->value_name("SECONDS"),
      "how far after a request its captured reply is looked for (default 2)")(
      "inject", po::value<std::vector<std::string>>()->value_name("CODE@N"),
      "fail request N with NOMEM, INTERNAL_ERROR, TIMEOUT or GEN_FAILURE (repeatable)")(
      "pause-at", po::value<std::vector<std::string>>()->value_name("N"),
      "send PAUSE before request N (repeatable)")(
      "continue-at", po::value<std::vector<std::string>>()->value_name("N"),
      "send CONTINUE before request N (repeatable)")(
      "delete-client", po::value<std::vector<std::string>>()->value_name("MAC@N"),
      "delete the client's lease before request N, as an administrator (repeatable)");
  d.results.add_options()("trace", po::value<std::string>()->value_name("FILE"),
                          "write every hook call as JSON Lines to FILE ('-': stdout)")(
      "expect", po::value<std::string>()->value_name("FILE"),
      "compare the run with this trace; a difference exits 4")(
      "expect-update", po::bool_switch(), "rewrite the --expect file with this run's trace")(
      "junit", po::value<std::string>()->value_name("FILE"),
      "write JUnit XML: one test case per request")(
      "write-pcap", po::value<std::string>()->value_name("FILE"),
      "write the responses the server sends, as PktSend left them (pcap)")(
      "write-dropped", po::value<std::string>()->value_name("FILE"),
      "write the dropped requests, each with its reason as a comment (pcapng)")(
      "summary-json", po::value<std::string>()->value_name("FILE"),
      "write the end-of-run summary as JSON")("no-progress", po::bool_switch(),
                                              "no progress bar, even on a terminal");
  d.logging.add_options()("verbose,v", po::bool_switch(), "log debug messages too")(
      "quiet,q", po::bool_switch(), "log errors only")(
      "log-level", po::value<std::string>()->value_name("LEVEL"),
      "trace, debug, info, warning, error or off (default info)");
  describe_diagnostic_options(d.diagnostics);
}

Result<std::optional<std::string>> read_config_text(const po::variables_map& values) {
  if (!values.count("config")) {
    return std::optional<std::string>();
  }
  const auto& path = values["config"].as<std::string>();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return make_error(path + ": cannot read: " + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return std::optional<std::string>(text.str());
}

Result<spdlog::level::level_enum> parse_log_level(const po::variables_map& values,
                                                  const OptionOrigin& origin) {
  if (values.count("log-level")) {
    const auto& text = values["log-level"].as<std::string>();
    if (text == "warn") {
      return spdlog::level::warn;
    }
    const auto level = spdlog::level::from_str(text);
    if (level == spdlog::level::off && text != "off") {
      return make_error(origin("log-level") + ": '" + text +
                        "' is not trace, debug, info, warning, error or off");
    }
    return level;
  }
  if (values["verbose"].as<bool>() && values["quiet"].as<bool>()) {
    return make_error("-v and -q cannot be used together");
  }
  if (values["verbose"].as<bool>()) {
    return spdlog::level::debug;
  }
  if (values["quiet"].as<bool>()) {
    return spdlog::level::err;
  }
  return spdlog::level::info;
}

std::optional<HostMode> parse_host_mode(const std::string& text) {
  if (text == "inproc") {
    return HostMode::inproc;
  }
  if (text == "process") {
    return HostMode::process;
  }
  if (text == "wine") {
    return HostMode::wine;
  }
  return std::nullopt;
}

Result<Options> to_options(const po::variables_map& values, const OptionOrigin& origin) {
  Options options;
  if (values.count("dlls")) {
    options.dlls = values["dlls"].as<std::vector<std::string>>();
  }
  if (values.count("reg-file")) {
    options.reg_file = values["reg-file"].as<std::string>();
  }
  options.registry = values["registry"].as<bool>();

  const auto& profile = values["profile"].as<std::string>();
  const auto parsed_profile = parse_profile(profile);
  if (!parsed_profile) {
    return make_error(origin("profile") + ": '" + profile + "' is not documented or legacy");
  }
  options.profile = *parsed_profile;
  if (values.count("load-order")) {
    const auto& order = values["load-order"].as<std::string>();
    options.load_order = loader::parse_load_order(order);
    if (!options.load_order) {
      return make_error(origin("load-order") + ": '" + order + "' is not alphabetical or listed");
    }
  }
  if (values.count("host")) {
    const auto& mode = values["host"].as<std::string>();
    const auto parsed = parse_host_mode(mode);
    if (!parsed) {
      return make_error(origin("host") + ": '" + mode + "' is not inproc, process or wine");
    }
    options.host.mode = *parsed;
  }
  for (auto [name, field] :
       {std::pair{"callout-host", &options.host.program}, std::pair{"wine", &options.host.wine},
        std::pair{"wineprefix", &options.host.wineprefix}}) {
    if (values.count(name)) {
      *field = values[name].as<std::string>();
      if (field->value().empty()) {
        return make_error(origin(name) + ": an empty path");
      }
    }
  }
  if (options.host.mode == HostMode::inproc &&
      (options.host.program || options.host.wine || options.host.wineprefix)) {
    return make_error(
        "--host inproc runs no callout host: --callout-host, --wine and "
        "--wineprefix do not apply");
  }
  auto level = parse_log_level(values, origin);
  if (!level) {
    return level.error();
  }
  options.log_level = *level;
  return options;
}

}  // namespace

Result<Invocation> parse_command_line(int argc, const char* const argv[]) {
  Descriptions d;
  describe(d);
  po::options_description everything;
  everything.add(d.command_line_only)
      .add(d.shared)
      .add(d.host)
      .add(d.replay)
      .add(d.results)
      .add(d.diagnostics)
      .add(d.logging);
  po::options_description in_config_file;
  in_config_file.add(d.shared)
      .add(d.host)
      .add(d.replay)
      .add(d.results)
      .add(d.diagnostics)
      .add(d.logging);

  po::variables_map values;
  try {
    po::store(po::command_line_parser(argc, argv).options(everything).run(), values);
  } catch (const po::error& error) {
    return make_error(error.what());
  }

  Invocation invocation;
  if (values.count("help")) {
    std::ostringstream text;
    text << kUsage << '\n' << everything << '\n' << kExitCodes;
    invocation.action = Invocation::Action::help;
    invocation.text = text.str();
    return invocation;
  }
  if (values.count("version")) {
    invocation.action = Invocation::Action::version;
    invocation.text = std::string("calloutemu ") + kVersion + '\n';
    return invocation;
  }

  const po::variables_map command_line = values;
  auto config_text = read_config_text(values);
  if (!config_text) {
    return config_text.error();
  }
  const std::string config_path = values.count("config") ? values["config"].as<std::string>() : "";
  scopes::ServerConfig server_config;
  if (*config_text) {
    const auto& path = config_path;
    auto sections = scopes::read_config_sections(**config_text, path);
    if (!sections) {
      return sections.error();
    }
    server_config = std::move(sections->server);
    std::istringstream stream(sections->options_text);
    try {
      po::store(po::parse_config_file(stream, in_config_file), values);
    } catch (const po::error& error) {
      return make_error(path + ": " + error.what());
    }
  }
  try {
    po::notify(values);
  } catch (const po::error& error) {
    return make_error(error.what());
  }

  const OptionOrigin origin(command_line, config_path);
  auto options = to_options(values, origin);
  if (!options) {
    return options.error();
  }
  options->replay.server = std::move(server_config);
  if (auto replay = read_replay_options(values, origin, options->replay); !replay) {
    return replay.error();
  }
  if (auto diagnostics = read_diagnostic_options(values, origin, options->diagnostics);
      !diagnostics) {
    return diagnostics.error();
  }
  const bool quiet = options->log_level >= spdlog::level::err;
  if (auto results = read_result_options(values, origin, quiet, *options); !results) {
    return results.error();
  }
  invocation.options = std::move(options).value();
  return invocation;
}

}  // namespace calloutemu::emulator
