// What intake makes of one received item: the parsed view of a message, independent of how it
// arrived (e-mail, X-ARF file, web form). Triage reads only this. Parsers are pure: bytes in,
// ParsedMessage out; they never throw and never lose the raw bytes (the caller stores those).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace kz::intake {

// A piece of human-readable text from the message, decoded to UTF-8.
struct TextPart {
  std::string origin;  // "body", "attachment:scan.log", "zip:logs.zip/auth.log", "forwarded:body"
  std::string text;
  bool attachment = false;
  // Part of an embedded original (the spam inside an ARF report, a forwarded mail's headers):
  // evidence to keep, not a description written by the reporter.
  bool quoted_original = false;
};

// A machine-readable report found in the message (X-ARF 0.2/v3/v4, ARF, the web form).
struct StructuredReport {
  std::string format;    // xarf-0.2 | xarf-3 | xarf-4 | arf | form
  std::string category;  // X-ARF v4 category / v3 ReportClass / 0.2 Category; ARF: "abuse"
  std::string type;      // X-ARF type / Report-Type, ARF Feedback-Type, form type
  std::string report_id;
  std::vector<std::string> sources;  // reported IPs, URLs or domains (source_identifier ...)
  std::vector<std::string> urls;     // reported URLs
  std::vector<std::string> victims;  // destination addresses (the reporter's side)
  std::vector<int> destination_ports;
  std::string protocol;  // tcp | udp
  std::optional<Time> occurred;
  std::string reporter_org;
  std::string reporter_contact;
  std::string reporter_domain;
  std::string brand;  // target_brand / TargetBrand
  std::string tlp;
  std::string purpose;             // form only: incident | question | information | consultation
  bool disclose_reporter = false;  // form only: may responders see who reported
  bool csam = false;
  // What was not read (a list over max_items_per_message), said once per list.
  std::vector<std::string> problems;
};

struct ParsedMessage {
  std::string channel = "email";  // email | xarf | form
  std::string from_address;       // lower-case
  std::string from_name;
  std::string subject;
  std::string message_id;         // without <>
  std::vector<std::string> refs;  // In-Reply-To then References, without <>
  // Message-IDs of the messages embedded whole (message/rfc822 parts: a returned original in a
  // delivery status notification, a forwarded mail), without <>, in order.
  std::vector<std::string> embedded_message_ids;
  std::optional<Time> date;      // Date:
  int date_offset_minutes = 0;   // the zone of Date: (+0900 -> 540): local log times are read in it
  std::optional<Time> received;  // the centre's own Received: header
  // Why the headers say a machine sent it ("Auto-Submitted: auto-replied", "Precedence: bulk",
  // "List-Id", "empty Return-Path", "From: mailer-daemon", "X-ARF"); empty when they do not.
  // The centre mails no one back for such a message (no acknowledgement, no closure).
  std::string automatic;
  std::vector<std::string> relay_ips;    // addresses in transport headers: never incidents
  std::vector<std::string> relay_hosts;  // host names in "Received: from HOST": the sender's side
  std::vector<TextPart> parts;
  std::vector<StructuredReport> reports;
  std::string signature = "none";     // none | valid | bad | unknown-key | error
  std::string signer;                 // fingerprint of the signing key
  int encrypted = 0;                  // 0 no, 1 decrypted, 2 could not be decrypted
  std::vector<std::string> problems;  // what could not be read; the message is then "partial"

  bool csam() const {
    for (const auto& r : reports) {
      if (r.csam) return true;
    }
    return false;
  }
};

// Where two readings of one message differ ("" when they agree): the first differing field,
// named. The lean and the gmime MIME readers are held to agree by tests and a fuzz target.
std::string first_difference(const ParsedMessage& a, const ParsedMessage& b);

// Limits against hostile input; every one is configurable ([intake] in kizuna.toml).
struct Limits {
  size_t max_message_bytes = 64u << 20;  // e-mail over this is stored raw and quarantined
  size_t max_json_bytes = 16u << 20;     // JSON documents (X-ARF, the form): the same
  // Bytes kept of one message (a file, the pipe, one message of an mbox): beyond them Kizuna
  // keeps the first bytes, their size and hash, and says the input was cut. Read as a stream and
  // stored in chunks, so the limit bounds disk, not memory.
  size_t max_raw_bytes = size_t{1} << 30;
  int max_parts = 2000;
  int max_depth = 12;
  int max_zip_entries = 200;
  size_t max_unzipped_bytes = 32u << 20;
  size_t max_text_bytes = 16u << 20;  // text kept per message for triage: the rest is cut
  // Entries read from one list of a machine-readable report (ports, addresses, URLs): a port
  // scan of every port is 65,535; beyond this the rest is not read, and that is said once.
  size_t max_items_per_message = 100'000;
};

}  // namespace kz::intake
