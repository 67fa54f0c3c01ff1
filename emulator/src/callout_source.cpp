#include "calloutemu/emulator/callout_source.h"

#include <string>
#include <vector>

#include "calloutemu/loader/reg_file.h"
#include "calloutemu/loader/registry.h"

namespace calloutemu::emulator {

Result<loader::CalloutConfig> read_callout_config(const Options& options) {
  std::vector<std::string> given;
  if (!options.dlls.empty()) {
    given.emplace_back("--dlls");
  }
  if (options.reg_file) {
    given.emplace_back("--reg-file");
  }
  if (options.registry) {
    given.emplace_back("--registry");
  }
  if (given.empty()) {
    return make_error("no callout DLLs given: use --dlls, --reg-file or --registry (see --help)");
  }
  if (given.size() > 1) {
    return make_error("give one DLL list, not " + given[0] + " and " + given[1]);
  }

  if (!options.dlls.empty()) {
    auto names = loader::parse_dll_list(options.dlls);
    if (!names) {
      return names.error();
    }
    loader::CalloutConfig config;
    config.source = "--dlls";
    config.dlls = std::move(names).value();
    return config;
  }
  if (options.reg_file) {
    return loader::read_reg_file(*options.reg_file);
  }
  if (!loader::registry_available()) {
    return make_error(
        "--registry: this build has no Windows registry; use --reg-file with a regedit export");
  }
  return loader::read_callout_registry();
}

}  // namespace calloutemu::emulator
