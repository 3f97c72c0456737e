// Machine-readable abuse reports: X-ARF v4 and v3 (JSON), X-ARF 0.2 (the YAML-like report.txt
// part), ARF (RFC 5965 message/feedback-report fields) and the centre's web form JSON
// (docs/api.md). Pure parsers: bytes in, values out.
#pragma once

#include <string_view>

#include "intake/message.h"

namespace kz::intake {

// X-ARF v4 / v3 document or the web form, told apart by their keys. kParse with the reason
// (invalid JSON at offset N, not an X-ARF or form document, a required field missing).
// Lists longer than `max_items` are cut there (noted once in StructuredReport::problems).
Result<StructuredReport> parse_json_report(std::string_view json,
                                           size_t max_items = Limits{}.max_items_per_message);

// The "Key: value" lines of an X-ARF 0.2 report part.
Result<StructuredReport> parse_xarf02(std::string_view text);

// The fields of a message/feedback-report part.
Result<StructuredReport> parse_arf(std::string_view text);

// A bare .json file (X-ARF or form) as a ParsedMessage with channel "xarf" or "form".
// The report's problems (lists cut) become the message's.
Result<ParsedMessage> parse_json_message(std::string_view raw,
                                         size_t max_items = Limits{}.max_items_per_message);

}  // namespace kz::intake
