#!/usr/bin/env bash
# Live RDAP: a local HTTP server answers RFC 9083 documents for /ip/ADDRESS; Kizuna fetches them
# for addresses nobody is known to administer, caches them in the store and routes by them.
# A server that never answers is bounded by the timeouts. Usage: enrich_rdap.sh KIZUNA WORKDIR
set -u
. "$(dirname "$0")/lib.sh"
K=$1 W=$2
rm -rf "$W" && mkdir -p "$W/www/ip"

cat > "$W/www/ip/203.0.113.5" <<'RDAP'
{"objectClassName": "ip network", "handle": "NET-203-0-113-0", "startAddress": "203.0.113.0",
 "endAddress": "203.0.113.255", "name": "EXAMPLE-HOSTING-NET", "country": "US",
 "entities": [{"objectClassName": "entity", "roles": ["abuse"],
   "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["email", {}, "text", "abuse@hosting.example"]]]}]}
RDAP
mkdir -p "$W/www/domain"
cat > "$W/www/domain/evil-login.example" <<'RDAP'
{"objectClassName": "domain", "ldhName": "evil-login.example",
 "entities": [{"objectClassName": "entity", "roles": ["registrar"],
   "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "Example Registrar Inc."]]],
   "entities": [{"objectClassName": "entity", "roles": ["abuse"],
     "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["email", {}, "text", "abuse@registrar.example"]]]}]}]}
RDAP
port=$((40000 + $$ % 20000))
(cd "$W/www" && exec /usr/bin/python3 -m http.server "$port" --bind 127.0.0.1 > "$W/http.log" 2>&1) &
web=$!
# A server that accepts and never answers.
/usr/bin/python3 -c "
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', $((port + 1)))); s.listen(5)
conns = []
end = time.time() + 60
while time.time() < end:
    s.settimeout(1)
    try: conns.append(s.accept()[0])
    except OSError: pass
" &
hang=$!
trap 'kill $web $hang 2>/dev/null' EXIT
# Wait (at most 5 s) until both servers listen.
for _ in $(seq 1 50); do
  [ "$(grep -c ":$(printf '%04X' $port) \|:$(printf '%04X' $((port + 1))) " /proc/net/tcp 2>/dev/null)" -ge 2 ] && break
  sleep 0.1
done

printf '[rdap]\nbase_url = "http://127.0.0.1:%s"\ntimeout_ms = 1500\n' "$port" > "$W/kizuna.toml"
cat > "$W/scan.eml" <<'MAIL'
From: soc@reporter.example.jp
Subject: ssh brute force
Date: Tue, 15 Apr 2008 10:00:00 +0900
Message-ID: <rdap-1@reporter.example.jp>

Apr 15 03:12:44 www sshd[1]: Failed password for root from 203.0.113.5 port 4242 ssh2
Apr 15 03:12:45 www sshd[1]: Failed password for root from 192.0.2.99 port 4243 ssh2
MAIL
"$K" ingest "$W/scan.eml" --db "$W/k.db" --config "$W/kizuna.toml" --json > "$W/ingest.json"
check "ingest exits 0" [ $? -eq 0 ]
w=$("$K" whois 203.0.113.5 --db "$W/k.db" --config "$W/kizuna.toml" --json)
check "the administrator's abuse desk comes from the live RDAP answer" \
  [ "$(echo "$w" | json 'd["abuse"], d["sources"]["abuse"], d["org"]')" = "['abuse@hosting.example'] rdap (abuse) EXAMPLE-HOSTING-NET" ]
check "abroad: the administrator, the national CSIRT in copy" \
  [ "$(echo "$w" | json 'd["route"]["to"], bool(d["route"]["cc"])')" = "['abuse@hosting.example'] True" ]
check "the answer is cached in the store" [ "$("$K" data status --db "$W/k.db" --json | json '[s["entries"] for s in d if s["kind"]=="rdap-live"]')" = "[1]" ]
requests=$(grep -c "GET /ip/203.0.113.5" "$W/http.log")
"$K" enrich --all --db "$W/k.db" --config "$W/kizuna.toml" > /dev/null
check "a cached answer is not fetched again" [ "$(grep -c "GET /ip/203.0.113.5" "$W/http.log")" = "$requests" ]
check "an address the server does not know (404) is asked and left alone" grep -q "GET /ip/192.0.2.99 HTTP/1.1\" 404" "$W/http.log"

cat > "$W/phish.eml" <<'MAIL'
From: soc@reporter.example.jp
Subject: Phishing site imitating PayPal
Date: Tue, 15 Apr 2008 11:00:00 +0900
Message-ID: <rdap-2@reporter.example.jp>

Phishing site: http://login.evil-login.example/paypal/
MAIL
"$K" ingest "$W/phish.eml" --db "$W/k.db" --config "$W/kizuna.toml" > /dev/null
check "a host with no address: its domain's registrar is looked up live" \
  grep -q "GET /domain/evil-login.example HTTP/1.1\" 200" "$W/http.log"
route=$(sqlite3 "$W/k.db" "SELECT route FROM incidents WHERE host='login.evil-login.example'")
check "... and asked to act on the domain" sh -c "echo '$route' | grep -q abuse@registrar.example"

printf '[rdap]\nbase_url = "http://127.0.0.1:%s"\ntimeout_ms = 1000\nconnect_timeout_ms = 500\n' "$((port + 1))" > "$W/hang.toml"
start=$(date +%s)
"$K" enrich --all --db "$W/k.db" --config "$W/hang.toml" > /dev/null
rc=$?
took=$(( $(date +%s) - start ))
check "a server that never answers: enrichment still finishes (exit 0)" [ $rc -eq 0 ]
check "... bounded by the timeouts (${took}s)" [ "$took" -le 10 ]

finish enrich_rdap
