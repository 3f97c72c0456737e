// The lean MIME reader (see mime_parts.h). It reads only what it can read exactly as gmime
// does and gives up otherwise; every give-up is a `return false` with the reason beside it.
// Header values are decoded by the same gmime utilities the gmime reader uses (read_headers),
// transfer encodings by gmime's own decoders; what is new here is only the structure: header
// blocks, Content-* fields and multipart boundaries, found without building GObjects.
#include <gmime/gmime.h>

#include <cstring>

#include "core/text.h"
#include "intake/mime_parts.h"

namespace kz::intake::detail {

namespace {

// A Content-Type or Content-Disposition value: "type/sub; name=value; ...".
struct FieldValue {
  std::string first;  // "text/plain" lower-cased, or "attachment"
  std::vector<std::pair<std::string, std::string>> params;  // names lower-cased, values unquoted

  const std::string* param(std::string_view name) const {
    for (const auto& [n, v] : params) {
      if (n == name) return &v;
    }
    return nullptr;
  }
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n'; }

// An RFC 2045 token (printable ASCII without specials), `extra` allowed besides.
bool is_token(std::string_view s, std::string_view extra) {
  static constexpr std::string_view kSpecials = "()<>@,;:\\\"/[]?=";
  for (const char c : s) {
    if (c <= ' ' || c >= 127) return false;
    if (kSpecials.find(c) != std::string_view::npos && extra.find(c) == std::string_view::npos)
      return false;
  }
  return true;
}

// Parses a structured field value. False on comments, RFC 2231 parameters, encoded words,
// escapes in quoted strings or anything else gmime would interpret beyond this syntax.
bool parse_field(std::string_view v, FieldValue& out) {
  for (const char ch : v) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c == '\\' || c >= 127 || (c < 32 && c != '\t' && c != '\n')) return false;
  }
  size_t i = 0;
  auto skip_ws = [&] {
    while (i < v.size() && is_space(v[i])) ++i;
  };
  skip_ws();
  const size_t start = i;
  while (i < v.size() && v[i] != ';' && !is_space(v[i])) ++i;
  out.first = to_lower_ascii(v.substr(start, i - start));
  if (out.first.empty() || !is_token(out.first, "/")) return false;
  skip_ws();
  while (i < v.size()) {
    if (v[i] != ';') return false;  // a comment "(...)" or junk after the value
    ++i;
    skip_ws();
    if (i >= v.size()) break;
    if (v[i] == ';') continue;
    const size_t ns = i;
    while (i < v.size() && v[i] != '=' && v[i] != ';' && !is_space(v[i])) ++i;
    std::string name = to_lower_ascii(v.substr(ns, i - ns));
    if (name.empty() || !is_token(name, "") || name.find('*') != std::string::npos) return false;
    skip_ws();
    if (i >= v.size() || v[i] != '=') return false;
    ++i;
    skip_ws();
    std::string value;
    if (i < v.size() && v[i] == '"') {
      const size_t close = v.find('"', i + 1);
      if (close == std::string_view::npos) return false;
      value = std::string(v.substr(i + 1, close - i - 1));
      if (value.find('\n') != std::string::npos) return false;
      i = close + 1;
    } else {
      const size_t vs = i;
      while (i < v.size() && v[i] != ';' && !is_space(v[i])) ++i;
      value = std::string(v.substr(vs, i - vs));
      if (value.empty() || !is_token(value, "")) return false;
    }
    // Encoded words in a parameter (a Japanese file name) are decoded by gmime; a boundary is
    // taken as it stands.
    if (name != "boundary" && value.find("=?") != std::string::npos) return false;
    for (const auto& [n, _] : out.params) {
      if (n == name) return false;  // a repeated parameter: gmime's choice is not ours to guess
    }
    out.params.emplace_back(std::move(name), std::move(value));
    skip_ws();
  }
  return true;
}

// One entity: its header block and body.
struct Entity {
  std::vector<RawHeader> headers;
  std::string_view body;
};

// Splits a header block from its body. False on carriage returns, NUL bytes, lines that are
// not "Name: value", and a header block with no blank line after it.
bool split_entity(std::string_view data, Entity& out) {
  size_t pos = 0;
  while (true) {
    if (pos >= data.size()) return false;
    if (data[pos] == '\n') {
      out.body = data.substr(pos + 1);
      return true;
    }
    size_t colon = pos;
    while (colon < data.size() && data[colon] != ':') {
      const unsigned char c = static_cast<unsigned char>(data[colon]);
      if (c <= ' ' || c >= 127) return false;
      ++colon;
    }
    if (colon == pos || colon >= data.size()) return false;
    size_t end = colon + 1;
    while (true) {
      const size_t nl = data.find('\n', end);
      if (nl == std::string_view::npos) return false;
      end = nl + 1;
      if (end < data.size() && (data[end] == ' ' || data[end] == '\t')) continue;
      break;
    }
    const std::string_view value = data.substr(colon + 1, end - colon - 1);
    if (value.find('\r') != std::string_view::npos || value.find('\0') != std::string_view::npos)
      return false;
    out.headers.push_back({data.substr(pos, colon - pos), std::string(value)});
    pos = end;
  }
}

// The one header of this name (unfolded), or nullptr; false when it appears twice.
bool single_header(const Entity& e, std::string_view name, const RawHeader*& found) {
  found = nullptr;
  for (const auto& h : e.headers) {
    if (!iequals(h.name, name)) continue;
    if (found) return false;
    found = &h;
  }
  return true;
}

enum class Encoding { kIdentity, kQuotedPrintable, kBase64 };

bool transfer_encoding(const Entity& e, Encoding& enc) {
  const RawHeader* h = nullptr;
  if (!single_header(e, "Content-Transfer-Encoding", h)) return false;
  enc = Encoding::kIdentity;
  if (!h) return true;
  const std::string v = to_lower_ascii(trim(h->raw));
  if (v.empty() || v == "7bit" || v == "8bit" || v == "binary") return true;
  if (v == "quoted-printable") {
    enc = Encoding::kQuotedPrintable;
    return true;
  }
  if (v == "base64") {
    enc = Encoding::kBase64;
    return true;
  }
  return false;  // uuencode, x-token encodings: gmime's business
}

// The content with its transfer encoding undone, by gmime's own decoders.
std::string decode(std::string_view body, Encoding enc) {
  if (enc == Encoding::kIdentity) return std::string(body);
  std::string out(body.size() + 4, '\0');
  int state = 0;
  guint32 save = 0;
  const auto* in = reinterpret_cast<const unsigned char*>(body.data());
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  const size_t n = enc == Encoding::kBase64
                       ? g_mime_encoding_base64_decode_step(in, body.size(), o, &state, &save)
                       : g_mime_encoding_quoted_decode_step(in, body.size(), o, &state, &save);
  out.resize(n);
  return out;
}

// True when `line` (without its line break) is "--boundary" or "--boundary--" with only
// trailing white space.
int boundary_kind(std::string_view line, std::string_view boundary) {
  if (line.size() < boundary.size() + 2 || line[0] != '-' || line[1] != '-' ||
      line.substr(2, boundary.size()) != boundary) {
    return 0;
  }
  std::string_view rest = line.substr(2 + boundary.size());
  int kind = 1;
  if (rest.starts_with("--")) {
    kind = 2;
    rest.remove_prefix(2);
  }
  for (char c : rest) {
    if (c != ' ' && c != '\t') return -1;  // a longer boundary that starts the same: give up
  }
  return kind;
}

// The bodies between the boundaries. False without a closing boundary or with a line that
// starts like the boundary but is not one.
bool split_multipart(std::string_view body, std::string_view boundary,
                     std::vector<std::string_view>& parts) {
  size_t pos = 0;
  size_t part_start = std::string_view::npos;
  while (pos <= body.size()) {
    size_t nl = body.find('\n', pos);
    const size_t line_end = nl == std::string_view::npos ? body.size() : nl;
    const std::string_view line = body.substr(pos, line_end - pos);
    const int kind = line.starts_with("--") ? boundary_kind(line, boundary) : 0;
    if (kind < 0) return false;
    if (kind > 0) {
      if (part_start != std::string_view::npos) {
        // The line break before the boundary belongs to the boundary.
        const size_t end = pos > part_start ? pos - 1 : part_start;
        parts.push_back(body.substr(part_start, end - part_start));
      }
      if (kind == 2) return !parts.empty();
      part_start = nl == std::string_view::npos ? body.size() : nl + 1;
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return false;
}

class LeanReader {
 public:
  LeanReader(ParsedMessage& out, const MimeOptions& opt) : collect_(out, opt) {}

  bool message(std::string_view raw) {
    Entity e;
    if (!split_entity(raw, e)) return false;
    read_headers(e.headers, collect_.out(), collect_.options());
    return entity(e, "", 0, false);
  }

 private:
  bool entity(const Entity& e, const std::string& prefix, int depth, bool quoted) {
    if (!collect_.enter(depth)) return true;
    const RawHeader* ct_header = nullptr;
    if (!single_header(e, "Content-Type", ct_header)) return false;
    FieldValue ct;
    if (ct_header) {
      if (!parse_field(ct_header->raw, ct)) return false;
    } else {
      ct.first = "text/plain";
    }
    const size_t slash = ct.first.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == ct.first.size()) return false;
    const std::string type = ct.first.substr(0, slash);
    const std::string sub = ct.first.substr(slash + 1);
    Encoding enc;
    if (!transfer_encoding(e, enc)) return false;

    if (type == "multipart") {
      if (sub == "signed" || sub == "encrypted" || sub == "digest")
        return false;  // gmime: OpenPGP, digests
      const std::string* boundary = ct.param("boundary");
      if (!boundary || boundary->empty() || enc != Encoding::kIdentity) return false;
      std::vector<std::string_view> parts;
      if (!split_multipart(e.body, *boundary, parts)) return false;
      const std::string* rt = ct.param("report-type");
      const bool is_report = rt && iequals(*rt, "feedback-report");
      for (size_t i = 0; i < parts.size(); ++i) {
        Entity child;
        if (parts[i].starts_with("\n")) {
          child.body = parts[i].substr(1);
        } else if (!split_entity(parts[i], child)) {
          return false;
        }
        if (!entity(child, prefix, depth + 1, quoted || (is_report && i >= 2))) return false;
      }
      return true;
    }
    if (type == "message") {
      if (sub == "rfc822") {
        if (enc != Encoding::kIdentity) return false;
        Entity inner;
        if (!split_entity(e.body, inner)) return false;
        const std::string p = prefix + "forwarded:";
        collect_.embedded_headers(inner.headers);
        forwarded_headers(inner, p, quoted);
        return entity(inner, p, depth + 1, quoted);
      }
      if (sub != "feedback-report" && sub != "delivery-status") return false;
    }

    const RawHeader* cd_header = nullptr;
    if (!single_header(e, "Content-Disposition", cd_header)) return false;
    FieldValue cd;
    if (cd_header && !parse_field(cd_header->raw, cd)) return false;
    Leaf leaf;
    leaf.type = type;
    leaf.subtype = sub;
    const std::string* filename = cd_header ? cd.param("filename") : nullptr;
    if (!filename) filename = ct.param("name");
    if (filename) leaf.name = *filename;
    leaf.attachment = !leaf.name.empty() || (cd_header && cd.first == "attachment");
    if (type == "text") {
      if (const std::string* cs = ct.param("charset")) {
        leaf.has_charset_param = true;
        leaf.charset = *cs;
      }
    }
    const std::string_view body = e.body;
    leaf.bytes = [body, enc] { return decode(body, enc); };
    collect_.leaf(leaf, prefix, quoted);
    return true;
  }

  // "Subject:" and "From:" of a forwarded message, as gmime's message object gives them.
  void forwarded_headers(const Entity& inner, const std::string& prefix, bool quoted) {
    const RawHeader* subject = nullptr;
    InternetAddressList* from = internet_address_list_new();
    for (const auto& h : inner.headers) {
      if (iequals(h.name, "Subject")) {
        subject = &h;
      } else if (iequals(h.name, "From")) {
        if (InternetAddressList* l = internet_address_list_parse(nullptr, h.raw.c_str())) {
          internet_address_list_append(from, l);
          g_object_unref(l);
        }
      }
    }
    char* from_text = internet_address_list_to_string(from, nullptr, FALSE);
    g_object_unref(from);
    const std::string subject_text = subject ? header_text(subject->raw) : std::string();
    collect_.forwarded_headers(prefix, subject ? subject_text.c_str() : nullptr,
                               from_text ? from_text : "", quoted);
    g_free(from_text);
  }

  Collector collect_;
};

}  // namespace

bool parse_lean(std::string_view raw, const MimeOptions& opt, ParsedMessage& out) {
  init_mime();  // gmime's header utilities and decoders
  // OpenPGP is gmime's (with gpgme): any armor sends the message there.
  if (opt.openpgp && raw.find("-----BEGIN PGP") != std::string_view::npos) return false;
  LeanReader reader(out, opt);
  return reader.message(raw);
}

}  // namespace kz::intake::detail
