// Who may use the server, as use cases: users with a role, API tokens acting for a user within
// scopes, and checking a presented token or password. The command line (`kizuna user ...`) and
// the server call these; every change is written to the event log with the acting user.
//
// Secrets are never stored: a password as its argon2id hash (libsodium, interactive limits), a
// token as its SHA-256 (a token is 256 random bits, so a fast hash suffices and look-up by hash
// is exact). A new token is shown once, when it is made.
//
// Errors: kInvalidArgument for a bad name, role, scope or lifetime, or a user name taken;
// kNotFound for an unknown user or token; kDenied when authentication fails, with a message that
// never says which part was wrong; the store's errors otherwise. Thread-safety: as the Database
// passed in; the functions keep no state.
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "store/database.h"

namespace kz::app {

// What a user may do inside the centre: admin (everything, TLP:RED included), handler (work
// reports), analyst (read only).
enum class Role { kAdmin, kHandler, kAnalyst };
std::optional<Role> parse_role(std::string_view s);
const char* to_string(Role r);

// The scopes a token may carry: read, write, messages:submit, sensor:<id>. True when `s` is one.
bool valid_scope(std::string_view s);

// The user a request acts for, as a token or a login established it.
struct Principal {
  store::Id user = 0;
  std::string name;
  Role role = Role::kAnalyst;
  std::set<std::string> scopes;  // a token's scopes; a login session has read and write
  store::Id token = 0;           // 0: not a token
  store::Id session = 0;         // 0: not a login session
  // A login session's CSRF token: a request that changes anything must carry it (the server
  // checks). Empty for an API token, which a browser never sends by itself.
  std::string csrf;

  bool has_scope(std::string_view s) const { return scopes.count(std::string(s)) > 0; }
  // How the event log names it: "user:<name>".
  std::string actor() const { return "user:" + name; }

  static Principal of(store::Id user, std::string name, Role role, std::set<std::string> scopes,
                      store::Id token = 0) {
    Principal p;
    p.user = user;
    p.name = std::move(name);
    p.role = role;
    p.scopes = std::move(scopes);
    p.token = token;
    return p;
  }
};

// `prefix` and 256 random bits in hex (libsodium's random source): an API token, a session's
// cookie value, a setup or status link token. Thread-safe; throws only if libsodium cannot start.
std::string new_secret(std::string_view prefix);

// Adds a user; `password` may be empty (a token-only user, or one who sets it later).
Result<store::Id> add_user(store::Database& db, Time now, const std::string& name, Role role,
                           const std::string& password, const std::string& actor);
Status set_password(store::Database& db, Time now, const std::string& name,
                    const std::string& password, const std::string& actor);
Status disable_user(store::Database& db, Time now, const std::string& name,
                    const std::string& actor);

struct NewToken {
  store::Id id = 0;
  std::string token;  // "kzt_" and 64 hex digits: shown once, never stored
};
// A token for `name` with `scopes` (at least one), valid for `lifetime` (nullopt: until revoked).
Result<NewToken> create_token(store::Database& db, Time now, const std::string& name,
                              const std::vector<std::string>& scopes, const std::string& label,
                              std::optional<std::chrono::seconds> lifetime,
                              const std::string& actor);
Status revoke_token(store::Database& db, Time now, const std::string& name, store::Id token,
                    const std::string& actor);

// A user as `kizuna user list` and GET /api/v1/users show them: never a hash or a secret.
struct UserSummary {
  store::UserRecord user;
  int64_t live_tokens = 0;  // not revoked (expired ones included)
};
Result<std::vector<UserSummary>> list_users(store::Database& db);
// The name of user `id`; kNotFound when there is none.
Result<std::string> user_name(store::Database& db, store::Id id);

// The principal of a presented token. kDenied when it is unknown, revoked, expired or its user
// disabled: the message never says which.
Result<Principal> authenticate_token(store::Database& db, Time now, std::string_view token);
// The principal of a user name and password, under the same rule (no rate limit, no second
// factor: login() is what a person's login goes through).
Result<Principal> authenticate_password(store::Database& db, const std::string& name,
                                        const std::string& password);

// How logins work ([server] in kizuna.toml; docs/security.md says why these defaults).
struct LoginPolicy {
  std::chrono::minutes session_lifetime{12 * 60};  // a working day, then log in again
  std::chrono::minutes session_idle{60};           // unused this long: ended
  int max_failures = 5;                            // failed logins of an account before a pause
  std::chrono::minutes lockout{15};                // the pause, from the last failure
  int max_failures_per_address = 20;  // failed logins from one address per `lockout` window
  bool require_totp = false;          // admins and handlers without a second factor cannot log in
};

struct NewSession {
  std::string token;  // the cookie's value ("kzs_" and 64 hex digits): never stored
  std::string csrf;   // what requests that change anything must carry
  Principal principal;
  Time expires_at{};
};

// A person's login: name, password and, when the user has a second factor, the current TOTP
// code. kDenied when any is wrong (the message never says which), also for a disabled user;
// kLimited while the account pauses after policy.max_failures failures (nothing is checked then,
// so guessing goes no faster); kDenied asking for the code when it is missing; kDenied when the
// policy requires a second factor the user has not set up. Each failure and each success is in
// the event log, with `client`.
Result<NewSession> login(store::Database& db, Time now, const LoginPolicy& policy,
                         const std::string& name, const std::string& password,
                         const std::string& totp_code, const std::string& client);
// The principal of a session cookie's value: kDenied when it is unknown, ended, past its lifetime,
// idle too long, or its user disabled. Marks the session seen (at most once a minute).
Result<Principal> authenticate_session(store::Database& db, Time now, const LoginPolicy& policy,
                                       std::string_view token);
// Ends the session of `token`; an unknown or ended one is no error.
Status logout(store::Database& db, Time now, std::string_view token);
// The CSRF token of a session: derived from the cookie's value, so it is never stored.
std::string csrf_of(std::string_view session_token);

// The first admin of a new centre, through a link `kizuna serve` prints: while there are no users,
// setup_token() makes a one-time token valid for `lifetime` (each call replaces the last; nullopt
// once a user exists), and complete_setup() takes it once to add an admin and log them in.
// kDenied for a wrong, used or expired token, or when a user exists already.
Result<std::optional<std::string>> setup_token(store::Database& db, Time now,
                                               std::chrono::seconds lifetime);
Result<NewSession> complete_setup(store::Database& db, Time now, const LoginPolicy& policy,
                                  std::string_view token, const std::string& name,
                                  const std::string& password, const std::string& client);

// A second factor for `name`: a new TOTP secret (shown once, as an otpauth:// URI for an
// authenticator app); `remove` takes it away instead (returns ""). Ends the user's sessions.
Result<std::string> set_totp(store::Database& db, Time now, const std::string& issuer,
                             const std::string& name, bool remove, const std::string& actor);

}  // namespace kz::app
