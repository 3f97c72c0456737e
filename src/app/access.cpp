#include "app/access.h"

#include <sodium.h>

#include <charconv>
#include <stdexcept>

#include "core/json_out.h"
#include "core/sha256.h"
#include "core/text.h"
#include "core/totp.h"

namespace kz::app {

namespace {

constexpr std::string_view kTokenPrefix = "kzt_";
constexpr std::string_view kSessionPrefix = "kzs_";
constexpr std::string_view kSetupPrefix = "kzsetup_";
// The settings holding the setup token's hash and its end (seconds since the epoch).
constexpr const char* kSetupHash = "setup.token_sha256";
constexpr const char* kSetupExpires = "setup.expires_at";
// A session is marked seen at most this often: a write per request would cost every page.
constexpr std::chrono::seconds kSeenEvery{60};

// libsodium must be initialised once before use; sodium_init() is safe to call again.
Status ensure_sodium() {
  if (sodium_init() < 0) return fail(Error::Internal("libsodium could not be initialised"));
  return {};
}

// Names are what handlers type and what the event log shows: letters, digits and . _ @ -, at
// most 64 bytes.
bool valid_name(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '@' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Result<std::string> hash_password(const std::string& password) {
  if (auto s = ensure_sodium(); !s) return fail(s.error());
  if (password.size() < 12) {
    return fail(Error::InvalidArgument("a password needs at least 12 characters"));
  }
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return fail(Error::Unavailable("not enough memory to hash the password"));
  }
  return std::string(out);
}

Result<store::UserRecord> existing_user(store::Database& db, const std::string& name) {
  auto u = db.users().user_by_name(name);
  if (!u) return fail(u.error());
  if (!*u) return fail(Error::NotFound("no such user", name));
  return **u;
}

Status log_event(store::Database& db, Time now, const std::string& actor, const char* action,
                 const std::string& user, const std::string& detail) {
  return db.events().append_event({now, actor, action, "user:" + user, detail});
}

Error not_valid() { return Error::Denied("the token or password is not valid"); }

int64_t number_or_zero(const std::string& s) {
  int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

Result<Role> role_of(const store::UserRecord& u) {
  auto role = parse_role(u.role);
  if (!role) return fail(Error::Corruption("unknown role in the database", u.role));
  return *role;
}

std::set<std::string> scopes_of(const std::string& joined) {
  std::set<std::string> out;
  for (auto s : split(joined, ' ')) {
    if (!s.empty()) out.emplace(s);
  }
  return out;
}

}  // namespace

std::string new_secret(std::string_view prefix) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
  unsigned char secret[32];
  randombytes_buf(secret, sizeof secret);
  std::string out = std::string(prefix) + hex_encode(secret, sizeof secret);
  sodium_memzero(secret, sizeof secret);
  return out;
}

std::optional<Role> parse_role(std::string_view s) {
  if (s == "admin") return Role::kAdmin;
  if (s == "handler") return Role::kHandler;
  if (s == "analyst") return Role::kAnalyst;
  return std::nullopt;
}

const char* to_string(Role r) {
  switch (r) {
    case Role::kAdmin:
      return "admin";
    case Role::kHandler:
      return "handler";
    case Role::kAnalyst:
      return "analyst";
  }
  return "analyst";
}

bool valid_scope(std::string_view s) {
  if (s == "read" || s == "write" || s == "messages:submit") return true;
  constexpr std::string_view sensor = "sensor:";
  return s.size() > sensor.size() && s.substr(0, sensor.size()) == sensor &&
         valid_name(s.substr(sensor.size()));
}

Result<store::Id> add_user(store::Database& db, Time now, const std::string& name, Role role,
                           const std::string& password, const std::string& actor) {
  if (!valid_name(name)) {
    return fail(Error::InvalidArgument(
        "a user name is 1 to 64 letters, digits or . _ @ - (no spaces)", name));
  }
  std::string hash;
  if (!password.empty()) {
    auto h = hash_password(password);
    if (!h) return fail(h.error());
    hash = std::move(*h);
  }
  return store::in_transaction(db, [&]() -> Result<store::Id> {
    store::UserRecord rec;
    rec.name = name;
    rec.role = to_string(role);
    rec.password_hash = hash;
    rec.created_at = now;
    auto id = db.users().add_user(rec);
    if (!id) return id;
    if (auto s = log_event(db, now, actor, "user.added", name,
                           JsonOut().field("role", to_string(role)).done());
        !s)
      return fail(s.error());
    return id;
  });
}

Status set_password(store::Database& db, Time now, const std::string& name,
                    const std::string& password, const std::string& actor) {
  auto hash = hash_password(password);
  if (!hash) return fail(hash.error());
  return store::in_transaction(db, [&]() -> Status {
    auto u = existing_user(db, name);
    if (!u) return fail(u.error());
    if (auto s = db.users().set_password_hash(u->id, *hash); !s) return s;
    // Whoever knew the old password may hold a session made with it.
    if (auto s = db.users().end_sessions_of(u->id, now); !s) return s;
    return log_event(db, now, actor, "user.password_set", name, "{}");
  });
}

Status disable_user(store::Database& db, Time now, const std::string& name,
                    const std::string& actor) {
  return store::in_transaction(db, [&]() -> Status {
    auto u = existing_user(db, name);
    if (!u) return fail(u.error());
    if (auto s = db.users().set_disabled(u->id, true); !s) return s;
    if (auto s = db.users().end_sessions_of(u->id, now); !s) return s;
    return log_event(db, now, actor, "user.disabled", name, "{}");
  });
}

Result<NewToken> create_token(store::Database& db, Time now, const std::string& name,
                              const std::vector<std::string>& scopes, const std::string& label,
                              std::optional<std::chrono::seconds> lifetime,
                              const std::string& actor) {
  if (auto s = ensure_sodium(); !s) return fail(s.error());
  if (scopes.empty()) {
    return fail(Error::InvalidArgument(
        "a token needs at least one scope: read, write, messages:submit or sensor:<id>"));
  }
  std::string joined;
  for (const auto& s : scopes) {
    if (!valid_scope(s)) {
      return fail(Error::InvalidArgument(
          "unknown scope: use read, write, messages:submit or sensor:<id>", s));
    }
    joined += (joined.empty() ? "" : " ") + s;
  }
  if (lifetime && lifetime->count() <= 0) {
    return fail(Error::InvalidArgument("a token's lifetime must be positive"));
  }
  NewToken out;
  out.token = new_secret(kTokenPrefix);
  auto id = store::in_transaction(db, [&]() -> Result<store::Id> {
    auto u = existing_user(db, name);
    if (!u) return fail(u.error());
    store::TokenRecord t;
    t.user = u->id;
    t.label = label;
    t.token_hash = sha256_hex(out.token);
    t.scopes = joined;
    t.created_at = now;
    if (lifetime) t.expires_at = now + *lifetime;
    auto tid = db.users().add_token(t);
    if (!tid) return tid;
    if (auto s = log_event(
            db, now, actor, "token.created", name,
            JsonOut().field("token", *tid).field("scopes", joined).field("label", label).done());
        !s)
      return fail(s.error());
    return tid;
  });
  if (!id) return fail(id.error());
  out.id = *id;
  return out;
}

Status revoke_token(store::Database& db, Time now, const std::string& name, store::Id token,
                    const std::string& actor) {
  return store::in_transaction(db, [&]() -> Status {
    auto u = existing_user(db, name);
    if (!u) return fail(u.error());
    if (auto s = db.users().revoke_token(u->id, token, now); !s) return s;
    return log_event(db, now, actor, "token.revoked", name, JsonOut().field("token", token).done());
  });
}

Result<std::vector<UserSummary>> list_users(store::Database& db) {
  auto users = db.users().users();
  if (!users) return fail(users.error());
  std::vector<UserSummary> out;
  for (auto& u : *users) {
    auto tokens = db.users().tokens_of(u.id);
    if (!tokens) return fail(tokens.error());
    UserSummary s{std::move(u), 0};
    for (const auto& t : *tokens) s.live_tokens += t.revoked_at ? 0 : 1;
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::string> user_name(store::Database& db, store::Id id) {
  auto u = db.users().user_by_id(id);
  if (!u) return fail(u.error());
  if (!*u) return fail(Error::NotFound("no such user", "user " + std::to_string(id)));
  return (*u)->name;
}

Result<Principal> authenticate_token(store::Database& db, Time now, std::string_view token) {
  if (token.substr(0, kTokenPrefix.size()) != kTokenPrefix || token.size() > 128) {
    return fail(not_valid());
  }
  auto t = db.users().token_by_hash(sha256_hex(token));
  if (!t) return fail(t.error());
  if (!*t || (*t)->revoked_at || ((*t)->expires_at && *(*t)->expires_at <= now)) {
    return fail(not_valid());
  }
  auto u = db.users().user_by_id((*t)->user);
  if (!u) return fail(u.error());
  if (!*u || (*u)->disabled) return fail(not_valid());
  auto role = role_of(**u);
  if (!role) return fail(role.error());
  return Principal::of((*u)->id, (*u)->name, *role, scopes_of((*t)->scopes), (*t)->id);
}

namespace {

// `password` checked against the user `u` as read (nullopt: no such user). kDenied when it does
// not match, the user is disabled or has no password.
Result<Principal> check_password(const std::optional<store::UserRecord>& u,
                                 const std::string& password) {
  if (!u) {
    // As long as for a user who exists, so that the time taken does not tell which names do.
    static const std::string dummy = hash_password("kizuna-no-such-user").value_or("");
    [[maybe_unused]] const int ignored =
        crypto_pwhash_str_verify(dummy.c_str(), password.data(), password.size());
    return fail(not_valid());
  }
  if (u->disabled || u->password_hash.empty() ||
      crypto_pwhash_str_verify(u->password_hash.c_str(), password.data(), password.size()) != 0) {
    return fail(not_valid());
  }
  auto role = role_of(*u);
  if (!role) return fail(role.error());
  return Principal::of(u->id, u->name, *role, {"read", "write"});
}

}  // namespace

Result<Principal> authenticate_password(store::Database& db, const std::string& name,
                                        const std::string& password) {
  if (auto s = ensure_sodium(); !s) return fail(s.error());
  auto u = db.users().user_by_name(name);
  if (!u) return fail(u.error());
  return check_password(*u, password);
}

namespace {

bool totp_matches(const store::UserRecord& u, Time now, const std::string& code,
                  int64_t& step_used) {
  auto key = base32_decode(u.totp_secret);
  if (!key || code.size() != 6) return false;
  // One step either side: the phone's clock and the server's may differ by some seconds.
  const int64_t step = totp_step(now);
  for (int64_t s : {step, step - 1, step + 1}) {
    if (sodium_memcmp(totp_code(*key, s).data(), code.data(), 6) == 0) {
      step_used = s;
      return true;
    }
  }
  return false;
}

}  // namespace

std::string csrf_of(std::string_view session_token) {
  return sha256_hex("kizuna-csrf:" + std::string(session_token));
}

Result<NewSession> login(store::Database& db, Time now, const LoginPolicy& policy,
                         const std::string& name, const std::string& password,
                         const std::string& totp_code, const std::string& client) {
  if (auto s = ensure_sodium(); !s) return fail(s.error());
  auto u = db.users().user_by_name(name);
  if (!u) return fail(u.error());
  const std::string subject = valid_name(name) ? name : "?";
  auto refuse = [&](const char* why, Error e) -> Result<NewSession> {
    if (*u) {
      if (auto n = db.users().login_failed((*u)->id, now); !n) return fail(n.error());
    }
    if (auto s = log_event(db, now, "client:" + client, "login.failed", subject,
                           JsonOut().field("reason", why).done());
        !s)
      return fail(s.error());
    return fail(std::move(e));
  };
  if (*u && (*u)->failed_logins >= policy.max_failures && (*u)->last_failed_login) {
    const Time until = *(*u)->last_failed_login + policy.lockout;
    if (now < until) {
      const auto wait = std::chrono::duration_cast<std::chrono::seconds>(until - now).count();
      return fail(Error::Limited("too many failed logins for this account: try again in " +
                                     std::to_string((wait + 59) / 60) +
                                     " minute(s), or ask an admin",
                                 static_cast<int>(wait)));
    }
  }
  auto who = check_password(*u, password);  // the user as read above: one read per login
  if (!who) {
    if (who.error().code != ErrorCode::kDenied) return fail(who.error());
    return refuse("password", Error::Denied("the user name or password is not valid"));
  }
  const auto& user = **u;
  const bool second_factor_role = who->role == Role::kAdmin || who->role == Role::kHandler;
  if (user.totp_secret.empty()) {
    if (policy.require_totp && second_factor_role) {
      return refuse("no second factor",
                    Error::Denied("this account needs a second factor first: an admin runs "
                                  "`kizuna user totp " +
                                  user.name + "`"));
    }
  } else {
    if (totp_code.empty()) {
      // Not counted as a failure: the password was right, the form asks for the code next.
      return fail(Error::Denied("the one-time code of your authenticator app is needed", "totp"));
    }
    int64_t step = 0;
    if (!totp_matches(user, now, totp_code, step)) {
      return refuse("one-time code", Error::Denied("the user name or password is not valid"));
    }
    auto fresh = db.users().use_totp_step(user.id, step);
    if (!fresh) return fail(fresh.error());
    if (!*fresh) {
      return refuse("one-time code used before",
                    Error::Denied("this one-time code was used already: wait for the next one"));
    }
  }
  NewSession out;
  out.token = new_secret(kSessionPrefix);
  out.csrf = csrf_of(out.token);
  out.expires_at = now + policy.session_lifetime;
  auto id = store::in_transaction(db, [&]() -> Result<store::Id> {
    if (auto s = db.users().login_succeeded(user.id); !s) return fail(s.error());
    store::SessionRecord rec;
    rec.user = user.id;
    rec.token_hash = sha256_hex(out.token);
    rec.created_at = now;
    rec.expires_at = out.expires_at;
    rec.last_seen_at = now;
    rec.client = client;
    auto sid = db.users().add_session(rec);
    if (!sid) return sid;
    if (auto s = log_event(db, now, who->actor(), "login", user.name,
                           JsonOut().field("session", *sid).field("client", client).done());
        !s)
      return fail(s.error());
    return sid;
  });
  if (!id) return fail(id.error());
  out.principal = *who;
  out.principal.session = *id;
  out.principal.csrf = out.csrf;
  return out;
}

Result<Principal> authenticate_session(store::Database& db, Time now, const LoginPolicy& policy,
                                       std::string_view token) {
  if (token.substr(0, kSessionPrefix.size()) != kSessionPrefix || token.size() > 128) {
    return fail(not_valid());
  }
  auto s = db.users().session_by_hash(sha256_hex(token));
  if (!s) return fail(s.error());
  if (!*s || (*s)->ended_at || (*s)->expires_at <= now ||
      (*s)->last_seen_at + policy.session_idle <= now) {
    return fail(not_valid());
  }
  auto u = db.users().user_by_id((*s)->user);
  if (!u) return fail(u.error());
  if (!*u || (*u)->disabled) return fail(not_valid());
  auto role = role_of(**u);
  if (!role) return fail(role.error());
  if (now - (*s)->last_seen_at >= kSeenEvery) {
    if (auto seen = db.users().session_seen((*s)->id, now); !seen) return fail(seen.error());
  }
  Principal p = Principal::of((*u)->id, (*u)->name, *role, {"read", "write"});
  p.session = (*s)->id;
  p.csrf = csrf_of(token);
  return p;
}

Status logout(store::Database& db, Time now, std::string_view token) {
  auto s = db.users().session_by_hash(sha256_hex(token));
  if (!s) return fail(s.error());
  if (!*s || (*s)->ended_at) return {};
  return store::in_transaction(db, [&]() -> Status {
    if (auto e = db.users().end_session((*s)->id, now); !e) return e;
    auto u = db.users().user_by_id((*s)->user);
    if (!u) return fail(u.error());
    const std::string name = *u ? (*u)->name : "?";
    return log_event(db, now, "user:" + name, "logout", name,
                     JsonOut().field("session", (*s)->id).done());
  });
}

Result<std::optional<std::string>> setup_token(store::Database& db, Time now,
                                               std::chrono::seconds lifetime) {
  if (auto s = ensure_sodium(); !s) return fail(s.error());
  auto n = db.users().count_users();
  if (!n) return fail(n.error());
  if (*n > 0) return std::optional<std::string>{};
  const std::string token = new_secret(kSetupPrefix);
  const int64_t end = (now + lifetime).time_since_epoch().count();
  auto done = store::in_transaction(db, [&]() -> Status {
    if (auto s = db.settings().set_setting(kSetupHash, sha256_hex(token)); !s) return s;
    return db.settings().set_setting(kSetupExpires, std::to_string(end));
  });
  if (!done) return fail(done.error());
  return std::optional<std::string>(token);
}

Result<NewSession> complete_setup(store::Database& db, Time now, const LoginPolicy& policy,
                                  std::string_view token, const std::string& name,
                                  const std::string& password, const std::string& client) {
  const Error refused = Error::Denied(
      "this setup link is not valid (used, expired, or a user exists): run `kizuna user add`");
  // Checked before the token is taken: a typo must not spend the link.
  if (!valid_name(name)) {
    return fail(Error::InvalidArgument(
        "a user name is 1 to 64 letters, digits or . _ @ - (no spaces)", name));
  }
  if (password.size() < 12) {
    return fail(Error::InvalidArgument("a password needs at least 12 characters"));
  }
  auto created = store::in_transaction(db, [&]() -> Status {
    auto hash = db.settings().setting(kSetupHash);
    if (!hash) return fail(hash.error());
    auto expires = db.settings().setting(kSetupExpires);
    if (!expires) return fail(expires.error());
    auto n = db.users().count_users();
    if (!n) return fail(n.error());
    const bool valid = *hash && *expires && *n == 0 && token.size() < 128 &&
                       sha256_hex(token) == **hash &&
                       now.time_since_epoch().count() < number_or_zero(**expires);
    if (!valid) return fail(refused);
    // Taken only if still there: of two setups with the same link at once, one wins.
    auto taken = db.settings().take_setting(kSetupHash, **hash);
    if (!taken) return fail(taken.error());
    if (!*taken) return fail(refused);
    return db.settings().set_setting(kSetupExpires, std::nullopt);
  });
  if (!created) return fail(created.error());
  // add_user commits on its own: a second setup with the same token already fails above.
  if (auto id = add_user(db, now, name, Role::kAdmin, password, "setup:" + client); !id)
    return fail(id.error());
  return login(db, now, policy, name, password, "", client);
}

Result<std::string> set_totp(store::Database& db, Time now, const std::string& issuer,
                             const std::string& name, bool remove, const std::string& actor) {
  const std::string secret = remove ? std::string() : new_totp_secret();
  auto done = store::in_transaction(db, [&]() -> Status {
    auto u = existing_user(db, name);
    if (!u) return fail(u.error());
    if (auto s = db.users().set_totp_secret(u->id, secret); !s) return s;
    if (auto s = db.users().end_sessions_of(u->id, now); !s) return s;
    return log_event(db, now, actor, remove ? "user.totp_removed" : "user.totp_set", name, "{}");
  });
  if (!done) return fail(done.error());
  return remove ? std::string() : totp_uri(issuer, name, secret);
}

}  // namespace kz::app
