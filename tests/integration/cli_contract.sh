#!/usr/bin/env bash
# The command line's contract: every real-world corpus file ingests without a crash; garbage is
# quarantined, not lost; re-ingest changes nothing; exit codes 0 / 1 / 75; --stdin; ja/en.
# Usage: cli_contract.sh KIZUNA WORKDIR PROJECT_ROOT [PG_URL_FILE]
# With PG_URL_FILE (the run's cluster, pg_cluster.sh) every database is a fresh PostgreSQL one;
# what only a file can show (a mistyped path, a read-only folder) runs on SQLite only.
set -u
. "$(dirname "$0")/lib.sh"
K=$1 W=$2 ROOT=$3 PG=${4:-}
rm -rf "$W" && mkdir -p "$W"
DBS="corpus ef g long lu md n page pcap s"
if [ -n "$PG" ]; then
  ADMIN=$(cat "$PG")
  PSQL="$(cat "$(dirname "$PG")/bin")/psql"
  for d in $DBS; do
    "$PSQL" -X -q "$ADMIN" -c "DROP DATABASE IF EXISTS cli_$d WITH (FORCE)" -c "CREATE DATABASE cli_$d" || exit 1
  done
  printf '[store]\nwork_dir = "%s/var"\n' "$W" > "$W/kizuna.toml"
  export KIZUNA_CONFIG="$W/kizuna.toml"
fi
# The database NAME of this run: a file in WORKDIR, or its PostgreSQL database.
db() { if [ -n "$PG" ]; then echo "${ADMIN/\/postgres\?//cli_$1?}"; else echo "$W/$1.db"; fi; }

CORPORA="$ROOT/../shared/corpora"
if [ -d "$CORPORA" ]; then
  out=$("$K" ingest --db "$(db corpus)" "$CORPORA/abuse-mail" "$CORPORA/xarf" --json)
  rc=$?
  check "every corpus file ingests, exit 0" [ $rc -eq 0 ]
  check "76 corpus messages stored" [ "$(echo "$out" | json 'd["new"]')" = 76 ]
  again=$("$K" ingest --db "$(db corpus)" "$CORPORA/abuse-mail" "$CORPORA/xarf" --json)
  first_total=$(echo "$out" | json 'd["new"] + d["quarantined"]')
  check "re-ingest: every stored message is a duplicate, nothing new" \
    [ "$(echo "$again" | json 'd["duplicate"], d["new"]')" = "$first_total 0" ]
  # The pcap corpus is not mail: every file must be quarantined or read, never crash.
  "$K" ingest --db "$(db pcap)" "$CORPORA/pcap" --json > "$W/pcap.json" 2> "$W/pcap.err"
  check "830 binary captures ingest without a crash" [ $? -eq 0 ]
elif [ -n "${CI:-}" ]; then
  # In CI the corpora are part of the checkout: their absence is a broken run, not a skip.
  check "../shared/corpora is present in CI" false
else
  echo "skipped: ../shared/corpora is absent"
fi

printf '\x00\x01\x02 not a message\n' > "$W/garbage.eml"
out=$("$K" ingest --db "$(db g)" "$W/garbage.eml" --json)
check "garbage: exit 0" [ $? -eq 0 ]
check "garbage: quarantined with a reason" [ "$(echo "$out" | json 'd["quarantined"], bool(d["problems"][0]["reason"])')" = "1 True" ]

mail='From: soc@reporter.example.jp
Subject: ssh brute force
Date: Tue, 15 Apr 2008 10:00:00 +0900
Message-ID: <stdin-1@reporter.example.jp>

Apr 15 03:12:44 www sshd[1]: Failed password for root from 198.51.100.7 port 4242 ssh2
'
out=$(printf '%s' "$mail" | "$K" ingest --stdin --db "$(db s)" --json)
check "--stdin: one new message" [ "$(echo "$out" | json 'd["new"]')" = 1 ]
check "search: a substring of the body, another case, finds the mail" \
  [ "$("$K" search "FAILED PASSWORD for root" --json --db "$(db s)" | json 'len(d["messages"]), d["messages"][0]["subject"]')" = "1 ssh brute force" ]
check "search: a text no mail holds finds nothing" \
  [ "$("$K" search "no such words" --json --db "$(db s)" | json 'len(d["messages"])')" = 0 ]
"$K" search "" --db "$(db s)" 2> /dev/null
check "search: an empty text is exit 1" [ $? -eq 1 ]
stats=$("$K" stats --from 2008-04-01 --to 2008-06-30 --db "$(db s)" --json)
check "stats: one scan incident on 22/tcp" [ "$(echo "$stats" | json 'd["by_type"]["scan"], d["scan_ports"][0]["port"]')" = "1 22" ]
check "stats accept common options after the subcommand" quiet "$K" stats --json --from 2008-04-01 --db "$(db s)" --to 2008-04-30 --lang en
"$K" stats --from 2008-04-01 --to 2008-06-30 --db "$(db s)" --lang ja | grep -q "届出件数"
check "Japanese output" [ $? -eq 0 ]
"$K" stats --from 2008-04-01 --to 2008-06-30 --db "$(db s)" --lang en | grep -q "Reports"
check "English output" [ $? -eq 0 ]

"$K" stats --from 2008-13-01 --to 2008-06-30 --db "$(db s)" 2> "$W/err.txt"
check "bad date: exit 1" [ $? -eq 1 ]
check "bad date: says what is wrong" grep -q "YYYY-MM-DD" "$W/err.txt"
"$K" ingest --db "$(db s)" "$W/does-not-exist" --json > "$W/missing.json" 2> /dev/null
check "missing input: exit 1" [ $? -eq 1 ]
check "missing input: listed as a problem" grep -q "no such file" "$W/missing.json"

long_subject=$(printf 'フィッシングサイトの報告%.0s' $(seq 1 30))
printf 'From: a@example.jp\nSubject: %s\nContent-Type: text/plain; charset=utf-8\n\nPayPal を装ったフィッシングサイト\nhttp://pp.example.com/x (198.51.100.200)\nfound by a@example.jp at http://pp.example.com/x in a lure mail\n' \
  "$long_subject" > "$W/long.eml"
"$K" ingest --db "$(db long)" "$W/long.eml" > /dev/null
# A reported URL of 6,000 characters is a site like any other (PostgreSQL's indexes cannot hold it
# as it is: decision 034).
long_path=$(head -c 6000 /dev/zero | tr '\0' 'a')
printf 'From: b@example.jp\nSubject: phishing\nContent-Type: text/plain; charset=utf-8\n\nPayPal を装ったフィッシングサイト\nhttp://lu.example.com/%s (198.51.100.201)\n' \
  "$long_path" > "$W/long-url.eml"
"$K" ingest --db "$(db lu)" "$W/long-url.eml" > /dev/null
check "a 6,000-character URL is stored as a site, whole" \
  [ "$("$K" sites --report 1 --db "$(db lu)" --json | json 'max(len(s["url"]) for s in d)')" -gt 6000 ]
check "a long Japanese subject lists as valid JSON" quiet sh -c "'$K' reports list --db '$(db long)' --json | /usr/bin/python3 -m json.tool"
check "... and shows as valid JSON" quiet sh -c "'$K' reports show 1 --db '$(db long)' --json | /usr/bin/python3 -m json.tool"
mkdir -p "$W/ro" && chmod 0555 "$W/ro"
if [ "$(id -u)" = 0 ]; then
  # root ignores permissions: a path under a regular file cannot be created by anyone.
  touch "$W/file"
  unavailable="$W/file/k.db"
else
  unavailable="$W/ro/k.db"
fi
printf '%s' "$mail" | "$K" ingest --stdin --db "$unavailable" > /dev/null 2>&1
check "store unavailable: exit 75 so the MTA retries" [ $? -eq 75 ]
"$K" reports show 999 --db "$(db s)" 2> /dev/null
check "unknown report: exit 1" [ $? -eq 1 ]
"$K" classify report 1 other/dos --reason test --actor handler:test --db "$(db s)" > /dev/null
check "classify: exit 0" [ $? -eq 0 ]
check "classify: recorded in the event log" sh -c "'$K' reports show 1 --db '$(db s)' --json | grep -q classification.changed"

# A handler's work on a report: assign, TLP, tags, a note, close and reopen, all in the timeline.
"$K" user add tanaka --role handler --db "$(db s)" > /dev/null
"$K" user add yamada --role analyst --db "$(db s)" > /dev/null
"$K" reports assign 1 --to yamada --db "$(db s)" 2> "$W/assign.err"
check "assign to an analyst: exit 1, says an analyst only reads" \
  sh -c "[ $? -eq 1 ] && grep -q 'analyst' '$W/assign.err'"
check "assign, tlp, tag: exit 0" sh -c "'$K' reports assign 1 --to tanaka --actor handler:test --db '$(db s)' > /dev/null &&
  '$K' reports tlp amber+strict 1 --reason 'partner asked' --db '$(db s)' > /dev/null &&
  '$K' reports tag 1 --add Kit:16shop --add bank --db '$(db s)' > /dev/null"
printf '電話で確認済み\nthe host removes it today\n' | "$K" reports note 1 --actor handler:test --db "$(db s)" > /dev/null
check "note from standard input: kept whole, with its author" \
  [ "$("$K" reports notes 1 --json --db "$(db s)" | json 'd[0]["body"], d[0]["author"]')" = "電話で確認済み
the host removes it today
 handler:test" ]
"$K" reports close 1 999 --reason duplicate --db "$(db s)" 2> /dev/null
rc=$?
check "close of 1 and an unknown 999: exit 1, and 1 stays open (all or nothing)" \
  [ "$rc:$("$K" reports show 1 --json --db "$(db s)" | json 'd["status"]')" = "1:open" ]
"$K" reports close 1 --reason "duplicate of an earlier report" --db "$(db s)" > /dev/null
shown=$("$K" reports show 1 --json --db "$(db s)")
check "the report shows its assignee, TLP, tags, note and closing" \
  [ "$(echo "$shown" | json 'd["assignee"], d["tlp"], d["tags"], len(d["notes"]), d["status"]')" = "tanaka AMBER+STRICT ['bank', 'kit:16shop'] 1 closed" ]
check "every action is in the timeline" \
  [ "$(echo "$shown" | json '[e["action"] for e in d["events"] if e["action"].startswith("report.")][-5:]')" = "['report.assigned', 'report.tlp_changed', 'report.tagged', 'report.noted', 'report.closed']" ]
check "reopen needs a reason" sh -c "! '$K' reports reopen 1 --db '$(db s)' 2> /dev/null"

# Merge two reports, then split the second one's message off again.
"$K" reports reopen 1 --reason "merge test" --db "$(db s)" > /dev/null
printf '%s' "$mail" | sed -e 's/stdin-1@/stdin-2@/' -e 's/198.51.100.7/198.51.100.77/' |
  "$K" ingest --stdin --db "$(db s)" > /dev/null
second=$("$K" reports list --json --db "$(db s)" | json 'd[-1]["id"]')
moved=$("$K" reports show "$second" --json --db "$(db s)" | json 'd["message_list"][0]["id"]')
check "merge: exit 0, one message and one incident moved" \
  [ "$("$K" reports merge 1 "$second" --reason "one matter" --json --db "$(db s)" | json 'd["messages"], d["incidents_moved"]')" = "1 1" ]
check "merge: the merged report is closed and names the one it joined" \
  [ "$("$K" reports show "$second" --json --db "$(db s)" | json 'd["status"], d["merged_into"]')" = "closed 1" ]
check "split: exit 0, a new report with the message" \
  sh -c "new=\$('$K' reports split 1 --messages $moved --reason 'not one matter' --json --db '$(db s)' | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)[\"report\"])') &&
    [ \"\$('$K' reports show \$new --json --db '$(db s)' | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(d[\"message_list\"][0][\"id\"], d[\"linked_report\"])')\" = '$moved 1' ]"

# Network data: load with a bad line, whois names the fields and their sources.
printf '203.0.113.0\t24\t64501_64502\n203.0.113.0\t99\t1\n' > "$W/pfx2as.txt"
printf 'apnic|JP|ipv4|203.0.112.0|4096|20000101|allocated\n' > "$W/delegated.txt"
printf '64501|Example Hosting|JP\n' > "$W/as2org.txt"
printf '203.0.113.0\t24\t64999\n' > "$W/pfx2as-good.txt"
"$K" data load pfx2as "$W/pfx2as-good.txt" --db "$(db n)" > /dev/null
out=$("$K" data load pfx2as "$W/pfx2as.txt" --db "$(db n)" --json)
check "data load: a file with a bad line replaces nothing, exit 1, the line named with file and line" \
  [ "$?:$(echo "$out" | json 'd["replaced"], d["problems"][0].endswith(":2: bad prefix \"203.0.113.0/99\"")')" = "1:False True" ]
check "data load: the data loaded before is kept" \
  [ "$("$K" whois 203.0.113.9 --db "$(db n)" --json | json 'd["asn"]')" = 64999 ]
head -c 20000 /dev/urandom > "$W/garbage.bin"
"$K" data load pfx2as "$W/garbage.bin" --db "$(db n)" --lang en > "$W/garbage.out" 2> "$W/garbage.err"
check "data load of garbage: exit 1, the loaded data kept, no binary echoed" \
  sh -c "[ $? -eq 1 ] && '$K' whois 203.0.113.9 --db '$(db n)' --json | grep -q 64999 && ! LC_ALL=C grep -qP '[\\x00-\\x08\\x0e-\\x1f\\x7f-\\xff]' '$W/garbage.out' && ! LC_ALL=C grep -qP '[\\x00-\\x08\\x0e-\\x1f]' '$W/garbage.err'"
out=$("$K" data load pfx2as "$W/pfx2as.txt" --partial --db "$(db n)" --json)
check "data load --partial: the good lines replace the table, the bad one is named" \
  [ "$?:$(echo "$out" | json 'd["replaced"], d["entries"]')" = "0:True 1" ]
"$K" data load delegated "$W/delegated.txt" --db "$(db n)" > /dev/null
"$K" data load as2org "$W/as2org.txt" --db "$(db n)" > /dev/null
w=$("$K" whois 203.0.113.9 --db "$(db n)" --json)
check "whois: AS, origins, name, country and their sources" \
  [ "$(echo "$w" | json 'd["asn"], d["origins"], d["as_name"], d["country"], d["sources"]["country"]')" = "64501 [64501, 64502] Example Hosting JP delegated" ]
check "data status lists three kinds" [ "$("$K" data status --db "$(db n)" --json | json 'len(d)')" = 3 ]
"$K" data load mmdb "$W/as2org.txt" --db "$(db n)" 2> "$W/mmdb.err"
check "a file that is not of its kind is refused, exit 1" [ $? -eq 1 ]

# Notices: one per responder listing all their open sites.
printf '[[organisation]]\nname = "Example Hosting KK"\nkind = "hosting"\ncountry = "JP"\nlanguage = "ja"\nnetblocks = ["198.51.100.0/24"]\nabuse = ["abuse@hosting.example.jp"]\n' > "$W/contacts.toml"
"$K" data load contacts "$W/contacts.toml" --db "$(db long)" > /dev/null
"$K" enrich --all --db "$(db long)" > /dev/null
plan=$("$K" notify plan --db "$(db long)" --json)
check "notify plan: one Japanese notice to the administrator with the tracking tag" \
  [ "$(echo "$plan" | json 'len(d), d[0]["to"], d[0]["language"], d[0]["subject"].startswith("[Kizuna#")')" = "1 ['abuse@hosting.example.jp'] ja True" ]
check "notify plan: the notice quotes the report's lines naming the site, the reporter's address masked" \
  [ "$(echo "$plan" | json '"found by [address removed] at http://pp.example.com/x" in d[0]["body"], "a@example.jp" in d[0]["body"]')" = "True False" ]
nid=$(echo "$plan" | json 'd[0]["id"]')
ntag=$(echo "$plan" | json 'd[0]["tag"]')
"$K" notify edit "$nid" --subject "no tag" --db "$(db long)" 2> "$W/edit.err"
check "notify edit: a subject without the tracking tag is refused, exit 1, naming the tag" \
  sh -c "[ $? -eq 1 ] && grep -qF '$ntag' '$W/edit.err'"
printf '担当者様\n修正した本文\n' | "$K" notify edit "$nid" --subject "$ntag 修正" --body-file - --db "$(db long)" > /dev/null
check "notify edit: subject and body of a planned notice changed" \
  [ "$("$K" notify show "$nid" --json --db "$(db long)" | json 'd["subject"], d["body"]')" = "$ntag 修正 担当者様
修正した本文" ]

# Coordination workflow: sites move through checked states.
sid=$("$K" sites --report 1 --db "$(db long)" --json | json 'd[0]["id"]')
"$K" site "$sid" close --db "$(db long)" 2> "$W/site.err"
check "a nonsensical transition is refused (exit 1) and says what is possible" grep -q "possible: notify" "$W/site.err"
for a in notify takedown-reported verify-down close; do "$K" site "$sid" $a --reason test --db "$(db long)" > /dev/null; done
check "notify, takedown reported, verified down, closed: the report closes with its only site" \
  [ "$("$K" reports show 1 --db "$(db long)" --json | json 'd["status"], [e["action"] for e in d["events"]][-1]')" = "closed report.closed" ]

# The newcomer's write-up, points fixed, each pinned here.
check "--version: exit 0, the version" sh -c "'$K' --version | grep -q '^kizuna [0-9]'"
"$K" stats --from 2008-04-01 --to 2008-06-30 --db "$(db s)" --now "" > /dev/null 2>&1
check "--now with an empty value is refused, exit 1" [ $? -eq 1 ]
"$K" stats --from 2008-04-01 --to 2008-06-30 --db "$(db s)" --now 2008-04-01T00:00+99:00 > /dev/null 2>&1
check "--now with an impossible zone is refused, exit 1" [ $? -eq 1 ]
"$K" triage "$W" --lang en > /dev/null 2> "$W/triage-dir.err"
check "triage DIR: exit 1, says it takes one file" sh -c "[ $? -eq 1 ] && grep -q 'one file' '$W/triage-dir.err'"
mkdir -p "$W/md/Maildir/new" "$W/md/Maildir/cur" "$W/md/folder"
printf 'From soc@reporter.example.jp Tue Apr 15 10:00:00 2008\nFrom: soc@reporter.example.jp\nSubject: scan from 198.51.100.44\nDate: Tue, 15 Apr 2008 10:00:00 +0900\nMessage-ID: <md1@reporter.example.jp>\n\nApr 15 03:12:44 www sshd[1]: Failed password for root from 198.51.100.44 port 4242 ssh2\n' \
  | tee "$W/md/Maildir/new/1.eml" > "$W/md/folder/1.eml"
md=$("$K" ingest "$W/md/Maildir" "$W/md/folder" --db "$(db md)" --json)
check "the same mail through a Maildir and a folder is stored once" \
  [ "$(echo "$md" | json 'd["new"], d["duplicate"]')" = "1 1" ]
for bad in "reports list --type bogus" "reports list --status bogus" "incidents list --type bogus" \
           "incidents list --ip notanip" "incidents list --ip 122.152.103.039"; do
  $K $bad --db "$(db long)" > /dev/null 2>&1
  check "$bad: a typo is refused, exit 1 (not an empty list)" [ $? -eq 1 ]
done
for n in 1 2 3; do
  printf 'From: soc@reporter.example.jp\nSubject: scan from 198.51.100.%s\nDate: Tue, 15 Apr 2008 10:00:00 +0900\n\nApr 15 03:12:44 www sshd[1]: Failed password for root from 198.51.100.%s port 4242 ssh2\n' $n $n \
    | "$K" ingest --stdin --db "$(db page)" > /dev/null
done
page=$("$K" reports list --db "$(db page)" --limit 1 --lang en)
check "a cut list says how many more and how to page" sh -c "echo '$page' | grep -q -- '2 more (the next 1: --after 1)'"
check "--after gives the next page" \
  [ "$("$K" reports list --db "$(db page)" --limit 1 --after 1 --json 2>/dev/null | json 'd[0]["id"]')" = 2 ]
printf '{"purpose":"incident"}' > "$W/empty-form.json"
ef=$("$K" submit "$W/empty-form.json" --db "$(db ef)" --json)
check "a form that names nothing opens no empty report (kept as a non-incident)" \
  [ "$(echo "$ef" | json 'd["reports_created"], d["non_incident"]')" = "0 1" ]
"$K" reports show abc --db "$(db long)" > /dev/null 2> "$W/abc.err"
check "reports show abc: exit 1, says a number is needed" sh -c "[ $? -eq 1 ] && grep -q 'must be a number, not \"abc\"' '$W/abc.err'"
"$K" reports show 99999 --db "$(db long)" > /dev/null 2> "$W/ja.err"
check "errors speak Japanese under the default language" grep -q 'この番号の届出はありません' "$W/ja.err"
"$K" worker --interval 0 --db "$(db long)" > /dev/null 2>&1
check "worker --interval 0 is refused, exit 1" [ $? -eq 1 ]
ja_out=$({ "$K" data status --db "$(db n)" --lang ja; "$K" whois 203.0.113.9 --db "$(db n)" --lang ja;
          "$K" checks --site 1 --db "$(db long)" --lang ja; } 2>&1)
check "data status, whois and checks speak Japanese under --lang ja" \
  sh -c "! echo '$ja_out' | grep -qwE 'entries|problems|loaded|route|prefix|country|registry'"

if [ -n "$PG" ]; then finish cli_contract_pg; exit $?; fi
# A mistyped --db: no command but ingest, submit and data load creates a database.
for cmd in "stats --from 2008-04-01 --to 2008-06-30" "reports list" "incidents list" "notify list" "data status" "worker --once" "enrich --all"; do
  $K $cmd --db "$W/typo/k.db" > /dev/null 2> "$W/typo.err"
  rc=$?
  check "$cmd on a missing database: exit 1 naming the path, nothing created" \
    sh -c "[ $rc -eq 1 ] && grep -q '$W/typo/k.db' '$W/typo.err' && [ ! -e '$W/typo' ]"
done

# Reading a database in a folder this user cannot write (a copy on read-only media, a colleague's
# folder): read commands work, and leave nothing beside it. As root, permissions bind no one, so
# the reader is the user nobody.
RO=$(mktemp -d /tmp/kz_ro.XXXXXX)
cp "$(db long)" "$RO/k.db"
chmod 755 "$RO"; chmod 644 "$RO/k.db"
as_reader() { if [ "$(id -u)" = 0 ]; then setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] || chmod 555 "$RO"
ro_out=$(as_reader "$K" reports show 1 --db "$RO/k.db" --json 2> "$W/ro.err")
check "reports show on a read-only folder: exit 0, the report read" \
  [ "$?:$(echo "$ro_out" | json 'd["status"]')" = "0:closed" ]
as_reader "$K" stats --from 2008-04-01 --to 2008-06-30 --db "$RO/k.db" > /dev/null 2>> "$W/ro.err"
check "stats on a read-only folder: exit 0" [ $? -eq 0 ]
check "nothing was written beside it" [ "$(ls "$RO")" = "k.db" ]
chmod 755 "$RO"; rm -rf "$RO"

finish cli_contract
