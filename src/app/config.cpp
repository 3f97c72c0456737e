#include "app/config.h"

#include "core/tlp.h"

#include <toml.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "core/text.h"
#include "intake/mailbox.h"
#include "store/locator.h"
#include "triage/toml_util.h"

namespace kz::app {

namespace {

template <typename T>
T get(const toml::value& doc, const char* table, const char* key, T fallback) {
  if (!doc.contains(table)) return fallback;
  const auto& t = toml::find(doc, table);
  if (!t.is_table() || !t.contains(key)) return fallback;
  return toml::find<T>(t, key);
}

template <typename Loaded>
Status load_data(const std::string& path, std::shared_ptr<const Loaded>& into) {
  if (path.empty()) return {};
  auto text = intake::read_file(path);
  if (!text) return fail(Error::InvalidArgument(text.error().message, path));
  auto parsed = Loaded::parse(*text, path);
  if (!parsed) return fail(Error::InvalidArgument(parsed.error().message, parsed.error().context));
  into = *parsed;
  return {};
}

}  // namespace

// [notify], [smtp], [checker] and [coordination].
static Status load_coordination(const toml::value& doc, const std::string& path, Config& cfg) {
  auto& c = cfg.coordination;
  auto secs = [&](const char* table, const char* key, std::chrono::seconds fallback) {
    return std::chrono::seconds{get<int64_t>(doc, table, key, fallback.count())};
  };
  c.notice.tag_prefix = get<std::string>(doc, "notify", "tag_prefix", c.notice.tag_prefix);
  c.templates_dir = get<std::string>(doc, "notify", "templates", "");
  if (auto t = coord::TemplateSet::load(c.templates_dir); !t) {
    return fail(Error::InvalidArgument("notify.templates: " + t.error().to_string(), path));
  }
  for (const auto& t : get<std::vector<std::string>>(doc, "notify", "auto_approve", {}))
    c.auto_approve.insert(t);
  c.acknowledge = get<bool>(doc, "notify", "acknowledge", c.acknowledge);
  c.tell_reporters = get<bool>(doc, "notify", "tell_reporters", c.tell_reporters);
  c.identity.from_address = get<std::string>(doc, "notify", "from", c.identity.from_address);
  c.identity.from_name = get<std::string>(doc, "notify", "from_name", cfg.centre_name);
  c.identity.reply_to = get<std::string>(doc, "notify", "reply_to", "");
  c.identity.signing_key = get<std::string>(doc, "notify", "signing_key", "");
  c.identity.encrypt = get<bool>(doc, "notify", "encrypt", true);
  c.identity.message_id_domain =
      get<std::string>(doc, "notify", "message_id_domain",
                       c.identity.from_address.substr(c.identity.from_address.find('@') + 1));
  c.smtp.url = get<std::string>(doc, "smtp", "url", c.smtp.url);
  c.smtp.starttls = get<std::string>(doc, "smtp", "starttls", c.smtp.starttls);
  if (c.smtp.starttls != "off" && c.smtp.starttls != "try" && c.smtp.starttls != "required") {
    return fail(Error::InvalidArgument("smtp.starttls must be off, try or required", path));
  }
  c.smtp.username = get<std::string>(doc, "smtp", "username", "");
  c.smtp.password = get<std::string>(doc, "smtp", "password", "");
  if (const char* env = std::getenv("KIZUNA_SMTP_PASSWORD"); env && *env) c.smtp.password = env;
  c.smtp.ca_file = get<std::string>(doc, "smtp", "ca_file", "");
  c.smtp.verify_peer = get<bool>(doc, "smtp", "verify_peer", true);
  c.smtp.connect_timeout_ms =
      get<int64_t>(doc, "smtp", "connect_timeout_ms", c.smtp.connect_timeout_ms);
  c.smtp.timeout_ms = get<int64_t>(doc, "smtp", "timeout_ms", c.smtp.timeout_ms);
  c.max_attempts = static_cast<int>(get<int64_t>(doc, "smtp", "max_attempts", c.max_attempts));
  c.breaker_failures = std::max(
      0, static_cast<int>(get<int64_t>(doc, "smtp", "breaker_failures", c.breaker_failures)));
  c.reporter_mail_max_age_days =
      std::max(0, static_cast<int>(get<int64_t>(doc, "notify", "reporter_mail_max_age_days",
                                                c.reporter_mail_max_age_days)));
  c.reporter_mails_per_recipient_per_day = std::max(
      0, static_cast<int>(get<int64_t>(doc, "notify", "reporter_mails_per_recipient_per_day",
                                       c.reporter_mails_per_recipient_per_day)));
  c.reporter_mails_per_domain_per_day =
      std::max(0, static_cast<int>(get<int64_t>(doc, "notify", "reporter_mails_per_domain_per_day",
                                                c.reporter_mails_per_domain_per_day)));
  c.check_sites = get<bool>(doc, "checker", "enabled", c.check_sites);
  auto& k = c.checker;
  k.connect_timeout_ms = get<int64_t>(doc, "checker", "connect_timeout_ms", k.connect_timeout_ms);
  k.timeout_ms = get<int64_t>(doc, "checker", "timeout_ms", k.timeout_ms);
  k.max_redirects = get<int64_t>(doc, "checker", "max_redirects", k.max_redirects);
  k.body_cap = static_cast<size_t>(
      get<int64_t>(doc, "checker", "body_cap", static_cast<int64_t>(k.body_cap)));
  k.concurrency = static_cast<int>(get<int64_t>(doc, "checker", "concurrency", k.concurrency));
  k.dns_servers = get<std::string>(doc, "checker", "dns_servers", cfg.resolver.servers);
  for (const auto& n : get<std::vector<std::string>>(doc, "checker", "allowed_networks", {})) {
    auto cidr = Cidr::parse(n);
    if (!cidr)
      return fail(Error::InvalidArgument(
          "checker.allowed_networks: \"" + n + "\" is not an address or CIDR block", path));
    k.allowed_networks.push_back(*cidr);
  }
  // [worker]: how several workers on one PostgreSQL database share the work (store/jobs.h).
  c.lease = secs("worker", "lease_seconds", c.lease);
  if (c.lease < std::chrono::seconds(1))
    return fail(Error::InvalidArgument("worker.lease_seconds must be at least 1", path));
  const int64_t batch =
      get<int64_t>(doc, "worker", "claim_batch", static_cast<int64_t>(c.claim_batch));
  if (batch < 1) return fail(Error::InvalidArgument("worker.claim_batch must be at least 1", path));
  c.claim_batch = static_cast<size_t>(batch);
  c.check_interval = secs("coordination", "check_interval_seconds", c.check_interval);
  c.confirm_interval = secs("coordination", "confirm_interval_seconds", c.confirm_interval);
  c.downs_to_verify =
      static_cast<int>(get<int64_t>(doc, "coordination", "downs_to_verify", c.downs_to_verify));
  if (c.downs_to_verify < 1) c.downs_to_verify = 1;
  const auto schedule = get<std::vector<int64_t>>(doc, "coordination", "watch_hours", {});
  if (!schedule.empty()) {
    c.watch_schedule.clear();
    for (int64_t h : schedule) c.watch_schedule.push_back(std::chrono::hours(h));
  }
  c.close_when_verified =
      get<bool>(doc, "coordination", "close_when_verified", c.close_when_verified);
  c.remind_after_business_days = static_cast<int>(get<int64_t>(
      doc, "coordination", "remind_after_business_days", c.remind_after_business_days));
  c.escalate_after_business_days = static_cast<int>(get<int64_t>(
      doc, "coordination", "escalate_after_business_days", c.escalate_after_business_days));
  c.calendar_days = get<std::vector<std::string>>(doc, "coordination", "calendar", {});
  c.year_end_closure = get<bool>(doc, "coordination", "year_end_closure", true);
  coord::BusinessCalendar check = coord::BusinessCalendar::japan();
  if (auto err = check.configure(c.calendar_days))
    return fail(Error::InvalidArgument("coordination.calendar: " + *err, path));
  return {};
}

std::string Config::spill_dir() const {
  if (store::is_postgres_url(db)) return work_dir;
  return std::filesystem::absolute(db).parent_path().string();
}

std::string Config::crash_marks_dir() const {
  if (store::is_postgres_url(db)) return (std::filesystem::path(work_dir) / "crash-marks").string();
  return db + ".crash";
}

Result<Config> load_config(const std::string& explicit_path) {
  Config cfg;
  std::string path = explicit_path;
  if (path.empty()) {
    if (const char* env = std::getenv("KIZUNA_CONFIG"); env && *env) path = env;
  }
  if (path.empty()) {
    for (const char* candidate : {"kizuna.toml", "/etc/kizuna/kizuna.toml"}) {
      if (std::filesystem::exists(candidate)) {
        path = candidate;
        break;
      }
    }
  }
  if (path.empty()) return cfg;
  if (!std::filesystem::exists(path))
    return fail(Error::InvalidArgument("the configuration file does not exist", path));
  cfg.path = path;
  const auto text = intake::read_file(path);
  if (!text) return fail(Error::InvalidArgument(text.error().message, path));
  try {
    const toml::value doc = triage::parse_toml_text(*text, path);
    cfg.db = get<std::string>(doc, "store", "path", cfg.db);
    const auto url = get<std::string>(doc, "store", "url", "");
    if (!url.empty()) {
      if (doc.contains("store") && doc.at("store").contains("path"))
        return fail(Error::InvalidArgument(
            "[store] has both path (SQLite) and url (PostgreSQL): keep the one in use", path));
      if (!store::is_postgres_url(url))
        return fail(Error::InvalidArgument(
            "[store] url must be a PostgreSQL URL such as postgresql://kizuna@db.example/kizuna",
            path));
      cfg.db = url;
    }
    cfg.work_dir = get<std::string>(doc, "store", "work_dir", cfg.work_dir);
    cfg.centre_name = get<std::string>(doc, "centre", "name", cfg.centre_name);
    cfg.time_zone = get<std::string>(doc, "centre", "time_zone", cfg.time_zone);
    cfg.server_listen = get<std::string>(doc, "server", "listen", cfg.server_listen);
    for (const auto& n : get<std::vector<std::string>>(doc, "server", "trusted_proxies", {})) {
      auto c = Cidr::parse(n);
      if (!c)
        return fail(Error::InvalidArgument(
            "server.trusted_proxies: \"" + n + "\" is not an address or CIDR block", path));
      cfg.trusted_proxies.push_back(*c);
    }
    {
      auto& l = cfg.login;
      l.session_lifetime = std::chrono::minutes(
          60 * get<int64_t>(doc, "server", "session_hours", l.session_lifetime.count() / 60));
      l.session_idle = std::chrono::minutes(
          get<int64_t>(doc, "server", "session_idle_minutes", l.session_idle.count()));
      l.max_failures =
          static_cast<int>(get<int64_t>(doc, "server", "login_failures", l.max_failures));
      l.max_failures_per_address = static_cast<int>(
          get<int64_t>(doc, "server", "login_failures_per_address", l.max_failures_per_address));
      l.lockout = std::chrono::minutes(
          get<int64_t>(doc, "server", "login_lockout_minutes", l.lockout.count()));
      l.require_totp = get<bool>(doc, "server", "require_totp", l.require_totp);
      if (l.session_lifetime.count() <= 0 || l.session_idle.count() <= 0 || l.max_failures <= 0 ||
          l.max_failures_per_address <= 0 || l.lockout.count() < 0) {
        return fail(Error::InvalidArgument(
            "[server] session_hours, session_idle_minutes, login_failures and "
            "login_failures_per_address must be positive, "
            "login_lockout_minutes not negative",
            path));
      }
    }
    cfg.secure_cookies = get<bool>(doc, "server", "secure_cookies", cfg.secure_cookies);
    cfg.public_url = get<std::string>(doc, "server", "public_url", "");
    while (!cfg.public_url.empty() && cfg.public_url.back() == '/') cfg.public_url.pop_back();
    if (!cfg.public_url.empty() && !cfg.public_url.starts_with("https://") &&
        !cfg.public_url.starts_with("http://")) {
      return fail(Error::InvalidArgument(
          "[server] public_url must start with https:// (or http:// on loopback)", path));
    }
    {
      const int64_t per_hour =
          get<int64_t>(doc, "server", "submissions_per_hour", cfg.submissions_per_hour);
      const int64_t max_bytes = get<int64_t>(doc, "server", "max_submission_bytes",
                                             static_cast<int64_t>(cfg.max_submission_bytes));
      // The HTTP layer takes at most 32 MiB of body (server/http_server.h).
      if (per_hour < 1 || max_bytes < 1024 || max_bytes > 32 * 1024 * 1024) {
        return fail(Error::InvalidArgument(
            "[server] submissions_per_hour must be at least 1 and max_submission_bytes from 1024 "
            "to 33554432",
            path));
      }
      const int64_t link_days = get<int64_t>(doc, "server", "status_link_days", 180);
      if (link_days < 1) {
        return fail(Error::InvalidArgument("[server] status_link_days must be at least 1", path));
      }
      cfg.status_link_lifetime = std::chrono::days(link_days);
      cfg.search_scan_messages =
          get<int64_t>(doc, "server", "search_scan_messages", cfg.search_scan_messages);
      if (cfg.search_scan_messages < 1) {
        return fail(
            Error::InvalidArgument("[server] search_scan_messages must be at least 1", path));
      }
      cfg.submissions_per_hour = static_cast<int>(per_hour);
      cfg.max_submission_bytes = static_cast<size_t>(max_bytes);
    }
    {
      const std::string tlp = get<std::string>(doc, "centre", "default_tlp", cfg.default_tlp);
      auto level = parse_tlp(tlp);
      if (!level) {
        return fail(Error::InvalidArgument(
            "centre.default_tlp: \"" + tlp + "\" is not CLEAR, GREEN, AMBER, AMBER+STRICT or RED",
            path));
      }
      cfg.default_tlp = to_string(*level);
    }
    cfg.lang = get<std::string>(doc, "centre", "language", cfg.lang);
    cfg.triage.home_country =
        get<std::string>(doc, "centre", "home_country", cfg.triage.home_country);
    for (const auto& n : get<std::vector<std::string>>(doc, "centre", "home_networks", {})) {
      auto c = Cidr::parse(n);
      if (!c)
        return fail(Error::InvalidArgument(
            "centre.home_networks: \"" + n + "\" is not an address or CIDR block", path));
      cfg.triage.home_networks.push_back(*c);
    }
    cfg.mime.own_mx = get<std::vector<std::string>>(doc, "centre", "own_mx", {});
    cfg.resolve_hosts = get<bool>(doc, "resolver", "enabled", false);
    cfg.resolver.servers = get<std::string>(doc, "resolver", "servers", "");
    cfg.resolver.timeout_ms =
        static_cast<int>(get<int64_t>(doc, "resolver", "timeout_ms", cfg.resolver.timeout_ms));
    cfg.resolver.tries =
        static_cast<int>(get<int64_t>(doc, "resolver", "tries", cfg.resolver.tries));
    cfg.resolver.cache_ttl =
        std::chrono::seconds{get<int64_t>(doc, "resolver", "cache_seconds", 3600)};
    cfg.rdap.base_url = get<std::string>(doc, "rdap", "base_url", "");
    cfg.demo_web_server = get<std::string>(doc, "demo", "web_server", cfg.demo_web_server);
    cfg.rdap.connect_timeout_ms =
        get<int64_t>(doc, "rdap", "connect_timeout_ms", cfg.rdap.connect_timeout_ms);
    cfg.rdap.timeout_ms = get<int64_t>(doc, "rdap", "timeout_ms", cfg.rdap.timeout_ms);
    cfg.routing.foreign = get<std::string>(doc, "routing", "foreign", cfg.routing.foreign);
    if (cfg.routing.foreign != "copy" && cfg.routing.foreign != "instead" &&
        cfg.routing.foreign != "admin") {
      return fail(Error::InvalidArgument("routing.foreign must be copy, instead or admin", path));
    }
    cfg.gnupg_home = get<std::string>(doc, "gnupg", "home", "");
    cfg.mime.openpgp = get<bool>(doc, "gnupg", "enabled", true);
    auto& lim = cfg.mime.limits;
    lim.max_message_bytes = static_cast<size_t>(get<int64_t>(
        doc, "intake", "max_message_bytes", static_cast<int64_t>(lim.max_message_bytes)));
    lim.max_parts = static_cast<int>(get<int64_t>(doc, "intake", "max_parts", lim.max_parts));
    lim.max_json_bytes = static_cast<size_t>(
        get<int64_t>(doc, "intake", "max_json_bytes", static_cast<int64_t>(lim.max_json_bytes)));
    lim.max_raw_bytes = static_cast<size_t>(
        get<int64_t>(doc, "intake", "max_raw_bytes", static_cast<int64_t>(lim.max_raw_bytes)));
    lim.max_items_per_message = static_cast<size_t>(get<int64_t>(
        doc, "intake", "max_items_per_message", static_cast<int64_t>(lim.max_items_per_message)));
    lim.max_depth = static_cast<int>(get<int64_t>(doc, "intake", "max_depth", lim.max_depth));
    lim.max_zip_entries =
        static_cast<int>(get<int64_t>(doc, "intake", "max_zip_entries", lim.max_zip_entries));
    lim.max_unzipped_bytes = static_cast<size_t>(get<int64_t>(
        doc, "intake", "max_unzipped_bytes", static_cast<int64_t>(lim.max_unzipped_bytes)));
    lim.max_text_bytes = static_cast<size_t>(
        get<int64_t>(doc, "intake", "max_text_bytes", static_cast<int64_t>(lim.max_text_bytes)));
    cfg.intake.batch_size =
        static_cast<int>(get<int64_t>(doc, "intake", "batch_size", cfg.intake.batch_size));
    cfg.intake.prepare_threads = static_cast<int>(
        get<int64_t>(doc, "intake", "prepare_threads", cfg.intake.prepare_threads));
    cfg.ingest.search_text_bytes = static_cast<size_t>(
        std::max<int64_t>(0, get<int64_t>(doc, "intake", "search_text_bytes",
                                          static_cast<int64_t>(cfg.ingest.search_text_bytes))));
    cfg.ingest.merge_window =
        std::chrono::days{get<int64_t>(doc, "triage", "merge_window_days", 7)};
    cfg.comprehensive_scan_ports = static_cast<int>(
        get<int64_t>(doc, "stats", "comprehensive_scan_ports", cfg.comprehensive_scan_ports));
    if (auto s = load_coordination(doc, path, cfg); !s) return fail(s.error());
    if (auto s = load_data(get<std::string>(doc, "triage", "rules", ""), cfg.triage.rules); !s)
      return fail(s.error());
    if (auto s = load_data(get<std::string>(doc, "triage", "brands", ""), cfg.triage.brands); !s)
      return fail(s.error());
    if (auto s = load_data(get<std::string>(doc, "triage", "reporters", ""), cfg.triage.reporters);
        !s)
      return fail(s.error());
  } catch (const std::exception& e) {
    return fail(Error::InvalidArgument(std::string("bad configuration: ") + e.what(), path));
  }
  if (cfg.intake.batch_size < 1) cfg.intake.batch_size = 1;
  cfg.intake.prepare_threads = std::clamp(cfg.intake.prepare_threads, -1, 64);
  cfg.routing.home_country = cfg.triage.home_country;
  cfg.coordination.notice.centre = cfg.centre_name;
  cfg.coordination.notice.zone = TimeZone(cfg.time_zone);
  if (const char* crash = std::getenv("KIZUNA_CRASH_AT"); crash && *crash)
    cfg.coordination.crash_at = crash;
  if (cfg.time_zone != "UTC" && !std::filesystem::exists("/usr/share/zoneinfo/" + cfg.time_zone)) {
    return fail(Error::InvalidArgument("centre.time_zone \"" + cfg.time_zone +
                                           "\" is not a known IANA zone (e.g. Asia/Tokyo, UTC)",
                                       path));
  }
  return cfg;
}

}  // namespace kz::app
