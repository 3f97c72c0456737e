// Which OpenPGP keys the centre's keyring (GNUPGHOME) holds. gpgme starts a gpg process for
// every verification (tens of milliseconds); most signed reports come from keys the centre
// does not have, and for those the answer "unknown key" can be given from the signature's
// issuer key ID alone. Verification with a known key still goes through gpgme.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string_view>

namespace kz::intake {

class Keyring {
 public:
  // The keyring of the process's GNUPGHOME, listed once (thread-safe) on first use.
  static const Keyring& centre();
  explicit Keyring(std::set<uint64_t> key_ids) : ids_(std::move(key_ids)) {}
  // True when a primary key or subkey with this 64-bit key ID is in the keyring.
  bool has(uint64_t key_id) const { return ids_.contains(key_id); }
  // False when the keyring could not be listed (then every signature goes to gpg).
  bool listed() const { return listed_; }

 private:
  std::set<uint64_t> ids_;
  bool listed_ = true;
};

// The issuer key ID of the first signature packet in an ASCII-armored OpenPGP block
// ("-----BEGIN PGP SIGNATURE-----" or a clear-signed message), from the v4 issuer or issuer
// fingerprint subpacket or a v3 header. nullopt when there is none or it cannot be read.
std::optional<uint64_t> signature_issuer(std::string_view armored);

}  // namespace kz::intake
