#include "intake/structured.h"

#include <nlohmann/json.hpp>

#include "core/ip.h"
#include "core/text.h"
#include "core/url.h"

namespace kz::intake {

namespace {

using nlohmann::json;

std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  return {};
}

void add_port(std::vector<int>& ports, const json& v) {
  if (v.is_number_integer()) {
    const auto p = v.get<int64_t>();
    if (p > 0 && p < 65536) ports.push_back(static_cast<int>(p));
  } else if (v.is_string()) {
    int p = 0;
    for (char c : v.get<std::string>()) {
      if (c < '0' || c > '9') return;
      p = p * 10 + (c - '0');
      if (p > 65535) return;
    }
    if (p > 0) ports.push_back(p);
  }
}

// Sorts a reported identifier into URL or address/domain.
void add_source(StructuredReport& r, std::string value) {
  value = std::string(trim(refang(value)));
  if (value.empty()) return;
  if (auto u = Url::parse(value)) {
    r.urls.push_back(u->to_string());
    r.sources.push_back(u->to_string());
  } else {
    r.sources.push_back(std::move(value));
  }
}

bool is_csam_type(std::string_view type) {
  return iequals(type, "csam") || iequals(type, "csem") || iequals(type, "child-abuse") ||
         iequals(type, "child_abuse");
}

std::optional<Time> iso_time(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return parse_iso8601(s, TimeZone("UTC"));
}

// Transport protocol of destination ports: tcp, udp or icmp; application names ("smtp",
// "http") mean TCP.
std::string transport(std::string_view p) {
  const std::string l = to_lower_ascii(trim(p));
  if (l.empty() || l == "tcp" || l == "udp" || l == "icmp") return l;
  return "tcp";
}

// The entries of a JSON array, at most `max`: more are not read, and that is noted once.
template <typename Fn>
void each_capped(StructuredReport& r, const json& array, const char* name, size_t max, Fn&& fn) {
  size_t n = 0;
  for (const auto& v : array) {
    if (n++ == max) {
      r.problems.push_back(std::string(name) + ": " + std::to_string(array.size()) +
                           " entries, only the first " + std::to_string(max) + " read");
      return;
    }
    fn(v);
  }
}

StructuredReport from_xarf4(const json& j, size_t max_items) {
  StructuredReport r;
  r.format = "xarf-4";
  r.category = str(j, "category");
  r.type = str(j, "type");
  r.report_id = str(j, "report_id");
  r.occurred = iso_time(str(j, "first_seen"));
  if (!r.occurred) r.occurred = iso_time(str(j, "timestamp"));
  if (auto it = j.find("reporter"); it != j.end() && it->is_object()) {
    r.reporter_org = str(*it, "org");
    r.reporter_contact = str(*it, "contact");
    r.reporter_domain = str(*it, "domain");
  }
  add_source(r, str(j, "source_identifier"));
  for (const char* k : {"url", "infringing_url"}) {
    const std::string u = str(j, k);
    if (u.empty()) continue;
    if (auto parsed = Url::parse(refang(u))) {
      bool seen = false;
      for (const auto& x : r.urls) seen = seen || x == parsed->to_string();
      if (!seen) r.urls.push_back(parsed->to_string());
    }
  }
  if (const std::string d = str(j, "destination_ip"); !d.empty()) r.victims.push_back(d);
  if (auto it = j.find("destination_port"); it != j.end()) add_port(r.destination_ports, *it);
  for (const char* key : {"ports_scanned", "targeted_ports", "destination_ports"}) {
    if (auto it = j.find(key); it != j.end() && it->is_array()) {
      each_capped(r, *it, key, max_items, [&](const json& p) { add_port(r.destination_ports, p); });
    }
  }
  r.protocol = transport(str(j, "protocol"));
  r.brand = str(j, "target_brand");
  r.tlp = str(j, "tlp");
  r.csam = is_csam_type(r.type);
  return r;
}

StructuredReport from_xarf3(const json& j) {
  StructuredReport r;
  r.format = "xarf-3";
  if (auto it = j.find("ReporterInfo"); it != j.end() && it->is_object()) {
    r.reporter_org = str(*it, "ReporterOrg");
    r.reporter_contact = str(*it, "ReporterContactEmail");
    if (r.reporter_contact.empty()) r.reporter_contact = str(*it, "ReporterOrgEmail");
    r.reporter_domain = str(*it, "ReporterOrgDomain");
  }
  const json& rep = j.at("Report");
  r.category = str(rep, "ReportClass");
  r.type = str(rep, "ReportType");
  r.report_id = str(rep, "ReportID");
  r.occurred = iso_time(str(rep, "Date"));
  if (auto it = rep.find("Source"); it != rep.end() && it->is_object()) {
    add_source(r, str(*it, "IP"));
    add_source(r, str(*it, "URL"));
    if (auto p = it->find("Port"); p != it->end() && r.type != "ddos")
      add_port(r.destination_ports, *p);
  }
  if (const std::string d = str(rep, "DestinationIp"); !d.empty()) r.victims.push_back(d);
  if (auto ai = rep.find("AdditionalInfo"); ai != rep.end() && ai->is_object()) {
    r.brand = str(*ai, "TargetBrand");
    if (const std::string d = str(*ai, "DestinationIP"); !d.empty()) r.victims.push_back(d);
    if (auto p = ai->find("DestinationPort"); p != ai->end()) add_port(r.destination_ports, *p);
    r.protocol = transport(str(*ai, "Protocol"));
  }
  r.csam = is_csam_type(r.type);
  return r;
}

StructuredReport from_form(const json& j, size_t max_items) {
  StructuredReport r;
  r.format = "form";
  r.purpose = str(j, "purpose");
  r.type = str(j, "type");
  r.category = "form";
  r.tlp = str(j, "tlp");
  if (auto it = j.find("reporter"); it != j.end() && it->is_object()) {
    r.reporter_org = str(*it, "organization");
    r.reporter_contact = str(*it, "email");
    if (auto d = it->find("disclose"); d != it->end() && d->is_boolean())
      r.disclose_reporter = d->get<bool>();
  }
  for (const char* key : {"urls", "ips"}) {
    if (auto it = j.find(key); it != j.end() && it->is_array()) {
      each_capped(r, *it, key, max_items, [&](const json& v) {
        if (v.is_string()) add_source(r, v.get<std::string>());
      });
    }
  }
  r.occurred = iso_time(str(j, "occurred_at"));
  r.csam = is_csam_type(r.type);
  return r;
}

}  // namespace

Result<StructuredReport> parse_json_report(std::string_view text, size_t max_items) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return fail(Error::Parse("the JSON document is not valid JSON"));
  if (!j.is_object()) return fail(Error::Parse("the JSON document is not an object"));
  try {
    if (j.contains("xarf_version")) {
      if (!j.contains("category") || !j.contains("type")) {
        return fail(Error::Parse("X-ARF v4 report without \"category\" or \"type\""));
      }
      return from_xarf4(j, max_items);
    }
    if (j.contains("ReporterInfo") || (j.contains("Report") && j.contains("Version"))) {
      if (!j.contains("Report") || !j["Report"].is_object()) {
        return fail(Error::Parse("X-ARF v3 report without a \"Report\" object"));
      }
      return from_xarf3(j);
    }
    if (j.contains("purpose") || (j.contains("reporter") && j.contains("description"))) {
      return from_form(j, max_items);
    }
  } catch (const json::exception& e) {
    return fail(Error::Parse(std::string("unexpected value in the report: ") + e.what()));
  }
  return fail(Error::Parse("JSON document is neither X-ARF (v3/v4) nor a Kizuna form submission"));
}

Result<StructuredReport> parse_xarf02(std::string_view text) {
  StructuredReport r;
  r.format = "xarf-0.2";
  std::string source;
  std::string source_type;
  for (auto line : split_lines(text)) {
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view key = trim(line.substr(0, colon));
    std::string value(trim(line.substr(colon + 1)));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    if (iequals(key, "Category"))
      r.category = value;
    else if (iequals(key, "Report-Type"))
      r.type = value;
    else if (iequals(key, "Report-ID"))
      r.report_id = value;
    else if (iequals(key, "Reported-From"))
      r.reporter_contact = value;
    else if (iequals(key, "Source"))
      source = value;
    else if (iequals(key, "Source-Type"))
      source_type = value;
    else if (iequals(key, "Destination"))
      r.victims.push_back(value);
    else if (iequals(key, "Port") || iequals(key, "Destination-Port"))
      add_port(r.destination_ports, json(value));
    else if (iequals(key, "TLP"))
      r.tlp = value;
    else if (iequals(key, "Download-Link") || iequals(key, "URL") || iequals(key, "Source-URL")) {
      if (auto u = Url::parse(refang(value))) r.urls.push_back(u->to_string());
    } else if (iequals(key, "Date"))
      r.occurred = parse_rfc2822(value);
  }
  if (r.type.empty() && r.category.empty()) {
    return fail(Error::Parse("X-ARF 0.2 report part without Category or Report-Type"));
  }
  if (!source.empty()) add_source(r, source);
  r.csam = is_csam_type(r.type);
  return r;
}

Result<StructuredReport> parse_arf(std::string_view text) {
  StructuredReport r;
  r.format = "arf";
  r.category = "abuse";
  for (auto line : split_lines(text)) {
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view key = trim(line.substr(0, colon));
    const std::string value(trim(line.substr(colon + 1)));
    if (iequals(key, "Feedback-Type"))
      r.type = to_lower_ascii(value);
    else if (iequals(key, "Source-IP"))
      add_source(r, value);
    else if (iequals(key, "Reported-URI")) {
      std::string v = value;
      if (!v.empty() && v.front() == '<' && v.back() == '>') v = v.substr(1, v.size() - 2);
      if (auto u = Url::parse(v)) r.urls.push_back(u->to_string());
    } else if (iequals(key, "Arrival-Date") || iequals(key, "Received-Date")) {
      r.occurred = parse_rfc2822(value);
    }
  }
  if (r.type.empty()) return fail(Error::Parse("ARF report without Feedback-Type"));
  return r;
}

Result<ParsedMessage> parse_json_message(std::string_view raw, size_t max_items) {
  auto r = parse_json_report(raw, max_items);
  if (!r) return fail(r.error());
  ParsedMessage m;
  m.channel = r->format == "form" ? "form" : "xarf";
  m.from_address = to_lower_ascii(r->reporter_contact);
  m.from_name = r->reporter_org;
  m.date = r->occurred;
  json j = json::parse(raw, nullptr, false);
  if (m.channel == "form") {
    // The form's free text is the reporter's description: triage reads it like a mail body.
    std::string text = str(j, "description");
    if (auto logs = str(j, "logs"); !logs.empty()) text += "\n" + logs;
    m.subject = str(j, "subject");
    m.parts.push_back({"form", sanitize_utf8(text), false, false});
    if (auto it = j.find("submitted_at"); it != j.end() && it->is_string()) {
      m.received = iso_time(it->get<std::string>());
    }
  } else {
    m.subject = "X-ARF " + r->category + "/" + r->type + " report";
    m.message_id = r->report_id;
  }
  m.problems = r->problems;
  m.reports.push_back(std::move(*r));
  return m;
}

}  // namespace kz::intake
