#!/usr/bin/python3
"""Local stand-ins for the outside world that coordination talks to, for end-to-end tests.

Each subcommand is a foreground server on 127.0.0.1 that a shell test starts in the background
(`... &`, remember $!) and kills at the end. Every server

  * prints nothing in normal operation, so a test's output stays readable (--verbose for debugging);
  * writes --ready FILE (atomically, containing the port number) once it is listening, so a test
    polls for that file with a bound instead of sleeping; with --port 0 the kernel picks a free
    port and the ready file is the only place to learn it;
  * stops by itself after --lifetime seconds (default 600) so that a test which dies before its
    trap runs leaves nothing behind; SIGTERM and SIGINT stop it cleanly at any time.

Subcommands:
  smtp       an aiosmtpd mail server that spools every accepted message to a directory, with
             optional STARTTLS, AUTH, permanently rejected recipients and temporary failures
  gencert    a self-signed certificate and key for 127.0.0.1/localhost (openssl CLI)
  http       an HTTP/1.1 server whose answers come from a JSON control file re-read at every
             request (so a test flips a page between 200 and 404), logging every request
  bulk-http  many small distinct pages, some of which hang, for benchmarks with hundreds of
             concurrent connections

Run with /usr/bin/python3: that is the interpreter with Debian's python3-aiosmtpd.
"""
import argparse
import asyncio
import datetime
import hashlib
import http.server
import json
import logging
import os
import re
import resource
import secrets
import signal
import socketserver
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import warnings

HOST = "127.0.0.1"
DEFAULT_LIFETIME = 600.0


# ---------------------------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------------------------

def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds")


def write_atomically(path, data):
    """Write via a temporary file in the same directory and rename, so that a test polling for
    PATH never sees it half written (rename within one file system is atomic)."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix="." + os.path.basename(path) + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def announce_ready(ready_file, port):
    if ready_file:
        write_atomically(ready_file, "%d\n" % port)


def setup_logging(name, verbose):
    # aiosmtpd and asyncio log client misbehaviour (failed TLS handshakes, dropped connections,
    # deprecation notes) at WARNING; for a test server those are expected, not news. Keep real
    # errors visible, and everything with --verbose.
    logging.basicConfig(level=logging.DEBUG if verbose else logging.ERROR,
                        format="coord_servers " + name + ": %(name)s: %(message)s")
    if not verbose:
        warnings.simplefilter("ignore")


def positive_float(text):
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be > 0")
    return value


def add_common_options(p):
    p.add_argument("--port", type=int, required=True, help="port on 127.0.0.1 (0: any free port)")
    p.add_argument("--ready", metavar="FILE", help="written with the port number once listening")
    p.add_argument("--lifetime", type=positive_float, default=DEFAULT_LIFETIME, metavar="S",
                   help="stop by itself after S seconds (default %(default)s)")
    p.add_argument("--verbose", action="store_true", help="log everything to stderr")


def wait_for_stop_blocking(lifetime):
    """Block the main thread until the lifetime ends or SIGTERM/SIGINT arrives. The handlers
    only set an event, so a kill during a request never produces a traceback."""
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait(lifetime)


async def wait_for_stop_async(lifetime):
    """The asyncio counterpart of wait_for_stop_blocking."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await asyncio.wait_for(stop.wait(), lifetime)
    except asyncio.TimeoutError:
        pass


def quiet_loop_exceptions(loop, context):
    # A client that vanishes mid-conversation (the point of several tests) surfaces here as a
    # connection error in some transport callback; only anything else deserves a report.
    if isinstance(context.get("exception"), (ConnectionError, ssl.SSLError, TimeoutError)):
        return
    loop.default_exception_handler(context)


# ---------------------------------------------------------------------------------------------
# smtp
# ---------------------------------------------------------------------------------------------

class SpoolHandler:
    """aiosmtpd handler: refuses configured recipients, fails the first N DATA commands
    temporarily, and spools everything else as NNNN.eml + NNNN.json."""

    def __init__(self, spool, reject_rcpts, fail_first):
        self.spool = spool
        self.reject = {a.lower() for a in reject_rcpts}
        self.failures_left = fail_first
        # Continue numbering after what is already there, so a server restarted on the same
        # spool (a restart test) never overwrites earlier messages.
        numbers = [int(m.group(1)) for m in
                   (re.fullmatch(r"(\d+)\.(?:eml|json)", n) for n in os.listdir(spool)) if m]
        self.next_number = max(numbers, default=0) + 1

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.reject:
            return "550 5.1.1 <%s>: Recipient address rejected: user unknown" % address
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        # aiosmtpd only calls this once the whole message has been read, which is also where
        # a real server reports a temporary failure, so the client has to send it all again.
        if self.failures_left > 0:
            self.failures_left -= 1
            return "451 4.3.0 Temporary failure, please try again later"
        number = "%04d" % self.next_number
        self.next_number += 1
        content = envelope.original_content  # bytes after dot-unstuffing, CRLF kept
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "received_at": now_iso(),
            "auth_user": session.auth_data if session.authenticated else None,
            "tls": session.ssl is not None,
            "size": len(content),
        }
        # The .json goes last: its appearance tells a test that the message is complete.
        write_atomically(os.path.join(self.spool, number + ".eml"), content)
        write_atomically(os.path.join(self.spool, number + ".json"),
                         json.dumps(meta, indent=1, sort_keys=True) + "\n")
        return "250 2.0.0 OK queued as %s" % number

    async def handle_exception(self, error):
        # A client that refuses our self-signed certificate or hangs up mid-command is a test
        # scenario, not a fault of ours; aiosmtpd would print a traceback for each. Anything
        # else (say, an unwritable spool) is reported.
        from aiosmtpd.smtp import TLSSetupException
        if isinstance(error, (TLSSetupException, ssl.SSLError, ConnectionError)):
            logging.getLogger("smtp").info("client error: %r", error)
        else:
            logging.getLogger("smtp").error("session exception", exc_info=error)
        return "451 4.3.0 Local error: %s" % error.__class__.__name__


def make_authenticator(user, password):
    from aiosmtpd.smtp import AuthResult

    def authenticate(server, session, envelope, mechanism, auth_data):
        # PLAIN and LOGIN both arrive as a LoginPassword of bytes. What we return as auth_data
        # becomes session.auth_data, which the spooler records as auth_user.
        if (secrets.compare_digest(auth_data.login, user.encode("utf-8"))
                and secrets.compare_digest(auth_data.password, password.encode("utf-8"))):
            return AuthResult(success=True, auth_data=user)
        return AuthResult(success=False, handled=False)
    return authenticate


async def run_smtp(args):
    from aiosmtpd.smtp import SMTP

    os.makedirs(args.spool, exist_ok=True)
    handler = SpoolHandler(args.spool, args.reject_rcpt, args.fail_first)
    tls_context = None
    if args.tls_cert:
        tls_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls_context.load_cert_chain(args.tls_cert, args.tls_key)
    smtp_kwargs = {
        # A fixed name: aiosmtpd's default, socket.getfqdn(), may stall on DNS without network.
        "hostname": "localhost",
        "ident": "coord_servers smtp",
        "tls_context": tls_context,
        # Credentials only ever cross in clear when the test has not asked for TLS at all.
        "auth_require_tls": tls_context is not None,
    }
    if args.auth:
        user, _, password = args.auth.partition(":")
        smtp_kwargs.update(auth_required=True, authenticator=make_authenticator(user, password))

    loop = asyncio.get_running_loop()
    loop.set_exception_handler(quiet_loop_exceptions)
    # One SMTP protocol instance per connection, like aiosmtpd's Controller does, but without
    # its thread and the probe connection it makes to itself.
    server = await loop.create_server(lambda: SMTP(handler, loop=loop, **smtp_kwargs), HOST, args.port)
    announce_ready(args.ready, server.sockets[0].getsockname()[1])
    await wait_for_stop_async(args.lifetime)
    server.close()


def cmd_smtp(args):
    if bool(args.tls_cert) != bool(args.tls_key):
        sys.exit("coord_servers smtp: --tls-cert and --tls-key go together")
    if args.auth and ":" not in args.auth:
        sys.exit("coord_servers smtp: --auth takes USER:PASS")
    setup_logging("smtp", args.verbose)
    asyncio.run(run_smtp(args))


# ---------------------------------------------------------------------------------------------
# gencert
# ---------------------------------------------------------------------------------------------

def cmd_gencert(args):
    os.makedirs(args.dir, exist_ok=True)
    cert, key = os.path.join(args.dir, "cert.pem"), os.path.join(args.dir, "key.pem")
    # Self-signed, so a client trusts it by using cert.pem itself as its CA file; the SAN is
    # what a verifying client actually matches against 127.0.0.1 or localhost.
    r = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256",
                        "-days", "3650", "-subj", "/CN=localhost",
                        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                        "-keyout", key, "-out", cert],
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    if r.returncode != 0:
        sys.exit("coord_servers gencert: openssl failed:\n" + r.stderr.decode(errors="replace"))


# ---------------------------------------------------------------------------------------------
# http
# ---------------------------------------------------------------------------------------------

NOT_FOUND = {"status": 404, "body": "Not Found", "headers": {"Content-Type": "text/plain; charset=utf-8"}}


def strip_port(host):
    host = host.strip().lower()
    if host.startswith("["):  # [::1]:8080
        return host[:host.find("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if ":" in host else host


def choose_spec(control, host, target):
    """The answer for TARGET (path with query) on HOST. A host listed under by_host is a site
    of its own: its paths, else its default, else the global default; any other host gets the
    global paths, else the global default; failing all that, 404."""
    path = target.split("?", 1)[0]
    vhost = control.get("by_host", {}).get(host)
    site = vhost if vhost is not None else control
    paths = site.get("paths", {})
    # An exact match including the query string wins, so tests can tell ?a from ?b.
    for key in (target, path):
        if key in paths:
            return paths[key]
    return site.get("default", control.get("default", NOT_FOUND))


class ControlledHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real sites do; every answer has a length
    server_version = "coord-http/1"
    sys_version = ""
    timeout = 120  # an idle keep-alive client must not pin a thread for the whole lifetime

    def log_message(self, format, *args):
        pass  # the JSON request log replaces the stderr access log

    def answer(self):
        # Read any request body so the next request on a keep-alive connection starts cleanly.
        length = int(self.headers.get("Content-Length") or 0)
        if length > 0:
            self.rfile.read(length)
        control_file = self.server.control_file
        try:
            with open(control_file, "rb") as f:
                control = json.load(f)
        except FileNotFoundError:
            control = {}
        except (OSError, ValueError) as e:
            # Tests are told to rename the file into place; a torn read means a broken test.
            sys.stderr.write("coord_servers http: bad control file %s: %s\n" % (control_file, e))
            control = {"default": {"status": 500, "body": "bad control file\n"}}

        host = strip_port(self.headers.get("Host", ""))
        spec = choose_spec(control, host, self.path)
        status = int(spec.get("status", 302 if "location" in spec else 200))
        self.server.log_request_line({
            "time": now_iso(),
            "method": self.command,
            "path": self.path,
            "host": host,
            "user_agent": self.headers.get("User-Agent"),
            "accept_language": self.headers.get("Accept-Language"),
            "headers": dict(self.headers.items()),
            "status": status,
        })

        if spec.get("hang"):
            # Logged first so a test sees the request even if its client gives up waiting.
            time.sleep(float(spec["hang"]))
        body = spec.get("body", "")
        if spec.get("nonce"):
            body += "\n<!-- nonce %s -->\n" % secrets.token_hex(16)
        payload = body.encode("utf-8")
        headers = {"Content-Type": "text/html; charset=utf-8"}
        headers.update(spec.get("headers", {}))
        if "location" in spec:
            headers["Location"] = spec["location"]
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, str(value))
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_OPTIONS = do_PATCH = answer


class ControlledHTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True  # a hanging handler must not delay exit at the end of the lifetime
    # socketserver listens with a backlog of 5: a checker opening dozens of connections at once
    # would see SYNs dropped and connect timeouts that no real web server produces.
    request_queue_size = 256

    def __init__(self, port, control_file):
        self.control_file = control_file
        self.log_file = control_file + ".log"
        self._log_lock = threading.Lock()
        super().__init__((HOST, port), ControlledHandler)

    def server_bind(self):
        # HTTPServer.server_bind resolves the address with socket.getfqdn(), which can stall
        # without network; the name is only used for CGI, so skip it.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def log_request_line(self, record):
        line = json.dumps(record, sort_keys=True) + "\n"
        with self._log_lock, open(self.log_file, "a", encoding="utf-8") as f:
            f.write(line)

    def handle_error(self, request, client_address):
        # Clients that time out on a hanging page and close are expected here.
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


def cmd_http(args):
    setup_logging("http", args.verbose)
    server = ControlledHTTPServer(args.port, os.path.abspath(args.control))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    announce_ready(args.ready, server.server_address[1])
    wait_for_stop_blocking(args.lifetime)
    server.shutdown()
    server.server_close()


# ---------------------------------------------------------------------------------------------
# bulk-http
# ---------------------------------------------------------------------------------------------

def bulk_page(i):
    token = hashlib.sha256(b"site %d" % i).hexdigest()[:16]
    return ("<!doctype html>\n<html><head><title>Benchmark site %d</title></head>\n"
            "<body><h1>Site %d</h1><p>Page token %s</p></body></html>\n" % (i, i, token)).encode()


def bulk_response(status, reason, body):
    head = ("HTTP/1.1 %d %s\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n"
            "Connection: close\r\n\r\n" % (status, reason, len(body)))
    return head.encode("ascii"), body


async def run_bulk_http(args):
    hits = open(args.hits, "a", buffering=1) if args.hits else None  # one line per request

    async def serve(reader, writer):
        try:
            # One request per connection (Connection: close): read the head, ignore any body.
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
            request_line = head.split(b"\r\n", 1)[0].decode("latin-1").split()
            if len(request_line) != 3:
                head_bytes, body = bulk_response(400, "Bad Request", b"Bad Request\n")
            else:
                method, target = request_line[0], request_line[1]
                if hits:
                    hits.write(f"{method} {target}\n")
                m = re.fullmatch(r"/site/(\d+)", target.split("?", 1)[0])
                i = int(m.group(1)) if m else 0
                if 1 <= i <= args.count:
                    if args.hang_every > 0 and i % args.hang_every == 0:
                        await asyncio.sleep(args.hang)
                    head_bytes, body = bulk_response(200, "OK", bulk_page(i))
                else:
                    head_bytes, body = bulk_response(404, "Not Found", b"Not Found\n")
                if method == "HEAD":
                    body = b""
            writer.write(head_bytes + body)
            await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.TimeoutError,
                ConnectionError):
            pass  # clients giving up (a benchmark's timeouts) are expected
        finally:
            writer.close()
            try:
                await writer.wait_closed()
            except (ConnectionError, asyncio.CancelledError):
                pass

    # Hundreds of concurrent connections need that many descriptors; the soft limit is often
    # 1024 while the hard limit allows far more.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY else 65536, hard))

    loop = asyncio.get_running_loop()
    loop.set_exception_handler(quiet_loop_exceptions)
    server = await asyncio.start_server(serve, HOST, args.port, backlog=4096)
    announce_ready(args.ready, server.sockets[0].getsockname()[1])
    await wait_for_stop_async(args.lifetime)
    server.close()


def cmd_bulk_http(args):
    setup_logging("bulk-http", args.verbose)
    asyncio.run(run_bulk_http(args))


# ---------------------------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("smtp", help="spooling SMTP server (aiosmtpd)")
    add_common_options(p)
    p.add_argument("--spool", required=True, metavar="DIR", help="NNNN.eml + NNNN.json per message")
    p.add_argument("--tls-cert", metavar="C", help="offer STARTTLS with this certificate (PEM)")
    p.add_argument("--tls-key", metavar="K", help="private key for --tls-cert (PEM)")
    p.add_argument("--auth", metavar="USER:PASS", help="require AUTH PLAIN/LOGIN with these")
    p.add_argument("--reject-rcpt", nargs="+", action="extend", default=[], metavar="ADDR",
                   help="answer RCPT TO for these addresses with 550")
    p.add_argument("--fail-first", type=int, default=0, metavar="N",
                   help="answer the first N DATA commands with 451")
    p.set_defaults(func=cmd_smtp)

    p = sub.add_parser("gencert", help="self-signed cert.pem/key.pem for localhost/127.0.0.1")
    p.add_argument("--dir", required=True, metavar="D")
    p.set_defaults(func=cmd_gencert)

    p = sub.add_parser("http", help="HTTP server driven by a JSON control file")
    add_common_options(p)
    p.add_argument("--control", required=True, metavar="FILE",
                   help="JSON re-read at every request; requests are logged to FILE.log")
    p.set_defaults(func=cmd_http)

    p = sub.add_parser("bulk-http", help="/site/1../site/N, every K-th hanging (asyncio)")
    add_common_options(p)
    p.add_argument("--count", type=int, required=True, metavar="N", help="serve /site/1 .. /site/N")
    p.add_argument("--hang-every", type=int, default=0, metavar="K",
                   help="/site/i with i %% K == 0 hangs (0: none)")
    p.add_argument("--hang", type=float, default=30.0, metavar="S", help="seconds a hanging page waits")
    p.add_argument("--hits", metavar="FILE", help="append METHOD TARGET of every request to FILE")
    p.set_defaults(func=cmd_bulk_http)

    args = parser.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
