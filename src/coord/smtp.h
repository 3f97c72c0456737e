// Handing one mail to the centre's SMTP relay through libcurl: STARTTLS (required, tried or
// off), AUTH, connect and total timeouts. The result says whether to retry: a 4xx answer or a
// network error is temporary, a 5xx answer permanent (a bounce at submission time).
#pragma once

#include <string>
#include <vector>

namespace kz::coord {

struct SmtpOptions {
  std::string url = "smtp://127.0.0.1:25";  // smtp:// (STARTTLS per `starttls`) or smtps://
  std::string starttls = "try";             // off | try | required
  std::string username;                     // empty: no AUTH
  std::string password;
  std::string ca_file;  // empty: the system's CAs
  bool verify_peer = true;
  std::string helo_domain;  // empty: curl's default
  long connect_timeout_ms = 5000;
  long timeout_ms = 30000;
};

struct SmtpResult {
  bool accepted = false;
  bool permanent = false;  // do not retry: the relay refused for good
  bool relay = false;      // the refusal is about us (AUTH, TLS, 530/535), not about the recipients
  // The relay did not take part: refused or could not be reached, broke off, answered 421, or
  // never answered (`timed_out`). Nothing is known of the recipients: the circuit breaker counts
  // it.
  bool relay_down = false;
  bool timed_out = false;
  long code = 0;      // the last SMTP reply code, 0 when none came
  std::string error;  // empty when accepted
};

// Sends `bytes` (a complete message, CRLF line ends) from `mail_from` to every `recipients`.
SmtpResult smtp_send(const SmtpOptions& options, const std::string& mail_from,
                     const std::vector<std::string>& recipients, const std::string& bytes);

}  // namespace kz::coord
