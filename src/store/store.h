// The store: the only module that speaks SQL. Everything else sees this interface and the
// plain records below. SqliteStore (embedded default) implements it; a PostgreSQL back end
// will implement the same interface.
//
// Thread-safety: a Store object is used by one thread at a time. Writes happen inside
// begin()/commit(); a failed commit leaves the database as before the begin().
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/spill_file.h"
#include "core/taxonomy.h"
#include "core/time.h"

namespace kz::store {

using Id = int64_t;

// The raw bytes of one message: `head` in memory, then, for a message too large to hold in
// memory, `more` on disk (intake::ReadOptions::max_memory_bytes).
struct RawBytes {
  RawBytes(std::string_view h, const SpillFile* m = nullptr) : head(h), more(m) {}
  RawBytes(const std::string& h) : head(h) {}
  RawBytes(const char* h) : head(h) {}
  std::string_view head;
  const SpillFile* more = nullptr;
  uint64_t size() const { return head.size() + (more ? more->size() : 0); }
};

struct MessageRecord {
  std::string sha256;  // of the raw bytes as received
  std::string channel = "email";
  std::string source;
  Time received_at{};
  Time ingested_at{};
  std::string sender;
  std::string subject;
  std::string message_id;
  std::vector<std::string> refs;  // In-Reply-To and References, without angle brackets
  Purpose purpose = Purpose::kIncident;
  std::string parse_status = "ok";  // ok | partial | quarantined
  std::string parse_error;
  std::string format = "none";
  std::string signature = "none";
  std::string signer;
  int encrypted = 0;
  bool csam = false;
  std::string tlp;
  // The message's own date (the centre's Received:, the mbox "From " line, else Date:); nullopt
  // when it had none and received_at is the time of ingest.
  std::optional<Time> dated_at;
  // Why a machine sent it (Auto-Submitted, bulk or list mail, X-ARF, ARF, a bounce): its sender
  // gets no mail from the centre. Empty when a person wrote it.
  std::string automatic;
};

// A message set aside as unreadable (parse_status quarantined), for `kizuna quarantine`.
struct QuarantinedMessage {
  Id id = 0;
  std::string sha256;
  std::string channel;
  std::string source;
  std::string reason;  // parse_error
  int64_t size = 0;    // bytes received
  Time received_at{};
  Time ingested_at{};
};

struct IndicatorRecord {
  std::string kind;  // ip | cidr | url | domain | email | md5 | sha1 | sha256
  std::string value;
  std::string role;  // reported | victim | mentioned
  std::string source;
};

struct ReporterRecord {
  Id id = 0;
  std::string address;
  std::string name;
  std::string org_domain;
  std::string tld;
  std::string kind = "other";
  bool domestic = false;
};

struct ReportRecord {
  Id id = 0;
  Time created_at{};
  std::string status = "open";
  std::optional<Time> closed_at;
  Classification cls;
  Id reporter = 0;
  std::string tld;
  std::string xarf_report_id;
  std::string brand;
  std::string brand_origin;
  std::string tlp;
  bool csam = false;
  std::optional<Id> linked_report;
  std::string summary;
  bool disclose_reporter = false;  // the reporter allowed responders to see who reported
};

struct PortHit {
  std::string proto = "tcp";
  int port = 0;
  int hits = 1;
};

// What enrichment found for an incident.
struct IncidentEnrichment {
  std::optional<uint32_t> asn;
  std::string as_name;
  std::string country;
  std::string org;
  std::string org_kind;  // isp | company | school | overseas | other
  std::string route;     // JSON {"to":[...],"reason":"..."}
  int64_t version = 0;   // of the data it came from; 0: not enriched
};

struct IncidentRecord {
  Id id = 0;
  Id report = 0;
  std::string ip;    // canonical address, empty while keyed by host
  std::string host;  // set when keyed by host
  Classification cls;
  std::string brand;
  std::string brand_origin;
  std::optional<Time> first_seen;
  Time created_at{};
  // Written with a new incident (not by reads): what enrichment could tell at once; version 0
  // leaves it to the enrichment after ingest.
  IncidentEnrichment enrichment;
};

struct SiteRecord {
  Id id = 0;
  Id incident = 0;
  Id report = 0;
  std::string url;
  std::string host;
  std::string state = "new";
  std::optional<Time> state_at;
  Time created_at{};  // when the message naming it arrived
  // The checker's and the notifier's bookkeeping (migration 007).
  std::string reference_fingerprint;  // the reported page as first seen live
  int down_streak = 0;                // consecutive down checks
  std::optional<Time> next_check_at;  // nullopt: not scheduled
  int watch_step = 0;                 // revival checks done since down_verified
  std::optional<Time> down_verified_at;
  std::optional<Time> first_notified_at;
  std::optional<Time> last_notified_at;
  std::optional<Time> replied_at;
  int revivals = 0;
  std::string org;  // the organisation notified
};

// One outgoing mail (coord/outbox.h): to a responder (notice, renotice, reminder, escalation) or
// to a reporter (ack, closure).
struct NoticeRecord {
  Id id = 0;
  std::string kind = "notice";         // notice | renotice | reminder | escalation | ack | closure
  std::string audience = "responder";  // responder | reporter
  std::optional<Id> report;
  std::string org;
  std::string org_kind;
  std::vector<std::string> to;
  std::vector<std::string> cc;
  std::string language = "en";
  std::string tag;
  std::string subject;
  std::string body;
  std::string reason;
  std::string status = "planned";  // planned | approved | sent | failed | bounced | cancelled
  Time planned_at{};
  std::optional<Time> approved_at;
  std::string approved_by;
  std::string message_id;
  std::string mime;
  bool is_signed = false;
  bool encrypted = false;
  int attempts = 0;
  std::optional<Time> next_attempt_at;
  std::string last_error;
  std::optional<Time> sent_at;
  std::optional<Time> replied_at;  // the responder's first answer to this notice (its own date)
  std::vector<Id> sites;
};

// One fetch of a site by the checker.
struct SiteCheck {
  Id site = 0;
  Time checked_at{};
  std::string verdict;  // live | down | unknown | blocked
  std::string reason;
  int http_status = 0;
  std::string final_url;
  std::string error;
  std::string fingerprint;
  std::string title;
  std::string user_agent;
  std::string evidence;
};

// Who reported a report and how to write back to them.
struct ReporterContact {
  Id report = 0;
  Id first_message = 0;
  std::string address;
  std::string name;
  std::string tld;
  std::string subject;     // of the first message
  std::string message_id;  // of the first message (the acknowledgement answers it)
  std::string channel;     // email | xarf | form
  Time received_at{};
  std::optional<Time> acknowledged_at;
  std::optional<Time> reporter_told_at;
  bool csam = false;
  std::optional<Time> dated_at;  // of the first message (MessageRecord::dated_at)
  std::string automatic;         // of the first message (MessageRecord::automatic)
  // Whether the reporter is mailed: nullopt not decided yet, "" yes, else why not.
  std::optional<std::string> reporter_mail;
};

struct Event {
  Time at{};
  std::string actor;
  std::string action;
  std::string subject;  // "report:12"
  std::string detail = "{}";
};

// The figures a quarterly report needs (see docs/cli.md, `kizuna stats --json`).
struct Figures {
  int64_t messages = 0;
  int64_t reports = 0;
  int64_t incidents = 0;
  std::map<std::string, int64_t> by_type;  // scan, forged, intrusion, phishing, other
  std::vector<std::pair<std::string, int64_t>> reporter_tld;  // count desc, then name
  struct PortLine {
    std::string proto;
    int port;
    int64_t incidents;
  };
  std::vector<PortLine> scan_ports;  // count desc, then port
  int64_t comprehensive_scans = 0;
  std::map<std::string, int64_t> phishing_brand;  // domestic, foreign, unknown
  int64_t non_incident = 0;
  int64_t notifications =
      0;  // mails sent to responders (re-notices, reminders, escalations included)
  int64_t reporter_mails = 0;  // acknowledgements and closure mails sent to reporters
  std::vector<std::pair<std::string, int64_t>> tags;        // intrusion methods and actions
  std::vector<std::pair<std::string, int64_t>> by_country;  // incidents, count desc then code
  struct AsnLine {
    int64_t asn;
    std::string as_name;
    int64_t incidents;
  };
  std::vector<AsnLine> by_asn;
  std::map<std::string, int64_t> by_org_kind;  // isp, company, school, overseas, other
};

struct ReportFilter {
  std::optional<Time> from;
  std::optional<Time> to;  // exclusive
  std::string type;
  std::string status;
  int limit = 100;
  Id after = 0;  // only reports numbered above this (the next page: the last number shown)
};

struct ReportSummary {
  ReportRecord report;
  std::string reporter_address;
  int64_t messages = 0;
  int64_t incidents = 0;
};

struct IncidentFilter {
  std::optional<Time> from;
  std::optional<Time> to;
  std::string type;
  std::string ip;
  std::optional<Id> report;
  int limit = 100;
  Id after = 0;  // only incidents numbered above this (the next page)
};

struct IncidentSummary {
  IncidentRecord incident;
  std::vector<PortHit> ports;
  std::vector<std::string> urls;
};

struct MessageSummary {
  Id id = 0;
  Time received_at{};
  std::string sender;
  std::string subject;
  std::string role;
  std::string parse_status;
  std::string signature;
};

struct ReportDetail {
  ReportSummary summary;
  std::vector<MessageSummary> messages;
  std::vector<IncidentSummary> incidents;
  std::vector<std::string> tags;
  std::vector<Event> events;
};

// Network data: rows as `kizuna data load` stores them.
struct DataSetInfo {
  std::string kind;
  std::string source;
  Time loaded_at{};
  int64_t entries = 0;
  int64_t problems = 0;
  int64_t version = 0;
};
struct OriginRow {
  std::string prefix;
  std::vector<uint32_t> origins;
};
struct DelegationRow {
  std::string prefix;
  std::string registry;
  std::string country;
  std::string status;
};
struct AsNameRow {
  uint32_t asn = 0;
  std::string name;
  std::string country;
};

struct DataDocument {
  std::string name;
  std::string content;
};

struct IncidentToEnrich {
  Id id = 0;
  std::string ip;
  std::string host;
  std::vector<std::string> site_hosts;  // hosts of the incident's sites (URLs)
};

// A site waiting for a notice: state new or revived, its incident enriched.
struct NoticeCandidate {
  Id site = 0;
  std::string url;
  std::string state;
  Id incident = 0;
  Id report = 0;
  std::string ip;
  std::string host;
  Classification cls;
  std::string country;
  std::string route;  // JSON {"to":[...],"cc":[...],"reason":"..."}
  std::optional<Time> first_seen;
  Time reported_at{};
  Time created_at{};  // of the site: when the message naming it arrived
  std::string tlp;
  bool csam = false;
  bool disclose_reporter = false;
  // Filled by the coordinator before planning (not by the store):
  std::vector<std::string>
      evidence;  // log lines and the like naming the site, reporter-side data removed
  std::string reporter_credit;  // "Name <address>" when the reporter allowed disclosure; else ""
  std::string earlier;  // "incident #5 (report #3), closed 2008-04-20": reported to them before
};

class Store {
 public:
  virtual ~Store() = default;

  // Transactions nest: the outermost begin() starts one, an inner begin() sets a savepoint. An
  // inner rollback() undoes only what was written since its begin() (a coordination step that
  // fails inside intake's batch, `quarantine retry` around an ingest); the outermost undoes
  // everything. A savepoint copies each page written under it into SQLite's sub-journal, so
  // intake does not open one per message (triage/ingest_run.cpp). commit() closes the innermost
  // level; only the outermost makes writes durable.
  virtual Status begin() = 0;
  virtual Status commit() = 0;
  virtual void rollback() = 0;
  // True when the next begin() would wait for the store to finish flushing earlier commits (a
  // SQLite checkpoint running on its own thread). A writer with other work to do, such as
  // parsing the next messages, may do it first; begin() waits either way.
  virtual bool begin_would_wait() const { return false; }

  // --- messages -----------------------------------------------------------------------
  virtual Result<std::optional<Id>> find_message(const std::string& sha256) = 0;
  // Stores one message: its raw bytes (content-addressed by m.sha256; a CSAM report's bytes
  // arrive already stripped of evidence payloads), what parsing and triage made of it, and the
  // Message-IDs it refers to. The size stored is raw.size(). Fails when these bytes are already
  // stored, or when the spill file cannot be read (kIo).
  virtual Result<Id> add_message(const MessageRecord& m, const RawBytes& raw) = 0;
  // A stored message's purpose, once merging has decided it (a reply, a follow-up in a thread).
  virtual Status set_message_purpose(Id id, Purpose purpose) = 0;
  virtual Status add_indicators(Id message, const std::vector<IndicatorRecord>& list) = 0;
  virtual Result<Id> upsert_reporter(const ReporterRecord& r) = 0;

  // --- merge look-ups (each returns at most one report) --------------------------------
  // The report holding a message whose Message-ID is one of `message_ids`.
  virtual Result<std::optional<Id>> report_by_thread(
      const std::vector<std::string>& message_ids) = 0;
  virtual Result<std::optional<Id>> report_by_xarf_id(const std::string& report_id) = 0;
  // An open report with a site of exactly this normalised URL.
  virtual Result<std::optional<Id>> open_report_by_url(const std::string& url) = 0;
  // An open report with an incident on `ip` of `type` created at or after `since`.
  virtual Result<std::optional<Id>> open_report_by_ip(const std::string& ip, IncidentType type,
                                                      Time since) = 0;
  // The most recent report (open or closed) with an incident on `ip`.
  virtual Result<std::optional<Id>> latest_report_on_ip(const std::string& ip) = 0;
  // The address-keyed incident of `report` that already has a site on `host`.
  virtual Result<std::optional<Id>> incident_for_host(Id report, const std::string& host) = 0;
  virtual Result<ReportRecord> get_report(Id id) = 0;

  // --- writes --------------------------------------------------------------------------
  virtual Result<Id> create_report(const ReportRecord& r) = 0;
  virtual Status attach_message(Id report, Id message, const std::string& role) = 0;
  // Inserts the incident, or returns the id of the existing one with the same key.
  virtual Result<Id> upsert_incident(const IncidentRecord& i) = 0;
  virtual Status add_ports(Id incident, const std::vector<PortHit>& ports) = 0;
  // True when the site is new (a URL already under the incident is left as it is).
  virtual Result<bool> add_site(Id incident, const std::string& url, const std::string& host,
                                Time at) = 0;
  virtual Status add_tags(Id report, const std::vector<std::string>& tags) = 0;
  // Coordination: a site and its state; the sites of a report.
  virtual Result<SiteRecord> get_site(Id site) = 0;
  virtual Result<std::vector<SiteRecord>> sites_of_report(Id report) = 0;
  virtual Status set_site_state(Id site, const std::string& state, Time at) = 0;
  // A site for an incident reported without a URL (coordination works per site): the address.
  virtual Result<Id> ensure_address_site(Id incident) = 0;
  // Sites in one of `states` whose incident has a route, CSAM included (the planner skips them).
  virtual Result<std::vector<NoticeCandidate>> notice_candidates(
      const std::vector<std::string>& states) = 0;
  // ensure_address_site() for every incident that has no site yet.
  virtual Status ensure_address_sites() = 0;
  // Sets the brand of a report and of its phishing incidents that have none yet.
  virtual Status set_brand(Id report, const std::string& brand, const std::string& origin) = 0;
  virtual Status set_report_classification(Id report, const Classification& c) = 0;
  virtual Status set_incident_classification(Id incident, const Classification& c) = 0;
  virtual Status set_report_status(Id report, const std::string& status, Time at) = 0;
  virtual Status append_event(const Event& e) = 0;

  // --- network data (each kind replaced whole, in one transaction) -----------------------
  virtual Status replace_origins(const DataSetInfo& info, const std::vector<OriginRow>& rows) = 0;
  virtual Status replace_delegations(const DataSetInfo& info,
                                     const std::vector<DelegationRow>& rows) = 0;
  virtual Status replace_as_names(const DataSetInfo& info, const std::vector<AsNameRow>& rows) = 0;
  virtual Result<std::vector<OriginRow>> origins() = 0;
  virtual Result<std::vector<DelegationRow>> delegations() = 0;
  virtual Result<std::vector<AsNameRow>> as_names() = 0;
  virtual Result<std::vector<DataSetInfo>> data_sets() = 0;
  virtual Status replace_documents(const DataSetInfo& info,
                                   const std::vector<DataDocument>& docs) = 0;
  virtual Result<std::vector<DataDocument>> documents(const std::string& kind) = 0;
  // Incidents never enriched (version 0; all of them with `all`), with their sites' hosts.
  virtual Result<std::vector<IncidentToEnrich>> incidents_to_enrich(bool all) = 0;
  virtual Status set_enrichment(Id incident, const IncidentEnrichment& e) = 0;
  // A host-keyed incident whose host resolved: it becomes the incident of the first address,
  // and each further address gets an incident of its own with the same sites (one incident
  // per address). An address the report already has absorbs the sites. Returns the ids of
  // the address incidents.
  virtual Result<std::vector<Id>> assign_host_addresses(Id incident,
                                                        const std::vector<std::string>& ips) = 0;

  // --- coordination: outbox, checks, schedules ----------------------------------
  // Writes the notice and its site list; returns its id.
  virtual Result<Id> add_notice(const NoticeRecord& n) = 0;
  // Rewrites every mutable field of the notice (status, approval, Message-ID, MIME, attempts ...).
  virtual Status update_notice(const NoticeRecord& n) = 0;
  virtual Result<NoticeRecord> get_notice(Id id) = 0;
  // All notices with this status ("" = all), oldest first.
  virtual Result<std::vector<NoticeRecord>> notices(const std::string& status) = 0;
  // Approved notices whose next attempt is due at `now`.
  virtual Result<std::vector<NoticeRecord>> notices_due(Time now) = 0;
  // The notice sent with one of these Message-IDs (without <>), if any.
  virtual Result<std::optional<Id>> notice_by_message_id(const std::vector<std::string>& ids) = 0;
  // Sites named by notices planned, approved, bounced or failed: not planned again until a handler
  // cancels the notice (a bounce means the contact must be looked at first).
  virtual Result<std::vector<Id>> sites_pending_notice() = 0;
  // Writes the checker's and notifier's bookkeeping of a site (not its state: set_site_state).
  virtual Status update_site_coord(const SiteRecord& s) = 0;
  // Sites with a check scheduled at or before `now`.
  virtual Result<std::vector<SiteRecord>> sites_due_for_check(Time now) = 0;
  // Sites in one of these states.
  virtual Result<std::vector<SiteRecord>> sites_in_states(
      const std::vector<std::string>& states) = 0;
  virtual Status add_site_check(const SiteCheck& c) = 0;
  virtual Result<std::vector<SiteCheck>> site_checks(Id site) = 0;
  virtual Status add_bounce(const std::string& address, Time at, Id notice,
                            const std::string& reason) = 0;
  virtual Result<int64_t> bounce_count(const std::string& address) = 0;
  // Reports with a reporter's address not decided on yet (reporter_mail unset) and not
  // acknowledged: the worker decides whether their reporter is mailed.
  virtual Result<std::vector<ReporterContact>> reports_to_acknowledge() = 0;
  virtual Result<ReporterContact> reporter_contact(Id report) = 0;
  // Sites first notified in [from, to) (the responder scorecard).
  virtual Result<std::vector<SiteRecord>> sites_first_notified(Time from, Time to) = 0;
  // Notices sent in [from, to).
  virtual Result<std::vector<NoticeRecord>> notices_sent(Time from, Time to) = 0;
  // The bytes of a stored message as received (all of them, in memory).
  virtual Result<std::string> message_raw(Id message) = 0;

  // --- quarantine -------------------------------------------------------------
  // The quarantined messages, newest first, at most `limit`.
  virtual Result<std::vector<QuarantinedMessage>> quarantined_messages(int limit) = 0;
  // One quarantined message; kNotFound when there is no message with this number or it is not
  // quarantined.
  virtual Result<QuarantinedMessage> quarantined_message(Id id) = 0;
  // Deletes a quarantined message's row and raw bytes (its events stay), so that the same bytes
  // can be filed again under a new number in the same transaction (`quarantine retry`).
  // kNotFound as above.
  virtual Status remove_quarantined(Id id) = 0;
  virtual Status set_report_acknowledged(Id report, Time at) = 0;
  // When the closure mail was planned; nullopt again when a site revives (they hear once more).
  virtual Status set_reporter_told(Id report, std::optional<Time> at) = 0;
  // The first answer to a notice (later ones keep the first time).
  virtual Status set_notice_replied(Id notice, Time at) = 0;
  // Whether the reporter is mailed: "" yes, else the reason not (ReporterContact::reporter_mail).
  virtual Status set_reporter_mail(Id report, const std::string& decision) = 0;
  // The recipients (lower-case) of the mails to reporters planned since `since`, one entry a
  // mail: the rate limits count them.
  virtual Result<std::vector<std::string>> reporter_mail_recipients(Time since) = 0;

  // --- directory entries a handler confirmed (migration 013) ---------------------------------
  // Records that `name` (a CSIRT of the starter list) was confirmed by `by` at `at`.
  virtual Status verify_directory_entry(const std::string& name, const std::string& by,
                                        Time at) = 0;
  virtual Result<std::set<std::string>> verified_directory_entries() = 0;

  // --- roles one process holds at a time ----------------------------------------------------
  // Holds `role` ("worker": two workers would both send the same approved notice) for this
  // process until the returned object is destroyed; a process that ends or crashes frees it.
  // Errors: kUnavailable when another process holds it. Every back end provides its own (a file
  // lock beside a SQLite database; an advisory lock on a server).
  class Lease {
   public:
    virtual ~Lease() = default;
  };
  virtual Result<std::unique_ptr<Lease>> hold_exclusive(const std::string& role) = 0;

  // --- settings of this database (migration 012) ------------------------------------------
  // The value stored under `key`, nullopt when none. Keys: "demo", "smtp.breaker_open".
  virtual Result<std::optional<std::string>> setting(const std::string& key) = 0;
  // Stores `value` under `key`; nullopt removes it.
  virtual Status set_setting(const std::string& key, const std::optional<std::string>& value) = 0;
  // The closed incident on `ip` (or `host`) of a report other than `report`, latest first.
  virtual Result<std::optional<Id>> earlier_closed_incident(const std::string& ip, Id report) = 0;

  // --- reads ---------------------------------------------------------------------------
  // Figures over [from, to). `comprehensive_ports`: a scan source seen on at least this many
  // distinct destination ports counts as a comprehensive scan instead of under a port.
  virtual Result<Figures> figures(Time from, Time to, int comprehensive_ports) = 0;
  virtual Result<std::vector<ReportSummary>> list_reports(const ReportFilter& f) = 0;
  // How many reports match `f` (after `f.after`), whatever its limit.
  virtual Result<int64_t> count_reports(const ReportFilter& f) = 0;
  virtual Result<ReportDetail> report_detail(Id id) = 0;
  virtual Result<std::vector<IncidentSummary>> list_incidents(const IncidentFilter& f) = 0;
  // How many incidents match `f` (after `f.after`), whatever its limit.
  virtual Result<int64_t> count_incidents(const IncidentFilter& f) = 0;
  virtual Result<IncidentRecord> get_incident(Id id) = 0;
};

// Opens (creating if needed) an SQLite store and applies pending migrations.
// kUnavailable when the file cannot be opened or is locked past the busy timeout.
struct SqliteOptions {
  // A commit that leaves this many pages (16 KiB) in the write-ahead log has it checkpointed into
  // the database file, on a thread of its own (checkpointer.h). A bulk ingest rewrites the same
  // index pages in every batch and each checkpoint copies them once: 2048 pages measured 137 us
  // per message, 8192 119 us.
  int wal_checkpoint_pages = 8192;
  // Create the database when the file does not exist (the commands that bring data in). Off: a
  // missing file is kNotFound naming the path, so a mistyped --db never makes an empty database.
  bool create = true;
  // Only read: with `create` off and the file or its folder not writable (a copy on read-only
  // media, a folder of another user), the database is opened read-only and immutable (no -wal
  // or -shm can be made there, so no writer can be running either). Writes then fail
  // (kUnavailable).
  bool read_only_fallback = true;
};
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path,
                                                 const SqliteOptions& options = {});

// Number of the newest migration this build knows.
int schema_version();

}  // namespace kz::store
