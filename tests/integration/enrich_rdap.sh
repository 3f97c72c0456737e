#!/usr/bin/env bash
# Live RDAP: a local HTTP server answers RFC 9083 documents for /ip/ADDRESS; Kizuna fetches them
# for addresses nobody is known to administer, caches them in the store and routes by them.
# A server that never answers is bounded by the timeouts. Usage: enrich_rdap.sh KIZUNA WORKDIR
set -u
. "$(dirname "$0")/lib.sh"
K=$1 W=$2
rm -rf "$W" && mkdir -p "$W"
CS="$(dirname "$0")/coord_servers.py"

# The RDAP server: coord_servers.py http answers from a control file and logs every request
# as one JSON line to control.json.log; anything not listed is 404.
/usr/bin/python3 - "$W/control.json" <<'PY'
import json, sys
ip = {"objectClassName": "ip network", "handle": "NET-203-0-113-0", "startAddress": "203.0.113.0",
      "endAddress": "203.0.113.255", "name": "EXAMPLE-HOSTING-NET", "country": "US",
      "entities": [{"objectClassName": "entity", "roles": ["abuse"],
                    "vcardArray": ["vcard", [["version", {}, "text", "4.0"],
                                             ["email", {}, "text", "abuse@hosting.example"]]]}]}
domain = {"objectClassName": "domain", "ldhName": "evil-login.example",
          "entities": [{"objectClassName": "entity", "roles": ["registrar"],
                        "vcardArray": ["vcard", [["version", {}, "text", "4.0"],
                                                 ["fn", {}, "text", "Example Registrar Inc."]]],
                        "entities": [{"objectClassName": "entity", "roles": ["abuse"],
                                      "vcardArray": ["vcard", [["version", {}, "text", "4.0"],
                                                               ["email", {}, "text", "abuse@registrar.example"]]]}]}]}
rdap = {"Content-Type": "application/rdap+json"}
json.dump({"paths": {"/ip/203.0.113.5": {"body": json.dumps(ip), "headers": rdap},
                     "/domain/evil-login.example": {"body": json.dumps(domain), "headers": rdap}},
           "default": {"status": 404, "body": "{}", "headers": rdap}},
          open(sys.argv[1], "w"))
PY
printf '{"default": {"hang": 60}}\n' > "$W/hang.json"  # accepts, reads, never answers
pids=()
trap 'kill "${pids[@]}" 2>/dev/null' EXIT
start_server rdap "$W" /usr/bin/python3 "$CS" http --port 0 --control "$W/control.json" --lifetime 120 || exit 1
pids+=("$last_pid")
start_server hang "$W" /usr/bin/python3 "$CS" http --port 0 --control "$W/hang.json" --lifetime 120 || exit 1
pids+=("$last_pid")
port=$(cat "$W/rdap.ready") hang_port=$(cat "$W/hang.ready")
# requests PATH [STATUS]: how many requests for PATH (answered with STATUS) the RDAP server saw.
requests() {
  /usr/bin/python3 -c 'import json, os, sys
rows = [json.loads(l) for l in open(sys.argv[1])] if os.path.exists(sys.argv[1]) else []
print(sum(r["path"] == sys.argv[2] and (len(sys.argv) < 4 or r["status"] == int(sys.argv[3])) for r in rows))' \
    "$W/control.json.log" "$@"
}

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
# The starter list's US entry, confirmed by a handler: only then is it put in copy.
"$K" directory verify "CISA (US-CERT)" --db "$W/k.db" --config "$W/kizuna.toml" > /dev/null
w=$("$K" whois 203.0.113.5 --db "$W/k.db" --config "$W/kizuna.toml" --json)
check "the administrator's abuse desk comes from the live RDAP answer" \
  [ "$(echo "$w" | json 'd["abuse"], d["sources"]["abuse"], d["org"]')" = "['abuse@hosting.example'] rdap (abuse) EXAMPLE-HOSTING-NET" ]
check "abroad: the administrator, the national CSIRT in copy" \
  [ "$(echo "$w" | json 'd["route"]["to"], bool(d["route"]["cc"])')" = "['abuse@hosting.example'] True" ]
check "the answer is cached in the store" [ "$("$K" data status --db "$W/k.db" --json | json '[s["entries"] for s in d if s["kind"]=="rdap-live"]')" = "[1]" ]
asked=$(requests /ip/203.0.113.5)
"$K" enrich --all --db "$W/k.db" --config "$W/kizuna.toml" > /dev/null
check "the live answer was fetched once" [ "$asked" = 1 ]
check "a cached answer is not fetched again" [ "$(requests /ip/203.0.113.5)" = 1 ]
check "an address the server does not know (404) is asked and left alone" [ "$(requests /ip/192.0.2.99 404)" -ge 1 ]

cat > "$W/phish.eml" <<'MAIL'
From: soc@reporter.example.jp
Subject: Phishing site imitating PayPal
Date: Tue, 15 Apr 2008 11:00:00 +0900
Message-ID: <rdap-2@reporter.example.jp>

Phishing site: http://login.evil-login.example/paypal/
MAIL
"$K" ingest "$W/phish.eml" --db "$W/k.db" --config "$W/kizuna.toml" > /dev/null
check "a host with no address: its domain's registrar is looked up live" \
  [ "$(requests /domain/evil-login.example 200)" = 1 ]
route=$(sqlite3 "$W/k.db" "SELECT route FROM incidents WHERE host='login.evil-login.example'")
check "... and asked to act on the domain" sh -c "echo '$route' | grep -q abuse@registrar.example"

printf '[rdap]\nbase_url = "http://127.0.0.1:%s"\ntimeout_ms = 1000\nconnect_timeout_ms = 500\n' "$hang_port" > "$W/hang.toml"
start=$(date +%s)
"$K" enrich --all --db "$W/k.db" --config "$W/hang.toml" > /dev/null
rc=$?
took=$(( $(date +%s) - start ))
check "a server that never answers: enrichment still finishes (exit 0)" [ $rc -eq 0 ]
check "... bounded by the timeouts (${took}s)" [ "$took" -le 10 ]

finish enrich_rdap
