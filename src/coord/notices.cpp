#include "coord/notices.h"

#include <nlohmann/json.hpp>

#include <map>

#include "coord/default_templates.h"

namespace kz::coord {

NoticeTemplates NoticeTemplates::defaults() { return {default_notice_ja(), default_notice_en()}; }

namespace {

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size()) s.replace(p, from.size(), to);
}

std::string type_label(const Classification& c, bool ja) {
  static const std::map<std::string, std::pair<const char*, const char*>> kLabels = {
      {"phishing", {"フィッシングサイト", "phishing site"}},
      {"other/malware-site", {"マルウェア配布サイト", "malware distribution site"}},
      {"other/defacement", {"改ざんされたサイト", "defaced site"}},
      {"other/dos", {"DoS 攻撃の送信元", "source of a denial-of-service attack"}},
      {"scan", {"スキャン・不正アクセスの試みの送信元", "source of scans and intrusion attempts"}},
      {"intrusion", {"侵入の送信元", "source of an intrusion"}},
  };
  std::string key(to_string(c.type));
  if (!c.subtype.empty() && c.type == IncidentType::kOther) key += "/" + c.subtype;
  auto it = kLabels.find(key);
  if (it == kLabels.end()) it = kLabels.find(std::string(to_string(c.type)));
  if (it == kLabels.end()) return ja ? "インシデント" : "incident";
  return ja ? it->second.first : it->second.second;
}

std::string site_lines(const std::vector<const store::NoticeCandidate*>& sites, bool ja, const TimeZone& zone) {
  std::string out;
  int n = 0;
  for (const auto* s : sites) {
    out += std::to_string(++n) + ". " + type_label(s->cls, ja) + (s->state == "revived" ? (ja ? "（再開を確認）" : " (back online)") : "") + "\n";
    if (s->url != s->ip) out += "   URL: " + s->url + "\n";
    if (!s->ip.empty()) out += (ja ? "   IP アドレス: " : "   IP address: ") + s->ip + "\n";
    const Time t = s->first_seen.value_or(s->reported_at);
    out += (ja ? "   確認日時: " : "   First seen: ") + format_utc(t) + " (UTC) / " + zone.format_local(t) + "\n";
    if (s->state == "revived") {
      out += ja ? "   以前停止を確認したサイトが再び表示されています。\n" : "   This site was taken down before and is served again.\n";
    }
  }
  return out;
}

}  // namespace

std::vector<PlannedNotice> plan_notices(const std::vector<store::NoticeCandidate>& candidates,
                                        const NoticeTemplates& templates, const NoticeOptions& options) {
  // Group by responder: the same "to" list gets one notice listing all its sites.
  struct Group {
    std::vector<std::string> to, cc;
    std::vector<std::string> reasons;
    std::vector<const store::NoticeCandidate*> sites;
  };
  std::map<std::string, Group> groups;
  for (const auto& c : candidates) {
    if (c.csam) continue;  // the hotline route, never a notice
    const auto route = nlohmann::json::parse(c.route, nullptr, false);
    if (route.is_discarded() || !route.contains("to") || route["to"].empty()) continue;
    std::vector<std::string> to = route["to"].get<std::vector<std::string>>();
    std::vector<std::string> cc = route.value("cc", std::vector<std::string>{});
    Group& g = groups[join(to, ",")];
    g.to = to;
    for (const auto& a : cc) {
      if (std::find(g.cc.begin(), g.cc.end(), a) == g.cc.end()) g.cc.push_back(a);
    }
    const std::string reason = route.value("reason", "");
    if (std::find(g.reasons.begin(), g.reasons.end(), reason) == g.reasons.end()) g.reasons.push_back(reason);
    g.sites.push_back(&c);
  }
  std::vector<PlannedNotice> out;
  for (auto& [key, g] : groups) {
    PlannedNotice n;
    n.to = g.to;
    n.cc = g.cc;
    n.language = g.sites.front()->country == "JP" ? "ja" : "en";
    const bool ja = n.language == "ja";
    n.tag = "[" + options.tag_prefix + std::to_string(g.sites.front()->site) + "]";
    for (const auto* s : g.sites) {
      n.sites.push_back(s->site);
      n.renotice = n.renotice || s->state == "revived";
    }
    n.reason = join(g.reasons, "; ");
    std::string text = ja ? templates.ja : templates.en;
    replace_all(text, "{{tag}}", n.tag);
    replace_all(text, "{{centre}}", options.centre);
    replace_all(text, "{{count}}", std::to_string(g.sites.size()));
    replace_all(text, "{{sites}}", site_lines(g.sites, ja, options.zone));
    replace_all(text, "{{reason}}", n.reason);
    const size_t nl = text.find('\n');
    const std::string first = text.substr(0, nl);
    n.subject = first.rfind("Subject: ", 0) == 0 ? first.substr(9) : n.tag;
    n.body = first.rfind("Subject: ", 0) == 0 ? text.substr(nl == std::string::npos ? text.size() : nl + 1) : text;
    while (!n.body.empty() && n.body.front() == '\n') n.body.erase(0, 1);
    out.push_back(std::move(n));
  }
  return out;
}

}  // namespace kz::coord
