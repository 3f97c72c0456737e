// DNS through c-ares against a real dnsmasq started on 127.0.0.1 (never the system resolver).
#include "enrich/resolver.h"

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

namespace kz::enrich {

namespace {

// dnsmasq answering from a hosts file only, on a free loopback port; killed at the end.
class Dnsmasq {
 public:
  Dnsmasq() {
    const auto dir =
        std::filesystem::temp_directory_path() / ("kz_dns_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    hosts_ = (dir / "hosts").string();
    std::ofstream(hosts_) << "198.51.100.45 phish.example.test\n"
                          << "198.51.100.46 multi.example.test\n198.51.100.47 multi.example.test\n"
                          << "2001:db8::46 multi.example.test\n";
    port_ = 20000 + (::getpid() % 20000);
    pid_ = fork();
    if (pid_ == 0) {
      const std::string port = "--port=" + std::to_string(port_);
      const std::string hosts = "--addn-hosts=" + hosts_;
      // /usr/sbin is not on every PATH.
      for (const char* bin : {"/usr/sbin/dnsmasq", "/usr/bin/dnsmasq", "dnsmasq"}) {
        execlp(bin, "dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts", "--no-daemon",
               "--listen-address=127.0.0.1", "--bind-interfaces", port.c_str(), hosts.c_str(),
               "--log-facility=-", "--user=root", "--pid-file", "--local=/example.test/",
               static_cast<char*>(nullptr));
      }
      _exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  ~Dnsmasq() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  bool running() const {
    int status = 0;
    return pid_ > 0 && waitpid(pid_, &status, WNOHANG) == 0;
  }
  std::string server() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  std::string hosts_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace

TEST(Resolver, ResolvesAandAaaaAndRecordsWhatDoesNotResolve) {
  Dnsmasq dns;
  if (!dns.running()) GTEST_SKIP() << "dnsmasq could not start (is dnsmasq-base installed?)";
  ResolverOptions opt;
  opt.servers = dns.server();
  opt.timeout_ms = 500;
  opt.tries = 2;
  auto r = Resolver::create(opt);
  ASSERT_TRUE(r) << r.error().to_string();
  // Wait (bounded) until dnsmasq answers, with a throw-away resolver so nothing is cached.
  for (int i = 0; i < 20; ++i) {
    auto probe = Resolver::create(opt);
    if ((*probe)->resolve({"phish.example.test"})["phish.example.test"].resolved()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
  }
  const auto start = std::chrono::steady_clock::now();
  auto res = (*r)->resolve({"phish.example.test", "multi.example.test", "gone.example.test"});
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(res.size(), 3u);
  ASSERT_TRUE(res["phish.example.test"].resolved()) << res["phish.example.test"].error;
  EXPECT_EQ(res["phish.example.test"].addresses[0].to_string(), "198.51.100.45");
  ASSERT_EQ(res["multi.example.test"].addresses.size(), 3u);
  EXPECT_EQ(res["multi.example.test"].addresses[2].to_string(), "2001:db8::46");
  EXPECT_FALSE(res["gone.example.test"].resolved());
  EXPECT_NE(res["gone.example.test"].error.find("does not resolve"), std::string::npos)
      << res["gone.example.test"].error;
  EXPECT_LT(took, std::chrono::seconds(3));
}

TEST(Resolver, TimesOutWhenNobodyAnswersAndCaches) {
  ResolverOptions opt;
  opt.servers = "127.0.0.1:9";  // discard port: nothing answers DNS there
  opt.timeout_ms = 200;
  opt.tries = 1;
  auto r = Resolver::create(opt);
  ASSERT_TRUE(r);
  const auto start = std::chrono::steady_clock::now();
  auto res = (*r)->resolve({"any.example.test"});
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3)) << "bounded in time";
  EXPECT_FALSE(res["any.example.test"].resolved());
  EXPECT_FALSE(res["any.example.test"].error.empty());
  EXPECT_FALSE(Resolver::create({"not a server list", 100, 1, std::chrono::seconds(1)}));
}

}  // namespace kz::enrich
