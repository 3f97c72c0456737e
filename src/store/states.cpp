#include "store/states.h"

#include <nlohmann/json.hpp>

#include <array>

namespace kz::store {

namespace {

constexpr std::array<std::string_view, 9> kSiteStates = {
    "new",    "notified", "replied",  "takedown_reported", "down_verified",
    "closed", "revived",  "reminded", "escalated"};
constexpr std::array<std::string_view, 2> kReportStatuses = {"open", "closed"};
constexpr std::array<std::string_view, 6> kNoticeStatuses = {"planned", "approved", "sent",
                                                             "failed",  "bounced",  "cancelled"};
constexpr std::array<std::string_view, 7> kNoticeKinds = {
    "notice", "renotice", "reminder", "escalation", "ack", "closure", "message"};
constexpr std::array<std::string_view, 2> kAudiences = {"responder", "reporter"};
constexpr std::array<std::string_view, 4> kCheckOutcomes = {"live", "down", "unknown", "blocked"};
constexpr std::array<std::string_view, 3> kParseStatuses = {"ok", "partial", "quarantined"};

template <typename E, size_t N>
std::optional<E> parse(const std::array<std::string_view, N>& names, std::string_view s) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == s) return static_cast<E>(i);
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(SiteState s) { return kSiteStates[static_cast<size_t>(s)]; }
std::string_view to_string(ReportStatus s) { return kReportStatuses[static_cast<size_t>(s)]; }
std::string_view to_string(NoticeStatus s) { return kNoticeStatuses[static_cast<size_t>(s)]; }
std::string_view to_string(NoticeKind k) { return kNoticeKinds[static_cast<size_t>(k)]; }
std::string_view to_string(Audience a) { return kAudiences[static_cast<size_t>(a)]; }
std::string_view to_string(CheckOutcome o) { return kCheckOutcomes[static_cast<size_t>(o)]; }
std::string_view to_string(ParseStatus s) { return kParseStatuses[static_cast<size_t>(s)]; }

std::optional<SiteState> parse_site_state(std::string_view s) {
  return parse<SiteState>(kSiteStates, s);
}
std::optional<ReportStatus> parse_report_status(std::string_view s) {
  return parse<ReportStatus>(kReportStatuses, s);
}
std::optional<NoticeStatus> parse_notice_status(std::string_view s) {
  return parse<NoticeStatus>(kNoticeStatuses, s);
}
std::optional<NoticeKind> parse_notice_kind(std::string_view s) {
  return parse<NoticeKind>(kNoticeKinds, s);
}
std::optional<Audience> parse_audience(std::string_view s) {
  return parse<Audience>(kAudiences, s);
}
std::optional<CheckOutcome> parse_check_outcome(std::string_view s) {
  return parse<CheckOutcome>(kCheckOutcomes, s);
}

std::optional<ParseStatus> parse_parse_status(std::string_view s) {
  return parse<ParseStatus>(kParseStatuses, s);
}

void to_json(nlohmann::json& j, SiteState v) { j = to_string(v); }
void to_json(nlohmann::json& j, ReportStatus v) { j = to_string(v); }
void to_json(nlohmann::json& j, NoticeStatus v) { j = to_string(v); }
void to_json(nlohmann::json& j, NoticeKind v) { j = to_string(v); }
void to_json(nlohmann::json& j, Audience v) { j = to_string(v); }
void to_json(nlohmann::json& j, CheckOutcome v) { j = to_string(v); }
void to_json(nlohmann::json& j, ParseStatus v) { j = to_string(v); }

}  // namespace kz::store
