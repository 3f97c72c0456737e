// Reports: what one reporter told the centre, the unit a handler works on. Holds the merge
// look-ups that decide whether a new message joins an existing report.
//
// Errors, for every method: as MessageStore (messages.h); methods name further errors of their
// own. Thread-safety: as the Database it comes from.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/taxonomy.h"
#include "store/common.h"
#include "store/states.h"

namespace kz::store {

struct ReportRecord {
  Id id = 0;
  Time created_at{};
  ReportStatus status = ReportStatus::kOpen;
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
  std::optional<Id> assignee;      // the user working it (users.h), none when unassigned
  // Set when a handler merged this report into another (merge_report): it is closed, and its
  // messages, incidents, notes and links are that report's now.
  std::optional<Id> merged_into;
};

// What a merge moved (ReportStore::merge_report).
struct MergeOutcome {
  int64_t messages = 0;          // messages filed under the report merged into
  int64_t incidents_moved = 0;   // incidents that moved as they were
  int64_t incidents_joined = 0;  // incidents on an address or host the other report had: their
                                 // ports and sites joined that report's incident
  int64_t sites_joined = 0;      // sites of a URL the other report had: their checks and notices
                                 // now name that report's site
};

// A handler's internal note on a report: the centre's own, never shown outside it.
struct NoteRecord {
  Id id = 0;
  Id report = 0;
  std::string author;  // the actor, as the event log names it
  Time created_at{};
  std::string body;
};

class ReportStore {
 public:
  virtual ~ReportStore() = default;

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

  // kNotFound: no such report.
  virtual Result<ReportRecord> get_report(Id id) = 0;
  // The report a message is filed under; nullopt when it is in none (a non-incident message).
  virtual Result<std::optional<Id>> report_of_message(Id message) = 0;
  virtual Result<Id> create_report(const ReportRecord& r) = 0;
  // Files a message under a report with its role (first, followup, reply ...); filing the same
  // message twice keeps the first role.
  virtual Status attach_message(Id report, Id message, const std::string& role) = 0;
  // Adds tags (intrusion methods and actions); a tag the report has is kept once.
  virtual Status add_tags(Id report, const std::vector<std::string>& tags) = 0;
  // Sets the brand of a report (which of its incidents take it is triage's rule:
  // triage::takes_report_brand).
  virtual Status set_brand(Id report, const std::string& brand, const std::string& origin) = 0;
  // Sets the classification of a report and of all its incidents.
  virtual Status set_report_classification(Id report, const Classification& c) = 0;
  // Sets the status; closed also records `at` as the closing time, open clears it.
  virtual Status set_report_status(Id report, ReportStatus status, Time at) = 0;

  // --- a handler's work on a report ------------------------------------------------------
  // Assigns the report to `user`, or unassigns it (nullopt).
  virtual Status set_assignee(Id report, std::optional<Id> user) = 0;
  // Sets the report's TLP marking as given (app/ normalises it).
  virtual Status set_tlp(Id report, const std::string& tlp) = 0;
  // Removes tags; a tag the report does not have is no error.
  virtual Status remove_tags(Id report, const std::vector<std::string>& tags) = 0;
  virtual Result<std::vector<std::string>> tags_of(Id report) = 0;
  virtual Result<Id> add_note(const NoteRecord& note) = 0;

  // --- merge and split (app/handling.h; the caller's transaction) --------------------------
  // Moves everything of `from` under `into`: its messages (its first one becomes a follow-up, or
  // a second reporter's when the reporters differ), incidents (one on an address or host `into`
  // has joins that incident: ports added up, sites moved, and a site of a URL `into` has gives
  // its checks and notices to that site, which keeps its own workflow state unless it was still
  // new), tags, notes, notices and status links; reports linked to `from` as "same host" link to
  // `into`. `from` is closed at `at` with merged_into set. The caller checks that both exist,
  // differ and are not merged already.
  virtual Result<MergeOutcome> merge_report(Id from, Id into, Time at) = 0;
  // A new report made from `fresh` (its id and status ignored: open) that takes `messages` and
  // `incidents` (with their ports and sites) from `report`; the first message moved becomes its
  // first. Returns its number. The caller checks that they belong to `report` and that
  // `report` keeps a message.
  virtual Result<Id> split_report(Id report, const ReportRecord& fresh,
                                  const std::vector<Id>& messages,
                                  const std::vector<Id>& incidents) = 0;
  // The numbers of a report's messages and incidents, in order.
  virtual Result<std::pair<std::vector<Id>, std::vector<Id>>> contents_of(Id report) = 0;

  // --- a reporter's status links ----------------------------------------------------------
  virtual Status add_status_link(Id report, const std::string& token_hash, Time created_at,
                                 Time expires_at) = 0;
  // The report and end of the link with this hash; nullopt when there is none.
  virtual Result<std::optional<std::pair<Id, Time>>> status_link(const std::string& token_hash) = 0;
  // The report's notes, oldest first.
  virtual Result<std::vector<NoteRecord>> notes_of(Id report) = 0;
};

}  // namespace kz::store
