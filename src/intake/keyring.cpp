#include "intake/keyring.h"

#include <gpgme.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "core/text.h"

namespace kz::intake {

const Keyring& Keyring::centre() {
  static const Keyring kCentre = [] {
    std::set<uint64_t> ids;
    gpgme_check_version(nullptr);
    gpgme_ctx_t ctx = nullptr;
    if (gpgme_new(&ctx) != GPG_ERR_NO_ERROR) {
      Keyring k({});
      k.listed_ = false;
      return k;
    }
    gpgme_set_protocol(ctx, GPGME_PROTOCOL_OpenPGP);
    bool ok = gpgme_op_keylist_start(ctx, nullptr, 0) == GPG_ERR_NO_ERROR;
    gpgme_key_t key = nullptr;
    while (ok && gpgme_op_keylist_next(ctx, &key) == GPG_ERR_NO_ERROR) {
      for (gpgme_subkey_t sk = key->subkeys; sk; sk = sk->next) {
        if (sk->keyid) ids.insert(std::strtoull(sk->keyid, nullptr, 16));
      }
      gpgme_key_unref(key);
    }
    gpgme_release(ctx);
    Keyring k(std::move(ids));
    k.listed_ = ok;
    return k;
  }();
  return kCentre;
}

namespace {

int b64(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// The binary body of the first "-----BEGIN PGP SIGNATURE-----" block.
std::optional<std::vector<uint8_t>> dearmor(std::string_view text) {
  const size_t begin = text.find("-----BEGIN PGP SIGNATURE-----");
  if (begin == std::string_view::npos) return std::nullopt;
  const size_t end = text.find("-----END PGP SIGNATURE-----", begin);
  if (end == std::string_view::npos) return std::nullopt;
  std::vector<uint8_t> out;
  bool in_body = false;
  uint32_t acc = 0;
  int bits = 0;
  for (auto line : split_lines(text.substr(begin, end - begin))) {
    line = trim(line);
    if (!in_body) {
      if (line.empty()) in_body = true;  // armor headers ("Version: ...") end at a blank line
      continue;
    }
    if (line.starts_with("=")) break;  // the CRC-24 line
    for (char c : line) {
      const int v = b64(c);
      if (v < 0) continue;
      acc = (acc << 6) | static_cast<uint32_t>(v);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out.push_back(static_cast<uint8_t>(acc >> bits));
      }
    }
  }
  return out;
}

uint64_t be64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

// Issuer (16) or issuer fingerprint (33) in a subpacket area.
std::optional<uint64_t> issuer_in(const uint8_t* p, size_t n) {
  size_t i = 0;
  while (i < n) {
    size_t len = 0;
    if (p[i] < 192) {
      len = p[i];
      i += 1;
    } else if (p[i] < 255) {
      if (i + 1 >= n) return std::nullopt;
      len = ((p[i] - 192) << 8) + p[i + 1] + 192;
      i += 2;
    } else {
      if (i + 4 >= n) return std::nullopt;
      len =
          (size_t{p[i + 1]} << 24) | (size_t{p[i + 2]} << 16) | (size_t{p[i + 3]} << 8) | p[i + 4];
      i += 5;
    }
    if (len == 0 || i + len > n) return std::nullopt;
    const uint8_t type = p[i] & 0x7F;
    if (type == 16 && len == 9) return be64(p + i + 1);
    if (type == 33 && len == 22 && p[i + 1] == 4) return be64(p + i + 2 + 12);  // v4: low 64 bits
    i += len;
  }
  return std::nullopt;
}

}  // namespace

std::optional<uint64_t> signature_issuer(std::string_view armored) {
  auto data = dearmor(armored);
  if (!data || data->size() < 2) return std::nullopt;
  const uint8_t* p = data->data();
  const size_t n = data->size();
  // Packet header: new format 0xC0|tag, old format 0x80|tag<<2|length-type.
  size_t i = 0;
  int tag = 0;
  if ((p[0] & 0xC0) == 0xC0) {
    tag = p[0] & 0x3F;
    i = 1;
    if (p[i] < 192) {
      i += 1;
    } else if (p[i] < 224) {
      i += 2;
    } else if (p[i] == 255) {
      i += 5;
    } else {
      return std::nullopt;  // partial lengths: not for signatures
    }
  } else if (p[0] & 0x80) {
    tag = (p[0] >> 2) & 0x0F;
    const int lt = p[0] & 3;
    i = 1 + (lt == 0 ? 1 : lt == 1 ? 2 : lt == 2 ? 4 : 0);
  } else {
    return std::nullopt;
  }
  if (tag != 2 || i >= n) return std::nullopt;
  const uint8_t version = p[i];
  if (version == 3) {
    if (i + 15 > n) return std::nullopt;
    return be64(p + i + 7);  // version, length 5, type, 4-byte time, then the key ID
  }
  if (version != 4 || i + 6 > n) return std::nullopt;
  const size_t hashed_len = (size_t{p[i + 4]} << 8) | p[i + 5];
  const size_t hashed = i + 6;
  if (hashed + hashed_len + 2 > n) return std::nullopt;
  if (auto id = issuer_in(p + hashed, hashed_len)) return id;
  const size_t unhashed_len = (size_t{p[hashed + hashed_len]} << 8) | p[hashed + hashed_len + 1];
  const size_t unhashed = hashed + hashed_len + 2;
  if (unhashed + unhashed_len > n) return std::nullopt;
  return issuer_in(p + unhashed, unhashed_len);
}

}  // namespace kz::intake
