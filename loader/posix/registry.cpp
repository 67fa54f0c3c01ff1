#include "calloutemu/loader/registry.h"

namespace calloutemu::loader {

bool registry_available() {
  return false;
}

Result<CalloutConfig> read_callout_registry() {
  return make_error(
      "this build has no Windows registry: use --reg-file with a regedit export, or a Windows "
      "build");
}

}  // namespace calloutemu::loader
