// Who to tell, over HTTP: what the network data says of an address (GET /api/v1/whois), the
// organisations of the contact directory (GET /api/v1/contacts), and the national CSIRTs with
// whether a handler confirmed each (GET /api/v1/directory, POST /api/v1/directory/verify).
//
// The network data is a snapshot kept by the server (enrich::NetworkDataCache): each request asks
// the store's data version (one small query) and rebuilds only after `kizuna data load`.
#include "app/directory.h"
#include "core/ip.h"
#include "server/api_util.h"

namespace kz::server {

namespace {

using namespace api;

Result<std::shared_ptr<const enrich::NetworkData>> network_data(ApiContext& ctx) {
  if (auto r = ctx.network_data.refresh(ctx.db.network_data(), ctx.db.settings()); !r)
    return fail(r.error());
  return ctx.network_data.current();
}

// GET /api/v1/whois?ip=ADDRESS. An address only: a host name would make the server ask DNS on a
// caller's behalf.
Response whois(ApiContext& ctx, const Request& req) {
  auto it = req.query.find("ip");
  auto ip = it == req.query.end() ? std::nullopt : Ip::parse(it->second);
  if (!ip) {
    return error_response(
        Error::InvalidArgument("give ip=ADDRESS (IPv4 or IPv6; host names are not looked up)"));
  }
  auto data = network_data(ctx);
  if (!data) return error_response(data.error());
  return json_response(app::whois_json((*data)->whois(*ip, ctx.cfg.routing)));
}

Response contacts(ApiContext& ctx) {
  auto data = network_data(ctx);
  if (!data) return error_response(data.error());
  Json out = Json::array();
  for (const auto& o : (*data)->organisations()) out.push_back(app::organisation_json(o));
  return json_response({{"organisations", out}});
}

Response directory(ApiContext& ctx) {
  auto data = network_data(ctx);
  if (!data) return error_response(data.error());
  Json out = Json::array();
  for (const auto& [country, c] : (*data)->csirts()) out.push_back(app::csirt_json(country, c));
  return json_response({{"csirts", out}});
}

Response verify(ApiContext& ctx, const Request& req, const app::Principal& p) {
  auto body = json_body(req);
  if (!body) return error_response(body.error());
  auto name = string_member(*body, "name", true);
  if (!name) return error_response(name.error());
  if (auto s = app::verify_directory_entry(ctx.db, *name, p.actor(), ctx.clock.now()); !s)
    return error_response(s.error());
  return json_response({{"name", *name}, {"verified", true}});
}

const std::set<app::Role> kWorkers = {app::Role::kAdmin, app::Role::kHandler};

}  // namespace

namespace api {

void add_directory_routes(Router& r, ApiContext& ctx) {
  r.add({"GET",
         "/api/v1/whois",
         Access::kRead,
         {},
         [&ctx](const Request& req, const app::Principal*, const PathValues&) {
           return whois(ctx, req);
         }});
  r.add(
      {"GET",
       "/api/v1/contacts",
       Access::kRead,
       {},
       [&ctx](const Request&, const app::Principal*, const PathValues&) { return contacts(ctx); }});
  r.add({"GET",
         "/api/v1/directory",
         Access::kRead,
         {},
         [&ctx](const Request&, const app::Principal*, const PathValues&) {
           return directory(ctx);
         }});
  r.add({"POST", "/api/v1/directory/verify", Access::kWrite, kWorkers,
         [&ctx](const Request& req, const app::Principal* p, const PathValues&) {
           return verify(ctx, req, *p);
         }});
}

}  // namespace api

}  // namespace kz::server
