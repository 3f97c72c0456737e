// multipart/form-data (RFC 7578) as a browser sends a form with file fields: the parts, each with
// its field name, file name and content type. Used for the public report form's log uploads.
//
// Strict and bounded: a body without the boundary's opening and closing delimiters, a part
// without a Content-Disposition naming its field, or more than `max_parts` parts is refused with
// kInvalidArgument saying what is wrong. Part bodies are views into `body` (no copy). Pure,
// thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kz::server {

struct FormPart {
  std::string name;          // the form field
  std::string filename;      // "" when not a file
  std::string content_type;  // "" when not given
  std::string_view body;
};

// The boundary parameter of a multipart/form-data Content-Type; "" when it is not one.
std::string multipart_boundary(std::string_view content_type);

Result<std::vector<FormPart>> parse_multipart(std::string_view body, std::string_view boundary,
                                              size_t max_parts = 32);

}  // namespace kz::server
