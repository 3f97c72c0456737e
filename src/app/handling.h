// A handler's work on reports, as use cases the command line and the server share: assign,
// internal notes, TLP, tags, classification, close and reopen. Each action that takes report
// numbers takes one or many: a bulk action is the same call, done in one transaction (every
// report changed, or none, the error naming the report that stopped it). Every change is an event
// with the acting user; an action that changes nothing (a report already closed, a tag already
// there) writes no event.
//
// Who sees what: with `as` set (the server), a report the principal may not see (TLP:RED, not
// assigned to them, not an admin) is kNotFound exactly like a report that does not exist, so its
// existence does not leak. The command line passes nullptr: it runs with the database's rights.
//
// Errors: kNotFound (a report, or the assignee, unknown); kInvalidArgument (an empty list, a bad
// TLP or tag, a note empty or over kMaxNoteBytes, an assignee who cannot work reports); the
// store's. Thread-safety: as the Database given.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/access.h"
#include "core/taxonomy.h"
#include "store/database.h"
#include "triage/rules.h"

namespace kz::app {

// The most reports one bulk action takes: a handler's selection of a queue page or two. A
// larger list is refused rather than holding a write transaction for long.
inline constexpr size_t kMaxBulkReports = 1000;
// A note is a handler's text, not a document: 64 KiB holds pages of it.
inline constexpr size_t kMaxNoteBytes = 64 * 1024;

// True when `p` may see `r` inside the centre: admins see everything; TLP:RED (the report's
// marking, or `default_tlp` when it has none) only its assignee otherwise.
bool may_see(const Principal& p, const store::ReportRecord& r, const std::string& default_tlp);

// Who acts and under which rules.
struct Acting {
  std::string actor;                  // as the event log names it: user:<name>, cli:<name>
  const Principal* as = nullptr;      // the server's caller; nullptr: the command line
  std::string default_tlp = "AMBER";  // [centre] default_tlp
};

// The report `id` as `who` may see it: kNotFound, as for a report that does not exist, when
// `who.as` may not.
Result<store::ReportRecord> visible_report(store::Database& db, const Acting& who, store::Id id);

// Assigns the reports to `assignee` (a user who is an admin or a handler, not disabled), or
// unassigns them when it is empty.
Status assign_reports(store::Database& db, Time now, const Acting& who,
                      const std::vector<store::Id>& reports, const std::string& assignee);
// Sets the TLP marking (CLEAR, GREEN, AMBER, AMBER+STRICT, RED; TLP:WHITE is read as CLEAR).
Status set_reports_tlp(store::Database& db, Time now, const Acting& who,
                       const std::vector<store::Id>& reports, const std::string& tlp,
                       const std::string& reason);
// Adds and removes tags (1 to 64 bytes of letters, digits and . _ : / -; lower case kept).
Status tag_reports(store::Database& db, Time now, const Acting& who,
                   const std::vector<store::Id>& reports, const std::vector<std::string>& add,
                   const std::vector<std::string>& remove);
// A classification as a handler writes it: "type[/subtype]" (scan, forged, intrusion, phishing,
// other) and optionally "taxonomy/type" of RSIT; without it, the RSIT of the first rule of that
// type and subtype, else other/other. kInvalidArgument for an unknown type or a malformed RSIT.
Result<Classification> parse_classification(const std::string& spec, const std::string& rsit,
                                            const triage::Rules& rules);
// Reclassifies the reports and all their incidents.
Status classify_reports(store::Database& db, Time now, const Acting& who,
                        const std::vector<store::Id>& reports, const Classification& cls,
                        const std::string& reason);
// Closes the reports with one reason (required: the timeline says why), or opens them again.
// Closing a report records the handler's decision; its sites keep their own workflow (a site
// that revives opens its report again, coord/sites.h).
Status close_reports(store::Database& db, Time now, const Acting& who,
                     const std::vector<store::Id>& reports, const std::string& reason);
Status reopen_reports(store::Database& db, Time now, const Acting& who,
                      const std::vector<store::Id>& reports, const std::string& reason);
// Merges reports into `into` (a handler's "these are one matter"): each of `from` gives it its
// messages, incidents and sites (one on an address, host or URL `into` has joins it), tags,
// notes, notices and status links, and stays closed, naming `into`: its number still leads to
// the matter, a reporter's reply tagged with it is filed under `into`, and the quarter's figures
// count it no more as a report of its own. `into` takes the stricter TLP marking of them all.
// Every report must be open and not merged already; `into` not among `from`. A reason is
// required. Events: report.merged_into on each of `from`, report.merged_from on `into`.
Result<store::MergeOutcome> merge_reports(store::Database& db, Time now, const Acting& who,
                                          store::Id into, const std::vector<store::Id>& from,
                                          const std::string& reason);
// Splits a report: `messages` (at least one, not all of them) and `incidents` (none or some,
// with their sites) move to a new open report with the same classification, reporter, marking
// and assignee, linked to the one it came from. Returns the new report's number. Events:
// report.split on the report, report.split_from on the new one.
Result<store::Id> split_report(store::Database& db, Time now, const Acting& who, store::Id report,
                               const std::vector<store::Id>& messages,
                               const std::vector<store::Id>& incidents, const std::string& reason);
// An internal note on one report; returns its number.
Result<store::Id> add_note(store::Database& db, Time now, const Acting& who, store::Id report,
                           const std::string& body);

}  // namespace kz::app
