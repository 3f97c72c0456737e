// Reporters: who sent reports, how to write back to them, and what the centre told them.
//
// Errors, for every method: as MessageStore (messages.h); methods name further errors of their
// own. Thread-safety: as the Database it comes from.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/common.h"

namespace kz::store {

struct ReporterRecord {
  Id id = 0;
  std::string address;
  std::string name;
  std::string org_domain;
  std::string tld;
  std::string kind = "other";
  bool domestic = false;
};

// Who reported a report and how to write back to them.
struct ReporterContact {
  Id report = 0;
  Id first_message = 0;
  std::string address;
  std::string name;
  std::string tld;
  std::string subject;     // of the first message
  std::string message_id;  // of the first message (the acknowledgement answers it)
  std::string channel;     // email | xarf | form
  Time received_at{};
  std::optional<Time> acknowledged_at;
  std::optional<Time> reporter_told_at;
  bool csam = false;
  std::optional<Time> dated_at;  // of the first message (MessageRecord::dated_at)
  std::string automatic;         // of the first message (MessageRecord::automatic)
  // Whether the reporter is mailed: nullopt not decided yet, "" yes, else why not.
  std::optional<std::string> reporter_mail;
};

class ReporterStore {
 public:
  virtual ~ReporterStore() = default;

  // Inserts the reporter, or returns the id of the one with this address.
  virtual Result<Id> upsert_reporter(const ReporterRecord& r) = 0;
  // Reports with a reporter's address not decided on yet (reporter_mail unset) and not
  // acknowledged: the worker decides whether their reporter is mailed.
  virtual Result<std::vector<ReporterContact>> reports_to_acknowledge() = 0;
  // kNotFound: no such report, or no message filed as its first.
  virtual Result<ReporterContact> reporter_contact(Id report) = 0;
  virtual Status set_report_acknowledged(Id report, Time at) = 0;
  // When the closure mail was planned; nullopt again when a site revives (they hear once more).
  virtual Status set_reporter_told(Id report, std::optional<Time> at) = 0;
  // Whether the reporter is mailed: "" yes, else the reason not (ReporterContact::reporter_mail).
  virtual Status set_reporter_mail(Id report, const std::string& decision) = 0;
  // The recipients (lower-case) of the mails to reporters planned since `since`, one entry a
  // mail: the rate limits count them.
  virtual Result<std::vector<std::string>> reporter_mail_recipients(Time since) = 0;
};

}  // namespace kz::store
