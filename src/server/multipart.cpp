#include "server/multipart.h"

#include "core/text.h"

namespace kz::server {

namespace {

// The value of parameter `key` in a header value such as `form-data; name="logs"`, quotes
// removed; "" when absent.
std::string parameter(std::string_view value, std::string_view key) {
  size_t at = 0;
  while (at < value.size()) {
    const size_t semi = value.find(';', at);
    std::string_view item =
        trim(value.substr(at, semi == std::string_view::npos ? semi : semi - at));
    at = semi == std::string_view::npos ? value.size() : semi + 1;
    const size_t eq = item.find('=');
    if (eq == std::string_view::npos || !iequals(trim(item.substr(0, eq)), key)) continue;
    std::string_view v = trim(item.substr(eq + 1));
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    return std::string(v);
  }
  return "";
}

Error bad(const std::string& why) {
  return Error::InvalidArgument("the multipart/form-data body is not valid: " + why);
}

}  // namespace

std::string multipart_boundary(std::string_view content_type) {
  const size_t semi = content_type.find(';');
  if (!iequals(trim(content_type.substr(0, semi)), "multipart/form-data")) return "";
  if (semi == std::string_view::npos) return "";
  std::string b = parameter(content_type.substr(semi + 1), "boundary");
  // RFC 2046: 1 to 70 characters.
  return b.size() <= 70 ? b : "";
}

Result<std::vector<FormPart>> parse_multipart(std::string_view body, std::string_view boundary,
                                              size_t max_parts) {
  if (boundary.empty()) return fail(bad("no boundary in its Content-Type"));
  const std::string delimiter = "--" + std::string(boundary);
  if (!body.starts_with(delimiter)) return fail(bad("it does not start with the boundary"));
  std::vector<FormPart> parts;
  size_t at = delimiter.size();
  const std::string next = "\r\n" + delimiter;
  while (true) {
    // After a delimiter: "--" ends the body, CRLF starts a part.
    if (body.substr(at, 2) == "--") return parts;
    if (body.substr(at, 2) != "\r\n") return fail(bad("a boundary line is not followed by CRLF"));
    at += 2;
    if (parts.size() == max_parts) {
      return fail(bad("more than " + std::to_string(max_parts) + " parts"));
    }
    const size_t head_end = body.find("\r\n\r\n", at);
    const size_t end = body.find(next, at);
    if (end == std::string_view::npos) return fail(bad("a part has no closing boundary"));
    FormPart part;
    size_t content = 0;
    if (head_end != std::string_view::npos && head_end + 4 <= end) {
      content = head_end + 4;
    } else if (body.substr(at, 2) == "\r\n") {
      content = at + 2;  // no headers at all
    } else {
      return fail(bad("a part's headers do not end with an empty line"));
    }
    std::string_view headers = body.substr(at, content - at);
    while (!headers.empty()) {
      const size_t eol = headers.find("\r\n");
      std::string_view line = headers.substr(0, eol);
      headers = eol == std::string_view::npos ? std::string_view() : headers.substr(eol + 2);
      const size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      const std::string_view name = trim(line.substr(0, colon));
      const std::string_view value = trim(line.substr(colon + 1));
      if (iequals(name, "content-disposition")) {
        part.name = parameter(value, "name");
        part.filename = parameter(value, "filename");
      } else if (iequals(name, "content-type")) {
        part.content_type = std::string(value);
      }
    }
    if (part.name.empty()) return fail(bad("a part does not name its field"));
    part.body = body.substr(content, end - content);
    parts.push_back(std::move(part));
    at = end + next.size();
  }
}

}  // namespace kz::server
