#include "calloutemu/server/settings.h"

namespace calloutemu::server {

std::string_view to_string(DecisionMode mode) {
  switch (mode) {
    case DecisionMode::model:
      return "model";
    case DecisionMode::capture:
      return "capture";
    case DecisionMode::automatic:
      return "auto";
  }
  return "unknown";
}

std::optional<DecisionMode> parse_decision_mode(std::string_view text) {
  if (text == "model") {
    return DecisionMode::model;
  }
  if (text == "capture") {
    return DecisionMode::capture;
  }
  if (text == "auto") {
    return DecisionMode::automatic;
  }
  return std::nullopt;
}

}  // namespace calloutemu::server
