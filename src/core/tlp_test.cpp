// TLP markings as reporters write them (tlp.h).
#include "core/tlp.h"

#include <gtest/gtest.h>

namespace kz {
namespace {

TEST(Tlp, MarkingsAreReadWithOrWithoutThePrefixInAnyCase) {
  EXPECT_EQ(parse_tlp("TLP:RED"), Tlp::kRed);
  EXPECT_EQ(parse_tlp(" red "), Tlp::kRed);
  EXPECT_EQ(parse_tlp("tlp:amber+strict"), Tlp::kAmberStrict);
  EXPECT_EQ(parse_tlp("TLP:WHITE"), Tlp::kClear) << "TLP 1.0 WHITE is 2.0 CLEAR";
  EXPECT_EQ(parse_tlp("Green"), Tlp::kGreen);
  EXPECT_EQ(parse_tlp(""), std::nullopt) << "unmarked";
  EXPECT_EQ(parse_tlp("TLP:PURPLE"), std::nullopt);
  EXPECT_TRUE(is_tlp_red("TLP:RED"));
  EXPECT_FALSE(is_tlp_red("AMBER"));
  EXPECT_STREQ(to_string(Tlp::kAmberStrict), "AMBER+STRICT");
}

}  // namespace
}  // namespace kz
