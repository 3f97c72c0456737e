// SiteStore over the SQL layer.
#include <algorithm>

#include "store/sites.h"
#include "store/sql/connection.h"
#include "store/sql/repositories.h"
#include "store/sql/rows.h"

namespace kz::store::sql {

namespace {

// kSiteSelect with a condition, in site order.
std::string sites_where(const char* condition) {
  return std::string(kSiteSelect) + "WHERE " + condition + " ORDER BY s.id";
}

NoticeCandidate read_candidate(const Row& q) {
  NoticeCandidate c;
  c.site = q.int64(0);
  c.url = q.text(1);
  c.state = q.parsed(2, parse_site_state, SiteState::kClosed, "site state");
  c.incident = q.int64(3);
  c.report = q.int64(4);
  c.ip = q.text(5);
  c.host = q.text(6);
  c.cls = read_classification(q, 7);
  c.country = q.text(11);
  c.route = q.text(12);
  c.first_seen = q.opt_time(13);
  c.reported_at = q.time(14);
  c.tlp = q.text(15);
  c.csam = q.boolean(16);
  c.disclose_reporter = q.boolean(17);
  c.created_at = q.time(18);
  return c;
}

SiteCheck read_check(const Row& q) {
  return {q.int64(0),
          q.time(1),
          q.parsed(2, parse_check_outcome, CheckOutcome::kUnknown, "check verdict"),
          q.text(3),
          q.integer(4),
          q.text(5),
          q.text(6),
          q.text(7),
          q.text(8),
          q.text(9),
          q.blob(10)};
}

class SqlSiteStore final : public SiteStore {
 public:
  explicit SqlSiteStore(Connection& c) : c_(c) {}

  Result<bool> add_site(Id incident, const std::string& url, const std::string& host,
                        Time at) override {
    auto id = c_.query_int(
        "INSERT INTO sites(incident,url,host,created_at) VALUES(?1,?2,?3,?4) "
        "ON CONFLICT DO NOTHING RETURNING id",
        incident, url, host, at);
    if (!id) return fail(id.error());
    return id->has_value();
  }

  Result<SiteRecord> get_site(Id site) override {
    static const std::string sql = sites_where("s.id=?1");
    auto r = c_.query_one(sql, read_site, site);
    if (!r) return fail(r.error());
    if (!*r)
      return fail(Error::NotFound("no site with this number", "site " + std::to_string(site)));
    return std::move(**r);
  }

  Result<std::vector<SiteRecord>> sites_of_report(Id report) override {
    static const std::string sql = sites_where("i.report=?1");
    return c_.query(sql, read_site, report);
  }

  Status set_site_state(Id site, SiteState state, Time at) override {
    return c_.exec("UPDATE sites SET state=?2, state_at=?3 WHERE id=?1", site, to_string(state),
                   at);
  }

  Result<Id> ensure_address_site(Id incident) override {
    auto inc = c_.query_one(
        "SELECT COALESCE(ip,host), created_at FROM incidents WHERE id=?1",
        [](const Row& r) { return std::make_pair(r.text(0), r.time(1)); }, incident);
    if (!inc) return fail(inc.error());
    if (!*inc)
      return fail(
          Error::NotFound("no incident with this number", "incident " + std::to_string(incident)));
    const auto& [key, created_at] = **inc;
    if (auto s = add_site(incident, key, key, created_at); !s) return fail(s.error());
    auto id = c_.query_int("SELECT id FROM sites WHERE incident=?1 AND url=?2", incident, key);
    if (!id) return fail(id.error());
    if (!*id) return fail(Error::Internal("address site vanished", key));
    return **id;
  }

  Status ensure_address_sites() override {
    return c_.exec(
        "INSERT INTO sites(incident,url,host,created_at) "
        "SELECT i.id, COALESCE(i.ip,i.host), COALESCE(i.ip,i.host), i.created_at FROM incidents i "
        "WHERE NOT EXISTS (SELECT 1 FROM sites s WHERE s.incident=i.id) ON CONFLICT DO NOTHING");
  }

  Result<std::vector<NoticeCandidate>> notice_candidates(
      const std::vector<SiteState>& states) override {
    std::vector<NoticeCandidate> out;
    for (const SiteState state : states) {
      auto s = c_.for_each(
          "SELECT s.id, s.url, s.state, i.id, i.report, COALESCE(i.ip,''), COALESCE(i.host,''), "
          "i.type, i.subtype, i.rsit_taxonomy, i.rsit_type, i.country, i.route, i.first_seen, "
          "r.created_at, r.tlp, r.csam, r.disclose_reporter, s.created_at FROM sites s "
          "JOIN incidents i ON i.id=s.incident JOIN reports r ON r.id=i.report "
          "WHERE s.state=?1 AND i.route<>'' ORDER BY s.id",
          [&out](const Row& r) { out.push_back(read_candidate(r)); }, to_string(state));
      if (!s) return fail(s.error());
    }
    std::sort(out.begin(), out.end(),
              [](const NoticeCandidate& a, const NoticeCandidate& b) { return a.site < b.site; });
    return out;
  }

  Status update_site_coord(const SiteRecord& r) override {
    return c_.exec(
        "UPDATE sites SET reference_fingerprint=?2, down_streak=?3, next_check_at=?4, "
        "watch_step=?5, down_verified_at=?6, first_notified_at=?7, last_notified_at=?8, "
        "replied_at=?9, revivals=?10, org=?11 WHERE id=?1",
        r.id, r.reference_fingerprint, r.down_streak, r.next_check_at, r.watch_step,
        r.down_verified_at, r.first_notified_at, r.last_notified_at, r.replied_at, r.revivals,
        r.org);
  }

  Result<std::vector<SiteRecord>> sites_due_for_check(Time now) override {
    static const std::string sql =
        sites_where("s.next_check_at IS NOT NULL AND s.next_check_at<=?1");
    return c_.query(sql, read_site, now);
  }

  Result<std::vector<SiteRecord>> sites_in_states(const std::vector<SiteState>& states) override {
    static const std::string sql = sites_where("s.state=?1");
    std::vector<SiteRecord> out;
    for (const auto& state : states) {
      auto s = c_.for_each(
          sql, [&out](const Row& r) { out.push_back(read_site(r)); }, state);
      if (!s) return fail(s.error());
    }
    std::sort(out.begin(), out.end(),
              [](const SiteRecord& a, const SiteRecord& b) { return a.id < b.id; });
    return out;
  }

  Result<std::vector<SiteRecord>> sites_first_notified(Time from, Time to) override {
    static const std::string sql =
        sites_where("s.first_notified_at>=?1 AND s.first_notified_at<?2");
    return c_.query(sql, read_site, from, to);
  }

  Status add_site_check(const SiteCheck& c) override {
    return c_.exec(
        "INSERT INTO site_checks(site,checked_at,verdict,reason,http_status,final_url,error,"
        "fingerprint,title,user_agent,evidence) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
        c.site, c.checked_at, c.verdict, c.reason, c.http_status, c.final_url, c.error,
        c.fingerprint, c.title, c.user_agent, Blob{c.evidence});
  }

  Result<std::vector<SiteCheck>> site_checks(Id site) override {
    return c_.query(
        "SELECT site,checked_at,verdict,reason,http_status,final_url,error,fingerprint,title,"
        "user_agent,evidence FROM site_checks WHERE site=?1 ORDER BY id",
        read_check, site);
  }

 private:
  Connection& c_;
};

}  // namespace

std::unique_ptr<SiteStore> make_site_store(Connection& c) {
  return std::make_unique<SqlSiteStore>(c);
}

}  // namespace kz::store::sql
