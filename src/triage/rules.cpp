#include "triage/rules.h"

#include <algorithm>

#include <toml.hpp>

#include "triage/toml_util.h"

#include "core/text.h"
#include "triage/default_data.h"

namespace kz::triage {

namespace {

std::string norm_type(std::string_view s) {
  std::string out = to_lower_ascii(trim(s));
  for (char& c : out) {
    if (c == '_' || c == ' ') c = '-';
  }
  return out;
}

std::vector<std::string> strings(const toml::value& v, const char* key) {
  std::vector<std::string> out;
  if (!v.contains(key)) return out;
  for (const auto& s : toml::find<std::vector<std::string>>(v, key)) out.push_back(s);
  return out;
}

std::optional<LogKind> parse_log_kind(std::string_view s) {
  for (LogKind k :
       {LogKind::kSshd, LogKind::kIptables, LogKind::kWebAccess, LogKind::kWindowsFirewall}) {
    if (to_string(k) == s) return k;
  }
  return std::nullopt;
}

}  // namespace

Result<std::shared_ptr<const Rules>> Rules::parse(std::string_view text,
                                                  const std::string& origin) {
  auto rules = std::make_shared<Rules>();
  try {
    const toml::value doc = parse_toml_text(text, origin);
    if (doc.contains("scoring")) {
      const auto& s = toml::find(doc, "scoring");
      rules->subject_weight_ = toml::find_or<int>(s, "subject_weight", 3);
      rules->log_weight_ = toml::find_or<int>(s, "log_weight", 2);
    }
    for (const auto& t : array_of_tables(doc, "type")) {
      TypeRule r;
      const std::string type = toml::find<std::string>(t, "type");
      auto it = parse_incident_type(type);
      if (!it) {
        return fail(Error::Parse("unknown incident type \"" + type +
                                     "\" (use scan, forged, intrusion, phishing or other)",
                                 origin));
      }
      r.cls.type = *it;
      r.cls.subtype = toml::find_or<std::string>(t, "subtype", "");
      const std::string rsit = toml::find_or<std::string>(t, "rsit", "other/undetermined");
      const size_t slash = rsit.find('/');
      r.cls.rsit_taxonomy = rsit.substr(0, slash);
      r.cls.rsit_type = slash == std::string::npos ? "" : rsit.substr(slash + 1);
      r.id = r.cls.subtype.empty() ? type : type + "/" + r.cls.subtype;
      r.keywords = strings(t, "keywords");
      r.structured = strings(t, "structured");
      for (const auto& l : strings(t, "logs")) {
        auto k = parse_log_kind(l);
        if (!k) {
          return fail(Error::Parse("unknown log kind \"" + l + "\" in rule " + r.id +
                                       " (use sshd, iptables, web-access or windows-firewall)",
                                   origin));
        }
        r.logs.push_back(*k);
      }
      rules->types_.push_back(std::move(r));
    }
    for (const auto& p : array_of_tables(doc, "purpose")) {
      const std::string name = toml::find<std::string>(p, "purpose");
      auto pp = parse_purpose(name);
      if (!pp || *pp == Purpose::kIncident || *pp == Purpose::kReply) {
        return fail(Error::Parse("unknown non-incident purpose \"" + name +
                                     "\" (use question, information or consultation)",
                                 origin));
      }
      rules->purposes_.push_back({*pp, strings(p, "keywords")});
    }
    for (const auto& t : array_of_tables(doc, "tag")) {
      TagRule r;
      r.tag = toml::find<std::string>(t, "tag");
      for (const auto& ty : strings(t, "types")) {
        auto it = parse_incident_type(ty);
        if (!it)
          return fail(Error::Parse("unknown incident type \"" + ty + "\" in tag " + r.tag, origin));
        r.types.push_back(*it);
      }
      r.keywords = strings(t, "keywords");
      rules->tags_.push_back(std::move(r));
    }
    if (doc.contains("roles")) {
      rules->victim_phrases_ = strings(toml::find(doc, "roles"), "victim");
      rules->attacker_phrases_ = strings(toml::find(doc, "roles"), "attacker");
      rules->victim_after_ = strings(toml::find(doc, "roles"), "victim_after");
      rules->attacker_after_ = strings(toml::find(doc, "roles"), "attacker_after");
      rules->reference_domains_ = strings(toml::find(doc, "roles"), "reference_domains");
      rules->reference_ips_ = strings(toml::find(doc, "roles"), "reference_ips");
      for (const auto& l : strings(toml::find(doc, "roles"), "reference_lead"))
        rules->reference_lead_.add(l);
    }
  } catch (const std::exception& e) {
    return fail(Error::Parse(std::string("bad rules file: ") + e.what(), origin));
  }
  // Build the automata.
  for (size_t i = 0; i < rules->types_.size(); ++i) {
    for (const auto& k : rules->types_[i].keywords) {
      rules->keywords_.add(k);
      rules->owners_.push_back({Owner::kType, i});
    }
    for (const auto& s : rules->types_[i].structured) {
      rules->structured_index_.emplace(norm_type(s), i);  // first rule naming a type wins
    }
  }
  for (size_t i = 0; i < rules->purposes_.size(); ++i) {
    for (const auto& k : rules->purposes_[i].keywords) {
      rules->keywords_.add(k);
      rules->owners_.push_back({Owner::kPurpose, i});
    }
  }
  for (size_t i = 0; i < rules->tags_.size(); ++i) {
    for (const auto& k : rules->tags_[i].keywords) {
      rules->keywords_.add(k);
      rules->owners_.push_back({Owner::kTag, i});
    }
  }
  rules->keywords_.build();
  for (const auto& p : rules->victim_phrases_) rules->victim_set_.add(p);
  rules->victim_set_.build();
  rules->reference_lead_.build();
  for (const auto& p : rules->attacker_phrases_) rules->attacker_set_.add(p);
  rules->attacker_set_.build();
  return std::shared_ptr<const Rules>(std::move(rules));
}

std::shared_ptr<const Rules> Rules::defaults() {
  static const std::shared_ptr<const Rules> kDefaults = [] {
    auto r = parse(default_rules_toml(), "data/rules.toml (built in)");
    if (!r) throw std::runtime_error("built-in rules are broken: " + r.error().to_string());
    return *r;
  }();
  return kDefaults;
}

Verdict Rules::classify(std::string_view subject, std::string_view body,
                        const std::vector<LogKind>& log_kinds) const {
  Verdict v;
  std::vector<bool> in_subject;
  std::vector<bool> in_body;
  std::vector<uint32_t> found;  // the few keywords that occur, of the hundreds there are
  keywords_.match(subject, in_subject, &found);
  keywords_.match(body, in_body, &found);
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  std::vector<int> type_score(types_.size(), 0);
  std::vector<int> purpose_score(purposes_.size(), 0);
  std::vector<bool> tag_hit(tags_.size(), false);
  for (const uint32_t k : found) {
    if (k >= owners_.size()) continue;
    const int w = (in_subject[k] ? subject_weight_ : 0) + (in_body[k] ? 1 : 0);
    const Owner& o = owners_[k];
    if (o.kind == Owner::kType) type_score[o.rule] += w;
    if (o.kind == Owner::kPurpose) {
      purpose_score[o.rule] += w;
      v.purpose_in_subject = v.purpose_in_subject || in_subject[k];
    }
    if (o.kind == Owner::kTag) tag_hit[o.rule] = true;
  }
  for (size_t i = 0; i < types_.size(); ++i) {
    for (LogKind l : types_[i].logs) {
      for (LogKind seen : log_kinds) {
        if (l == seen) {
          type_score[i] += log_weight_;
          break;
        }
      }
    }
  }
  // Highest score wins; on a tie the rule listed first in the file.
  size_t best = types_.size();
  for (size_t i = 0; i < types_.size(); ++i) {
    if (type_score[i] > 0 && (best == types_.size() || type_score[i] > type_score[best])) best = i;
  }
  if (best < types_.size()) {
    v.cls = types_[best].cls;
    v.score = type_score[best];
    v.rule = types_[best].id;
  }
  size_t pbest = purposes_.size();
  for (size_t i = 0; i < purposes_.size(); ++i) {
    if (purpose_score[i] > 0 &&
        (pbest == purposes_.size() || purpose_score[i] > purpose_score[pbest]))
      pbest = i;
  }
  if (pbest < purposes_.size()) v.purpose_hint = purposes_[pbest].purpose;
  const IncidentType type = v.cls ? v.cls->type : IncidentType::kOther;
  for (size_t i = 0; i < tags_.size(); ++i) {
    if (!tag_hit[i]) continue;
    bool applies = tags_[i].types.empty();
    for (IncidentType t : tags_[i].types) applies = applies || t == type;
    if (applies) v.tags.push_back(tags_[i].tag);
  }
  return v;
}

std::optional<Classification> Rules::structured(std::string_view category,
                                                std::string_view type) const {
  const std::string t = norm_type(type);
  const std::string c = norm_type(category);
  if (auto it = structured_index_.find(c + "/" + t); it != structured_index_.end())
    return types_[it->second].cls;
  if (auto it = structured_index_.find(t); it != structured_index_.end())
    return types_[it->second].cls;
  if (auto it = structured_index_.find(c + "/*"); it != structured_index_.end())
    return types_[it->second].cls;
  return std::nullopt;
}

bool Rules::reference_host(std::string_view host) const {
  for (const auto& d : reference_domains_) {
    if (iequals(host, d) || (host.size() > d.size() && host[host.size() - d.size() - 1] == '.' &&
                             iequals(host.substr(host.size() - d.size()), d))) {
      return true;
    }
  }
  return false;
}

bool Rules::reference_lead(std::string_view before) const {
  return reference_lead_.last_match_end(before) >= 0;
}

bool Rules::reference_ip(std::string_view ip) const {
  for (const auto& r : reference_ips_) {
    if (r == ip) return true;
  }
  return false;
}

bool Rules::victim_context(std::string_view context, std::string_view after) const {
  // Skip what separates an address from the words after it: spaces, brackets, colons.
  size_t i = 0;
  while (i < after.size()) {
    const std::string_view rest = after.substr(i);
    if (rest[0] == ' ' || rest[0] == '\t' || rest[0] == ')' || rest[0] == ']' || rest[0] == ',' ||
        rest[0] == ':') {
      ++i;
    } else if (rest.starts_with("）") || rest.starts_with("　") || rest.starts_with("」") ||
               rest.starts_with("】")) {
      i += 3;
    } else {
      break;
    }
  }
  const std::string_view words = after.substr(i);
  for (const auto& p : victim_after_) {
    if (istarts_with(words, p)) return true;
  }
  for (const auto& p : attacker_after_) {
    if (istarts_with(words, p)) return false;
  }
  const long victim = victim_set_.last_match_end(context);
  return victim >= 0 && victim > attacker_set_.last_match_end(context);
}

}  // namespace kz::triage
