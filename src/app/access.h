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

  bool has_scope(std::string_view s) const { return scopes.count(std::string(s)) > 0; }
  // How the event log names it: "user:<name>".
  std::string actor() const { return "user:" + name; }
};

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

// The principal of a presented token. kDenied when it is unknown, revoked, expired or its user
// disabled: the message never says which.
Result<Principal> authenticate_token(store::Database& db, Time now, std::string_view token);
// The principal of a user name and password (a login), under the same rule.
Result<Principal> authenticate_password(store::Database& db, const std::string& name,
                                        const std::string& password);

}  // namespace kz::app
