#!/usr/bin/env bash
# The PostgreSQL DDL (src/store/migrations/postgres/NNN_*.sql) on a real, throw-away PostgreSQL
# cluster: it applies in order, in lockstep with the SQLite migrations, gives the schema the SQLite
# migrations give (tables, columns, keys, indexes, triggers; compared through sqlite3 when it is
# installed), and the statements the repositories (src/store/sql/*.cpp) run work on it.
# It runs on the test run's cluster (pg_cluster.sh), in a database of its own.
# Usage: pg_migrations.sh SRC_DIR WORK_DIR CLUSTER_DIR
# Exit: 0 every check passed; 1 a check failed; 77 there is no cluster (PostgreSQL is absent).
set -euo pipefail

SRC=${1:?usage: pg_migrations.sh SRC_DIR WORK_DIR}
WORK=${2:?usage: pg_migrations.sh SRC_DIR WORK_DIR CLUSTER_DIR}
CLUSTER=${3:?usage: pg_migrations.sh SRC_DIR WORK_DIR CLUSTER_DIR}
SQLITE_MIG=$SRC/src/store/migrations
PG_MIG=$SQLITE_MIG/postgres
DB=kizuna_migrations
mkdir -p "$WORK"

# --- The run's cluster (pg_cluster.sh, the CTest fixture "postgres"). ---
if [ ! -f "$CLUSTER/url" ]; then
  echo "skipped: no PostgreSQL cluster in $CLUSTER (pg_cluster.sh start makes it)"
  exit 77
fi
ADMIN_URL=$(cat "$CLUSTER/url")
PSQL_BIN=$(cat "$CLUSTER/bin")/psql
DB_URL=${ADMIN_URL/\/postgres\?//$DB?}
echo "# $("$PSQL_BIN" --version)"

failures=0
ok() { echo "ok $*"; }
bad() {
  echo "FAILED $*"
  failures=$((failures + 1))
}

psql_admin() { "$PSQL_BIN" -v ON_ERROR_STOP=1 -X -q "$ADMIN_URL" "$@"; }
psql_db() { "$PSQL_BIN" -v ON_ERROR_STOP=1 -X -q "$DB_URL" "$@"; }
# The rows of SQL (read from stdin) in database DB, unaligned, '|' between columns.
rows() { psql_db -At -f -; }

psql_admin -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"

# --- Lockstep: the same NNN_name.sql in both directories. ---
sqlite_files=$(cd "$SQLITE_MIG" && ls -1 -- *.sql | LC_ALL=C sort)
pg_files=$(cd "$PG_MIG" && ls -1 -- *.sql | LC_ALL=C sort)
n_sqlite=$(printf '%s\n' "$sqlite_files" | grep -c .)
n_pg=$(printf '%s\n' "$pg_files" | grep -c .)
if [ "$n_sqlite" = "$n_pg" ]; then
  ok "lockstep: $n_pg PostgreSQL migrations for $n_sqlite SQLite migrations"
else
  bad "lockstep: $n_pg PostgreSQL migrations for $n_sqlite SQLite migrations"
fi
if [ "$sqlite_files" = "$pg_files" ]; then
  ok "lockstep: the file names match one to one"
else
  bad "lockstep: the file names differ (< SQLite, > PostgreSQL):"
  diff <(printf '%s\n' "$sqlite_files") <(printf '%s\n' "$pg_files") | grep '^[<>]' | sed 's/^/#   /' || true
fi
heads_ok=1
for f in $pg_files; do
  n=${f%%_*}
  if ! head -n 1 "$PG_MIG/$f" | grep -q "^-- $n: "; then
    bad "header: $f does not begin with \"-- $n: ...\""
    heads_ok=0
  fi
done
[ $heads_ok = 1 ] && ok "header: every PostgreSQL migration begins with \"-- NNN: ...\""

# --- Apply every migration in order, as the driver will: each in one transaction with its
# schema_version row (the driver, not a migration, creates schema_version). ---
psql_db -c "CREATE TABLE IF NOT EXISTS schema_version(version BIGINT NOT NULL)"
applied=0
v=0
for f in $pg_files; do
  v=$((v + 1))
  if out=$(psql_db -1 -f "$PG_MIG/$f" -c "INSERT INTO schema_version(version) VALUES($v)" 2>&1); then
    applied=$((applied + 1))
  else
    bad "apply $f"
    printf '%s\n' "$out" | sed 's/^/#   /'
    break
  fi
done
if [ "$applied" = "$n_pg" ]; then
  ok "apply: all $applied PostgreSQL migrations applied in order"
else
  echo "# stopped after $applied of $n_pg migrations: the schema checks below see a partial schema"
fi
got=$(echo "SELECT COUNT(*), COALESCE(MAX(version),0) FROM schema_version" | rows)
if [ "$got" = "$n_pg|$n_pg" ]; then ok "schema_version is $n_pg"; else bad "schema_version: got $got, want $n_pg|$n_pg"; fi

# --- The schema against SQLite's. ---
# Every table a SQLite migration creates (and none drops) exists.
sqlite_tables=$(cat "$SQLITE_MIG"/*.sql | sed -n 's/^[[:space:]]*CREATE TABLE \(IF NOT EXISTS \)\{0,1\}\([A-Za-z_][A-Za-z0-9_]*\).*/\2/p' | LC_ALL=C sort -u)
for t in $(cat "$SQLITE_MIG"/*.sql | sed -n 's/^[[:space:]]*DROP TABLE \(IF EXISTS \)\{0,1\}\([A-Za-z_][A-Za-z0-9_]*\).*/\2/p'); do
  sqlite_tables=$(printf '%s\n' "$sqlite_tables" | grep -vx "$t" || true)
done
# The search index is each back end's own (docs/decisions/038-message-search.md): SQLite's FTS5
# table message_search with its shadow tables, PostgreSQL's indexed copy message_search. They are
# left out of every comparison below; message_text and message_search_done are the same on both.
pg_tables=$(echo "SELECT table_name FROM information_schema.tables WHERE table_schema='public' AND table_type='BASE TABLE' AND table_name NOT IN ('schema_version','message_search') ORDER BY 1" | rows | LC_ALL=C sort)
missing=$(comm -23 <(printf '%s\n' "$sqlite_tables") <(printf '%s\n' "$pg_tables"))
extra=$(comm -13 <(printf '%s\n' "$sqlite_tables") <(printf '%s\n' "$pg_tables"))
if [ -z "$missing" ] && [ -z "$extra" ]; then
  ok "tables: all $(printf '%s\n' "$sqlite_tables" | grep -c .) SQLite tables exist, no others"
else
  bad "tables: missing [$(echo $missing)], not in SQLite [$(echo $extra)]"
fi

# Columns, keys, foreign keys, indexes and triggers, against a SQLite database made by the SQLite
# migrations (sqlite3 3.35 or later: 003 drops a column).
SQLITE3=$(command -v sqlite3 || true)
if [ -z "$SQLITE3" ]; then
  echo "# sqlite3 is not installed: columns, keys and indexes not compared"
else
  SQLDB=$WORK/sqlite_schema.db
  rm -f "$SQLDB"
  "$SQLITE3" "$SQLDB" "CREATE TABLE schema_version(version INTEGER NOT NULL)"
  for f in $sqlite_files; do "$SQLITE3" -bail "$SQLDB" <"$SQLITE_MIG/$f"; done
  lite() { "$SQLITE3" -noheader -list "$SQLDB" "$1" | LC_ALL=C sort; }
  pg() { echo "$1" | rows | LC_ALL=C sort; }
  compare() { # NAME SQLITE_ROWS PG_ROWS
    if [ "$2" = "$3" ]; then
      ok "$1: $(printf '%s\n' "$3" | grep -c .) the same as SQLite's"
    else
      bad "$1 differ (< SQLite, > PostgreSQL):"
      diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | grep '^[<>]' | sed 's/^/#   /' || true
    fi
  }
  T="m.type='table' AND m.name NOT LIKE 'sqlite_%' AND m.name<>'schema_version' AND (m.name NOT LIKE 'message_search%' OR m.name='message_search_done')"
  PGT="c.relkind='r' AND n.nspname='public' AND c.relname NOT IN ('schema_version','message_search')"

  # table|position|column|type|not null|default. SQLite INTEGER/TEXT/BLOB are BIGINT/TEXT/BYTEA;
  # a primary key column is NOT NULL (SQLite's pragma does not say so for a rowid alias).
  compare "columns (name, position, type, NOT NULL, default)" \
    "$(lite "SELECT m.name, p.cid, p.name, upper(p.type), CASE WHEN p.\"notnull\" OR p.pk>0 THEN 1 ELSE 0 END, coalesce(p.dflt_value,'') FROM sqlite_schema m, pragma_table_info(m.name) p WHERE $T")" \
    "$(pg "SELECT table_name, row_number() OVER (PARTITION BY table_name ORDER BY ordinal_position)-1, column_name,
             CASE data_type WHEN 'bigint' THEN 'INTEGER' WHEN 'text' THEN 'TEXT' WHEN 'bytea' THEN 'BLOB' ELSE data_type END,
             CASE is_nullable WHEN 'NO' THEN 1 ELSE 0 END,
             coalesce(regexp_replace(column_default, '::text$', ''), '')
           FROM information_schema.columns WHERE table_schema='public' AND table_name NOT IN ('schema_version','message_search')")"

  # Ids the database assigns: SQLite's INTEGER PRIMARY KEY named id, PostgreSQL's identities.
  compare "identity ids" \
    "$(lite "SELECT m.name, p.name FROM sqlite_schema m, pragma_table_info(m.name) p WHERE $T AND p.pk=1 AND upper(p.type)='INTEGER' AND p.name='id' AND (SELECT COUNT(*) FROM pragma_table_info(m.name) q WHERE q.pk>0)=1")" \
    "$(pg "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema='public' AND is_identity='YES'")"

  # table|p or u|columns in key order.
  compare "primary keys and UNIQUE constraints" \
    "$(lite "SELECT m.name, 'p', (SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info(m.name) WHERE pk>0 ORDER BY pk)) FROM sqlite_schema m WHERE $T AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE pk>0)
             UNION ALL
             SELECT m.name, 'u', (SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_index_info(l.name) ORDER BY seqno)) FROM sqlite_schema m, pragma_index_list(m.name) l WHERE $T AND l.origin='u'")" \
    "$(pg "SELECT c.relname, k.contype, (SELECT string_agg(a.attname, ',' ORDER BY x.n) FROM unnest(k.conkey) WITH ORDINALITY x(attnum, n) JOIN pg_attribute a ON a.attrelid=k.conrelid AND a.attnum=x.attnum)
           FROM pg_constraint k JOIN pg_class c ON c.oid=k.conrelid JOIN pg_namespace n ON n.oid=c.relnamespace WHERE $PGT AND k.contype IN ('p','u')
           UNION ALL -- the one key on a digest (001: a URL of any length): SQLite's UNIQUE(incident, url)
           SELECT 'sites', 'u', 'incident,url' FROM pg_indexes WHERE schemaname='public' AND indexname='sites_incident_url'
             AND indexdef LIKE '%UNIQUE%(incident, kz_text_key(url))%'")"

  # table|column|referenced table|referenced column.
  compare "foreign keys" \
    "$(lite "SELECT m.name, f.\"from\", f.\"table\", coalesce(f.\"to\",'') FROM sqlite_schema m, pragma_foreign_key_list(m.name) f WHERE $T")" \
    "$(pg "SELECT c.relname, a.attname, r.relname, b.attname FROM pg_constraint k JOIN pg_class c ON c.oid=k.conrelid JOIN pg_namespace n ON n.oid=c.relnamespace
             JOIN pg_class r ON r.oid=k.confrelid JOIN pg_attribute a ON a.attrelid=k.conrelid AND a.attnum=k.conkey[1]
             JOIN pg_attribute b ON b.attrelid=k.confrelid AND b.attnum=k.confkey[1] WHERE $PGT AND k.contype='f'")"

  # Named indexes (not those behind a key): table|index|columns|partial.
  compare "indexes (name, table, columns, partial)" \
    "$(lite "SELECT m.name, l.name, (SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_index_info(l.name) ORDER BY seqno)), l.partial FROM sqlite_schema m, pragma_index_list(m.name) l WHERE $T AND l.origin='c'")" \
    "$(pg "SELECT c.relname, x.relname, (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(i.indkey) WITH ORDINALITY k(attnum, n) JOIN pg_attribute a ON a.attrelid=i.indrelid AND a.attnum=k.attnum),
             CASE WHEN i.indpred IS NULL THEN 0 ELSE 1 END
           FROM pg_index i JOIN pg_class c ON c.oid=i.indrelid JOIN pg_class x ON x.oid=i.indexrelid JOIN pg_namespace n ON n.oid=c.relnamespace
           WHERE $PGT AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid=i.indexrelid) AND x.relname<>'sites_incident_url'")"

  compare "triggers" \
    "$(lite "SELECT tbl_name, name FROM sqlite_schema WHERE type='trigger'")" \
    "$(pg "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid=t.tgrelid WHERE NOT t.tgisinternal")"
fi

# --- The repositories' statements (src/store/sql/*.cpp), prepared as a PostgreSQL driver will
# prepare them (?N written $N, parameter types inferred by the server) and run with literal
# values. ---
# check NAME WANT: runs SQL from stdin; its output must be WANT.
check() {
  local name=$1 want=$2 got
  if got=$(rows 2>&1); then
    if [ "$got" = "$want" ]; then ok "$name"; else bad "$name: got [$got], want [$want]"; fi
  else
    bad "$name: $(printf '%s' "$got" | tr '\n' ' ')"
  fi
}
# refused NAME PATTERN: SQL from stdin must fail with an error matching PATTERN.
refused() {
  local name=$1 pattern=$2 got
  if got=$(rows 2>&1); then
    bad "$name: accepted (output [$got])"
  elif printf '%s' "$got" | grep -q -- "$pattern"; then
    ok "$name"
  else
    bad "$name: failed otherwise: $(printf '%s' "$got" | tr '\n' ' ')"
  fi
}

check "messages: INSERT ... RETURNING id (MessageStore::add_message)" "1" <<'SQL'
PREPARE s AS INSERT INTO messages(sha256,size,channel,source,received_at,ingested_at,sender,subject,message_id,purpose,parse_status,parse_error,format,signature,signer,encrypted,csam,tlp,dated_at,automatic) VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20) RETURNING id;
EXECUTE s('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 12, 'email', 'mbox:1', 1208221200, 1208221260, 'soc@reporter.example.jp', 'Phishing', 'a-1@reporter.example.jp', 'incident', 'ok', '', 'none', 'none', '', 0, 0, '', NULL, '');
SQL

check "message_raw, message_raw_more, message_refs: inserts and the raw bytes read back" "From: x

body|tail" <<'SQL'
PREPARE raw AS INSERT INTO message_raw(message,raw) VALUES($1,$2);
EXECUTE raw(1, '\x46726f6d3a20780a0a626f6479');
PREPARE more AS INSERT INTO message_raw_more(message,seq,bytes) VALUES($1,$2,$3);
EXECUTE more(1, 1, '\x7461696c');
PREPARE refs AS INSERT INTO message_refs(message,ref) VALUES($1,$2);
EXECUTE refs(1, 'a-0@reporter.example.jp');
PREPARE ind AS INSERT INTO indicators(message,kind,value,role,source) VALUES($1,$2,$3,$4,$5);
EXECUTE ind(1, 'url', 'http://phish.example.test/', 'reported', 'body');
PREPARE head AS SELECT raw FROM message_raw WHERE message=$1;
PREPARE tail AS SELECT bytes FROM message_raw_more WHERE message=$1 ORDER BY seq;
SELECT convert_from(h.raw, 'UTF8') || '|' || convert_from(t.bytes, 'UTF8') FROM message_raw h, message_raw_more t WHERE h.message=1 AND t.message=1;
SQL

check "reporters: INSERT ... RETURNING id (ReporterStore::upsert_reporter)" "1" <<'SQL'
PREPARE s AS INSERT INTO reporters(address,name,org_domain,tld,kind,domestic) VALUES($1,$2,$3,$4,$5,$6) RETURNING id;
EXECUTE s('soc@reporter.example.jp', 'SOC', 'reporter.example.jp', 'jp', 'csirt', 1);
SQL

check "reports: INSERT ... RETURNING id (ReportStore::create_report)" "1" <<'SQL'
PREPARE s AS INSERT INTO reports(created_at,status,type,subtype,rsit_taxonomy,rsit_type,reporter,tld,xarf_report_id,brand,brand_origin,tlp,csam,linked_report,summary,disclose_reporter) VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16) RETURNING id;
EXECUTE s(1208221200, 'open', 'phishing', '', 'fraud', 'phishing', 1, 'jp', '', 'PayPal', 'foreign', '', 0, NULL, '', 0);
SQL

check "report_messages, report_tags: ON CONFLICT DO NOTHING twice keeps one row each" "1|1" <<'SQL'
PREPARE att AS INSERT INTO report_messages(report,message,role) VALUES($1,$2,$3) ON CONFLICT DO NOTHING;
EXECUTE att(1, 1, 'first');
EXECUTE att(1, 1, 'first');
PREPARE tag AS INSERT INTO report_tags(report,tag) VALUES($1,$2) ON CONFLICT DO NOTHING;
EXECUTE tag(1, 'method:brute-force');
EXECUTE tag(1, 'method:brute-force');
SELECT (SELECT COUNT(*) FROM report_messages), (SELECT COUNT(*) FROM report_tags);
SQL

INCIDENT_INSERT='PREPARE s AS INSERT INTO incidents(report,ip,host,type,subtype,rsit_taxonomy,rsit_type,brand,brand_origin,first_seen,created_at,asn,as_name,country,org,org_kind,route,enriched_version) VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18) ON CONFLICT(report,ip) DO NOTHING RETURNING id;'
check "incidents: ON CONFLICT(report,ip) DO NOTHING RETURNING id, first insert returns the id" "1" <<SQL
$INCIDENT_INSERT
EXECUTE s(1, '198.51.100.45', NULL, 'phishing', '', 'fraud', 'phishing', 'PayPal', 'foreign', NULL, 1208221200, 64496, 'EXAMPLE-AS', 'JP', 'Example ISP', 'isp', '', 0);
SQL
check "incidents: the same (report, ip) again returns no row" "" <<SQL
$INCIDENT_INSERT
EXECUTE s(1, '198.51.100.45', NULL, 'phishing', '', 'fraud', 'phishing', 'PayPal', 'foreign', NULL, 1208221300, NULL, '', '', '', '', '', 0);
SQL
check "incidents: look-ups of IncidentStore::upsert_incident" "1|
1" <<'SQL'
PREPARE byip AS SELECT id FROM incidents WHERE report=$1 AND ip=$2;
PREPARE byhost AS SELECT id FROM incidents WHERE report=$1 AND host=$2 AND ip IS NULL;
SELECT (SELECT id FROM incidents WHERE report=1 AND ip='198.51.100.45'), (SELECT id FROM incidents WHERE report=1 AND host='x' AND ip IS NULL);
EXECUTE byip(1, '198.51.100.45');
SQL

check "incident_ports: ON CONFLICT(incident,proto,port) DO UPDATE adds the hits" "tcp|22|5" <<'SQL'
PREPARE s AS INSERT INTO incident_ports(incident,proto,port,hits) VALUES($1,$2,$3,$4) ON CONFLICT(incident,proto,port) DO UPDATE SET hits=incident_ports.hits+excluded.hits;
EXECUTE s(1, 'tcp', 22, 3);
EXECUTE s(1, 'tcp', 22, 2);
SELECT proto, port, hits FROM incident_ports WHERE incident=1;
SQL

check "sites: ON CONFLICT DO NOTHING RETURNING id (SiteStore::add_site), then the same URL gives no row" "1" <<'SQL'
PREPARE s AS INSERT INTO sites(incident,url,host,created_at) VALUES($1,$2,$3,$4) ON CONFLICT DO NOTHING RETURNING id;
EXECUTE s(1, 'http://phish.example.test/webscr/', 'phish.example.test', 1208221200);
EXECUTE s(1, 'http://phish.example.test/webscr/', 'phish.example.test', 1208221200);
SQL

check "sites: INSERT ... SELECT ... ON CONFLICT DO NOTHING (IncidentStore::copy_sites), twice (the new incident is 3: the conflicting insert used up id 2)" "3
3|1" <<SQL
$INCIDENT_INSERT
EXECUTE s(1, '198.51.100.46', NULL, 'phishing', '', 'fraud', 'phishing', '', '', NULL, 1208221200, NULL, '', '', '', '', '', 0);
SELECT id AS inc2 FROM incidents WHERE ip='198.51.100.46' \\gset
PREPARE copy AS INSERT INTO sites(incident,url,host,created_at) SELECT \$2,url,host,created_at FROM sites WHERE incident=\$1 ON CONFLICT DO NOTHING;
EXECUTE copy(1, :inc2);
EXECUTE copy(1, :inc2);
SELECT :inc2, COUNT(*) FROM sites WHERE incident=:inc2;
SQL

check "sites: ensure_address_sites and the coordination UPDATEs" "3|198.51.100.46" <<'SQL'
DELETE FROM sites WHERE incident=3;
INSERT INTO sites(incident,url,host,created_at) SELECT i.id, COALESCE(i.ip,i.host), COALESCE(i.ip,i.host), i.created_at FROM incidents i WHERE NOT EXISTS (SELECT 1 FROM sites s WHERE s.incident=i.id) ON CONFLICT DO NOTHING;
PREPARE up AS UPDATE sites SET reference_fingerprint=$2, down_streak=$3, next_check_at=$4, watch_step=$5, down_verified_at=$6, first_notified_at=$7, last_notified_at=$8, replied_at=$9, revivals=$10, org=$11 WHERE id=$1;
EXECUTE up(1, 'fp', 0, 1208224800, 0, NULL, 1208221300, 1208221300, NULL, 0, 'Example ISP');
PREPARE st AS UPDATE sites SET state=$2, state_at=$3 WHERE id=$1;
EXECUTE st(1, 'notified', 1208221300);
SELECT incident, url FROM sites WHERE incident=3;
SQL

check "site_checks: INSERT with BYTEA evidence, read back" "1|live|ok" <<'SQL'
PREPARE s AS INSERT INTO site_checks(site,checked_at,verdict,reason,http_status,final_url,error,fingerprint,title,user_agent,evidence) VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11);
EXECUTE s(1, 1208221400, 'live', '200', 200, 'http://phish.example.test/webscr/', '', 'fp', 'PayPal', 'Kizuna', '\x6f6b');
PREPARE r AS SELECT site,checked_at,verdict,reason,http_status,final_url,error,fingerprint,title,user_agent,evidence FROM site_checks WHERE site=$1 ORDER BY id;
SELECT site, verdict, convert_from(evidence, 'UTF8') FROM site_checks WHERE site=1;
SQL

check "notices: INSERT ... RETURNING id, notice_sites ON CONFLICT DO NOTHING, update with BYTEA mime, look-up by Message-ID" "1
1
1|1" <<'SQL'
PREPARE s AS INSERT INTO notices(kind,audience,report,org,org_kind,recipients,language,tag,subject,body,reason,status,planned_at) VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) RETURNING id;
EXECUTE s('notice', 'responder', 1, 'Example ISP', 'isp', '{"to":["abuse@isp.example"],"cc":[]}', 'en', '[Kizuna#N1]', 'Phishing', 'body', 'route', 'planned', 1208221300);
PREPARE ns AS INSERT INTO notice_sites(notice,site) VALUES($1,$2) ON CONFLICT DO NOTHING;
EXECUTE ns(1, 1);
EXECUTE ns(1, 1);
PREPARE up AS UPDATE notices SET status=$2, approved_at=$3, approved_by=$4, message_id=$5, mime=$6, signed=$7, encrypted=$8, attempts=$9, next_attempt_at=$10, last_error=$11, sent_at=$12, tag=$13, subject=$14, body=$15 WHERE id=$1;
EXECUTE up(1, 'sent', 1208221310, 'handler', 'n-1@kizuna.example', '\x4d494d45', 0, 0, 1, NULL, '', 1208221320, '[Kizuna#N1]', 'Phishing', 'body');
PREPARE bymid AS SELECT id FROM notices WHERE message_id=$1 AND status='sent';
PREPARE replied AS UPDATE notices SET replied_at=$2 WHERE id=$1 AND replied_at IS NULL;
EXECUTE replied(1, 1208222000);
PREPARE sites_of AS SELECT ns.site FROM notice_sites ns JOIN notices n ON n.id=ns.notice WHERE n.status=$1;
EXECUTE bymid('n-1@kizuna.example');
SELECT COUNT(*), MAX(notice) FROM notice_sites;
SQL

check "contact_bounces: insert and count" "1" <<'SQL'
PREPARE b AS INSERT INTO contact_bounces(address,at,notice,reason) VALUES($1,$2,$3,$4);
EXECUTE b('abuse@isp.example', 1208222100, 1, '550 no such user');
PREPARE c AS SELECT COUNT(*) FROM contact_bounces WHERE address=$1;
EXECUTE c('abuse@isp.example');
SQL

check "settings: ON CONFLICT(key) DO UPDATE SET value=excluded.value" "demo|off" <<'SQL'
PREPARE s AS INSERT INTO settings(key,value) VALUES($1,$2) ON CONFLICT(key) DO UPDATE SET value=excluded.value;
EXECUTE s('demo', 'on');
EXECUTE s('demo', 'off');
SELECT key, value FROM settings;
SQL

check "directory_verified: ON CONFLICT(name) DO UPDATE" "JPCERT/CC|second|2" <<'SQL'
PREPARE s AS INSERT INTO directory_verified(name,verified_by,verified_at) VALUES($1,$2,$3) ON CONFLICT(name) DO UPDATE SET verified_by=excluded.verified_by, verified_at=excluded.verified_at;
EXECUTE s('JPCERT/CC', 'first', 1);
EXECUTE s('JPCERT/CC', 'second', 2);
SELECT name, verified_by, verified_at FROM directory_verified;
SQL

check "network data: as_names ON CONFLICT(asn), data_sets ON CONFLICT(kind) with its version subquery, documents in seq order" "64496|EXAMPLE-AS-2|JP
as2org|2|2
b.json
a.json" <<'SQL'
PREPARE asn AS INSERT INTO as_names(asn,name,country) VALUES($1,$2,$3) ON CONFLICT(asn) DO UPDATE SET name=excluded.name, country=excluded.country;
EXECUTE asn(64496, 'EXAMPLE-AS', 'JP');
EXECUTE asn(64496, 'EXAMPLE-AS-2', 'JP');
PREPARE ds AS INSERT INTO data_sets(kind,source,loaded_at,entries,problems,version) VALUES($1,$2,$3,$4,$5,(SELECT COALESCE(MAX(version),0)+1 FROM data_sets)) ON CONFLICT(kind) DO UPDATE SET source=excluded.source, loaded_at=excluded.loaded_at, entries=excluded.entries, problems=excluded.problems, version=excluded.version;
EXECUTE ds('as2org', 'a.txt', 1, 1, 0);
EXECUTE ds('as2org', 'b.txt', 2, 2, 0);
PREPARE org AS INSERT INTO net_origins(prefix,origins) VALUES($1,$2);
EXECUTE org('198.51.100.0/24', '64496');
PREPARE del AS INSERT INTO net_delegations(prefix,registry,country,status) VALUES($1,$2,$3,$4);
EXECUTE del('198.51.100.0/24', 'apnic', 'JP', 'allocated');
PREPARE doc AS INSERT INTO data_documents(kind,name,content,seq) VALUES($1,$2,$3,$4);
EXECUTE doc('rdap', 'b.json', '{}', 1);
EXECUTE doc('rdap', 'a.json', '{}', 2);
SELECT asn, name, country FROM as_names;
SELECT kind, entries, version FROM data_sets;
PREPARE docs AS SELECT name, content FROM data_documents WHERE kind=$1 ORDER BY seq;
SELECT name FROM data_documents WHERE kind='rdap' ORDER BY seq;
SQL

check "events: append, and the report's events through 'incident:'||id, 'site:'||s.id, 'notice:'||id (ReportQueries::report_detail)" "report:1
incident:1
site:1
notice:1" <<'SQL'
PREPARE ev AS INSERT INTO events(at,actor,action,subject,detail) VALUES($1,$2,$3,$4,$5);
EXECUTE ev(1, 'system:intake', 'report.created', 'report:1', '{}');
EXECUTE ev(2, 'system:intake', 'incident.created', 'incident:1', '{}');
EXECUTE ev(3, 'system:coord', 'site.state', 'site:1', '{}');
EXECUTE ev(4, 'system:coord', 'notice.sent', 'notice:1', '{}');
EXECUTE ev(5, 'system:intake', 'report.created', 'report:99', '{}');
PREPARE q AS SELECT at,actor,action,subject,detail FROM events WHERE subject=$1 OR subject IN (SELECT 'incident:'||id FROM incidents WHERE report=$2) OR subject IN (SELECT 'site:'||s.id FROM sites s JOIN incidents i ON i.id=s.incident WHERE i.report=$2) OR subject IN (SELECT 'notice:'||id FROM notices WHERE report=$2) ORDER BY id;
SELECT subject FROM (SELECT id, subject FROM events WHERE subject='report:1' OR subject IN (SELECT 'incident:'||id FROM incidents WHERE report=1) OR subject IN (SELECT 'site:'||s.id FROM sites s JOIN incidents i ON i.id=s.incident WHERE i.report=1) OR subject IN (SELECT 'notice:'||id FROM notices WHERE report=1)) e ORDER BY id;
SQL
check "events: the prepared report_detail query returns the same 4 events" "4" <<'SQL'
PREPARE q AS SELECT at,actor,action,subject,detail FROM events WHERE subject=$1 OR subject IN (SELECT 'incident:'||id FROM incidents WHERE report=$2) OR subject IN (SELECT 'site:'||s.id FROM sites s JOIN incidents i ON i.id=s.incident WHERE i.report=$2) OR subject IN (SELECT 'notice:'||id FROM notices WHERE report=$2) ORDER BY id;
CREATE TEMP TABLE got AS EXECUTE q('report:1', 1);
SELECT COUNT(*) FROM got;
SQL
refused "events: UPDATE refused (append-only)" "append-only" <<'SQL'
UPDATE events SET actor='x' WHERE id=1;
SQL
refused "events: DELETE refused (append-only)" "append-only" <<'SQL'
DELETE FROM events WHERE id=1;
SQL

# The filters of `reports list` and `incidents list` (queries.cpp kReportWhere, kIncidentWhere),
# first with their parameters written as literals.
check "queries: list_reports and count_reports with their NULL and '' filters (parameters as literals)" "1|1208221200|open||phishing||fraud|phishing|1|jp||PayPal|foreign||0|||0|soc@reporter.example.jp|1|2
1" <<'SQL'
SELECT r.id,r.created_at,r.status,r.closed_at,r.type,r.subtype,r.rsit_taxonomy,r.rsit_type,COALESCE(r.reporter,0),r.tld,r.xarf_report_id,r.brand,r.brand_origin,r.tlp,r.csam,r.linked_report,r.summary,r.disclose_reporter, (SELECT COALESCE(address,'') FROM reporters WHERE id=r.reporter), (SELECT COUNT(*) FROM report_messages WHERE report=r.id), (SELECT COUNT(*) FROM incidents WHERE report=r.id) FROM reports r WHERE (NULL IS NULL OR r.created_at>=NULL) AND (NULL IS NULL OR r.created_at<NULL) AND (''='' OR r.type='') AND ('open'='' OR r.status='open') AND r.id>0 ORDER BY r.id LIMIT 100;
SELECT COUNT(*) FROM reports r WHERE (1208220000 IS NULL OR r.created_at>=1208220000) AND (1208230000 IS NULL OR r.created_at<1208230000) AND ('phishing'='' OR r.type='phishing') AND (''='' OR r.status='') AND r.id>0;
SQL

check "queries: count_incidents, by-ASN figures, the reporter contact" "2
64496|EXAMPLE-AS|1
1|1|soc@reporter.example.jp|SOC|jp|Phishing|a-1@reporter.example.jp|email|1208221200||||||0" <<'SQL'
SELECT COUNT(*) FROM incidents i JOIN reports r ON r.id=i.report WHERE (NULL IS NULL OR r.created_at>=NULL) AND (NULL IS NULL OR r.created_at<NULL) AND (''='' OR i.type='') AND (''='' OR i.ip='') AND (1 IS NULL OR i.report=1) AND i.id>0;
PREPARE a AS SELECT i.asn, MAX(i.as_name), COUNT(*) AS n FROM incidents i JOIN reports r ON r.id=i.report WHERE r.created_at>=$1 AND r.created_at<$2 AND i.asn IS NOT NULL GROUP BY i.asn ORDER BY n DESC, i.asn;
EXECUTE a(0, 2000000000);
PREPARE rc AS SELECT r.id, m.id, COALESCE(p.address,''), COALESCE(p.name,''), r.tld, m.subject, m.message_id, m.channel, m.received_at, r.acknowledged_at, r.reporter_told_at, m.dated_at, m.automatic, r.reporter_mail, r.csam FROM reports r JOIN report_messages rm ON rm.report=r.id AND rm.role='first' JOIN messages m ON m.id=rm.message LEFT JOIN reporters p ON p.id=r.reporter WHERE r.id=$1 ORDER BY r.id;
EXECUTE rc(1);
SQL

# The list filters as src/store/sql/queries.cpp writes them, prepared as a driver that leaves
# parameter types to the server (PQprepare with no types) runs them: an optional value is tested
# through CAST(?N AS BIGINT) IS NULL, and a count binds every parameter but the list's LIMIT.
check "queries: list_reports and count_reports prepared, NULL filters and paging" "1
1" <<'SQL'
PREPARE l AS SELECT r.id FROM reports r WHERE (CAST($1 AS BIGINT) IS NULL OR r.created_at>=$1) AND (CAST($2 AS BIGINT) IS NULL OR r.created_at<$2) AND ($3='' OR r.type=$3) AND ($4='' OR r.status=$4) AND r.id>$5 ORDER BY r.id LIMIT $6;
EXECUTE l(NULL, NULL, '', 'open', 0, 100);
PREPARE c AS SELECT COUNT(*) FROM reports r WHERE (CAST($1 AS BIGINT) IS NULL OR r.created_at>=$1) AND (CAST($2 AS BIGINT) IS NULL OR r.created_at<$2) AND ($3='' OR r.type=$3) AND ($4='' OR r.status=$4) AND r.id>$5;
EXECUTE c(NULL, NULL, '', 'open', 0);
SQL
check "queries: list_incidents and count_incidents prepared, by report" "3
1" <<'SQL'
PREPARE i AS SELECT i.id FROM incidents i JOIN reports r ON r.id=i.report WHERE (CAST($1 AS BIGINT) IS NULL OR r.created_at>=$1) AND (CAST($2 AS BIGINT) IS NULL OR r.created_at<$2) AND ($3='' OR i.type=$3) AND ($4='' OR i.ip=$4) AND (CAST($5 AS BIGINT) IS NULL OR i.report=$5) AND i.id>$6 ORDER BY i.id LIMIT $7;
EXECUTE i(NULL, NULL, '', '', 1, 1, 100);
PREPARE n AS SELECT COUNT(*) FROM incidents i JOIN reports r ON r.id=i.report WHERE (CAST($1 AS BIGINT) IS NULL OR r.created_at>=$1) AND (CAST($2 AS BIGINT) IS NULL OR r.created_at<$2) AND ($3='' OR i.type=$3) AND ($4='' OR i.ip=$4) AND (CAST($5 AS BIGINT) IS NULL OR i.report=$5) AND i.id>$6;
EXECUTE n(NULL, NULL, '', '', 1, 1);
SQL

echo
if [ $failures = 0 ]; then
  echo "all checks passed"
  exit 0
fi
echo "$failures check(s) FAILED"
exit 1
