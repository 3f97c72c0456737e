// The demo confinement. The demo database holds realistic quarters: real-looking
// domains, public addresses, reporters at real providers. It carries a stored flag (the "demo"
// setting, `kizuna demo enable`), and with it nothing Kizuna does can reach the world:
//   - mail goes only to an SMTP sink on this machine ([smtp] url on a loopback address or
//     `localhost`); the worker refuses to start with any other relay, and the coordinator refuses
//     to send (a second line of defence);
//   - every reported site is fetched from one loopback test server ([demo] web_server), never from
//     the site itself, and no other address is connected to;
//   - no DNS query ([resolver]) and no live RDAP look-up ([rdap] base_url) is made.
// What was turned off is said (DemoConfinement::notes), so a user sees why.
#pragma once

#include <string>
#include <vector>

#include "app/config.h"
#include "core/result.h"
#include "core/time.h"
#include "store/database.h"

namespace kz::app {

// Whether `store` is a demo database.
Result<bool> is_demo(store::SettingStore& store);
// Marks `store` as a demo database (a "demo.enabled" event records who and when).
Status mark_demo(store::Database& store, const std::string& actor, Time now);

struct DemoConfinement {
  // The relay is not on this machine: nothing may be sent (why, with what to do); empty when it is.
  std::string smtp_refused;
  std::vector<std::string> notes;  // what was turned off, for a person
};

// Confines `cfg` for a demo database, in place. Never fails: what the configuration asks of the
// outside world is turned off and said.
DemoConfinement confine_to_demo(Config& cfg);

// Is the host of an smtp:// or smtps:// URL this machine (127.0.0.0/8, ::1, localhost)?
bool smtp_url_is_loopback(const std::string& url);

}  // namespace kz::app
