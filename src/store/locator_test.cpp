// Which back end a locator names, and what of it may be shown: expectations from the issue ("a
// password in a URL is redacted in every log and error") and libpq's URL syntax.
#include "store/locator.h"

#include <gtest/gtest.h>

namespace kz::store {
namespace {

TEST(Locator, APostgresqlUrlSelectsPostgresqlAndAnythingElseIsAFile) {
  EXPECT_TRUE(is_postgres_url("postgresql://kizuna@db.example/kizuna"));
  EXPECT_TRUE(is_postgres_url("postgres://db.example/kizuna"));
  EXPECT_FALSE(is_postgres_url("var/kizuna.db"));
  EXPECT_FALSE(is_postgres_url("/srv/postgresql/kizuna.db"));
  EXPECT_FALSE(is_postgres_url("postgresql.db"));
}

TEST(Locator, APasswordInTheUserPartIsRedacted) {
  EXPECT_EQ(redact_locator("postgresql://kizuna:s3cret@db.example:5432/kizuna"),
            "postgresql://kizuna:***@db.example:5432/kizuna");
  // A password holding '@' or ':' unencoded is still hidden whole.
  EXPECT_EQ(redact_locator("postgresql://kizuna:p@ss:w0rd@db.example/kizuna"),
            "postgresql://kizuna:***@db.example/kizuna");
}

TEST(Locator, APasswordParameterIsRedactedAndOtherParametersKept) {
  EXPECT_EQ(redact_locator("postgresql:///kizuna?host=/run/postgresql&password=s3cret&user=k"),
            "postgresql:///kizuna?host=/run/postgresql&password=***&user=k");
  EXPECT_EQ(redact_locator("postgresql://db/kizuna?password=s3cret"),
            "postgresql://db/kizuna?password=***");
  // A parameter whose name merely ends in "password" is not a password.
  EXPECT_EQ(redact_locator("postgresql://db/kizuna?oldpassword=x"),
            "postgresql://db/kizuna?oldpassword=x");
}

TEST(Locator, WhatHoldsNoPasswordIsShownAsGiven) {
  EXPECT_EQ(redact_locator("postgresql://kizuna@db.example/kizuna"),
            "postgresql://kizuna@db.example/kizuna");
  EXPECT_EQ(redact_locator("postgresql:///kizuna?service=centre"),
            "postgresql:///kizuna?service=centre");
  EXPECT_EQ(redact_locator("var/kizuna:secret@x.db"), "var/kizuna:secret@x.db");
}

}  // namespace
}  // namespace kz::store
