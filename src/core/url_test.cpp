#include "core/url.h"

#include <gtest/gtest.h>

#include "core/sha256.h"

namespace kz {

TEST(Url, NormalisesSchemeHostPortAndFragment) {
  EXPECT_EQ(Url::parse("HTTP://WWW.Example.COM:80/Login.php?a=1#top")->to_string(),
            "http://www.example.com/Login.php?a=1");
  EXPECT_EQ(Url::parse("https://example.com")->to_string(), "https://example.com/");
  EXPECT_EQ(Url::parse("http://user:pw@198.51.100.7:8080/x")->to_string(),
            "http://198.51.100.7:8080/x");
  EXPECT_EQ(Url::parse("http://[2001:db8::1]/p")->host, "2001:db8::1");
  EXPECT_FALSE(Url::parse("javascript:alert(1)"));
  EXPECT_FALSE(Url::parse("http://localhost/"));
  EXPECT_FALSE(Url::parse("http://exa mple.com/"));
}

TEST(Url, RefangsCommonDefangedForms) {
  EXPECT_EQ(refang("hxxp://evil[.]example(.)com/login"), "http://evil.example.com/login");
  EXPECT_EQ(refang("hXXps[:]//a[dot]b"), "https://a.b");
  EXPECT_EQ(refang("198.51.100[.]7"), "198.51.100.7");
  EXPECT_EQ(refang("nothing to do"), "nothing to do");
}

TEST(Sha256, MatchesKnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(std::string(1000, 'a')),
            "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
  // FIPS 180-2 appendix B.3: one million 'a'; then the context is reused for a short input.
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace kz
