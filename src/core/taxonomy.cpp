#include "core/taxonomy.h"

namespace kz {

namespace {
constexpr std::string_view kTypes[] = {"scan", "forged", "intrusion", "phishing", "other"};
constexpr std::string_view kPurposes[] = {"incident", "question", "information", "consultation",
                                          "reply"};
}  // namespace

std::string_view to_string(IncidentType t) { return kTypes[static_cast<int>(t)]; }

std::optional<IncidentType> parse_incident_type(std::string_view s) {
  for (int i = 0; i < 5; ++i) {
    if (kTypes[i] == s) return static_cast<IncidentType>(i);
  }
  return std::nullopt;
}

std::string_view to_string(Purpose p) { return kPurposes[static_cast<int>(p)]; }

std::optional<Purpose> parse_purpose(std::string_view s) {
  for (int i = 0; i < 5; ++i) {
    if (kPurposes[i] == s) return static_cast<Purpose>(i);
  }
  return std::nullopt;
}

}  // namespace kz
