// Intake to store: one received item becomes a stored message (raw bytes first), is parsed and
// triaged, and joins at most one open report (the best match: same mail thread, same X-ARF
// report id, same URL, or the same reported address and type within the merge window) or
// opens a new one, linked to the latest earlier report on the same address ("same host").
// Re-ingesting stored bytes changes nothing.
//
// ingest() is prepare() (pure: content address, parsing, triage) followed by the store's part.
// prepare() may run on other threads, ahead of the store writer (see ingest_run.h); everything
// else is not thread-safe (one Ingestor per store connection). Batching: the caller wraps calls
// in store.begin()/commit(); ingest() never commits by itself.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "core/time.h"
#include "intake/mailbox.h"
#include "intake/mime.h"
#include "store/database.h"
#include "triage/assess.h"

namespace kz::triage {

// Asked about every parsed e-mail before triage: is it a reply to one of the centre's own mails
// (coordination knows its Message-IDs and tracking tags)? It files the message itself and returns
// the report it now belongs to; nullopt lets triage go on as usual. Store errors only fail.
struct ReplyFiling {
  store::Id report = 0;
  bool from_reporter = false;  // the reporter writing back: a reporter's message, counted as one
};
using ReplyHook = std::function<Result<std::optional<ReplyFiling>>(store::Id message,
                                                                   const intake::ParsedMessage& m)>;

struct IngestOptions {
  std::chrono::days merge_window{7};
  std::string actor = "system:intake";
  // The searchable text kept per message (its subject, sender and text parts, folded for search;
  // [intake] search_text_bytes): what a search over messages can find. 0: none kept.
  size_t search_text_bytes = 16384;
  ReplyHook reply_hook;  // unset: no reply detection
  // Asked for each new incident before it is stored, with the hosts of its sites: what
  // enrichment can tell at once (version 0: nothing yet, the enrichment after ingest does it).
  // Saves writing every incident twice. Unset: every incident waits for that enrichment.
  using Enrich = std::function<store::IncidentEnrichment(
      const store::IncidentRecord& incident, const std::vector<std::string>& site_hosts)>;
  Enrich enrich;
};

struct IngestOutcome {
  enum class Status { kNew, kDuplicate, kQuarantined };
  Status status = Status::kNew;
  store::Id message = 0;
  std::optional<store::Id> report;
  bool merged = false;    // joined an existing report
  std::string merged_by;  // thread | xarf-id | url | ip
  Purpose purpose = Purpose::kIncident;
  std::string problem;  // why quarantined, or what was only partly read
};

// What an item is before anything is stored: its content address, and (unless it was skipped
// as already stored) the parse and the assessment. Depends on the item and the configuration only.
struct Prepared {
  std::string sha256;
  bool parsed = false;  // false: skipped (known duplicate); ingest() parses if it is not one
  std::optional<intake::ParsedMessage> message;  // nullopt when parsed but unreadable
  std::string parse_error;                       // why unreadable
  Assessment assessment;                         // of `message`
};

// The repositories filing a message writes (and the transactions a handler's reclassification
// opens; the ingest itself runs inside its caller's batch, ingest_run.h).
struct IngestStores {
  store::Transactions& tx;
  store::MessageStore& messages;
  store::ReportStore& reports;
  store::IncidentStore& incidents;
  store::SiteStore& sites;
  store::ReporterStore& reporters;
  store::EventLog& events;

  static IngestStores of(store::Database& db) {
    return {db,         db.messages(),  db.reports(), db.incidents(),
            db.sites(), db.reporters(), db.events()};
  }
};

class Ingestor {
 public:
  Ingestor(IngestStores stores, TriageConfig triage, intake::MimeOptions mime, const Clock& clock,
           IngestOptions options = {});

  // Stores, parses, triages and merges one item. Errors are store failures only (kUnavailable:
  // retry later); unreadable input is quarantined, never an error.
  // A stored duplicate is found before parsing.
  Result<IngestOutcome> ingest(const intake::InputItem& item);
  // The same with the parse and triage done beforehand by prepare(item).
  Result<IngestOutcome> ingest(const intake::InputItem& item, Prepared&& prepared);

  // Thread-safe: reads only the configuration (parsing and triage keep thread-local caches).
  // When `skip_if` says true for the item's content address, it is not parsed.
  using SkipIf = std::function<bool(const std::string& sha256)>;
  Prepared prepare(const intake::InputItem& item, const SkipIf& skip_if = nullptr) const;
  // Only the content address: ingest() parses the item if it is not stored yet.
  static Prepared address(const intake::InputItem& item);
  // Fills in the parse and the assessment of an addressed item (thread-safe like prepare()); an
  // exception thrown inside makes the item unreadable (quarantined with the reason), never
  // leaves the function.
  void parse_and_assess(const intake::InputItem& item, Prepared& p) const;

  // Stores the item's raw bytes as a quarantined message with `reason` (a message.quarantined
  // event), without parsing it: what the run does with a message that failed in any stage, or
  // that stopped an earlier run. Errors are store failures only.
  Result<IngestOutcome> quarantine(const intake::InputItem& item, const std::string& sha256,
                                   const std::string& reason);

 private:
  void parse_and_assess_unguarded(const intake::InputItem& item, Prepared& p) const;
  // The store's part for an item that is not stored yet.
  Result<IngestOutcome> file_new(const intake::InputItem& item, Prepared& p);
  Result<std::optional<store::Id>> find_report(const Assessment& a, const intake::ParsedMessage& m,
                                               Time received, std::string& how);
  // `rep` is the report as stored (read or just created): its classification and brand.
  Status file_under_report(store::Id report, const store::ReportRecord& rep, const Assessment& a,
                           Time received, bool created);

  IngestStores store_;
  TriageConfig triage_;
  intake::MimeOptions mime_;
  const Clock& clock_;
  IngestOptions options_;
};

// What a search over messages reads of `m` (MessageStore::add_message_text): its subject, its
// sender and its text parts, folded for search (core/text.h) and cut at `max_bytes` on a
// character's boundary. Pure.
std::string search_text(const intake::ParsedMessage& m, size_t max_bytes);

// A handler's reclassification of a report (all its incidents follow) or of one incident,
// recorded in the event log with the previous classification and the reason.
// When a report learns its brand (a later message names it), which of its incidents take it: the
// phishing ones whose brand is not known yet (origin "" or "unknown"). A brand of its own stays.
bool takes_report_brand(const store::IncidentRecord& incident);

Status reclassify_report(const IngestStores& store, store::Id report, const Classification& cls,
                         const std::string& actor, const std::string& reason, Time at);
// The same inside the caller's transaction, for a report already read as `before` (a bulk
// action reclassifies many in one).
Status reclassify_report_in_transaction(const IngestStores& store,
                                        const store::ReportRecord& before,
                                        const Classification& cls, const std::string& actor,
                                        const std::string& reason, Time at);
Status reclassify_incident(const IngestStores& store, store::Id incident, const Classification& cls,
                           const std::string& actor, const std::string& reason, Time at);

}  // namespace kz::triage
