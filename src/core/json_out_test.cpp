#include "core/json_out.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace kz {

// What JsonOut writes must read back, through the library the readers use, as what was written.
TEST(JsonOut, ReadsBackAsWrittenWhateverTheText) {
  const std::vector<std::string> texts = {
      "",
      "plain ascii",
      "quote \" and backslash \\ and slash /",
      "tab\tnewline\ncarriage\rbell\x07 nul-free",
      "日本語の理由 (ISO-2022-JP から)",
      std::string("bad utf-8 \xFF\xFE and a lone \xC3"),
      "\x7F delete",
  };
  for (const auto& t : texts) {
    const std::string doc =
        JsonOut().field("reason", t).field("n", int64_t{-42}).field("list", texts).done();
    const auto j = nlohmann::json::parse(doc);  // throws (fails the test) if not JSON
    const std::string expected =
        nlohmann::json(t).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    EXPECT_EQ(j["reason"].dump(), expected) << doc;
    EXPECT_EQ(j["n"], -42);
    ASSERT_EQ(j["list"].size(), texts.size());
    if (t.find('\xFF') == std::string::npos && t.find('\xC3') == std::string::npos) {
      EXPECT_EQ(j["reason"], t);
    } else {
      EXPECT_NE(j["reason"].get<std::string>().find("\xEF\xBF\xBD"), std::string::npos)
          << "invalid UTF-8 is replaced, not copied";
    }
  }
}

TEST(JsonOut, NestsObjectsAndKeepsTheOrderWritten) {
  const std::string inner = JsonOut().field("to", std::vector<std::string>{"a@example.jp"}).done();
  const std::string doc =
      JsonOut().field("z", "last?").json("escalate", inner).field("a", "x").done();
  EXPECT_EQ(doc, R"({"z":"last?","escalate":{"to":["a@example.jp"]},"a":"x"})");
  EXPECT_EQ(JsonOut().done(), "{}");
}

}  // namespace kz
