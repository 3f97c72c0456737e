#include "cli/config.h"

#include <toml.hpp>

#include <cstdlib>
#include <filesystem>

#include "core/text.h"
#include "intake/mailbox.h"

namespace kz::cli {

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
  if (!std::filesystem::exists(path)) return fail(Error::InvalidArgument("the configuration file does not exist", path));
  cfg.path = path;
  try {
    const toml::value doc = toml::parse(path);
    cfg.db = get<std::string>(doc, "store", "path", cfg.db);
    cfg.centre_name = get<std::string>(doc, "centre", "name", cfg.centre_name);
    cfg.time_zone = get<std::string>(doc, "centre", "time_zone", cfg.time_zone);
    cfg.lang = get<std::string>(doc, "centre", "language", cfg.lang);
    cfg.triage.home_country = get<std::string>(doc, "centre", "home_country", cfg.triage.home_country);
    for (const auto& n : get<std::vector<std::string>>(doc, "centre", "home_networks", {})) {
      auto c = Cidr::parse(n);
      if (!c) return fail(Error::InvalidArgument("centre.home_networks: \"" + n + "\" is not an address or CIDR block", path));
      cfg.triage.home_networks.push_back(*c);
    }
    cfg.mime.own_mx = get<std::vector<std::string>>(doc, "centre", "own_mx", {});
    cfg.resolve_hosts = get<bool>(doc, "resolver", "enabled", false);
    cfg.resolver.servers = get<std::string>(doc, "resolver", "servers", "");
    cfg.resolver.timeout_ms = static_cast<int>(get<int64_t>(doc, "resolver", "timeout_ms", cfg.resolver.timeout_ms));
    cfg.resolver.tries = static_cast<int>(get<int64_t>(doc, "resolver", "tries", cfg.resolver.tries));
    cfg.resolver.cache_ttl = std::chrono::seconds{get<int64_t>(doc, "resolver", "cache_seconds", 3600)};
    cfg.rdap.base_url = get<std::string>(doc, "rdap", "base_url", "");
    cfg.rdap.connect_timeout_ms = get<int64_t>(doc, "rdap", "connect_timeout_ms", cfg.rdap.connect_timeout_ms);
    cfg.rdap.timeout_ms = get<int64_t>(doc, "rdap", "timeout_ms", cfg.rdap.timeout_ms);
    cfg.routing.foreign = get<std::string>(doc, "routing", "foreign", cfg.routing.foreign);
    if (cfg.routing.foreign != "copy" && cfg.routing.foreign != "instead" && cfg.routing.foreign != "admin") {
      return fail(Error::InvalidArgument("routing.foreign must be copy, instead or admin", path));
    }
    cfg.gnupg_home = get<std::string>(doc, "gnupg", "home", "");
    cfg.mime.openpgp = get<bool>(doc, "gnupg", "enabled", true);
    auto& lim = cfg.mime.limits;
    lim.max_message_bytes = static_cast<size_t>(get<int64_t>(doc, "intake", "max_message_bytes", static_cast<int64_t>(lim.max_message_bytes)));
    lim.max_parts = static_cast<int>(get<int64_t>(doc, "intake", "max_parts", lim.max_parts));
    lim.max_depth = static_cast<int>(get<int64_t>(doc, "intake", "max_depth", lim.max_depth));
    lim.max_zip_entries = static_cast<int>(get<int64_t>(doc, "intake", "max_zip_entries", lim.max_zip_entries));
    lim.max_unzipped_bytes = static_cast<size_t>(get<int64_t>(doc, "intake", "max_unzipped_bytes", static_cast<int64_t>(lim.max_unzipped_bytes)));
    lim.max_text_bytes = static_cast<size_t>(get<int64_t>(doc, "intake", "max_text_bytes", static_cast<int64_t>(lim.max_text_bytes)));
    cfg.batch_size = static_cast<int>(get<int64_t>(doc, "intake", "batch_size", cfg.batch_size));
    cfg.ingest.merge_window = std::chrono::days{get<int64_t>(doc, "triage", "merge_window_days", 7)};
    cfg.comprehensive_scan_ports = static_cast<int>(get<int64_t>(doc, "stats", "comprehensive_scan_ports", cfg.comprehensive_scan_ports));
    if (auto s = load_data(get<std::string>(doc, "triage", "rules", ""), cfg.triage.rules); !s) return fail(s.error());
    if (auto s = load_data(get<std::string>(doc, "triage", "brands", ""), cfg.triage.brands); !s) return fail(s.error());
    if (auto s = load_data(get<std::string>(doc, "triage", "reporters", ""), cfg.triage.reporters); !s) return fail(s.error());
  } catch (const std::exception& e) {
    return fail(Error::InvalidArgument(std::string("bad configuration: ") + e.what(), path));
  }
  if (cfg.batch_size < 1) cfg.batch_size = 1;
  cfg.routing.home_country = cfg.triage.home_country;
  if (cfg.time_zone != "UTC" && !std::filesystem::exists("/usr/share/zoneinfo/" + cfg.time_zone)) {
    return fail(Error::InvalidArgument("centre.time_zone \"" + cfg.time_zone +
                                           "\" is not a known IANA zone (e.g. Asia/Tokyo, UTC)",
                                       path));
  }
  return cfg;
}

}  // namespace kz::cli
