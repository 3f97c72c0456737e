// The SQLite implementation of every repository of kz::store::Database.
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <unordered_map>

#include "core/text.h"
#include "store/checkpointer.h"
#include "store/database.h"
#include "store/migrations.h"
#include "store/sqlite.h"

namespace kz::store {

namespace {

int64_t secs(Time t) { return t.time_since_epoch().count(); }
Time time_of(int64_t s) { return Time{std::chrono::seconds{s}}; }

// Raw bytes beyond the first part are stored in rows of this size (message_raw_more): a few
// statements per 100 MB message, and one bound value is a small share of memory, far under
// SQLite's 1,000,000,000-byte limit for one value.
constexpr size_t kRawChunkBytes = size_t{16} << 20;

class SqliteStore final : public Database,
                          MessageStore,
                          ReportStore,
                          IncidentStore,
                          SiteStore,
                          OutboxStore,
                          ReporterStore,
                          EventLog,
                          NetworkDataStore,
                          SettingStore,
                          ReportQueries {
 public:
  MessageStore& messages() override { return *this; }
  ReportStore& reports() override { return *this; }
  IncidentStore& incidents() override { return *this; }
  SiteStore& sites() override { return *this; }
  OutboxStore& outbox() override { return *this; }
  ReporterStore& reporters() override { return *this; }
  EventLog& events() override { return *this; }
  NetworkDataStore& network_data() override { return *this; }
  SettingStore& settings() override { return *this; }
  ReportQueries& queries() override { return *this; }

  SqliteStore(std::unique_ptr<Db> db, const SqliteOptions& options)
      : db_(std::move(db)),
        checkpointer_(db_->handle(), sqlite3_db_filename(db_->handle(), "main"),
                      options.wal_checkpoint_pages) {}

  // Transactions nest: only the outermost begin/commit reach SQLite, so a step that keeps its
  // own transaction (a site transition) can also run inside a larger one (a notice sent).
  Status begin() override {
    if (depth_ > 0) {
      // Nested: a savepoint, so that a failure inside rolls back only what it wrote.
      auto s = run_cached("SAVEPOINT kz_nested");
      if (s) ++depth_;
      return s;
    }
    checkpointer_.wait_idle();  // so that this transaction restarts the WAL (checkpointer.h)
    auto s = db_->exec("BEGIN IMMEDIATE");
    if (s) depth_ = 1;
    return s;
  }
  Status commit() override {
    if (depth_ == 0) return fail(Error::Internal("commit without a transaction", "store"));
    if (depth_ > 1) {
      --depth_;
      return run_cached("RELEASE kz_nested");
    }
    depth_ = 0;
    return db_->exec("COMMIT");
  }
  bool begin_would_wait() const override { return depth_ == 0 && checkpointer_.busy(); }
  void rollback() override {
    if (depth_ == 0) return;
    if (depth_ > 1) {
      --depth_;
      if (run_cached("ROLLBACK TO kz_nested") && run_cached("RELEASE kz_nested")) return;
      // The savepoint could not be undone: nothing of the transaction can be trusted.
    }
    depth_ = 0;
    (void)db_->exec("ROLLBACK");
  }

  Result<std::optional<Id>> find_message(const std::string& sha256) override {
    return one_id("SELECT id FROM messages WHERE sha256=?1", sha256);
  }

  Result<Id> add_message(const MessageRecord& m, const RawBytes& raw) override {
    auto st = stmt(
        "INSERT INTO messages(sha256,size,channel,source,received_at,ingested_at,sender,subject,"
        "message_id,purpose,parse_status,parse_error,format,signature,signer,encrypted,csam,tlp,"
        "dated_at,automatic) "
        "VALUES(?1,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21)");
    if (!st) return fail(st.error());
    Statement& s = **st;
    s.bind(1, m.sha256).bind(3, static_cast<int64_t>(raw.size()));
    s.bind(4, m.channel)
        .bind(5, m.source)
        .bind(6, secs(m.received_at))
        .bind(7, secs(m.ingested_at));
    s.bind(8, m.sender).bind(9, m.subject).bind(10, m.message_id).bind(11, to_string(m.purpose));
    s.bind(12, m.parse_status).bind(13, m.parse_error).bind(14, m.format).bind(15, m.signature);
    s.bind(16, m.signer).bind(17, int64_t{m.encrypted}).bind(18, int64_t{m.csam}).bind(19, m.tlp);
    s.bind(20, opt_secs(m.dated_at)).bind(21, m.automatic);
    if (auto r = s.run(); !r) return fail(r.error());
    const Id id = db_->last_insert_id();
    auto raw_st = stmt("INSERT INTO message_raw(message,raw) VALUES(?1,?2)");
    if (!raw_st) return fail(raw_st.error());
    if (auto r = (*raw_st)->bind(1, id).bind_blob_static(2, raw.head).run(); !r)
      return fail(r.error());
    if (raw.more) {
      auto more = stmt("INSERT INTO message_raw_more(message,seq,bytes) VALUES(?1,?2,?3)");
      if (!more) return fail(more.error());
      int64_t seq = 0;
      if (auto r = raw.more->for_each_piece(
              kRawChunkBytes,
              [&](std::string_view piece) -> Status {
                return (*more)->bind(1, id).bind(2, ++seq).bind_blob_static(3, piece).run();
              });
          !r)
        return fail(r.error());
    }
    if (!m.refs.empty()) {
      auto refs = stmt("INSERT INTO message_refs(message,ref) VALUES(?1,?2)");
      if (!refs) return fail(refs.error());
      for (const auto& ref : m.refs) {
        if (auto r = (*refs)->bind(1, id).bind(2, ref).run(); !r) return fail(r.error());
      }
    }
    return id;
  }

  Status set_message_purpose(Id id, Purpose purpose) override {
    auto st = stmt("UPDATE messages SET purpose=?2 WHERE id=?1");
    if (!st) return fail(st.error());
    return (*st)->bind(1, id).bind(2, to_string(purpose)).run();
  }

  Status add_indicators(Id message, const std::vector<IndicatorRecord>& list) override {
    // One row per statement. A multi-row INSERT looked cheaper but measured slower: a statement
    // writing several rows into a table with a foreign key keeps a statement journal (a copy of
    // every 16 KiB page it touches, in case it must undo itself half-way).
    auto st = stmt("INSERT INTO indicators(message,kind,value,role,source) VALUES(?1,?2,?3,?4,?5)");
    if (!st) return fail(st.error());
    Statement& s = **st;
    for (const IndicatorRecord& i : list) {
      s.bind(1, message).bind(2, i.kind).bind(3, i.value).bind(4, i.role).bind(5, i.source);
      if (auto r = s.run(); !r) return r;
    }
    return {};
  }

  Result<std::vector<IndicatorRecord>> indicators_of(Id message) override {
    auto st = stmt("SELECT kind,value,role,source FROM indicators WHERE message=?1");
    if (!st) return fail(st.error());
    Statement& s = **st;
    s.bind(1, message);
    std::vector<IndicatorRecord> out;
    while (true) {
      auto row = s.step();
      if (!row) return fail(row.error());
      if (!*row) break;
      out.push_back({s.text(0), s.text(1), s.text(2), s.text(3)});
    }
    s.reset();
    return out;
  }

  Result<Id> upsert_reporter(const ReporterRecord& r) override {
    auto found = one_id("SELECT id FROM reporters WHERE address=?1", r.address);
    if (!found) return fail(found.error());
    if (*found) return **found;
    auto st = stmt(
        "INSERT INTO reporters(address,name,org_domain,tld,kind,domestic) "
        "VALUES(?1,?2,?3,?4,?5,?6)");
    if (!st) return fail(st.error());
    if (auto x = (*st)
                     ->bind(1, r.address)
                     .bind(2, r.name)
                     .bind(3, r.org_domain)
                     .bind(4, r.tld)
                     .bind(5, r.kind)
                     .bind(6, int64_t{r.domestic})
                     .run();
        !x) {
      return fail(x.error());
    }
    return db_->last_insert_id();
  }

  Result<std::optional<Id>> report_by_thread(const std::vector<std::string>& ids) override {
    for (const auto& mid : ids) {
      auto r = one_id(
          "SELECT max(rm.report) FROM messages m JOIN report_messages rm ON rm.message=m.id "
          "WHERE m.message_id=?1",
          mid);
      if (!r || *r) return r;
    }
    return std::optional<Id>{};
  }

  Result<std::optional<Id>> report_by_xarf_id(const std::string& report_id) override {
    return one_id("SELECT max(id) FROM reports WHERE xarf_report_id=?1", report_id);
  }

  Result<std::optional<Id>> open_report_by_url(const std::string& url) override {
    return one_id(
        "SELECT max(r.id) FROM sites s JOIN incidents i ON i.id=s.incident JOIN reports r ON "
        "r.id=i.report "
        "WHERE s.url=?1 AND r.status='open'",
        url);
  }

  Result<std::optional<Id>> open_report_by_ip(const std::string& ip, IncidentType type,
                                              Time since) override {
    auto st = stmt(
        "SELECT max(r.id) FROM incidents i JOIN reports r ON r.id=i.report WHERE i.ip=?1 AND "
        "i.type=?2 "
        "AND r.status='open' AND r.created_at>=?3");
    if (!st) return fail(st.error());
    (*st)->bind(1, ip).bind(2, to_string(type)).bind(3, secs(since));
    return fetch_id(**st);
  }

  Result<std::optional<Id>> latest_report_on_ip(const std::string& ip) override {
    return one_id("SELECT max(i.report) FROM incidents i WHERE i.ip=?1", ip);
  }

  Result<std::optional<Id>> incident_for_host(Id report, const std::string& host) override {
    return one_id2(
        "SELECT i.id FROM incidents i JOIN sites s ON s.incident=i.id WHERE i.report=?1 AND "
        "s.host=?2 "
        "AND i.ip IS NOT NULL ORDER BY i.id LIMIT 1",
        report, host);
  }

  Result<ReportRecord> get_report(Id id) override {
    static const std::string sql = kReportSelect + std::string(" WHERE r.id=?1");
    auto st = stmt(sql);
    if (!st) return fail(st.error());
    (*st)->bind(1, id);
    auto row = (*st)->step();
    if (!row) return fail(row.error());
    if (!*row) {
      (*st)->reset();
      return fail(Error::NotFound("no report with this number", "report " + std::to_string(id)));
    }
    ReportRecord r = read_report(**st, 0);
    (*st)->reset();
    return r;
  }

  Result<Id> create_report(const ReportRecord& r) override {
    auto st = stmt(
        "INSERT INTO reports(created_at,status,type,subtype,rsit_taxonomy,rsit_type,reporter,tld,"
        "xarf_report_id,brand,brand_origin,tlp,csam,linked_report,summary,disclose_reporter) "
        "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)");
    if (!st) return fail(st.error());
    Statement& s = **st;
    s.bind(1, secs(r.created_at))
        .bind(2, r.status)
        .bind(3, to_string(r.cls.type))
        .bind(4, r.cls.subtype);
    s.bind(5, r.cls.rsit_taxonomy).bind(6, r.cls.rsit_type);
    if (r.reporter) {
      s.bind(7, r.reporter);
    } else {
      s.bind_null(7);
    }
    s.bind(8, r.tld).bind(9, r.xarf_report_id).bind(10, r.brand).bind(11, r.brand_origin);
    s.bind(16, int64_t{r.disclose_reporter});
    s.bind(12, r.tlp).bind(13, int64_t{r.csam}).bind(14, r.linked_report).bind(15, r.summary);
    if (auto x = s.run(); !x) return fail(x.error());
    return db_->last_insert_id();
  }

  Status attach_message(Id report, Id message, const std::string& role) override {
    auto st = stmt("INSERT OR IGNORE INTO report_messages(report,message,role) VALUES(?1,?2,?3)");
    if (!st) return fail(st.error());
    return (*st)->bind(1, report).bind(2, message).bind(3, role).run();
  }

  Result<Id> upsert_incident(const IncidentRecord& i) override {
    const bool by_ip = !i.ip.empty();
    if (!by_ip) {  // keyed by host: NULL addresses are never equal, so look first
      auto found = one_id2("SELECT id FROM incidents WHERE report=?1 AND host=?2 AND ip IS NULL",
                           i.report, i.host);
      if (!found) return fail(found.error());
      if (*found) return **found;
    }
    // By address: insert, and look up only when the report already has it (one statement for
    // a new report's incidents instead of a look-up and an insert).
    auto st = stmt(
        "INSERT INTO "
        "incidents(report,ip,host,type,subtype,rsit_taxonomy,rsit_type,brand,brand_origin,"
        "first_seen,created_at,asn,as_name,country,org,org_kind,route,enriched_version) "
        "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18) ON "
        "CONFLICT(report,ip) "
        "DO NOTHING");
    if (!st) return fail(st.error());
    Statement& s = **st;
    s.bind(1, i.report);
    if (by_ip) {
      s.bind(2, i.ip);
    } else {
      s.bind_null(2);
    }
    if (i.host.empty()) {
      s.bind_null(3);
    } else {
      s.bind(3, i.host);
    }
    s.bind(4, to_string(i.cls.type)).bind(5, i.cls.subtype).bind(6, i.cls.rsit_taxonomy);
    s.bind(7, i.cls.rsit_type).bind(8, i.brand).bind(9, i.brand_origin);
    s.bind(10, i.first_seen ? std::optional<int64_t>(secs(*i.first_seen)) : std::nullopt);
    s.bind(11, secs(i.created_at));
    bind_enrichment(s, 12, i.enrichment);
    if (auto x = s.run(); !x) return fail(x.error());
    if (db_->changes() > 0) return db_->last_insert_id();
    auto found = one_id2("SELECT id FROM incidents WHERE report=?1 AND ip=?2", i.report, i.ip);
    if (!found) return fail(found.error());
    if (!*found) return fail(Error::Internal("incident vanished after a conflicting insert", i.ip));
    return **found;
  }

  Status add_ports(Id incident, const std::vector<PortHit>& ports) override {
    auto st = stmt(
        "INSERT INTO incident_ports(incident,proto,port,hits) VALUES(?1,?2,?3,?4) "
        "ON CONFLICT(incident,proto,port) DO UPDATE SET hits=hits+excluded.hits");
    if (!st) return fail(st.error());
    for (const auto& p : ports) {
      if (auto r = (*st)
                       ->bind(1, incident)
                       .bind(2, p.proto)
                       .bind(3, int64_t{p.port})
                       .bind(4, int64_t{p.hits})
                       .run();
          !r) {
        return r;
      }
    }
    return {};
  }

  Result<bool> add_site(Id incident, const std::string& url, const std::string& host,
                        Time at) override {
    auto st = stmt("INSERT OR IGNORE INTO sites(incident,url,host,created_at) VALUES(?1,?2,?3,?4)");
    if (!st) return fail(st.error());
    if (auto r = (*st)->bind(1, incident).bind(2, url).bind(3, host).bind(4, secs(at)).run(); !r)
      return fail(r.error());
    return db_->changes() > 0;
  }

  Status add_tags(Id report, const std::vector<std::string>& tags) override {
    auto st = stmt("INSERT OR IGNORE INTO report_tags(report,tag) VALUES(?1,?2)");
    if (!st) return fail(st.error());
    for (const auto& t : tags) {
      if (auto r = (*st)->bind(1, report).bind(2, t).run(); !r) return r;
    }
    return {};
  }

  Result<SiteRecord> get_site(Id site) override {
    auto rows = sites_where("s.id=?1", site);
    if (!rows) return fail(rows.error());
    if (rows->empty())
      return fail(Error::NotFound("no site with this number", "site " + std::to_string(site)));
    return rows->front();
  }
  Result<std::vector<SiteRecord>> sites_of_report(Id report) override {
    return sites_where("i.report=?1", report);
  }
  Status set_site_state(Id site, const std::string& state, Time at) override {
    auto st = stmt("UPDATE sites SET state=?2, state_at=?3 WHERE id=?1");
    if (!st) return fail(st.error());
    return (*st)->bind(1, site).bind(2, state).bind(3, secs(at)).run();
  }
  Result<Id> ensure_address_site(Id incident) override {
    auto inc = get_incident(incident);
    if (!inc) return fail(inc.error());
    const std::string key = inc->ip.empty() ? inc->host : inc->ip;
    if (auto s = add_site(incident, key, key, inc->created_at); !s) return fail(s.error());
    auto id = one_id2("SELECT id FROM sites WHERE incident=?1 AND url=?2", incident, key);
    if (!id) return fail(id.error());
    return **id;
  }

  Status ensure_address_sites() override {
    return db_->exec(
        "INSERT OR IGNORE INTO sites(incident,url,host,created_at) "
        "SELECT i.id, COALESCE(i.ip,i.host), COALESCE(i.ip,i.host), i.created_at FROM incidents i "
        "WHERE NOT EXISTS (SELECT 1 FROM sites s WHERE s.incident=i.id)");
  }

  Result<Id> add_notice(const NoticeRecord& n) override {
    auto st = stmt(
        "INSERT INTO "
        "notices(kind,audience,report,org,org_kind,recipients,language,tag,subject,body,reason,"
        "status,"
        "planned_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)");
    if (!st) return fail(st.error());
    Statement& s = **st;
    s.bind(1, n.kind)
        .bind(2, n.audience)
        .bind(3, n.report ? std::optional<int64_t>(*n.report) : std::nullopt);
    s.bind(4, n.org).bind(5, n.org_kind).bind(6, nlohmann::json{{"to", n.to}, {"cc", n.cc}}.dump());
    s.bind(7, n.language)
        .bind(8, n.tag)
        .bind(9, n.subject)
        .bind(10, n.body)
        .bind(11, n.reason)
        .bind(12, n.status);
    s.bind(13, secs(n.planned_at));
    if (auto r = s.run(); !r) return fail(r.error());
    const Id id = db_->last_insert_id();
    auto ns = stmt("INSERT OR IGNORE INTO notice_sites(notice,site) VALUES(?1,?2)");
    if (!ns) return fail(ns.error());
    for (Id site : n.sites) {
      (*ns)->reset();
      if (auto r = (*ns)->bind(1, id).bind(2, site).run(); !r) return fail(r.error());
    }
    return id;
  }

  Status update_notice(const NoticeRecord& n) override {
    auto st = stmt(
        "UPDATE notices SET status=?2, approved_at=?3, approved_by=?4, message_id=?5, mime=?6, "
        "signed=?7, "
        "encrypted=?8, attempts=?9, next_attempt_at=?10, last_error=?11, sent_at=?12, tag=?13, "
        "subject=?14, "
        "body=?15 WHERE id=?1");
    if (!st) return fail(st.error());
    Statement& s = **st;
    s.bind(1, n.id)
        .bind(2, n.status)
        .bind(3, opt_secs(n.approved_at))
        .bind(4, n.approved_by)
        .bind(5, n.message_id);
    if (n.mime.empty()) {
      s.bind_null(6);
    } else {
      s.bind_blob(6, n.mime);
    }
    s.bind(7, int64_t{n.is_signed}).bind(8, int64_t{n.encrypted}).bind(9, int64_t{n.attempts});
    s.bind(10, opt_secs(n.next_attempt_at)).bind(11, n.last_error).bind(12, opt_secs(n.sent_at));
    s.bind(13, n.tag).bind(14, n.subject).bind(15, n.body);
    return s.run();
  }

  Result<NoticeRecord> get_notice(Id id) override {
    auto rows = notices_query("WHERE id=?1", [&](Statement& s) { s.bind(1, id); });
    if (!rows) return fail(rows.error());
    if (rows->empty())
      return fail(Error::NotFound("no notice with this number", "notice " + std::to_string(id)));
    return rows->front();
  }

  Result<std::vector<NoticeRecord>> notices(const std::string& status) override {
    if (status.empty()) return notices_query("ORDER BY id", [](Statement&) {});
    return notices_query("WHERE status=?1 ORDER BY id", [&](Statement& s) { s.bind(1, status); });
  }

  Result<std::vector<NoticeRecord>> notices_due(Time now) override {
    return notices_query(
        "WHERE status='approved' AND (next_attempt_at IS NULL OR next_attempt_at<=?1) ORDER BY id",
        [&](Statement& s) { s.bind(1, secs(now)); });
  }

  Result<std::optional<Id>> notice_by_message_id(const std::vector<std::string>& ids) override {
    for (const auto& mid : ids) {
      if (mid.empty()) continue;
      auto id = one_id("SELECT id FROM notices WHERE message_id=?1 AND status='sent'", mid);
      if (!id) return fail(id.error());
      if (*id) return id;
    }
    return std::optional<Id>{};
  }

  Result<std::vector<Id>> sites_pending_notice() override {
    auto st = stmt(
        "SELECT DISTINCT ns.site FROM notice_sites ns JOIN notices n ON n.id=ns.notice "
        "WHERE n.status IN ('planned','approved','bounced','failed')");
    if (!st) return fail(st.error());
    std::vector<Id> out;
    while (true) {
      auto row = (*st)->step();
      if (!row) return fail(row.error());
      if (!*row) break;
      out.push_back((*st)->int64(0));
    }
    (*st)->reset();
    return out;
  }

  Status update_site_coord(const SiteRecord& r) override {
    auto st = stmt(
        "UPDATE sites SET reference_fingerprint=?2, down_streak=?3, next_check_at=?4, "
        "watch_step=?5, "
        "down_verified_at=?6, first_notified_at=?7, last_notified_at=?8, replied_at=?9, "
        "revivals=?10, org=?11 "
        "WHERE id=?1");
    if (!st) return fail(st.error());
    Statement& s = **st;
    s.bind(1, r.id)
        .bind(2, r.reference_fingerprint)
        .bind(3, int64_t{r.down_streak})
        .bind(4, opt_secs(r.next_check_at));
    s.bind(5, int64_t{r.watch_step})
        .bind(6, opt_secs(r.down_verified_at))
        .bind(7, opt_secs(r.first_notified_at));
    s.bind(8, opt_secs(r.last_notified_at))
        .bind(9, opt_secs(r.replied_at))
        .bind(10, int64_t{r.revivals});
    s.bind(11, r.org);
    return s.run();
  }

  Result<std::vector<SiteRecord>> sites_due_for_check(Time now) override {
    return sites_query("s.next_check_at IS NOT NULL AND s.next_check_at<=?1",
                       [&](Statement& s) { s.bind(1, secs(now)); });
  }

  Result<std::vector<SiteRecord>> sites_in_states(const std::vector<std::string>& states) override {
    std::vector<SiteRecord> out;
    for (const auto& state : states) {
      auto rows = sites_query("s.state=?1", [&](Statement& s) { s.bind(1, state); });
      if (!rows) return fail(rows.error());
      out.insert(out.end(), rows->begin(), rows->end());
    }
    std::sort(out.begin(), out.end(),
              [](const SiteRecord& a, const SiteRecord& b) { return a.id < b.id; });
    return out;
  }

  Status add_site_check(const SiteCheck& c) override {
    auto st = stmt(
        "INSERT INTO "
        "site_checks(site,checked_at,verdict,reason,http_status,final_url,error,fingerprint,title,"
        "user_agent,evidence) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)");
    if (!st) return fail(st.error());
    Statement& s = **st;
    s.bind(1, c.site)
        .bind(2, secs(c.checked_at))
        .bind(3, c.verdict)
        .bind(4, c.reason)
        .bind(5, int64_t{c.http_status});
    s.bind(6, c.final_url)
        .bind(7, c.error)
        .bind(8, c.fingerprint)
        .bind(9, c.title)
        .bind(10, c.user_agent);
    s.bind_blob(11, c.evidence);
    return s.run();
  }

  Result<std::vector<SiteCheck>> site_checks(Id site) override {
    auto st = stmt(
        "SELECT "
        "site,checked_at,verdict,reason,http_status,final_url,error,fingerprint,title,user_agent,"
        "evidence "
        "FROM site_checks WHERE site=?1 ORDER BY id");
    if (!st) return fail(st.error());
    (*st)->bind(1, site);
    std::vector<SiteCheck> out;
    while (true) {
      auto row = (*st)->step();
      if (!row) return fail(row.error());
      if (!*row) break;
      const Statement& q = **st;
      out.push_back({q.int64(0), time_of(q.int64(1)), q.text(2), q.text(3),
                     static_cast<int>(q.int64(4)), q.text(5), q.text(6), q.text(7), q.text(8),
                     q.text(9), q.text(10)});
    }
    (*st)->reset();
    return out;
  }

  Status add_bounce(const std::string& address, Time at, Id notice,
                    const std::string& reason) override {
    auto st = stmt("INSERT INTO contact_bounces(address,at,notice,reason) VALUES(?1,?2,?3,?4)");
    if (!st) return fail(st.error());
    return (*st)
        ->bind(1, to_lower_ascii(address))
        .bind(2, secs(at))
        .bind(3, notice)
        .bind(4, reason)
        .run();
  }

  Result<int64_t> bounce_count(const std::string& address) override {
    auto id =
        one_id("SELECT COUNT(*) FROM contact_bounces WHERE address=?1", to_lower_ascii(address));
    if (!id) return fail(id.error());
    return id->value_or(0);
  }

  Result<std::vector<ReporterContact>> reports_to_acknowledge() override {
    return reporter_contacts(
        "r.acknowledged_at IS NULL AND r.reporter_mail IS NULL AND p.address<>''",
        [](Statement&) {});
  }

  Result<ReporterContact> reporter_contact(Id report) override {
    auto rows = reporter_contacts("r.id=?1", [&](Statement& s) { s.bind(1, report); });
    if (!rows) return fail(rows.error());
    if (rows->empty())
      return fail(
          Error::NotFound("no report with this number", "report " + std::to_string(report)));
    return rows->front();
  }

  Result<std::vector<SiteRecord>> sites_first_notified(Time from, Time to) override {
    return sites_query("s.first_notified_at>=?1 AND s.first_notified_at<?2",
                       [&](Statement& s) { s.bind(1, secs(from)).bind(2, secs(to)); });
  }

  Result<std::vector<NoticeRecord>> notices_sent(Time from, Time to) override {
    return notices_query("WHERE status='sent' AND sent_at>=?1 AND sent_at<?2 ORDER BY id",
                         [&](Statement& s) { s.bind(1, secs(from)).bind(2, secs(to)); });
  }

  Result<std::string> message_raw(Id message) override {
    auto st = stmt("SELECT raw FROM message_raw WHERE message=?1");
    if (!st) return fail(st.error());
    (*st)->bind(1, message);
    auto row = (*st)->step();
    if (!row) return fail(row.error());
    if (!*row)
      return fail(
          Error::NotFound("no message with this number", "message " + std::to_string(message)));
    std::string raw = (*st)->text(0);
    (*st)->reset();
    auto more = stmt("SELECT bytes FROM message_raw_more WHERE message=?1 ORDER BY seq");
    if (!more) return fail(more.error());
    (*more)->bind(1, message);
    while (true) {
      auto next = (*more)->step();
      if (!next) return fail(next.error());
      if (!*next) break;
      raw += (*more)->text(0);
    }
    (*more)->reset();
    return raw;
  }

  Result<std::vector<QuarantinedMessage>> quarantined_messages(int limit) override {
    auto st = stmt(
        "SELECT id,sha256,channel,source,parse_error,size,received_at,ingested_at FROM messages "
        "WHERE parse_status='quarantined' ORDER BY id DESC LIMIT ?1");
    if (!st) return fail(st.error());
    (*st)->bind(1, static_cast<int64_t>(limit));
    std::vector<QuarantinedMessage> out;
    while (true) {
      auto row = (*st)->step();
      if (!row) return fail(row.error());
      if (!*row) break;
      Statement& q = **st;
      out.push_back({q.int64(0), q.text(1), q.text(2), q.text(3), q.text(4), q.int64(5),
                     time_of(q.int64(6)), time_of(q.int64(7))});
    }
    (*st)->reset();
    return out;
  }

  Result<QuarantinedMessage> quarantined_message(Id id) override {
    auto st = stmt(
        "SELECT id,sha256,channel,source,parse_error,size,received_at,ingested_at FROM messages "
        "WHERE id=?1 AND parse_status='quarantined'");
    if (!st) return fail(st.error());
    (*st)->bind(1, id);
    auto row = (*st)->step();
    if (!row) return fail(row.error());
    if (!*row) {
      return fail(Error::NotFound("no quarantined message with this number",
                                  "message " + std::to_string(id)));
    }
    Statement& q = **st;
    QuarantinedMessage m{q.int64(0), q.text(1),  q.text(2),           q.text(3),
                         q.text(4),  q.int64(5), time_of(q.int64(6)), time_of(q.int64(7))};
    (*st)->reset();
    return m;
  }

  Status remove_quarantined(Id id) override {
    if (auto m = quarantined_message(id); !m) return fail(m.error());
    for (const char* sql :
         {"DELETE FROM message_raw WHERE message=?1",
          "DELETE FROM message_raw_more WHERE message=?1",
          "DELETE FROM message_refs WHERE message=?1", "DELETE FROM indicators WHERE message=?1",
          "DELETE FROM messages WHERE id=?1 AND parse_status='quarantined'"}) {
      auto st = stmt(sql);
      if (!st) return fail(st.error());
      if (auto s = (*st)->bind(1, id).run(); !s) return s;
    }
    return {};
  }

  Status set_report_acknowledged(Id report, Time at) override {
    auto st = stmt("UPDATE reports SET acknowledged_at=?2 WHERE id=?1");
    if (!st) return fail(st.error());
    return (*st)->bind(1, report).bind(2, secs(at)).run();
  }

  Status set_reporter_told(Id report, std::optional<Time> at) override {
    auto st = stmt("UPDATE reports SET reporter_told_at=?2 WHERE id=?1");
    if (!st) return fail(st.error());
    return (*st)->bind(1, report).bind(2, opt_secs(at)).run();
  }

  Status set_notice_replied(Id notice, Time at) override {
    auto st = stmt("UPDATE notices SET replied_at=?2 WHERE id=?1 AND replied_at IS NULL");
    if (!st) return fail(st.error());
    return (*st)->bind(1, notice).bind(2, secs(at)).run();
  }

  Status set_reporter_mail(Id report, const std::string& decision) override {
    auto st = stmt("UPDATE reports SET reporter_mail=?2 WHERE id=?1");
    if (!st) return fail(st.error());
    return (*st)->bind(1, report).bind(2, decision).run();
  }

  Result<std::vector<std::string>> reporter_mail_recipients(Time since) override {
    return first_column_texts(
        "SELECT lower(json_extract(recipients,'$.to[0]')) FROM notices "
        "WHERE audience='reporter' AND planned_at>=?1",
        [&](Statement& s) { s.bind(1, secs(since)); });
  }

  // The first column of every row of `sql` (bound by `bind`), as text.
  Result<std::vector<std::string>> first_column_texts(const std::string& sql,
                                                      const std::function<void(Statement&)>& bind) {
    auto st = stmt(sql);
    if (!st) return fail(st.error());
    bind(**st);
    std::vector<std::string> out;
    while (true) {
      auto row = (*st)->step();
      if (!row) return fail(row.error());
      if (!*row) break;
      out.push_back((*st)->text(0));
    }
    (*st)->reset();
    return out;
  }

  Status verify_directory_entry(const std::string& name, const std::string& by, Time at) override {
    auto st = stmt(
        "INSERT INTO directory_verified(name,verified_by,verified_at) VALUES(?1,?2,?3) "
        "ON CONFLICT(name) DO UPDATE SET verified_by=excluded.verified_by, "
        "verified_at=excluded.verified_at");
    if (!st) return fail(st.error());
    return (*st)->bind(1, name).bind(2, by).bind(3, secs(at)).run();
  }

  Result<std::set<std::string>> verified_directory_entries() override {
    auto names = first_column_texts("SELECT name FROM directory_verified", [](Statement&) {});
    if (!names) return fail(names.error());
    return std::set<std::string>(names->begin(), names->end());
  }

  Result<std::unique_ptr<Lease>> hold_exclusive(const std::string& role) override {
    // A file lock beside the database: the kernel frees it when the process ends, however.
    struct FileLease final : Lease {
      int fd;
      explicit FileLease(int f) : fd(f) {}
      ~FileLease() override { ::close(fd); }
    };
    const char* file = sqlite3_db_filename(db_->handle(), "main");
    if (!file || !*file) return std::unique_ptr<Lease>(std::make_unique<Lease>());  // in memory
    const std::string path = std::string(file) + "." + role + ".lock";
    const int fd = ::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0 || ::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      if (fd >= 0) ::close(fd);
      return fail(Error::Unavailable("another " + role + " is running on this database", path));
    }
    return std::unique_ptr<Lease>(std::make_unique<FileLease>(fd));
  }

  Result<std::optional<std::string>> setting(const std::string& key) override {
    auto st = stmt("SELECT value FROM settings WHERE key=?1");
    if (!st) return fail(st.error());
    (*st)->bind(1, key);
    auto row = (*st)->step();
    if (!row) return fail(row.error());
    std::optional<std::string> out;
    if (*row) out = (*st)->text(0);
    (*st)->reset();
    return out;
  }

  Status set_setting(const std::string& key, const std::optional<std::string>& value) override {
    auto st = value ? stmt(
                          "INSERT INTO settings(key,value) VALUES(?1,?2) "
                          "ON CONFLICT(key) DO UPDATE SET value=excluded.value")
                    : stmt("DELETE FROM settings WHERE key=?1");
    if (!st) return fail(st.error());
    (*st)->bind(1, key);
    if (value) (*st)->bind(2, *value);
    return (*st)->run();
  }

  Result<std::optional<Id>> earlier_closed_incident(const std::string& key, Id report) override {
    auto st = stmt(
        "SELECT i.id FROM incidents i JOIN reports r ON r.id=i.report WHERE (i.ip=?1 OR (i.ip IS "
        "NULL AND i.host=?1)) "
        "AND r.status='closed' AND i.report<>?2 AND r.id<?2 ORDER BY i.id DESC LIMIT 1");
    if (!st) return fail(st.error());
    (*st)->bind(1, key).bind(2, report);
    return fetch_id(**st);
  }

  Result<std::vector<NoticeCandidate>> notice_candidates(
      const std::vector<std::string>& states) override {
    auto st = stmt(
        "SELECT s.id, s.url, s.state, i.id, i.report, COALESCE(i.ip,''), COALESCE(i.host,''), "
        "i.type, i.subtype, "
        "i.rsit_taxonomy, i.rsit_type, i.country, i.route, i.first_seen, r.created_at, r.tlp, "
        "r.csam, "
        "r.disclose_reporter, s.created_at FROM sites s JOIN incidents i ON i.id=s.incident JOIN "
        "reports r ON r.id=i.report "
        "WHERE s.state=?1 AND i.route<>'' ORDER BY s.id");
    if (!st) return fail(st.error());
    std::vector<NoticeCandidate> out;
    for (const auto& state : states) {
      (*st)->reset();
      (*st)->bind(1, state);
      while (true) {
        auto row = (*st)->step();
        if (!row) return fail(row.error());
        if (!*row) break;
        Statement& q = **st;
        NoticeCandidate c;
        c.site = q.int64(0);
        c.url = q.text(1);
        c.state = q.text(2);
        c.incident = q.int64(3);
        c.report = q.int64(4);
        c.ip = q.text(5);
        c.host = q.text(6);
        c.cls = read_cls(q, 7);
        c.country = q.text(11);
        c.route = q.text(12);
        if (!q.is_null(13)) c.first_seen = time_of(q.int64(13));
        c.reported_at = time_of(q.int64(14));
        c.tlp = q.text(15);
        c.csam = q.int64(16) != 0;
        c.disclose_reporter = q.int64(17) != 0;
        c.created_at = time_of(q.int64(18));
        out.push_back(std::move(c));
      }
    }
    (*st)->reset();
    std::sort(out.begin(), out.end(),
              [](const NoticeCandidate& a, const NoticeCandidate& b) { return a.site < b.site; });
    return out;
  }

  Status set_brand(Id report, const std::string& brand, const std::string& origin) override {
    auto a = stmt("UPDATE reports SET brand=?2, brand_origin=?3 WHERE id=?1");
    if (!a) return fail(a.error());
    if (auto r = (*a)->bind(1, report).bind(2, brand).bind(3, origin).run(); !r) return r;
    auto b = stmt(
        "UPDATE incidents SET brand=?2, brand_origin=?3 WHERE report=?1 AND type='phishing' "
        "AND (brand_origin='' OR brand_origin='unknown')");
    if (!b) return fail(b.error());
    return (*b)->bind(1, report).bind(2, brand).bind(3, origin).run();
  }

  Status set_report_classification(Id report, const Classification& c) override {
    auto a =
        stmt("UPDATE reports SET type=?2, subtype=?3, rsit_taxonomy=?4, rsit_type=?5 WHERE id=?1");
    if (!a) return fail(a.error());
    if (auto r = bind_cls(**a, report, c).run(); !r) return r;
    auto b = stmt(
        "UPDATE incidents SET type=?2, subtype=?3, rsit_taxonomy=?4, rsit_type=?5 WHERE report=?1");
    if (!b) return fail(b.error());
    return bind_cls(**b, report, c).run();
  }

  Status set_incident_classification(Id incident, const Classification& c) override {
    auto a = stmt(
        "UPDATE incidents SET type=?2, subtype=?3, rsit_taxonomy=?4, rsit_type=?5 WHERE id=?1");
    if (!a) return fail(a.error());
    return bind_cls(**a, incident, c).run();
  }

  Status set_report_status(Id report, const std::string& status, Time at) override {
    auto a = stmt("UPDATE reports SET status=?2, closed_at=?3 WHERE id=?1");
    if (!a) return fail(a.error());
    (*a)->bind(1, report).bind(2, status);
    (*a)->bind(3, status == "closed" ? std::optional<int64_t>(secs(at)) : std::nullopt);
    return (*a)->run();
  }

  Status append_event(const Event& e) override {
    auto st = stmt("INSERT INTO events(at,actor,action,subject,detail) VALUES(?1,?2,?3,?4,?5)");
    if (!st) return fail(st.error());
    return (*st)
        ->bind(1, secs(e.at))
        .bind(2, e.actor)
        .bind(3, e.action)
        .bind(4, e.subject)
        .bind(5, e.detail)
        .run();
  }

  Status replace_origins(const DataSetInfo& info, const std::vector<OriginRow>& rows) override {
    return replace_data(info, "DELETE FROM net_origins",
                        "INSERT INTO net_origins(prefix,origins) VALUES(?1,?2)", rows,
                        [](Statement& s, const OriginRow& r) {
                          std::string o;
                          for (uint32_t a : r.origins)
                            o += (o.empty() ? "" : " ") + std::to_string(a);
                          s.bind(1, r.prefix).bind(2, o);
                        });
  }
  Status replace_delegations(const DataSetInfo& info,
                             const std::vector<DelegationRow>& rows) override {
    return replace_data(
        info, "DELETE FROM net_delegations",
        "INSERT INTO net_delegations(prefix,registry,country,status) VALUES(?1,?2,?3,?4)", rows,
        [](Statement& s, const DelegationRow& r) {
          s.bind(1, r.prefix).bind(2, r.registry).bind(3, r.country).bind(4, r.status);
        });
  }
  Status replace_as_names(const DataSetInfo& info, const std::vector<AsNameRow>& rows) override {
    return replace_data(info, "DELETE FROM as_names",
                        "INSERT OR REPLACE INTO as_names(asn,name,country) VALUES(?1,?2,?3)", rows,
                        [](Statement& s, const AsNameRow& r) {
                          s.bind(1, int64_t{r.asn}).bind(2, r.name).bind(3, r.country);
                        });
  }
  Result<std::vector<OriginRow>> origins() override {
    return read_rows<OriginRow>("SELECT prefix, origins FROM net_origins", [](const Statement& s) {
      OriginRow r{s.text(0), {}};
      const std::string origins = s.text(1);  // split() views into it: keep it alive
      for (auto part : split(origins, ' ')) {
        if (!part.empty())
          r.origins.push_back(static_cast<uint32_t>(std::stoul(std::string(part))));
      }
      return r;
    });
  }
  Result<std::vector<DelegationRow>> delegations() override {
    return read_rows<DelegationRow>(
        "SELECT prefix, registry, country, status FROM net_delegations", [](const Statement& s) {
          return DelegationRow{s.text(0), s.text(1), s.text(2), s.text(3)};
        });
  }
  Result<std::vector<AsNameRow>> as_names() override {
    return read_rows<AsNameRow>("SELECT asn, name, country FROM as_names", [](const Statement& s) {
      return AsNameRow{static_cast<uint32_t>(s.int64(0)), s.text(1), s.text(2)};
    });
  }
  Result<std::vector<DataSetInfo>> data_sets() override {
    return read_rows<DataSetInfo>(
        "SELECT kind, source, loaded_at, entries, problems, version FROM data_sets ORDER BY kind",
        [](const Statement& s) {
          return DataSetInfo{s.text(0),  s.text(1),  time_of(s.int64(2)),
                             s.int64(3), s.int64(4), s.int64(5)};
        });
  }

  Status replace_documents(const DataSetInfo& info,
                           const std::vector<DataDocument>& docs) override {
    const std::string clear = "DELETE FROM data_documents WHERE kind='" + info.kind + "'";
    const std::string kind = info.kind;
    return replace_data(info, clear.c_str(),
                        "INSERT INTO data_documents(kind,name,content) VALUES(?1,?2,?3)", docs,
                        [&kind](Statement& s, const DataDocument& d) {
                          s.bind(1, kind).bind(2, d.name).bind(3, d.content);
                        });
  }
  Result<std::vector<DataDocument>> documents(const std::string& kind) override {
    auto st = stmt("SELECT name, content FROM data_documents WHERE kind=?1 ORDER BY rowid");
    if (!st) return fail(st.error());
    (*st)->bind(1, kind);
    std::vector<DataDocument> out;
    while (true) {
      auto row = (*st)->step();
      if (!row) return fail(row.error());
      if (!*row) break;
      out.push_back({(*st)->text(0), (*st)->text(1)});
    }
    (*st)->reset();
    return out;
  }
  Result<std::vector<IncidentToEnrich>> incidents_to_enrich(bool all) override {
    // One row per site (or one for an incident without sites), grouped here: a correlated
    // GROUP_CONCAT(DISTINCT ...) per incident built a temporary index for each, ~12,000
    // instructions an incident. Hosts come in URL order, each once. The incidents not enriched
    // yet come from the partial index incidents_unenriched (migration 010), not a full scan:
    // the condition is a literal so that SQLite can use it.
    auto st =
        stmt(all ? "SELECT i.id, COALESCE(i.ip,''), COALESCE(i.host,''), s.host "
                   "FROM incidents i LEFT JOIN sites s ON s.incident=i.id ORDER BY i.id, s.url"
                 : "SELECT i.id, COALESCE(i.ip,''), COALESCE(i.host,''), s.host "
                   "FROM incidents i LEFT JOIN sites s ON s.incident=i.id "
                   "WHERE i.enriched_version = 0 ORDER BY i.id, s.url");
    if (!st) return fail(st.error());
    Statement& q = **st;
    std::vector<IncidentToEnrich> out;
    while (true) {
      auto row = q.step();
      if (!row) return fail(row.error());
      if (!*row) break;
      const Id id = q.int64(0);
      if (out.empty() || out.back().id != id) out.push_back({id, q.text(1), q.text(2), {}});
      if (q.is_null(3)) continue;
      std::string host = q.text(3);
      auto& hosts = out.back().site_hosts;
      if (!host.empty() && std::find(hosts.begin(), hosts.end(), host) == hosts.end()) {
        hosts.push_back(std::move(host));
      }
    }
    q.reset();
    return out;
  }
  Status set_enrichment(Id incident, const IncidentEnrichment& e) override {
    auto st = stmt(
        "UPDATE incidents SET asn=?2, as_name=?3, country=?4, org=?5, org_kind=?6, route=?7, "
        "enriched_version=?8 "
        "WHERE id=?1");
    if (!st) return fail(st.error());
    (*st)->bind(1, incident);
    bind_enrichment(**st, 2, e);
    return (*st)->run();
  }

  // asn, as_name, country, org, org_kind, route, enriched_version from parameter `first` on.
  static void bind_enrichment(Statement& s, int first, const IncidentEnrichment& e) {
    s.bind(first, e.asn ? std::optional<int64_t>(*e.asn) : std::nullopt);
    s.bind(first + 1, e.as_name).bind(first + 2, e.country).bind(first + 3, e.org);
    s.bind(first + 4, e.org_kind).bind(first + 5, e.route).bind(first + 6, e.version);
  }

  Result<std::vector<Id>> assign_host_addresses(Id incident,
                                                const std::vector<std::string>& ips) override {
    auto host_inc = get_incident(incident);
    if (!host_inc) return fail(host_inc.error());
    std::vector<Id> out;
    bool converted = false;
    for (const auto& ip : ips) {
      auto existing =
          one_id2("SELECT id FROM incidents WHERE report=?1 AND ip=?2", host_inc->report, ip);
      if (!existing) return fail(existing.error());
      Id target = 0;
      if (*existing) {
        target = **existing;
      } else if (!converted) {
        auto st = stmt("UPDATE incidents SET ip=?2 WHERE id=?1");
        if (!st) return fail(st.error());
        if (auto r = (*st)->bind(1, incident).bind(2, ip).run(); !r) return fail(r.error());
        converted = true;
        out.push_back(incident);
        continue;
      } else {
        store::IncidentRecord copy = *host_inc;
        copy.ip = ip;
        copy.host.clear();
        auto id = upsert_incident(copy);
        if (!id) return fail(id.error());
        target = *id;
      }
      auto sites = stmt(
          "INSERT OR IGNORE INTO sites(incident,url,host,created_at) SELECT ?2,url,host,created_at "
          "FROM sites "
          "WHERE incident=?1");
      if (!sites) return fail(sites.error());
      if (auto r = (*sites)->bind(1, incident).bind(2, target).run(); !r) return fail(r.error());
      out.push_back(target);
    }
    if (!converted && !ips.empty()) {
      // Every address was already an incident of the report: the host incident is absorbed.
      for (const char* sql :
           {"DELETE FROM sites WHERE incident=?1", "DELETE FROM incident_ports WHERE incident=?1",
            "DELETE FROM incidents WHERE id=?1"}) {
        auto st = stmt(sql);
        if (!st) return fail(st.error());
        if (auto r = (*st)->bind(1, incident).run(); !r) return fail(r.error());
      }
    }
    return out;
  }

  Result<Figures> figures(Time from, Time to, int comprehensive_ports) override;
  Result<std::vector<ReportSummary>> list_reports(const ReportFilter& f) override;
  Result<ReportDetail> report_detail(Id id) override;
  Result<std::vector<IncidentSummary>> list_incidents(const IncidentFilter& f) override;
  Result<int64_t> count_reports(const ReportFilter& f) override;
  Result<int64_t> count_incidents(const IncidentFilter& f) override;
  Result<IncidentRecord> get_incident(Id id) override;

  Status migrate();
  Result<int64_t> schema_version();

 private:
  int depth_ = 0;  // begin() calls not yet committed

  static constexpr const char* kReportSelect =
      "SELECT r.id,r.created_at,r.status,r.closed_at,r.type,r.subtype,r.rsit_taxonomy,r.rsit_type,"
      "COALESCE(r.reporter,0),r.tld,r.xarf_report_id,r.brand,r.brand_origin,r.tlp,r.csam,"
      "r.linked_report,r.summary,r.disclose_reporter FROM reports r";
  // The filters of `reports list` and `incidents list`, shared by the list and its count.
  static constexpr const char* kReportWhere =
      " WHERE (?1 IS NULL OR r.created_at>=?1) AND (?2 IS NULL OR r.created_at<?2)"
      " AND (?3='' OR r.type=?3) AND (?4='' OR r.status=?4) AND r.id>?6";
  static constexpr const char* kIncidentWhere =
      " JOIN reports r ON r.id=i.report WHERE (?1 IS NULL OR r.created_at>=?1) AND "
      "(?2 IS NULL OR r.created_at<?2) AND (?3='' OR i.type=?3) AND (?4='' OR i.ip=?4) AND "
      "(?5 IS NULL OR i.report=?5) AND i.id>?7";
  static void bind_report_filter(Statement& s, const ReportFilter& f) {
    s.bind(1, opt_secs(f.from)).bind(2, opt_secs(f.to));
    s.bind(3, f.type).bind(4, f.status).bind(5, int64_t{f.limit}).bind(6, f.after);
  }
  static void bind_incident_filter(Statement& s, const IncidentFilter& f) {
    s.bind(1, opt_secs(f.from)).bind(2, opt_secs(f.to));
    s.bind(3, f.type).bind(4, f.ip).bind(5, f.report).bind(6, int64_t{f.limit}).bind(7, f.after);
  }
  static Result<int64_t> count_of(Statement& s) {
    auto row = s.step();
    if (!row) return fail(row.error());
    const int64_t n = *row ? s.int64(0) : 0;
    s.reset();
    return n;
  }
  static constexpr const char* kIncidentSelect =
      "SELECT i.id,i.report,COALESCE(i.ip,''),COALESCE(i.host,''),i.type,i.subtype,i.rsit_taxonomy,"
      "i.rsit_type,i.brand,i.brand_origin,i.first_seen,i.created_at FROM incidents i";

  // Prepared statements are cached by their SQL text for the life of the store. Most calls pass
  // a string literal, so the text's address is looked up first and the text compared, which is
  // cheaper than hashing it (intake fetches about 25 statements a message, some of 300 bytes):
  // an address reused for other text (a temporary) fails the comparison and takes the text path.
  // A statement without parameters or rows, prepared once (savepoints run once per message).
  Status run_cached(std::string_view sql) {
    auto st = stmt(sql);
    if (!st) return fail(st.error());
    return (*st)->run();
  }

  Result<Statement*> stmt(std::string_view sql) {
    if (auto hit = by_address_.find(sql.data());
        hit != by_address_.end() && *hit->second.first == sql) {
      hit->second.second->reset();
      return hit->second.second;
    }
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
      auto st = db_->prepare(sql);
      if (!st) return fail(st.error());
      it = cache_.emplace(std::string(sql), std::move(*st)).first;
    } else {
      it->second.reset();
    }
    if (by_address_.size() < kAddressesKept) by_address_[sql.data()] = {&it->first, &it->second};
    return &it->second;
  }

  static Result<std::optional<Id>> fetch_id(Statement& s) {
    auto row = s.step();
    if (!row) return fail(row.error());
    std::optional<Id> id;
    if (*row && !s.is_null(0)) id = s.int64(0);
    s.reset();
    return id;
  }

  Result<std::optional<Id>> one_id(std::string_view sql, const std::string& arg) {
    auto st = stmt(sql);
    if (!st) return fail(st.error());
    (*st)->bind(1, arg);
    return fetch_id(**st);
  }

  Result<std::optional<Id>> one_id2(std::string_view sql, Id a, const std::string& b) {
    auto st = stmt(sql);
    if (!st) return fail(st.error());
    (*st)->bind(1, a).bind(2, b);
    return fetch_id(**st);
  }

  static Statement& bind_cls(Statement& s, Id id, const Classification& c) {
    return s.bind(1, id)
        .bind(2, to_string(c.type))
        .bind(3, c.subtype)
        .bind(4, c.rsit_taxonomy)
        .bind(5, c.rsit_type);
  }

  static Classification read_cls(const Statement& s, int col) {
    Classification c;
    c.type = parse_incident_type(s.text(col)).value_or(IncidentType::kOther);
    c.subtype = s.text(col + 1);
    c.rsit_taxonomy = s.text(col + 2);
    c.rsit_type = s.text(col + 3);
    return c;
  }

  static ReportRecord read_report(const Statement& s, int c) {
    ReportRecord r;
    r.id = s.int64(c);
    r.created_at = time_of(s.int64(c + 1));
    r.status = s.text(c + 2);
    if (!s.is_null(c + 3)) r.closed_at = time_of(s.int64(c + 3));
    r.cls = read_cls(s, c + 4);
    r.reporter = s.int64(c + 8);
    r.tld = s.text(c + 9);
    r.xarf_report_id = s.text(c + 10);
    r.brand = s.text(c + 11);
    r.brand_origin = s.text(c + 12);
    r.tlp = s.text(c + 13);
    r.csam = s.int64(c + 14) != 0;
    if (!s.is_null(c + 15)) r.linked_report = s.int64(c + 15);
    r.summary = s.text(c + 16);
    r.disclose_reporter = s.int64(c + 17) != 0;
    return r;
  }

  static IncidentRecord read_incident(const Statement& s) {
    IncidentRecord i;
    i.id = s.int64(0);
    i.report = s.int64(1);
    i.ip = s.text(2);
    i.host = s.text(3);
    i.cls = read_cls(s, 4);
    i.brand = s.text(8);
    i.brand_origin = s.text(9);
    if (!s.is_null(10)) i.first_seen = time_of(s.int64(10));
    i.created_at = time_of(s.int64(11));
    return i;
  }

  Result<std::vector<PortHit>> ports_of(Id incident);

  static constexpr const char* kSiteSelect =
      "SELECT s.id, s.incident, i.report, s.url, s.host, s.state, s.state_at, "
      "s.reference_fingerprint, "
      "s.down_streak, s.next_check_at, s.watch_step, s.down_verified_at, s.first_notified_at, "
      "s.last_notified_at, s.replied_at, s.revivals, s.org, s.created_at FROM sites s JOIN "
      "incidents i ON i.id=s.incident ";

  static std::optional<Time> opt_time(const Statement& q, int col) {
    if (q.is_null(col)) return std::nullopt;
    return time_of(q.int64(col));
  }
  static std::optional<int64_t> opt_secs(const std::optional<Time>& t) {
    if (!t) return std::nullopt;
    return secs(*t);
  }

  static SiteRecord read_site(const Statement& q) {
    SiteRecord r;
    r.id = q.int64(0);
    r.incident = q.int64(1);
    r.report = q.int64(2);
    r.url = q.text(3);
    r.host = q.text(4);
    r.state = q.text(5);
    r.state_at = opt_time(q, 6);
    r.reference_fingerprint = q.text(7);
    r.down_streak = static_cast<int>(q.int64(8));
    r.next_check_at = opt_time(q, 9);
    r.watch_step = static_cast<int>(q.int64(10));
    r.down_verified_at = opt_time(q, 11);
    r.first_notified_at = opt_time(q, 12);
    r.last_notified_at = opt_time(q, 13);
    r.replied_at = opt_time(q, 14);
    r.revivals = static_cast<int>(q.int64(15));
    r.org = q.text(16);
    r.created_at = time_of(q.int64(17));
    return r;
  }

  template <typename Bind>
  Result<std::vector<SiteRecord>> sites_query(const std::string& where, Bind bind) {
    auto st = stmt(std::string(kSiteSelect) + "WHERE " + where + " ORDER BY s.id");
    if (!st) return fail(st.error());
    bind(**st);
    std::vector<SiteRecord> out;
    while (true) {
      auto row = (*st)->step();
      if (!row) return fail(row.error());
      if (!*row) break;
      out.push_back(read_site(**st));
    }
    (*st)->reset();
    return out;
  }

  Result<std::vector<SiteRecord>> sites_where(const std::string& where, Id arg) {
    return sites_query(where, [&](Statement& s) { s.bind(1, arg); });
  }

  static constexpr const char* kNoticeSelect =
      "SELECT "
      "id,kind,audience,report,org,org_kind,recipients,language,tag,subject,body,reason,status,"
      "planned_at,"
      "approved_at,approved_by,message_id,mime,signed,encrypted,attempts,next_attempt_at,last_"
      "error,sent_at,replied_at "
      "FROM notices ";

  Result<std::vector<NoticeRecord>> notices_query(const std::string& where,
                                                  const std::function<void(Statement&)>& bind) {
    auto st = stmt(std::string(kNoticeSelect) + where);
    if (!st) return fail(st.error());
    bind(**st);
    std::vector<NoticeRecord> out;
    while (true) {
      auto row = (*st)->step();
      if (!row) return fail(row.error());
      if (!*row) break;
      const Statement& q = **st;
      NoticeRecord n;
      n.id = q.int64(0);
      n.kind = q.text(1);
      n.audience = q.text(2);
      if (!q.is_null(3)) n.report = q.int64(3);
      n.org = q.text(4);
      n.org_kind = q.text(5);
      const auto rcpt = nlohmann::json::parse(q.text(6), nullptr, false);
      if (rcpt.is_object()) {
        n.to = rcpt.value("to", std::vector<std::string>{});
        n.cc = rcpt.value("cc", std::vector<std::string>{});
      }
      n.language = q.text(7);
      n.tag = q.text(8);
      n.subject = q.text(9);
      n.body = q.text(10);
      n.reason = q.text(11);
      n.status = q.text(12);
      n.planned_at = time_of(q.int64(13));
      n.approved_at = opt_time(q, 14);
      n.approved_by = q.text(15);
      n.message_id = q.text(16);
      n.mime = q.text(17);
      n.is_signed = q.int64(18) != 0;
      n.encrypted = q.int64(19) != 0;
      n.attempts = static_cast<int>(q.int64(20));
      n.next_attempt_at = opt_time(q, 21);
      n.last_error = q.text(22);
      n.sent_at = opt_time(q, 23);
      n.replied_at = opt_time(q, 24);
      out.push_back(std::move(n));
    }
    (*st)->reset();
    auto ns = stmt("SELECT site FROM notice_sites WHERE notice=?1 ORDER BY site");
    if (!ns) return fail(ns.error());
    for (auto& n : out) {
      (*ns)->reset();
      (*ns)->bind(1, n.id);
      while (true) {
        auto row = (*ns)->step();
        if (!row) return fail(row.error());
        if (!*row) break;
        n.sites.push_back((*ns)->int64(0));
      }
    }
    (*ns)->reset();
    return out;
  }

  Result<std::vector<ReporterContact>> reporter_contacts(
      const std::string& where, const std::function<void(Statement&)>& bind) {
    auto st = stmt(
        "SELECT r.id, m.id, COALESCE(p.address,''), COALESCE(p.name,''), r.tld, m.subject, "
        "m.message_id, m.channel, "
        "m.received_at, r.acknowledged_at, r.reporter_told_at, m.dated_at, m.automatic, "
        "r.reporter_mail, r.csam FROM reports r "
        "JOIN report_messages rm ON rm.report=r.id AND rm.role='first' JOIN messages m ON "
        "m.id=rm.message "
        "LEFT JOIN reporters p ON p.id=r.reporter WHERE " +
        where + " ORDER BY r.id");
    if (!st) return fail(st.error());
    bind(**st);
    std::vector<ReporterContact> out;
    while (true) {
      auto row = (*st)->step();
      if (!row) return fail(row.error());
      if (!*row) break;
      const Statement& q = **st;
      ReporterContact c;
      c.report = q.int64(0);
      c.first_message = q.int64(1);
      c.address = q.text(2);
      c.name = q.text(3);
      c.tld = q.text(4);
      c.subject = q.text(5);
      c.message_id = q.text(6);
      c.channel = q.text(7);
      c.received_at = time_of(q.int64(8));
      c.acknowledged_at = opt_time(q, 9);
      c.reporter_told_at = opt_time(q, 10);
      c.dated_at = opt_time(q, 11);
      c.automatic = q.text(12);
      if (!q.is_null(13)) c.reporter_mail = q.text(13);
      c.csam = q.int64(14) != 0;
      out.push_back(std::move(c));
    }
    (*st)->reset();
    return out;
  }

  // Replaces one kind of network data and records it in data_sets, all or nothing.
  template <typename Row, typename Bind>
  Status replace_data(const DataSetInfo& info, const char* clear, const char* insert,
                      const std::vector<Row>& rows, Bind bind) {
    if (auto s = begin(); !s) return s;
    auto done = [&]() -> Status {
      if (auto s = db_->exec(clear); !s) return s;
      auto st = stmt(insert);
      if (!st) return fail(st.error());
      for (const auto& r : rows) {
        bind(**st, r);
        if (auto x = (*st)->run(); !x) return x;
      }
      auto ds = stmt(
          "INSERT OR REPLACE INTO data_sets(kind,source,loaded_at,entries,problems,version) "
          "VALUES(?1,?2,?3,?4,?5,(SELECT COALESCE(MAX(version),0)+1 FROM data_sets))");
      if (!ds) return fail(ds.error());
      return (*ds)
          ->bind(1, info.kind)
          .bind(2, info.source)
          .bind(3, secs(info.loaded_at))
          .bind(4, info.entries)
          .bind(5, info.problems)
          .run();
    }();
    if (!done) {
      rollback();
      return done;
    }
    return commit();
  }

  template <typename Row, typename Read>
  Result<std::vector<Row>> read_rows(const char* sql, Read read) {
    auto st = stmt(sql);
    if (!st) return fail(st.error());
    std::vector<Row> out;
    while (true) {
      auto row = (*st)->step();
      if (!row) return fail(row.error());
      if (!*row) break;
      out.push_back(read(**st));
    }
    (*st)->reset();
    return out;
  }
  Result<std::vector<std::string>> urls_of(Id incident);

  std::unique_ptr<Db> db_;
  // Keyed by the SQL text, looked up without building a std::string (most calls pass literals).
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, Statement, SqlHash, std::equal_to<>> cache_;
  // The address a caller passed the text at -> that text's entry in cache_ (nodes do not move).
  static constexpr size_t kAddressesKept = 4096;  // addresses of temporaries never repeat usefully
  std::unordered_map<const char*, std::pair<const std::string*, Statement*>> by_address_;
  WalCheckpointer checkpointer_;  // declared last: stopped before the connection closes
};

Result<int64_t> SqliteStore::schema_version() {
  auto cur = db_->prepare("SELECT COALESCE(MAX(version),0) FROM schema_version");
  if (!cur) return fail(cur.error());
  auto row = cur->step();
  if (!row) return fail(row.error());
  const int64_t have = cur->int64(0);
  cur->reset();
  return have;
}

Status SqliteStore::migrate() {
  if (auto s = db_->exec("CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL)");
      !s) {
    return s;
  }
  auto version = schema_version();
  if (!version) return fail(version.error());
  const int64_t have = *version;
  const auto& all = migrations();
  if (have > static_cast<int64_t>(all.size())) {
    return fail(Error::Corruption("the database was written by a newer Kizuna (schema version " +
                                  std::to_string(have) + "); upgrade Kizuna"));
  }
  for (size_t v = static_cast<size_t>(have); v < all.size(); ++v) {
    if (auto s = db_->exec("BEGIN IMMEDIATE"); !s) return s;
    auto s = db_->exec(all[v]);
    if (s)
      s = db_->exec("INSERT INTO schema_version(version) VALUES(" + std::to_string(v + 1) + ")");
    if (!s) {
      (void)db_->exec("ROLLBACK");
      return fail(
          Error{s.error().code, s.error().message, "applying migration " + std::to_string(v + 1)});
    }
    if (auto c = db_->exec("COMMIT"); !c) return c;
  }
  return {};
}

Result<std::vector<PortHit>> SqliteStore::ports_of(Id incident) {
  auto st =
      stmt("SELECT proto,port,hits FROM incident_ports WHERE incident=?1 ORDER BY hits DESC, port");
  if (!st) return fail(st.error());
  (*st)->bind(1, incident);
  std::vector<PortHit> out;
  while (true) {
    auto row = (*st)->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    out.push_back(
        {(*st)->text(0), static_cast<int>((*st)->int64(1)), static_cast<int>((*st)->int64(2))});
  }
  (*st)->reset();
  return out;
}

Result<std::vector<std::string>> SqliteStore::urls_of(Id incident) {
  return first_column_texts("SELECT url FROM sites WHERE incident=?1 ORDER BY id",
                            [&](Statement& s) { s.bind(1, incident); });
}

Result<Figures> SqliteStore::figures(Time from, Time to, int comprehensive_ports) {
  Figures f;
  const int64_t a = secs(from);
  const int64_t b = secs(to);
  auto scalar = [&](const std::string& sql) -> Result<int64_t> {
    auto st = stmt(sql);
    if (!st) return fail(st.error());
    (*st)->bind(1, a).bind(2, b);
    auto row = (*st)->step();
    if (!row) return fail(row.error());
    const int64_t v = *row ? (*st)->int64(0) : 0;
    (*st)->reset();
    return v;
  };
  // Rows of (key, count) for a grouped query over the range.
  auto grouped =
      [&](const std::string& sql) -> Result<std::vector<std::pair<std::string, int64_t>>> {
    auto st = stmt(sql);
    if (!st) return fail(st.error());
    (*st)->bind(1, a).bind(2, b);
    std::vector<std::pair<std::string, int64_t>> out;
    while (true) {
      auto row = (*st)->step();
      if (!row) return fail(row.error());
      if (!*row) break;
      out.emplace_back((*st)->text(0), (*st)->int64(1));
    }
    (*st)->reset();
    return out;
  };

  auto messages = scalar(
      "SELECT COUNT(*) FROM messages m JOIN report_messages rm ON rm.message=m.id "
      "WHERE m.purpose='incident' AND rm.role<>'reply' AND m.received_at>=?1 AND m.received_at<?2");
  if (!messages) return fail(messages.error());
  f.messages = *messages;
  auto non_incident = scalar(
      "SELECT COUNT(*) FROM messages WHERE purpose IN ('question','information','consultation') "
      "AND received_at>=?1 AND received_at<?2");
  if (!non_incident) return fail(non_incident.error());
  f.non_incident = *non_incident;
  auto notifications = scalar(
      "SELECT COUNT(*) FROM notices WHERE status='sent' AND audience='responder' AND sent_at>=?1 "
      "AND sent_at<?2");
  if (!notifications) return fail(notifications.error());
  f.notifications = *notifications;
  auto reporter_mails = scalar(
      "SELECT COUNT(*) FROM notices WHERE status='sent' AND audience='reporter' AND sent_at>=?1 "
      "AND sent_at<?2");
  if (!reporter_mails) return fail(reporter_mails.error());
  f.reporter_mails = *reporter_mails;
  auto reports = scalar("SELECT COUNT(*) FROM reports WHERE created_at>=?1 AND created_at<?2");
  if (!reports) return fail(reports.error());
  f.reports = *reports;

  for (const char* t : {"scan", "forged", "intrusion", "phishing", "other"}) f.by_type[t] = 0;
  auto types = grouped(
      "SELECT i.type, COUNT(*) FROM incidents i JOIN reports r ON r.id=i.report "
      "WHERE r.created_at>=?1 AND r.created_at<?2 GROUP BY i.type");
  if (!types) return fail(types.error());
  for (const auto& [t, n] : *types) {
    f.by_type[t] = n;
    f.incidents += n;
  }
  auto tlds = grouped(
      "SELECT tld, COUNT(*) AS n FROM reports WHERE created_at>=?1 AND created_at<?2 AND tld<>'' "
      "GROUP BY tld ORDER BY n DESC, tld");
  if (!tlds) return fail(tlds.error());
  f.reporter_tld = *tlds;

  for (const char* o : {"domestic", "foreign", "unknown"}) f.phishing_brand[o] = 0;
  auto brands = grouped(
      "SELECT CASE WHEN i.brand_origin IN ('domestic','foreign') THEN i.brand_origin ELSE "
      "'unknown' END, "
      "COUNT(*) FROM incidents i JOIN reports r ON r.id=i.report WHERE i.type='phishing' AND "
      "r.created_at>=?1 AND r.created_at<?2 GROUP BY 1");
  if (!brands) return fail(brands.error());
  for (const auto& [o, n] : *brands) f.phishing_brand[o] = n;

  // Scan incidents: the port seen most (ties: lowest), or comprehensive when the source was
  // seen on at least `comprehensive_ports` distinct ports.
  auto st = stmt(
      "SELECT i.id, p.proto, p.port, p.hits FROM incidents i JOIN reports r ON r.id=i.report "
      "JOIN incident_ports p ON p.incident=i.id WHERE i.type='scan' AND r.created_at>=?1 AND "
      "r.created_at<?2 ORDER BY i.id, p.hits DESC, p.port");
  if (!st) return fail(st.error());
  (*st)->bind(1, a).bind(2, b);
  std::map<std::pair<std::string, int>, int64_t> lines;
  Id current = -1;
  int distinct = 0;
  std::pair<std::string, int> top;
  auto flush = [&] {
    if (current < 0) return;
    if (distinct >= comprehensive_ports) {
      ++f.comprehensive_scans;
    } else {
      ++lines[top];
    }
  };
  while (true) {
    auto row = (*st)->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    const Id id = (*st)->int64(0);
    if (id != current) {
      flush();
      current = id;
      distinct = 0;
      top = {(*st)->text(1), static_cast<int>((*st)->int64(2))};
    }
    ++distinct;
  }
  flush();
  (*st)->reset();
  for (const auto& [key, n] : lines) f.scan_ports.push_back({key.first, key.second, n});
  std::sort(f.scan_ports.begin(), f.scan_ports.end(), [](const auto& x, const auto& y) {
    return x.incidents != y.incidents ? x.incidents > y.incidents : x.port < y.port;
  });

  auto countries = grouped(
      "SELECT i.country, COUNT(*) AS n FROM incidents i JOIN reports r ON r.id=i.report "
      "WHERE r.created_at>=?1 AND r.created_at<?2 AND i.country<>'' GROUP BY i.country ORDER BY n "
      "DESC, i.country");
  if (!countries) return fail(countries.error());
  f.by_country = *countries;
  for (const char* k : {"isp", "company", "school", "overseas", "other"}) f.by_org_kind[k] = 0;
  auto kinds = grouped(
      "SELECT CASE WHEN i.org_kind IN ('isp','company','school','overseas') THEN i.org_kind ELSE "
      "'other' END, "
      "COUNT(*) FROM incidents i JOIN reports r ON r.id=i.report WHERE r.created_at>=?1 AND "
      "r.created_at<?2 "
      "AND i.enriched_version>0 GROUP BY 1");
  if (!kinds) return fail(kinds.error());
  for (const auto& [k, n] : *kinds) f.by_org_kind[k] = n;
  {
    auto st2 = stmt(
        "SELECT i.asn, MAX(i.as_name), COUNT(*) AS n FROM incidents i JOIN reports r ON "
        "r.id=i.report "
        "WHERE r.created_at>=?1 AND r.created_at<?2 AND i.asn IS NOT NULL GROUP BY i.asn ORDER BY "
        "n DESC, i.asn");
    if (!st2) return fail(st2.error());
    (*st2)->bind(1, a).bind(2, b);
    while (true) {
      auto row = (*st2)->step();
      if (!row) return fail(row.error());
      if (!*row) break;
      f.by_asn.push_back({(*st2)->int64(0), (*st2)->text(1), (*st2)->int64(2)});
    }
    (*st2)->reset();
  }

  auto tags = grouped(
      "SELECT t.tag, COUNT(*) AS n FROM report_tags t JOIN reports r ON r.id=t.report "
      "WHERE r.created_at>=?1 AND r.created_at<?2 GROUP BY t.tag ORDER BY n DESC, t.tag");
  if (!tags) return fail(tags.error());
  f.tags = *tags;
  return f;
}

Result<std::vector<ReportSummary>> SqliteStore::list_reports(const ReportFilter& f) {
  std::string sql = std::string(kReportSelect);
  sql.replace(sql.find(" FROM reports r"), std::string::npos,
              ", (SELECT COALESCE(address,'') FROM reporters WHERE id=r.reporter),"
              " (SELECT COUNT(*) FROM report_messages WHERE report=r.id),"
              " (SELECT COUNT(*) FROM incidents WHERE report=r.id) FROM reports r" +
                  std::string(kReportWhere) + " ORDER BY r.id LIMIT ?5");
  auto st = stmt(sql);
  if (!st) return fail(st.error());
  Statement& s = **st;
  bind_report_filter(s, f);
  std::vector<ReportSummary> out;
  while (true) {
    auto row = s.step();
    if (!row) return fail(row.error());
    if (!*row) break;
    ReportSummary r;
    r.report = read_report(s, 0);
    r.reporter_address = s.text(18);
    r.messages = s.int64(19);
    r.incidents = s.int64(20);
    out.push_back(std::move(r));
  }
  s.reset();
  return out;
}

Result<int64_t> SqliteStore::count_reports(const ReportFilter& f) {
  auto st = stmt("SELECT COUNT(*) FROM reports r" + std::string(kReportWhere));
  if (!st) return fail(st.error());
  bind_report_filter(**st, f);
  return count_of(**st);
}

Result<int64_t> SqliteStore::count_incidents(const IncidentFilter& f) {
  auto st = stmt("SELECT COUNT(*) FROM incidents i" + std::string(kIncidentWhere));
  if (!st) return fail(st.error());
  bind_incident_filter(**st, f);
  return count_of(**st);
}

Result<IncidentRecord> SqliteStore::get_incident(Id id) {
  auto st = stmt(std::string(kIncidentSelect) + " WHERE i.id=?1");
  if (!st) return fail(st.error());
  (*st)->bind(1, id);
  auto row = (*st)->step();
  if (!row) return fail(row.error());
  if (!*row) {
    (*st)->reset();
    return fail(Error::NotFound("no incident with this number", "incident " + std::to_string(id)));
  }
  IncidentRecord i = read_incident(**st);
  (*st)->reset();
  return i;
}

Result<std::vector<IncidentSummary>> SqliteStore::list_incidents(const IncidentFilter& f) {
  auto st = stmt(std::string(kIncidentSelect) + kIncidentWhere + " ORDER BY i.id LIMIT ?6");
  if (!st) return fail(st.error());
  Statement& s = **st;
  bind_incident_filter(s, f);
  std::vector<IncidentSummary> out;
  while (true) {
    auto row = s.step();
    if (!row) return fail(row.error());
    if (!*row) break;
    out.push_back({read_incident(s), {}, {}});
  }
  s.reset();
  for (auto& i : out) {
    auto p = ports_of(i.incident.id);
    if (!p) return fail(p.error());
    i.ports = std::move(*p);
    auto u = urls_of(i.incident.id);
    if (!u) return fail(u.error());
    i.urls = std::move(*u);
  }
  return out;
}

Result<ReportDetail> SqliteStore::report_detail(Id id) {
  ReportDetail d;
  auto rep = get_report(id);
  if (!rep) return fail(rep.error());
  d.summary.report = *rep;
  {
    auto st = stmt("SELECT address FROM reporters WHERE id=?1");
    if (!st) return fail(st.error());
    (*st)->bind(1, rep->reporter);
    if (auto row = (*st)->step(); row && *row) d.summary.reporter_address = (*st)->text(0);
    (*st)->reset();
  }
  {
    auto st = stmt(
        "SELECT m.id,m.received_at,m.sender,m.subject,rm.role,m.parse_status,m.signature FROM "
        "messages m "
        "JOIN report_messages rm ON rm.message=m.id WHERE rm.report=?1 ORDER BY m.received_at, "
        "m.id");
    if (!st) return fail(st.error());
    (*st)->bind(1, id);
    while (true) {
      auto row = (*st)->step();
      if (!row) return fail(row.error());
      if (!*row) break;
      Statement& s = **st;
      d.messages.push_back(
          {s.int64(0), time_of(s.int64(1)), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6)});
    }
    (*st)->reset();
  }
  IncidentFilter inf;
  inf.report = id;
  inf.limit = 100000;
  auto inc = list_incidents(inf);
  if (!inc) return fail(inc.error());
  d.incidents = std::move(*inc);
  d.summary.messages = static_cast<int64_t>(d.messages.size());
  d.summary.incidents = static_cast<int64_t>(d.incidents.size());
  {
    auto st = stmt("SELECT tag FROM report_tags WHERE report=?1 ORDER BY tag");
    if (!st) return fail(st.error());
    (*st)->bind(1, id);
    while (true) {
      auto row = (*st)->step();
      if (!row) return fail(row.error());
      if (!*row) break;
      d.tags.push_back((*st)->text(0));
    }
    (*st)->reset();
  }
  {
    auto st = stmt(
        "SELECT at,actor,action,subject,detail FROM events WHERE subject=?1 OR subject IN "
        "(SELECT 'incident:'||id FROM incidents WHERE report=?2) OR subject IN "
        "(SELECT 'site:'||s.id FROM sites s JOIN incidents i ON i.id=s.incident WHERE i.report=?2) "
        "OR subject IN "
        "(SELECT 'notice:'||id FROM notices WHERE report=?2) ORDER BY id");
    if (!st) return fail(st.error());
    (*st)->bind(1, "report:" + std::to_string(id)).bind(2, id);
    while (true) {
      auto row = (*st)->step();
      if (!row) return fail(row.error());
      if (!*row) break;
      Statement& s = **st;
      d.events.push_back({time_of(s.int64(0)), s.text(1), s.text(2), s.text(3), s.text(4)});
    }
    (*st)->reset();
  }
  return d;
}

}  // namespace

int schema_version() { return static_cast<int>(migrations().size()); }

Result<std::unique_ptr<Database>> open_sqlite_store(const std::string& path,
                                                    const SqliteOptions& options) {
  Db::Mode mode = options.create ? Db::Mode::kCreate : Db::Mode::kExisting;
  if (!options.create && path != ":memory:") {
    if (::access(path.c_str(), F_OK) != 0) {
      return fail(Error::NotFound(
          "no database here: check --db (or [store] path); `kizuna ingest` creates one", path));
    }
    const std::string dir = std::filesystem::absolute(path).parent_path().string();
    if (options.read_only_fallback &&
        (::access(path.c_str(), W_OK) != 0 || ::access(dir.c_str(), W_OK) != 0)) {
      mode = Db::Mode::kReadOnly;
    }
  }
  auto db = Db::open(path, 5000, mode);
  if (!db) return fail(db.error());
  auto store = std::make_unique<SqliteStore>(std::move(*db), options);
  if (mode == Db::Mode::kReadOnly) {
    // Nothing can be migrated here: a database from an older Kizuna needs a writable copy.
    if (auto v = store->schema_version(); !v) {
      return fail(v.error());
    } else if (*v != static_cast<int64_t>(migrations().size())) {
      return fail(
          Error::Unavailable("the database is read-only here and needs upgrading from "
                             "schema version " +
                                 std::to_string(*v) + ": open it once where it can be written",
                             path));
    }
  } else if (auto s = store->migrate(); !s) {
    return fail(s.error());
  }
  return std::unique_ptr<Database>(std::move(store));
}

}  // namespace kz::store
