// bench/verify: what one `kizuna worker` round costs at scale.
//
//   verify_bench check  --base URL --count N [--timeout-ms 5000] [--concurrency 256]
//       Checks URL/site/1 .. URL/site/N with kz::coord::Checker (127.0.0.1 allowed) and prints
//       JSON: wall seconds and the verdicts.
//   verify_bench notices --count N [--sign FPR] [--encrypt-to ADDRESS]
//       Plans N notices (one site each, distinct responders) from the shipped templates and
//       composes each as MIME, signed (and encrypted) through gpgme; prints JSON: notices/s.
//
// Run by run.py, which starts the local servers and GnuPG home, and writes docs/perf.md.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "coord/checker.h"
#include "coord/mail.h"
#include "coord/notices.h"

namespace {

using Clock = std::chrono::steady_clock;

std::map<std::string, std::string> flags(int argc, char** argv) {
  std::map<std::string, std::string> f;
  for (int i = 2; i + 1 < argc; i += 2) f[argv[i]] = argv[i + 1];
  return f;
}

int run_check(std::map<std::string, std::string> f) {
  const std::string base = f["--base"];
  const int count = std::atoi(f["--count"].c_str());
  kz::coord::CheckerOptions o;
  o.timeout_ms = f.count("--timeout-ms") ? std::atol(f["--timeout-ms"].c_str()) : 5000;
  o.connect_timeout_ms = o.timeout_ms;
  o.concurrency = f.count("--concurrency") ? std::atoi(f["--concurrency"].c_str()) : 256;
  o.allowed_networks.push_back(*kz::Cidr::parse("127.0.0.1/32"));
  std::vector<kz::coord::CheckRequest> reqs;
  for (int i = 1; i <= count; ++i) reqs.push_back({i, base + "/site/" + std::to_string(i), ""});
  kz::coord::Checker checker(o);
  const auto t0 = Clock::now();
  const auto verdicts = checker.check(reqs, kz::Time{});
  const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  std::map<std::string, int> by;
  for (const auto& v : verdicts) ++by[std::string(kz::store::to_string(v.verdict))];
  std::printf(
      "{\"urls\": %d, \"seconds\": %.3f, \"live\": %d, \"down\": %d, \"unknown\": %d, \"blocked\": "
      "%d}\n",
      count, secs, by["live"], by["down"], by["unknown"], by["blocked"]);
  return 0;
}

int run_notices(std::map<std::string, std::string> f) {
  const int count = std::atoi(f["--count"].c_str());
  kz::coord::NoticeOptions opt;
  opt.centre = "Bench CSIRT";
  std::vector<kz::store::NoticeCandidate> cands;
  const std::string encrypt_to = f["--encrypt-to"];
  for (int i = 0; i < count; ++i) {
    kz::store::NoticeCandidate c;
    c.site = i + 1;
    c.url = "http://phish" + std::to_string(i) + ".example.test/login.html";
    c.ip = "203.0.113." + std::to_string(i % 250 + 1);
    c.country = i % 2 ? "JP" : "US";
    c.cls.type = kz::IncidentType::kPhishing;
    const std::string to =
        encrypt_to.empty() ? "abuse" + std::to_string(i) + "@isp.example" : encrypt_to;
    c.route =
        "{\"to\":[\"" + to + "\"],\"reason\":\"bench\",\"org\":\"Org " + std::to_string(i) + "\"}";
    c.evidence = {"Apr 15 10:00:01 web sshd[1]: Failed password for root from " + c.ip};
    cands.push_back(c);
  }
  const auto templates = kz::coord::TemplateSet::builtin();
  const auto t0 = Clock::now();
  std::vector<kz::coord::PlannedNotice> plan;
  if (encrypt_to.empty()) {
    plan = kz::coord::plan_notices(cands, kz::store::NoticeKind::kNotice, templates, opt);
  } else {
    for (const auto& c :
         cands) {  // one responder, but one notice each (as many mails as the other runs)
      auto p = kz::coord::plan_notices({c}, kz::store::NoticeKind::kNotice, templates, opt);
      plan.insert(plan.end(), p.begin(), p.end());
    }
  }
  const double plan_secs = std::chrono::duration<double>(Clock::now() - t0).count();
  kz::coord::MailIdentity id;
  id.from_address = "centre@bench.example";
  id.signing_key = f["--sign"];
  id.encrypt = !encrypt_to.empty();
  size_t bytes = 0;
  int signed_n = 0, encrypted_n = 0;
  const auto t1 = Clock::now();
  for (size_t i = 0; i < plan.size(); ++i) {
    kz::store::NoticeRecord n;
    n.id = static_cast<kz::store::Id>(i + 1);
    n.to = plan[i].to;
    n.language = plan[i].language;
    n.subject = plan[i].subject;
    n.body = plan[i].body;
    n.tag = "[Kizuna#N" + std::to_string(i + 1) + "]";
    auto m = kz::coord::compose_mail(n, {}, id, kz::coord::new_message_id(n.id, "bench.example"),
                                     kz::Time{});
    if (!m) {
      std::fprintf(stderr, "verify_bench: %s\n", m.error().to_string().c_str());
      return 1;
    }
    bytes += m->bytes.size();
    signed_n += m->is_signed;
    encrypted_n += m->encrypted;
  }
  const double mail_secs = std::chrono::duration<double>(Clock::now() - t1).count();
  std::printf(
      "{\"notices\": %zu, \"plan_seconds\": %.4f, \"compose_seconds\": %.3f, \"per_second\": %.1f, "
      "\"signed\": %d, \"encrypted\": %d, \"bytes\": %zu}\n",
      plan.size(), plan_secs, mail_secs, plan.size() / (plan_secs + mail_secs), signed_n,
      encrypted_n, bytes);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "check") return run_check(flags(argc, argv));
  if (mode == "notices") return run_notices(flags(argc, argv));
  std::fprintf(stderr,
               "usage: verify_bench check --base URL --count N | notices --count N [--sign FPR]\n");
  return 2;
}
