#include "app/handling.h"

#include <algorithm>
#include <map>

#include "core/json_out.h"
#include "core/text.h"
#include "core/tlp.h"
#include "triage/ingest.h"

namespace kz::app {

namespace {

std::string subject(store::Id report) { return "report:" + std::to_string(report); }

Status check_list(const std::vector<store::Id>& reports) {
  if (reports.empty()) return fail(Error::InvalidArgument("name at least one report"));
  if (reports.size() > kMaxBulkReports) {
    return fail(Error::InvalidArgument("one action takes at most " +
                                       std::to_string(kMaxBulkReports) + " reports"));
  }
  return {};
}

// Runs `each(report)` for every report (duplicates once) in one transaction.
template <typename Each>
Status for_each_report(store::Database& db, const Acting& who, const std::vector<store::Id>& ids,
                       Each each) {
  if (auto s = check_list(ids); !s) return s;
  std::vector<store::Id> unique = ids;
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  return store::in_transaction(db, [&]() -> Status {
    for (store::Id id : unique) {
      auto r = visible_report(db, who, id);
      if (!r) return fail(r.error());
      if (auto s = each(*r); !s) return s;
    }
    return {};
  });
}

bool valid_tag(std::string_view t) {
  if (t.empty() || t.size() > 64) return false;
  return std::all_of(t.begin(), t.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == ':' ||
           c == '/' || c == '-';
  });
}

Result<std::vector<std::string>> normalised_tags(const std::vector<std::string>& tags) {
  std::vector<std::string> out;
  for (const auto& t : tags) {
    std::string lower = to_lower_ascii(trim(t));
    if (!valid_tag(lower)) {
      return fail(
          Error::InvalidArgument("a tag is 1 to 64 letters, digits or . _ : / - (no spaces)", t));
    }
    out.push_back(std::move(lower));
  }
  return out;
}

Status require_reason(const std::string& reason) {
  if (trim(reason).empty()) {
    return fail(Error::InvalidArgument("give a reason: the report's timeline says why"));
  }
  return {};
}

}  // namespace

Result<Classification> parse_classification(const std::string& spec, const std::string& rsit,
                                            const triage::Rules& rules) {
  const size_t slash = spec.find('/');
  auto type = parse_incident_type(spec.substr(0, slash));
  if (!type) {
    return fail(Error::InvalidArgument(
        "unknown type (use scan, forged, intrusion, phishing or other[/subtype])", spec));
  }
  Classification c;
  c.type = *type;
  c.subtype = slash == std::string::npos ? "" : spec.substr(slash + 1);
  // Default RSIT: the first rule with this type and subtype.
  for (const auto& r : rules.types()) {
    if (r.cls.type == c.type && r.cls.subtype == c.subtype) {
      c.rsit_taxonomy = r.cls.rsit_taxonomy;
      c.rsit_type = r.cls.rsit_type;
      break;
    }
  }
  if (!rsit.empty()) {
    const size_t s = rsit.find('/');
    if (s == std::string::npos)
      return fail(Error::InvalidArgument("--rsit must be taxonomy/type", rsit));
    c.rsit_taxonomy = rsit.substr(0, s);
    c.rsit_type = rsit.substr(s + 1);
  }
  if (c.rsit_taxonomy.empty()) {
    c.rsit_taxonomy = "other";
    c.rsit_type = "other";
  }
  return c;
}

Result<store::ReportRecord> visible_report(store::Database& db, const Acting& who, store::Id id) {
  auto r = db.reports().get_report(id);
  if (!r) return r;
  if (who.as && !may_see(*who.as, *r, who.default_tlp)) {
    return fail(Error::NotFound("no report with this number", "report " + std::to_string(id)));
  }
  return r;
}

bool may_see(const Principal& p, const store::ReportRecord& r, const std::string& default_tlp) {
  if (p.role == Role::kAdmin) return true;
  if (!is_tlp_red(effective_tlp(r.tlp, default_tlp))) return true;
  return r.assignee && *r.assignee == p.user;
}

Status assign_reports(store::Database& db, Time now, const Acting& who,
                      const std::vector<store::Id>& reports, const std::string& assignee) {
  std::optional<store::UserRecord> user;
  if (!assignee.empty()) {
    auto u = db.users().user_by_name(assignee);
    if (!u) return fail(u.error());
    if (!*u) return fail(Error::NotFound("no such user", assignee));
    if ((*u)->disabled) return fail(Error::InvalidArgument("this user is disabled", assignee));
    if ((*u)->role != "admin" && (*u)->role != "handler") {
      return fail(Error::InvalidArgument(
          "only an admin or a handler can be assigned a report (an analyst reads only)", assignee));
    }
    user = **u;
  }
  // The previous assignee's name, for the event (the event log is read without joins).
  std::map<store::Id, std::string> names;
  return for_each_report(db, who, reports, [&](const store::ReportRecord& r) -> Status {
    const std::optional<store::Id> to = user ? std::optional<store::Id>(user->id) : std::nullopt;
    if (r.assignee == to) return {};
    std::string from;
    if (r.assignee) {
      if (!names.count(*r.assignee)) {
        auto prev = db.users().user_by_id(*r.assignee);
        if (!prev) return fail(prev.error());
        names[*r.assignee] = *prev ? (*prev)->name : "";
      }
      from = names[*r.assignee];
    }
    if (auto s = db.reports().set_assignee(r.id, to); !s) return s;
    // "" for nobody: unassigned before, or after.
    JsonOut detail;
    detail.field("to", user ? user->name : std::string()).field("from", from);
    return db.events().append_event({now, who.actor, user ? "report.assigned" : "report.unassigned",
                                     subject(r.id), detail.done()});
  });
}

Status set_reports_tlp(store::Database& db, Time now, const Acting& who,
                       const std::vector<store::Id>& reports, const std::string& tlp,
                       const std::string& reason) {
  auto level = parse_tlp(tlp);
  if (!level) {
    return fail(Error::InvalidArgument(
        "TLP is one of CLEAR, GREEN, AMBER, AMBER+STRICT, RED (TLP:WHITE is CLEAR)", tlp));
  }
  const std::string marking = to_string(*level);
  return for_each_report(db, who, reports, [&](const store::ReportRecord& r) -> Status {
    if (parse_tlp(r.tlp) == level && r.tlp == marking) return {};
    if (auto s = db.reports().set_tlp(r.id, marking); !s) return s;
    return db.events().append_event(
        {now, who.actor, "report.tlp_changed", subject(r.id),
         JsonOut().field("from", r.tlp).field("to", marking).field("reason", reason).done()});
  });
}

Status tag_reports(store::Database& db, Time now, const Acting& who,
                   const std::vector<store::Id>& reports, const std::vector<std::string>& add,
                   const std::vector<std::string>& remove) {
  if (add.empty() && remove.empty()) {
    return fail(Error::InvalidArgument("name a tag to add or to remove"));
  }
  auto added = normalised_tags(add);
  if (!added) return fail(added.error());
  auto removed = normalised_tags(remove);
  if (!removed) return fail(removed.error());
  return for_each_report(db, who, reports, [&](const store::ReportRecord& r) -> Status {
    auto before = db.reports().tags_of(r.id);
    if (!before) return fail(before.error());
    std::vector<std::string> gained, lost;
    for (const auto& t : *added) {
      if (std::find(before->begin(), before->end(), t) == before->end()) gained.push_back(t);
    }
    for (const auto& t : *removed) {
      if (std::find(before->begin(), before->end(), t) != before->end()) lost.push_back(t);
    }
    if (gained.empty() && lost.empty()) return {};
    if (auto s = db.reports().add_tags(r.id, gained); !s) return s;
    if (auto s = db.reports().remove_tags(r.id, lost); !s) return s;
    return db.events().append_event(
        {now, who.actor, "report.tagged", subject(r.id),
         JsonOut().field("added", gained).field("removed", lost).done()});
  });
}

Status classify_reports(store::Database& db, Time now, const Acting& who,
                        const std::vector<store::Id>& reports, const Classification& cls,
                        const std::string& reason) {
  const auto stores = triage::IngestStores::of(db);
  return for_each_report(db, who, reports, [&](const store::ReportRecord& r) -> Status {
    if (r.cls.type == cls.type && r.cls.subtype == cls.subtype &&
        r.cls.rsit_taxonomy == cls.rsit_taxonomy && r.cls.rsit_type == cls.rsit_type)
      return {};
    return triage::reclassify_report_in_transaction(stores, r, cls, who.actor, reason, now);
  });
}

namespace {

Status set_status(store::Database& db, Time now, const Acting& who,
                  const std::vector<store::Id>& reports, store::ReportStatus to,
                  const std::string& reason) {
  if (auto s = require_reason(reason); !s) return s;
  return for_each_report(db, who, reports, [&](const store::ReportRecord& r) -> Status {
    if (r.status == to) return {};
    if (r.merged_into) {
      return fail(Error::InvalidArgument("report " + std::to_string(r.id) + " was merged into " +
                                         std::to_string(*r.merged_into) +
                                         ": work on that one (split what is not its matter)"));
    }
    if (auto s = db.reports().set_report_status(r.id, to, now); !s) return s;
    return db.events().append_event(
        {now, who.actor, to == store::ReportStatus::kClosed ? "report.closed" : "report.reopened",
         subject(r.id), JsonOut().field("reason", reason).done()});
  });
}

}  // namespace

Status close_reports(store::Database& db, Time now, const Acting& who,
                     const std::vector<store::Id>& reports, const std::string& reason) {
  return set_status(db, now, who, reports, store::ReportStatus::kClosed, reason);
}

Status reopen_reports(store::Database& db, Time now, const Acting& who,
                      const std::vector<store::Id>& reports, const std::string& reason) {
  return set_status(db, now, who, reports, store::ReportStatus::kOpen, reason);
}

namespace {

// A report a merge or a split may change: visible to `who`, open, not merged.
Result<store::ReportRecord> workable_report(store::Database& db, const Acting& who, store::Id id) {
  auto r = visible_report(db, who, id);
  if (!r) return r;
  if (r->merged_into) {
    return fail(Error::InvalidArgument("report " + std::to_string(id) + " was merged into " +
                                       std::to_string(*r->merged_into) + " already"));
  }
  if (r->status != store::ReportStatus::kOpen) {
    return fail(
        Error::InvalidArgument("report " + std::to_string(id) + " is closed: reopen it first"));
  }
  return r;
}

// `[1,2,3]`: numbers for an event's detail.
std::string numbers_json(const std::vector<store::Id>& ids) {
  std::string out = "[";
  for (store::Id id : ids) out += (out.size() > 1 ? "," : "") + std::to_string(id);
  return out + "]";
}

// The stricter of two markings, each read with the centre's default when blank.
std::string stricter_tlp(const std::string& a, const std::string& b,
                         const std::string& default_tlp) {
  const Tlp fallback = parse_tlp(default_tlp).value_or(Tlp::kAmber);
  const Tlp la = parse_tlp(effective_tlp(a, default_tlp)).value_or(fallback);
  const Tlp lb = parse_tlp(effective_tlp(b, default_tlp)).value_or(fallback);
  return to_string(std::max(la, lb));
}

}  // namespace

Result<store::MergeOutcome> merge_reports(store::Database& db, Time now, const Acting& who,
                                          store::Id into, const std::vector<store::Id>& from,
                                          const std::string& reason) {
  if (auto s = require_reason(reason); !s) return fail(s.error());
  if (auto s = check_list(from); !s) return fail(s.error());
  std::vector<store::Id> unique = from;
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  if (std::find(unique.begin(), unique.end(), into) != unique.end()) {
    return fail(Error::InvalidArgument("a report cannot be merged into itself"));
  }
  return store::in_transaction(db, [&]() -> Result<store::MergeOutcome> {
    auto target = workable_report(db, who, into);
    if (!target) return fail(target.error());
    std::string marking = target->tlp;
    store::MergeOutcome total;
    for (store::Id id : unique) {
      auto r = workable_report(db, who, id);
      if (!r) return fail(r.error());
      if (!marking.empty() || !r->tlp.empty())
        marking = stricter_tlp(marking, r->tlp, who.default_tlp);
      auto moved = db.reports().merge_report(id, into, now);
      if (!moved) return fail(moved.error());
      total.messages += moved->messages;
      total.incidents_moved += moved->incidents_moved;
      total.incidents_joined += moved->incidents_joined;
      total.sites_joined += moved->sites_joined;
      if (auto s = db.events().append_event(
              {now, who.actor, "report.merged_into", subject(id),
               JsonOut().field("into", into).field("reason", reason).done()});
          !s)
        return fail(s.error());
      if (auto s = db.events().append_event({now, who.actor, "report.merged_from", subject(into),
                                             JsonOut()
                                                 .field("from", id)
                                                 .field("messages", moved->messages)
                                                 .field("incidents_moved", moved->incidents_moved)
                                                 .field("incidents_joined", moved->incidents_joined)
                                                 .field("sites_joined", moved->sites_joined)
                                                 .field("reason", reason)
                                                 .done()});
          !s)
        return fail(s.error());
    }
    if (parse_tlp(effective_tlp(marking, who.default_tlp)) !=
        parse_tlp(effective_tlp(target->tlp, who.default_tlp))) {
      if (auto s = db.reports().set_tlp(into, marking); !s) return fail(s.error());
      if (auto s = db.events().append_event({now, who.actor, "report.tlp_changed", subject(into),
                                             JsonOut()
                                                 .field("from", target->tlp)
                                                 .field("to", marking)
                                                 .field("reason", "merge: the stricter marking")
                                                 .done()});
          !s)
        return fail(s.error());
    }
    return total;
  });
}

Result<store::Id> split_report(store::Database& db, Time now, const Acting& who, store::Id report,
                               const std::vector<store::Id>& messages,
                               const std::vector<store::Id>& incidents, const std::string& reason) {
  if (auto s = require_reason(reason); !s) return fail(s.error());
  if (messages.empty()) {
    return fail(Error::InvalidArgument("name the messages that go to the new report"));
  }
  std::vector<store::Id> moving = messages, moving_incidents = incidents;
  for (auto* list : {&moving, &moving_incidents}) {
    std::sort(list->begin(), list->end());
    list->erase(std::unique(list->begin(), list->end()), list->end());
  }
  return store::in_transaction(db, [&]() -> Result<store::Id> {
    auto r = workable_report(db, who, report);
    if (!r) return fail(r.error());
    auto contents = db.reports().contents_of(report);
    if (!contents) return fail(contents.error());
    const auto& [held, held_incidents] = *contents;
    auto owned = [](const std::vector<store::Id>& all, store::Id id) {
      return std::binary_search(all.begin(), all.end(), id);
    };
    for (store::Id m : moving) {
      if (!owned(held, m)) {
        return fail(Error::InvalidArgument("message " + std::to_string(m) +
                                           " is not filed under report " + std::to_string(report)));
      }
    }
    for (store::Id i : moving_incidents) {
      if (!owned(held_incidents, i)) {
        return fail(Error::InvalidArgument("incident " + std::to_string(i) +
                                           " is not one of report " + std::to_string(report)));
      }
    }
    if (moving.size() >= held.size()) {
      return fail(Error::InvalidArgument("the report must keep at least one of its messages"));
    }
    store::ReportRecord fresh = *r;
    fresh.created_at = now;
    fresh.linked_report = report;
    fresh.xarf_report_id.clear();  // the X-ARF id stays with the report that has it
    auto id = db.reports().split_report(report, fresh, moving, moving_incidents);
    if (!id) return id;
    if (auto s = db.events().append_event({now, who.actor, "report.split", subject(report),
                                           JsonOut()
                                               .field("to", *id)
                                               .json("messages", numbers_json(moving))
                                               .json("incidents", numbers_json(moving_incidents))
                                               .field("reason", reason)
                                               .done()});
        !s)
      return fail(s.error());
    if (auto s = db.events().append_event(
            {now, who.actor, "report.split_from", subject(*id),
             JsonOut().field("from", report).field("reason", reason).done()});
        !s)
      return fail(s.error());
    return *id;
  });
}

Result<store::Id> add_note(store::Database& db, Time now, const Acting& who, store::Id report,
                           const std::string& body) {
  if (trim(body).empty()) return fail(Error::InvalidArgument("a note needs some text"));
  if (body.size() > kMaxNoteBytes) {
    return fail(Error::InvalidArgument("a note holds at most " +
                                       std::to_string(kMaxNoteBytes / 1024) + " KiB of text"));
  }
  if (first_invalid_utf8(body) != std::string::npos) {
    return fail(Error::InvalidArgument("a note must be UTF-8 text"));
  }
  return store::in_transaction(db, [&]() -> Result<store::Id> {
    auto r = visible_report(db, who, report);
    if (!r) return fail(r.error());
    auto id = db.reports().add_note({0, report, who.actor, now, body});
    if (!id) return id;
    // The event says a note was written, not what it says: the text stays in the notes.
    if (auto s = db.events().append_event(
            {now, who.actor, "report.noted", subject(report), JsonOut().field("note", *id).done()});
        !s)
      return fail(s.error());
    return id;
  });
}

}  // namespace kz::app
