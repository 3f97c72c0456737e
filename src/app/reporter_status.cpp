#include "app/reporter_status.h"

#include "app/access.h"
#include "core/sha256.h"

namespace kz::app {

namespace {

constexpr std::string_view kPrefix = "kzr_";

}  // namespace

Result<std::string> make_status_link(store::Database& db, Time now, store::Id report,
                                     std::chrono::seconds lifetime) {
  const std::string token = new_secret(kPrefix);
  auto done = store::in_transaction(db, [&]() -> Status {
    if (auto r = db.reports().get_report(report); !r) return fail(r.error());
    return db.reports().add_status_link(report, sha256_hex(token), now, now + lifetime);
  });
  if (!done) return fail(done.error());
  return token;
}

Result<ReporterView> reporter_view(store::Database& db, Time now, std::string_view token) {
  const Error invalid = Error::Denied("this status link is not valid or has expired");
  if (token.substr(0, kPrefix.size()) != kPrefix || token.size() > 128) return fail(invalid);
  auto link = db.reports().status_link(sha256_hex(token));
  if (!link) return fail(link.error());
  if (!*link || (*link)->second <= now) return fail(invalid);
  auto r = db.reports().get_report((*link)->first);
  if (!r) return fail(r.error());
  auto sites = db.sites().sites_of_report(r->id);
  if (!sites) return fail(sites.error());
  ReporterView v;
  v.tracking = r->id;
  v.received_at = r->created_at;
  v.type = to_string(r->cls.type);
  v.sites = static_cast<int>(sites->size());
  for (const auto& s : *sites) {
    if (s.state != store::SiteState::kNew) v.notified = true;
    if (s.state == store::SiteState::kDownVerified || s.state == store::SiteState::kClosed)
      ++v.sites_down;
  }
  if (r->status == store::ReportStatus::kClosed) {
    v.status = "closed";
    v.closed_at = r->closed_at;
  } else if (v.sites > 0 && v.sites_down == v.sites) {
    v.status = "taken_down";
  } else {
    v.status = v.notified ? "notified" : "received";
  }
  return v;
}

std::string status_label(const std::string& status, const std::string& lang) {
  const bool ja = lang == "ja";
  if (status == "received") return ja ? "受付済み" : "Received";
  if (status == "notified")
    return ja ? "関係者へ連絡済み" : "The responsible parties were notified";
  if (status == "taken_down") return ja ? "停止を確認済み" : "Taken down";
  if (status == "closed") return ja ? "対応終了" : "Closed";
  return status;
}

}  // namespace kz::app
