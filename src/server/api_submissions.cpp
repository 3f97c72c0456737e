// POST /api/v1/submissions: the public report form (docs/api.md's document), anonymous allowed.
// The Internet writes here, so it is bounded before anything is stored: [server]
// submissions_per_hour per client address (429), [server] max_submission_bytes (413), a JSON
// object that is a form (not an X-ARF document slipped in), and log uploads that are text. What
// passes is stored first and then triaged, as `kizuna submit` does; the answer gives the report's
// number, the tracking number its acknowledgement and later mail carry.
#include "app/reporter_status.h"
#include "core/sha256.h"
#include "core/text.h"
#include "server/api_util.h"
#include "server/multipart.h"

namespace kz::server {

namespace {

using namespace api;

// The form document of a request: the JSON body, or the multipart form's `document` part with
// each `logs` file appended to its `logs` text under a line naming the file.
Result<Json> form_document(const Request& req) {
  const std::string boundary = multipart_boundary(req.header("content-type"));
  if (boundary.empty()) return json_body(req);
  auto parts = parse_multipart(req.body, boundary);
  if (!parts) return fail(parts.error());
  Json doc;
  std::string logs;
  for (const auto& p : *parts) {
    if (p.name == "document") {
      doc = Json::parse(p.body, nullptr, false);
    } else if (p.name == "logs") {
      if (first_invalid_utf8(p.body) != std::string::npos ||
          p.body.find('\0') != std::string_view::npos) {
        return fail(Error::InvalidArgument("a log file must be text (UTF-8): " + p.filename));
      }
      logs += "--- " + (p.filename.empty() ? std::string("logs") : p.filename) + " ---\n";
      logs += std::string(p.body);
      if (!logs.empty() && logs.back() != '\n') logs += '\n';
    } else {
      return fail(
          Error::InvalidArgument("unknown form field (document and logs are taken)", p.name));
    }
  }
  if (!doc.is_object()) {
    return fail(Error::InvalidArgument("the form needs a document part: a JSON object"));
  }
  if (!logs.empty()) {
    std::string before =
        doc.contains("logs") && doc["logs"].is_string() ? doc["logs"].get<std::string>() : "";
    doc["logs"] = before.empty() ? logs : before + "\n" + logs;
  }
  return doc;
}

// True for a document the form makes (docs/api.md): a purpose, or a reporter and a description,
// and none of the X-ARF markers, which only a partner's tool with a token may hand in.
bool is_form(const Json& doc) {
  for (const char* marker : {"xarf_version", "ReporterInfo", "Report", "Version"}) {
    if (doc.contains(marker)) return false;
  }
  return doc.contains("purpose") || (doc.contains("reporter") && doc.contains("description"));
}

Response get_status(ApiContext& ctx, const Request& req) {
  auto it = req.query.find("token");
  auto v = app::reporter_view(ctx.db, ctx.clock.now(), it == req.query.end() ? "" : it->second);
  if (!v) {
    if (v.error().code != ErrorCode::kDenied) return error_response(v.error());
    return Response::error(404, "not_found", v.error().message);
  }
  return json_response(
      {{"tracking", v->tracking},
       {"received_at", format_utc(v->received_at)},
       {"type", v->type},
       {"status", v->status},
       {"status_label",
        {{"ja", app::status_label(v->status, "ja")}, {"en", app::status_label(v->status, "en")}}},
       {"sites", v->sites},
       {"sites_down", v->sites_down},
       {"notified", v->notified},
       {"closed_at", app::time_json(v->closed_at)}});
}

Response post_submission(ApiContext& ctx, const Request& req) {
  const Time now = ctx.clock.now();
  if (auto s = ctx.submissions.check(req.peer, now, "submissions"); !s)
    return error_response(s.error());
  if (req.body.size() > ctx.cfg.max_submission_bytes) {
    return Response::error(413, "too_large",
                           "a submission holds at most " +
                               std::to_string(ctx.cfg.max_submission_bytes / 1024) +
                               " KiB, log files included: send the rest by mail");
  }
  auto doc = form_document(req);
  if (!doc) return error_response(doc.error());
  if (!is_form(*doc)) {
    return error_response(Error::InvalidArgument(
        "not a report form document (docs/api.md): it needs purpose, or reporter and "
        "description; X-ARF goes to POST /api/v1/messages with a token"));
  }
  ctx.submissions.count(req.peer, now);
  const std::string bytes = doc->dump(2, ' ', false, Json::error_handler_t::replace);
  auto summary = ingest_one(ctx, bytes, "http:form:" + req.peer);
  if (!summary) return error_response(summary.error());
  auto id = ctx.db.messages().find_message(sha256_hex(bytes));
  if (!id) return error_response(id.error());
  std::optional<store::Id> report;
  if (*id) {
    auto r = ctx.db.reports().report_of_message(**id);
    if (!r) return error_response(r.error());
    report = *r;
  }
  const bool quarantined = summary->quarantined > 0;
  const bool fresh = !quarantined && summary->duplicate == 0;
  Json out{{"received", true},
           {"status", quarantined ? "quarantined"
                      : fresh     ? "new"
                                  : "duplicate"},
           {"tracking", report ? Json(*report) : Json(nullptr)}};
  if (report && fresh) {
    // The reporter's private link to the report's status: shown this once.
    auto token = app::make_status_link(ctx.db, now, *report, ctx.cfg.status_link_lifetime);
    if (!token) return error_response(token.error());
    out["status_token"] = *token;
  }
  return json_response(out, quarantined ? 202 : summary->duplicate > 0 ? 200 : 201);
}

}  // namespace

namespace api {

void add_submission_routes(Router& r, ApiContext& ctx) {
  r.add({"POST",
         "/api/v1/submissions",
         Access::kPublic,
         {},
         [&ctx](const Request& req, const app::Principal*, const PathValues&) {
           return post_submission(ctx, req);
         }});
  r.add({"GET",
         "/api/v1/status",
         Access::kPublic,
         {},
         [&ctx](const Request& req, const app::Principal*, const PathValues&) {
           return get_status(ctx, req);
         }});
}

}  // namespace api

}  // namespace kz::server
