// A handler's work on reports over HTTP (app/handling.h): POST /api/v1/reports/actions takes one
// action for one report or many (the bulk actions of the queue), all done or none;
// /api/v1/reports/{id}/notes reads and adds internal notes; /api/v1/reports/{id}/merge and
// /api/v1/reports/{id}/split join reports into one and take part of one apart;
// /api/v1/reports/{id}/mail writes to a party of a report.
#include "app/coordination.h"
#include "server/api_util.h"

namespace kz::server {

namespace {

using namespace api;

Status run_action(ApiContext& ctx, const app::Principal& p, const Json& body,
                  const std::string& action, const std::vector<store::Id>& ids) {
  const Time now = ctx.clock.now();
  const app::Acting who = acting(ctx, p);
  auto reason = string_member(body, "reason", false);
  if (!reason) return fail(reason.error());
  if (action == "assign") {
    auto to = string_member(body, "to", false);  // null or absent: unassign
    if (!to) return fail(to.error());
    return app::assign_reports(ctx.db, now, who, ids, *to);
  }
  if (action == "tlp") {
    auto tlp = string_member(body, "tlp", true);
    if (!tlp) return fail(tlp.error());
    return app::set_reports_tlp(ctx.db, now, who, ids, *tlp, *reason);
  }
  if (action == "tag") {
    auto add = strings_member(body, "add");
    if (!add) return fail(add.error());
    auto remove = strings_member(body, "remove");
    if (!remove) return fail(remove.error());
    return app::tag_reports(ctx.db, now, who, ids, *add, *remove);
  }
  if (action == "classify") {
    auto type = string_member(body, "type", true);
    if (!type) return fail(type.error());
    auto rsit = string_member(body, "rsit", false);
    if (!rsit) return fail(rsit.error());
    auto cls = app::parse_classification(*type, *rsit, *ctx.cfg.triage.rules);
    if (!cls) return fail(cls.error());
    return app::classify_reports(ctx.db, now, who, ids, *cls, *reason);
  }
  if (action == "close") return app::close_reports(ctx.db, now, who, ids, *reason);
  if (action == "reopen") return app::reopen_reports(ctx.db, now, who, ids, *reason);
  return fail(Error::InvalidArgument(
      "action must be one of assign, tlp, tag, classify, close, reopen", action));
}

Response post_actions(ApiContext& ctx, const Request& req, const app::Principal& p) {
  auto body = json_body(req);
  if (!body) return error_response(body.error());
  auto action = string_member(*body, "action", true);
  if (!action) return error_response(action.error());
  auto ids = ids_member(*body, "reports", "report");
  if (!ids) return error_response(ids.error());
  if (auto s = run_action(ctx, p, *body, *action, *ids); !s) return error_response(s.error());
  return json_response({{"action", *action}, {"reports", *ids}});
}

Response get_notes(ApiContext& ctx, const app::Principal& p, store::Id id) {
  if (auto r = visible_report(ctx, p, id); !r) return error_response(r.error());
  auto notes = ctx.db.reports().notes_of(id);
  if (!notes) return error_response(notes.error());
  Json out = Json::array();
  for (const auto& n : *notes) out.push_back(app::note_json(n));
  return json_response({{"notes", out}});
}

Response post_note(ApiContext& ctx, const Request& req, const app::Principal& p, store::Id id) {
  auto body = json_body(req);
  if (!body) return error_response(body.error());
  auto text = string_member(*body, "text", true);
  if (!text) return error_response(text.error());
  const Time now = ctx.clock.now();
  auto note = app::add_note(ctx.db, now, acting(ctx, p), id, *text);
  if (!note) return error_response(note.error());
  return json_response(app::note_json({*note, id, p.actor(), now, *text}), 201);
}

// POST /api/v1/reports/{id}/merge {"from": [ids], "reason"}: the reports of `from` join {id}.
Response post_merge(ApiContext& ctx, const Request& req, const app::Principal& p, store::Id id) {
  auto body = json_body(req);
  if (!body) return error_response(body.error());
  auto from = ids_member(*body, "from", "report");
  if (!from) return error_response(from.error());
  auto reason = string_member(*body, "reason", true);
  if (!reason) return error_response(reason.error());
  auto m = app::merge_reports(ctx.db, ctx.clock.now(), acting(ctx, p), id, *from, *reason);
  if (!m) return error_response(m.error());
  return json_response(app::merge_json(id, *from, *m));
}

// POST /api/v1/reports/{id}/split {"messages": [ids], "incidents": [ids], "reason"}.
Response post_split(ApiContext& ctx, const Request& req, const app::Principal& p, store::Id id) {
  auto body = json_body(req);
  if (!body) return error_response(body.error());
  auto messages = ids_member(*body, "messages", "message");
  if (!messages) return error_response(messages.error());
  std::vector<store::Id> incidents;
  if (body->contains("incidents")) {
    auto listed = ids_member(*body, "incidents", "incident");
    if (!listed) return error_response(listed.error());
    incidents = std::move(*listed);
  }
  auto reason = string_member(*body, "reason", true);
  if (!reason) return error_response(reason.error());
  auto made =
      app::split_report(ctx.db, ctx.clock.now(), acting(ctx, p), id, *messages, incidents, *reason);
  if (!made) return error_response(made.error());
  return json_response({{"report", *made}, {"from", id}}, 201);
}

// POST /api/v1/reports/{id}/mail {"to": [...], "subject", "body", "language", "approve"}.
Response post_mail(ApiContext& ctx, const Request& req, const app::Principal& p, store::Id id) {
  auto body = json_body(req);
  if (!body) return error_response(body.error());
  app::MailRequest m;
  m.report = id;
  auto to = strings_member(*body, "to");
  if (!to) return error_response(to.error());
  m.to = std::move(*to);
  for (auto [field, name, required] :
       {std::tuple{&m.subject, "subject", true}, std::tuple{&m.body, "body", true},
        std::tuple{&m.language, "language", false}}) {
    auto v = string_member(*body, name, required);
    if (!v) return error_response(v.error());
    *field = std::move(*v);
  }
  if (auto it = body->find("approve"); it != body->end()) {
    if (!it->is_boolean()) {
      return error_response(Error::InvalidArgument("approve must be true or false"));
    }
    m.approve = it->get<bool>();
  }
  auto notice = app::write_mail(ctx.db, ctx.cfg, ctx.clock, acting(ctx, p), m);
  if (!notice) return error_response(notice.error());
  auto written = ctx.db.outbox().get_notice(*notice);
  if (!written) return error_response(written.error());
  return json_response(app::notice_json(*written, true), 201);
}

const std::set<app::Role> kWorkers = {app::Role::kAdmin, app::Role::kHandler};

}  // namespace

namespace api {

void add_handling_routes(Router& r, ApiContext& ctx) {
  r.add({"POST", "/api/v1/reports/actions", Access::kWrite, kWorkers,
         [&ctx](const Request& req, const app::Principal* p, const PathValues&) {
           return post_actions(ctx, req, *p);
         }});
  r.add({"GET",
         "/api/v1/reports/{id}/notes",
         Access::kRead,
         {},
         [&ctx](const Request&, const app::Principal* p, const PathValues& v) {
           return get_notes(ctx, *p, number_of(v[0]));
         }});
  r.add({"POST", "/api/v1/reports/{id}/notes", Access::kWrite, kWorkers,
         [&ctx](const Request& req, const app::Principal* p, const PathValues& v) {
           return post_note(ctx, req, *p, number_of(v[0]));
         }});
  r.add({"POST", "/api/v1/reports/{id}/merge", Access::kWrite, kWorkers,
         [&ctx](const Request& req, const app::Principal* p, const PathValues& v) {
           return post_merge(ctx, req, *p, number_of(v[0]));
         }});
  r.add({"POST", "/api/v1/reports/{id}/mail", Access::kWrite, kWorkers,
         [&ctx](const Request& req, const app::Principal* p, const PathValues& v) {
           return post_mail(ctx, req, *p, number_of(v[0]));
         }});
  r.add({"POST", "/api/v1/reports/{id}/split", Access::kWrite, kWorkers,
         [&ctx](const Request& req, const app::Principal* p, const PathValues& v) {
           return post_split(ctx, req, *p, number_of(v[0]));
         }});
}

}  // namespace api

}  // namespace kz::server
