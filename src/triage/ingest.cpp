#include "triage/ingest.h"

#include <nlohmann/json.hpp>

#include <csignal>
#include <cstdlib>

#include "core/json_out.h"
#include "core/sha256.h"
#include "core/text.h"
#include "core/url.h"
#include "intake/structured.h"

namespace kz::triage {

namespace {

using nlohmann::json;

std::string subject_of(store::Id id, const char* kind) {
  return std::string(kind) + ":" + std::to_string(id);
}

// The bytes kept for a CSAM report: headers and text, never the evidence payloads.
std::string redact_csam(const intake::InputItem& item) {
  if (item.kind == intake::ItemKind::kJson) {
    json j = json::parse(item.bytes, nullptr, false);
    if (!j.is_discarded() && j.is_object()) {
      if (j.contains("evidence") && j["evidence"].is_array()) {
        for (auto& e : j["evidence"]) {
          if (e.is_object() && e.contains("payload"))
            e["payload"] = "[removed by Kizuna: CSAM report]";
        }
      }
      return j.dump(2);
    }
    return "[removed by Kizuna: CSAM report]";
  }
  const size_t end = item.bytes.find("\n\n");
  const size_t crlf = item.bytes.find("\r\n\r\n");
  const size_t cut = std::min(end, crlf);
  std::string head = item.bytes.substr(0, cut == std::string::npos ? item.bytes.size() : cut);
  return head +
         "\n\n[Kizuna: the body and evidence payloads of this CSAM report were not stored; "
         "handle it through the hotline route.]\n";
}

// What is known of an item before it is read: its address, where it came from and when.
store::MessageRecord arrival_record(const intake::InputItem& item, const std::string& sha256,
                                    Time now) {
  store::MessageRecord rec;
  rec.sha256 = sha256;
  rec.channel = item.kind == intake::ItemKind::kJson ? "xarf" : "email";
  rec.source = item.source;
  rec.received_at = item.mbox_time.value_or(now);
  rec.ingested_at = now;
  return rec;
}

// Why a machine sent `m`, so that its sender is never mailed back: what its headers say, else a
// machine-readable report (X-ARF, ARF) or a delivery status notification. Empty for a person.
std::string automatic_sender(const intake::ParsedMessage& m) {
  if (!m.automatic.empty()) return m.automatic;
  if (m.channel == "xarf") return "X-ARF report";
  for (const auto& r : m.reports) {
    if (r.format == "arf") return "ARF report";
    if (r.format.starts_with("xarf")) return "X-ARF report";
  }
  return "";
}

// Every event detail is written with JsonOut (one or two are stored per message).
std::string cls_json(const Classification& c) {
  return JsonOut()
      .field("type", to_string(c.type))
      .field("subtype", c.subtype)
      .field("rsit", c.rsit_taxonomy + "/" + c.rsit_type)
      .done();
}

}  // namespace

Ingestor::Ingestor(IngestStores store, TriageConfig triage, intake::MimeOptions mime,
                   const Clock& clock, IngestOptions options)
    : store_(store),
      triage_(std::move(triage)),
      mime_(std::move(mime)),
      clock_(clock),
      options_(std::move(options)) {}

Prepared Ingestor::address(const intake::InputItem& item) {
  Prepared p;
  p.sha256 = item.sha256.empty() ? sha256_hex(item.bytes) : item.sha256;
  return p;
}

Prepared Ingestor::prepare(const intake::InputItem& item, const SkipIf& skip_if) const {
  Prepared p = address(item);
  if (!skip_if || !skip_if(p.sha256)) parse_and_assess(item, p);
  return p;
}

void Ingestor::parse_and_assess(const intake::InputItem& item, Prepared& p) const {
  p.parsed = true;
  // Parsers and triage return errors as values; anything thrown all the same (out of memory, a
  // library's exception) sets this one message aside instead of ending the run.
  try {
    parse_and_assess_unguarded(item, p);
  } catch (const std::exception& e) {
    p.message.reset();
    p.assessment = {};
    p.parse_error = std::string("could not be read (internal error: ") + e.what() + ")";
  }
}

namespace {

// Test hook: KIZUNA_CRASH_ON_TEXT=T makes parsing any item that holds T die of SIGSEGV, as a
// parser bug would, so that tests can prove a poison message is set aside on the next run
// (tests/hostile). Read once; unset in production.
const std::string& crash_on_text() {
  static const std::string text = [] {
    const char* v = std::getenv("KIZUNA_CRASH_ON_TEXT");
    return std::string(v ? v : "");
  }();
  return text;
}

}  // namespace

void Ingestor::parse_and_assess_unguarded(const intake::InputItem& item, Prepared& p) const {
  if (!crash_on_text().empty() && item.bytes.find(crash_on_text()) != std::string::npos) {
    std::raise(SIGSEGV);
  }
  const intake::Limits& limits = mime_.limits;
  if (item.cut_at_limit) {
    p.parse_error = "input over [intake] max_raw_bytes: only its first " +
                    std::to_string(item.size()) + " bytes were read and kept, unparsed";
    return;
  }
  if (item.kind == intake::ItemKind::kJson && item.size() > limits.max_json_bytes) {
    p.parse_error = "JSON document of " + std::to_string(item.size()) +
                    " bytes, over [intake] max_json_bytes (" +
                    std::to_string(limits.max_json_bytes) + "); it is kept unparsed";
    return;
  }
  if (item.kind == intake::ItemKind::kEmail && item.size() > limits.max_message_bytes) {
    p.parse_error = "message of " + std::to_string(item.size()) + " bytes is over the limit of " +
                    std::to_string(limits.max_message_bytes) +
                    " (intake.max_message_bytes); it is kept unparsed";
    return;
  }
  if (item.spill) {
    // Held partly on disk although under the parsers' limits (a memory share set lower than
    // them): not parsed, rather than read back whole.
    p.parse_error = "message of " + std::to_string(item.size()) +
                    " bytes is larger than the memory share for one message; it is kept unparsed";
    return;
  }
  auto parsed = item.kind == intake::ItemKind::kJson
                    ? intake::parse_json_message(item.bytes, mime_.limits.max_items_per_message)
                    : intake::parse_email(item.bytes, mime_);
  if (!parsed) {
    p.parse_error = parsed.error().message;
    return;
  }
  p.message = std::move(*parsed);
  // Triage is pure: nothing is stored yet.
  p.assessment = assess(*p.message, triage_);
}

Result<IngestOutcome> Ingestor::ingest(const intake::InputItem& item) {
  // The content address first: a stored duplicate is not parsed at all.
  return ingest(item, address(item));
}

Result<IngestOutcome> Ingestor::ingest(const intake::InputItem& item, Prepared&& prepared) {
  auto existing = store_.messages.find_message(prepared.sha256);
  if (!existing) return fail(existing.error());
  if (*existing) {
    IngestOutcome out;
    out.status = IngestOutcome::Status::kDuplicate;
    out.message = **existing;
    return out;
  }
  if (!prepared.parsed) parse_and_assess(item, prepared);
  return file_new(item, prepared);
}

Result<IngestOutcome> Ingestor::quarantine(const intake::InputItem& item, const std::string& sha256,
                                           const std::string& reason) {
  const Time now = clock_.now();
  store::MessageRecord rec = arrival_record(item, sha256, now);
  rec.parse_status = store::ParseStatus::kQuarantined;
  rec.parse_error = reason;
  auto id = store_.messages.add_message(rec, store::RawBytes(item.bytes, item.spill.get()));
  if (!id) return fail(id.error());
  if (auto s = store_.events.append_event(
          {now, options_.actor, "message.quarantined", subject_of(*id, "message"),
           JsonOut().field("source", item.source).field("reason", reason).done()});
      !s) {
    return fail(s.error());
  }
  IngestOutcome out;
  out.message = *id;
  out.status = IngestOutcome::Status::kQuarantined;
  out.problem = reason;
  return out;
}

Result<IngestOutcome> Ingestor::file_new(const intake::InputItem& item, Prepared& p) {
  IngestOutcome out;
  const Time now = clock_.now();
  store::MessageRecord rec = arrival_record(item, p.sha256, now);

  // 1. Parsed (by prepare). Whatever happened, the raw bytes are stored with the outcome in the
  // same transaction: unreadable input is quarantined, never lost. The message row is written
  // once, when parsing and triage have said what it is (one INSERT instead of INSERT then UPDATE).
  if (!p.message) return quarantine(item, p.sha256, p.parse_error);
  const intake::ParsedMessage& m = *p.message;
  rec.channel = m.channel;
  rec.dated_at = m.received ? m.received : item.mbox_time ? item.mbox_time : m.date;
  rec.received_at = rec.dated_at.value_or(now);
  rec.automatic = automatic_sender(m);
  rec.sender = m.from_address;
  rec.subject = m.subject;
  rec.message_id = m.message_id;
  rec.refs = m.refs;
  rec.signature = m.signature;
  rec.signer = m.signer;
  rec.encrypted = m.encrypted;
  if (!m.problems.empty()) {
    rec.parse_status = store::ParseStatus::kPartial;
    for (const auto& p : m.problems) rec.parse_error += (rec.parse_error.empty() ? "" : "; ") + p;
    out.problem = rec.parse_error;
  } else {
    rec.parse_status = store::ParseStatus::kOk;
  }

  // 2. Triage (by prepare). A CSAM report is stored without its evidence payloads.
  const Assessment& a = p.assessment;
  rec.purpose = a.purpose;
  rec.format = a.format;
  rec.csam = a.csam;
  rec.tlp = a.tlp;
  const std::string redacted = a.csam ? redact_csam(item) : std::string();
  auto id = store_.messages.add_message(
      rec, a.csam ? std::string_view(redacted) : std::string_view(item.bytes));
  if (!id) return fail(id.error());
  out.message = *id;
  // A CSAM report's text is not kept for search either: it is handled apart.
  if (options_.search_text_bytes > 0 && !a.csam) {
    if (auto s = store_.messages.add_message_text(*id, search_text(m, options_.search_text_bytes));
        !s)
      return fail(s.error());
  }
  auto set_purpose = [&](Purpose p) -> Status {
    if (p == rec.purpose) return {};
    rec.purpose = p;
    return store_.messages.set_message_purpose(*id, p);
  };

  // 3. A reply to the centre's own mail (a responder answering a notice, a reporter writing back
  // under their tracking number) joins its report's timeline; it is not a new report.
  if (options_.reply_hook && m.channel == "email") {
    auto filed = options_.reply_hook(*id, m);
    if (!filed) return fail(filed.error());
    if (*filed) {
      if (auto s = set_purpose((*filed)->from_reporter ? Purpose::kIncident : Purpose::kReply);
          !s) {
        return fail(s.error());
      }
      out.purpose = rec.purpose;
      out.report = (*filed)->report;
      out.merged = true;
      out.merged_by = (*filed)->from_reporter ? "tag" : "reply";
      return out;
    }
  }
  if (auto s = store_.messages.add_indicators(*id, a.indicators); !s) return fail(s.error());

  // An encrypted message we cannot read is kept and flagged for a handler: it is neither an
  // incident we can file nor a non-incident message.
  if (m.encrypted == 2 && a.incidents.empty()) {
    if (auto s = set_purpose(Purpose::kIncident); !s) return fail(s.error());
    if (auto s = store_.events.append_event(
            {now, options_.actor, "message.undecryptable", subject_of(*id, "message"),
             JsonOut().field("source", item.source).field("reason", rec.parse_error).done()});
        !s) {
      return fail(s.error());
    }
    return out;
  }

  // 4. Merge: a thread reply joins its report whatever it says; otherwise only incidents.
  std::string how;
  auto target = find_report(a, m, rec.received_at, how);
  if (!target) return fail(target.error());
  if (a.purpose != Purpose::kIncident && !(*target && how == "thread")) {
    out.purpose = a.purpose;
    return out;
  }
  if (auto s = set_purpose(Purpose::kIncident); !s) return fail(s.error());
  out.purpose = Purpose::kIncident;

  auto reporter = store_.reporters.upsert_reporter({0, a.reporter.address, a.reporter.name,
                                                    a.reporter.org_domain, a.reporter.tld,
                                                    a.reporter.kind, a.reporter.domestic});
  if (!reporter) return fail(reporter.error());

  store::Id report = 0;
  bool created = false;
  store::ReportRecord filed_under;  // the report as it stands, for its incidents' classification
  if (*target) {
    report = **target;
    auto existing_report = store_.reports.get_report(report);
    if (!existing_report) return fail(existing_report.error());
    filed_under = *existing_report;
    const std::string role =
        existing_report->reporter == *reporter ? "followup" : "second-reporter";
    if (auto s = store_.reports.attach_message(report, *id, role); !s) return fail(s.error());
    if (auto s = store_.events.append_event(
            {now, options_.actor, "report.merged", subject_of(report, "report"),
             JsonOut().field("message", *id).field("by", how).field("role", role).done()});
        !s) {
      return fail(s.error());
    }
    out.merged = true;
    out.merged_by = how;
    if (!a.brand.empty() && existing_report->brand.empty()) {
      if (auto s = store_.reports.set_brand(report, a.brand, a.brand_origin); !s)
        return fail(s.error());
      auto incidents = store_.incidents.incidents_of_report(report);
      if (!incidents) return fail(incidents.error());
      for (const auto& inc : *incidents) {
        if (!takes_report_brand(inc)) continue;
        if (auto s = store_.incidents.set_incident_brand(inc.id, a.brand, a.brand_origin); !s)
          return fail(s.error());
      }
      filed_under.brand = a.brand;
      filed_under.brand_origin = a.brand_origin;
    }
  } else {
    store::ReportRecord r;
    r.created_at = rec.received_at;
    r.cls = a.cls;
    r.reporter = *reporter;
    r.tld = a.reporter.tld;
    r.xarf_report_id = a.xarf_report_id;
    r.brand = a.brand;
    r.brand_origin = a.brand_origin;
    r.tlp = a.tlp;
    r.csam = a.csam;
    r.summary = std::string(utf8_prefix(m.subject, 200));
    r.disclose_reporter = a.disclose_reporter;
    // "Same host": the latest earlier report on any of these addresses.
    for (const auto& seed : a.incidents) {
      if (seed.ip.empty()) continue;
      auto earlier = store_.reports.latest_report_on_ip(seed.ip);
      if (!earlier) return fail(earlier.error());
      if (*earlier) {
        r.linked_report = **earlier;
        break;
      }
    }
    auto rid = store_.reports.create_report(r);
    if (!rid) return fail(rid.error());
    report = *rid;
    created = true;
    if (auto s = store_.reports.attach_message(report, *id, "first"); !s) return fail(s.error());
    JsonOut detail;
    detail.field("message", *id).json("classification", cls_json(a.cls)).field("rule", a.rule);
    if (r.linked_report) detail.field("same_host_as", *r.linked_report);
    if (auto s = store_.events.append_event(
            {now, options_.actor, "report.created", subject_of(report, "report"), detail.done()});
        !s) {
      return fail(s.error());
    }
    filed_under = std::move(r);
  }
  if (auto s = file_under_report(report, filed_under, a, rec.received_at, created); !s)
    return fail(s.error());
  out.report = report;
  return out;
}

Result<std::optional<store::Id>> Ingestor::find_report(const Assessment& a,
                                                       const intake::ParsedMessage& m,
                                                       Time received, std::string& how) {
  auto open_only = [&](std::optional<store::Id> id) -> Result<std::optional<store::Id>> {
    if (!id) return id;
    auto r = store_.reports.get_report(*id);
    if (!r) return fail(r.error());
    // A report a handler merged into another (closed): the matter goes on in that one.
    if (r->merged_into) {
      id = r->merged_into;
      r = store_.reports.get_report(*id);
      if (!r) return fail(r.error());
    }
    if (r->status != store::ReportStatus::kOpen) return std::optional<store::Id>{};
    return id;
  };
  if (!m.refs.empty()) {
    auto r = store_.reports.report_by_thread(m.refs);
    if (!r) return fail(r.error());
    auto o = open_only(*r);
    if (!o) return o;
    if (*o) {
      how = "thread";
      return o;
    }
  }
  if (a.purpose != Purpose::kIncident) return std::optional<store::Id>{};
  if (!a.xarf_report_id.empty()) {
    auto r = store_.reports.report_by_xarf_id(a.xarf_report_id);
    if (!r) return fail(r.error());
    auto o = open_only(*r);
    if (!o) return o;
    if (*o) {
      how = "xarf-id";
      return o;
    }
  }
  for (const auto& seed : a.incidents) {
    for (const auto& url : seed.urls) {
      auto r = store_.reports.open_report_by_url(url);
      if (!r) return fail(r.error());
      if (*r) {
        how = "url";
        return r;
      }
    }
  }
  // Same address and type within the window, for addresses reported without a URL: a different
  // URL on the same address is a different site, so a new report (linked as "same host").
  for (const auto& seed : a.incidents) {
    if (seed.ip.empty() || !seed.urls.empty()) continue;
    auto r =
        store_.reports.open_report_by_ip(seed.ip, a.cls.type, received - options_.merge_window);
    if (!r) return fail(r.error());
    if (*r) {
      how = "ip";
      return r;
    }
  }
  return std::optional<store::Id>{};
}

Status Ingestor::file_under_report(store::Id report, const store::ReportRecord& rep,
                                   const Assessment& a, Time received, bool created) {
  for (const auto& seed : a.incidents) {
    store::IncidentRecord inc;
    inc.report = report;
    inc.ip = seed.ip;
    inc.host = seed.ip.empty() ? seed.host : std::string();
    // Incidents carry their report's classification: one matter, one type.
    inc.cls = rep.cls;
    if (inc.cls.type == IncidentType::kPhishing) {
      inc.brand = rep.brand.empty() ? a.brand : rep.brand;
      inc.brand_origin = rep.brand_origin.empty() ? a.brand_origin : rep.brand_origin;
    }
    inc.first_seen = seed.first_seen;
    inc.created_at = received;
    // A site named by host that the report already knows on an address stays under it.
    std::optional<store::Id> known;
    if (seed.ip.empty()) {
      auto k = store_.incidents.incident_for_host(report, seed.host);
      if (!k) return fail(k.error());
      known = *k;
    }
    std::vector<std::string> site_hosts;
    site_hosts.reserve(seed.urls.size());
    for (const auto& url : seed.urls) {
      auto u = Url::parse(url);
      site_hosts.push_back(u ? u->host : std::string());
    }
    if (!known && options_.enrich) inc.enrichment = options_.enrich(inc, site_hosts);
    auto iid = known ? Result<store::Id>(*known) : store_.incidents.upsert_incident(inc);
    if (!iid) return fail(iid.error());
    if (auto s = store_.incidents.add_ports(*iid, seed.ports); !s) return s;
    bool new_site = false;
    for (size_t k = 0; k < seed.urls.size(); ++k) {
      auto added = store_.sites.add_site(*iid, seed.urls[k], site_hosts[k], received);
      if (!added) return fail(added.error());
      new_site = new_site || *added;
    }
    // An incident that may have been stored before (the report existed, or the host was known)
    // and gained a site: its route may change (the registrar of the site's domain in copy), so
    // the enrichment after ingest does it again with all its sites.
    if (new_site && options_.enrich && (known || !created)) {
      if (auto s = store_.incidents.set_enrichment(*iid, {}); !s) return s;
    }
  }
  if (!a.tags.empty() && (created || rep.cls.type == a.cls.type)) {
    if (auto s = store_.reports.add_tags(report, a.tags); !s) return s;
  }
  return {};
}

namespace {

Status record_reclassification(const IngestStores& store, const std::string& subject,
                               const Classification& before, const Classification& after,
                               const std::string& actor, const std::string& reason, Time at) {
  return store.events.append_event({at, actor, "classification.changed", subject,
                                    JsonOut()
                                        .json("from", cls_json(before))
                                        .json("to", cls_json(after))
                                        .field("reason", reason)
                                        .done()});
}

}  // namespace

std::string search_text(const intake::ParsedMessage& m, size_t max_bytes) {
  std::string text = m.subject + "\n" + m.from_name + " <" + m.from_address + ">\n";
  for (const auto& part : m.parts) {
    if (text.size() >= max_bytes) break;
    text += utf8_prefix(part.text, max_bytes - text.size());
    text += '\n';
  }
  return fold_for_search(utf8_prefix(text, max_bytes));
}

bool takes_report_brand(const store::IncidentRecord& incident) {
  return incident.cls.type == IncidentType::kPhishing &&
         (incident.brand_origin.empty() || incident.brand_origin == "unknown");
}

Status reclassify_report_in_transaction(const IngestStores& store,
                                        const store::ReportRecord& before,
                                        const Classification& cls, const std::string& actor,
                                        const std::string& reason, Time at) {
  if (auto s = store.reports.set_report_classification(before.id, cls); !s) return s;
  return record_reclassification(store, subject_of(before.id, "report"), before.cls, cls, actor,
                                 reason, at);
}

Status reclassify_report(const IngestStores& store, store::Id report, const Classification& cls,
                         const std::string& actor, const std::string& reason, Time at) {
  auto before = store.reports.get_report(report);
  if (!before) return fail(before.error());
  return store::in_transaction(store.tx, [&]() -> Status {
    return reclassify_report_in_transaction(store, *before, cls, actor, reason, at);
  });
}

Status reclassify_incident(const IngestStores& store, store::Id incident, const Classification& cls,
                           const std::string& actor, const std::string& reason, Time at) {
  auto before = store.incidents.get_incident(incident);
  if (!before) return fail(before.error());
  return store::in_transaction(store.tx, [&]() -> Status {
    if (auto s = store.incidents.set_incident_classification(incident, cls); !s) return s;
    return record_reclassification(store, subject_of(incident, "incident"), before->cls, cls, actor,
                                   reason, at);
  });
}

}  // namespace kz::triage
