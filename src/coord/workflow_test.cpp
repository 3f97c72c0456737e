#include "coord/workflow.h"

#include <gtest/gtest.h>

namespace kz::coord {

namespace {

// Plays a sequence of actions from `new`, returning the states visited.
std::vector<std::string> play(std::initializer_list<Action> actions) {
  std::vector<std::string> states{"new"};
  SiteState s = SiteState::kNew;
  for (Action a : actions) {
    auto next = apply(s, a);
    EXPECT_TRUE(next) << next.error().message;
    if (!next) break;
    s = *next;
    states.emplace_back(to_string(s));
  }
  return states;
}

}  // namespace

TEST(Workflow, TypicalTakedown) {  // domain.md case 1
  EXPECT_EQ(play({Action::kNotify, Action::kReply, Action::kTakedownReported, Action::kVerifyDown,
                  Action::kClose}),
            (std::vector<std::string>{"new", "notified", "replied", "takedown_reported",
                                      "down_verified", "closed"}));
}

TEST(Workflow, RevivalIsRenotifiedAndClosedAgain) {  // domain.md case 2
  EXPECT_EQ(play({Action::kNotify, Action::kTakedownReported, Action::kVerifyDown, Action::kClose,
                  Action::kRevive, Action::kRenotify, Action::kVerifyDown, Action::kClose}),
            (std::vector<std::string>{"new", "notified", "takedown_reported", "down_verified",
                                      "closed", "revived", "notified", "down_verified", "closed"}));
}

TEST(Workflow, NoResponseIsRemindedThenEscalated) {
  EXPECT_EQ(play({Action::kNotify, Action::kRemind, Action::kEscalate, Action::kVerifyDown,
                  Action::kClose}),
            (std::vector<std::string>{"new", "notified", "reminded", "escalated", "down_verified",
                                      "closed"}));
}

TEST(Workflow, NonsenseIsRefusedWithWhatIsPossible) {
  auto r = apply(SiteState::kNew, Action::kTakedownReported);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("state new cannot take the action takedown-reported"),
            std::string::npos);
  EXPECT_NE(r.error().message.find("possible: notify, verify-down"), std::string::npos);
  EXPECT_FALSE(apply(SiteState::kClosed, Action::kClose)) << "closing twice";
  EXPECT_FALSE(apply(SiteState::kNotified, Action::kClose))
      << "closing before the takedown is verified";
  EXPECT_FALSE(apply(SiteState::kNew, Action::kRemind));
}

TEST(Workflow, ASiteAlreadyGoneWhenReportedIsVerifiedWithoutANotice) {
  // Case 5 of domain.md: of 11 reported sites 6 were already down at the first check.
  EXPECT_EQ(play({Action::kVerifyDown, Action::kClose}),
            (std::vector<std::string>{"new", "down_verified", "closed"}));
}

TEST(Workflow, NamesRoundTrip) {
  for (int i = 0; i <= static_cast<int>(SiteState::kEscalated); ++i) {
    const auto s = static_cast<SiteState>(i);
    EXPECT_EQ(parse_site_state(to_string(s)), s);
  }
  for (int i = 0; i <= static_cast<int>(Action::kEscalate); ++i) {
    const auto a = static_cast<Action>(i);
    EXPECT_EQ(parse_action(to_string(a)), a);
  }
  EXPECT_FALSE(parse_action("explode"));
}

}  // namespace kz::coord
