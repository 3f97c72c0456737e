#include "core/totp.h"

#include <gtest/gtest.h>

namespace kz {
namespace {

Time at_unix(int64_t s) { return Time(std::chrono::seconds(s)); }

// RFC 6238 Appendix B, SHA-1 column: the key is the ASCII string "12345678901234567890".
TEST(Totp, RfcTestVectors) {
  const std::string key = "12345678901234567890";
  EXPECT_EQ(totp_code(key, totp_step(at_unix(59)), 8), "94287082");
  EXPECT_EQ(totp_code(key, totp_step(at_unix(1111111109)), 8), "07081804");
  EXPECT_EQ(totp_code(key, totp_step(at_unix(1111111111)), 8), "14050471");
  EXPECT_EQ(totp_code(key, totp_step(at_unix(1234567890)), 8), "89005924");
  EXPECT_EQ(totp_code(key, totp_step(at_unix(2000000000)), 8), "69279037");
  EXPECT_EQ(totp_code(key, totp_step(at_unix(20000000000)), 8), "65353130");
}

// RFC 4226 Appendix D: HOTP values of the same key for counters 0 and 1 (6 digits).
TEST(Totp, HotpTestVectors) {
  const std::string key = "12345678901234567890";
  EXPECT_EQ(totp_code(key, 0), "755224");
  EXPECT_EQ(totp_code(key, 1), "287082");
  EXPECT_EQ(totp_code(key, 9), "520489");
}

// RFC 4648 section 10, without the padding authenticator apps leave out.
TEST(Totp, Base32RoundTrips) {
  EXPECT_EQ(base32_encode("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(base32_encode("f"), "MY");
  EXPECT_EQ(*base32_decode("MZXW6YTBOI======"), "foobar");
  EXPECT_EQ(*base32_decode("mzxw 6ytb oi"), "foobar");
  EXPECT_FALSE(base32_decode("MZXW1"));  // 1 is not in the alphabet
  const std::string secret = new_totp_secret();
  EXPECT_EQ(secret.size(), 32u);
  EXPECT_EQ(base32_decode(secret)->size(), 20u);
  EXPECT_NE(secret, new_totp_secret());
}

TEST(Totp, UriNamesIssuerAndAccount) {
  EXPECT_EQ(totp_uri("Kizuna CSIRT", "tanaka", "ABC"),
            "otpauth://totp/Kizuna%20CSIRT:tanaka?secret=ABC&issuer=Kizuna%20CSIRT&algorithm=SHA1&"
            "digits=6&period=30");
}

}  // namespace
}  // namespace kz
