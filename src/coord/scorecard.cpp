#include "coord/scorecard.h"

#include <algorithm>
#include <map>

namespace kz::coord {

std::string reply_class(int notifications, int replies) {
  if (notifications <= 0 || replies <= 0) return "none";
  const double share = static_cast<double>(replies) / notifications;
  if (share >= 0.8) return "yes";
  if (share >= 0.4) return "sometimes";
  return "hardly";
}

std::vector<ResponderScore> score_responders(const std::vector<store::SiteRecord>& sites,
                                             const std::vector<store::NoticeRecord>& notices,
                                             Time from, Time to, const BusinessCalendar& calendar,
                                             const TimeZone& zone) {
  std::map<std::string, ResponderScore> by_org;
  for (const auto& n : notices) {
    if (n.audience != store::Audience::kResponder || n.status != store::NoticeStatus::kSent ||
        n.org.empty())
      continue;
    ResponderScore& r = by_org[n.org];
    r.org = n.org;
    if (r.kind.empty()) r.kind = n.org_kind;
    ++r.notifications;
    // Answered: the responder replied to this very notice (a re-notice counts on its own).
    if (n.replied_at) ++r.replies;
  }
  std::map<std::string, std::vector<std::pair<double, double>>> durations;  // hours, business days
  for (const auto& s : sites) {
    if (s.org.empty() || !s.first_notified_at) continue;
    ResponderScore& r = by_org[s.org];
    r.org = s.org;
    ++r.sites;
    r.revivals += s.revivals;
    if (s.down_verified_at && *s.down_verified_at >= *s.first_notified_at) {
      ++r.takedowns;
      const double hours =
          std::chrono::duration<double>(*s.down_verified_at - *s.first_notified_at).count() /
          3600.0;
      durations[s.org].emplace_back(
          hours, calendar.business_days_between(*s.first_notified_at, *s.down_verified_at, zone));
    }
  }
  const double months =
      std::max(1.0, std::chrono::duration<double>(to - from).count() / (86400.0 * 30.4375));
  std::vector<ResponderScore> out;
  for (auto& [org, r] : by_org) {
    r.reply_class = reply_class(r.notifications, r.replies);
    r.per_month = r.sites / months;
    r.closure_rate = r.sites ? static_cast<double>(r.takedowns) / r.sites : 0.0;
    const auto& d = durations[org];
    if (!d.empty()) {
      r.min_hours = r.max_hours = d.front().first;
      r.min_business_days = r.max_business_days = d.front().second;
      double sh = 0, sb = 0;
      for (const auto& [h, b] : d) {
        sh += h;
        sb += b;
        r.min_hours = std::min(r.min_hours, h);
        r.max_hours = std::max(r.max_hours, h);
        r.min_business_days = std::min(r.min_business_days, b);
        r.max_business_days = std::max(r.max_business_days, b);
      }
      r.mean_hours = sh / d.size();
      r.mean_business_days = sb / d.size();
    }
    out.push_back(r);
  }
  std::sort(out.begin(), out.end(), [](const ResponderScore& a, const ResponderScore& b) {
    return a.notifications != b.notifications ? a.notifications > b.notifications : a.org < b.org;
  });
  return out;
}

}  // namespace kz::coord
