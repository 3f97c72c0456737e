// Users and tokens (access.h): what a token or a password lets in, and what it never does.
#include "app/access.h"

#include "core/totp.h"

#include "app/store_fixture.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace kz::app {
namespace {

namespace fs = std::filesystem;

const Time kNow = Time{std::chrono::seconds{1'765'000'000}};

class AccessTest : public StoreFixture {
 protected:
  std::string token_for(const std::string& user, std::vector<std::string> scopes,
                        std::optional<std::chrono::seconds> lifetime = std::nullopt) {
    auto t = create_token(*db_, kNow, user, scopes, "test", lifetime, "cli:test");
    EXPECT_TRUE(t) << t.error().to_string();
    return t ? t->token : std::string();
  }
};

TEST_F(AccessTest, ATokenActsForItsUserWithItsScopes) {
  ASSERT_TRUE(add_user(*db_, kNow, "tanaka", Role::kHandler, "", "cli:test"));
  const std::string token = token_for("tanaka", {"read", "messages:submit"});
  EXPECT_EQ(token.substr(0, 4), "kzt_");
  EXPECT_EQ(token.size(), 4u + 64u) << "256 random bits in hex";
  auto p = authenticate_token(*db_, kNow, token);
  ASSERT_TRUE(p) << p.error().to_string();
  EXPECT_EQ(p->name, "tanaka");
  EXPECT_EQ(p->role, Role::kHandler);
  EXPECT_TRUE(p->has_scope("read"));
  EXPECT_TRUE(p->has_scope("messages:submit"));
  EXPECT_FALSE(p->has_scope("write"));
  EXPECT_EQ(p->actor(), "user:tanaka");
  EXPECT_NE(token_for("tanaka", {"read"}), token) << "each token is new";
}

TEST_F(AccessTest, NoTokenGetsInWhenUnknownRevokedExpiredOrItsUserDisabled) {
  ASSERT_TRUE(add_user(*db_, kNow, "a", Role::kAdmin, "", "cli:test"));
  ASSERT_TRUE(add_user(*db_, kNow, "b", Role::kAnalyst, "", "cli:test"));
  const std::string good = token_for("a", {"read"});
  auto denied = [&](std::string_view token, Time at = kNow) {
    auto p = authenticate_token(*db_, at, token);
    return !p && p.error().code == ErrorCode::kDenied &&
           p.error().message == "the token or password is not valid";
  };
  EXPECT_TRUE(denied("kzt_" + std::string(64, '0'))) << "unknown";
  EXPECT_TRUE(denied("Bearer " + good)) << "not a token";
  EXPECT_TRUE(denied(good + "0")) << "one character more";
  EXPECT_TRUE(denied("")) << "empty";

  auto expiring = create_token(*db_, kNow, "a", {"read"}, "", std::chrono::hours(1), "cli:test");
  ASSERT_TRUE(expiring);
  EXPECT_TRUE(authenticate_token(*db_, kNow + std::chrono::minutes(59), expiring->token));
  EXPECT_TRUE(denied(expiring->token, kNow + std::chrono::hours(1))) << "expired";

  EXPECT_FALSE(revoke_token(*db_, kNow, "b", expiring->id, "cli:test")) << "not b's token";
  auto revoked = create_token(*db_, kNow, "a", {"read"}, "", std::nullopt, "cli:test");
  ASSERT_TRUE(revoked);
  ASSERT_TRUE(revoke_token(*db_, kNow, "a", revoked->id, "cli:test"));
  EXPECT_TRUE(denied(revoked->token)) << "revoked";

  const std::string of_b = token_for("b", {"read"});
  ASSERT_TRUE(disable_user(*db_, kNow, "b", "cli:test"));
  EXPECT_TRUE(denied(of_b)) << "its user disabled";
  EXPECT_TRUE(authenticate_token(*db_, kNow, good)) << "the others still work";
}

TEST_F(AccessTest, APasswordIsCheckedAgainstItsArgon2idHash) {
  ASSERT_TRUE(add_user(*db_, kNow, "suzuki", Role::kHandler, "correct horse battery", "cli:test"));
  auto u = db_->users().user_by_name("suzuki");
  ASSERT_TRUE(u && *u);
  EXPECT_EQ((*u)->password_hash.rfind("$argon2id$", 0), 0u) << "stored as argon2id only";
  EXPECT_EQ((*u)->password_hash.find("correct horse"), std::string::npos);
  EXPECT_TRUE(authenticate_password(*db_, "suzuki", "correct horse battery"));
  auto wrong = authenticate_password(*db_, "suzuki", "correct horse batterY");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kDenied);
  auto nobody = authenticate_password(*db_, "nobody", "correct horse battery");
  ASSERT_FALSE(nobody);
  EXPECT_EQ(nobody.error().message, wrong.error().message) << "no hint which part was wrong";
  ASSERT_TRUE(set_password(*db_, kNow, "suzuki", "another long secret", "cli:test"));
  EXPECT_FALSE(authenticate_password(*db_, "suzuki", "correct horse battery"));
  EXPECT_TRUE(authenticate_password(*db_, "suzuki", "another long secret"));
}

TEST_F(AccessTest, BadNamesRolesScopesAndShortPasswordsAreRefused) {
  EXPECT_FALSE(add_user(*db_, kNow, "has space", Role::kHandler, "", "cli:test"));
  EXPECT_FALSE(add_user(*db_, kNow, "", Role::kHandler, "", "cli:test"));
  EXPECT_FALSE(add_user(*db_, kNow, "x", Role::kHandler, "short", "cli:test"));
  ASSERT_TRUE(add_user(*db_, kNow, "x", Role::kHandler, "", "cli:test"));
  EXPECT_FALSE(add_user(*db_, kNow, "x", Role::kAdmin, "", "cli:test")) << "taken";
  EXPECT_FALSE(create_token(*db_, kNow, "x", {}, "", std::nullopt, "cli:test"));
  EXPECT_FALSE(create_token(*db_, kNow, "x", {"root"}, "", std::nullopt, "cli:test"));
  EXPECT_FALSE(create_token(*db_, kNow, "nobody", {"read"}, "", std::nullopt, "cli:test"));
  EXPECT_TRUE(create_token(*db_, kNow, "x", {"sensor:tokyo-1"}, "", std::nullopt, "cli:test"));
  EXPECT_FALSE(parse_role("root"));
  EXPECT_EQ(parse_role("analyst"), Role::kAnalyst);
}

// --- logins -----------------------------------------------------------------------------------

constexpr const char* kPassword = "correct horse battery";

Result<NewSession> try_login(store::Database& db, Time at, const std::string& name,
                             const std::string& password, const std::string& code = "",
                             const LoginPolicy& policy = {}) {
  return login(db, at, policy, name, password, code, "192.0.2.9");
}

TEST_F(AccessTest, ALoginMakesASessionThatEndsOnLogoutIdlenessOrItsLifetime) {
  ASSERT_TRUE(add_user(*db_, kNow, "tanaka", Role::kHandler, kPassword, "cli:test"));
  auto s = try_login(*db_, kNow, "tanaka", kPassword);
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_EQ(s->token.substr(0, 4), "kzs_");
  EXPECT_EQ(s->token.size(), 4u + 64u);
  EXPECT_EQ(s->csrf, csrf_of(s->token));
  EXPECT_NE(s->csrf, s->token);
  EXPECT_EQ(s->principal.name, "tanaka");
  EXPECT_TRUE(s->principal.has_scope("write"));
  const LoginPolicy policy;  // 12 h lifetime, 60 min idle
  auto p = authenticate_session(*db_, kNow + std::chrono::minutes(59), policy, s->token);
  ASSERT_TRUE(p) << p.error().to_string();
  EXPECT_EQ(p->role, Role::kHandler);
  EXPECT_EQ(p->csrf, s->csrf);
  EXPECT_NE(p->session, 0);
  // Seen at 59 minutes: idle from there.
  EXPECT_TRUE(authenticate_session(*db_, kNow + std::chrono::minutes(118), policy, s->token));
  EXPECT_FALSE(authenticate_session(*db_, kNow + std::chrono::minutes(179), policy, s->token))
      << "idle for an hour";
  auto busy = try_login(*db_, kNow, "tanaka", kPassword);
  ASSERT_TRUE(busy);
  for (int m = 50; m < 12 * 60; m += 50) {
    ASSERT_TRUE(authenticate_session(*db_, kNow + std::chrono::minutes(m), policy, busy->token))
        << m;
  }
  EXPECT_FALSE(
      authenticate_session(*db_, kNow + std::chrono::minutes(12 * 60), policy, busy->token))
      << "past its lifetime however busy";
  auto out = try_login(*db_, kNow, "tanaka", kPassword);
  ASSERT_TRUE(logout(*db_, kNow, out->token));
  EXPECT_FALSE(authenticate_session(*db_, kNow, policy, out->token));
  EXPECT_TRUE(logout(*db_, kNow, out->token)) << "twice is no error";
  EXPECT_FALSE(authenticate_session(*db_, kNow, policy, "kzs_" + std::string(64, '0')));
  EXPECT_FALSE(authenticate_session(*db_, kNow, policy, busy->token.substr(1)));
}

TEST_F(AccessTest, ANewPasswordOrDisablingEndsTheUsersSessions) {
  ASSERT_TRUE(add_user(*db_, kNow, "tanaka", Role::kHandler, kPassword, "cli:test"));
  auto s = try_login(*db_, kNow, "tanaka", kPassword);
  ASSERT_TRUE(s);
  ASSERT_TRUE(set_password(*db_, kNow, "tanaka", "another good password", "cli:test"));
  EXPECT_FALSE(authenticate_session(*db_, kNow, {}, s->token));
  auto again = try_login(*db_, kNow, "tanaka", "another good password");
  ASSERT_TRUE(again);
  ASSERT_TRUE(disable_user(*db_, kNow, "tanaka", "cli:test"));
  EXPECT_FALSE(authenticate_session(*db_, kNow, {}, again->token));
  EXPECT_FALSE(try_login(*db_, kNow, "tanaka", "another good password"));
}

TEST_F(AccessTest, RepeatedFailuresPauseTheAccountWhateverThePassword) {
  ASSERT_TRUE(add_user(*db_, kNow, "tanaka", Role::kHandler, kPassword, "cli:test"));
  LoginPolicy policy;
  policy.max_failures = 3;
  policy.lockout = std::chrono::minutes(15);
  for (int i = 0; i < 3; ++i) {
    auto r = try_login(*db_, kNow + std::chrono::seconds(i), "tanaka",
                       "wrong guess " + std::to_string(i), "", policy);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kDenied);
    EXPECT_EQ(r.error().message, "the user name or password is not valid");
  }
  auto paused = try_login(*db_, kNow + std::chrono::minutes(1), "tanaka", kPassword, "", policy);
  ASSERT_FALSE(paused) << "the right password does not get in during the pause";
  EXPECT_EQ(paused.error().code, ErrorCode::kLimited);
  EXPECT_GT(paused.error().retry_after, 13 * 60);
  EXPECT_LE(paused.error().retry_after, 15 * 60);
  auto after = try_login(*db_, kNow + std::chrono::minutes(16), "tanaka", kPassword, "", policy);
  ASSERT_TRUE(after) << after.error().to_string();
  EXPECT_TRUE(try_login(*db_, kNow + std::chrono::minutes(16), "tanaka", "wrong", "", policy)
                  .error()
                  .code == ErrorCode::kDenied)
      << "the success reset the count";
  auto unknown = try_login(*db_, kNow, "nobody", kPassword);
  EXPECT_EQ(unknown.error().message, "the user name or password is not valid")
      << "an unknown name reads like a wrong password";
}

TEST_F(AccessTest, ASecondFactorIsAskedForAndACodeWorksOnce) {
  ASSERT_TRUE(add_user(*db_, kNow, "sato", Role::kAdmin, kPassword, "cli:test"));
  auto uri = set_totp(*db_, kNow, "Kizuna", "sato", false, "cli:test");
  ASSERT_TRUE(uri) << uri.error().to_string();
  const std::string prefix = "otpauth://totp/Kizuna:sato?secret=";
  ASSERT_EQ(uri->substr(0, prefix.size()), prefix);
  const std::string secret = uri->substr(prefix.size(), 32);
  const std::string key = *base32_decode(secret);
  auto ask = try_login(*db_, kNow, "sato", kPassword);
  ASSERT_FALSE(ask);
  EXPECT_EQ(ask.error().context, "totp") << "the password was right: the code is asked for";
  const std::string code = totp_code(key, totp_step(kNow));
  auto wrong = try_login(*db_, kNow, "sato", kPassword, code == "000000" ? "111111" : "000000");
  EXPECT_FALSE(wrong);
  auto ok = try_login(*db_, kNow, "sato", kPassword, code);
  ASSERT_TRUE(ok) << ok.error().to_string();
  auto replay = try_login(*db_, kNow + std::chrono::seconds(5), "sato", kPassword, code);
  EXPECT_FALSE(replay) << "a code seen once is not taken again";
  // The phone's clock 30 s behind: the previous step's code is taken.
  const Time later = kNow + std::chrono::minutes(2);
  EXPECT_TRUE(try_login(*db_, later, "sato", kPassword, totp_code(key, totp_step(later) - 1)));
  ASSERT_TRUE(set_totp(*db_, later, "Kizuna", "sato", true, "cli:test"));
  EXPECT_TRUE(try_login(*db_, later, "sato", kPassword)) << "removed: the password alone";
}

TEST_F(AccessTest, APolicyRequiringASecondFactorStopsHandlersWithout) {
  ASSERT_TRUE(add_user(*db_, kNow, "tanaka", Role::kHandler, kPassword, "cli:test"));
  ASSERT_TRUE(add_user(*db_, kNow, "reader", Role::kAnalyst, kPassword, "cli:test"));
  LoginPolicy policy;
  policy.require_totp = true;
  auto r = try_login(*db_, kNow, "tanaka", kPassword, "", policy);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("kizuna user totp tanaka"), std::string::npos);
  EXPECT_TRUE(try_login(*db_, kNow, "reader", kPassword, "", policy))
      << "an analyst only reads: the policy asks the factor of admins and handlers";
}

TEST_F(AccessTest, TheSetupLinkMakesTheFirstAdminOnceWithinItsDay) {
  auto token = setup_token(*db_, kNow, std::chrono::hours(24));
  ASSERT_TRUE(token && *token);
  auto late = complete_setup(*db_, kNow + std::chrono::hours(25), {}, **token, "chief", kPassword,
                             "192.0.2.1");
  EXPECT_EQ(late.error().code, ErrorCode::kDenied) << "expired";
  token = setup_token(*db_, kNow, std::chrono::hours(24));  // a restart makes a new one
  auto typo = complete_setup(*db_, kNow, {}, **token, "chief", "short", "192.0.2.1");
  EXPECT_EQ(typo.error().code, ErrorCode::kInvalidArgument);
  auto s = complete_setup(*db_, kNow, {}, **token, "chief", kPassword, "192.0.2.1");
  ASSERT_TRUE(s) << s.error().to_string() << " (a typo does not spend the link)";
  EXPECT_EQ(s->principal.role, Role::kAdmin);
  EXPECT_EQ(complete_setup(*db_, kNow, {}, **token, "second", kPassword, "192.0.2.1").error().code,
            ErrorCode::kDenied);
  EXPECT_FALSE(*setup_token(*db_, kNow, std::chrono::hours(24))) << "a user exists: no link";
}

}  // namespace
}  // namespace kz::app
