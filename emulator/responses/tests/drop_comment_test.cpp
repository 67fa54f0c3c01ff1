// The comment each dropped request gets in --write-dropped.
#include <gtest/gtest.h>

#include "calloutemu/responses/capture_outputs.h"

namespace calloutemu::responses {
namespace {

server::RequestOutcome outcome(std::uint64_t number, std::vector<DWORD> reasons,
                               bool by_callout = false) {
  server::RequestOutcome result;
  result.number = number;
  result.drop_reasons = std::move(reasons);
  result.dropped_by_callout = by_callout;
  return result;
}

TEST(DroppedComment, NamesTheReasonAndItsNumber) {
  EXPECT_EQ(dropped_comment(outcome(12, {DHCP_DROP_DUPLICATE})),
            "request 12: dropped: DUPLICATE (1)");
  EXPECT_EQ(dropped_comment(outcome(3, {DHCP_DROP_NOADDRESS, DHCP_DROP_GEN_FAILURE})),
            "request 3: dropped: NOADDRESS (10), GEN_FAILURE (256)");
  EXPECT_EQ(dropped_comment(outcome(4, {0x77})), "request 4: dropped: unknown (119)");
}

TEST(DroppedComment, SaysWhenTheCalloutDroppedIt) {
  EXPECT_EQ(dropped_comment(outcome(7, {}, true)),
            "request 7: dropped by the callout (NewPkt set ProcessIt to FALSE)");
  EXPECT_EQ(dropped_comment(outcome(8, {DHCP_DROP_INVALID}, true)),
            "request 8: dropped by the callout (NewPkt set ProcessIt to FALSE); dropped: "
            "INVALID (8)");
}

TEST(IsDropped, AReasonOrTheCallout) {
  EXPECT_FALSE(is_dropped(outcome(1, {})));
  EXPECT_TRUE(is_dropped(outcome(1, {DHCP_DROP_PAUSED})));
  EXPECT_TRUE(is_dropped(outcome(1, {}, true)));
}

}  // namespace
}  // namespace calloutemu::responses
