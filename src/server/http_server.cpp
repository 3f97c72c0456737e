#include "server/http_server.h"

// Beast needs <utility> first under g++ 12 (DESIGN.md).
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <csignal>
#include <list>
#include <sstream>

namespace kz::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

using BeastRequest = http::request<http::string_body>;
using BeastResponse = http::response<http::string_body>;

Request to_request(BeastRequest& r, std::string peer) {
  Request out;
  out.method = std::string(r.method_string());
  split_target(r.target(), out.path, out.query);
  for (const auto& field : r) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = std::string(field.value());
  }
  out.body = std::move(r.body());
  out.peer = std::move(peer);
  return out;
}

BeastResponse to_beast(const Response& r, unsigned version, bool keep_alive, bool head) {
  BeastResponse res{static_cast<http::status>(r.status), version};
  res.set(http::field::server, "kizuna");
  res.set(http::field::content_type, r.content_type);
  res.set(http::field::cache_control, "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  for (const auto& [name, value] : r.headers) res.set(name, value);
  res.keep_alive(keep_alive);
  res.body() = head ? std::string() : r.body;
  res.prepare_payload();
  if (head) res.content_length(r.body.size());
  return res;
}

// The answer to a request the parser refused, or none when the connection just ended.
std::optional<Response> refusal(const beast::error_code& ec) {
  if (ec == http::error::body_limit) {
    return Response::error(413, "too_large", "the request body is larger than the server takes");
  }
  if (ec == http::error::header_limit) {
    return Response::error(431, "header_too_large", "the request header is too large");
  }
  const auto& http_errors = beast::error_code(http::error::bad_target).category();
  if (ec.category() == http_errors && ec != http::error::end_of_stream &&
      ec != http::error::partial_message) {
    return Response::error(400, "bad_request", "the request is not valid HTTP/1.1");
  }
  return std::nullopt;
}

}  // namespace

struct HttpServer::Impl {
  HttpOptions options;
  HttpHandler handler;
  RefusalHook on_refused;
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
  asio::signal_set signals{io, SIGTERM, SIGINT};
  asio::steady_timer grace{io};
  bool stopping = false;
  int sessions = 0;  // open connections: the stop waits for them, up to shutdown_grace
  // The connections now waiting for a request: closed at once when the server stops.
  std::list<beast::tcp_stream*> idle;

  asio::awaitable<void> accept_loop() {
    while (!stopping) {
      auto [ec, socket] = co_await acceptor.async_accept(kTuple);
      if (ec) {
        if (stopping) break;
        continue;  // a connection that failed before it was accepted; the listener goes on
      }
      asio::co_spawn(io, session(beast::tcp_stream(std::move(socket))), asio::detached);
    }
  }

  asio::awaitable<void> session(beast::tcp_stream stream) {
    ++sessions;
    beast::error_code peer_ec;
    const auto endpoint = stream.socket().remote_endpoint(peer_ec);
    const std::string peer = peer_ec ? std::string() : endpoint.address().to_string();
    beast::flat_buffer buffer;
    while (!stopping) {
      http::request_parser<http::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
      parser.body_limit(options.body_limit);
      stream.expires_after(options.header_timeout);
      auto place = idle.insert(idle.end(), &stream);
      auto [ec, n] = co_await http::async_read_header(stream, buffer, parser, kTuple);
      idle.erase(place);
      if (!ec && !parser.is_done()) {
        stream.expires_after(options.body_timeout);
        std::tie(ec, n) = co_await http::async_read(stream, buffer, parser, kTuple);
      }
      if (ec) {
        if (auto r = refusal(ec)) {
          if (on_refused) on_refused(peer, r->status);
          stream.expires_after(options.write_timeout);
          BeastResponse res = to_beast(*r, 11, false, false);
          co_await http::async_write(stream, res, kTuple);
        }
        break;
      }
      BeastRequest beast_req = parser.release();
      const bool keep_alive = beast_req.keep_alive();
      const unsigned version = beast_req.version();
      const bool head = beast_req.method() == http::verb::head;
      stream.expires_never();
      Request request = to_request(beast_req, peer);
      const Response answer = handler(request);
      BeastResponse res = to_beast(answer, version, keep_alive && !stopping, head);
      stream.expires_after(options.write_timeout);
      auto [wec, written] = co_await http::async_write(stream, res, kTuple);
      if (wec || !res.keep_alive()) break;
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.close();
    // The last connection gone: a stop need not wait out its grace.
    if (--sessions == 0 && stopping) grace.cancel();
  }

  void begin_stop() {
    if (stopping) return;
    stopping = true;
    beast::error_code ignored;
    acceptor.close(ignored);
    signals.cancel(ignored);
    for (auto* s : idle) s->cancel();
    if (sessions == 0) return;
    grace.expires_after(options.shutdown_grace);
    grace.async_wait([this](const beast::error_code& ec) {
      if (!ec) io.stop();  // clients that did not let go in time
    });
  }
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpServer::~HttpServer() = default;

Result<std::unique_ptr<HttpServer>> HttpServer::listen(const HttpOptions& options,
                                                       HttpHandler handler,
                                                       RefusalHook on_refused) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->handler = std::move(handler);
  impl->on_refused = std::move(on_refused);
  beast::error_code ec;
  const auto address = asio::ip::make_address(options.host, ec);
  if (ec) return fail(Error::InvalidArgument("not an IP address to listen on", options.host));
  const tcp::endpoint at{address, options.port};
  const std::string shown = options.host + ":" + std::to_string(options.port);
  impl->acceptor.open(at.protocol(), ec);
  if (!ec) impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(at, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail(Error::Unavailable("cannot listen: " + ec.message(), shown));
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

uint16_t HttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

void HttpServer::run() {
  Impl& s = *impl_;
  s.signals.async_wait([&s](const beast::error_code& ec, int) {
    if (!ec) s.begin_stop();
  });
  asio::co_spawn(s.io, s.accept_loop(), asio::detached);
  s.io.run();
}

void HttpServer::stop() {
  asio::post(impl_->io, [this] { impl_->begin_stop(); });
}

std::string respond_to_bytes(std::string_view bytes, const HttpOptions& options,
                             const HttpHandler& handler) {
  http::request_parser<http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
  parser.body_limit(options.body_limit);
  parser.eager(true);
  beast::error_code ec;
  size_t used = 0;
  while (used < bytes.size() && !parser.is_done()) {
    const size_t n = parser.put(asio::buffer(bytes.data() + used, bytes.size() - used), ec);
    if (ec == http::error::need_more) ec = {};
    if (ec || n == 0) break;
    used += n;
  }
  if (!ec && !parser.is_done()) parser.put_eof(ec);
  std::ostringstream out;
  if (ec || !parser.is_done()) {
    const auto r = refusal(ec ? ec : beast::error_code(http::error::partial_message));
    if (r) out << to_beast(*r, 11, false, false);
    return out.str();
  }
  BeastRequest req = parser.release();
  const bool head = req.method() == http::verb::head;
  const unsigned version = req.version();
  const bool keep_alive = req.keep_alive();
  Request request = to_request(req, "fuzz");
  out << to_beast(handler(request), version, keep_alive, head);
  return out.str();
}

}  // namespace kz::server
