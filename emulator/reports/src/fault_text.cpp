#include "calloutemu/reports/fault_text.h"

namespace calloutemu::reports {

std::string fault_summary(const loader::Fault& fault) {
  if (fault.location.empty()) {
    return fault.description;
  }
  return fault.description + " at " + fault.location;
}

std::string fault_backtrace_lines(const loader::Fault& fault) {
  std::string text;
  for (std::size_t i = 0; i < fault.backtrace.size(); ++i) {
    text += "\n    #" + std::to_string(i) + ' ' + fault.backtrace[i];
  }
  return text;
}

}  // namespace calloutemu::reports
