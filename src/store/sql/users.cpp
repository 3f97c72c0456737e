// UserStore over the SQL layer.
#include "store/users.h"
#include "store/sql/connection.h"
#include "store/sql/repositories.h"

namespace kz::store::sql {

namespace {

constexpr const char* kUserColumns =
    "id,name,role,password_hash,disabled,created_at,failed_logins,last_failed_login,totp_secret,"
    "totp_last_step";
constexpr const char* kTokenColumns =
    "id,user_id,label,token_hash,scopes,created_at,expires_at,revoked_at,last_used_at";

UserRecord read_user(const Row& r) {
  return {r.int64(0), r.text(1),  r.text(2),     r.text(3), r.boolean(4),
          r.time(5),  r.int64(6), r.opt_time(7), r.text(8), r.int64(9)};
}

TokenRecord read_token(const Row& r) {
  return {r.int64(0), r.int64(1),    r.text(2),     r.text(3),    r.text(4),
          r.time(5),  r.opt_time(6), r.opt_time(7), r.opt_time(8)};
}

constexpr const char* kSessionColumns =
    "id,user_id,token_hash,created_at,expires_at,last_seen_at,ended_at,client";

SessionRecord read_session(const Row& r) {
  return {r.int64(0), r.int64(1), r.text(2),     r.time(3),
          r.time(4),  r.time(5),  r.opt_time(6), r.text(7)};
}

std::string select_users(const char* where) {
  return std::string("SELECT ") + kUserColumns + " FROM users " + where;
}

std::string select_tokens(const char* where) {
  return std::string("SELECT ") + kTokenColumns + " FROM api_tokens " + where;
}

class SqlUserStore final : public UserStore {
 public:
  explicit SqlUserStore(Connection& c) : c_(c) {}

  Result<Id> add_user(const UserRecord& u) override {
    auto taken = user_by_name(u.name);
    if (!taken) return fail(taken.error());
    if (*taken) return fail(Error::InvalidArgument("a user with this name exists", u.name));
    return c_.insert_returning_id(
        "INSERT INTO users(name,role,password_hash,disabled,created_at) VALUES(?1,?2,?3,?4,?5) "
        "RETURNING id",
        u.name, u.role, u.password_hash, u.disabled, u.created_at);
  }

  Result<std::optional<UserRecord>> user_by_name(const std::string& name) override {
    static const std::string sql = select_users("WHERE name=?1");
    return c_.query_one(sql, read_user, name);
  }

  Result<std::optional<UserRecord>> user_by_id(Id id) override {
    static const std::string sql = select_users("WHERE id=?1");
    return c_.query_one(sql, read_user, id);
  }

  Result<std::vector<UserRecord>> users() override {
    static const std::string sql = select_users("ORDER BY name");
    return c_.query(sql, read_user);
  }

  Status set_password_hash(Id user, const std::string& hash) override {
    return c_.exec("UPDATE users SET password_hash=?2 WHERE id=?1", user, hash);
  }

  Status set_disabled(Id user, bool disabled) override {
    return c_.exec("UPDATE users SET disabled=?2 WHERE id=?1", user, disabled);
  }

  Result<int64_t> count_users() override {
    auto n = c_.query_int("SELECT count(*) FROM users");
    if (!n) return fail(n.error());
    return n->value_or(0);
  }

  Result<Id> add_token(const TokenRecord& t) override {
    return c_.insert_returning_id(
        "INSERT INTO api_tokens(user_id,label,token_hash,scopes,created_at,expires_at) "
        "VALUES(?1,?2,?3,?4,?5,?6) RETURNING id",
        t.user, t.label, t.token_hash, t.scopes, t.created_at, t.expires_at);
  }

  Result<std::optional<TokenRecord>> token_by_hash(const std::string& token_hash) override {
    static const std::string sql = select_tokens("WHERE token_hash=?1");
    return c_.query_one(sql, read_token, token_hash);
  }

  Result<std::vector<TokenRecord>> tokens_of(Id user) override {
    static const std::string sql = select_tokens("WHERE user_id=?1 ORDER BY id");
    return c_.query(sql, read_token, user);
  }

  Status revoke_token(Id user, Id token, Time at) override {
    auto found = c_.query_int("SELECT id FROM api_tokens WHERE id=?1 AND user_id=?2", token, user);
    if (!found) return fail(found.error());
    if (!*found) return fail(Error::NotFound("no such token of this user", std::to_string(token)));
    return c_.exec("UPDATE api_tokens SET revoked_at=?2 WHERE id=?1 AND revoked_at IS NULL", token,
                   at);
  }

  Status token_used(Id token, Time at) override {
    return c_.exec("UPDATE api_tokens SET last_used_at=?2 WHERE id=?1", token, at);
  }

  Result<int64_t> login_failed(Id user, Time at) override {
    if (auto s = c_.exec(
            "UPDATE users SET failed_logins=failed_logins+1, last_failed_login=?2 WHERE id=?1",
            user, at);
        !s)
      return fail(s.error());
    auto n = c_.query_int("SELECT failed_logins FROM users WHERE id=?1", user);
    if (!n) return fail(n.error());
    return n->value_or(0);
  }

  Status login_succeeded(Id user) override {
    return c_.exec(
        "UPDATE users SET failed_logins=0, last_failed_login=NULL WHERE id=?1 AND failed_logins<>0",
        user);
  }

  Status set_totp_secret(Id user, const std::string& secret) override {
    return c_.exec("UPDATE users SET totp_secret=?2, totp_last_step=0 WHERE id=?1", user, secret);
  }

  Result<bool> use_totp_step(Id user, int64_t step) override {
    // One statement: two logins racing with the same code cannot both win.
    auto n = c_.query_int(
        "UPDATE users SET totp_last_step=?2 WHERE id=?1 AND totp_last_step<?2 RETURNING id", user,
        step);
    if (!n) return fail(n.error());
    return n->has_value();
  }

  Result<Id> add_session(const SessionRecord& s) override {
    return c_.insert_returning_id(
        "INSERT INTO sessions(user_id,token_hash,created_at,expires_at,last_seen_at,client) "
        "VALUES(?1,?2,?3,?4,?5,?6) RETURNING id",
        s.user, s.token_hash, s.created_at, s.expires_at, s.last_seen_at, s.client);
  }

  Result<std::optional<SessionRecord>> session_by_hash(const std::string& token_hash) override {
    static const std::string sql =
        std::string("SELECT ") + kSessionColumns + " FROM sessions WHERE token_hash=?1";
    return c_.query_one(sql, read_session, token_hash);
  }

  Status session_seen(Id session, Time at) override {
    return c_.exec("UPDATE sessions SET last_seen_at=?2 WHERE id=?1", session, at);
  }

  Status end_session(Id session, Time at) override {
    return c_.exec("UPDATE sessions SET ended_at=?2 WHERE id=?1 AND ended_at IS NULL", session, at);
  }

  Status end_sessions_of(Id user, Time at) override {
    return c_.exec("UPDATE sessions SET ended_at=?2 WHERE user_id=?1 AND ended_at IS NULL", user,
                   at);
  }

 private:
  Connection& c_;
};

}  // namespace

std::unique_ptr<UserStore> make_user_store(Connection& c) {
  return std::make_unique<SqlUserStore>(c);
}

}  // namespace kz::store::sql
