#include "server/api.h"

#include <charconv>
#include <sstream>

#include "app/ingest.h"
#include "app/search.h"
#include "core/tlp.h"
#include "server/api_util.h"

namespace kz::server {

namespace api {

int64_t number_of(const std::string& digits) {
  int64_t v = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), v);
  return v;
}

Result<int64_t> int_param(const Request& req, const char* name, int64_t fallback, int64_t lo,
                          int64_t hi) {
  auto it = req.query.find(name);
  if (it == req.query.end()) return fallback;
  int64_t v = 0;
  const auto& s = it->second;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < lo || v > hi) {
    return fail(Error::InvalidArgument(std::string(name) + " must be a number from " +
                                       std::to_string(lo) + " to " + std::to_string(hi)));
  }
  return v;
}

Result<app::IngestSummary> ingest_one(ApiContext& ctx, const std::string& bytes,
                                      const std::string& source) {
  std::istringstream message(bytes);
  app::IngestInput input;
  input.message = &message;
  input.message_source = source;
  input.marks_dir = ctx.cfg.crash_marks_dir();
  input.spill_dir = ctx.cfg.spill_dir();
  input.enrich = false;  // the next `kizuna enrich` or worker round does it
  return app::ingest(ctx.db, ctx.cfg, ctx.clock, input);
}

Result<std::vector<store::Id>> ids_member(const Json& body, const char* name, const char* what) {
  const Error wrong =
      Error::InvalidArgument(std::string(name) + " must be a list of " + what + " numbers");
  auto it = body.find(name);
  if (it == body.end() || !it->is_array() || it->empty()) return fail(wrong);
  std::vector<store::Id> ids;
  for (const auto& v : *it) {
    if (!v.is_number_integer() || v.get<int64_t>() <= 0) return fail(wrong);
    ids.push_back(v.get<int64_t>());
  }
  return ids;
}

Result<Json> json_body(const Request& req) {
  Json j = Json::parse(req.body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return fail(
        Error::InvalidArgument("the body must be a JSON object (Content-Type: "
                               "application/json), as docs/api.yaml describes"));
  }
  return j;
}

Result<std::string> string_member(const Json& body, const char* name, bool required,
                                  std::string fallback) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) return fail(Error::InvalidArgument(std::string(name) + " is required"));
    return fallback;
  }
  if (!it->is_string()) return fail(Error::InvalidArgument(std::string(name) + " must be text"));
  return it->get<std::string>();
}

Result<std::vector<std::string>> strings_member(const Json& body, const char* name) {
  std::vector<std::string> out;
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_array()) {
    return fail(Error::InvalidArgument(std::string(name) + " must be a list of text"));
  }
  for (const auto& v : *it) {
    if (!v.is_string()) {
      return fail(Error::InvalidArgument(std::string(name) + " must be a list of text"));
    }
    out.push_back(v.get<std::string>());
  }
  return out;
}

}  // namespace api

namespace {

using namespace api;

Response healthz(ApiContext& ctx) {
  // One read through the store: a server that cannot reach its database is not healthy.
  if (auto s = ctx.db.settings().setting("demo"); !s) return error_response(s.error());
  return json_response({{"status", "ok"}});
}

Response metrics(ApiContext& ctx) {
  store::ReportFilter open;
  open.status = "open";
  auto n = ctx.db.queries().count_reports(open);
  if (!n) return error_response(n.error());
  Response r;
  r.content_type = "text/plain; version=0.0.4";
  r.body = ctx.metrics.exposition(
      {{"kizuna_up", "1 while the server answers.", 1.0},
       {"kizuna_reports_open", "Reports open now.", static_cast<double>(*n)}});
  return r;
}

Response me(const app::Principal& p) {
  return json_response(
      {{"user", p.name},
       {"role", app::to_string(p.role)},
       {"scopes", Json(std::vector<std::string>(p.scopes.begin(), p.scopes.end()))}});
}

// True when `id` names a report `p` may not see: a link to it (a report's "same host" link, an
// event's same_host_as) would tell its number, so such links are left out for `p`.
Result<bool> hidden_from(ApiContext& ctx, const app::Principal& p, std::optional<int64_t> id) {
  if (!id || p.role == app::Role::kAdmin) return false;
  auto r = ctx.db.reports().get_report(*id);
  if (!r) return r.error().code == ErrorCode::kNotFound ? Result<bool>(false) : fail(r.error());
  return !app::may_see(p, *r, ctx.cfg.default_tlp);
}

// Leaves out of `report` the links to a report `p` may not see (same host, merged into).
Status scrub_link(ApiContext& ctx, const app::Principal& p, store::ReportRecord& report) {
  for (std::optional<store::Id>* link : {&report.linked_report, &report.merged_into}) {
    auto hidden = hidden_from(ctx, p, *link);
    if (!hidden) return fail(hidden.error());
    if (*hidden) link->reset();
  }
  return {};
}

// Leaves out of an event's detail the numbers of reports `p` may not see: the other report of a
// "same host" link, a merge or a split.
Status scrub_event_links(ApiContext& ctx, const app::Principal& p, store::Event& e) {
  if (p.role == app::Role::kAdmin) return {};
  Json detail = Json::parse(e.detail, nullptr, false);
  if (!detail.is_object()) return {};
  bool changed = false;
  for (const char* key : {"same_host_as", "into", "from", "to"}) {
    auto it = detail.find(key);
    if (it == detail.end() || !it->is_number_integer()) continue;  // "to" of an assignment: a name
    auto hidden = hidden_from(ctx, p, it->get<int64_t>());
    if (!hidden) return fail(hidden.error());
    if (*hidden) {
      detail.erase(key);
      changed = true;
    }
  }
  if (changed) e.detail = detail.dump();
  return {};
}

// What `p` may see, set on a filter (ReportFilter, IncidentFilter, MessageSearch): TLP:RED left
// out but for admins and the assignee.
template <typename Filter>
void set_visibility(Filter& f, ApiContext& ctx, const app::Principal& p) {
  f.hide_red = p.role != app::Role::kAdmin;
  f.blank_is_red = is_tlp_red(ctx.cfg.default_tlp);
  f.viewer = p.user;
}

// A list filter (ReportFilter, IncidentFilter) set for the page asked for and for what `p` may
// see: limit (1 to 500, default 100) plus one, since one row more than the page tells whether a
// next page exists without counting; after (the last number shown).
template <typename Filter>
Status set_page_and_visibility(Filter& f, ApiContext& ctx, const Request& req,
                               const app::Principal& p) {
  auto limit = int_param(req, "limit", 100, 1, 500);
  if (!limit) return fail(limit.error());
  auto after = int_param(req, "after", 0, 0, INT64_MAX);
  if (!after) return fail(after.error());
  f.limit = static_cast<int>(*limit) + 1;
  f.after = *after;
  set_visibility(f, ctx, p);
  return {};
}

// Cuts `list`, fetched with the extra row, to the page of `f`; returns the `after` of the next
// page, or null on the last one.
template <typename Filter, typename Row, typename IdOf>
Json cut_to_page(const Filter& f, std::vector<Row>& list, IdOf id_of) {
  if (list.size() < static_cast<size_t>(f.limit)) return nullptr;
  list.pop_back();
  return id_of(list.back());
}

Response list_reports(ApiContext& ctx, const Request& req, const app::Principal& p) {
  store::ReportFilter f;
  if (auto s = set_page_and_visibility(f, ctx, req, p); !s) return error_response(s.error());
  if (auto it = req.query.find("status"); it != req.query.end()) f.status = it->second;
  if (auto it = req.query.find("type"); it != req.query.end()) f.type = it->second;
  if (auto it = req.query.find("assignee"); it != req.query.end()) {
    // "me", "none", or a user's name.
    if (it->second == "me") {
      f.assignee = p.user;
    } else if (it->second == "none") {
      f.assignee = 0;
    } else {
      auto u = ctx.db.users().user_by_name(it->second);
      if (!u) return error_response(u.error());
      f.assignee = *u ? (*u)->id : -1;  // an unknown name matches nothing
    }
  }
  auto list = ctx.db.queries().list_reports(f);
  if (!list) return error_response(list.error());
  const Json next =
      cut_to_page(f, *list, [](const store::ReportSummary& r) { return r.report.id; });
  const TimeZone zone(ctx.cfg.time_zone);
  Json reports = Json::array();
  for (auto& r : *list) {
    if (auto s = scrub_link(ctx, p, r.report); !s) return error_response(s.error());
    Json j = app::report_json(r, zone);
    j["tlp_effective"] = std::string(effective_tlp(r.report.tlp, ctx.cfg.default_tlp));
    reports.push_back(std::move(j));
  }
  Json out = {{"reports", reports}, {"next_after", next}};
  // A count reads every matching report, so it is given only when asked for (count=1).
  if (auto it = req.query.find("count"); it != req.query.end() && it->second == "1") {
    auto total = ctx.db.queries().count_reports(f);
    if (!total) return error_response(total.error());
    out["remaining"] = *total;
  }
  return json_response(out);
}

// GET /api/v1/events?after=N: the event log from event N on, oldest first (limit 1 to 500,
// default 100), the events of reports `p` may not see left out, and for all but admins the events
// about no report (users, the directory). A tool polls with next_after.
Response events(ApiContext& ctx, const Request& req, const app::Principal& p) {
  store::EventFeed f;
  auto limit = int_param(req, "limit", 100, 1, 500);
  if (!limit) return error_response(limit.error());
  auto after = int_param(req, "after", 0, 0, INT64_MAX);
  if (!after) return error_response(after.error());
  f.limit = static_cast<int>(*limit);
  f.after = *after;
  set_visibility(f, ctx, p);
  f.reports_only = p.role != app::Role::kAdmin;
  auto page = ctx.db.events().events_after(f);
  if (!page) return error_response(page.error());
  Json out = Json::array();
  for (auto& e : *page) {
    if (auto s = scrub_event_links(ctx, p, e.event); !s) return error_response(s.error());
    Json j = app::event_json(e.event);
    j["id"] = e.id;
    j["report"] = e.report ? Json(*e.report) : Json(nullptr);
    out.push_back(std::move(j));
  }
  const int64_t next = page->empty() ? f.after : page->back().id;
  return json_response({{"events", out}, {"next_after", next}});
}

// GET /api/v1/search?q=TEXT: messages holding the text, the newest first, in pages (limit 1 to
// 200, default 50; before: the next_before of the page before).
Response search(ApiContext& ctx, const Request& req, const app::Principal& p) {
  store::MessageSearch q;
  if (auto it = req.query.find("q"); it != req.query.end()) q.text = it->second;
  auto limit = int_param(req, "limit", 50, 1, 200);
  if (!limit) return error_response(limit.error());
  auto before = int_param(req, "before", 0, 0, INT64_MAX);
  if (!before) return error_response(before.error());
  q.limit = static_cast<int>(*limit);
  q.before = *before;
  q.short_scan = ctx.cfg.search_scan_messages;
  set_visibility(q, ctx, p);
  auto found = app::search_messages(ctx.db, q);
  if (!found) return error_response(found.error());
  return json_response(app::search_json(*found));
}

Response list_incidents(ApiContext& ctx, const Request& req, const app::Principal& p) {
  store::IncidentFilter f;
  if (auto s = set_page_and_visibility(f, ctx, req, p); !s) return error_response(s.error());
  auto report = int_param(req, "report", 0, 0, INT64_MAX);
  if (!report) return error_response(report.error());
  if (*report) f.report = *report;
  if (auto it = req.query.find("type"); it != req.query.end()) f.type = it->second;
  if (auto it = req.query.find("ip"); it != req.query.end()) f.ip = it->second;
  auto list = ctx.db.queries().list_incidents(f);
  if (!list) return error_response(list.error());
  const Json next =
      cut_to_page(f, *list, [](const store::IncidentSummary& i) { return i.incident.id; });
  Json incidents = Json::array();
  for (const auto& i : *list) incidents.push_back(app::incident_json(i));
  return json_response({{"incidents", incidents}, {"next_after", next}});
}

Response show_report(ApiContext& ctx, const app::Principal& p, int64_t id) {
  auto d = ctx.db.queries().report_detail(id);
  if (!d) return error_response(d.error());
  if (!app::may_see(p, d->summary.report, ctx.cfg.default_tlp)) {
    // The same answer as for a report that does not exist.
    return error_response(
        Error::NotFound("no report with this number", "report " + std::to_string(id)));
  }
  if (auto s = scrub_link(ctx, p, d->summary.report); !s) return error_response(s.error());
  for (auto& e : d->events) {
    if (auto s = scrub_event_links(ctx, p, e); !s) return error_response(s.error());
  }
  Json out = app::report_detail_json(*d, TimeZone(ctx.cfg.time_zone));
  out["tlp_effective"] = std::string(effective_tlp(d->summary.report.tlp, ctx.cfg.default_tlp));
  return json_response(out);
}

// A raw message handed in (an MTA, a mail fetcher): stored and triaged as `kizuna ingest
// --stdin` would. 201 new, 200 already stored, 202 stored but quarantined (unreadable): in
// every case the bytes are kept, so the sender must not send them again.
Response post_message(ApiContext& ctx, const Request& req, const app::Principal& p) {
  if (req.body.empty()) {
    return Response::error(422, "invalid",
                           "the body is the message: RFC 5322 mail, or a form, X-ARF or ARF "
                           "document (JSON)");
  }
  auto summary = ingest_one(ctx, req.body, "http:" + p.name);
  if (!summary) return error_response(summary.error());
  const int status = summary->quarantined > 0 ? 202 : summary->fresh > 0 ? 201 : 200;
  return Response::json(
      status, app::ingest_json(*summary).dump(-1, ' ', false, Json::error_handler_t::replace));
}

}  // namespace

Router make_api(ApiContext& ctx) {
  Router r;
  add_session_routes(r, ctx);
  add_handling_routes(r, ctx);
  add_submission_routes(r, ctx);
  add_coordination_routes(r, ctx);
  add_record_routes(r, ctx);
  add_directory_routes(r, ctx);
  add_user_routes(r, ctx);
  r.add(
      {"GET",
       "/healthz",
       Access::kPublic,
       {},
       [&ctx](const Request&, const app::Principal*, const PathValues&) { return healthz(ctx); }});
  r.add(
      {"GET",
       "/metrics",
       Access::kRead,
       {},
       [&ctx](const Request&, const app::Principal*, const PathValues&) { return metrics(ctx); }});
  r.add({"GET",
         "/api/v1/me",
         Access::kRead,
         {},
         [](const Request&, const app::Principal* p, const PathValues&) { return me(*p); }});
  r.add({"GET",
         "/api/v1/reports",
         Access::kRead,
         {},
         [&ctx](const Request& req, const app::Principal* p, const PathValues&) {
           return list_reports(ctx, req, *p);
         }});
  r.add({"GET",
         "/api/v1/reports/{id}",
         Access::kRead,
         {},
         [&ctx](const Request&, const app::Principal* p, const PathValues& v) {
           return show_report(ctx, *p, number_of(v[0]));
         }});
  r.add({"GET",
         "/api/v1/events",
         Access::kRead,
         {},
         [&ctx](const Request& req, const app::Principal* p, const PathValues&) {
           return events(ctx, req, *p);
         }});
  r.add({"GET",
         "/api/v1/search",
         Access::kRead,
         {},
         [&ctx](const Request& req, const app::Principal* p, const PathValues&) {
           return search(ctx, req, *p);
         }});
  r.add({"GET",
         "/api/v1/incidents",
         Access::kRead,
         {},
         [&ctx](const Request& req, const app::Principal* p, const PathValues&) {
           return list_incidents(ctx, req, *p);
         }});
  r.add({"POST",
         "/api/v1/messages",
         Access::kSubmit,
         {},
         [&ctx](const Request& req, const app::Principal* p, const PathValues&) {
           return post_message(ctx, req, *p);
         }});
  return r;
}

}  // namespace kz::server
