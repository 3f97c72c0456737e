#include "coord/sites.h"

#include <nlohmann/json.hpp>

namespace kz::coord {

Result<TransitionResult> transition_site(const SiteStores& store, store::Id site, Action action,
                                         const std::string& actor, const std::string& reason,
                                         Time at) {
  auto rec = store.sites.get_site(site);
  if (!rec) return fail(rec.error());
  const SiteState from = rec->state;
  auto to = apply(from, action);
  if (!to)
    return fail(Error{to.error().code, to.error().message,
                      "site " + std::to_string(site) + " (" + rec->url + ")"});
  TransitionResult out{from, *to};
  if (auto s = store.tx.begin(); !s) return fail(s.error());
  auto done = [&]() -> Status {
    if (auto s = store.sites.set_site_state(site, *to, at); !s) return s;
    nlohmann::json detail{{"action", to_string(action)},
                          {"from", to_string(from)},
                          {"to", to_string(*to)},
                          {"url", rec->url},
                          {"reason", reason}};
    if (auto s = store.events.append_event({at, actor, "site." + std::string(to_string(action)),
                                            "site:" + std::to_string(site), detail.dump()});
        !s) {
      return s;
    }
    // The report follows its sites: closed when all are, open again when one revives.
    auto sites = store.sites.sites_of_report(rec->report);
    if (!sites) return fail(sites.error());
    bool all_closed = true;
    for (const auto& s : *sites) {
      const SiteState state = s.id == site ? *to : s.state;
      all_closed = all_closed && state == SiteState::kClosed;
    }
    auto report = store.reports.get_report(rec->report);
    if (!report) return fail(report.error());
    if (all_closed && report->status != store::ReportStatus::kClosed) {
      out.report_closed = true;
      if (auto s = store.reports.set_report_status(rec->report, store::ReportStatus::kClosed, at);
          !s)
        return s;
      return store.events.append_event({at, actor, "report.closed",
                                        "report:" + std::to_string(rec->report),
                                        nlohmann::json{{"reason", "every site is closed"}}.dump()});
    }
    if (!all_closed && report->status == store::ReportStatus::kClosed) {
      out.report_reopened = true;
      if (auto s = store.reports.set_report_status(rec->report, store::ReportStatus::kOpen, at); !s)
        return s;
      return store.events.append_event(
          {at, actor, "report.reopened", "report:" + std::to_string(rec->report),
           nlohmann::json{
               {"reason", "site " + std::to_string(site) + " " + std::string(to_string(*to))}}
               .dump()});
    }
    return {};
  }();
  if (!done) {
    store.tx.rollback();
    return fail(done.error());
  }
  if (auto s = store.tx.commit(); !s) return fail(s.error());
  return out;
}

}  // namespace kz::coord
