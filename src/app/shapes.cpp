#include "app/shapes.h"

#include "coord/workflow.h"

namespace kz::app {

Json time_json(const std::optional<Time>& t) { return t ? Json(format_utc(*t)) : Json(nullptr); }

Json ingest_json(const IngestSummary& t) {
  Json problems = Json::array();
  for (const auto& p : t.problems) {
    Json j{{"source", p.source}, {"status", p.status}, {"reason", p.reason}};
    if (p.message != 0) j["message"] = p.message;
    problems.push_back(std::move(j));
  }
  return {{"new", t.fresh},
          {"duplicate", t.duplicate},
          {"quarantined", t.quarantined},
          {"partial", t.partial},
          {"reports_created", t.reports},
          {"merged", t.merged},
          {"non_incident", t.non_incident},
          {"problems", problems}};
}

Json assessment_json(const intake::ParsedMessage& m, const triage::Assessment& a) {
  Json incidents = Json::array();
  for (const auto& s : a.incidents) {
    Json ports = Json::array();
    for (const auto& p : s.ports)
      ports.push_back({{"proto", p.proto}, {"port", p.port}, {"hits", p.hits}});
    incidents.push_back({{"ip", s.ip}, {"host", s.host}, {"urls", s.urls}, {"ports", ports}});
  }
  Json indicators = Json::array();
  for (const auto& i : a.indicators)
    indicators.push_back(
        {{"kind", i.kind}, {"value", i.value}, {"role", i.role}, {"source", i.source}});
  return {{"purpose", to_string(a.purpose)},
          {"classification", classification_json(a.cls)},
          {"rule", a.rule},
          {"format", a.format},
          {"incidents", incidents},
          {"indicators", indicators},
          {"tags", a.tags},
          {"brand", a.brand},
          {"brand_origin", a.brand_origin},
          {"csam", a.csam},
          {"reporter",
           {{"address", a.reporter.address},
            {"org_domain", a.reporter.org_domain},
            {"tld", a.reporter.tld},
            {"kind", a.reporter.kind},
            {"domestic", a.reporter.domestic}}},
          {"subject", m.subject},
          {"signature", m.signature},
          {"problems", m.problems}};
}

Json quarantined_json(const store::QuarantinedMessage& q) {
  return {{"id", q.id},
          {"sha256", q.sha256},
          {"channel", q.channel},
          {"source", q.source},
          {"reason", q.reason},
          {"size", q.size},
          {"received_at", format_utc(q.received_at)},
          {"ingested_at", format_utc(q.ingested_at)}};
}

Json retried_json(const RetryOutcome& o) {
  return {{"was", o.was}, {"message", o.now}, {"status", o.status}, {"problem", o.problem}};
}

Json figures_json(const report::Figures& f, const std::string& from, const std::string& to,
                  const std::string& time_zone) {
  Json tlds = Json::array();
  for (const auto& [tld, n] : f.reporter_tld) tlds.push_back({{"tld", tld}, {"reports", n}});
  Json ports = Json::array();
  for (const auto& p : f.scan_ports)
    ports.push_back({{"proto", p.proto}, {"port", p.port}, {"incidents", p.incidents}});
  Json tags = Json::array();
  for (const auto& [tag, n] : f.tags) tags.push_back({{"tag", tag}, {"reports", n}});
  Json countries = Json::array();
  for (const auto& [cc, n] : f.by_country) countries.push_back({{"country", cc}, {"incidents", n}});
  Json asns = Json::array();
  for (const auto& a : f.by_asn)
    asns.push_back({{"asn", a.asn}, {"as_name", a.as_name}, {"incidents", a.incidents}});
  return {{"from", from},
          {"to", to},
          {"time_zone", time_zone},
          {"messages", f.messages},
          {"reports", f.reports},
          {"incidents", f.incidents},
          {"by_type", f.by_type},
          {"reporter_tld", tlds},
          {"scan_ports", ports},
          {"comprehensive_scans", f.comprehensive_scans},
          {"phishing_brand", f.phishing_brand},
          {"non_incident", f.non_incident},
          {"notifications", f.notifications},
          {"reporter_mails", f.reporter_mails},
          {"intrusion_tags", tags},
          {"by_country", countries},
          {"by_asn", asns},
          {"by_org_kind", f.by_org_kind}};
}

Json classification_json(const Classification& c) {
  return {{"type", to_string(c.type)},
          {"subtype", c.subtype},
          {"rsit", c.rsit_taxonomy + "/" + c.rsit_type}};
}

Json report_json(const store::ReportSummary& r, const TimeZone& zone) {
  Json j{{"id", r.report.id},
         {"created_at", format_utc(r.report.created_at)},
         {"created_local", zone.format_local(r.report.created_at)},
         {"status", to_string(r.report.status)},
         {"classification", classification_json(r.report.cls)},
         {"reporter", r.reporter_address},
         {"tld", r.report.tld},
         {"messages", r.messages},
         {"incidents", r.incidents},
         {"brand", r.report.brand},
         {"brand_origin", r.report.brand_origin},
         {"tlp", r.report.tlp},
         {"csam", r.report.csam},
         {"disclose_reporter", r.report.disclose_reporter},
         {"summary", r.report.summary}};
  j["linked_report"] = r.report.linked_report ? Json(*r.report.linked_report) : Json(nullptr);
  j["assignee"] = r.assignee_name.empty() ? Json(nullptr) : Json(r.assignee_name);
  j["merged_into"] = r.report.merged_into ? Json(*r.report.merged_into) : Json(nullptr);
  return j;
}

Json user_json(const UserSummary& u) {
  return {{"user", u.user.id},
          {"name", u.user.name},
          {"role", u.user.role},
          {"disabled", u.user.disabled},
          {"password", !u.user.password_hash.empty()},
          {"totp", !u.user.totp_secret.empty()},
          {"tokens", u.live_tokens}};
}

Json search_json(const store::MessageSearchResult& r) {
  Json hits = Json::array();
  for (const auto& h : r.hits) {
    hits.push_back({{"message", h.message},
                    {"report", h.report ? Json(*h.report) : Json(nullptr)},
                    {"received_at", format_utc(h.received_at)},
                    {"channel", h.channel},
                    {"sender", h.sender},
                    {"subject", h.subject}});
  }
  return {{"messages", hits},
          {"next_before", r.more && !r.hits.empty() ? Json(r.hits.back().message) : Json(nullptr)},
          {"scanned_above", r.scanned_above ? Json(*r.scanned_above) : Json(nullptr)}};
}

Json merge_json(store::Id into, const std::vector<store::Id>& from, const store::MergeOutcome& m) {
  return {{"into", into},
          {"from", from},
          {"messages", m.messages},
          {"incidents_moved", m.incidents_moved},
          {"incidents_joined", m.incidents_joined},
          {"sites_joined", m.sites_joined}};
}

Json event_json(const store::Event& e) {
  return {{"at", format_utc(e.at)},
          {"actor", e.actor},
          {"action", e.action},
          {"subject", e.subject},
          {"detail", Json::parse(e.detail, nullptr, false)}};
}

Json note_json(const store::NoteRecord& n) {
  return {{"id", n.id},
          {"report", n.report},
          {"author", n.author},
          {"created_at", format_utc(n.created_at)},
          {"body", n.body}};
}

Json report_detail_json(const store::ReportDetail& d, const TimeZone& zone) {
  Json j = report_json(d.summary, zone);
  j["message_list"] = Json::array();
  for (const auto& m : d.messages) {
    j["message_list"].push_back({{"id", m.id},
                                 {"received_at", format_utc(m.received_at)},
                                 {"sender", m.sender},
                                 {"subject", m.subject},
                                 {"role", m.role},
                                 {"parse_status", to_string(m.parse_status)},
                                 {"signature", m.signature}});
  }
  j["incident_list"] = Json::array();
  for (const auto& i : d.incidents) j["incident_list"].push_back(incident_json(i));
  j["tags"] = d.tags;
  j["events"] = Json::array();
  for (const auto& e : d.events) j["events"].push_back(event_json(e));
  j["notes"] = Json::array();
  for (const auto& n : d.notes) j["notes"].push_back(note_json(n));
  return j;
}

Json incident_json(const store::IncidentSummary& i) {
  Json ports = Json::array();
  for (const auto& p : i.ports)
    ports.push_back({{"proto", p.proto}, {"port", p.port}, {"hits", p.hits}});
  return {{"id", i.incident.id},
          {"report", i.incident.report},
          {"ip", i.incident.ip.empty() ? Json(nullptr) : Json(i.incident.ip)},
          {"host", i.incident.host.empty() ? Json(nullptr) : Json(i.incident.host)},
          {"classification", classification_json(i.incident.cls)},
          {"brand", i.incident.brand},
          {"brand_origin", i.incident.brand_origin},
          {"ports", ports},
          {"urls", i.urls},
          {"first_seen", time_json(i.incident.first_seen)}};
}

Json data_set_json(const store::DataSetInfo& d, Time now) {
  return {{"kind", d.kind},
          {"source", d.source},
          {"loaded_at", format_utc(d.loaded_at)},
          {"age_hours", std::chrono::duration_cast<std::chrono::hours>(now - d.loaded_at).count()},
          {"entries", d.entries},
          {"problems", d.problems},
          {"version", d.version}};
}

Json csirt_json(const std::string& country, const enrich::Csirt& c) {
  return {{"country", country}, {"name", c.name}, {"email", c.email}, {"verified", c.verified}};
}

Json whois_json(const enrich::WhoisResult& r) {
  auto text_or_null = [](const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); };
  return {{"ip", r.ip},
          {"prefix", text_or_null(r.prefix)},
          {"asn", r.asn ? Json(*r.asn) : Json(nullptr)},
          {"origins", r.origins},
          {"as_name", text_or_null(r.as_name)},
          {"country", text_or_null(r.country)},
          {"registry", text_or_null(r.registry)},
          {"delegated_prefix", text_or_null(r.delegated_prefix)},
          {"org", text_or_null(r.org)},
          {"org_kind", r.org_kind},
          {"abuse", r.abuse},
          {"language", r.language},
          {"csirt", r.csirt ? Json{{"name", r.csirt->name},
                                   {"country", r.csirt->country},
                                   {"email", r.csirt->email},
                                   {"verified", r.csirt->verified}}
                            : Json(nullptr)},
          {"route", {{"to", r.route.to}, {"cc", r.route.cc}, {"reason", r.route.reason}}},
          {"sources", r.sources}};
}

Json organisation_json(const enrich::Organisation& o) {
  Json blocks = Json::array();
  for (const auto& c : o.netblocks) blocks.push_back(c.to_string());
  return {{"name", o.name},
          {"kind", o.kind},
          {"country", o.country},
          {"language", o.language},
          {"format", o.format},
          {"abuse", o.abuse},
          {"pgp_fingerprint", o.pgp_fingerprint},
          {"netblocks", blocks},
          {"asns", o.asns},
          {"domains", o.domains}};
}

Json site_json(const store::SiteRecord& s) {
  Json possible = Json::array();
  for (auto a : coord::possible_actions(s.state)) possible.push_back(coord::to_string(a));
  return {{"id", s.id},
          {"incident", s.incident},
          {"report", s.report},
          {"url", s.url},
          {"state", to_string(s.state)},
          {"state_at", time_json(s.state_at)},
          {"possible", possible},
          {"org", s.org},
          {"first_notified_at", time_json(s.first_notified_at)},
          {"replied_at", time_json(s.replied_at)},
          {"down_verified_at", time_json(s.down_verified_at)},
          {"down_streak", s.down_streak},
          {"next_check_at", time_json(s.next_check_at)},
          {"revivals", s.revivals}};
}

Json transition_json(store::Id site, const coord::TransitionResult& r) {
  return {{"site", site},
          {"from", coord::to_string(r.from)},
          {"to", coord::to_string(r.to)},
          {"report_closed", r.report_closed},
          {"report_reopened", r.report_reopened}};
}

Json site_check_json(const store::SiteCheck& c) {
  return {{"checked_at", format_utc(c.checked_at)},
          {"verdict", to_string(c.verdict)},
          {"reason", c.reason},
          {"http_status", c.http_status},
          {"final_url", c.final_url},
          {"error", c.error},
          {"fingerprint", c.fingerprint},
          {"title", c.title},
          {"user_agent", c.user_agent},
          {"evidence_bytes", c.evidence.size()}};
}

Json notice_json(const store::NoticeRecord& n, bool with_body) {
  Json j{{"id", n.id},
         {"kind", to_string(n.kind)},
         {"audience", to_string(n.audience)},
         {"report", n.report ? Json(*n.report) : Json(nullptr)},
         {"org", n.org},
         {"to", n.to},
         {"cc", n.cc},
         {"language", n.language},
         {"tag", n.tag},
         {"subject", n.subject},
         {"reason", n.reason},
         {"status", to_string(n.status)},
         {"sites", n.sites},
         {"message_id", n.message_id},
         {"signed", n.is_signed},
         {"encrypted", n.encrypted},
         {"attempts", n.attempts},
         {"last_error", n.last_error},
         {"planned_at", format_utc(n.planned_at)},
         {"approved_by", n.approved_by},
         {"sent_at", time_json(n.sent_at)}};
  if (with_body) j["body"] = n.body;
  return j;
}

Json approval_json(const store::NoticeRecord& n) {
  return {{"id", n.id},
          {"message_id", n.message_id},
          {"signed", n.is_signed},
          {"encrypted", n.encrypted}};
}

Json round_json(const coord::RoundSummary& r) {
  return {{"acknowledged", r.acknowledged},
          {"planned", r.planned},
          {"sent", r.sent},
          {"retried", r.retried},
          {"bounced", r.bounced},
          {"failed", r.failed},
          {"checked", r.checked},
          {"verified_down", r.verified_down},
          {"revived", r.revived},
          {"reporters_told", r.reporters_told},
          {"reporter_mails_withheld", r.withheld},
          {"sending_paused", r.sending_paused},
          {"problems", r.problems}};
}

Json responder_json(const coord::ResponderScore& r) {
  return {{"org", r.org},
          {"kind", r.kind},
          {"notifications", r.notifications},
          {"replies", r.replies},
          {"reply_class", r.reply_class},
          {"sites", r.sites},
          {"takedowns", r.takedowns},
          {"mean_hours", r.mean_hours},
          {"min_hours", r.min_hours},
          {"max_hours", r.max_hours},
          {"mean_business_days", r.mean_business_days},
          {"min_business_days", r.min_business_days},
          {"max_business_days", r.max_business_days},
          {"per_month", r.per_month},
          {"closure_rate", r.closure_rate},
          {"revivals", r.revivals}};
}

Json copy_json(const store::CopyReport& r) {
  Json tables = Json::array();
  for (const auto& t : r.tables) {
    tables.push_back(
        {{"table", t.table}, {"copied", t.copied}, {"source", t.source}, {"target", t.target}});
  }
  return {{"tables", tables}, {"raw_messages_compared", r.raw_compared}};
}

}  // namespace kz::app
