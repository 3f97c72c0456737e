#include "app/access.h"

#include <sodium.h>

#include "core/json_out.h"
#include "core/sha256.h"
#include "core/text.h"

namespace kz::app {

namespace {

constexpr std::string_view kTokenPrefix = "kzt_";

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

std::set<std::string> scopes_of(const std::string& joined) {
  std::set<std::string> out;
  for (auto s : split(joined, ' ')) {
    if (!s.empty()) out.emplace(s);
  }
  return out;
}

}  // namespace

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
    auto id = db.users().add_user({0, name, to_string(role), hash, false, now});
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
    return log_event(db, now, actor, "user.password_set", name, "{}");
  });
}

Status disable_user(store::Database& db, Time now, const std::string& name,
                    const std::string& actor) {
  return store::in_transaction(db, [&]() -> Status {
    auto u = existing_user(db, name);
    if (!u) return fail(u.error());
    if (auto s = db.users().set_disabled(u->id, true); !s) return s;
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
  unsigned char secret[32];
  randombytes_buf(secret, sizeof secret);
  NewToken out;
  out.token = std::string(kTokenPrefix) + hex_encode(secret, sizeof secret);
  sodium_memzero(secret, sizeof secret);
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
  auto role = parse_role((*u)->role);
  if (!role) return fail(Error::Corruption("unknown role in the database", (*u)->role));
  return Principal{(*u)->id, (*u)->name, *role, scopes_of((*t)->scopes), (*t)->id};
}

Result<Principal> authenticate_password(store::Database& db, const std::string& name,
                                        const std::string& password) {
  if (auto s = ensure_sodium(); !s) return fail(s.error());
  auto u = db.users().user_by_name(name);
  if (!u) return fail(u.error());
  if (!*u || (*u)->disabled || (*u)->password_hash.empty() ||
      crypto_pwhash_str_verify((*u)->password_hash.c_str(), password.data(), password.size()) !=
          0) {
    return fail(not_valid());
  }
  auto role = parse_role((*u)->role);
  if (!role) return fail(Error::Corruption("unknown role in the database", (*u)->role));
  return Principal{(*u)->id, (*u)->name, *role, {"read", "write"}, 0};
}

}  // namespace kz::app
