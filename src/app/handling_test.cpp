// A handler's work on reports (handling.h): what each action changes, what it records, and that a
// bulk action is all or nothing and never reaches a report its caller may not see.
#include "app/handling.h"

#include "app/store_fixture.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace kz::app {
namespace {

namespace fs = std::filesystem;

const Time kNow = Time{std::chrono::seconds{1'765'000'000}};

class HandlingTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    for (auto [name, role] :
         {std::pair{"boss", Role::kAdmin}, std::pair{"tanaka", Role::kHandler},
          std::pair{"suzuki", Role::kHandler}, std::pair{"reader", Role::kAnalyst}}) {
      auto id = add_user(*db_, kNow, name, role, "", "cli:test");
      ASSERT_TRUE(id);
      principals_[name] = Principal::of(*id, name, role, {"read", "write"});
    }
  }
  store::Id report(const std::string& tlp = "") {
    store::ReportRecord r;
    r.created_at = kNow;
    r.cls.type = IncidentType::kPhishing;
    r.tlp = tlp;
    EXPECT_TRUE(db_->begin());
    auto id = db_->reports().create_report(r);
    EXPECT_TRUE(db_->commit());
    return id.value_or(0);
  }
  Acting as(const std::string& name) { return {"user:" + name, &principals_[name], "AMBER"}; }
  store::ReportRecord get(store::Id id) { return *db_->reports().get_report(id); }
  // The actions of the report's events, in order.
  std::vector<std::string> actions(store::Id id) {
    auto d = db_->queries().report_detail(id);
    EXPECT_TRUE(d);
    std::vector<std::string> out;
    for (const auto& e : d->events) out.push_back(e.action + " by " + e.actor);
    return out;
  }

  // A message filed under `report` (its first when it is the report's first message).
  store::Id message(store::Id report, const std::string& sha, const std::string& role = "first") {
    store::MessageRecord m;
    m.sha256 = sha;
    m.received_at = kNow;
    m.ingested_at = kNow;
    EXPECT_TRUE(db_->begin());
    auto id = db_->messages().add_message(m, std::string_view("raw " + sha));
    EXPECT_TRUE(id);
    EXPECT_TRUE(db_->reports().attach_message(report, *id, role));
    EXPECT_TRUE(db_->commit());
    return id.value_or(0);
  }
  // An incident of `report` on `ip` with sites at `urls`.
  store::Id incident(store::Id report, const std::string& ip,
                     const std::vector<std::string>& urls) {
    store::IncidentRecord i;
    i.report = report;
    i.ip = ip;
    i.cls.type = IncidentType::kPhishing;
    i.created_at = kNow;
    EXPECT_TRUE(db_->begin());
    auto id = db_->incidents().upsert_incident(i);
    EXPECT_TRUE(id);
    for (const auto& url : urls) EXPECT_TRUE(db_->sites().add_site(*id, url, "x.example", kNow));
    EXPECT_TRUE(db_->commit());
    return id.value_or(0);
  }
  std::vector<std::string> site_urls(store::Id report) {
    std::vector<std::string> out;
    auto sites = db_->sites().sites_of_report(report);
    EXPECT_TRUE(sites);
    for (const auto& s : *sites) out.push_back(s.url);
    std::sort(out.begin(), out.end());
    return out;
  }

  std::map<std::string, Principal> principals_;
};

TEST_F(HandlingTest, ABulkCloseClosesEveryReportWithItsReasonOnce) {
  const store::Id a = report(), b = report(), c = report();
  ASSERT_TRUE(close_reports(*db_, kNow, as("tanaka"), {a, b}, "duplicate of an earlier report"));
  EXPECT_EQ(get(a).status, store::ReportStatus::kClosed);
  EXPECT_EQ(get(a).closed_at, kNow);
  EXPECT_EQ(get(b).status, store::ReportStatus::kClosed);
  EXPECT_EQ(get(c).status, store::ReportStatus::kOpen);
  EXPECT_EQ(actions(a), (std::vector<std::string>{"report.closed by user:tanaka"}));
  auto d = db_->queries().report_detail(a);
  EXPECT_NE(d->events[0].detail.find("duplicate of an earlier report"), std::string::npos);
  ASSERT_TRUE(close_reports(*db_, kNow, as("tanaka"), {a, c}, "not an incident"));
  EXPECT_EQ(actions(a).size(), 1u) << "already closed: nothing to record";
  EXPECT_EQ(get(c).status, store::ReportStatus::kClosed);
  EXPECT_EQ(close_reports(*db_, kNow, as("tanaka"), {a}, "  ").error().code,
            ErrorCode::kInvalidArgument)
      << "a reason is required";
  ASSERT_TRUE(reopen_reports(*db_, kNow, as("suzuki"), {a}, "the host is back"));
  EXPECT_EQ(get(a).status, store::ReportStatus::kOpen);
  EXPECT_FALSE(get(a).closed_at);
  EXPECT_EQ(actions(a).back(), "report.reopened by user:suzuki");
  EXPECT_EQ(close_reports(*db_, kNow, as("tanaka"), {}, "x").error().code,
            ErrorCode::kInvalidArgument);
  std::vector<store::Id> too_many(kMaxBulkReports + 1, a);
  EXPECT_EQ(close_reports(*db_, kNow, as("tanaka"), too_many, "x").error().code,
            ErrorCode::kInvalidArgument);
}

TEST_F(HandlingTest, ABulkActionIsAllOrNothingAndNeverReachesAHiddenReport) {
  const store::Id open = report(), red = report("TLP:RED");
  auto r = close_reports(*db_, kNow, as("tanaka"), {open, red}, "spam");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound) << "as for a report that does not exist";
  EXPECT_EQ(get(open).status, store::ReportStatus::kOpen) << "rolled back";
  EXPECT_EQ(get(red).status, store::ReportStatus::kOpen);
  EXPECT_EQ(add_note(*db_, kNow, as("reader"), red, "x").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(close_reports(*db_, kNow, as("tanaka"), {open, 999999}, "spam").error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(get(open).status, store::ReportStatus::kOpen);
  // The admin sees it, assigns it to tanaka, who sees it from then on.
  ASSERT_TRUE(assign_reports(*db_, kNow, as("boss"), {red}, "tanaka"));
  EXPECT_TRUE(may_see(principals_["tanaka"], get(red), "AMBER"));
  EXPECT_FALSE(may_see(principals_["suzuki"], get(red), "AMBER"));
  ASSERT_TRUE(close_reports(*db_, kNow, as("tanaka"), {open, red}, "spam"));
  EXPECT_EQ(get(red).status, store::ReportStatus::kClosed);
  // A centre whose unmarked reports are RED.
  EXPECT_FALSE(may_see(principals_["suzuki"], get(open), "RED"));
  EXPECT_TRUE(may_see(principals_["suzuki"], get(open), "AMBER"));
  Acting strict = as("suzuki");
  strict.default_tlp = "RED";
  EXPECT_EQ(add_note(*db_, kNow, strict, open, "x").error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(add_note(*db_, kNow, {"cli:root", nullptr, "RED"}, open, "the command line"))
      << "the command line has the database's rights";
}

TEST_F(HandlingTest, AReportIsAssignedToAHandlerOrAnAdminOnly) {
  const store::Id a = report(), b = report();
  ASSERT_TRUE(assign_reports(*db_, kNow, as("tanaka"), {a, b}, "suzuki"));
  EXPECT_EQ(get(a).assignee, principals_["suzuki"].user);
  EXPECT_EQ(get(b).assignee, principals_["suzuki"].user);
  ASSERT_TRUE(assign_reports(*db_, kNow, as("tanaka"), {a}, "tanaka"));
  auto d = db_->queries().report_detail(a);
  EXPECT_EQ(d->summary.assignee_name, "tanaka");
  EXPECT_EQ(d->events.back().action, "report.assigned");
  EXPECT_EQ(d->events.back().detail, R"({"to":"tanaka","from":"suzuki"})");
  ASSERT_TRUE(assign_reports(*db_, kNow, as("tanaka"), {a}, ""));
  EXPECT_FALSE(get(a).assignee);
  EXPECT_EQ(db_->queries().report_detail(a)->events.back().action, "report.unassigned");
  EXPECT_EQ(assign_reports(*db_, kNow, as("tanaka"), {a}, "reader").error().code,
            ErrorCode::kInvalidArgument)
      << "an analyst only reads";
  EXPECT_EQ(assign_reports(*db_, kNow, as("tanaka"), {a}, "nobody").error().code,
            ErrorCode::kNotFound);
  ASSERT_TRUE(disable_user(*db_, kNow, "suzuki", "cli:test"));
  EXPECT_EQ(assign_reports(*db_, kNow, as("tanaka"), {a}, "suzuki").error().code,
            ErrorCode::kInvalidArgument);
}

TEST_F(HandlingTest, TlpTagsAndClassificationChangeWithAnEventEach) {
  const store::Id a = report("amber"), b = report();
  ASSERT_TRUE(set_reports_tlp(*db_, kNow, as("tanaka"), {a, b}, "TLP:WHITE", "public advisory"));
  EXPECT_EQ(get(a).tlp, "CLEAR") << "TLP 1.0 WHITE is 2.0 CLEAR";
  EXPECT_EQ(get(b).tlp, "CLEAR");
  EXPECT_EQ(set_reports_tlp(*db_, kNow, as("tanaka"), {a}, "PINK", "").error().code,
            ErrorCode::kInvalidArgument);
  ASSERT_TRUE(tag_reports(*db_, kNow, as("tanaka"), {a}, {" Kit:16Shop ", "bank"}, {}));
  EXPECT_EQ(*db_->reports().tags_of(a), (std::vector<std::string>{"bank", "kit:16shop"}));
  ASSERT_TRUE(tag_reports(*db_, kNow, as("tanaka"), {a}, {"bank"}, {"kit:16shop"}));
  EXPECT_EQ(*db_->reports().tags_of(a), (std::vector<std::string>{"bank"}));
  EXPECT_EQ(tag_reports(*db_, kNow, as("tanaka"), {a}, {"two words"}, {}).error().code,
            ErrorCode::kInvalidArgument);
  Classification dos;
  dos.type = IncidentType::kOther;
  dos.subtype = "dos";
  ASSERT_TRUE(classify_reports(*db_, kNow, as("tanaka"), {a, b}, dos, "a flood, not phishing"));
  EXPECT_EQ(get(a).cls.type, IncidentType::kOther);
  EXPECT_EQ(get(b).cls.subtype, "dos");
  EXPECT_EQ(actions(a),
            (std::vector<std::string>{
                "report.tlp_changed by user:tanaka", "report.tagged by user:tanaka",
                "report.tagged by user:tanaka", "classification.changed by user:tanaka"}));
}

TEST_F(HandlingTest, ANoteIsKeptWithItsAuthorAndTheEventDoesNotRepeatIt) {
  const store::Id a = report();
  auto n = add_note(*db_, kNow, as("tanaka"), a, "電話で確認済み: the host will remove it today");
  ASSERT_TRUE(n) << n.error().to_string();
  auto notes = *db_->reports().notes_of(a);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].author, "user:tanaka");
  EXPECT_EQ(notes[0].body, "電話で確認済み: the host will remove it today");
  auto d = db_->queries().report_detail(a);
  EXPECT_EQ(d->events.back().action, "report.noted");
  EXPECT_EQ(d->events.back().detail.find("電話"), std::string::npos);
  EXPECT_EQ(add_note(*db_, kNow, as("tanaka"), a, " \n").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(add_note(*db_, kNow, as("tanaka"), a, std::string(kMaxNoteBytes + 1, 'x')).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(add_note(*db_, kNow, as("tanaka"), a, "\xff\xfe").error().code,
            ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace kz::app

namespace kz::app {
namespace {

TEST_F(HandlingTest, AMergeMovesEverythingAndTheMergedReportPointsAtIt) {
  const store::Id a = report(), b = report("AMBER+STRICT");
  const store::Id m1 = message(a, "m1"), m2 = message(b, "m2");
  incident(a, "192.0.2.1", {"http://x.example/a"});
  // The same address as a's, with the same URL and another, and a second address.
  incident(b, "192.0.2.1", {"http://x.example/a", "http://x.example/b"});
  incident(b, "192.0.2.2", {"http://y.example/"});
  ASSERT_TRUE(tag_reports(*db_, kNow, as("tanaka"), {a}, {"kit:a"}, {}));
  ASSERT_TRUE(tag_reports(*db_, kNow, as("tanaka"), {b}, {"kit:b", "kit:a"}, {}));
  ASSERT_TRUE(add_note(*db_, kNow, as("tanaka"), b, "the same kit as #a"));

  auto merged = merge_reports(*db_, kNow, as("tanaka"), a, {b}, "one campaign");
  ASSERT_TRUE(merged) << merged.error().to_string();
  EXPECT_EQ(merged->messages, 1);
  EXPECT_EQ(merged->incidents_moved, 1);
  EXPECT_EQ(merged->incidents_joined, 1);
  EXPECT_EQ(merged->sites_joined, 1);

  auto [messages, incidents] = *db_->reports().contents_of(a);
  EXPECT_EQ(messages, (std::vector<store::Id>{m1, m2}));
  EXPECT_EQ(incidents.size(), 2u) << "192.0.2.1 once, 192.0.2.2";
  EXPECT_EQ(site_urls(a), (std::vector<std::string>{"http://x.example/a", "http://x.example/b",
                                                    "http://y.example/"}));
  EXPECT_EQ(*db_->reports().tags_of(a), (std::vector<std::string>{"kit:a", "kit:b"}));
  EXPECT_EQ(db_->reports().notes_of(a)->size(), 1u);
  EXPECT_EQ(get(a).tlp, "AMBER+STRICT") << "the stricter marking";
  const auto gone = get(b);
  EXPECT_EQ(gone.status, store::ReportStatus::kClosed);
  EXPECT_EQ(gone.merged_into, a);
  EXPECT_TRUE(db_->reports().contents_of(b)->first.empty());
  EXPECT_TRUE(db_->sites().sites_of_report(b)->empty());
  EXPECT_EQ(actions(b).back(), "report.merged_into by user:tanaka");
  auto events = actions(a);
  EXPECT_NE(std::find(events.begin(), events.end(), "report.merged_from by user:tanaka"),
            events.end());
  // The quarter counts one report now; the messages received stay two.
  auto figures =
      db_->queries().figure_rows(kNow - std::chrono::hours(1), kNow + std::chrono::hours(1));
  ASSERT_TRUE(figures);
  EXPECT_EQ(figures->reports, 1);

  // What a merged report no longer allows.
  EXPECT_EQ(reopen_reports(*db_, kNow, as("tanaka"), {b}, "x").error().code,
            ErrorCode::kInvalidArgument);
  const store::Id c = report();
  message(c, "m3");
  EXPECT_EQ(merge_reports(*db_, kNow, as("tanaka"), b, {c}, "x").error().code,
            ErrorCode::kInvalidArgument)
      << "into a merged report";
  EXPECT_EQ(merge_reports(*db_, kNow, as("tanaka"), c, {c}, "x").error().code,
            ErrorCode::kInvalidArgument)
      << "into itself";
  EXPECT_EQ(merge_reports(*db_, kNow, as("tanaka"), c, {a}, " ").error().code,
            ErrorCode::kInvalidArgument)
      << "without a reason";
  // A later merge of `a` carries the earlier one along: b points at the report that stays.
  ASSERT_TRUE(merge_reports(*db_, kNow, as("tanaka"), c, {a}, "the same again"));
  EXPECT_EQ(get(b).merged_into, c);
  EXPECT_EQ(db_->reports().contents_of(c)->first.size(), 3u);
}

TEST_F(HandlingTest, AMergeNeverReachesAReportTheHandlerMayNotSee) {
  const store::Id a = report(), red = report("RED");
  message(a, "m1");
  message(red, "m2");
  EXPECT_EQ(merge_reports(*db_, kNow, as("tanaka"), a, {red}, "x").error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(merge_reports(*db_, kNow, as("tanaka"), red, {a}, "x").error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(get(a).status, store::ReportStatus::kOpen) << "nothing changed";
  ASSERT_TRUE(merge_reports(*db_, kNow, as("boss"), red, {a}, "the admin may"));
  EXPECT_EQ(get(red).tlp, "RED");
}

TEST_F(HandlingTest, ASplitTakesMessagesAndIncidentsToANewLinkedReport) {
  ASSERT_TRUE(assign_reports(*db_, kNow, as("boss"), {report()}, "tanaka"));  // report 1
  const store::Id a = report("GREEN");
  ASSERT_TRUE(assign_reports(*db_, kNow, as("boss"), {a}, "suzuki"));
  const store::Id m1 = message(a, "m1"), m2 = message(a, "m2", "second-reporter"),
                  m3 = message(a, "m3", "followup");
  const store::Id kept = incident(a, "192.0.2.1", {"http://x.example/a"});
  const store::Id moving = incident(a, "192.0.2.9", {"http://z.example/"});

  auto made = split_report(*db_, kNow, as("suzuki"), a, {m2, m3}, {moving}, "another campaign");
  ASSERT_TRUE(made) << made.error().to_string();
  const auto fresh = get(*made);
  EXPECT_EQ(fresh.status, store::ReportStatus::kOpen);
  EXPECT_EQ(fresh.linked_report, a);
  EXPECT_EQ(fresh.tlp, "GREEN");
  EXPECT_EQ(fresh.assignee, get(a).assignee);
  EXPECT_EQ(db_->reports().contents_of(*made)->first, (std::vector<store::Id>{m2, m3}));
  EXPECT_EQ(db_->reports().contents_of(*made)->second, (std::vector<store::Id>{moving}));
  EXPECT_EQ(db_->reports().contents_of(a)->first, (std::vector<store::Id>{m1}));
  EXPECT_EQ(db_->reports().contents_of(a)->second, (std::vector<store::Id>{kept}));
  EXPECT_EQ(site_urls(*made), (std::vector<std::string>{"http://z.example/"}));
  auto detail = db_->queries().report_detail(*made);
  ASSERT_TRUE(detail);
  ASSERT_EQ(detail->messages.size(), 2u);
  EXPECT_EQ(detail->messages[0].role, "first") << "the first message moved opens it";
  EXPECT_EQ(actions(a).back(), "report.split by user:suzuki");
  EXPECT_EQ(actions(*made).back(), "report.split_from by user:suzuki");

  EXPECT_EQ(split_report(*db_, kNow, as("suzuki"), a, {m1}, {}, "x").error().code,
            ErrorCode::kInvalidArgument)
      << "the report keeps a message";
  EXPECT_EQ(split_report(*db_, kNow, as("suzuki"), a, {m2}, {}, "x").error().code,
            ErrorCode::kInvalidArgument)
      << "a message of another report";
  EXPECT_EQ(split_report(*db_, kNow, as("suzuki"), a, {}, {}, "x").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(split_report(*db_, kNow, as("suzuki"), *made, {m2}, {kept}, "x").error().code,
            ErrorCode::kInvalidArgument)
      << "an incident of another report";
}

}  // namespace
}  // namespace kz::app
