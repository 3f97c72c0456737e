// The coordination loop over HTTP (app/coordination.h): a report's sites and their checks, a
// handler's action on a site, and the outbox: plan, preview, edit, approve and hold (cancel)
// notices. Everything tied to a report follows the report's visibility (app::may_see): a site or
// notice of a report the caller may not see is a 404 like one that does not exist, and is left
// out of lists.
#include "app/coordination.h"
#include "server/api_util.h"

namespace kz::server {

namespace {

using namespace api;

const std::set<app::Role> kWorkers = {app::Role::kAdmin, app::Role::kHandler};

Error no_such(const char* what, store::Id id) {
  return Error::NotFound(std::string("no ") + what + " with this number",
                         std::string(what) + " " + std::to_string(id));
}

// A notice the caller may see: one of no report, or of a report they see.
Result<bool> may_see_notice(ApiContext& ctx, const app::Principal& p,
                            const store::NoticeRecord& n) {
  if (!n.report) return true;
  auto r = visible_report(ctx, p, *n.report);
  if (!r) return r.error().code == ErrorCode::kNotFound ? Result<bool>(false) : fail(r.error());
  return true;
}

Result<store::SiteRecord> visible_site(ApiContext& ctx, const app::Principal& p, store::Id id) {
  auto s = ctx.db.sites().get_site(id);
  if (!s) return s;
  if (auto r = visible_report(ctx, p, s->report); !r) {
    return fail(r.error().code == ErrorCode::kNotFound ? no_such("site", id) : r.error());
  }
  return s;
}

Result<store::NoticeRecord> visible_notice(ApiContext& ctx, const app::Principal& p, store::Id id) {
  auto n = ctx.db.outbox().get_notice(id);
  if (!n) return n;
  auto seen = may_see_notice(ctx, p, *n);
  if (!seen) return fail(seen.error());
  if (!*seen) return fail(no_such("notice", id));
  return n;
}

// `list` as JSON, without what `p` may not see.
Result<Json> notices_json(ApiContext& ctx, const app::Principal& p,
                          const std::vector<store::NoticeRecord>& list, bool with_body) {
  Json out = Json::array();
  for (const auto& n : list) {
    auto seen = may_see_notice(ctx, p, n);
    if (!seen) return fail(seen.error());
    if (*seen) out.push_back(app::notice_json(n, with_body));
  }
  return out;
}

Response get_sites(ApiContext& ctx, const app::Principal& p, store::Id report) {
  if (auto r = visible_report(ctx, p, report); !r) return error_response(r.error());
  auto sites = app::sites_of_report(ctx.db, report);
  if (!sites) return error_response(sites.error());
  Json out = Json::array();
  for (const auto& s : *sites) out.push_back(app::site_json(s));
  return json_response({{"sites", out}});
}

Response get_checks(ApiContext& ctx, const app::Principal& p, store::Id site) {
  if (auto s = visible_site(ctx, p, site); !s) return error_response(s.error());
  auto checks = ctx.db.sites().site_checks(site);
  if (!checks) return error_response(checks.error());
  Json out = Json::array();
  for (const auto& c : *checks) out.push_back(app::site_check_json(c));
  return json_response({{"checks", out}});
}

Response post_site_action(ApiContext& ctx, const Request& req, const app::Principal& p,
                          store::Id site) {
  auto body = json_body(req);
  if (!body) return error_response(body.error());
  auto action = string_member(*body, "action", true);
  if (!action) return error_response(action.error());
  auto reason = string_member(*body, "reason", false);
  if (!reason) return error_response(reason.error());
  if (auto s = visible_site(ctx, p, site); !s) return error_response(s.error());
  auto r = app::act_on_site(ctx.db, site, *action, p.actor(), *reason, ctx.clock.now());
  if (!r) return error_response(r.error());
  return json_response(app::transition_json(site, *r));
}

Response get_notices(ApiContext& ctx, const Request& req, const app::Principal& p) {
  std::optional<store::NoticeStatus> status;
  if (auto it = req.query.find("status"); it != req.query.end()) {
    status = store::parse_notice_status(it->second);
    if (!status) {
      return error_response(Error::InvalidArgument(
          "status is one of planned, approved, sent, bounced, failed, cancelled", it->second));
    }
  }
  auto list = ctx.db.outbox().notices(status);
  if (!list) return error_response(list.error());
  auto out = notices_json(ctx, p, *list, false);
  if (!out) return error_response(out.error());
  return json_response({{"notices", *out}});
}

Response get_notice(ApiContext& ctx, const app::Principal& p, store::Id id) {
  if (auto n = visible_notice(ctx, p, id); !n) return error_response(n.error());
  auto d = app::notice_detail(ctx.db, id);
  if (!d) return error_response(d.error());
  Json j = app::notice_json(d->notice, true);
  j["bounces"] = d->bounces;
  return json_response(j);
}

Response post_plan(ApiContext& ctx, const app::Principal& p) {
  auto state = app::plan_notices(ctx.db, ctx.cfg, ctx.clock);
  if (!state) return error_response(state.error());
  auto waiting = notices_json(ctx, p, state->waiting, true);
  if (!waiting) return error_response(waiting.error());
  auto approved = notices_json(ctx, p, state->approved, true);
  if (!approved) return error_response(approved.error());
  return json_response(
      {{"planned", state->planned}, {"waiting", *waiting}, {"approved", *approved}});
}

Response post_approve(ApiContext& ctx, const Request& req, const app::Principal& p) {
  auto body = json_body(req);
  if (!body) return error_response(body.error());
  auto ids = ids_member(*body, "notices", "notice");
  if (!ids) return error_response(ids.error());
  for (store::Id id : *ids) {
    if (auto n = visible_notice(ctx, p, id); !n) return error_response(n.error());
  }
  auto approved = app::approve_notices(ctx.db, ctx.cfg, ctx.clock, *ids, false, p.actor());
  if (!approved) return error_response(approved.error());
  Json out = Json::array();
  for (const auto& n : *approved) out.push_back(app::approval_json(n));
  return json_response({{"approved", out}});
}

Response post_edit(ApiContext& ctx, const Request& req, const app::Principal& p, store::Id id) {
  auto body = json_body(req);
  if (!body) return error_response(body.error());
  auto subject = string_member(*body, "subject", false);
  if (!subject) return error_response(subject.error());
  auto text = string_member(*body, "body", false);
  if (!text) return error_response(text.error());
  if (auto n = visible_notice(ctx, p, id); !n) return error_response(n.error());
  if (auto s = app::edit_notice(ctx.db, ctx.clock.now(), id, *subject, *text, p.actor()); !s)
    return error_response(s.error());
  return get_notice(ctx, p, id);
}

Response post_cancel(ApiContext& ctx, const Request& req, const app::Principal& p, store::Id id) {
  auto body = json_body(req);
  if (!body) return error_response(body.error());
  auto reason = string_member(*body, "reason", false);
  if (!reason) return error_response(reason.error());
  if (auto n = visible_notice(ctx, p, id); !n) return error_response(n.error());
  if (auto s = app::cancel_notice(ctx.db, ctx.cfg, ctx.clock, id, p.actor(), *reason); !s)
    return error_response(s.error());
  return get_notice(ctx, p, id);
}

}  // namespace

namespace api {

void add_coordination_routes(Router& r, ApiContext& ctx) {
  using V = const PathValues&;
  using P = const app::Principal*;
  r.add({"GET", "/api/v1/reports/{id}/sites", Access::kRead, {}, [&ctx](const Request&, P p, V v) {
           return get_sites(ctx, *p, number_of(v[0]));
         }});
  r.add({"GET", "/api/v1/sites/{id}/checks", Access::kRead, {}, [&ctx](const Request&, P p, V v) {
           return get_checks(ctx, *p, number_of(v[0]));
         }});
  r.add({"POST", "/api/v1/sites/{id}/actions", Access::kWrite, kWorkers,
         [&ctx](const Request& req, P p, V v) {
           return post_site_action(ctx, req, *p, number_of(v[0]));
         }});
  r.add({"GET", "/api/v1/notices", Access::kRead, {}, [&ctx](const Request& req, P p, V) {
           return get_notices(ctx, req, *p);
         }});
  r.add({"GET", "/api/v1/notices/{id}", Access::kRead, {}, [&ctx](const Request&, P p, V v) {
           return get_notice(ctx, *p, number_of(v[0]));
         }});
  r.add({"POST", "/api/v1/notices/plan", Access::kWrite, kWorkers,
         [&ctx](const Request&, P p, V) { return post_plan(ctx, *p); }});
  r.add({"POST", "/api/v1/notices/approve", Access::kWrite, kWorkers,
         [&ctx](const Request& req, P p, V) { return post_approve(ctx, req, *p); }});
  r.add(
      {"POST", "/api/v1/notices/{id}/edit", Access::kWrite, kWorkers,
       [&ctx](const Request& req, P p, V v) { return post_edit(ctx, req, *p, number_of(v[0])); }});
  r.add({"POST", "/api/v1/notices/{id}/cancel", Access::kWrite, kWorkers,
         [&ctx](const Request& req, P p, V v) {
           return post_cancel(ctx, req, *p, number_of(v[0]));
         }});
}

}  // namespace api

}  // namespace kz::server
