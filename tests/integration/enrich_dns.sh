#!/usr/bin/env bash
# Incidents keyed by host gain their addresses through c-ares, against dnsmasq on 127.0.0.1
# (never the system resolver): one incident per address; a host that does not resolve says so.
# Usage: enrich_dns.sh KIZUNA WORKDIR
set -u
. "$(dirname "$0")/lib.sh"
K=$1 W=$2
rm -rf "$W" && mkdir -p "$W"
DNSMASQ=$(command -v dnsmasq || echo /usr/sbin/dnsmasq)  # /usr/sbin is not on every PATH
if [ ! -x "$DNSMASQ" ]; then echo "skipped: dnsmasq is not installed"; echo "0 passed, 0 failed"; exit 0; fi

printf '198.51.100.45 phish.example.test\n198.51.100.46 multi.example.test\n2001:db8::46 multi.example.test\n' > "$W/hosts"
# dnsmasq cannot report a port it chose, so take one that is free now; should another program
# take it first, dnsmasq exits and the next attempt takes another. Up to 5 s until it listens.
dns=
trap '[ -n "$dns" ] && kill $dns 2>/dev/null' EXIT
for attempt in 1 2 3; do
  port=$(free_port udp)
  "$DNSMASQ" --keep-in-foreground --no-resolv --no-hosts --listen-address=127.0.0.1 --bind-interfaces --port=$port \
    --addn-hosts="$W/hosts" --local=/example.test/ --user=root --pid-file --log-facility="$W/dnsmasq.log" &
  dns=$!
  for _ in $(seq 1 50); do
    grep -q " 0100007F:$(printf %04X $port) " /proc/net/udp 2>/dev/null && break 2
    kill -0 $dns 2>/dev/null || break
    sleep 0.1
  done
  kill $dns 2>/dev/null; echo "dnsmasq did not listen on $port (attempt $attempt)"
done
printf '[resolver]\nenabled = true\nservers = "127.0.0.1:%s"\ntimeout_ms = 500\ntries = 2\n' "$port" > "$W/kizuna.toml"

cat > "$W/phish.eml" <<'MAIL'
From: soc@reporter.example.jp
Subject: Phishing sites imitating PayPal
Date: Tue, 15 Apr 2008 10:00:00 +0900
Message-ID: <dns-1@reporter.example.jp>

Please take these phishing sites down:
http://phish.example.test/webscr/login.php
http://multi.example.test/paypal/
http://gone.example.test/signin/
MAIL
out=$("$K" ingest "$W/phish.eml" --db "$W/k.db" --config "$W/kizuna.toml" --json)
check "ingest exits 0" [ $? -eq 0 ]
inc=$("$K" incidents list --db "$W/k.db" --json)
check "two resolved hosts became three address incidents (one per address)" \
  [ "$(echo "$inc" | json 'sorted(i["ip"] for i in d if i["ip"])')" = "['198.51.100.45', '198.51.100.46', '2001:db8::46']" ]
check "the site hangs under each of its addresses" \
  [ "$(echo "$inc" | json '[i["urls"] for i in d if i["ip"]=="2001:db8::46"][0]')" = "['http://multi.example.test/paypal/']" ]
check "the host that does not resolve stays keyed by host" \
  [ "$(echo "$inc" | json '[i["host"] for i in d if not i["ip"]]')" = "['gone.example.test']" ]
stats=$("$K" stats --from 2008-04-01 --to 2008-06-30 --db "$W/k.db" --json)
check "the quarter counts the addresses" [ "$(echo "$stats" | json 'd["incidents"]')" = 4 ]

check "whois of a host name answers for its address" \
  [ "$("$K" whois phish.example.test --db "$W/k.db" --config "$W/kizuna.toml" --json | json 'd["ip"]')" = 198.51.100.45 ]
"$K" whois gone.example.test --db "$W/k.db" --config "$W/kizuna.toml" 2> "$W/gone.err"
check "whois of a host that does not resolve: exit 1, says so" grep -q "does not resolve" "$W/gone.err"

finish enrich_dns
