#include "calloutemu/loader/hook_table.h"
#include "calloutemu/responses/capture_outputs.h"

namespace calloutemu::responses {

bool is_dropped(const server::RequestOutcome& outcome) {
  return outcome.dropped_by_callout || !outcome.drop_reasons.empty();
}

std::string dropped_comment(const server::RequestOutcome& outcome) {
  std::string comment = "request " + std::to_string(outcome.number) + ":";
  if (outcome.dropped_by_callout) {
    comment += " dropped by the callout (NewPkt set ProcessIt to FALSE)";
  }
  if (!outcome.drop_reasons.empty()) {
    comment += outcome.dropped_by_callout ? "; dropped:" : " dropped:";
    const char* separator = " ";
    for (DWORD reason : outcome.drop_reasons) {
      comment += separator;
      comment += loader::drop_code_name(reason);
      comment += " (" + std::to_string(reason) + ")";
      separator = ", ";
    }
  }
  return comment;
}

}  // namespace calloutemu::responses
