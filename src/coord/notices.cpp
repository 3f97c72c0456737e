#include "coord/notices.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "coord/default_templates.h"
#include "core/text.h"

namespace kz::coord {

namespace {

using nlohmann::json;

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

void add_unique(std::vector<std::string>& v, const std::string& x) {
  if (!x.empty() && std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
}

// The template key of a classification: "phishing", "scan", "intrusion", or the subtype of
// "other" ("malware-site", "defacement", "dos").
std::string type_key(const Classification& c) {
  if (c.type == IncidentType::kOther && !c.subtype.empty()) return c.subtype;
  return std::string(to_string(c.type));
}

std::string type_label(const Classification& c, bool ja) {
  static const std::map<std::string, std::pair<const char*, const char*>> kLabels = {
      {"phishing", {"フィッシングサイト", "phishing site"}},
      {"malware-site", {"マルウェア配布サイト", "malware distribution site"}},
      {"defacement", {"改ざんされたサイト", "defaced site"}},
      {"dos", {"DoS 攻撃の送信元", "source of a denial-of-service attack"}},
      {"scan", {"スキャン・不正アクセスの試みの送信元", "source of scans and intrusion attempts"}},
      {"intrusion", {"侵入の送信元", "source of an intrusion"}},
  };
  auto it = kLabels.find(type_key(c));
  if (it == kLabels.end()) return ja ? "インシデント" : "incident";
  return ja ? it->second.first : it->second.second;
}

std::string both_times(Time t, const TimeZone& zone) {
  return format_utc(t) + " (UTC) / " + zone.format_local(t);
}

std::string site_lines(const std::vector<const store::NoticeCandidate*>& sites, bool ja,
                       const TimeZone& zone) {
  std::string out;
  int n = 0;
  for (const auto* s : sites) {
    out +=
        std::to_string(++n) + ". " + type_label(s->cls, ja) +
        (s->state == store::SiteState::kRevived ? (ja ? "（再開を確認）" : " (back online)") : "") +
        "\n";
    if (s->url != s->ip) out += "   URL: " + s->url + "\n";
    if (!s->ip.empty()) out += (ja ? "   IP アドレス: " : "   IP address: ") + s->ip + "\n";
    const Time t = s->first_seen.value_or(s->reported_at);
    out += (ja ? "   確認日時: " : "   First seen: ") + both_times(t, zone) + "\n";
    if (s->state == store::SiteState::kRevived) {
      out += ja ? "   以前停止を確認したサイトが再び表示されています。\n"
                : "   This site was taken down before and is served again.\n";
    }
    if (!s->earlier.empty()) {
      out += (ja ? "   このアドレスは以前にもご連絡しています: "
                 : "   We reported this address to you before: ") +
             s->earlier + "\n";
    }
    if (!s->reporter_credit.empty()) {
      out += (ja ? "   報告者（開示に同意済み）: " : "   Reported by (who agreed to be named): ") +
             s->reporter_credit + "\n";
    }
    if (tlp_withholds(s->tlp)) {
      out += ja ? "   （報告者の指定 " + s->tlp + " により、証跡は記載しておりません）\n"
                : "   (evidence withheld: the reporter marked it " + s->tlp + ")\n";
    } else if (!s->evidence.empty()) {
      out += ja ? "   証跡:\n" : "   Evidence:\n";
      for (const auto& line : s->evidence) out += "     " + line + "\n";
    }
  }
  return out;
}

std::string preamble(store::NoticeKind kind, bool renotice, bool earlier, bool ja) {
  std::vector<std::string> parts;
  if (kind == store::NoticeKind::kReminder) {
    parts.push_back(ja ? "先日ご連絡した件について、まだご返信を確認できておりませんので、再度ご連"
                         "絡いたします。"
                       : "This is a reminder: we have not heard from you about the sites below, "
                         "which we reported earlier.");
  } else if (kind == store::NoticeKind::kEscalation) {
    parts.push_back(ja ? "以下のサイトの管理者へご連絡しましたが、応答が得られないため、ご協力をお"
                         "願いいたします。"
                       : "We reported the sites below to their administrator and had no response; "
                         "we ask for your help.");
  }
  if (renotice) {
    parts.push_back(ja ? "以前停止を確認したサイトが再び閲覧可能になっています。"
                       : "A site we had confirmed down is being served again.");
  }
  if (earlier) {
    parts.push_back(ja ? "以前にもご連絡したアドレス上で、新たな報告がありました。"
                       : "We have a new report on an address we reported to you before.");
  }
  return join(parts, "\n");
}

}  // namespace

// --- templates --------------------------------------------------------------------------

TemplateSet TemplateSet::builtin() {
  TemplateSet t;
  for (const auto& [name, text] : builtin_templates())
    t.texts_.emplace(std::string(name), std::string(text));
  return t;
}

Result<TemplateSet> TemplateSet::load(const std::string& dir) {
  TemplateSet t = builtin();
  if (dir.empty()) return t;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() != ".txt") continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (!in) return fail(Error::Io("cannot read the template", it->path().string()));
    t.texts_[it->path().stem().string()] = ss.str();
  }
  if (ec) return fail(Error::Io("cannot read the template directory: " + ec.message(), dir));
  return t;
}

std::string_view TemplateSet::pick(std::string_view kind, std::string_view type,
                                   std::string_view language) const {
  const std::string k(kind), l(language);
  for (const std::string& name : {k + "_" + std::string(type) + "_" + l, k + "_" + l, k + "_en"}) {
    if (auto it = texts_.find(name); it != texts_.end()) return it->second;
  }
  return "Subject: {{tag}}\n\n{{sites}}";
}

namespace {
// The placeholders filled with lists of lines that Kizuna builds (see render()).
const std::set<std::string, std::less<>> kMultiLineValues = {"sites", "preamble", "evidence"};
}  // namespace

RenderedMail render(std::string_view tpl, const std::map<std::string, std::string>& values) {
  std::string text;
  for (auto line : split(tpl, '\n')) {
    const std::string_view t = trim(line);
    if (t.size() > 4 && t.starts_with("{{") && t.ends_with("}}") &&
        t.find("{{", 2) == std::string_view::npos) {
      auto it = values.find(std::string(t.substr(2, t.size() - 4)));
      if (it != values.end() && it->second.empty()) continue;  // an empty paragraph: drop the line
    }
    text.append(line).append("\n");
  }
  if (!tpl.ends_with("\n") && !text.empty()) text.pop_back();
  for (const auto& [key, raw_value] : values) {
    // Values carry text from outside (a reporter's subject, URLs, names, evidence lines): none
    // may break out of its line. The lists Kizuna builds itself keep their line breaks, each
    // line cleaned.
    std::string value;
    if (kMultiLineValues.contains(key)) {
      for (size_t from = 0; from <= raw_value.size();) {
        const size_t nl = std::min(raw_value.find('\n', from), raw_value.size());
        value += one_line(std::string_view(raw_value).substr(from, nl - from));
        if (nl < raw_value.size()) value += '\n';
        from = nl + 1;
      }
    } else {
      value = one_line(raw_value);
    }
    const std::string ph = "{{" + key + "}}";
    for (size_t p = 0; (p = text.find(ph, p)) != std::string::npos; p += value.size())
      text.replace(p, ph.size(), value);
  }
  RenderedMail out;
  const size_t nl = text.find('\n');
  const std::string first = text.substr(0, nl);
  if (first.rfind("Subject: ", 0) == 0) {
    out.subject = first.substr(9);
    out.body = text.substr(nl == std::string::npos ? text.size() : nl + 1);
  } else {
    out.body = text;
  }
  while (!out.body.empty() && out.body.front() == '\n') out.body.erase(0, 1);
  return out;
}

std::string notice_tag(const NoticeOptions& o, store::Id notice) {
  return "[" + o.tag_prefix + "N" + std::to_string(notice) + "]";
}
std::string report_tag(const NoticeOptions& o, store::Id report) {
  return "[" + o.tag_prefix + std::to_string(report) + "]";
}

Responder parse_route(const std::string& route_json) {
  Responder r;
  const auto j = json::parse(route_json, nullptr, false);
  if (!j.is_object()) return r;
  auto strings = [&](const json& v) {
    std::vector<std::string> out;
    if (v.is_array()) {
      for (const auto& x : v) {
        if (x.is_string()) out.push_back(x.get<std::string>());
      }
    }
    return out;
  };
  auto text = [&](const char* key) {
    return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
  };
  r.to = strings(j.value("to", json::array()));
  r.cc = strings(j.value("cc", json::array()));
  r.reason = text("reason");
  r.reason_ja = text("reason_ja");
  r.org = text("org");
  r.org_kind = text("org_kind");
  r.language = text("language");
  r.format = text("format");
  if (j.contains("escalate") && j["escalate"].is_object()) {
    r.escalate_to = strings(j["escalate"].value("to", json::array()));
    r.escalate_reason = j["escalate"].value("reason", "");
  }
  return r;
}

bool tlp_withholds(std::string_view tlp) {
  const std::string t = to_lower_ascii(tlp);
  return t.find("amber") != std::string::npos || t.find("red") != std::string::npos;
}

// --- notices ----------------------------------------------------------------------------

std::vector<PlannedNotice> plan_notices(const std::vector<store::NoticeCandidate>& candidates,
                                        store::NoticeKind kind, const TemplateSet& templates,
                                        const NoticeOptions& options) {
  struct Group {
    Responder who;
    std::vector<std::string> cc, reasons, reasons_ja;
    std::vector<const store::NoticeCandidate*> sites;
  };
  std::map<std::string, Group> groups;  // by recipient list: one notice per responder
  for (const auto& c : candidates) {
    if (c.csam) continue;  // the hotline route, never a notice
    Responder who = parse_route(c.route);
    if (kind == store::NoticeKind::kEscalation) {
      who.to = who.escalate_to;
      who.cc.clear();
      who.reason = who.escalate_reason;
      who.language.clear();  // CSIRTs read English
      who.format = "plain";
    }
    if (who.to.empty()) continue;
    Group& g = groups[join(who.to, ",")];
    if (g.sites.empty()) g.who = who;
    for (const auto& a : who.cc) add_unique(g.cc, a);
    add_unique(g.reasons, who.reason);
    // Routes stored before Japanese reasons existed have only the English one.
    add_unique(g.reasons_ja, who.reason_ja.empty() ? who.reason : who.reason_ja);
    g.sites.push_back(&c);
  }
  std::vector<PlannedNotice> out;
  for (auto& [key, g] : groups) {
    PlannedNotice n;
    n.to = g.who.to;
    n.cc = g.cc;
    n.org = g.who.org;
    n.org_kind = g.who.org_kind;
    n.xarf = g.who.format == "xarf";
    n.language =
        !g.who.language.empty()
            ? g.who.language
            : (g.sites.front()->country == "JP" && kind != store::NoticeKind::kEscalation ? "ja"
                                                                                          : "en");
    const bool ja = n.language == "ja";
    bool earlier = false;
    std::string type = type_key(g.sites.front()->cls);
    for (const auto* s : g.sites) {
      n.sites.push_back(s->site);
      n.renotice = n.renotice || s->state == store::SiteState::kRevived;
      earlier = earlier || !s->earlier.empty();
      if (type_key(s->cls) != type) type.clear();  // mixed types: the general template
    }
    n.kind = kind == store::NoticeKind::kNotice && n.renotice ? store::NoticeKind::kRenotice : kind;
    n.reason = join(g.reasons, "; ");
    const auto mail = render(templates.pick("notice", type, n.language),
                             {{"centre", options.centre},
                              {"count", std::to_string(g.sites.size())},
                              {"sites", site_lines(g.sites, ja, options.zone)},
                              {"reason", ja ? join(g.reasons_ja, "、") : n.reason},
                              {"preamble", preamble(kind, n.renotice, earlier, ja)}});
    n.subject = mail.subject.empty() ? "{{tag}}" : mail.subject;
    if (kind == store::NoticeKind::kReminder)
      n.subject = (ja ? "【再送】" : "Reminder: ") + n.subject;
    n.body = mail.body;
    out.push_back(std::move(n));
  }
  return out;
}

std::string xarf_report(const store::NoticeCandidate& s, const NoticeOptions& options,
                        const std::string& from_address) {
  const std::string type = type_key(s.cls);
  std::string report_class = "Activity", report_type = "Other";
  if (type == "phishing") {
    report_class = "Content", report_type = "Phishing";
  } else if (type == "malware-site") {
    report_class = "Content", report_type = "Malware";
  } else if (type == "defacement") {
    report_class = "Content", report_type = "Defacement";
  } else if (type == "scan") {
    report_class = "Connection", report_type = "PortScan";
  } else if (type == "intrusion") {
    report_class = "Connection", report_type = "Intrusion";
  } else if (type == "dos") {
    report_class = "Connection", report_type = "DDoS";
  }
  const std::string domain = from_address.substr(from_address.find('@') + 1);
  json report{{"ReportClass", report_class},
              {"ReportType", report_type},
              {"Date", format_utc(s.first_seen.value_or(s.reported_at))},
              {"SourceIp", s.ip},
              {"Source", s.ip.empty() ? s.host : s.ip}};
  if (s.url != s.ip) report["Url"] = s.url;
  if (!tlp_withholds(s.tlp) && !s.evidence.empty()) report["Samples"] = s.evidence;
  json x{{"Version", "4"},
         {"ReporterInfo",
          {{"ReporterOrg", options.centre},
           {"ReporterOrgDomain", domain},
           {"ReporterOrgEmail", from_address}}},
         {"Disclosure", true},
         {"Report", report}};
  return x.dump(2);
}

RenderedMail render_ack(const store::ReporterContact& r, const std::string& language,
                        const TemplateSet& templates, const NoticeOptions& options,
                        const std::string& status_link) {
  // Aligned with the template's "Tracking number:" block; the line is dropped without a link.
  const std::string link_line =
      status_link.empty()
          ? std::string()
          : (language == "ja" ? "  状況確認: " : "  Status:          ") + status_link;
  return render(templates.pick("ack", "", language),
                {{"centre", options.centre},
                 {"report_id", std::to_string(r.report)},
                 {"received", both_times(r.received_at, options.zone)},
                 {"subject", r.subject.empty() ? "-" : r.subject},
                 {"status_link", link_line}});
}

RenderedMail render_closure(const store::ReporterContact& r, const std::vector<ClosedSite>& sites,
                            const std::string& language, const TemplateSet& templates,
                            const NoticeOptions& options) {
  const bool ja = language == "ja";
  std::string lines;
  int n = 0;
  for (const auto& s : sites) {
    lines += std::to_string(++n) + ". " + s.url + "\n   " +
             (ja ? "停止確認: " : "Confirmed down: ") + both_times(s.down_at, options.zone) + "\n";
  }
  return render(templates.pick("closure", "", language),
                {{"centre", options.centre},
                 {"report_id", std::to_string(r.report)},
                 {"received", both_times(r.received_at, options.zone)},
                 {"sites", lines}});
}

}  // namespace kz::coord
