#include "intake/mime.h"

#include <gmime/gmime.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>

#include "core/ip.h"
#include "core/text.h"
#include "intake/keyring.h"
#include "intake/structured.h"
#include "intake/zip.h"

namespace kz::intake {

namespace {

// GObject references released at scope end.
template <typename T>
struct Unref {
  T* p;
  explicit Unref(T* x) : p(x) {}
  ~Unref() {
    if (p) g_object_unref(p);
  }
  Unref(const Unref&) = delete;
  Unref& operator=(const Unref&) = delete;
};

const char* nz(const char* s) { return s ? s : ""; }

std::string strip_angle(std::string_view s) {
  s = trim(s);
  if (!s.empty() && s.front() == '<') s.remove_prefix(1);
  if (!s.empty() && s.back() == '>') s.remove_suffix(1);
  return std::string(trim(s));
}

bool looks_textual_name(std::string_view name) {
  static const char* kExt[] = {".txt", ".log", ".csv", ".json", ".yaml", ".yml", ".xml", ".eml",
                               ".text", ".htm", ".html", ".asc"};
  for (const char* e : kExt) {
    const std::string_view ext(e);
    if (name.size() >= ext.size() && iequals(name.substr(name.size() - ext.size()), ext)) return true;
  }
  return false;
}

bool ends_with_ci(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

std::string g_string(char* s) {
  std::string out = s ? s : "";
  g_free(s);
  return out;
}

// The decoded content of a leaf part (transfer encoding undone, charset untouched).
std::string part_bytes(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (!content) return {};
  GMimeStream* mem = g_mime_stream_mem_new();
  Unref<GMimeStream> guard(mem);
  g_mime_data_wrapper_write_to_stream(content, mem);
  GByteArray* arr = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
  return std::string(reinterpret_cast<const char*>(arr->data), arr->len);
}

class Walker {
 public:
  Walker(ParsedMessage& out, const MimeOptions& opt) : out_(out), opt_(opt) {}

  void walk(GMimeObject* obj, const std::string& prefix, int depth, bool quoted) {
    if (!obj) return;
    if (++parts_seen_ > opt_.limits.max_parts) {
      note("more than " + std::to_string(opt_.limits.max_parts) + " MIME parts: the rest skipped");
      return;
    }
    if (depth > opt_.limits.max_depth) {
      note("MIME nesting deeper than " + std::to_string(opt_.limits.max_depth) + ": skipped");
      return;
    }
    if (GMIME_IS_MULTIPART_ENCRYPTED(obj)) {
      decrypt_multipart(GMIME_MULTIPART_ENCRYPTED(obj), prefix, depth, quoted);
      return;
    }
    if (GMIME_IS_MULTIPART_SIGNED(obj)) {
      verify_multipart(GMIME_MULTIPART_SIGNED(obj));
      walk(g_mime_multipart_get_part(GMIME_MULTIPART(obj), GMIME_MULTIPART_SIGNED_CONTENT), prefix,
           depth + 1, quoted);
      return;
    }
    if (GMIME_IS_MULTIPART(obj)) {
      GMimeMultipart* mp = GMIME_MULTIPART(obj);
      const int n = g_mime_multipart_get_count(mp);
      // In an ARF report the third part is the original spam: evidence, not description.
      GMimeContentType* ct = g_mime_object_get_content_type(obj);
      const char* rt = ct ? g_mime_content_type_get_parameter(ct, "report-type") : nullptr;
      const bool is_report = rt && iequals(rt, "feedback-report");
      for (int i = 0; i < n; ++i) {
        walk(g_mime_multipart_get_part(mp, i), prefix, depth + 1, quoted || (is_report && i >= 2));
      }
      return;
    }
    if (GMIME_IS_MESSAGE_PART(obj)) {
      GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
      if (!inner) return;
      const std::string p = prefix.empty() ? "forwarded:" : prefix + "forwarded:";
      add_forwarded_headers(inner, p, quoted);
      walk(g_mime_message_get_mime_part(inner), p, depth + 1, quoted);
      return;
    }
    if (GMIME_IS_PART(obj)) leaf(GMIME_PART(obj), prefix, depth, quoted);
  }

 private:
  void note(std::string problem) { out_.problems.push_back(std::move(problem)); }

  void add_text(std::string origin, std::string text, bool attachment, bool quoted) {
    if (text_bytes_ + text.size() > opt_.limits.max_text_bytes) {
      note(origin + ": text over the limit of " + std::to_string(opt_.limits.max_text_bytes) +
           " bytes: not read");
      return;
    }
    text_bytes_ += text.size();
    out_.parts.push_back({std::move(origin), std::move(text), attachment, quoted});
  }

  // The header block of a forwarded message is text a handler reads ("From: ... Subject: ...").
  void add_forwarded_headers(GMimeMessage* inner, const std::string& prefix, bool quoted) {
    std::string text;
    if (const char* s = g_mime_message_get_subject(inner)) text += std::string("Subject: ") + s + "\n";
    InternetAddressList* from = g_mime_message_get_from(inner);
    if (from) text += "From: " + g_string(internet_address_list_to_string(from, nullptr, FALSE)) + "\n";
    if (!text.empty()) add_text(prefix + "headers", to_utf8(text, "utf-8"), false, quoted);
  }

  void leaf(GMimePart* part, const std::string& prefix, int depth, bool quoted) {
    GMimeContentType* ct = g_mime_object_get_content_type(GMIME_OBJECT(part));
    const std::string type = ct ? to_lower_ascii(nz(g_mime_content_type_get_media_type(ct))) : "";
    const std::string sub = ct ? to_lower_ascii(nz(g_mime_content_type_get_media_subtype(ct))) : "";
    const char* fn = g_mime_part_get_filename(part);
    const std::string name = fn ? fn : "";
    const bool attachment = !name.empty() || g_mime_part_is_attachment(part);
    const std::string origin =
        prefix + (attachment ? "attachment:" + (name.empty() ? type + "/" + sub : name) : "body");

    if (type == "message" && sub == "feedback-report") {
      const std::string fields = part_bytes(part);
      if (auto r = parse_arf(fields)) {
        out_.reports.push_back(std::move(*r));
      } else {
        note(origin + ": " + r.error().message);
      }
      add_text(origin, to_utf8(fields, "us-ascii"), attachment, true);
      return;
    }
    if (type == "message" && (sub == "rfc822" || sub == "rfc822-headers")) {
      // Held as a leaf (e.g. text/rfc822-headers or an unparsed message): keep as quoted text.
      add_text(origin, to_utf8(part_bytes(part), ""), attachment, true);
      return;
    }
    if (openpgp(part, prefix, depth, quoted)) return;

    const bool is_zip = sub == "zip" || sub == "x-zip-compressed" || sub == "x-zip" ||
                        ends_with_ci(name, ".zip");
    if (is_zip) {
      unzip(part_bytes(part), origin, name, quoted);
      return;
    }
    const bool is_json = sub == "json" || ends_with_ci(name, ".json");
    const bool textual = type == "text" || is_json || looks_textual_name(name) ||
                         (type == "application" && (sub == "x-yaml" || sub == "yaml"));
    if (!textual) return;  // images, executables: evidence kept in the raw message only

    std::string text;
    if (GMIME_IS_TEXT_PART(part) && type == "text") {
      const char* cs = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
      text = to_utf8(part_bytes(part), cs ? cs : "");
    } else {
      text = to_utf8(part_bytes(part), "");
    }
    if (sub == "html") text = strip_html(text);
    // A machine-readable report part is evidence: its fields are read from the report itself.
    const bool structured = structured_from_text(text, origin, is_json, name);
    add_text(origin, std::move(text), attachment, quoted || structured);
  }

  // X-ARF inside a mail: a JSON part (v3/v4) or the 0.2 report.txt part. True when one was read.
  bool structured_from_text(const std::string& text, const std::string& origin, bool is_json,
                            const std::string& name) {
    const std::string_view t = trim(text);
    if (is_json || (!t.empty() && t.front() == '{' && t.find("\"xarf_version\"") != std::string_view::npos) ||
        (!t.empty() && t.front() == '{' && t.find("\"ReporterInfo\"") != std::string_view::npos)) {
      if (t.empty() || t.front() != '{') return false;
      auto r = parse_json_report(t);
      if (r) {
        out_.reports.push_back(std::move(*r));
        return true;
      }
      if (t.find("xarf") != std::string_view::npos || t.find("ReportClass") != std::string_view::npos) {
        note(origin + ": " + r.error().message);
      }
      return false;
    }
    // X-ARF 0.2 fields stand at the top of their part: look at the head only.
    const std::string_view head = t.substr(0, 4096);
    const bool named_report = iequals(name, "report.txt") || iequals(name, "report.yaml") || iequals(name, "report.yml");
    if ((named_report || ifind(head, "Report-Type:") != std::string_view::npos) &&
        ifind(head, "Reported-From:") != std::string_view::npos && ifind(head, "Category:") != std::string_view::npos) {
      if (auto r = parse_xarf02(t)) {
        out_.reports.push_back(std::move(*r));
        return true;
      } else {
        note(origin + ": " + r.error().message);
      }
    }
    return false;
  }

  static std::string strip_html(const std::string& html) {
    std::string out;
    out.reserve(html.size());
    bool in_tag = false;
    for (size_t i = 0; i < html.size(); ++i) {
      const char c = html[i];
      if (c == '<') {
        in_tag = true;
        // Block elements become line breaks so lines stay lines.
        if (istarts_with(std::string_view(html).substr(i), "<br") ||
            istarts_with(std::string_view(html).substr(i), "<p") ||
            istarts_with(std::string_view(html).substr(i), "<div") ||
            istarts_with(std::string_view(html).substr(i), "<tr")) {
          out += '\n';
        }
        continue;
      }
      if (c == '>') {
        in_tag = false;
        continue;
      }
      if (!in_tag) out += c;
    }
    static const std::pair<const char*, const char*> kEntities[] = {
        {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&nbsp;", " "}, {"&#39;", "'"}};
    for (const auto& [from, to] : kEntities) {
      size_t pos = 0;
      while ((pos = out.find(from, pos)) != std::string::npos) {
        out.replace(pos, std::strlen(from), to);
        pos += std::strlen(to);
      }
    }
    return out;
  }

  void unzip(const std::string& bytes, const std::string& origin, const std::string& name, bool quoted) {
    std::vector<std::string> skipped;
    auto entries = read_zip(bytes, opt_.limits.max_zip_entries, opt_.limits.max_unzipped_bytes, &skipped);
    if (!entries) {
      note(origin + ": " + entries.error().message);
      return;
    }
    for (const auto& s : skipped) note(origin + ": " + s);
    for (auto& e : *entries) {
      const std::string o = "zip:" + (name.empty() ? std::string("archive.zip") : name) + "/" + e.name;
      if (ends_with_ci(e.name, ".zip")) {
        note(o + ": nested zip archives are not opened");
        continue;
      }
      std::string text = to_utf8(e.data, "");
      const bool structured = structured_from_text(text, o, ends_with_ci(e.name, ".json"), e.name);
      add_text(o, std::move(text), true, quoted || structured);
    }
  }

  // Inline OpenPGP (armored blocks in a text part). Returns true when the part was handled.
  bool openpgp(GMimePart* part, const std::string& prefix, int depth, bool quoted) {
    const GMimeOpenPGPData kind = g_mime_part_get_openpgp_data(part);
    if (kind != GMIME_OPENPGP_DATA_ENCRYPTED && kind != GMIME_OPENPGP_DATA_SIGNED) return false;
    if (!opt_.openpgp) return false;
    GError* err = nullptr;
    if (kind == GMIME_OPENPGP_DATA_ENCRYPTED) {
      GMimeDecryptResult* res = g_mime_part_openpgp_decrypt(part, GMIME_DECRYPT_NONE, nullptr, &err);
      if (!res) {
        out_.encrypted = 2;
        note(std::string("inline OpenPGP message could not be decrypted: ") + (err ? err->message : "unknown error"));
        if (err) g_error_free(err);
        return true;  // the ciphertext is kept in the raw message; nothing to read
      }
      out_.encrypted = std::max(out_.encrypted, 1);
      record_signatures(g_mime_decrypt_result_get_signatures(res));
      g_object_unref(res);
      // The part now holds the plaintext.
      const char* cs = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
      std::string text = to_utf8(part_bytes(part), cs ? cs : "");
      structured_from_text(text, prefix + "body", false, "");
      add_text(prefix + "body", std::move(text), false, quoted);
      (void)depth;
      return true;
    }
    GMimeSignatureList* sigs = signed_by_unknown_key(part_bytes(part))
                                   ? nullptr
                                   : g_mime_part_openpgp_verify(part, GMIME_VERIFY_NONE, &err);
    if (!sigs && out_.signature == "unknown-key") {
      // recorded from the issuer key ID
    } else if (!sigs) {
      out_.signature = "error";
      note(std::string("inline OpenPGP signature could not be checked: ") + (err ? err->message : "unknown error"));
      if (err) g_error_free(err);
    } else {
      record_signatures(sigs);
      g_object_unref(sigs);
    }
    const char* cs = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
    std::string text = to_utf8(part_bytes(part), cs ? cs : "");
    add_text(prefix + "body", std::move(text), false, quoted);
    return true;
  }

  void record_signatures(GMimeSignatureList* sigs) {
    if (!sigs || g_mime_signature_list_length(sigs) == 0) return;
    GMimeSignature* sig = g_mime_signature_list_get_signature(sigs, 0);
    const GMimeSignatureStatus st = g_mime_signature_get_status(sig);
    GMimeCertificate* cert = g_mime_signature_get_certificate(sig);
    const char* fpr = cert ? g_mime_certificate_get_fingerprint(cert) : nullptr;
    if (!fpr && cert) fpr = g_mime_certificate_get_key_id(cert);
    out_.signer = fpr ? fpr : "";
    if (st & GMIME_SIGNATURE_STATUS_KEY_MISSING) {
      out_.signature = "unknown-key";
    } else if (st & GMIME_SIGNATURE_STATUS_RED) {
      out_.signature = "bad";
    } else if (st & (GMIME_SIGNATURE_STATUS_VALID | GMIME_SIGNATURE_STATUS_GREEN)) {
      out_.signature = "valid";
    } else if (st & GMIME_SIGNATURE_STATUS_SYS_ERROR) {
      out_.signature = "error";
    } else {
      out_.signature = "valid";  // no error bits: the signature checked out
    }
  }

  // A signature by a key the centre does not hold is "unknown-key" whatever gpg would say;
  // knowing it from the issuer key ID saves starting a gpg process.
  bool signed_by_unknown_key(std::string_view armored) {
    const Keyring& ring = Keyring::centre();
    if (!ring.listed()) return false;
    auto issuer = signature_issuer(armored);
    if (!issuer || ring.has(*issuer)) return false;
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llX", static_cast<unsigned long long>(*issuer));
    out_.signature = "unknown-key";
    out_.signer = hex;
    return true;
  }

  void verify_multipart(GMimeMultipartSigned* mps) {
    if (!opt_.openpgp) return;
    GMimeObject* sig = g_mime_multipart_get_part(GMIME_MULTIPART(mps), GMIME_MULTIPART_SIGNED_SIGNATURE);
    if (sig && GMIME_IS_PART(sig) && signed_by_unknown_key(part_bytes(GMIME_PART(sig)))) return;
    GError* err = nullptr;
    GMimeSignatureList* sigs = g_mime_multipart_signed_verify(mps, GMIME_VERIFY_NONE, &err);
    if (!sigs) {
      out_.signature = "error";
      note(std::string("PGP/MIME signature could not be checked: ") + (err ? err->message : "unknown error"));
      if (err) g_error_free(err);
      return;
    }
    record_signatures(sigs);
    g_object_unref(sigs);
  }

  void decrypt_multipart(GMimeMultipartEncrypted* mpe, const std::string& prefix, int depth, bool quoted) {
    if (!opt_.openpgp) {
      out_.encrypted = 2;
      note("encrypted message: OpenPGP is disabled");
      return;
    }
    GError* err = nullptr;
    GMimeDecryptResult* res = nullptr;
    GMimeObject* clear = g_mime_multipart_encrypted_decrypt(mpe, GMIME_DECRYPT_NONE, nullptr, &res, &err);
    if (!clear) {
      out_.encrypted = 2;
      note(std::string("PGP/MIME message could not be decrypted: ") + (err ? err->message : "unknown error"));
      if (err) g_error_free(err);
      if (res) g_object_unref(res);
      return;
    }
    out_.encrypted = std::max(out_.encrypted, 1);
    if (res) {
      record_signatures(g_mime_decrypt_result_get_signatures(res));
      g_object_unref(res);
    }
    if (GMIME_IS_MULTIPART_SIGNED(clear)) {
      verify_multipart(GMIME_MULTIPART_SIGNED(clear));
    }
    walk(clear, prefix, depth + 1, quoted);
    g_object_unref(clear);
  }

  ParsedMessage& out_;
  const MimeOptions& opt_;
  int parts_seen_ = 0;
  size_t text_bytes_ = 0;
};

// Addresses in one Received header's "from" clause: "from host (host [192.0.2.1])".
void collect_ips(std::string_view value, std::vector<std::string>& out) {
  size_t i = 0;
  while (i < value.size()) {
    const size_t open = value.find('[', i);
    if (open == std::string_view::npos) break;
    const size_t close = value.find(']', open);
    if (close == std::string_view::npos) break;
    std::string_view inside = value.substr(open + 1, close - open - 1);
    if (istarts_with(inside, "IPv6:")) inside.remove_prefix(5);
    if (auto ip = Ip::parse(inside)) out.push_back(ip->to_string());
    i = close + 1;
  }
}

// The date after the last ';' of a Received header.
std::optional<Time> received_date(std::string_view value) {
  const size_t semi = value.rfind(';');
  if (semi == std::string_view::npos) return std::nullopt;
  return parse_rfc2822(value.substr(semi + 1));
}

std::string by_host(std::string_view value) {
  const size_t by = ifind(value, " by ");
  if (by == std::string_view::npos) {
    if (istarts_with(value, "by ")) return to_lower_ascii(trim(value.substr(3, value.find_first_of(" \t\r\n(;", 3) - 3)));
    return {};
  }
  std::string_view rest = trim(value.substr(by + 4));
  return to_lower_ascii(rest.substr(0, rest.find_first_of(" \t\r\n(;")));
}

void read_headers(GMimeMessage* msg, ParsedMessage& out, const MimeOptions& opt) {
  GMimeObject* obj = GMIME_OBJECT(msg);
  GMimeHeaderList* headers = g_mime_object_get_header_list(obj);
  const int n = g_mime_header_list_get_count(headers);
  bool found_own = false;
  for (int i = 0; i < n; ++i) {
    GMimeHeader* h = g_mime_header_list_get_header_at(headers, i);
    const char* name = g_mime_header_get_name(h);
    if (!name || !iequals(name, "Received")) continue;
    const char* raw = g_mime_header_get_raw_value(h);
    const std::string value = raw ? raw : (nz(g_mime_header_get_value(h)));
    collect_ips(value, out.relay_ips);
    if (istarts_with(trim(value), "from ")) {
      std::string_view rest = trim(value).substr(5);
      const std::string host = to_lower_ascii(rest.substr(0, rest.find_first_of(" \t\r\n(;")));
      if (host.find('.') != std::string::npos && !Ip::parse(host)) out.relay_hosts.push_back(host);
    }
    if (found_own) continue;
    bool own = opt.own_mx.empty();
    if (!own) {
      const std::string by = by_host(value);
      for (const auto& mx : opt.own_mx) own = own || iequals(by, mx);
    }
    if (own) {
      if (auto t = received_date(value)) {
        out.received = t;
        found_own = true;
      }
    }
  }
  if (const char* s = g_mime_message_get_subject(msg)) out.subject = sanitize_utf8(s);
  if (const char* id = g_mime_message_get_message_id(msg)) out.message_id = strip_angle(id);
  InternetAddressList* from = g_mime_message_get_from(msg);
  if (from && internet_address_list_length(from) > 0) {
    InternetAddress* a = internet_address_list_get_address(from, 0);
    if (INTERNET_ADDRESS_IS_MAILBOX(a)) {
      out.from_address = to_lower_ascii(nz(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a))));
    } else if (INTERNET_ADDRESS_IS_GROUP(a)) {
      InternetAddressList* members = internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a));
      if (members && internet_address_list_length(members) > 0) {
        InternetAddress* m = internet_address_list_get_address(members, 0);
        if (INTERNET_ADDRESS_IS_MAILBOX(m)) {
          out.from_address = to_lower_ascii(nz(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(m))));
        }
      }
    }
    if (const char* nm = internet_address_get_name(a)) out.from_name = sanitize_utf8(nm);
  }
  if (GDateTime* dt = g_mime_message_get_date(msg)) {
    out.date = Time{std::chrono::seconds{g_date_time_to_unix(dt)}};
    out.date_offset_minutes = static_cast<int>(g_date_time_get_utc_offset(dt) / G_TIME_SPAN_MINUTE);
  }
  for (const char* hname : {"In-Reply-To", "References"}) {
    const char* v = g_mime_object_get_header(obj, hname);
    if (!v) continue;
    GMimeReferences* refs = g_mime_references_parse(nullptr, v);
    if (!refs) continue;
    for (int k = 0; k < g_mime_references_length(refs); ++k) {
      std::string id = strip_angle(g_mime_references_get_message_id(refs, k));
      bool seen = false;
      for (const auto& r : out.refs) seen = seen || r == id;
      if (!seen && !id.empty()) out.refs.push_back(std::move(id));
    }
    g_mime_references_free(refs);
  }
}

}  // namespace

void init_mime() {
  static std::once_flag once;
  std::call_once(once, [] {
    g_mime_init();
    g_mime_crypto_context_register("application/pgp-signature", g_mime_gpg_context_new);
    g_mime_crypto_context_register("application/pgp-encrypted", g_mime_gpg_context_new);
    g_mime_crypto_context_register("application/pgp-keys", g_mime_gpg_context_new);
    // Japanese reporters send undeclared 8-bit text: try these when no charset is given.
    static const char* kFallback[] = {"utf-8", "iso-2022-jp", "shift_jis", "euc-jp", "windows-1252", nullptr};
    g_mime_parser_options_set_fallback_charsets(g_mime_parser_options_get_default(), kFallback);
  });
}

namespace {

// iconv descriptors are expensive to open (glibc loads and unloads a gconv module each time):
// keep one per source charset and thread for the life of the process.
class ConverterCache {
 public:
  ~ConverterCache() {
    for (auto& [name, cd] : cache_) {
      if (cd != reinterpret_cast<GIConv>(-1)) g_iconv_close(cd);
    }
  }
  GIConv get(const char* from) {
    auto it = cache_.find(from);
    if (it != cache_.end()) return it->second;
    GIConv cd = g_iconv_open("UTF-8", from);
    cache_.emplace(from, cd);
    return cd;
  }

 private:
  std::map<std::string, GIConv> cache_;
};

GIConv converter(const char* from) {
  thread_local ConverterCache cache;
  return cache.get(from);
}

}  // namespace

std::string to_utf8(std::string_view bytes, std::string_view charset) {
  auto convert = [&](const char* from) -> std::optional<std::string> {
    GIConv cd = converter(from);
    if (cd == reinterpret_cast<GIConv>(-1)) return std::nullopt;
    g_iconv(cd, nullptr, nullptr, nullptr, nullptr);  // reset shift state (ISO-2022-JP)
    gsize written = 0;
    GError* err = nullptr;
    gchar* out = g_convert_with_iconv(bytes.data(), static_cast<gssize>(bytes.size()), cd, nullptr, &written, &err);
    if (!out) {
      if (err) g_error_free(err);
      return std::nullopt;
    }
    std::string s(out, written);
    g_free(out);
    return s;
  };
  std::string cs = to_lower_ascii(trim(charset));
  if (cs == "us-ascii" || cs == "ascii" || cs == "utf8") cs = "utf-8";
  if (cs == "x-sjis" || cs == "sjis" || cs == "shift-jis" || cs == "ms_kanji") cs = "shift_jis";
  if (cs == "cp932" || cs == "windows-31j") cs = "cp932";
  const bool has_esc = bytes.find("\x1b$B") != std::string_view::npos ||
                       bytes.find("\x1b$@") != std::string_view::npos ||
                       bytes.find("\x1b(J") != std::string_view::npos;
  if (cs.empty() || cs == "utf-8") {
    if (g_utf8_validate(bytes.data(), static_cast<gssize>(bytes.size()), nullptr) && !has_esc) {
      return sanitize_utf8(bytes);
    }
    if (has_esc) {
      if (auto s = convert("ISO-2022-JP-2")) return sanitize_utf8(*s);
    }
    // Japanese legacy encodings: CP932 is the superset Windows mailers really use.
    for (const char* guess : {"CP932", "EUC-JP", "WINDOWS-1252"}) {
      if (auto s = convert(guess)) return sanitize_utf8(*s);
    }
    return sanitize_utf8(bytes);
  }
  if (cs == "iso-2022-jp" || cs == "iso-2022-jp-2" || cs == "iso-2022-jp-3") {
    if (auto s = convert("ISO-2022-JP-2")) return sanitize_utf8(*s);
  }
  if (cs == "shift_jis") {
    if (auto s = convert("CP932")) return sanitize_utf8(*s);
  }
  if (cs == "euc-jp") {
    if (auto s = convert("EUC-JP-MS")) return sanitize_utf8(*s);
  }
  if (auto s = convert(cs.c_str())) return sanitize_utf8(*s);
  return to_utf8(bytes, "");  // unknown or wrong declared charset: guess
}

Result<ParsedMessage> parse_email(std::string_view raw, const MimeOptions& options) {
  init_mime();
  if (raw.size() > options.limits.max_message_bytes) {
    return fail(Error::Parse("message of " + std::to_string(raw.size()) + " bytes is over the limit of " +
                             std::to_string(options.limits.max_message_bytes) +
                             " (intake.max_message_bytes); it is kept unparsed"));
  }
  // Tolerate a leading mbox "From " separator line.
  if (raw.starts_with("From ")) {
    const size_t nl = raw.find('\n');
    raw = nl == std::string_view::npos ? std::string_view{} : raw.substr(nl + 1);
  }
  const std::string_view head = raw.substr(0, std::min<size_t>(raw.size(), 4096));
  const size_t colon = head.find(':');
  const size_t first_nl = head.find('\n');
  if (raw.empty() || colon == std::string_view::npos || (first_nl != std::string_view::npos && colon > first_nl) ||
      head.substr(0, colon).find(' ') != std::string_view::npos) {
    return fail(Error::Parse("not an Internet message: it does not start with a header line"));
  }
  GMimeStream* stream = g_mime_stream_mem_new_with_buffer(raw.data(), raw.size());
  Unref<GMimeStream> sguard(stream);
  GMimeParser* parser = g_mime_parser_new_with_stream(stream);
  Unref<GMimeParser> pguard(parser);
  g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
  GMimeMessage* msg = g_mime_parser_construct_message(parser, nullptr);
  if (!msg) return fail(Error::Parse("the MIME structure could not be read"));
  Unref<GMimeMessage> mguard(msg);

  ParsedMessage out;
  read_headers(msg, out, options);
  Walker walker(out, options);
  walker.walk(g_mime_message_get_mime_part(msg), "", 0, false);
  return out;
}

}  // namespace kz::intake
