#include "triage/assess.h"

#include <algorithm>
#include <map>
#include <set>
#include <span>
#include <unordered_map>

#include "core/text.h"
#include "core/url.h"
#include "triage/indicators.h"
#include "triage/logs.h"

namespace kz::triage {

namespace {

// Same protocol and port counted once, in the order first seen, with the hits added up. Linear
// in the occurrences.
void merge_ports(std::vector<store::PortHit>& ports) {
  if (ports.size() < 2) return;
  std::vector<store::PortHit> merged;
  std::unordered_map<uint64_t, size_t> at;  // (protocol, port) -> index in merged
  std::vector<std::string> protocols;       // the few protocol names, numbered
  for (auto& p : ports) {
    const auto name = std::find(protocols.begin(), protocols.end(), p.proto);
    const uint64_t proto = static_cast<uint64_t>(name - protocols.begin());
    if (name == protocols.end()) protocols.push_back(p.proto);
    const auto [it, fresh] =
        at.try_emplace(proto << 32 | static_cast<uint32_t>(p.port), merged.size());
    if (fresh) {
      merged.push_back(std::move(p));
    } else {
      merged[it->second].hits += p.hits;
    }
  }
  ports = std::move(merged);
}

// Collects seeds by key, keeping the order in which addresses were first reported.
class SeedSet {
 public:
  IncidentSeed& by_ip(const std::string& ip) { return find_or_add(by_ip_, ip, &IncidentSeed::ip); }
  IncidentSeed& by_host(const std::string& host) {
    return find_or_add(by_host_, host, &IncidentSeed::host);
  }
  bool has_ip(const std::string& ip) const { return by_ip_.contains(ip); }
  // The seeds, each port counted once with its hits (see add_port).
  std::vector<IncidentSeed> take() {
    for (auto& seed : seeds_) merge_ports(seed.ports);
    return std::move(seeds_);
  }

 private:
  using Index = std::unordered_map<std::string, size_t>;
  // Looked up before inserting: most calls find a seed (every log line of one source), and
  // building a node to throw away cost an allocation each.
  IncidentSeed& find_or_add(Index& index, const std::string& key,
                            std::string IncidentSeed::*field) {
    if (auto it = index.find(key); it != index.end()) return seeds_[it->second];
    index.emplace(key, seeds_.size());
    seeds_.push_back({});
    seeds_.back().*field = key;
    return seeds_.back();
  }

  std::vector<IncidentSeed> seeds_;  // in the order first seen
  Index by_ip_;
  Index by_host_;
};

// Each occurrence is appended; take() merges them. Merging as they came (a search per port) cost
// time in proportion to occurrences times distinct ports: 5 million X-ARF ports ran for minutes.
void add_port(IncidentSeed& seed, const std::string& proto, int port) {
  if (port > 0) seed.ports.push_back({proto, port, 1});
}

void add_url(IncidentSeed& seed, const std::string& url) {
  if (std::find(seed.urls.begin(), seed.urls.end(), url) == seed.urls.end())
    seed.urls.push_back(url);
}

void note_time(IncidentSeed& seed, const std::optional<Time>& t) {
  if (t && (!seed.first_seen || *t < *seed.first_seen)) seed.first_seen = t;
}

bool is_header_line(std::string_view line) {
  return istarts_with(line, "Received:") || istarts_with(line, "X-Originating-IP:") ||
         istarts_with(line, "X-Received:") || istarts_with(line, "Return-Path:");
}

class Assessor {
 public:
  Assessor(const intake::ParsedMessage& m, const TriageConfig& cfg) : m_(m), cfg_(cfg) {}

  Assessment run() {
    a_.reporter = cfg_.reporters->describe(sender(), cfg_.home_country);
    collect_relays();
    if (!a_.reporter.org_domain.empty()) own_domains_.insert(a_.reporter.org_domain);
    if (const size_t at = m_.message_id.rfind('@'); at != std::string::npos) {
      own_domains_.insert(registered_domain(m_.message_id.substr(at + 1)));
    }
    // Text the reporter wrote (and forwarded): what the rules read.
    std::string own;
    size_t own_size = 0;
    for (const auto& p : m_.parts) own_size += p.quoted_original ? 0 : p.text.size() + 1;
    own.reserve(own_size);
    for (const auto& p : m_.parts) {
      if (!p.quoted_original) own.append(p.text).append("\n");
    }
    std::vector<LogKind> log_kinds;
    // Machine-readable reports first; then the reporter's own text (listed URLs, logs, feeds).
    from_structured();
    // With a structured report its attachments are evidence, and the text only adds detail
    // about the sites the report names.
    structured_ = !m_.reports.empty();
    for (const auto& p : m_.parts) {
      if (p.quoted_original || (structured_ && p.attachment)) continue;
      if (!from_feed_csv(p.text, p.origin)) from_text(p.text, p.origin, log_kinds);
    }
    a_.incidents = seeds_.take();
    classify(own, log_kinds);
    return std::move(a_);
  }

 private:
  std::string sender() const {
    if (!m_.from_address.empty()) return m_.from_address;
    for (const auto& r : m_.reports) {
      if (!r.reporter_contact.empty()) return r.reporter_contact;
    }
    return {};
  }

  void collect_relays() {
    for (const auto& r : m_.relay_ips) {
      if (auto ip = Ip::parse(r)) {
        if (!ip->is_private_or_special()) relay_nets_.push_back(Cidr(*ip, ip->is_v4() ? 24 : 48));
        relays_.insert(ip->to_string());
      }
    }
  }

  bool own_address(const Ip& ip) const {
    for (const auto& c : cfg_.home_networks) {
      if (c.contains(ip)) return true;
    }
    // The reporter's own network: beside the relays their mail came through.
    for (const auto& c : relay_nets_) {
      if (c.contains(ip)) return true;
    }
    return false;
  }

  void indicator(std::string_view kind, const std::string& value, std::string_view role,
                 const std::string& source) {
    const std::string key = std::string(kind) + "|" + value + "|" + std::string(role);
    if (!seen_indicators_.insert(key).second) return;
    a_.indicators.push_back({std::string(kind), value, std::string(role), source});
  }

  void report_ip(const std::string& ip, const std::string& source) {
    seeds_.by_ip(ip);
    indicator("ip", ip, "reported", source);
  }

  void from_structured() {
    for (const auto& r : m_.reports) {
      if (a_.format == "none") a_.format = r.format;
      if (a_.xarf_report_id.empty() && r.format.starts_with("xarf"))
        a_.xarf_report_id = r.report_id;
      if (a_.tlp.empty()) a_.tlp = r.tlp;
      a_.csam = a_.csam || r.csam;
      a_.disclose_reporter = a_.disclose_reporter || r.disclose_reporter;
      const std::string src = r.format;
      std::vector<std::string> ips;
      for (const auto& v : r.victims) {
        if (auto ip = Ip::parse(v)) indicator("ip", ip->to_string(), "victim", src);
      }
      for (const auto& s : r.sources) {
        if (auto ip = Ip::parse(s)) {
          ips.push_back(ip->to_string());
          structured_ips_.insert(ip->to_string());
          report_ip(ip->to_string(), src);
          IncidentSeed& seed = seeds_.by_ip(ip->to_string());
          for (int port : r.destination_ports)
            add_port(seed, r.protocol.empty() ? "tcp" : r.protocol, port);
          note_time(seed, r.occurred);
        } else if (auto c = Cidr::parse(s)) {
          indicator("cidr", c->to_string(), "reported", src);
        } else if (!Url::parse(s) && s.find('.') != std::string::npos) {
          // A host named without a URL (a mail or news server): an incident keyed by host
          // until enrichment resolves it.
          indicator("domain", to_lower_ascii(s), "reported", src);
          seeds_.by_host(to_lower_ascii(s));
        }
      }
      for (const auto& u : r.urls) {
        auto url = Url::parse(u);
        if (!url) continue;
        indicator("url", url->to_string(), "reported", src);
        structured_hosts_.insert(url->host);
        if (url->host_is_ip()) {
          const std::string ip = Ip::parse(url->host)->to_string();
          report_ip(ip, src);
          add_url(seeds_.by_ip(ip), url->to_string());
        } else if (ips.size() == 1) {
          add_url(seeds_.by_ip(ips[0]), url->to_string());  // the report says where it is hosted
        } else {
          add_url(seeds_.by_host(url->host), url->to_string());
        }
      }
    }
  }

  // A feed attachment (Shadowserver and similar CSV with an "ip" column): the column names the
  // reported addresses; every other address in the row (reverse DNS, peers) is only mentioned.
  bool from_feed_csv(const std::string& text, const std::string& origin) {
    const size_t nl = text.find('\n');
    if (nl == std::string::npos) return false;
    auto header = parse_csv_line(std::string_view(text).substr(0, nl));
    size_t ip_col = header.size();
    for (size_t i = 0; i < header.size(); ++i) {
      const std::string h = to_lower_ascii(trim(header[i]));
      if (h == "ip" || h == "src_ip" || h == "source_ip" || h == "source.ip") ip_col = i;
    }
    if (ip_col == header.size() || header.size() < 3) return false;
    const auto lines = split_lines(text);
    for (size_t i = 1; i < lines.size(); ++i) {
      auto row = parse_csv_line(lines[i]);
      if (row.size() <= ip_col) continue;
      if (auto ip = Ip::parse(trim(row[ip_col]))) {
        if (own_address(*ip)) {
          indicator("ip", ip->to_string(), "victim", origin);
        } else {
          report_ip(ip->to_string(), origin + " (ip column)");
        }
      }
    }
    return true;
  }

  static std::vector<std::string> parse_csv_line(std::string_view line) {
    std::vector<std::string> out(1);
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      if (quoted) {
        if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
          out.back() += '"';
          ++i;
        } else if (c == '"') {
          quoted = false;
        } else {
          out.back() += c;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.emplace_back();
      } else if (c != '\r') {
        out.back() += c;
      }
    }
    return out;
  }

  // "> quoted" and "| quoted" lines are read as what they quote.
  static std::string_view unquote(std::string_view line) {
    while (!line.empty() && (line[0] == '>' || line[0] == '|')) {
      line.remove_prefix(1);
      if (!line.empty() && line[0] == ' ') line.remove_prefix(1);
    }
    return line;
  }

  void from_text(const std::string& text, const std::string& origin,
                 std::vector<LogKind>& log_kinds) {
    const int year = m_.date ? static_cast<int>(std::chrono::year_month_day(
                                                    std::chrono::floor<std::chrono::days>(*m_.date))
                                                    .year())
                             : 0;
    auto lines = split_lines(text);
    for (auto& l : lines) l = unquote(l);
    std::vector<bool> consumed(lines.size(), false);
    bool in_header = false;
    for (size_t i = 0; i < lines.size(); ++i) {
      const std::string_view line = lines[i];
      // Pasted transport headers (and their folded continuation lines) carry relays.
      if (is_header_line(line) ||
          (in_header && !line.empty() && (line[0] == ' ' || line[0] == '\t'))) {
        consumed[i] = true;
        in_header = true;
        continue;
      }
      in_header = false;
      auto e = read_log_line(line, year, std::chrono::minutes{m_.date_offset_minutes});
      if (!e) continue;
      consumed[i] = true;
      if (std::find(log_kinds.begin(), log_kinds.end(), e->kind) == log_kinds.end())
        log_kinds.push_back(e->kind);
      const std::string src = "log:" + std::string(to_string(e->kind));
      if (!e->destination.empty()) indicator("ip", e->destination, "victim", src);
      auto ip = Ip::parse(e->source);
      if (!ip || own_address(*ip) || relays_.contains(e->source)) continue;
      report_ip(e->source, src);
      IncidentSeed& seed = seeds_.by_ip(e->source);
      add_port(seed, e->protocol, e->destination_port);
      note_time(seed, e->time);
    }
    // Everything else: indicators in prose.
    std::string prose;
    prose.reserve(text.size() + 1);
    std::vector<size_t> line_of;  // prose line -> original line
    for (size_t i = 0; i < lines.size(); ++i) {
      if (consumed[i]) continue;
      prose.append(lines[i]).append("\n");
      line_of.push_back(i);
    }
    const std::string refanged = refang(prose);
    const auto prose_lines = split_lines(refanged);
    // Signature blocks ("-- " up to a forwarded or quoted original) name the reporter's
    // own phone numbers, sites and addresses, never what is reported.
    signature_.assign(prose_lines.size(), false);
    bool in_sig = false;
    for (size_t i = 0; i < prose_lines.size(); ++i) {
      const std::string_view l = prose_lines[i];
      if (l == "-- " || l == "--") {
        in_sig = true;
      } else if (in_sig && (l.starts_with("-----") || l.starts_with("=====") ||
                            ifind(l, "forwarded") != std::string_view::npos ||
                            ifind(l, "original message") != std::string_view::npos ||
                            l.find("転送") != std::string_view::npos || l.starts_with(">"))) {
        in_sig = false;
      }
      signature_[i] = in_sig;
    }
    auto found = extract_indicators_refanged(refanged, &is_public_domain);  // refanged once, above
    // Per line: the addresses in order, to decide roles and bind URLs to hosting addresses.
    // (One vector sorted by line, keeping the order within a line: a map of vectors cost an
    // allocation per line.)
    std::vector<const Indicator*> by_line;
    by_line.reserve(found.size());
    for (const auto& ind : found) by_line.push_back(&ind);
    std::stable_sort(by_line.begin(), by_line.end(),
                     [](const Indicator* a, const Indicator* b) { return a->line < b->line; });
    std::vector<char> victim(found.size(),
                             0);  // by position in `found`: said of the reporter's side
    for (auto first = by_line.begin(); first != by_line.end();) {
      const size_t ln = (*first)->line;
      const auto last =
          std::find_if(first, by_line.end(), [ln](const Indicator* i) { return i->line != ln; });
      const std::span<const Indicator* const> list(first, last);
      first = last;
      const std::string_view l = ln < prose_lines.size() ? prose_lines[ln] : std::string_view{};
      size_t prev_end = 0;
      for (size_t k = 0; k < list.size(); ++k) {
        const Indicator* ind = list[k];
        const size_t start = std::min(ind->column, l.size());
        size_t end = start;
        while (end < l.size() && l[end] != ' ' && l[end] != '\t' && l[end] != ')' &&
               l[end] != ',' && static_cast<unsigned char>(l[end]) < 0x80) {
          ++end;
        }
        const size_t next_start =
            k + 1 < list.size() ? std::min(list[k + 1]->column, l.size()) : l.size();
        const std::string_view before = l.substr(prev_end, start > prev_end ? start - prev_end : 0);
        const std::string_view after = l.substr(end, next_start > end ? next_start - end : 0);
        if (ind->kind == IndicatorKind::kIp)
          victim[ind - found.data()] = cfg_.rules->victim_context(before, after);
        prev_end = end;
      }
    }
    for (const auto& ind : found) {
      const std::string src = origin;
      switch (ind.kind) {
        case IndicatorKind::kIp: {
          auto ip = Ip::parse(ind.value);
          if (in_signature(ind.line) || cfg_.rules->reference_ip(ind.value) ||
              (structured_ && !structured_ips_.contains(ind.value))) {
            indicator("ip", ind.value, "mentioned", src);
          } else if (victim[&ind - found.data()] || own_address(*ip)) {
            indicator("ip", ind.value, "victim", src);
          } else {
            report_ip(ind.value, src);
          }
          break;
        }
        case IndicatorKind::kUrl: {
          auto url = Url::parse(ind.value);
          if (!url) {  // the extractor's URL grammar is looser than the parser's: keep it, report
                       // nothing
            indicator("url", ind.value, "mentioned", src);
            break;
          }
          const auto host_ip = url->host_is_ip() ? Ip::parse(url->host) : std::nullopt;
          const std::string bound = host_ip ? host_ip->to_string() : hosting_ip(found, ind, victim);
          const std::string_view line_text =
              ind.line < prose_lines.size() ? prose_lines[ind.line] : std::string_view{};
          // A URL is reported when it is listed (alone on its line, after a label such as
          // "URL:", or with its hosting address), not when a sentence refers to it, and never
          // when it points to the reporter's own site or a reference site.
          const bool listed = !bound.empty() || listing_context(line_text.substr(
                                                    0, std::min(ind.column, line_text.size())));
          const bool about_structured_site =
              structured_hosts_.contains(url->host) || structured_ips_.contains(bound);
          if (!listed || (structured_ && !about_structured_site) || in_signature(ind.line) ||
              own_domain(registered_domain(url->host)) || cfg_.rules->reference_host(url->host)) {
            indicator("url", ind.value, "mentioned", src);
            break;
          }
          indicator("url", ind.value, "reported", src);
          if (!bound.empty()) {
            if (own_address(*Ip::parse(bound))) break;
            report_ip(bound, src);
            add_url(seeds_.by_ip(bound), ind.value);
          } else {
            add_url(seeds_.by_host(url->host), ind.value);
          }
          break;
        }
        default:
          indicator(to_string(ind.kind), ind.value, "mentioned", src);
      }
    }
    (void)line_of;
  }

  bool in_signature(size_t line) const { return line < signature_.size() && signature_[line]; }

  // The text before a URL on its line introduces a listing: nothing, bullets, numbering or a
  // short label ending in a colon ("URL:", "フィッシングサイト：", "1.").
  bool listing_context(std::string_view before) const {
    before = trim(before);
    if (before.empty()) return true;
    if (cfg_.rules->reference_lead(before)) return false;
    if (before.size() > 48) return false;
    for (std::string_view end : {":", "：", "-", "*", "・", ">", "=", "]", ")", "）", "】", "\t"}) {
      if (before.ends_with(end)) return true;
    }
    bool only_marks = true;
    for (char c : before)
      only_marks =
          only_marks && (std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '#');
    return only_marks;
  }

  // The address a URL is said to be hosted on: the first non-victim address after it on the same
  // line, or on the next line when that line names an address and no other URL.
  // Is `domain` (a registered domain) the reporter's own: the sender's, the Message-ID's or a
  // relay's? Relay names are mostly unique per message, so their registered domains are not
  // looked up ahead (the public suffix search was 2.5% of intake): only a relay named under
  // `domain` can belong to it, and only for those is the answer checked.
  bool own_domain(const std::string& domain) const {
    if (own_domains_.contains(domain)) return true;
    for (const std::string_view h : m_.relay_hosts) {
      if (h.size() < domain.size() || !iequals(h.substr(h.size() - domain.size()), domain))
        continue;
      if (h.size() > domain.size() && h[h.size() - domain.size() - 1] != '.') continue;
      if (registered_domain(h) == domain) return true;
    }
    return false;
  }

  static std::string hosting_ip(const std::vector<Indicator>& all, const Indicator& url,
                                const std::vector<char>& victim) {
    auto is_victim = [&](const Indicator& i) {
      return victim[static_cast<size_t>(&i - all.data())] != 0;
    };
    for (const auto& i : all) {
      if (i.line == url.line && i.column > url.column && i.kind == IndicatorKind::kUrl) break;
      if (i.line == url.line && i.column > url.column && i.kind == IndicatorKind::kIp &&
          !is_victim(i))
        return i.value;
    }
    // "198.51.100.45  http://site/..." : the address right before it on the line.
    const Indicator* before = nullptr;
    for (const auto& i : all) {
      if (i.line != url.line || i.column >= url.column) continue;
      if (i.kind == IndicatorKind::kUrl) before = nullptr;
      if (i.kind == IndicatorKind::kIp && !is_victim(i)) before = &i;
    }
    if (before) return before->value;
    bool next_has_url = false;
    const Indicator* next_ip = nullptr;
    for (const auto& i : all) {
      if (i.line != url.line + 1) continue;
      if (i.kind == IndicatorKind::kUrl) next_has_url = true;
      if (i.kind == IndicatorKind::kIp && !next_ip && !is_victim(i)) next_ip = &i;
    }
    if (next_ip && !next_has_url) return next_ip->value;
    return {};
  }

  void classify(const std::string& own, const std::vector<LogKind>& log_kinds) {
    const Verdict v = cfg_.rules->classify(m_.subject, own, log_kinds);
    std::optional<Classification> cls;
    for (const auto& r : m_.reports) {
      if (r.format == "form" && !r.type.empty()) {
        cls = cfg_.rules->structured("form", r.type);
      } else {
        cls = cfg_.rules->structured(r.category, r.type);
      }
      if (cls) {
        a_.rule = "structured:" + r.format + " " + r.category + "/" + r.type;
        break;
      }
    }
    if (!cls && v.cls) {
      cls = v.cls;
      a_.rule = "keywords:" + v.rule;
    }
    if (!cls && !log_kinds.empty()) {
      cls = Classification{IncidentType::kScan, "", "information-gathering", "scanner"};
      a_.rule = "logs";
    }
    a_.cls = cls.value_or(Classification{IncidentType::kOther, "", "other", "undetermined"});
    if (!cls) a_.rule = "default";
    a_.tags = v.tags;
    if (a_.cls.subtype == "csam") a_.csam = true;

    // Purpose: a form says it; otherwise nothing reported means not an incident, and a
    // purpose named in the subject with no incident words means not an incident either.
    bool form_says = false;
    Purpose form_purpose = Purpose::kIncident;
    for (const auto& r : m_.reports) {
      if (r.format != "form" || r.purpose.empty()) continue;
      const auto p = parse_purpose(r.purpose);
      if (p && *p != Purpose::kReply) {  // "reply" is not the reporter's to say
        form_says = true;
        form_purpose = *p;
      }
    }
    // A form that says "incident" but names no address, host or URL opens no (empty) report: it
    // is kept as information for a handler to read.
    if (form_says && form_purpose == Purpose::kIncident && a_.incidents.empty()) form_says = false;
    if (form_says) {
      a_.purpose = form_purpose;
    } else if (a_.incidents.empty()) {
      a_.purpose = v.purpose_hint.value_or(Purpose::kInformation);
    } else if (v.purpose_in_subject && !v.cls && m_.reports.empty()) {
      a_.purpose = *v.purpose_hint;
    } else {
      a_.purpose = Purpose::kIncident;
    }

    if (a_.cls.type == IncidentType::kPhishing) {
      std::string hay = m_.subject + "\n" + own;
      for (const auto& r : m_.reports) hay += "\n" + r.brand;
      for (const auto& s : a_.incidents) {
        for (const auto& u : s.urls) hay += "\n" + u;
      }
      if (auto b = cfg_.brands->match(hay)) {
        a_.brand = b->name;
        a_.brand_origin = iequals(b->country, cfg_.home_country) ? "domestic" : "foreign";
      } else {
        a_.brand_origin = "unknown";
      }
    }
  }

  const intake::ParsedMessage& m_;
  const TriageConfig& cfg_;
  Assessment a_;
  SeedSet seeds_;
  std::set<std::string> relays_;
  std::vector<Cidr> relay_nets_;
  std::set<std::string> seen_indicators_;
  std::vector<bool> signature_;
  bool structured_ = false;
  std::set<std::string> structured_hosts_;
  std::set<std::string> structured_ips_;
  // The reporter's own registered domains: the sender's and the Message-ID's here, the relays'
  // in own_domain().
  std::set<std::string> own_domains_;
};

}  // namespace

Assessment assess(const intake::ParsedMessage& m, const TriageConfig& cfg) {
  return Assessor(m, cfg).run();
}

}  // namespace kz::triage
