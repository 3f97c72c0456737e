// Errors as values: every expected failure in Kizuna is a kz::Error carried in a
// kz::Result<T>. Exceptions are used only to abort a request at a boundary (cli, server).
#pragma once

#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace kz {

// What kind of failure, so callers can decide (retry, quarantine, tell the user).
enum class ErrorCode {
  kInvalidArgument,  // the caller (user) gave something unusable: fix the input
  kParse,            // input bytes are malformed; the raw input is kept, the message says where
  kNotFound,         // a named thing does not exist
  kIo,               // a file or socket failed
  kUnavailable,      // a store or server cannot be reached now: try again later (exit 75)
  kCorruption,       // stored data contradicts itself
  kInternal,         // a bug: should never happen
  kDenied,           // the caller is not who it claims, or may not do this (HTTP 401/403)
  kLimited,          // too many attempts or too much at once: wait retry_after s (HTTP 429)
};

// Error = code + what went wrong + where (file:line, message id, ...). `message` is written
// for the person who must act: what was wrong and, where possible, what to do.
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::string context;
  int retry_after = 0;  // kLimited: seconds until trying again is worth it (0: not known)

  static Error InvalidArgument(std::string m, std::string c = {}) {
    return {ErrorCode::kInvalidArgument, std::move(m), std::move(c)};
  }
  static Error Parse(std::string m, std::string c = {}) {
    return {ErrorCode::kParse, std::move(m), std::move(c)};
  }
  static Error NotFound(std::string m, std::string c = {}) {
    return {ErrorCode::kNotFound, std::move(m), std::move(c)};
  }
  static Error Io(std::string m, std::string c = {}) {
    return {ErrorCode::kIo, std::move(m), std::move(c)};
  }
  static Error Unavailable(std::string m, std::string c = {}) {
    return {ErrorCode::kUnavailable, std::move(m), std::move(c)};
  }
  static Error Corruption(std::string m, std::string c = {}) {
    return {ErrorCode::kCorruption, std::move(m), std::move(c)};
  }
  static Error Internal(std::string m, std::string c = {}) {
    return {ErrorCode::kInternal, std::move(m), std::move(c)};
  }
  static Error Denied(std::string m, std::string c = {}) {
    return {ErrorCode::kDenied, std::move(m), std::move(c)};
  }
  static Error Limited(std::string m, int retry_after_s, std::string c = {}) {
    return {ErrorCode::kLimited, std::move(m), std::move(c), retry_after_s};
  }

  // "context: message" (or just the message), for logs and the command line.
  std::string to_string() const { return context.empty() ? message : context + ": " + message; }
};

template <typename T>
using Result = tl::expected<T, Error>;

// For functions that return nothing but may fail.
using Status = tl::expected<void, Error>;

inline tl::unexpected<Error> fail(Error e) { return tl::unexpected<Error>(std::move(e)); }

}  // namespace kz
