// Users and tokens (access.h): what a token or a password lets in, and what it never does.
#include "app/access.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace kz::app {
namespace {

namespace fs = std::filesystem;

const Time kNow = Time{std::chrono::seconds{1'765'000'000}};

class AccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() / ("kz_access_" + std::to_string(::getpid()) + ".db");
    fs::remove(path_);
    auto db = store::open_store(path_.string());
    ASSERT_TRUE(db) << db.error().to_string();
    db_ = std::move(*db);
  }
  void TearDown() override {
    db_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_.string() + suffix);
  }
  std::string token_for(const std::string& user, std::vector<std::string> scopes,
                        std::optional<std::chrono::seconds> lifetime = std::nullopt) {
    auto t = create_token(*db_, kNow, user, scopes, "test", lifetime, "cli:test");
    EXPECT_TRUE(t) << t.error().to_string();
    return t ? t->token : std::string();
  }

  fs::path path_;
  std::unique_ptr<store::Database> db_;
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

}  // namespace
}  // namespace kz::app
