#include "coord/scorecard.h"

#include <gtest/gtest.h>

namespace kz::coord {

namespace {

Time at(const char* iso) { return *parse_iso8601(iso, TimeZone("Asia/Tokyo")); }

store::SiteRecord site(store::Id id, const char* org, const char* notified, const char* down,
                       int revivals = 0, const char* replied = nullptr) {
  store::SiteRecord s;
  s.id = id;
  s.org = org;
  s.first_notified_at = at(notified);
  if (down) s.down_verified_at = at(down);
  if (replied) s.replied_at = at(replied);
  s.revivals = revivals;
  return s;
}

store::NoticeRecord notice(store::Id id, const char* org, const char* sent,
                           std::vector<store::Id> sites, const char* replied = nullptr) {
  store::NoticeRecord n;
  n.id = id;
  n.org = org;
  n.org_kind = "isp";
  n.status = store::NoticeStatus::kSent;
  n.audience = store::Audience::kResponder;
  n.sent_at = at(sent);
  n.sites = std::move(sites);
  if (replied) n.replied_at = at(replied);
  return n;
}

}  // namespace

TEST(Scorecard, RepliesTimesAndBusinessDaysPerOrganisation) {
  // Org A answers and acts within hours; org B answers one notice of three; C never.
  const std::vector<store::SiteRecord> sites = {
      site(1, "A", "2008-04-15T10:00+09:00", "2008-04-15T10:20+09:00", 0, "2008-04-15T10:10+09:00"),
      site(2, "A", "2008-04-16T10:00+09:00", "2008-04-16T22:00+09:00", 1, "2008-04-16T11:00+09:00"),
      // Friday 18:00 to Tuesday 06:00 with Monday 2008-04-28... use Golden Week: Apr 28 is a
      // Monday, Apr 29 a holiday.
      site(3, "B", "2008-04-25T18:00+09:00", "2008-04-30T06:00+09:00", 0, "2008-04-26T09:00+09:00"),
      site(4, "B", "2008-05-01T10:00+09:00", nullptr),
      site(5, "B", "2008-05-02T10:00+09:00", nullptr),
      site(6, "C", "2008-05-07T10:00+09:00", nullptr),
  };
  const std::vector<store::NoticeRecord> notices = {
      notice(1, "A", "2008-04-15T10:00+09:00", {1}, "2008-04-15T10:10+09:00"),
      notice(2, "A", "2008-04-16T10:00+09:00", {2}, "2008-04-16T11:00+09:00"),
      notice(3, "B", "2008-04-25T18:00+09:00", {3}, "2008-04-26T09:00+09:00"),
      notice(4, "B", "2008-05-01T10:00+09:00", {4}),
      notice(5, "B", "2008-05-02T10:00+09:00", {5}),
      notice(6, "C", "2008-05-07T10:00+09:00", {6}),
  };
  const auto scores = score_responders(sites, notices, at("2008-04-01"), at("2008-07-01"),
                                       BusinessCalendar::japan(), TimeZone("Asia/Tokyo"));
  ASSERT_EQ(scores.size(), 3u);
  const auto& b = scores[0];
  EXPECT_EQ(b.org, "B");
  EXPECT_EQ(b.notifications, 3);
  EXPECT_EQ(b.replies, 1);
  EXPECT_EQ(b.reply_class, "hardly");
  EXPECT_EQ(b.takedowns, 1);
  EXPECT_NEAR(b.closure_rate, 1.0 / 3, 1e-9);
  // Fri 18:00-24:00 (0.25) + Mon 28th (1) + Wed 30th 00:00-06:00 (0.25); Apr 29 is Showa Day.
  EXPECT_NEAR(b.mean_business_days, 1.5, 1e-9);
  EXPECT_NEAR(b.mean_hours, 108.0, 1e-9);
  const auto& a = scores[1];
  EXPECT_EQ(a.org, "A");
  EXPECT_EQ(a.reply_class, "yes");
  EXPECT_NEAR(a.min_hours, 20.0 / 60, 1e-9);
  EXPECT_NEAR(a.max_hours, 12.0, 1e-9);
  EXPECT_NEAR(a.mean_hours, (20.0 / 60 + 12.0) / 2, 1e-9);
  EXPECT_EQ(a.revivals, 1);
  EXPECT_EQ(scores[2].reply_class, "none");
  EXPECT_EQ(reply_class(10, 4), "sometimes");
  EXPECT_EQ(reply_class(10, 8), "yes");
}

// Newcomer write-up, Part 3: a responder who answered both the notice and the re-notice after a
// revival scored "sometimes" (1 of 2): only a site's first reply counted. Each notice counts its
// own answer now; an unanswered notice stays unanswered even if a later one is answered.
TEST(Scorecard, RepliesToReNoticesCount) {
  const std::vector<store::SiteRecord> sites = {
      site(1, "D", "2008-04-15T10:00+09:00", "2008-04-20T10:00+09:00", 1, "2008-04-15T12:00+09:00"),
      site(2, "E", "2008-04-15T10:00+09:00", "2008-04-20T10:00+09:00", 1,
           "2008-04-22T12:00+09:00")};
  store::NoticeRecord renotice_d =
      notice(2, "D", "2008-04-22T10:00+09:00", {1}, "2008-04-22T11:00+09:00");
  renotice_d.kind = store::NoticeKind::kRenotice;
  const std::vector<store::NoticeRecord> notices = {
      notice(1, "D", "2008-04-15T10:00+09:00", {1}, "2008-04-15T12:00+09:00"), renotice_d,
      notice(3, "E", "2008-04-15T10:00+09:00", {2}),
      notice(4, "E", "2008-04-22T10:00+09:00", {2}, "2008-04-22T12:00+09:00")};
  const auto scores = score_responders(sites, notices, at("2008-04-01"), at("2008-07-01"),
                                       BusinessCalendar::japan(), TimeZone("Asia/Tokyo"));
  ASSERT_EQ(scores.size(), 2u);
  EXPECT_EQ(scores[0].org, "D");
  EXPECT_EQ(scores[0].replies, 2);
  EXPECT_EQ(scores[0].reply_class, "yes");
  EXPECT_EQ(scores[1].org, "E");
  EXPECT_EQ(scores[1].replies, 1);
}

}  // namespace kz::coord
