#include "core/tlp.h"

#include "core/text.h"

namespace kz {

std::optional<Tlp> parse_tlp(std::string_view s) {
  s = trim(s);
  if (istarts_with(s, "TLP:")) s.remove_prefix(4);
  if (iequals(s, "CLEAR") || iequals(s, "WHITE")) return Tlp::kClear;
  if (iequals(s, "GREEN")) return Tlp::kGreen;
  if (iequals(s, "AMBER")) return Tlp::kAmber;
  if (iequals(s, "AMBER+STRICT")) return Tlp::kAmberStrict;
  if (iequals(s, "RED")) return Tlp::kRed;
  return std::nullopt;
}

const char* to_string(Tlp t) {
  switch (t) {
    case Tlp::kClear:
      return "CLEAR";
    case Tlp::kGreen:
      return "GREEN";
    case Tlp::kAmber:
      return "AMBER";
    case Tlp::kAmberStrict:
      return "AMBER+STRICT";
    case Tlp::kRed:
      return "RED";
  }
  return "RED";
}

}  // namespace kz
