// Search over messages as a use case (search.h): what a handler types finds what was filed, and a
// centre upgraded from before search finds its older messages once the worker has been through
// them.
#include "app/search.h"

#include "app/store_fixture.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace kz::app {
namespace {

namespace fs = std::filesystem;

class SearchTest : public StoreFixture {
 protected:
  // A message stored as a version before search did: its row and raw bytes, no search text.
  store::Id stored_without_text(const std::string& sha, const std::string& raw) {
    store::MessageRecord m;
    m.sha256 = sha;
    EXPECT_TRUE(db_->begin());
    auto id = db_->messages().add_message(m, std::string_view(raw));
    EXPECT_TRUE(db_->commit());
    return id.value_or(0);
  }
  std::vector<store::Id> found(const std::string& typed) {
    store::MessageSearch q;
    q.text = typed;
    auto r = search_messages(*db_, q);
    EXPECT_TRUE(r) << typed;
    std::vector<store::Id> out;
    if (r) {
      for (const auto& h : r->hits) out.push_back(h.message);
    }
    return out;
  }
};

TEST_F(SearchTest, MessagesStoredBeforeSearchAreFoundOnceTheWorkerHasBeenThroughThem) {
  const store::Id mail = stored_without_text(
      "sha-mail",
      "From: Alice <alice@bank.example.jp>\r\nSubject: =?UTF-8?B?UGF5UGFs44KS6KOF44Gj44Gf6KmQ5qy6?="
      "\r\nMessage-ID: <old@bank.example.jp>\r\n\r\nThe site at http://paypa1-login.example/ asks "
      "for card numbers.\r\n");
  stored_without_text("sha-json", R"({"reporter_info":{"reporter_orgname":"Example CERT"},)"
                                  R"("report":{"report_class":"Content","report_type":"Phishing",)"
                                  R"("source_identifier":"198.51.100.99"}})");
  stored_without_text("sha-broken", "\xff\xfe not mail at all");
  EXPECT_TRUE(found("paypa1-login").empty()) << "no text yet";
  Config cfg;
  auto filled = fill_missing_search_text(*db_, cfg, 100);
  ASSERT_TRUE(filled) << filled.error().to_string();
  EXPECT_EQ(*filled, 3) << "each once, the unreadable one with an empty text";
  EXPECT_EQ(found("PAYPA1-LOGIN"), (std::vector<store::Id>{mail}));
  EXPECT_EQ(found("paypalを装った詐欺"), (std::vector<store::Id>{mail})) << "the decoded subject";
  EXPECT_EQ(found("詐欺"), (std::vector<store::Id>{mail}));
  EXPECT_EQ(*fill_missing_search_text(*db_, cfg, 100), 0) << "nothing left to fill";
  // The next rounds read only what came since (the mark), and still find what lacks a text.
  const store::Id later = stored_without_text("sha-later", "Subject: later one\r\n\r\nbody\r\n");
  EXPECT_EQ(*fill_missing_search_text(*db_, cfg, 100), 1);
  EXPECT_EQ(found("later one"), (std::vector<store::Id>{later}));
  ASSERT_TRUE(index_for_search(*db_, 1000));
  EXPECT_EQ(found("card numbers"), (std::vector<store::Id>{mail})) << "the same through the index";
}

TEST_F(SearchTest, WhatAPersonTypesIsCheckedFirst) {
  store::MessageSearch q;
  const std::vector<std::string> refused = {"", "   ", std::string(201, 'x'),
                                            "a\x01"
                                            "b",
                                            "\xff\xfe"};
  for (const std::string& bad : refused) {
    q.text = bad;
    auto r = search_messages(*db_, q);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
  q.text = std::string(200, 'x');
  EXPECT_TRUE(search_messages(*db_, q)) << "200 characters are allowed";
}

}  // namespace
}  // namespace kz::app
