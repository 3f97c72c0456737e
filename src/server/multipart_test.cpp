#include "server/multipart.h"

#include <gtest/gtest.h>

namespace kz::server {
namespace {

// A body as Chromium sends a form with a text field and two files (RFC 7578 section 4).
TEST(Multipart, APartPerFieldWithItsFileName) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=----WebKitFormBoundaryx7"),
            "----WebKitFormBoundaryx7");
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data;boundary=\"a b\""), "a b");
  EXPECT_EQ(multipart_boundary("application/json"), "");
  EXPECT_EQ(multipart_boundary("multipart/form-data"), "");
  const std::string body =
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"document\"\r\n"
      "Content-Type: application/json\r\n\r\n"
      "{\"purpose\":\"incident\"}\r\n"
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"logs\"; filename=\"auth.log\"\r\n"
      "Content-Type: text/plain\r\n\r\n"
      "Dec  7 10:00:00 host sshd[1]: Failed password\r\nsecond line\r\n"
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"logs\"; filename=\"empty.log\"\r\n\r\n"
      "\r\n"
      "--XyZ--\r\n";
  auto parts = parse_multipart(body, "XyZ");
  ASSERT_TRUE(parts) << parts.error().to_string();
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ((*parts)[0].name, "document");
  EXPECT_EQ((*parts)[0].content_type, "application/json");
  EXPECT_EQ((*parts)[0].body, "{\"purpose\":\"incident\"}");
  EXPECT_EQ((*parts)[1].filename, "auth.log");
  EXPECT_EQ((*parts)[1].body, "Dec  7 10:00:00 host sshd[1]: Failed password\r\nsecond line");
  EXPECT_EQ((*parts)[2].filename, "empty.log");
  EXPECT_EQ((*parts)[2].body, "");
}

TEST(Multipart, MalformedBodiesAreRefusedWithAReason) {
  const auto refused = [](const std::string& body, size_t max_parts = 32) {
    auto r = parse_multipart(body, "b", max_parts);
    return r ? std::string("accepted") : r.error().message;
  };
  EXPECT_NE(refused("no boundary").find("does not start"), std::string::npos);
  EXPECT_NE(refused("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx").find("closing"),
            std::string::npos);
  EXPECT_NE(refused("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--").find("name"),
            std::string::npos);
  EXPECT_NE(
      refused("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n--b--").find("empty line"),
      std::string::npos);
  std::string many;
  for (int i = 0; i < 3; ++i)
    many += "--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx\r\n";
  many += "--b--";
  EXPECT_EQ(refused(many, 3), "accepted");
  EXPECT_NE(refused(many, 2).find("more than 2"), std::string::npos);
  EXPECT_EQ(parse_multipart("--b--", "b")->size(), 0u);
  EXPECT_FALSE(parse_multipart("--b", ""));
}

}  // namespace
}  // namespace kz::server
