// The centre's records over HTTP: a message's raw bytes as received, the quarantine (list, retry
// through the current code), the quarter's figures and the responder scorecard.
//
// A raw download is an attachment of type application/octet-stream (with nosniff): a browser
// saves it and never renders what a hostile sender wrote. Its visibility is its report's; a
// message filed under no report (a question, a quarantined message) is seen inside the centre
// unless it arrived marked TLP:RED (or [centre] default_tlp is RED and it had no marking), which
// only admins see.
#include "app/coordination.h"
#include "core/tlp.h"
#include "server/api_util.h"

namespace kz::server {

namespace {

using namespace api;

const std::set<app::Role> kWorkers = {app::Role::kAdmin, app::Role::kHandler};

Response get_raw(ApiContext& ctx, const app::Principal& p, store::Id id) {
  auto report = ctx.db.reports().report_of_message(id);
  if (!report) return error_response(report.error());
  const Error not_found =
      Error::NotFound("no message with this number", "message " + std::to_string(id));
  if (*report) {
    if (auto r = visible_report(ctx, p, **report); !r) {
      return error_response(r.error().code == ErrorCode::kNotFound ? not_found : r.error());
    }
  } else {
    auto marking = ctx.db.messages().message_marking(id);
    if (!marking) return error_response(marking.error());
    if (p.role != app::Role::kAdmin && is_tlp_red(effective_tlp(*marking, ctx.cfg.default_tlp)))
      return error_response(not_found);
  }
  auto raw = ctx.db.messages().message_raw(id);
  if (!raw) return error_response(raw.error());
  Response r;
  r.content_type = "application/octet-stream";
  r.body = std::move(*raw);
  r.headers.emplace_back("Content-Disposition",
                         "attachment; filename=\"message-" + std::to_string(id) + ".eml\"");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return r;
}

Response get_quarantine(ApiContext& ctx, const Request& req) {
  auto limit = int_param(req, "limit", 100, 1, 1000);
  if (!limit) return error_response(limit.error());
  auto list = ctx.db.messages().quarantined_messages(static_cast<int>(*limit));
  if (!list) return error_response(list.error());
  Json out = Json::array();
  for (const auto& q : *list) out.push_back(app::quarantined_json(q));
  return json_response({{"messages", out}});
}

Response post_retry(ApiContext& ctx, const Request& req) {
  auto body = json_body(req);
  if (!body) return error_response(body.error());
  auto ids = ids_member(*body, "messages", "message");
  if (!ids) return error_response(ids.error());
  auto done = app::retry_quarantined(ctx.db, ctx.cfg, ctx.clock, *ids, ctx.cfg.crash_marks_dir());
  if (!done) return error_response(done.error());
  Json out = Json::array();
  for (const auto& o : *done) out.push_back(app::retried_json(o));
  return json_response({{"retried", out}});
}

std::string query_or(const Request& req, const char* name, const std::string& fallback = "") {
  auto it = req.query.find(name);
  return it == req.query.end() ? fallback : it->second;
}

Response get_stats(ApiContext& ctx, const Request& req) {
  const std::string from = query_or(req, "from"), to = query_or(req, "to");
  const TimeZone zone(ctx.cfg.time_zone);
  auto range = app::period_of_days(zone, from, to, "from", "to");
  if (!range) return error_response(range.error());
  auto f = app::figures(ctx.db, ctx.cfg, range->first, range->second);
  if (!f) return error_response(f.error());
  return json_response(app::figures_json(*f, from, to, zone.name()));
}

Response get_responders(ApiContext& ctx, const Request& req) {
  const TimeZone zone(ctx.cfg.time_zone);
  auto scores = app::responder_scores(ctx.db, ctx.cfg, zone, query_or(req, "from"),
                                      query_or(req, "to"), ctx.clock.now());
  if (!scores) return error_response(scores.error());
  Json out = Json::array();
  for (const auto& r : *scores) out.push_back(app::responder_json(r));
  return json_response({{"responders", out}});
}

}  // namespace

namespace api {

void add_record_routes(Router& r, ApiContext& ctx) {
  using V = const PathValues&;
  using P = const app::Principal*;
  r.add({"GET", "/api/v1/messages/{id}/raw", Access::kRead, {}, [&ctx](const Request&, P p, V v) {
           return get_raw(ctx, *p, number_of(v[0]));
         }});
  r.add({"GET", "/api/v1/quarantine", Access::kRead, kWorkers,
         [&ctx](const Request& req, P, V) { return get_quarantine(ctx, req); }});
  r.add({"POST", "/api/v1/quarantine/retry", Access::kWrite, kWorkers,
         [&ctx](const Request& req, P, V) { return post_retry(ctx, req); }});
  r.add({"GET", "/api/v1/stats", Access::kRead, {}, [&ctx](const Request& req, P, V) {
           return get_stats(ctx, req);
         }});
  r.add({"GET", "/api/v1/responders", Access::kRead, {}, [&ctx](const Request& req, P, V) {
           return get_responders(ctx, req);
         }});
}

}  // namespace api

}  // namespace kz::server
