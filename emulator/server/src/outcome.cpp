#include "calloutemu/server/outcome.h"

namespace calloutemu::server {

std::string_view to_string(DecisionSource source) {
  switch (source) {
    case DecisionSource::none:
      return "none";
    case DecisionSource::model:
      return "model";
    case DecisionSource::capture:
      return "capture";
  }
  return "unknown";
}

void RequestOutcome::reset(const Request& captured) {
  number = captured.number;
  origin = captured.origin;
  request = &captured;
  message_type.reset();
  bootp = false;
  source = DecisionSource::none;
  dropped_by_callout = false;
  drop_reasons.clear();
  responded = false;
  response_type.reset();
  packet_replaced = false;
  response_replaced = false;
  faults = 0;
  findings.clear();
}

}  // namespace calloutemu::server
