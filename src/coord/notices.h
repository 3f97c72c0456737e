// Planning mails: one notice per responder listing all their sites (never one mail per
// event), in the responder's language, from the template for the sites' type; reminders and
// escalations the same way; acknowledgements and closure mails to reporters. Pure: candidates
// and templates in, rendered mails out. The coordinator stores them in the outbox.
//
// Confidentiality: a notice names sites, addresses, times and evidence lines only. The reporter
// is named only when they allowed it (web form `reporter.disclose`); evidence of a report marked
// TLP:AMBER or TLP:RED is left out (the responder is outside its audience) and the notice says so.
// CSAM reports are never notified (the hotline route).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "store/reporters.h"
#include "store/sites.h"

namespace kz::coord {

// The mail templates: the shipped files (data/templates, compiled in), each replaceable by a file
// of the same name in the centre's template directory. "Subject: ..." line, blank line, body.
class TemplateSet {
 public:
  static TemplateSet builtin();
  // The built-in set with every DIR/*.txt replacing its namesake; kIo for an unreadable directory.
  static Result<TemplateSet> load(const std::string& dir);
  // kind_type_language, else kind_language, else kind_en ("notice", "phishing", "ja").
  std::string_view pick(std::string_view kind, std::string_view type,
                        std::string_view language) const;
  bool has(const std::string& name) const { return texts_.count(name) != 0; }

 private:
  std::map<std::string, std::string, std::less<>> texts_;
};

struct RenderedMail {
  std::string subject;
  std::string body;
};

// Fills {{name}} from `values`; a line that holds only a placeholder whose value is empty is
// dropped (no double blank lines); placeholders not in `values` stay as they are. Control
// characters and line breaks in values become spaces (one_line), except the line breaks of the
// lists Kizuna builds ({{sites}}, {{preamble}}, {{evidence}}): text from outside never starts a
// line of a composed mail or a header of its own.
RenderedMail render(std::string_view tpl, const std::map<std::string, std::string>& values);

struct NoticeOptions {
  std::string centre = "Kizuna";
  std::string tag_prefix = "Kizuna#";  // tags: [Kizuna#N12] a notice, [Kizuna#7] a report
  TimeZone zone{"Asia/Tokyo"};
};

std::string notice_tag(const NoticeOptions& o, store::Id notice);
std::string report_tag(const NoticeOptions& o, store::Id report);

// What the route of an incident says about its responder (enrich writes it; keys documented there).
struct Responder {
  std::vector<std::string> to;
  std::vector<std::string> cc;
  std::string reason;     // why these recipients (English)
  std::string reason_ja;  // the same in Japanese, for Japanese notices (empty in older routes)
  std::string org;
  std::string org_kind;
  std::string language;  // ja | en; empty: from the country
  std::string format;    // plain | xarf
  std::vector<std::string> escalate_to;
  std::string escalate_reason;
};
Responder parse_route(const std::string& route_json);

struct PlannedNotice {
  store::NoticeKind kind = store::NoticeKind::kNotice;  // notice, renotice, reminder, escalation
  std::vector<std::string> to;
  std::vector<std::string> cc;
  std::string language;  // ja | en
  std::string subject;   // with "{{tag}}" still in it: the tag needs the outbox id
  std::string body;
  std::vector<store::Id> sites;
  std::string reason;
  std::string org;
  std::string org_kind;
  bool xarf = false;  // the responder wants X-ARF v4 attached
  bool renotice = false;
};

// `kind`: "notice" for sites new or revived (a notice listing a revived site is a "renotice"),
// "reminder" for sites still unanswered, "escalation" (sent to the route's escalation contact).
std::vector<PlannedNotice> plan_notices(const std::vector<store::NoticeCandidate>& candidates,
                                        store::NoticeKind kind, const TemplateSet& templates,
                                        const NoticeOptions& options);

// The X-ARF v4 report of one site, for responders that want machine-readable reports.
std::string xarf_report(const store::NoticeCandidate& site, const NoticeOptions& options,
                        const std::string& from_address);

// True when evidence under this TLP may not go to a responder ("TLP:AMBER", "amber+strict", "RED").
bool tlp_withholds(std::string_view tlp);

// Mails to a reporter: the acknowledgement of a new report (with the reporter's status link when
// there is one: the template's {{status_link}} line) and the closure mail.
RenderedMail render_ack(const store::ReporterContact& r, const std::string& language,
                        const TemplateSet& templates, const NoticeOptions& options,
                        const std::string& status_link = "");
struct ClosedSite {
  std::string url;
  Time down_at{};
};
RenderedMail render_closure(const store::ReporterContact& r, const std::vector<ClosedSite>& sites,
                            const std::string& language, const TemplateSet& templates,
                            const NoticeOptions& options);

}  // namespace kz::coord
