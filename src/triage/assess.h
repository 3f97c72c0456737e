// Triage of one parsed message: what it is for (an incident report or a question,
// consultation, information), what kind of incident (centre type + RSIT), which addresses
// and sites it reports (never the reporter's own, never transport relays), with ports and
// times from logs, the imitated brand for phishing, intrusion tags and who reported it.
// Pure: no store access; the same message always gives the same assessment.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/ip.h"
#include "intake/message.h"
#include "store/incidents.h"
#include "store/messages.h"
#include "triage/brands.h"
#include "triage/reporters.h"
#include "triage/rules.h"

namespace kz::triage {

struct TriageConfig {
  std::shared_ptr<const Rules> rules = Rules::defaults();
  std::shared_ptr<const BrandList> brands = BrandList::defaults();
  std::shared_ptr<const ReporterDirectory> reporters = ReporterDirectory::defaults();
  std::string home_country = "JP";  // ISO alpha-2: domestic brands and reporters
  std::vector<Cidr> home_networks;  // the centre's own and protected networks: never incidents
};

// One reported address (or host, while its address is unknown) with what hangs under it.
struct IncidentSeed {
  std::string ip;    // canonical; empty when keyed by host
  std::string host;  // the URL host when no address is known
  std::vector<std::string> urls;
  std::vector<store::PortHit> ports;
  std::optional<Time> first_seen;
};

struct Assessment {
  Purpose purpose = Purpose::kIncident;
  Classification cls;
  std::string rule;  // why: "structured:xarf-4 connection/port_scan", "keywords:phishing", ...
  std::vector<IncidentSeed> incidents;
  std::vector<store::IndicatorRecord> indicators;  // everything found, with its role
  std::vector<std::string> tags;
  std::string brand;
  std::string brand_origin;  // domestic | foreign | unknown (phishing only)
  std::string format = "none";
  std::string xarf_report_id;
  std::string tlp;
  bool csam = false;
  bool disclose_reporter = false;
  ReporterInfo reporter;
};

Assessment assess(const intake::ParsedMessage& m, const TriageConfig& cfg);

}  // namespace kz::triage
