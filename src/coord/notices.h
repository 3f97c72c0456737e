// Planning notices (issue 4): one message per responder listing all their open sites (never one
// mail per event), in the responder's language, from editable templates (data/templates, compiled
// in), with the tracking tag in the subject. Pure: candidates in, planned notices out; sending
// comes with the outbox.
//
// Left out on purpose: CSAM reports (the hotline route, never a notice); the reporter's identity
// (notices name sites, addresses and times only).
#pragma once

#include <string>
#include <vector>

#include "core/time.h"
#include "store/store.h"

namespace kz::coord {

struct NoticeTemplates {
  std::string ja;  // "Subject: ..." line, blank line, body; {{tag}} {{centre}} {{count}} {{sites}} {{reason}}
  std::string en;
  static NoticeTemplates defaults();
};

struct NoticeOptions {
  std::string centre = "Kizuna";
  std::string tag_prefix = "Kizuna#";  // the subject carries [Kizuna#<first site id>]
  TimeZone zone{"Asia/Tokyo"};
};

struct PlannedNotice {
  std::vector<std::string> to;
  std::vector<std::string> cc;
  std::string language;  // ja | en
  std::string tag;       // "[Kizuna#12]"
  std::string subject;
  std::string body;
  std::vector<store::Id> sites;
  bool renotice = false;  // lists a site that came back
  std::string reason;
};

std::vector<PlannedNotice> plan_notices(const std::vector<store::NoticeCandidate>& candidates,
                                        const NoticeTemplates& templates, const NoticeOptions& options);

}  // namespace kz::coord
