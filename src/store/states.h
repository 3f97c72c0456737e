// The states, statuses and kinds that stored records carry, as enums. Their text forms (to_string)
// are what the database stores and what the JSON shapes print; nothing else compares strings.
// parse_*() reads a stored or given text, nullopt for anything else.
//
// Pure and thread-safe.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string_view>

namespace kz::store {

// A site's place in the takedown workflow (coord/workflow.h has the transitions).
enum class SiteState {
  kNew,
  kNotified,
  kReplied,
  kTakedownReported,
  kDownVerified,
  kClosed,
  kRevived,
  kReminded,
  kEscalated,
};

enum class ReportStatus { kOpen, kClosed };

// A mail of the outbox, from planning to its end.
enum class NoticeStatus { kPlanned, kApproved, kSent, kFailed, kBounced, kCancelled };
// To a responder: notice, renotice, reminder, escalation; to a reporter: ack, closure.
// kMessage: a handler's own mail to a party of a report (Coordinator::write_mail).
enum class NoticeKind { kNotice, kRenotice, kReminder, kEscalation, kAck, kClosure, kMessage };
enum class Audience { kResponder, kReporter };

// How a message could be read: whole, in part (some part unreadable), or not at all (set aside in
// quarantine, its bytes kept).
enum class ParseStatus { kOk, kPartial, kQuarantined };

// What one fetch of a site, or one check round, found.
enum class CheckOutcome { kLive, kDown, kUnknown, kBlocked };

std::string_view to_string(SiteState s);
std::string_view to_string(ReportStatus s);
std::string_view to_string(NoticeStatus s);
std::string_view to_string(NoticeKind k);
std::string_view to_string(Audience a);
std::string_view to_string(CheckOutcome o);
std::string_view to_string(ParseStatus s);

std::optional<SiteState> parse_site_state(std::string_view s);
std::optional<ReportStatus> parse_report_status(std::string_view s);
std::optional<NoticeStatus> parse_notice_status(std::string_view s);
std::optional<NoticeKind> parse_notice_kind(std::string_view s);
std::optional<Audience> parse_audience(std::string_view s);
std::optional<CheckOutcome> parse_check_outcome(std::string_view s);
std::optional<ParseStatus> parse_parse_status(std::string_view s);

// A state put in a JSON value is its text (nlohmann would otherwise write the enum's number,
// silently); found by argument-dependent lookup wherever nlohmann::json is used.
void to_json(nlohmann::json& j, SiteState v);
void to_json(nlohmann::json& j, ReportStatus v);
void to_json(nlohmann::json& j, NoticeStatus v);
void to_json(nlohmann::json& j, NoticeKind v);
void to_json(nlohmann::json& j, Audience v);
void to_json(nlohmann::json& j, CheckOutcome v);
void to_json(nlohmann::json& j, ParseStatus v);

}  // namespace kz::store
