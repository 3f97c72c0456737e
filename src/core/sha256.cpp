#include "core/sha256.h"

#include <openssl/evp.h>

#include <stdexcept>

#include "core/text.h"

namespace kz {

namespace {

// OpenSSL picks the CPU's SHA extensions (SHA-NI, ARMv8 crypto) when present: about ten times
// the speed of portable C, and every ingested message is hashed. The algorithm object is fetched
// once per process and the digest context reused per thread; fetching per call costs more than
// hashing a typical report.
const EVP_MD* sha256_algorithm() {
  static const EVP_MD* md = [] {
    const EVP_MD* m = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return m ? m : EVP_sha256();
  }();
  return md;
}

struct DigestContext {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~DigestContext() { EVP_MD_CTX_free(ctx); }
};

[[noreturn]] void digest_failed() {
  // Only out of memory gets here; content addressing cannot go on without a digest.
  throw std::runtime_error("SHA-256 (OpenSSL libcrypto) failed");
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  thread_local DigestContext holder;
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!holder.ctx || EVP_DigestInit_ex(holder.ctx, sha256_algorithm(), nullptr) != 1 ||
      EVP_DigestUpdate(holder.ctx, data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(holder.ctx, out, &len) != 1 || len != 32) {
    digest_failed();
  }
  return hex_encode(out, 32);
}

struct Sha256::Context {
  EVP_MD_CTX* md = EVP_MD_CTX_new();
};

Sha256::Sha256() : ctx_(new Context) {
  if (!ctx_->md || EVP_DigestInit_ex(ctx_->md, sha256_algorithm(), nullptr) != 1) {
    EVP_MD_CTX_free(ctx_->md);
    delete ctx_;
    digest_failed();
  }
}

Sha256::~Sha256() {
  EVP_MD_CTX_free(ctx_->md);
  delete ctx_;
}

void Sha256::update(std::string_view data) {
  if (EVP_DigestUpdate(ctx_->md, data.data(), data.size()) != 1) digest_failed();
}

std::string Sha256::hex() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx_->md, out, &len) != 1 || len != 32 ||
      EVP_DigestInit_ex(ctx_->md, sha256_algorithm(), nullptr) != 1) {
    digest_failed();
  }
  return hex_encode(out, 32);
}

}  // namespace kz
