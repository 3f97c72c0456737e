// What a reporter may know of their own report, through a private status link: received, its
// type, whether the responders were notified (never who), how many sites are taken down, closed.
// Never other reporters, responders, notes, addresses or texts (docs/security.md).
//
// The link's token ("kzr_" and 64 hex digits, 256 random bits) is shown once, when it is made
// (the form's answer, the acknowledgement mail), and stored as its SHA-256 only. It expires.
//
// Errors: kDenied for a token that is unknown or expired (one message, not saying which);
// kNotFound for an unknown report; the store's. Thread-safety: as the Database given.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/result.h"
#include "core/time.h"
#include "store/database.h"

namespace kz::app {

// A new status link for `report`, valid for `lifetime`; returns the token.
Result<std::string> make_status_link(store::Database& db, Time now, store::Id report,
                                     std::chrono::seconds lifetime);

struct ReporterView {
  store::Id tracking = 0;  // the report's number, as the centre's mails carry it
  Time received_at{};
  std::string type;    // the incident type (phishing, scan ...)
  std::string status;  // received | notified | taken_down | closed
  int sites = 0;       // sites reported
  int sites_down = 0;  // verified down (or closed after that)
  bool notified = false;
  std::optional<Time> closed_at;
};

// The view the token of a status link gives.
Result<ReporterView> reporter_view(store::Database& db, Time now, std::string_view token);

// The status as a reporter reads it, in `lang` (ja or en).
std::string status_label(const std::string& status, const std::string& lang);

}  // namespace kz::app
