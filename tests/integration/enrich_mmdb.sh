#!/usr/bin/env bash
# MaxMind databases through libmaxminddb: the lowest-precedence source. A database written by
# Debian's MaxMind::DB::Writer is loaded into the store; it answers where nothing else does and
# never overrides prefix2as or the delegated files. Usage: enrich_mmdb.sh KIZUNA WORKDIR
set -u
. "$(dirname "$0")/lib.sh"
K=$1 W=$2
HERE=$(cd "$(dirname "$0")" && pwd)
rm -rf "$W" && mkdir -p "$W"
if ! perl -MMaxMind::DB::Writer::Tree -e 1 2> /dev/null; then
  echo "skipped: libmaxmind-db-writer-perl is not installed"; echo "0 passed, 0 failed"; exit 0
fi
perl "$HERE/make_test_mmdb.pl" "$W/test.mmdb" || { echo "FAILED writing the test MMDB"; exit 1; }
printf '203.0.113.0\t24\t64501\n' > "$W/pfx2as.txt"
printf 'apnic|JP|ipv4|203.0.113.0|256|20000101|allocated\n' > "$W/delegated.txt"
"$K" data load pfx2as "$W/pfx2as.txt" --db "$W/k.db" > /dev/null
"$K" data load delegated "$W/delegated.txt" --db "$W/k.db" > /dev/null
"$K" data load mmdb "$W/test.mmdb" --db "$W/k.db" > /dev/null
check "an MMDB loads" [ $? -eq 0 ]
w=$("$K" whois 198.51.100.7 --db "$W/k.db" --json)
check "MMDB answers where nothing else does" \
  [ "$(echo "$w" | json 'd["asn"], d["as_name"], d["country"], d["sources"]["asn"]')" = "64600 MMDB Example Net NL mmdb" ]
w=$("$K" whois 203.0.113.7 --db "$W/k.db" --json)
check "prefix2as and the delegated file outrank the MMDB" \
  [ "$(echo "$w" | json 'd["asn"], d["country"], d["sources"]["asn"], d["sources"]["country"]')" = "64501 JP pfx2as delegated" ]
printf 'not a database' > "$W/bad.mmdb"
"$K" data load mmdb "$W/bad.mmdb" --db "$W/k.db" 2> "$W/bad.err"
check "a file that is not an MMDB is refused (exit 1) with the reason" [ $? -eq 1 ]
check "... naming the file" grep -q "bad.mmdb" "$W/bad.err"
finish enrich_mmdb
