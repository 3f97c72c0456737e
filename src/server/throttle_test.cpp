#include "server/throttle.h"

#include <gtest/gtest.h>

namespace kz::server {
namespace {

const Time kT0 = Time{std::chrono::seconds{1'765'000'000}};

TEST(Throttle, AKeyIsLimitedWithinItsWindowAndFreeAfter) {
  Throttle t(3, std::chrono::minutes(15));
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(t.check("192.0.2.1", kT0, "failed logins"));
    t.count("192.0.2.1", kT0 + std::chrono::seconds(i));
  }
  auto r = t.check("192.0.2.1", kT0 + std::chrono::minutes(5), "failed logins");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kLimited);
  EXPECT_EQ(r.error().retry_after, 10 * 60) << "the window started at the first event";
  EXPECT_NE(r.error().message.find("failed logins"), std::string::npos);
  EXPECT_TRUE(t.check("192.0.2.2", kT0, "failed logins")) << "another address";
  EXPECT_TRUE(t.check("192.0.2.1", kT0 + std::chrono::minutes(15), "failed logins"));
  t.count("192.0.2.1", kT0 + std::chrono::minutes(15));
  EXPECT_TRUE(t.check("192.0.2.1", kT0 + std::chrono::minutes(16), "x")) << "a new window";
  t.forget("192.0.2.1");
  EXPECT_TRUE(t.check("192.0.2.1", kT0 + std::chrono::minutes(16), "x"));
}

TEST(Throttle, ManyKeysAreBoundedAndNewOnesWaitUntilWindowsEnd) {
  Throttle t(1, std::chrono::minutes(1), 2);
  t.count("a", kT0);
  t.count("b", kT0);
  EXPECT_FALSE(t.check("c", kT0, "submissions")) << "memory is bounded";
  t.count("c", kT0);  // not kept
  EXPECT_TRUE(t.check("c", kT0 + std::chrono::minutes(1), "submissions"))
      << "old windows are dropped to make room";
}

}  // namespace
}  // namespace kz::server
