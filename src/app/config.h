// kizuna.toml: one file for the whole program (docs/configuration.md lists every key with its
// default). Found through --config, KIZUNA_CONFIG, ./kizuna.toml, /etc/kizuna/kizuna.toml; a
// missing file means all defaults. Loaded data files (rules, brands, reporter directory) are
// read here so that a bad file is reported once, at start, with its name and line.
#pragma once

#include <optional>
#include <string>

#include "app/access.h"
#include "coord/coordinator.h"
#include "core/result.h"
#include "core/time.h"
#include "enrich/network_data.h"
#include "enrich/rdap_client.h"
#include "enrich/resolver.h"
#include "intake/mime.h"
#include "triage/assess.h"
#include "triage/ingest.h"
#include "triage/ingest_run.h"

namespace kz::app {

struct Config {
  // The folder where a message too large for memory is spilled while it is read.
  std::string spill_dir() const;
  // The folder of the crash marks (triage/crash_marks.h).
  std::string crash_marks_dir() const;

  std::string path;  // the file read, empty when none
  // The database: an SQLite path ([store] path) or a PostgreSQL URL ([store] url, or --db).
  std::string db = "var/kizuna.db";
  // [store] work_dir: this machine's files when the database is on a server (a very large
  // message spilled while it is read, crash marks). With SQLite they sit beside the database.
  std::string work_dir = "var";
  std::string centre_name = "Kizuna";
  std::string time_zone = "Asia/Tokyo";
  // [server] listen: where `kizuna serve` listens (behind a reverse proxy: docs/operations.md).
  std::string server_listen = "127.0.0.1:8080";
  // [server] trusted_proxies: the reverse proxies whose X-Forwarded-For is believed.
  std::vector<Cidr> trusted_proxies;
  // [server] session_hours, session_idle_minutes, login_failures, login_lockout_minutes,
  // require_totp: how people log in (app/access.h).
  LoginPolicy login;
  // [server] secure_cookies: the session cookie is sent over HTTPS only. Off only for a server
  // reached over plain HTTP on loopback (the demo).
  bool secure_cookies = true;
  // [server] submissions_per_hour, max_submission_bytes: the public report form's limits.
  int submissions_per_hour = 20;
  size_t max_submission_bytes = 4 * 1024 * 1024;
  // [server] public_url: how reporters reach this server (https://csirt.example.jp, no trailing
  // slash); set, acknowledgements carry the reporter's status link.
  std::string public_url;
  // [server] status_link_days: how long a reporter's status link works.
  std::chrono::seconds status_link_lifetime = std::chrono::days(180);
  // [server] search_scan_messages: the newest messages a search of 1 or 2 characters reads.
  int64_t search_scan_messages = 20000;
  // [centre] default_tlp: the marking of a report that has none (CLEAR ... RED).
  std::string default_tlp = "AMBER";
  std::string lang = "ja";
  std::string gnupg_home;
  triage::IngestRunOptions intake;  // [intake] batch_size, prepare_threads
  int comprehensive_scan_ports = 5;
  intake::MimeOptions mime;
  triage::TriageConfig triage;
  triage::IngestOptions ingest;
  enrich::RoutingPolicy routing;
  bool resolve_hosts = false;  // [resolver] enabled: host names in URLs are resolved
  enrich::ResolverOptions resolver;
  enrich::RdapClientOptions rdap;  // [rdap] base_url: live look-ups when set
  // [demo] web_server: on a demo database, every reported site is fetched from this loopback
  // server (app/demo.h).
  std::string demo_web_server = "127.0.0.1:8081";
  // [notify] [smtp] [checker] [coordination]: the coordination loop (docs/configuration.md).
  coord::CoordinationConfig coordination;
};

// `explicit_path`: --config (empty: search). kInvalidArgument for a bad or unreadable file.
Result<Config> load_config(const std::string& explicit_path);

}  // namespace kz::app
