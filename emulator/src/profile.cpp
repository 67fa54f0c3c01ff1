#include "calloutemu/emulator/profile.h"

namespace calloutemu::emulator {

std::optional<Profile> parse_profile(std::string_view text) {
  if (text == "documented") {
    return Profile::documented;
  }
  if (text == "legacy") {
    return Profile::legacy;
  }
  return std::nullopt;
}

std::string_view to_string(Profile profile) {
  return profile == Profile::documented ? "documented" : "legacy";
}

loader::LoadOrder default_load_order(Profile profile) {
  return profile == Profile::documented ? loader::LoadOrder::alphabetical
                                        : loader::LoadOrder::listed;
}

}  // namespace calloutemu::emulator
