// The people and tools who use the server: users with a role, and API tokens that act for a
// user within scopes. Tokens are stored as their SHA-256 only (the caller hashes); passwords as
// the caller's hash string (app/ uses argon2id). This store keeps rows; what a role or a scope
// may do is decided by app/ and server/.
//
// Errors, for every method: as MessageStore (messages.h); methods name further errors of their
// own. Thread-safety: as the Database it comes from.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/common.h"

namespace kz::store {

struct UserRecord {
  Id id = 0;
  std::string name;
  std::string role;           // admin | handler | analyst
  std::string password_hash;  // '' when none is set
  bool disabled = false;
  Time created_at{};
  int64_t failed_logins = 0;  // since the last successful login
  std::optional<Time> last_failed_login;
  std::string totp_secret;     // base32; '' when the user has no second factor
  int64_t totp_last_step = 0;  // the last TOTP time step accepted (no replay)
};

struct TokenRecord {
  Id id = 0;
  Id user = 0;
  std::string label;
  std::string token_hash;  // hex SHA-256 of the token
  std::string scopes;      // space-separated
  Time created_at{};
  std::optional<Time> expires_at;
  std::optional<Time> revoked_at;
  std::optional<Time> last_used_at;
};

// A login in a browser. The cookie's value is never stored: only its SHA-256.
struct SessionRecord {
  Id id = 0;
  Id user = 0;
  std::string token_hash;
  Time created_at{};
  Time expires_at{};
  Time last_seen_at{};
  std::optional<Time> ended_at;
  std::string client;  // the address it was made from
};

class UserStore {
 public:
  virtual ~UserStore() = default;

  // A new user. kInvalidArgument when the name is taken.
  virtual Result<Id> add_user(const UserRecord& u) = 0;
  // nullopt when there is no such user.
  virtual Result<std::optional<UserRecord>> user_by_name(const std::string& name) = 0;
  virtual Result<std::optional<UserRecord>> user_by_id(Id id) = 0;
  virtual Result<std::vector<UserRecord>> users() = 0;
  virtual Status set_password_hash(Id user, const std::string& hash) = 0;
  virtual Status set_disabled(Id user, bool disabled) = 0;
  virtual Result<int64_t> count_users() = 0;

  virtual Result<Id> add_token(const TokenRecord& t) = 0;
  // The token with this hash, revoked or not; nullopt when there is none.
  virtual Result<std::optional<TokenRecord>> token_by_hash(const std::string& token_hash) = 0;
  virtual Result<std::vector<TokenRecord>> tokens_of(Id user) = 0;
  // kNotFound when `user` has no such token.
  virtual Status revoke_token(Id user, Id token, Time at) = 0;
  virtual Status token_used(Id token, Time at) = 0;

  // Failed logins of an account: one more at `at` (returns the count since the last success),
  // or back to none.
  virtual Result<int64_t> login_failed(Id user, Time at) = 0;
  virtual Status login_succeeded(Id user) = 0;
  virtual Status set_totp_secret(Id user, const std::string& secret) = 0;
  // Records `step` as used when it is later than the last one used; false when it is not (a
  // replayed code).
  virtual Result<bool> use_totp_step(Id user, int64_t step) = 0;

  virtual Result<Id> add_session(const SessionRecord& s) = 0;
  // The session with this hash, ended or not; nullopt when there is none.
  virtual Result<std::optional<SessionRecord>> session_by_hash(const std::string& token_hash) = 0;
  virtual Status session_seen(Id session, Time at) = 0;
  virtual Status end_session(Id session, Time at) = 0;
  // Ends every session of `user` still going (a password changed, the user disabled).
  virtual Status end_sessions_of(Id user, Time at) = 0;
};

}  // namespace kz::store
