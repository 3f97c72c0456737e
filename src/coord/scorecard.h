// The responder scorecard (the table of seed 000 in domain.md): per organisation that
// received notices, how often it replied and how fast its sites were verified down, from the first
// notice to the verified takedown, in hours and in business days (calendar.h).
#pragma once

#include <string>
#include <vector>

#include "coord/calendar.h"
#include "store/outbox.h"
#include "store/sites.h"

namespace kz::coord {

struct ResponderScore {
  std::string org;
  std::string kind;         // isp | company | school | overseas | csirt | other
  int notifications = 0;    // mails sent to it (re-notices, reminders included)
  int replies = 0;          // of those, answered (a reply attached to the notice's sites)
  std::string reply_class;  // yes >= 80% | sometimes >= 40% | hardly > 0 | none
  int sites = 0;            // sites first notified in the period
  int takedowns = 0;        // of those, verified down
  double mean_hours = 0, min_hours = 0, max_hours = 0;
  double mean_business_days = 0, min_business_days = 0, max_business_days = 0;
  double per_month = 0;     // sites notified per month of the period
  double closure_rate = 0;  // takedowns / sites
  int revivals = 0;
};

std::string reply_class(int notifications, int replies);

// Scores over [from, to): sites first notified and notices sent in the period.
std::vector<ResponderScore> score_responders(const std::vector<store::SiteRecord>& sites,
                                             const std::vector<store::NoticeRecord>& notices,
                                             Time from, Time to, const BusinessCalendar& calendar,
                                             const TimeZone& zone);

}  // namespace kz::coord
