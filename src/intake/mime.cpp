#include "intake/mime.h"

#include <gmime/gmime.h>

#include <cstdio>
#include <cstring>
#include <iterator>
#include <map>
#include <mutex>

#include "core/text.h"
#include "intake/keyring.h"
#include "intake/mime_parts.h"

namespace kz::intake {

namespace {

using detail::Collector;

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

std::vector<detail::RawHeader> raw_headers(GMimeObject* obj) {
  std::vector<detail::RawHeader> out;
  GMimeHeaderList* headers = g_mime_object_get_header_list(obj);
  const int n = g_mime_header_list_get_count(headers);
  out.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    GMimeHeader* h = g_mime_header_list_get_header_at(headers, i);
    out.push_back({nz(g_mime_header_get_name(h)), nz(g_mime_header_get_raw_value(h))});
  }
  return out;
}

// gmime's reader: walks the object tree gmime built, with OpenPGP (PGP/MIME and inline).
class Walker {
 public:
  Walker(ParsedMessage& out, const MimeOptions& opt) : out_(out), opt_(opt), collect_(out, opt) {}

  void walk(GMimeObject* obj, const std::string& prefix, int depth, bool quoted) {
    if (!obj) return;
    if (!collect_.enter(depth)) return;
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
      collect_.embedded_headers(raw_headers(GMIME_OBJECT(inner)));
      InternetAddressList* from = g_mime_message_get_from(inner);
      collect_.forwarded_headers(
          p, g_mime_message_get_subject(inner),
          from ? g_string(internet_address_list_to_string(from, nullptr, FALSE)) : "", quoted);
      walk(g_mime_message_get_mime_part(inner), p, depth + 1, quoted);
      return;
    }
    if (GMIME_IS_PART(obj)) leaf(GMIME_PART(obj), prefix, depth, quoted);
  }

 private:
  void note(std::string problem) { collect_.note(std::move(problem)); }

  void leaf(GMimePart* part, const std::string& prefix, int depth, bool quoted) {
    GMimeContentType* ct = g_mime_object_get_content_type(GMIME_OBJECT(part));
    detail::Leaf l;
    l.type = ct ? to_lower_ascii(nz(g_mime_content_type_get_media_type(ct))) : "";
    l.subtype = ct ? to_lower_ascii(nz(g_mime_content_type_get_media_subtype(ct))) : "";
    const char* fn = g_mime_part_get_filename(part);
    l.name = fn ? fn : "";
    l.attachment = !l.name.empty() || g_mime_part_is_attachment(part);
    if (GMIME_IS_TEXT_PART(part) && l.type == "text") {
      const char* cs = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
      l.has_charset_param = cs != nullptr;
      l.charset = nz(cs);
    }
    l.bytes = [part] { return part_bytes(part); };
    if (!Collector::is_message_leaf(l.type, l.subtype) && openpgp(part, prefix, depth, quoted))
      return;
    collect_.leaf(l, prefix, quoted);
  }

  // Inline OpenPGP (armored blocks in a text part). Returns true when the part was handled.
  bool openpgp(GMimePart* part, const std::string& prefix, int depth, bool quoted) {
    const GMimeOpenPGPData kind = g_mime_part_get_openpgp_data(part);
    if (kind != GMIME_OPENPGP_DATA_ENCRYPTED && kind != GMIME_OPENPGP_DATA_SIGNED) return false;
    if (!opt_.openpgp) return false;
    GError* err = nullptr;
    if (kind == GMIME_OPENPGP_DATA_ENCRYPTED) {
      GMimeDecryptResult* res =
          g_mime_part_openpgp_decrypt(part, GMIME_DECRYPT_NONE, nullptr, &err);
      if (!res) {
        out_.encrypted = 2;
        note(std::string("inline OpenPGP message could not be decrypted: ") +
             (err ? err->message : "unknown error"));
        if (err) g_error_free(err);
        return true;  // the ciphertext is kept in the raw message; nothing to read
      }
      out_.encrypted = std::max(out_.encrypted, 1);
      record_signatures(g_mime_decrypt_result_get_signatures(res));
      g_object_unref(res);
      // The part now holds the plaintext.
      const char* cs = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
      std::string text = to_utf8(part_bytes(part), cs ? cs : "");
      collect_.structured_from_text(text, prefix + "body", false, "");
      collect_.add_text(prefix + "body", std::move(text), false, quoted);
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
      note(std::string("inline OpenPGP signature could not be checked: ") +
           (err ? err->message : "unknown error"));
      if (err) g_error_free(err);
    } else {
      record_signatures(sigs);
      g_object_unref(sigs);
    }
    const char* cs = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
    std::string text = to_utf8(part_bytes(part), cs ? cs : "");
    collect_.add_text(prefix + "body", std::move(text), false, quoted);
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
    GMimeObject* sig =
        g_mime_multipart_get_part(GMIME_MULTIPART(mps), GMIME_MULTIPART_SIGNED_SIGNATURE);
    if (sig && GMIME_IS_PART(sig) && signed_by_unknown_key(part_bytes(GMIME_PART(sig)))) return;
    GError* err = nullptr;
    GMimeSignatureList* sigs = g_mime_multipart_signed_verify(mps, GMIME_VERIFY_NONE, &err);
    if (!sigs) {
      out_.signature = "error";
      note(std::string("PGP/MIME signature could not be checked: ") +
           (err ? err->message : "unknown error"));
      if (err) g_error_free(err);
      return;
    }
    record_signatures(sigs);
    g_object_unref(sigs);
  }

  void decrypt_multipart(GMimeMultipartEncrypted* mpe, const std::string& prefix, int depth,
                         bool quoted) {
    if (!opt_.openpgp) {
      out_.encrypted = 2;
      note("encrypted message: OpenPGP is disabled");
      return;
    }
    GError* err = nullptr;
    GMimeDecryptResult* res = nullptr;
    GMimeObject* clear =
        g_mime_multipart_encrypted_decrypt(mpe, GMIME_DECRYPT_NONE, nullptr, &res, &err);
    if (!clear) {
      out_.encrypted = 2;
      note(std::string("PGP/MIME message could not be decrypted: ") +
           (err ? err->message : "unknown error"));
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
  Collector collect_;
};

// gmime opens and closes an iconv descriptor for every encoded header word it decodes. glibc
// unloads a gconv module (dlclose, munmap, a TLB shoot-down) when its last descriptor closes and
// loads it again (dlopen) at the next word: about 6% of intake time on the benchmark's Japanese
// and English mail (20,000 messages, one core: 2.57 -> 2.42 s). One descriptor
// per common charset, open for the life of the process, keeps the modules loaded. The set is
// what reporters to a Japanese centre send; a charset not listed still works, just slower.
void pin_charset_modules() {
  static const char* kCharsets[] = {
      "ISO-2022-JP", "ISO-2022-JP-2", "SHIFT_JIS",   "CP932",        "EUC-JP",    "ISO-8859-1",
      "ISO-8859-2",  "ISO-8859-15",   "CP1252",      "GB18030",      "BIG5",      "EUC-KR",
      "KOI8-R",      "UTF-16",        "ISO-2022-KR", "WINDOWS-1251", "ISO-8859-5"};
  // Held through a pointer that is never freed, so leak checkers see them as still in use.
  static GIConv* const pinned = new GIConv[std::size(kCharsets)];
  for (size_t i = 0; i < std::size(kCharsets); ++i) {
    pinned[i] = g_iconv_open("UTF-8", kCharsets[i]);  // never closed; -1 (unknown) is harmless
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
    static const char* kFallback[] = {"utf-8",  "iso-2022-jp",  "shift_jis",
                                      "euc-jp", "windows-1252", nullptr};
    g_mime_parser_options_set_fallback_charsets(g_mime_parser_options_get_default(), kFallback);
    pin_charset_modules();
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

// No byte with the high bit set, no NUL, no ESC. Eight bytes at a time: a word has a zero byte
// when (w - 0x01..01) & ~w & 0x80..80 is not zero, and ESC is a zero byte of w ^ 0x1b..1b.
bool plain_ascii(std::string_view s) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  auto has_zero_byte = [](uint64_t w) { return ((w - kOnes) & ~w & kHigh) != 0; };
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w = 0;
    std::memcpy(&w, s.data() + i, 8);
    if ((w & kHigh) != 0 || has_zero_byte(w) || has_zero_byte(w ^ (kOnes * 0x1b))) return false;
  }
  for (; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80 || c == 0 || c == 0x1b) return false;
  }
  return true;
}

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
    gchar* out = g_convert_with_iconv(bytes.data(), static_cast<gssize>(bytes.size()), cd, nullptr,
                                      &written, &err);
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
  // Most parts are 7-bit text: in every charset below that is the same bytes in UTF-8, with
  // nothing to convert or clean (ESC starts ISO-2022-JP's shifts, NUL is cleaned out).
  if ((cs.empty() || cs == "utf-8" || cs.starts_with("iso-8859-") ||
       cs.starts_with("iso-2022-jp") || cs.starts_with("windows-125") || cs == "shift_jis" ||
       cs == "cp932" || cs == "euc-jp") &&
      plain_ascii(bytes)) {
    return std::string(bytes);
  }
  const bool has_esc = std::memchr(bytes.data(), 0x1b, bytes.size()) != nullptr &&
                       (bytes.find("\x1b$B") != std::string_view::npos ||
                        bytes.find("\x1b$@") != std::string_view::npos ||
                        bytes.find("\x1b(J") != std::string_view::npos);
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
    return fail(Error::Parse("message of " + std::to_string(raw.size()) +
                             " bytes is over the limit of " +
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
  if (raw.empty() || colon == std::string_view::npos ||
      (first_nl != std::string_view::npos && colon > first_nl) ||
      head.substr(0, colon).find(' ') != std::string_view::npos) {
    return fail(Error::Parse("not an Internet message: it does not start with a header line"));
  }
  if (options.lean) {
    ParsedMessage lean;
    if (detail::parse_lean(raw, options, lean)) return lean;
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
  detail::read_headers(raw_headers(GMIME_OBJECT(msg)), out, options);
  Walker walker(out, options);
  walker.walk(g_mime_message_get_mime_part(msg), "", 0, false);
  return out;
}

}  // namespace kz::intake
