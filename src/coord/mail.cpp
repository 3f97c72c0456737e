#include "coord/mail.h"

#include <gmime/gmime.h>
#include <gpgme.h>

#include <random>

#include "core/text.h"
#include "intake/mime.h"

namespace kz::coord {

namespace {

// Owns one GObject reference.
template <typename T>
struct GRef {
  T* p = nullptr;
  explicit GRef(T* x = nullptr) : p(x) {}
  ~GRef() {
    if (p) g_object_unref(p);
  }
  GRef(const GRef&) = delete;
  GRef& operator=(const GRef&) = delete;
};

std::string gerror_text(GError* err, const char* what) {
  std::string text = std::string(what) + ": " + (err && err->message ? err->message : "unknown error");
  if (err) g_error_free(err);
  return text;
}

GMimePart* attachment_part(const Attachment& a) {
  const size_t slash = a.content_type.find('/');
  const std::string type = a.content_type.substr(0, slash);
  const std::string sub = slash == std::string::npos ? "octet-stream" : a.content_type.substr(slash + 1);
  GMimePart* part = g_mime_part_new_with_type(type.c_str(), sub.c_str());
  g_mime_part_set_filename(part, a.filename.c_str());
  GRef<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(a.bytes.data(), a.bytes.size()));
  GRef<GMimeDataWrapper> wrapper(g_mime_data_wrapper_new_with_stream(stream.p, GMIME_CONTENT_ENCODING_DEFAULT));
  g_mime_part_set_content(part, wrapper.p);
  g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64);
  return part;
}

}  // namespace

std::string new_message_id(store::Id notice, const std::string& domain) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static const char* kHex = "0123456789abcdef";
  std::string rand;
  for (uint64_t v = rng(), i = 0; i < 16; ++i, v >>= 4) rand += kHex[v & 15];
  return "kizuna." + std::to_string(notice) + "." + rand + "@" + domain;
}

std::vector<std::string> encryption_keys(const std::vector<std::string>& addresses) {
  std::vector<std::string> out;
  if (addresses.empty()) return out;
  gpgme_check_version(nullptr);
  gpgme_ctx_t ctx = nullptr;
  if (gpgme_new(&ctx) != GPG_ERR_NO_ERROR) return {};
  gpgme_set_protocol(ctx, GPGME_PROTOCOL_OpenPGP);
  for (const auto& address : addresses) {
    std::string found;
    const std::string pattern = "<" + to_lower_ascii(address) + ">";
    if (gpgme_op_keylist_start(ctx, pattern.c_str(), 0) == GPG_ERR_NO_ERROR) {
      gpgme_key_t key = nullptr;
      while (gpgme_op_keylist_next(ctx, &key) == GPG_ERR_NO_ERROR) {
        const bool usable = !key->revoked && !key->expired && !key->disabled && !key->invalid && key->can_encrypt;
        if (usable && found.empty() && key->fpr) found = key->fpr;
        gpgme_key_unref(key);
      }
      gpgme_op_keylist_end(ctx);
    }
    if (found.empty()) {
      out.clear();
      break;
    }
    out.push_back(found);
  }
  gpgme_release(ctx);
  return out;
}

Result<ComposedMail> compose_mail(const store::NoticeRecord& notice, const std::vector<Attachment>& attachments,
                                  const MailIdentity& identity, const std::string& message_id, Time date,
                                  const std::string& in_reply_to) {
  intake::init_mime();
  ComposedMail out;
  out.message_id = message_id;

  GRef<GMimeMessage> msg(g_mime_message_new(TRUE));
  g_mime_message_add_mailbox(msg.p, GMIME_ADDRESS_TYPE_FROM, identity.from_name.c_str(), identity.from_address.c_str());
  for (const auto& a : notice.to) g_mime_message_add_mailbox(msg.p, GMIME_ADDRESS_TYPE_TO, nullptr, a.c_str());
  for (const auto& a : notice.cc) g_mime_message_add_mailbox(msg.p, GMIME_ADDRESS_TYPE_CC, nullptr, a.c_str());
  if (!identity.reply_to.empty()) {
    g_mime_message_add_mailbox(msg.p, GMIME_ADDRESS_TYPE_REPLY_TO, nullptr, identity.reply_to.c_str());
  }
  g_mime_message_set_subject(msg.p, notice.subject.c_str(), "UTF-8");
  g_mime_message_set_message_id(msg.p, message_id.c_str());
  GDateTime* when = g_date_time_new_from_unix_utc(date.time_since_epoch().count());
  g_mime_message_set_date(msg.p, when);
  g_date_time_unref(when);
  auto* obj = GMIME_OBJECT(msg.p);
  if (!in_reply_to.empty()) {
    g_mime_object_set_header(obj, "In-Reply-To", ("<" + in_reply_to + ">").c_str(), nullptr);
    g_mime_object_set_header(obj, "References", ("<" + in_reply_to + ">").c_str(), nullptr);
  }
  g_mime_object_set_header(obj, "Content-Language", notice.language.c_str(), nullptr);
  g_mime_object_set_header(obj, "Auto-Submitted", notice.audience == "reporter" ? "auto-replied" : "auto-generated",
                           nullptr);
  g_mime_object_set_header(obj, "X-Kizuna-Tracking", notice.tag.c_str(), nullptr);

  // The body: UTF-8 in base64, so that a signature survives any relay (RFC 3156 section 3).
  GRef<GMimeTextPart> text(g_mime_text_part_new_with_subtype("plain"));
  g_mime_text_part_set_charset(text.p, "UTF-8");
  g_mime_text_part_set_text(text.p, notice.body.c_str());
  g_mime_part_set_content_encoding(GMIME_PART(text.p), GMIME_CONTENT_ENCODING_BASE64);

  GMimeObject* content = GMIME_OBJECT(text.p);
  GRef<GMimeMultipart> mixed;
  if (!attachments.empty()) {
    mixed.p = g_mime_multipart_new_with_subtype("mixed");
    g_mime_multipart_add(mixed.p, content);
    for (const auto& a : attachments) {
      GRef<GMimePart> part(attachment_part(a));
      g_mime_multipart_add(mixed.p, GMIME_OBJECT(part.p));
    }
    content = GMIME_OBJECT(mixed.p);
  }

  GRef<GMimeCryptoContext> ctx;
  GRef<GMimeObject> wrapped;
  const bool sign = !identity.signing_key.empty();
  std::vector<std::string> keys;
  if (identity.encrypt) {
    std::vector<std::string> all = notice.to;
    all.insert(all.end(), notice.cc.begin(), notice.cc.end());
    keys = encryption_keys(all);
  }
  if (sign || !keys.empty()) {
    ctx.p = g_mime_gpg_context_new();
    GError* err = nullptr;
    if (!keys.empty()) {
      GPtrArray* rcpts = g_ptr_array_new();
      for (const auto& k : keys) g_ptr_array_add(rcpts, const_cast<char*>(k.c_str()));
      GMimeMultipartEncrypted* enc =
          g_mime_multipart_encrypted_encrypt(ctx.p, content, sign ? TRUE : FALSE, sign ? identity.signing_key.c_str() : nullptr,
                                             GMIME_ENCRYPT_ALWAYS_TRUST, rcpts, &err);
      g_ptr_array_free(rcpts, TRUE);
      if (!enc) return fail(Error::Unavailable(gerror_text(err, "OpenPGP encryption failed"), notice.tag));
      wrapped.p = GMIME_OBJECT(enc);
      out.encrypted = true;
      out.is_signed = sign;
    } else {
      GMimeMultipartSigned* mps = g_mime_multipart_signed_sign(ctx.p, content, identity.signing_key.c_str(), &err);
      if (!mps) return fail(Error::Unavailable(gerror_text(err, "OpenPGP signing failed"), notice.tag));
      wrapped.p = GMIME_OBJECT(mps);
      out.is_signed = true;
    }
    content = wrapped.p;
  }
  g_mime_message_set_mime_part(msg.p, content);

  GMimeFormatOptions* opts = g_mime_format_options_clone(nullptr);
  g_mime_format_options_set_newline_format(opts, GMIME_NEWLINE_FORMAT_DOS);
  char* bytes = g_mime_object_to_string(obj, opts);
  g_mime_format_options_free(opts);
  out.bytes = bytes ? bytes : "";
  g_free(bytes);
  return out;
}

}  // namespace kz::coord
