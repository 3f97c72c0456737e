// The outbox: every mail the centre writes, to a responder or a reporter, from planning through
// approval to sending, with the bounces recorded against an address.
//
// Errors, for every method: as MessageStore (messages.h); methods name further errors of their
// own. Thread-safety: as the Database it comes from.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/common.h"
#include "store/states.h"

namespace kz::store {

// One outgoing mail (coord/outbox.h): to a responder (notice, renotice, reminder, escalation) or
// to a reporter (ack, closure).
struct NoticeRecord {
  Id id = 0;
  NoticeKind kind = NoticeKind::kNotice;
  Audience audience = Audience::kResponder;
  std::optional<Id> report;
  std::string org;
  std::string org_kind;
  std::vector<std::string> to;
  std::vector<std::string> cc;
  std::string language = "en";
  std::string tag;
  std::string subject;
  std::string body;
  std::string reason;
  NoticeStatus status = NoticeStatus::kPlanned;
  Time planned_at{};
  std::optional<Time> approved_at;
  std::string approved_by;
  std::string message_id;
  std::string mime;
  bool is_signed = false;
  bool encrypted = false;
  int attempts = 0;
  std::optional<Time> next_attempt_at;
  std::string last_error;
  std::optional<Time> sent_at;
  std::optional<Time> replied_at;  // the responder's first answer to this notice (its own date)
  std::vector<Id> sites;
};

class OutboxStore {
 public:
  virtual ~OutboxStore() = default;

  // Writes a planned notice (kind, audience, report, org, recipients, language, tag, subject, body,
  // reason, status, planned_at) and its site list; returns its id. The sending state (approval,
  // Message-ID, MIME, attempts, sent_at) is written by update_notice.
  virtual Result<Id> add_notice(const NoticeRecord& n) = 0;
  // Rewrites every mutable field of the notice (status, approval, Message-ID, MIME, attempts ...).
  virtual Status update_notice(const NoticeRecord& n) = 0;
  // kNotFound: no such notice.
  virtual Result<NoticeRecord> get_notice(Id id) = 0;
  // All notices with this status (nullopt: all), in the order they were planned (by id).
  virtual Result<std::vector<NoticeRecord>> notices(std::optional<NoticeStatus> status) = 0;
  // Approved notices whose next attempt is due at `now`.
  virtual Result<std::vector<NoticeRecord>> notices_due(Time now) = 0;
  // The notices of one report, in the order they were planned.
  virtual Result<std::vector<NoticeRecord>> notices_of_report(Id report) = 0;
  // Notices sent in [from, to).
  virtual Result<std::vector<NoticeRecord>> notices_sent(Time from, Time to) = 0;
  // The notice sent with one of these Message-IDs (without <>), if any.
  virtual Result<std::optional<Id>> notice_by_message_id(const std::vector<std::string>& ids) = 0;
  // The sites named by notices with one of these statuses, each once, in id order (the planner
  // decides which statuses keep a site from being planned again).
  virtual Result<std::vector<Id>> sites_of_notices_in(
      const std::vector<NoticeStatus>& statuses) = 0;
  // The first answer to a notice (later ones keep the first time).
  virtual Status set_notice_replied(Id notice, Time at) = 0;
  virtual Status add_bounce(const std::string& address, Time at, Id notice,
                            const std::string& reason) = 0;
  // How many bounces were recorded against `address`.
  virtual Result<int64_t> bounce_count(const std::string& address) = 0;
};

}  // namespace kz::store
