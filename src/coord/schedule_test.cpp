#include "coord/schedule.h"

#include <gtest/gtest.h>

namespace kz::coord {

namespace {

using std::chrono::hours;
using std::chrono::minutes;

const Time kNow = Time{std::chrono::seconds{1208221200}};  // 2008-04-15T01:00:00Z

CheckPolicy policy() {
  CheckPolicy p;
  p.downs_to_verify = 2;
  p.check_interval = hours(1);
  p.confirm_interval = minutes(10);
  p.watch_schedule = {hours(1), hours(24), hours(72)};
  p.close_when_verified = true;
  return p;
}

store::SiteRecord notified() {
  store::SiteRecord s;
  s.id = 7;
  s.state = store::SiteState::kNotified;
  return s;
}

CheckVerdict verdict(const char* v, const char* fingerprint = "") {
  CheckVerdict c;
  c.site = 7;
  c.verdict = *store::parse_check_outcome(v);
  c.reason = std::string("because ") + v;
  c.fingerprint = fingerprint;
  return c;
}

}  // namespace

TEST(AfterCheck, ALivePageBecomesTheReferenceAndIsCheckedAgainInAnHour) {
  const auto a = decide_after_check(notified(), verdict("live", "fp1"), policy(), kNow);
  EXPECT_TRUE(a.actions.empty());
  EXPECT_EQ(a.reference_fingerprint, "fp1");
  EXPECT_EQ(a.next_check_at, kNow + hours(1));
}

TEST(AfterCheck, AFirstDownIsConfirmedSoonTheSecondVerifiesAndCloses) {
  store::SiteRecord s = notified();
  const auto first = decide_after_check(s, verdict("down"), policy(), kNow);
  EXPECT_TRUE(first.actions.empty());
  EXPECT_EQ(first.down_streak, 1);
  EXPECT_EQ(first.next_check_at, kNow + minutes(10));
  s.down_streak = first.down_streak;
  const auto second = decide_after_check(s, verdict("down"), policy(), kNow + minutes(10));
  ASSERT_EQ(second.actions.size(), 2u);
  EXPECT_EQ(second.actions[0].first, "verify-down");
  EXPECT_EQ(second.actions[0].second, "because down (2 checks)");
  EXPECT_EQ(second.actions[1].first, "close");
  EXPECT_EQ(second.down_verified_at, kNow + minutes(10));
  EXPECT_EQ(second.next_check_at, kNow + minutes(10) + hours(1)) << "the first watch check";
  EXPECT_EQ(second.watch_step, 0);
}

TEST(AfterCheck, AnInconclusiveResultNeitherCountsNorResets) {
  store::SiteRecord s = notified();
  s.down_streak = 1;
  const auto a = decide_after_check(s, verdict("unknown"), policy(), kNow);
  EXPECT_EQ(a.down_streak, 1);
  EXPECT_FALSE(a.refused);
  EXPECT_EQ(a.next_check_at, kNow + hours(1));
  EXPECT_TRUE(decide_after_check(s, verdict("blocked"), policy(), kNow).refused);
}

TEST(AfterCheck, AWatchedTakedownFollowsTheScheduleAndARevivalReopens) {
  store::SiteRecord s = notified();
  s.state = store::SiteState::kClosed;
  s.down_verified_at = kNow;
  s.watch_step = 0;
  const auto down = decide_after_check(s, verdict("down"), policy(), kNow + hours(1));
  EXPECT_EQ(down.watch_step, 1);
  EXPECT_EQ(down.next_check_at, kNow + hours(24)) << "counted from the verified time";
  s.watch_step = 2;
  EXPECT_FALSE(decide_after_check(s, verdict("down"), policy(), kNow + hours(72)).next_check_at)
      << "the watch is over";
  s.watch_step = 1;
  const auto live = decide_after_check(s, verdict("live"), policy(), kNow + hours(24));
  ASSERT_EQ(live.actions.size(), 1u);
  EXPECT_EQ(live.actions[0].first, "revive");
  EXPECT_EQ(live.revivals, 1);
  EXPECT_FALSE(live.down_verified_at);
  EXPECT_TRUE(live.reporter_hears_again);
  EXPECT_EQ(live.next_check_at, kNow + hours(25));
}

}  // namespace kz::coord
