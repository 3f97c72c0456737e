#include "intake/keyring.h"

#include <gtest/gtest.h>

namespace kz::intake {

// A clear-signed message made by gpg 2.2 with the ed25519 key C8AC482505518DFE.
constexpr const char* kClearSigned = R"(-----BEGIN PGP SIGNED MESSAGE-----
Hash: SHA256

scan report
-----BEGIN PGP SIGNATURE-----

iHUEARYIAB0WIQTNqbsM6W5uGeo5NzrIrEglBVGN/gUCawPjbQAKCRDIrEglBVGN
/stmAP9F3AE6nCIIPX5vgYZSq5qA8/Cbb/s8UU0C0KMPIuZFDwEAsDsQ+vzsGQzS
tM9/LE9+0qYGXD8NoJkfEoPYghJZLQg=
=fCB2
-----END PGP SIGNATURE-----
)";

TEST(Keyring, ReadsTheIssuerKeyIdOfASignature) {
  auto id = signature_issuer(kClearSigned);
  ASSERT_TRUE(id);
  EXPECT_EQ(*id, 0xC8AC482505518DFEull);
}

TEST(Keyring, NoSignatureNoIssuer) {
  EXPECT_FALSE(signature_issuer("just text"));
  EXPECT_FALSE(
      signature_issuer("-----BEGIN PGP SIGNATURE-----\n\n!!!!\n-----END PGP SIGNATURE-----\n"));
}

TEST(Keyring, KnowsItsKeys) {
  const Keyring ring({0xC8AC482505518DFEull});
  EXPECT_TRUE(ring.has(0xC8AC482505518DFEull));
  EXPECT_FALSE(ring.has(1));
}

}  // namespace kz::intake
