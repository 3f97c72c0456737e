#include "app/demo.h"

#include "core/ip.h"
#include "core/json_out.h"
#include "core/text.h"

namespace kz::app {

Result<bool> is_demo(store::SettingStore& store) {
  auto v = store.setting("demo");
  if (!v) return fail(v.error());
  return v->has_value();
}

Status mark_demo(store::Database& store, const std::string& actor, Time now) {
  return store::in_transaction(store, [&]() -> Status {
    if (auto s = store.settings().set_setting("demo", format_utc(now)); !s) return s;
    return store.events().append_event(
        {now, actor, "demo.enabled", "database",
         JsonOut().field("note", "mail, checks, DNS and RDAP stay on this machine").done()});
  });
}

bool smtp_url_is_loopback(const std::string& url) {
  // smtp://[user@]host[:port][/...]: Url::parse takes web URLs only.
  std::string_view rest(url);
  const size_t scheme = rest.find("://");
  if (scheme == std::string_view::npos) return false;
  rest.remove_prefix(scheme + 3);
  rest = rest.substr(0, rest.find('/'));
  if (const size_t at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
  std::string_view host = rest;
  if (host.starts_with('[')) {
    host = host.substr(1, host.find(']') == std::string_view::npos ? 0 : host.find(']') - 1);
  } else {
    host = host.substr(0, host.find(':'));
  }
  if (iequals(host, "localhost")) return true;
  auto ip = Ip::parse(host);
  if (!ip) return false;
  static const Cidr v4 = *Cidr::parse("127.0.0.0/8");
  static const Cidr v6 = *Cidr::parse("::1/128");
  return v4.contains(*ip) || v6.contains(*ip);
}

DemoConfinement confine_to_demo(Config& cfg) {
  DemoConfinement out;
  auto& coord = cfg.coordination;
  if (!smtp_url_is_loopback(coord.smtp.url)) {
    out.smtp_refused =
        "this is a demo database: mail goes only to an SMTP sink on this machine, and "
        "[smtp] url = \"" +
        coord.smtp.url + "\" is not one (./dev run starts a sink on 127.0.0.1:2525)";
  }
  coord.smtp_refused = out.smtp_refused;
  if (coord.check_sites) {
    if (cfg.demo_web_server.empty()) {
      coord.check_sites = false;
      out.notes.push_back("demo: sites are not checked ([demo] web_server is empty)");
    } else {
      coord.checker.confine_to = cfg.demo_web_server;
      out.notes.push_back("demo: every site is fetched from the test server " +
                          cfg.demo_web_server);
    }
  }
  if (cfg.resolve_hosts) {
    cfg.resolve_hosts = false;
    out.notes.push_back("demo: no DNS query leaves this machine ([resolver] is off)");
  }
  coord.checker.dns_servers.clear();
  if (!cfg.rdap.base_url.empty()) {
    cfg.rdap.base_url.clear();
    out.notes.push_back("demo: no live RDAP look-up ([rdap] base_url is off)");
  }
  return out;
}

}  // namespace kz::app
