// Checking whether reported sites are still served, through libcurl's multi interface:
// many sites at once with bounded concurrency, connect and total timeouts, a redirect limit and a
// body cap. Each fetch keeps status, final URL, the DNS/TLS/connection error, a content
// fingerprint, the title and the first 256 KiB as evidence.
//
// The down rule (docs/decisions/024-verifying-takedown.md):
//   down     the name no longer resolves; the connection is refused; 404 or 410; or the page is no
//            longer the reported one: empty, a hosting default or suspension page, or content whose
//            fingerprint no longer resembles the reported page's;
//   live     a page that still resembles the reported page (a nonce or a date changing does not
//            matter: tokens with digits are left out of the fingerprint), or any page when nothing
//            was recorded yet (it becomes the reference);
//   unknown  timeouts, TLS errors, 5xx and other statuses: neither counts;
//   blocked  the address is private, loopback or link-local and not allowed by configuration:
//            never fetched, whether named in the URL, resolved from the name or reached by a
//            redirect (checked again when the socket is opened, so DNS rebinding cannot slip by).
// A fetch that looks down is repeated at once with another user agent and language: a page
// that hides from one kind of visitor (cloaking) is still live.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/ip.h"
#include "store/sites.h"

namespace kz::coord {

struct CheckProfile {
  std::string user_agent;
  std::string accept_language;
};

struct CheckerOptions {
  long connect_timeout_ms = 5000;
  long timeout_ms = 10000;
  long max_redirects = 5;
  size_t body_cap = 256 * 1024;  // kept as evidence; the fetch stops there
  int concurrency = 64;
  // Networks the checker may fetch although they are private, loopback or link-local (tests,
  // an internal mirror). Empty: none.
  std::vector<Cidr> allowed_networks;
  // DNS servers ("127.0.0.1:5353"); empty: the system resolver.
  std::string dns_servers;
  // The demo (a database marked demo, app/demo.h): every fetch connects to this loopback server
  // ("127.0.0.1:8081") whatever the URL's host and port (the request and its Host header are
  // the URL's), no DNS is asked, and no address but a loopback one is ever connected to.
  // Empty: the reported sites themselves are fetched.
  std::string confine_to;
  int dns_timeout_ms = 2000;
  std::vector<CheckProfile> profiles = default_profiles();
  static std::vector<CheckProfile> default_profiles();
};

struct CheckRequest {
  store::Id site = 0;
  std::string url;                    // http(s) URL, or a bare address (checked as http://ADDRESS/)
  std::string reference_fingerprint;  // the reported page; empty: not seen live yet
};

// What one round decided for one site, with every fetch made for it (one or two).
struct CheckVerdict {
  store::Id site = 0;
  store::CheckOutcome verdict = store::CheckOutcome::kUnknown;
  std::string reason;
  std::string fingerprint;  // of the deciding fetch (live: the page now served)
  std::vector<store::SiteCheck> fetches;
};

// True when `ip` is private, loopback, link-local, unspecified, CGNAT, multicast or reserved.
bool is_internal_address(const Ip& ip);

// The content fingerprint of an HTML or text body: a bottom-k sketch of word shingles of the
// visible text, without tokens containing digits. "" for a body with no visible words.
std::string content_fingerprint(std::string_view body);
// Resemblance of two fingerprints in [0, 1].
double fingerprint_similarity(const std::string& a, const std::string& b);
// The <title> of an HTML body, whitespace collapsed, at most 200 bytes.
std::string page_title(std::string_view body);
// A hosting default, parking or suspension page, or "not found" text served with 200.
bool looks_like_placeholder(std::string_view body);

// The verdict of one fetch (pure; `check()` uses it, tests call it directly).
struct FetchFacts {
  std::string error_kind;  // "" | resolve | refused | timeout | tls | blocked | other
  std::string error;
  int http_status = 0;
  std::string body;
};
std::pair<store::CheckOutcome, std::string> judge(const FetchFacts& f,
                                                  const std::string& reference_fingerprint);

// The verdict of a round for one site from the verdicts of its fetches (`judged`: verdict and
// reason per fetch, in the order of v.fetches): live when any fetch saw the page, else unknown when
// any could not tell, else blocked, else down; "unknown / not fetched" when there was no fetch.
// Sets v.verdict, v.reason and v.fingerprint (of the deciding fetch). Pure.
void combine_fetches(CheckVerdict& v,
                     const std::vector<std::pair<store::CheckOutcome, std::string>>& judged);

// Fetches sites as a visitor would (checker round: CheckRound in checker.cpp), bounded in time.
// Not thread-safe: one round at a time per Checker.
class Checker {
 public:
  explicit Checker(CheckerOptions options);
  ~Checker();
  Checker(const Checker&) = delete;
  Checker& operator=(const Checker&) = delete;

  // Checks every site; results in the order of `requests`. Bounded in time by the timeouts.
  std::vector<CheckVerdict> check(const std::vector<CheckRequest>& requests, Time now);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kz::coord
