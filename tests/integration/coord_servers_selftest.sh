#!/usr/bin/env bash
# Self-test of coord_servers.py, the local SMTP/HTTP stand-ins of the end-to-end tests: each
# server is started the way a test starts it (background, ready file, trap), then exercised with
# curl and Python's smtplib. Usage: coord_servers_selftest.sh [WORKDIR]   (default: a temp dir)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
PY=/usr/bin/python3
CS="$HERE/coord_servers.py"

if [ $# -ge 1 ]; then W=$1; rm -rf "$W"; mkdir -p "$W"; own_w=; else W=$(mktemp -d); own_w=1; fi

pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  [ -n "$own_w" ] && rm -rf "$W"
}
trap cleanup EXIT

# start NAME ARGS...: run a coord_servers.py server (lib.sh's start_server) with its files in $W;
# the pid is remembered for the cleanup.
start() {
  local name=$1; shift
  start_server "$name" "$W" "$PY" "$CS" "$@"
  local rc=$?
  pids+=("$last_pid")
  return $rc
}
# put_control JSON: atomic replacement of the http control file, as tests are told to do.
put_control() { printf '%s\n' "$1" > "$W/control.json.tmp" && mv "$W/control.json.tmp" "$W/control.json"; }
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
body() { curl -s "$@"; }

# ------------------------------------------------------------------------------------------
# gencert
check "gencert makes cert.pem and key.pem" "$PY" "$CS" gencert --dir "$W/tls"
check "certificate names 127.0.0.1 and localhost" \
  sh -c "openssl x509 -in '$W/tls/cert.pem' -noout -ext subjectAltName | grep -q 'DNS:localhost, IP Address:127.0.0.1'"

# ------------------------------------------------------------------------------------------
# smtp with STARTTLS and AUTH
smtp_tls=$(free_port)
check "smtp (STARTTLS+AUTH) ready" start smtp_tls smtp --port "$smtp_tls" --spool "$W/spool_tls" \
  --tls-cert "$W/tls/cert.pem" --tls-key "$W/tls/key.pem" --auth alice:s3cr3t
check "ready file holds the port" test "$(cat "$W/smtp_tls.ready")" = "$smtp_tls"

smtp_client() {  # PORT PYTHON-BODY: runs the body with s = smtplib.SMTP to the port, prints result
  "$PY" - "$1" "$W/tls/cert.pem" <<EOF
import smtplib, ssl, sys
port, cafile = int(sys.argv[1]), sys.argv[2]
ctx = ssl.create_default_context(cafile=cafile)   # verifies the chain and 127.0.0.1 against the SAN
MSG = (b"From: reporter@cert.example\r\nTo: abuse@hosting.example\r\nSubject: test\r\n\r\n"
       b"line one\r\n.leading dot survives\r\n\r\nend\r\n")
s = smtplib.SMTP("127.0.0.1", port, timeout=10)
$2
EOF
}

check "no AUTH advertised before STARTTLS" test "$(smtp_client "$smtp_tls" '
s.ehlo()
print(s.has_extn("auth"), s.has_extn("starttls"))')" = "False True"
check "MAIL without AUTH refused after STARTTLS" test "$(smtp_client "$smtp_tls" '
s.starttls(context=ctx); s.ehlo()
print(s.mail("reporter@cert.example")[0])')" = "530"
check "wrong password gives 535" test "$(smtp_client "$smtp_tls" '
s.starttls(context=ctx)
try:
    s.login("alice", "wrong"); print("accepted")
except smtplib.SMTPAuthenticationError as e:
    print(e.smtp_code)')" = "535"
check "STARTTLS + AUTH PLAIN delivers" test "$(smtp_client "$smtp_tls" '
s.starttls(context=ctx); s.ehlo()
s.user, s.password = "alice", "s3cr3t"
s.auth("PLAIN", s.auth_plain)
print(s.sendmail("reporter@cert.example", ["abuse@hosting.example"], MSG) == {})
open(sys.argv[2] + ".sent", "wb").write(MSG)')" = "True"
check "STARTTLS + AUTH LOGIN delivers" test "$(smtp_client "$smtp_tls" '
s.starttls(context=ctx); s.ehlo()
s.user, s.password = "alice", "s3cr3t"
s.auth("LOGIN", s.auth_login, initial_response_ok=False)
print(s.sendmail("reporter@cert.example", ["abuse@hosting.example", "noc@hosting.example"], MSG) == {})')" = "True"
check "spooled .eml is the DATA exactly" cmp -s "$W/spool_tls/0001.eml" "$W/tls/cert.pem.sent"
check "spooled .json records TLS and AUTH" test "$(json '(d["tls"], d["auth_user"], d["mail_from"], d["rcpt_tos"], d["size"] == len(open("'"$W/spool_tls/0001.eml"'", "rb").read()), "T" in d["received_at"])' < "$W/spool_tls/0001.json")" \
  = "(True, 'alice', 'reporter@cert.example', ['abuse@hosting.example'], True, True)"
check "second message has both recipients" test "$(json 'd["rcpt_tos"]' < "$W/spool_tls/0002.json")" \
  = "['abuse@hosting.example', 'noc@hosting.example']"

# ------------------------------------------------------------------------------------------
# smtp with a temporary failure first and a rejected recipient, no TLS, no AUTH
smtp_plain=$(free_port)
check "smtp (fail-first, reject-rcpt) ready" start smtp_plain smtp --port "$smtp_plain" \
  --spool "$W/spool_plain" --fail-first 1 --reject-rcpt gone@victim.example also-gone@victim.example
check "first DATA gets 451, the retry is accepted" test "$(smtp_client "$smtp_plain" '
try:
    s.sendmail("reporter@cert.example", ["abuse@hosting.example"], MSG); print("accepted")
except smtplib.SMTPDataError as e:
    print(e.smtp_code, end=" ")
print(s.sendmail("reporter@cert.example", ["abuse@hosting.example"], MSG) == {})')" = "451 True"
check "rejected recipient gets 550" test "$(smtp_client "$smtp_plain" '
try:
    s.sendmail("reporter@cert.example", ["Gone@Victim.example"], MSG); print("accepted")
except smtplib.SMTPRecipientsRefused as e:
    print(e.recipients["Gone@Victim.example"][0])')" = "550"
check "mixed recipients: only the good one is refused-free" test "$(smtp_client "$smtp_plain" '
print(sorted(s.sendmail("reporter@cert.example", ["also-gone@victim.example", "ok@victim.example"], MSG)))')" \
  = "['also-gone@victim.example']"
check "the 451 left no file, the retry is 0001" test "$(ls "$W/spool_plain" | tr '\n' ' ')" = "0001.eml 0001.json 0002.eml 0002.json "
check "plain message: tls false, auth_user null" test "$(json '(d["tls"], d["auth_user"])' < "$W/spool_plain/0001.json")" = "(False, None)"
check "mixed message spooled for the good recipient" test "$(json 'd["rcpt_tos"]' < "$W/spool_plain/0002.json")" = "['ok@victim.example']"

# AUTH without a certificate is allowed in clear (there is no TLS to require)
smtp_auth=$(free_port)
check "smtp (AUTH, no TLS) ready" start smtp_auth smtp --port "$smtp_auth" --spool "$W/spool_auth" --auth bob:pw
check "AUTH required without TLS too" test "$(smtp_client "$smtp_auth" '
s.ehlo(); print(s.mail("reporter@cert.example")[0])')" = "530"
check "AUTH in clear delivers" test "$(smtp_client "$smtp_auth" '
s.login("bob", "pw"); print(s.sendmail("reporter@cert.example", ["abuse@hosting.example"], MSG) == {})')" = "True"
check "clear AUTH message: tls false, auth_user bob" test "$(json '(d["tls"], d["auth_user"])' < "$W/spool_auth/0001.json")" = "(False, 'bob')"

# ------------------------------------------------------------------------------------------
# http driven by the control file
PAGE='{"status": 200, "body": "<html><title>Bank login</title><form>password</form></html>", "headers": {"Content-Type": "text/html; charset=utf-8", "X-Test": "yes"}}'
CONTROL_UP='{"paths": {"/phish/login.html": '$PAGE',
  "/gone": {"status": 404, "body": "Not Found"},
  "/redir": {"status": 302, "location": "http://169.254.169.254/latest/meta-data/"},
  "/slow": {"hang": 30, "body": "late"},
  "/nonce": {"status": 200, "body": "<html>same page</html>", "nonce": true}},
 "default": {"status": 404, "body": "Not Found"},
 "by_host": {"other.example.test": {"paths": {"/phish/login.html": {"status": 200, "body": "vhost page"}}, "default": {"status": 410, "body": "Gone here"}}}}'
CONTROL_DOWN='{"paths": {"/phish/login.html": {"status": 404, "body": "Not Found"}}}'
put_control "$CONTROL_UP"
http_port=$(free_port)
U="http://127.0.0.1:$http_port"
check "http ready" start http http --port "$http_port" --control "$W/control.json"
check "page is 200 with its body" sh -c "curl -s '$U/phish/login.html' | grep -q '<title>Bank login</title>'"
check "configured header is sent" sh -c "curl -s -D - -o /dev/null '$U/phish/login.html' | grep -qi '^X-Test: yes'"
check "HEAD is 200 too" test "$(code -I "$U/phish/login.html")" = 200
check "/gone is 404" test "$(code "$U/gone")" = 404
check "unknown path gets the default 404" test "$(code "$U/nothing/here")" = 404
put_control "$CONTROL_DOWN"
check "after rewriting the control: 404" test "$(code "$U/phish/login.html")" = 404
put_control "$CONTROL_UP"
check "after rewriting it back: 200" test "$(code "$U/phish/login.html")" = 200
check "redirect is 302 with its Location" test "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$U/redir")" \
  = "302 http://169.254.169.254/latest/meta-data/"
n1=$(body "$U/nonce"); n2=$(body "$U/nonce")
check "nonce page changes at every fetch" test -n "$n1" -a "$n1" != "$n2"
check "nonce page keeps its body" sh -c "printf '%s' '$n1' | grep -q 'same page'"
check "virtual host gets its own page" test "$(body -H 'Host: other.example.test:8080' "$U/phish/login.html")" = "vhost page"
check "virtual host default" test "$(code -H 'Host: other.example.test' "$U/gone")" = 410
t0=$(date +%s)
curl -s -o /dev/null --max-time 1 "$U/slow"; rc=$?
t1=$(date +%s)
check "hanging page times curl out (exit 28)" test "$rc" = 28
check "and within the bound" test $((t1 - t0)) -le 3
curl -s -o /dev/null -A 'KizunaChecker/1.0 (test)' -H 'Accept-Language: ja-JP,ja;q=0.9' "$U/phish/login.html"
check "request log has user agent and language" sh -c "grep -F '\"user_agent\": \"KizunaChecker/1.0 (test)\"' '$W/control.json.log' | grep -qF '\"accept_language\": \"ja-JP,ja;q=0.9\"'"
check "every request log line is JSON with path and time" "$PY" -c "
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert len(lines) >= 14 and all(l['path'] and l['time'] and 'host' in l for l in lines)
assert {'/slow', '/redir', '/nonce'} <= {l['path'] for l in lines}" "$W/control.json.log"
mv "$W/control.json" "$W/control.json.away"
check "missing control file: everything is 404" test "$(code "$U/phish/login.html")" = 404
mv "$W/control.json.away" "$W/control.json"

# ------------------------------------------------------------------------------------------
# bulk-http, on a port of its own choosing (--port 0, read back from the ready file)
check "bulk-http ready" start bulk bulk-http --port 0 --count 400 --hang-every 10 --hang 3
B="http://127.0.0.1:$(cat "$W/bulk.ready")"
check "bulk page 1" sh -c "curl -s '$B/site/1' | grep -q '<title>Benchmark site 1</title>'"
check "bulk page beyond --count is 404" test "$(code "$B/site/401")" = 404
check "bulk page 10 hangs" test "$(code --max-time 1 "$B/site/10")" = 000
# 400 connections at once, 40 of them hanging 3 s: served concurrently this takes ~3 s, where
# one at a time would take 120 s.
check "400 concurrent fetches, distinct pages, hangers overlap" "$PY" - "$B" <<'EOF'
import concurrent.futures, sys, time, urllib.request
base = sys.argv[1]
def fetch(i):
    with urllib.request.urlopen("%s/site/%d" % (base, i), timeout=20) as r:
        return r.status, r.read()
t0 = time.monotonic()
with concurrent.futures.ThreadPoolExecutor(400) as pool:
    results = list(pool.map(fetch, range(1, 401)))
elapsed = time.monotonic() - t0
assert all(status == 200 for status, _ in results), "not all 200"
assert len({b for _, b in results}) == 400, "pages not distinct"
assert 2.9 <= elapsed < 15, "elapsed %.1f" % elapsed
EOF

# ------------------------------------------------------------------------------------------
# lifetime and clean stop
check "server stops by itself after --lifetime" sh -c "
  '$PY' '$CS' http --port 0 --control '$W/control.json' --lifetime 1 2> '$W/lifetime.err' & p=\$!
  for i in \$(seq 50); do kill -0 \$p 2>/dev/null || exit 0; sleep 0.1; done; kill \$p; exit 1"
for name in smtp_tls smtp_plain smtp_auth http bulk; do
  kill "${pids[0]}" && wait "${pids[0]}"; rc=$?
  pids=("${pids[@]:1}")
  check "$name exits 0 on SIGTERM" test "$rc" = 0
done
for f in "$W"/*.err; do
  check "no output on stderr: $(basename "$f")" test ! -s "$f"
done

finish coord_servers_selftest
