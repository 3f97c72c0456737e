#include "report/figures.h"

#include <gtest/gtest.h>

namespace kz::report {
namespace {

store::FigureRows::ScanPort port(store::Id incident, int p, int64_t hits) {
  return {incident, "tcp", p, hits};
}

TEST(Figures, AScanCountsUnderItsMostSeenPortOrAsComprehensive) {
  store::FigureRows rows;
  // Incident 1: port 22 seen most. Incident 2: 80 and 8080 as often, the lower port counts.
  // Incident 3: five ports, comprehensive at 5.
  rows.scan_ports = {port(1, 22, 40), port(1, 80, 2), port(2, 80, 3), port(2, 8080, 3),
                     port(3, 21, 9),  port(3, 22, 8), port(3, 23, 7), port(3, 80, 6),
                     port(3, 443, 5), port(4, 22, 1)};
  const Figures f = figures(rows, 5);
  EXPECT_EQ(f.comprehensive_scans, 1);
  ASSERT_EQ(f.scan_ports.size(), 2u);
  EXPECT_EQ(f.scan_ports[0].port, 22) << "two incidents, listed first";
  EXPECT_EQ(f.scan_ports[0].incidents, 2);
  EXPECT_EQ(f.scan_ports[1].port, 80);
  EXPECT_EQ(f.scan_ports[1].incidents, 1);
  EXPECT_EQ(figures(rows, 6).comprehensive_scans, 0) << "five ports are not six";
}

TEST(Figures, EveryBucketIsListedAndUnknownOriginsAreUnknown) {
  store::FigureRows rows;
  rows.by_type = {{"phishing", 3}, {"scan", 2}};
  rows.phishing_brand_origin = {{"domestic", 1}, {"", 1}, {"unknown", 1}};
  rows.by_org_kind = {{"isp", 4}, {"hosting", 2}, {"", 1}};
  const Figures f = figures(rows, 5);
  EXPECT_EQ(f.incidents, 5);
  EXPECT_EQ(f.by_type.at("forged"), 0);
  EXPECT_EQ(f.by_type.at("phishing"), 3);
  EXPECT_EQ(f.phishing_brand.at("domestic"), 1);
  EXPECT_EQ(f.phishing_brand.at("foreign"), 0);
  EXPECT_EQ(f.phishing_brand.at("unknown"), 2) << "no origin stored is unknown";
  EXPECT_EQ(f.by_org_kind.at("isp"), 4);
  EXPECT_EQ(f.by_org_kind.at("other"), 3) << "kinds outside the buckets are other";
  EXPECT_EQ(f.by_org_kind.at("school"), 0);
}

}  // namespace
}  // namespace kz::report
