#include "coord/checker.h"

#include <gtest/gtest.h>

namespace kz::store {
// The verdicts read as their text in the expectations below.
bool operator==(CheckOutcome o, const char* text) { return to_string(o) == text; }
}  // namespace kz::store

namespace kz::coord {

namespace {

const char* kPhish =
    "<html><head><title>  Example Bank\n Login </title><script>var t=1;</script></head><body>"
    "<h1>Welcome to Example Bank online banking</h1><form>Please enter your user ID and password "
    "to continue."
    " Your account will be suspended unless you verify your details today.</form>"
    "<!-- build 8f3a9c --></body></html>";

std::string with_nonce(const std::string& page, const std::string& nonce) {
  return page + "<p>session " + nonce + " token a9f8e7d6c5b4</p>";
}

}  // namespace

TEST(Checker, TheSamePageWithAChangingNonceIsTheSamePage) {
  const std::string a = content_fingerprint(with_nonce(kPhish, "1a2b3c4d"));
  const std::string b = content_fingerprint(with_nonce(kPhish, "9z8y7x6w5"));
  EXPECT_FALSE(a.empty());
  EXPECT_GE(fingerprint_similarity(a, b), 0.9);
  EXPECT_EQ(judge({"", "", 200, with_nonce(kPhish, "77aa")}, a).first, "live");
}

TEST(Checker, TheDownRule) {
  const std::string ref = content_fingerprint(kPhish);
  EXPECT_EQ(judge({"resolve", "NXDOMAIN", 0, ""}, ref),
            std::make_pair(store::CheckOutcome::kDown, std::string("name does not resolve")));
  EXPECT_EQ(judge({"refused", "", 0, ""}, ref).first, "down");
  EXPECT_EQ(judge({"", "", 404, "Not Found"}, ref).first, "down");
  EXPECT_EQ(judge({"", "", 410, ""}, ref).first, "down");
  EXPECT_EQ(judge({"", "", 200, ""}, ref).second, "empty page");
  EXPECT_EQ(
      judge(
          {"", "", 200,
           "<html><body><h1>Account Suspended</h1>This account has been suspended.</body></html>"},
          ref)
          .first,
      "down");
  EXPECT_EQ(judge({"", "", 200,
                   "<html><title>Welcome to nginx!</title><body>Welcome to nginx!</body></html>"},
                  ref)
                .first,
            "down");
  EXPECT_EQ(
      judge({"", "", 200, "<html><body>このアカウントは停止されています</body></html>"}, ref).first,
      "down");
  const auto other =
      judge({"", "", 200,
             "<html><body>A small bakery in Osaka: bread, cakes and coffee every morning "
             "from seven, closed on Mondays. Come and see our seasonal specials.</body></html>"},
            ref);
  EXPECT_EQ(other.first, "down") << "another site now: no longer the reported page";
  EXPECT_NE(other.second.find("no longer the reported page"), std::string::npos);
  // Neither down nor live: they do not count.
  EXPECT_EQ(judge({"timeout", "30 s", 0, ""}, ref).first, "unknown");
  EXPECT_EQ(judge({"", "", 503, "busy"}, ref).first, "unknown");
  EXPECT_EQ(judge({"blocked", "loopback", 0, ""}, ref).first, "blocked");
  // Nothing recorded yet: a page is live and becomes the reference.
  EXPECT_EQ(judge({"", "", 200, kPhish}, "").first, "live");
}

TEST(Checker, TitleAndInternalAddresses) {
  EXPECT_EQ(page_title(kPhish), "Example Bank Login");
  for (const char* a : {"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                        "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "0.0.0.0", "100.64.0.1",
                        // NAT64 (newcomer write-up): the gateway would connect to 127.0.0.1,
                        // 10.0.0.1; the local-use prefix maps to the local network.
                        "64:ff9b::7f00:1", "64:ff9b::a00:1", "64:ff9b:1::cb00:7105"}) {
    EXPECT_TRUE(is_internal_address(*Ip::parse(a))) << a;
  }
  for (const char* a :
       {"203.0.113.5", "8.8.8.8", "2001:db8::1", "::ffff:198.51.100.1", "64:ff9b::808:808"}) {
    EXPECT_FALSE(is_internal_address(*Ip::parse(a))) << a;
  }
}

TEST(Checker, RefusesInternalAddressesWithoutFetching) {
  CheckerOptions o;
  o.connect_timeout_ms = 500;
  o.timeout_ms = 1000;
  Checker checker(o);
  const auto v = checker.check({{1, "http://127.0.0.1:9/x", ""},
                                {2, "http://169.254.169.254/latest/meta-data/", ""},
                                {3, "http://[::1]:9/", ""}},
                               Time{});
  ASSERT_EQ(v.size(), 3u);
  for (const auto& r : v) {
    EXPECT_EQ(to_string(r.verdict), "blocked") << r.reason;
    EXPECT_NE(r.reason.find("not fetched"), std::string::npos);
  }
}

}  // namespace kz::coord

namespace kz::coord {
namespace {

CheckVerdict with_fetches(std::initializer_list<const char*> fingerprints) {
  CheckVerdict v;
  for (const char* fp : fingerprints) {
    store::SiteCheck c;
    c.fingerprint = fp;
    v.fetches.push_back(c);
  }
  return v;
}

TEST(CombineFetches, OneVisitorSeeingThePageMakesItLive) {
  // The first profile got a suspension page, the second the phishing page: it is still up.
  CheckVerdict v = with_fetches({"", "fp-live"});
  combine_fetches(v, {{store::CheckOutcome::kDown, "default, parking or suspension page"},
                      {store::CheckOutcome::kLive, "page served"}});
  EXPECT_EQ(to_string(v.verdict), "live");
  EXPECT_EQ(v.reason, "page served");
  EXPECT_EQ(v.fingerprint, "fp-live") << "the fingerprint of the fetch that decided";
}

TEST(CombineFetches, DownOnlyWhenEveryFetchSaysSo) {
  CheckVerdict down = with_fetches({"", ""});
  combine_fetches(
      down, {{store::CheckOutcome::kDown, "HTTP 404"}, {store::CheckOutcome::kDown, "HTTP 410"}});
  EXPECT_EQ(to_string(down.verdict), "down");
  EXPECT_EQ(down.reason, "HTTP 404");
  CheckVerdict unsure = with_fetches({"", ""});
  combine_fetches(unsure, {{store::CheckOutcome::kDown, "HTTP 404"},
                           {store::CheckOutcome::kUnknown, "timeout: no answer"}});
  EXPECT_EQ(to_string(unsure.verdict), "unknown")
      << "a fetch that could not tell outweighs a down one";
  CheckVerdict blocked = with_fetches({"", ""});
  combine_fetches(blocked, {{store::CheckOutcome::kDown, "HTTP 404"},
                            {store::CheckOutcome::kBlocked, "address 10.0.0.1 is private"}});
  EXPECT_EQ(to_string(blocked.verdict), "blocked");
}

TEST(CombineFetches, NothingFetchedIsUnknown) {
  CheckVerdict v;
  combine_fetches(v, {});
  EXPECT_EQ(to_string(v.verdict), "unknown");
  EXPECT_EQ(v.reason, "not fetched");
}

}  // namespace
}  // namespace kz::coord
