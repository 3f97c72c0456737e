#include "coord/checker.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <set>

#include "core/text.h"
#include "core/url.h"
#include "enrich/resolver.h"

namespace kz::coord {

std::vector<CheckProfile> CheckerOptions::default_profiles() {
  return {{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/120.0 Safari/537.36",
           "ja-JP,ja;q=0.9,en;q=0.5"},
          {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
           "like Gecko) "
           "Version/17.0 Mobile/15E148 Safari/604.1",
           "en-US,en;q=0.8"}};
}

bool is_internal_address(const Ip& ip) {
  if (!ip.is_v4()) {
    // IPv4-mapped (::ffff:a.b.c.d) and the NAT64 well-known prefix reach IPv4 addresses.
    const auto& b = ip.bytes();
    const bool mapped = std::all_of(b.begin(), b.begin() + 10, [](uint8_t x) { return x == 0; }) &&
                        b[10] == 0xff && b[11] == 0xff;
    // 64:ff9b::/96 (RFC 6052): a NAT64 gateway connects to the IPv4 address in the last 32 bits.
    const bool nat64 = b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b &&
                       std::all_of(b.begin() + 4, b.begin() + 12, [](uint8_t x) { return x == 0; });
    // 64:ff9b:1::/48 (RFC 8215): NAT64 prefixes of the local network, whatever they map to.
    const bool local_nat64 = b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b &&
                             b[4] == 0x00 && b[5] == 0x01;
    if (local_nat64) return true;
    if (mapped || nat64)
      return Ip::v4((uint32_t{b[12]} << 24) | (uint32_t{b[13]} << 16) | (uint32_t{b[14]} << 8) |
                    b[15])
          .is_private_or_special();
  }
  return ip.is_private_or_special();
}

// --- content ----------------------------------------------------------------------------

namespace {

// Visible text of an HTML page: tags, scripts, styles and comments removed, entities left.
std::string visible_text(std::string_view html) {
  std::string out;
  out.reserve(html.size() / 2);
  size_t i = 0;
  while (i < html.size()) {
    if (html[i] != '<') {
      out += html[i++];
      continue;
    }
    auto skip_until = [&](std::string_view end) {
      const size_t e = ifind(html, end, i);
      i = e == std::string_view::npos ? html.size() : e + end.size();
    };
    if (html.substr(i, 4) == "<!--") {
      skip_until("-->");
    } else if (ifind(html.substr(i, 7), "<script") == 0) {
      skip_until("</script>");
    } else if (ifind(html.substr(i, 6), "<style") == 0) {
      skip_until("</style>");
    } else {
      skip_until(">");
    }
    out += ' ';
  }
  return out;
}

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  std::string cur;
  bool digit = false;
  auto flush = [&] {
    if (!cur.empty() && !digit) words.push_back(cur);
    cur.clear();
    digit = false;
  };
  for (unsigned char c : text) {
    if (std::isalnum(c) || c >= 0x80) {
      if (std::isdigit(c)) digit = true;
      cur += static_cast<char>(std::tolower(c));
    } else {
      flush();
    }
  }
  flush();
  return words;
}

uint32_t fnv1a(std::string_view s) {
  uint32_t h = 2166136261u;
  for (unsigned char c : s) h = (h ^ c) * 16777619u;
  return h;
}

constexpr size_t kSketch = 64;

std::vector<uint32_t> parse_sketch(const std::string& fp) {
  std::vector<uint32_t> out;
  for (auto part : split(fp, ',')) {
    if (!part.empty())
      out.push_back(static_cast<uint32_t>(std::strtoul(std::string(part).c_str(), nullptr, 16)));
  }
  return out;
}

}  // namespace

std::string content_fingerprint(std::string_view body) {
  const auto words = words_of(visible_text(body));
  if (words.empty()) return "";
  std::set<uint32_t> hashes;
  // Shingles of three words; a page of one or two words is its words.
  const size_t n = words.size() < 3 ? 1 : 3;
  for (size_t i = 0; i + n <= words.size(); ++i) {
    std::string shingle;
    for (size_t j = 0; j < n; ++j) shingle += words[i + j] + " ";
    hashes.insert(fnv1a(shingle));
  }
  std::string out;
  char buf[16];
  size_t k = 0;
  for (uint32_t h : hashes) {
    if (k++ == kSketch) break;
    std::snprintf(buf, sizeof buf, "%08x", h);
    out += (out.empty() ? "" : ",") + std::string(buf);
  }
  return out;
}

double fingerprint_similarity(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return a == b ? 1.0 : 0.0;
  // Bottom-k estimate of the Jaccard resemblance: of the k smallest hashes of the union, the
  // share present in both.
  const auto x = parse_sketch(a);
  const auto y = parse_sketch(b);
  std::vector<uint32_t> uni;
  std::set_union(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(uni));
  if (uni.size() > kSketch) uni.resize(kSketch);
  size_t both = 0;
  for (uint32_t h : uni) {
    if (std::binary_search(x.begin(), x.end(), h) && std::binary_search(y.begin(), y.end(), h))
      ++both;
  }
  return uni.empty() ? 0.0 : static_cast<double>(both) / static_cast<double>(uni.size());
}

std::string page_title(std::string_view body) {
  const size_t open = ifind(body, "<title");
  if (open == std::string_view::npos) return "";
  const size_t gt = body.find('>', open);
  if (gt == std::string_view::npos) return "";
  const size_t close = ifind(body, "</title>", gt);
  std::string_view raw =
      body.substr(gt + 1, close == std::string_view::npos ? 200 : close - gt - 1);
  std::string out;
  for (char c : raw) {
    const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return std::string(utf8_prefix(out, 200));
}

bool looks_like_placeholder(std::string_view body) {
  static const char* kMarks[] = {"account has been suspended",
                                 "account suspended",
                                 "this site has been suspended",
                                 "website is suspended",
                                 "site has been disabled",
                                 "domain is for sale",
                                 "this domain may be for sale",
                                 "parked free",
                                 "welcome to nginx",
                                 "apache2 debian default page",
                                 "apache2 ubuntu default page",
                                 "it works!",
                                 "test page for the apache",
                                 "iis windows server",
                                 "default web site page",
                                 "future home of something",
                                 "this page has been removed",
                                 "content has been removed",
                                 "phishing site has been removed",
                                 "このアカウントは停止",
                                 "アカウントが停止",
                                 "サイトは停止",
                                 "公開を停止",
                                 "ページは削除",
                                 "ページが見つかりません",
                                 "お探しのページは見つかりません",
                                 "このドメインは",
                                 "ただいま準備中"};
  const std::string text = visible_text(body.substr(0, 64 * 1024));
  for (const char* m : kMarks) {
    if (ifind(text, m) != std::string::npos) return true;
  }
  return false;
}

std::pair<store::CheckOutcome, std::string> judge(const FetchFacts& f,
                                                  const std::string& reference) {
  using store::CheckOutcome;
  if (f.error_kind == "blocked") return {CheckOutcome::kBlocked, f.error};
  if (f.error_kind == "resolve") return {CheckOutcome::kDown, "name does not resolve"};
  if (f.error_kind == "refused") return {CheckOutcome::kDown, "connection refused"};
  if (!f.error_kind.empty()) return {CheckOutcome::kUnknown, f.error_kind + ": " + f.error};
  if (f.http_status == 404 || f.http_status == 410)
    return {CheckOutcome::kDown, "HTTP " + std::to_string(f.http_status)};
  if (f.http_status < 200 || f.http_status >= 300)
    return {CheckOutcome::kUnknown, "HTTP " + std::to_string(f.http_status)};
  const std::string fp = content_fingerprint(f.body);
  if (fp.empty()) return {CheckOutcome::kDown, "empty page"};
  if (looks_like_placeholder(f.body))
    return {CheckOutcome::kDown, "default, parking or suspension page"};
  if (reference.empty()) return {CheckOutcome::kLive, "page served"};
  const double sim = fingerprint_similarity(fp, reference);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", sim);
  if (sim >= 0.5)
    return {CheckOutcome::kLive, std::string("still the reported page (resemblance ") + buf + ")"};
  return {CheckOutcome::kDown,
          std::string("no longer the reported page (resemblance ") + buf + ")"};
}

// --- fetching ---------------------------------------------------------------------------

namespace {

struct Fetch {
  size_t request = 0;
  size_t profile = 0;
  int hops = 0;
  std::string url;
  std::string body;
  bool capped = false;
  std::string blocked;  // set by the socket guard
  curl_slist* resolve = nullptr;
  char errbuf[CURL_ERROR_SIZE] = {0};
  size_t cap = 0;
  const CheckerOptions* options = nullptr;
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* f = static_cast<Fetch*>(user);
  const size_t len = size * n;
  const size_t room = f->cap > f->body.size() ? f->cap - f->body.size() : 0;
  f->body.append(data, std::min(len, room));
  if (len > room) {
    f->capped = true;
    return 0;  // enough evidence: stop the transfer (reported as a write error, then ignored)
  }
  return len;
}

bool is_loopback(const Ip& ip) {
  static const Cidr v4 = *Cidr::parse("127.0.0.0/8");
  static const Cidr v6 = *Cidr::parse("::1/128");
  return v4.contains(ip) || v6.contains(ip);
}

bool allowed(const CheckerOptions& o, const Ip& ip) {
  if (!o.confine_to.empty()) return is_loopback(ip);  // the demo's test server, nothing else
  if (!is_internal_address(ip)) return true;
  return std::any_of(o.allowed_networks.begin(), o.allowed_networks.end(),
                     [&](const Cidr& c) { return c.contains(ip); });
}

std::optional<Ip> ip_of(const sockaddr* sa) {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (sa->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, buf, sizeof buf);
  } else if (sa->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, buf, sizeof buf);
  } else {
    return std::nullopt;
  }
  return Ip::parse(buf);
}

// The last line of defence: whatever name or redirect led here, the address connected to is
// checked.
curl_socket_t open_socket(void* user, curlsocktype, curl_sockaddr* address) {
  auto* f = static_cast<Fetch*>(user);
  auto ip = ip_of(&address->addr);
  if (!ip || !allowed(*f->options, *ip)) {
    f->blocked = "address " + (ip ? ip->to_string() : std::string("?")) +
                 " is private, loopback or link-local; not fetched";
    return CURL_SOCKET_BAD;
  }
  return socket(address->family, address->socktype, address->protocol);
}

std::string error_kind(CURLcode rc) {
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
      return "resolve";
    case CURLE_COULDNT_CONNECT:
      return "refused";
    case CURLE_OPERATION_TIMEDOUT:
      return "timeout";
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
      return "tls";
    default:
      return "other";
  }
}

std::string url_of_request(const CheckRequest& r) {
  if (r.url.find("://") != std::string::npos) return r.url;
  if (auto ip = Ip::parse(r.url); ip && !ip->is_v4()) return "http://[" + r.url + "]/";
  return "http://" + r.url + "/";
}

}  // namespace

struct Checker::Impl {
  CheckerOptions options;
  std::unique_ptr<enrich::Resolver> resolver;
  CURLM* multi = nullptr;
};

Checker::Checker(CheckerOptions options) : impl_(std::make_unique<Impl>()) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  impl_->options = std::move(options);
  if (!impl_->options.dns_servers.empty()) {
    enrich::ResolverOptions ro;
    ro.servers = impl_->options.dns_servers;
    ro.timeout_ms = impl_->options.dns_timeout_ms;
    ro.cache_ttl = std::chrono::seconds(0);  // a takedown is often a DNS change: ask every time
    if (auto r = enrich::Resolver::create(ro)) impl_->resolver = std::move(*r);
  }
  impl_->multi = curl_multi_init();
}

Checker::~Checker() {
  if (impl_->multi) curl_multi_cleanup(impl_->multi);
}

void combine_fetches(CheckVerdict& v,
                     const std::vector<std::pair<store::CheckOutcome, std::string>>& judged) {
  // Live when any fetch saw the page; then unknown; blocked or down only when every fetch says so.
  using store::CheckOutcome;
  for (const CheckOutcome what :
       {CheckOutcome::kLive, CheckOutcome::kUnknown, CheckOutcome::kBlocked, CheckOutcome::kDown}) {
    for (size_t k = 0; k < judged.size(); ++k) {
      if (judged[k].first != what) continue;
      v.verdict = what;
      v.reason = judged[k].second;
      v.fingerprint = k < v.fetches.size() ? v.fetches[k].fingerprint : std::string();
      return;
    }
  }
  v.verdict = store::CheckOutcome::kUnknown;
  v.reason = "not fetched";
}

namespace {

// A curl handle for one fetch, every option set: no redirects followed by curl (each hop is
// checked here), no proxy, the timeouts, any certificate (phishing sites have bad ones; we only
// look), the profile's user agent and language, the pinned addresses, the demo's CONNECT_TO, and
// the socket guard.
CURL* make_easy(Fetch& f, const CheckerOptions& o, curl_slist* connect_to) {
  CURL* e = curl_easy_init();
  curl_easy_setopt(e, CURLOPT_URL, f.url.c_str());
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(e, CURLOPT_PROXY, "");
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, o.connect_timeout_ms);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, o.timeout_ms);
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
  if (!o.profiles.empty()) {
    const auto& p = o.profiles[f.profile % o.profiles.size()];
    curl_easy_setopt(e, CURLOPT_USERAGENT, p.user_agent.c_str());
    curl_slist* headers =
        curl_slist_append(nullptr, ("Accept-Language: " + p.accept_language).c_str());
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(e, CURLOPT_PRIVATE, headers);
  }
  if (f.resolve) curl_easy_setopt(e, CURLOPT_RESOLVE, f.resolve);
  if (connect_to) curl_easy_setopt(e, CURLOPT_CONNECT_TO, connect_to);
  curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket);
  curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, &f);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &f);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, f.errbuf);
  return e;
}

// One call of Checker::check: the fetches still to start, those running, what each judged.
class CheckRound {
 public:
  CheckRound(const CheckerOptions& o, enrich::Resolver* resolver, CURLM* multi,
             const std::vector<CheckRequest>& requests, Time now)
      : o_(o),
        resolver_(resolver),
        multi_(multi),
        requests_(requests),
        now_(now),
        verdicts_(requests.size()),
        judged_(requests.size()),
        confined_(!o.confine_to.empty()),
        // The demo: every connection goes to the loopback test server (curl's CONNECT_TO with no
        // host or port named matches every request).
        connect_to_(confined_ ? curl_slist_append(nullptr, ("::" + o.confine_to).c_str()) : nullptr,
                    curl_slist_free_all) {}

  std::vector<CheckVerdict> run() {
    std::vector<std::string> urls;
    for (size_t i = 0; i < requests_.size(); ++i) {
      verdicts_[i].site = requests_[i].site;
      auto f = std::make_unique<Fetch>();
      f->request = i;
      f->url = url_of_request(requests_[i]);
      urls.push_back(f->url);
      pending_.push_back(std::move(f));
    }
    resolve_hosts(urls);
    while (!pending_.empty() || !running_.empty()) {
      while (!pending_.empty() && static_cast<int>(running_.size()) < std::max(1, o_.concurrency)) {
        auto f = std::move(pending_.front());
        pending_.pop_front();
        start(std::move(f));
      }
      if (running_.empty()) continue;
      int still = 0;
      curl_multi_perform(multi_, &still);
      int queued = 0;
      while (CURLMsg* m = curl_multi_info_read(multi_, &queued)) {
        if (m->msg == CURLMSG_DONE) finish(m->easy_handle, m->data.result);
      }
      if (!running_.empty()) curl_multi_poll(multi_, nullptr, 0, 100, nullptr);
    }
    for (size_t i = 0; i < requests_.size(); ++i) combine_fetches(verdicts_[i], judged_[i]);
    return std::move(verdicts_);
  }

 private:
  void resolve_hosts(const std::vector<std::string>& urls) {
    if (!resolver_ || confined_) return;
    std::vector<std::string> hosts;
    for (const auto& u : urls) {
      auto parsed = Url::parse(u);
      if (parsed && !Ip::parse(parsed->host) && !dns_.count(parsed->host))
        hosts.push_back(parsed->host);
    }
    if (hosts.empty()) return;
    for (auto& [h, r] : resolver_->resolve(hosts)) dns_[h] = std::move(r);
  }

  // Judges one fetch and keeps it; a page that looks down is asked again as another visitor.
  void record(const Fetch& f, const FetchFacts& facts, long status, const std::string& final_url) {
    const auto& req = requests_[f.request];
    auto [verdict, reason] = judge(facts, req.reference_fingerprint);
    store::SiteCheck c;
    c.site = req.site;
    c.checked_at = now_;
    c.verdict = verdict;
    c.reason = reason;
    c.http_status = static_cast<int>(status);
    c.final_url = final_url;
    c.error = facts.error;
    c.fingerprint = content_fingerprint(facts.body);
    c.title = page_title(facts.body);
    c.user_agent =
        o_.profiles.empty() ? "" : o_.profiles[f.profile % o_.profiles.size()].user_agent;
    c.evidence = facts.body.substr(0, o_.body_cap);
    verdicts_[f.request].fetches.push_back(c);
    judged_[f.request].emplace_back(verdict, reason);
    // Looks down (but not for DNS, which no user agent changes): ask again as another visitor.
    if (verdict == store::CheckOutcome::kDown && facts.error_kind != "resolve" &&
        f.profile + 1 < o_.profiles.size()) {
      auto again = std::make_unique<Fetch>();
      again->request = f.request;
      again->profile = f.profile + 1;
      again->url = url_of_request(req);
      pending_.push_back(std::move(again));
    }
  }

  // Decides a fetch that needs no network (DNS, the address rule); true when decided.
  bool precheck(Fetch& f) {
    auto parsed = Url::parse(f.url);
    if (!parsed) {
      record(f, {"other", "not an http(s) URL", 0, ""}, 0, f.url);
      return true;
    }
    if (confined_) return false;  // nothing is resolved or connected to but the test server
    std::vector<Ip> addresses;
    if (auto ip = Ip::parse(parsed->host)) {
      addresses.push_back(*ip);
    } else if (resolver_) {
      auto it = dns_.find(parsed->host);
      if (it == dns_.end() || !it->second.resolved()) {
        const std::string err = it == dns_.end() ? "not resolved" : it->second.error;
        const bool gone = err.find("NXDOMAIN") != std::string::npos ||
                          err.find("no address") != std::string::npos ||
                          err.find("does not resolve") != std::string::npos;
        // The name could not be looked up (no answer, the DNS server unreachable): the site's
        // state is unknown, and the reason says it was DNS, not the site.
        record(f, {gone ? "resolve" : "dns", parsed->host + ": " + err, 0, ""}, 0, f.url);
        return true;
      }
      addresses = it->second.addresses;
      // Pin the addresses checked here for curl, so it does not ask another resolver.
      const int port = parsed->port ? parsed->port : (parsed->scheme == "https" ? 443 : 80);
      std::string entry = parsed->host + ":" + std::to_string(port) + ":";
      for (size_t i = 0; i < addresses.size(); ++i) {
        const std::string a = addresses[i].to_string();
        entry += (i ? "," : "") + (addresses[i].is_v4() ? a : "[" + a + "]");
      }
      f.resolve = curl_slist_append(nullptr, entry.c_str());
    }
    for (const auto& a : addresses) {
      if (!allowed(o_, a)) {
        record(f,
               {"blocked",
                "address " + a.to_string() + " is private, loopback or link-local; not fetched", 0,
                ""},
               0, f.url);
        return true;
      }
    }
    return false;
  }

  void start(std::unique_ptr<Fetch> f) {
    f->cap = o_.body_cap;
    f->options = &o_;
    if (precheck(*f)) {
      if (f->resolve) curl_slist_free_all(f->resolve);
      return;
    }
    CURL* e = make_easy(*f, o_, connect_to_.get());
    curl_multi_add_handle(multi_, e);
    running_.emplace(e, std::move(f));
  }

  // A transfer ended: a redirect becomes the next hop, anything else is judged.
  void finish(CURL* e, CURLcode rc) {
    auto node = running_.extract(e);
    std::unique_ptr<Fetch> f = std::move(node.mapped());
    long status = 0;
    char* effective = nullptr;
    char* redirect = nullptr;
    curl_slist* headers = nullptr;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(e, CURLINFO_EFFECTIVE_URL, &effective);
    curl_easy_getinfo(e, CURLINFO_REDIRECT_URL, &redirect);
    curl_easy_getinfo(e, CURLINFO_PRIVATE, reinterpret_cast<char**>(&headers));
    const std::string final_url = effective ? effective : f->url;
    const std::string next = redirect ? redirect : "";
    curl_multi_remove_handle(multi_, e);
    curl_easy_cleanup(e);
    if (headers) curl_slist_free_all(headers);
    if (f->resolve) curl_slist_free_all(f->resolve);
    f->resolve = nullptr;

    FetchFacts facts;
    if (!f->blocked.empty()) {
      facts = {"blocked", f->blocked, 0, ""};
    } else if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && f->capped)) {
      facts = {
          error_kind(rc),
          std::string(curl_easy_strerror(rc)) + (f->errbuf[0] ? std::string(": ") + f->errbuf : ""),
          0, ""};
    } else if (status >= 300 && status < 400 && !next.empty()) {
      if (f->hops + 1 > o_.max_redirects) {
        facts = {"other", "more than " + std::to_string(o_.max_redirects) + " redirects",
                 static_cast<int>(status), ""};
      } else {
        auto hop = std::make_unique<Fetch>();
        hop->request = f->request;
        hop->profile = f->profile;
        hop->hops = f->hops + 1;
        hop->url = next;
        resolve_hosts({next});
        pending_.push_front(std::move(hop));
        return;
      }
    } else {
      facts = {"", "", static_cast<int>(status), std::move(f->body)};
    }
    record(*f, facts, status, final_url);
  }

  const CheckerOptions& o_;
  enrich::Resolver* resolver_;
  CURLM* multi_;
  const std::vector<CheckRequest>& requests_;
  const Time now_;
  std::vector<CheckVerdict> verdicts_;
  std::vector<std::vector<std::pair<store::CheckOutcome, std::string>>>
      judged_;  // per request, per fetch
  std::deque<std::unique_ptr<Fetch>> pending_;
  std::map<CURL*, std::unique_ptr<Fetch>> running_;
  std::map<std::string, enrich::Resolution> dns_;
  const bool confined_;
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> connect_to_;
};

}  // namespace

std::vector<CheckVerdict> Checker::check(const std::vector<CheckRequest>& requests, Time now) {
  return CheckRound(impl_->options, impl_->resolver.get(), impl_->multi, requests, now).run();
}

}  // namespace kz::coord
