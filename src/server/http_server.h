// The HTTP/1.1 listener (Boost.Beast over Asio, C++20 coroutines): keep-alive, limits on the
// header and the body, a timeout for each phase, and a graceful stop. The only translation unit
// that includes Beast or Asio (they take long to compile): everything else sees http.h.
//
// Requests are answered one at a time per connection, on the one I/O thread, by calling the
// handler; a slow handler delays the others, so handlers do bounded work (a page of a list).
//
// Stop (SIGTERM, SIGINT or stop()): the listener closes, connections waiting for a request are
// closed, a request being answered is answered (with Connection: close), and run() returns
// within `shutdown_grace` however the clients behave.
//
// Thread-safety: stop() from any thread; everything else from the thread that calls run().
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "server/http.h"

namespace kz::server {

struct HttpOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: any free port (port() tells which)
  size_t header_limit = 16 * 1024;
  // A raw message posted to the API is the largest body: the intake's own limit is the same.
  size_t body_limit = 32 * 1024 * 1024;
  std::chrono::seconds header_timeout{15};  // also how long an idle keep-alive connection stays
  std::chrono::seconds body_timeout{60};
  std::chrono::seconds write_timeout{60};
  std::chrono::seconds shutdown_grace{4};
};

// Called for each request read; it may rewrite the request (the client behind a proxy).
using HttpHandler = std::function<Response(Request&)>;
// Told of each request refused before a handler saw it (400, 413, 431), with the peer.
using RefusalHook = std::function<void(const std::string& peer, int status)>;

class HttpServer {
 public:
  // Binds and listens. kUnavailable when the address is in use or cannot be bound.
  static Result<std::unique_ptr<HttpServer>> listen(const HttpOptions& options, HttpHandler handler,
                                                    RefusalHook on_refused = {});
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  uint16_t port() const;
  // Serves until stopped (SIGTERM, SIGINT, stop()).
  void run();
  void stop();

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Reads one request from `bytes` with the limits of `options` and answers it with `handler`, as
// the server would on a connection: the raw response bytes. The HTTP fuzz target's entry point.
std::string respond_to_bytes(std::string_view bytes, const HttpOptions& options,
                             const HttpHandler& handler);

}  // namespace kz::server
