// ReportStore over the SQL layer.
#include "store/reports.h"
#include "store/sql/connection.h"
#include "store/sql/repositories.h"
#include "store/sql/rows.h"

namespace kz::store::sql {

namespace {

class SqlReportStore final : public ReportStore {
 public:
  explicit SqlReportStore(Connection& c) : c_(c) {}

  Result<std::optional<Id>> report_by_thread(const std::vector<std::string>& ids) override {
    for (const auto& mid : ids) {
      auto r = c_.query_int(
          "SELECT max(rm.report) FROM messages m JOIN report_messages rm ON rm.message=m.id "
          "WHERE m.message_id=?1",
          mid);
      if (!r || *r) return r;
    }
    return std::optional<Id>{};
  }

  Result<std::optional<Id>> report_by_xarf_id(const std::string& report_id) override {
    return c_.query_int("SELECT max(id) FROM reports WHERE xarf_report_id=?1", report_id);
  }

  Result<std::optional<Id>> open_report_by_url(const std::string& url) override {
    return c_.query_int(
        "SELECT max(r.id) FROM sites s JOIN incidents i ON i.id=s.incident JOIN reports r ON "
        "r.id=i.report WHERE s.url=?1 AND r.status='open'",
        url);
  }

  Result<std::optional<Id>> open_report_by_ip(const std::string& ip, IncidentType type,
                                              Time since) override {
    return c_.query_int(
        "SELECT max(r.id) FROM incidents i JOIN reports r ON r.id=i.report WHERE i.ip=?1 AND "
        "i.type=?2 AND r.status='open' AND r.created_at>=?3",
        ip, to_string(type), since);
  }

  Result<std::optional<Id>> latest_report_on_ip(const std::string& ip) override {
    return c_.query_int("SELECT max(i.report) FROM incidents i WHERE i.ip=?1", ip);
  }

  Result<ReportRecord> get_report(Id id) override {
    static const std::string sql = kReportSelect + std::string(" WHERE r.id=?1");
    auto r = c_.query_one(
        sql, [](const Row& row) { return read_report(row); }, id);
    if (!r) return fail(r.error());
    if (!*r)
      return fail(Error::NotFound("no report with this number", "report " + std::to_string(id)));
    return std::move(**r);
  }

  Result<std::optional<Id>> report_of_message(Id message) override {
    return c_.query_int("SELECT report FROM report_messages WHERE message=?1", message);
  }

  Result<Id> create_report(const ReportRecord& r) override {
    return c_.insert_returning_id(
        "INSERT INTO reports(created_at,status,type,subtype,rsit_taxonomy,rsit_type,reporter,tld,"
        "xarf_report_id,brand,brand_origin,tlp,csam,linked_report,summary,disclose_reporter) "
        "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16) RETURNING id",
        r.created_at, to_string(r.status), to_string(r.cls.type), r.cls.subtype,
        r.cls.rsit_taxonomy, r.cls.rsit_type,
        r.reporter ? std::optional<Id>(r.reporter) : std::nullopt, r.tld, r.xarf_report_id, r.brand,
        r.brand_origin, r.tlp, r.csam, r.linked_report, r.summary, r.disclose_reporter);
  }

  Status attach_message(Id report, Id message, const std::string& role) override {
    return c_.exec(
        "INSERT INTO report_messages(report,message,role) VALUES(?1,?2,?3) "
        "ON CONFLICT DO NOTHING",
        report, message, role);
  }

  Status add_tags(Id report, const std::vector<std::string>& tags) override {
    for (const auto& t : tags) {
      if (auto r =
              c_.exec("INSERT INTO report_tags(report,tag) VALUES(?1,?2) ON CONFLICT DO NOTHING",
                      report, t);
          !r)
        return r;
    }
    return {};
  }

  Status set_brand(Id report, const std::string& brand, const std::string& origin) override {
    return c_.exec("UPDATE reports SET brand=?2, brand_origin=?3 WHERE id=?1", report, brand,
                   origin);
  }

  Status set_report_classification(Id report, const Classification& c) override {
    if (auto r = c_.exec(
            "UPDATE reports SET type=?2, subtype=?3, rsit_taxonomy=?4, rsit_type=?5 WHERE id=?1",
            report, to_string(c.type), c.subtype, c.rsit_taxonomy, c.rsit_type);
        !r)
      return r;
    return c_.exec(
        "UPDATE incidents SET type=?2, subtype=?3, rsit_taxonomy=?4, rsit_type=?5 WHERE report=?1",
        report, to_string(c.type), c.subtype, c.rsit_taxonomy, c.rsit_type);
  }

  Status set_report_status(Id report, ReportStatus status, Time at) override {
    return c_.exec("UPDATE reports SET status=?2, closed_at=?3 WHERE id=?1", report,
                   to_string(status),
                   status == ReportStatus::kClosed ? std::optional<Time>(at) : std::nullopt);
  }

  Result<MergeOutcome> merge_report(Id from, Id into, Time at) override {
    MergeOutcome out;
    auto role = c_.query_one(
        "SELECT CASE WHEN f.reporter IS NOT DISTINCT FROM t.reporter THEN 1 ELSE 0 END "
        "FROM reports f, reports t WHERE f.id=?1 AND t.id=?2",
        [](const Row& r) { return r.int64(0) == 1; }, from, into);
    if (!role) return fail(role.error());
    if (!*role) return fail(Error::NotFound("no such report", "merge"));
    auto messages = c_.query_int("SELECT COUNT(*) FROM report_messages WHERE report=?1", from);
    if (!messages) return fail(messages.error());
    out.messages = messages->value_or(0);
    if (auto s = c_.exec(
            "UPDATE report_messages SET report=?2, role=CASE WHEN role='first' THEN ?3 ELSE role "
            "END WHERE report=?1",
            from, into, std::string(**role ? "followup" : "second-reporter"));
        !s)
      return fail(s.error());
    if (auto s = merge_incidents(from, into, out); !s) return fail(s.error());
    for (const char* sql :
         {"INSERT INTO report_tags(report,tag) SELECT ?2,tag FROM report_tags WHERE report=?1 "
          "ON CONFLICT DO NOTHING",
          "DELETE FROM report_tags WHERE report=?1",
          "UPDATE report_notes SET report=?2 WHERE report=?1",
          "UPDATE status_links SET report=?2 WHERE report=?1",
          "UPDATE notices SET report=?2 WHERE report=?1",
          "UPDATE reports SET merged_into=?2 WHERE merged_into=?1",  // earlier merges follow
          "UPDATE reports SET linked_report=CASE WHEN id=?2 THEN NULL ELSE ?2 END "
          "WHERE linked_report=?1"}) {
      if (auto s = c_.exec(sql, from, into); !s) return fail(s.error());
    }
    if (auto s = c_.exec("UPDATE reports SET status='closed', closed_at=?2, merged_into=?3 "
                         "WHERE id=?1",
                         from, at, into);
        !s)
      return fail(s.error());
    return out;
  }

  Result<Id> split_report(Id report, const ReportRecord& fresh, const std::vector<Id>& messages,
                          const std::vector<Id>& incidents) override {
    ReportRecord r = fresh;
    r.status = ReportStatus::kOpen;
    auto id = create_report(r);
    if (!id) return fail(id.error());
    if (auto s = c_.exec("UPDATE reports SET assignee=?2 WHERE id=?1", *id, fresh.assignee); !s)
      return fail(s.error());
    bool first = true;
    for (Id m : messages) {
      if (auto s =
              c_.exec("UPDATE report_messages SET report=?3, role=CASE WHEN ?4=1 THEN 'first' WHEN "
                      "role='first' THEN 'followup' ELSE role END WHERE message=?1 AND report=?2",
                      m, report, *id, int64_t{first});
          !s)
        return fail(s.error());
      first = false;
    }
    for (Id i : incidents) {
      if (auto s =
              c_.exec("UPDATE incidents SET report=?3 WHERE id=?1 AND report=?2", i, report, *id);
          !s)
        return fail(s.error());
    }
    return *id;
  }

  Result<std::pair<std::vector<Id>, std::vector<Id>>> contents_of(Id report) override {
    auto read_id = [](const Row& r) { return r.int64(0); };
    auto messages = c_.query("SELECT message FROM report_messages WHERE report=?1 ORDER BY message",
                             read_id, report);
    if (!messages) return fail(messages.error());
    auto incidents =
        c_.query("SELECT id FROM incidents WHERE report=?1 ORDER BY id", read_id, report);
    if (!incidents) return fail(incidents.error());
    return std::make_pair(std::move(*messages), std::move(*incidents));
  }

  Status set_assignee(Id report, std::optional<Id> user) override {
    return c_.exec("UPDATE reports SET assignee=?2 WHERE id=?1", report, user);
  }

  Status set_tlp(Id report, const std::string& tlp) override {
    return c_.exec("UPDATE reports SET tlp=?2 WHERE id=?1", report, tlp);
  }

  Status remove_tags(Id report, const std::vector<std::string>& tags) override {
    for (const auto& t : tags) {
      if (auto r = c_.exec("DELETE FROM report_tags WHERE report=?1 AND tag=?2", report, t); !r)
        return r;
    }
    return {};
  }

  Result<std::vector<std::string>> tags_of(Id report) override {
    return c_.query(
        kTagsOfReport, [](const Row& r) { return r.text(0); }, report);
  }

  Status add_status_link(Id report, const std::string& token_hash, Time created_at,
                         Time expires_at) override {
    return c_.exec(
        "INSERT INTO status_links(report,token_hash,created_at,expires_at) VALUES(?1,?2,?3,?4)",
        report, token_hash, created_at, expires_at);
  }

  Result<std::optional<std::pair<Id, Time>>> status_link(const std::string& token_hash) override {
    return c_.query_one(
        "SELECT report,expires_at FROM status_links WHERE token_hash=?1",
        [](const Row& r) { return std::make_pair(r.int64(0), r.time(1)); }, token_hash);
  }

  Result<Id> add_note(const NoteRecord& n) override {
    return c_.insert_returning_id(
        "INSERT INTO report_notes(report,author,created_at,body) VALUES(?1,?2,?3,?4) RETURNING id",
        n.report, n.author, n.created_at, n.body);
  }

  Result<std::vector<NoteRecord>> notes_of(Id report) override {
    return c_.query(
        kNotesOfReport, [](const Row& r) { return read_note(r); }, report);
  }

 private:
  // merge_report's incidents: each of `from`'s moves to `into`, or joins the incident `into` has
  // on the same address (or host).
  Status merge_incidents(Id from, Id into, MergeOutcome& out) {
    struct Pair {
      Id moving = 0;
      std::optional<Id> kept;
    };
    auto pairs = c_.query(
        "SELECT f.id, (SELECT t.id FROM incidents t WHERE t.report=?2 AND "
        "((f.ip IS NOT NULL AND t.ip=f.ip) OR (f.ip IS NULL AND t.ip IS NULL AND t.host=f.host))) "
        "FROM incidents f WHERE f.report=?1 ORDER BY f.id",
        [](const Row& r) {
          return Pair{r.int64(0), r.opt_int64(1)};
        },
        from, into);
    if (!pairs) return fail(pairs.error());
    for (const Pair& p : *pairs) {
      if (!p.kept) {
        if (auto s = c_.exec("UPDATE incidents SET report=?2 WHERE id=?1", p.moving, into); !s)
          return s;
        ++out.incidents_moved;
        continue;
      }
      ++out.incidents_joined;
      if (auto s = join_incident(p.moving, *p.kept, out); !s) return s;
    }
    return {};
  }

  // Moves the ports and sites of incident `moving` to `kept` and removes `moving`.
  Status join_incident(Id moving, Id kept, MergeOutcome& out) {
    struct SitePair {
      Id moving = 0;
      std::optional<Id> kept;
    };
    auto sites = c_.query(
        "SELECT s.id, (SELECT k.id FROM sites k WHERE k.incident=?2 AND k.url=s.url) FROM sites s "
        "WHERE s.incident=?1 ORDER BY s.id",
        [](const Row& r) {
          return SitePair{r.int64(0), r.opt_int64(1)};
        },
        moving, kept);
    if (!sites) return fail(sites.error());
    for (const SitePair& s : *sites) {
      if (!s.kept) {
        if (auto st = c_.exec("UPDATE sites SET incident=?2 WHERE id=?1", s.moving, kept); !st)
          return st;
        continue;
      }
      ++out.sites_joined;
      // The kept site takes the moving one's workflow only while it has none of its own.
      for (const char* sql :
           {"UPDATE sites SET state=m.state, state_at=m.state_at, reference_fingerprint="
            "m.reference_fingerprint, down_streak=m.down_streak, next_check_at=m.next_check_at, "
            "watch_step=m.watch_step, down_verified_at=m.down_verified_at, first_notified_at="
            "m.first_notified_at, last_notified_at=m.last_notified_at, replied_at=m.replied_at, "
            "revivals=m.revivals, org=m.org FROM sites m WHERE m.id=?1 AND sites.id=?2 AND "
            "sites.state='new'",
            "UPDATE notice_sites SET site=?2 WHERE site=?1 AND NOT EXISTS (SELECT 1 FROM "
            "notice_sites o WHERE o.notice=notice_sites.notice AND o.site=?2)",
            "DELETE FROM notice_sites WHERE site=?1",
            "UPDATE site_checks SET site=?2 WHERE site=?1",
            "DELETE FROM job_claims WHERE kind='check' AND item=?1",
            "DELETE FROM sites WHERE id=?1"}) {
        if (auto st = c_.exec(sql, s.moving, *s.kept); !st) return st;
      }
    }
    for (const char* sql :
         {"INSERT INTO incident_ports(incident,proto,port,hits) SELECT ?2,proto,port,hits FROM "
          "incident_ports WHERE incident=?1 ON CONFLICT(incident,proto,port) DO UPDATE SET "
          "hits=incident_ports.hits+excluded.hits",
          "DELETE FROM incident_ports WHERE incident=?1",
          "UPDATE incidents SET first_seen=(SELECT MIN(first_seen) FROM incidents WHERE id IN "
          "(?1,?2)) WHERE id=?2",
          "DELETE FROM incidents WHERE id=?1"}) {
      if (auto st = c_.exec(sql, moving, kept); !st) return st;
    }
    return {};
  }

  Connection& c_;
};

}  // namespace

std::unique_ptr<ReportStore> make_report_store(Connection& c) {
  return std::make_unique<SqlReportStore>(c);
}

}  // namespace kz::store::sql
