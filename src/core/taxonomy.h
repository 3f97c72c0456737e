// The centre's incident types (as JPCERT/CC counts them in its quarterly report) and the
// RSIT taxonomy IntelMQ uses, side by side. Names are stable: they are stored and appear in
// `--json` output.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kz {

enum class IncidentType { kScan, kForged, kIntrusion, kPhishing, kOther };

std::string_view to_string(IncidentType t);
std::optional<IncidentType> parse_incident_type(std::string_view s);

// What a message is for. Only kIncident messages make reports; the rest are counted as
// non-incident messages.
enum class Purpose { kIncident, kQuestion, kInformation, kConsultation, kReply };

std::string_view to_string(Purpose p);
std::optional<Purpose> parse_purpose(std::string_view s);

// A classification: the centre's type (with a subtype for `other`, e.g. "dos",
// "malware-site") and the RSIT taxonomy/type pair ("fraud", "phishing").
struct Classification {
  IncidentType type = IncidentType::kOther;
  std::string subtype;
  std::string rsit_taxonomy = "other";
  std::string rsit_type = "undetermined";
};

}  // namespace kz
