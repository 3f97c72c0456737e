// The JSON shapes of Kizuna's answers: what `--json` prints and what the HTTP API will return.
// docs/cli.md documents each key and promises them stable: a key is only ever added. One function
// per shape, so the command line and the server cannot drift apart.
//
// Pure: each builds a value from records, nothing else. Thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "app/access.h"
#include "app/ingest.h"
#include "coord/coordinator.h"
#include "coord/scorecard.h"
#include "coord/sites.h"
#include "core/time.h"
#include "enrich/directory.h"
#include "report/figures.h"
#include "store/copy.h"
#include "store/database.h"

namespace kz::app {

using Json = nlohmann::json;

// A time in UTC (format_utc), or null.
Json time_json(const std::optional<Time>& t);

// `kizuna ingest` and `kizuna submit`.
Json ingest_json(const IngestSummary& s);
// `kizuna triage FILE`: what triage found, nothing stored.
Json assessment_json(const intake::ParsedMessage& m, const triage::Assessment& a);
// `quarantine list` and `quarantine show` (without first_bytes); `quarantine retry`.
Json quarantined_json(const store::QuarantinedMessage& q);
Json retried_json(const RetryOutcome& o);

// `stats`: the figures of [from, to] (dates as given) in `time_zone`.
Json figures_json(const report::Figures& f, const std::string& from, const std::string& to,
                  const std::string& time_zone);

// `reports list`; `reports show` adds message_list, incident_list, tags and events.
Json classification_json(const Classification& c);
Json report_json(const store::ReportSummary& r, const TimeZone& zone);
Json report_detail_json(const store::ReportDetail& d, const TimeZone& zone);
// `incidents list`.
Json incident_json(const store::IncidentSummary& i);
// `user list`: {user, name, role, disabled, password, totp, tokens}; never a hash or secret.
Json user_json(const UserSummary& u);
// An internal note: {id, report, author, created_at, body}.
Json note_json(const store::NoteRecord& n);
// One event of the log: {at, actor, action, subject, detail (parsed)}.
Json event_json(const store::Event& e);
// A search's answer: {"messages": [{message, report, received_at, channel, sender, subject}],
// "next_before", "scanned_above"} (docs/api.yaml, GET /api/v1/search).
Json search_json(const store::MessageSearchResult& r);
// What a merge did: {into, from, messages, incidents_moved, incidents_joined, sites_joined}.
Json merge_json(store::Id into, const std::vector<store::Id>& from, const store::MergeOutcome& m);

// `data status`: each loaded kind, with its age at `now`.
Json data_set_json(const store::DataSetInfo& d, Time now);
// `directory list`.
Json csirt_json(const std::string& country, const enrich::Csirt& c);
// `kizuna whois --json` and GET /api/v1/whois: what the network data says of an address, each
// field's source, and the route a notice would take.
Json whois_json(const enrich::WhoisResult& r);
// An organisation of the contact directory: {name, kind, country, language, format, abuse,
// pgp_fingerprint, netblocks, asns, domains}.
Json organisation_json(const enrich::Organisation& o);

// `sites`: a site with the actions its state allows; `site ACTION`: what the transition did.
Json site_json(const store::SiteRecord& s);
Json transition_json(store::Id site, const coord::TransitionResult& r);
// `site checks`.
Json site_check_json(const store::SiteCheck& c);

// `notify list` (without body) and `notify show`/`notify plan` (with it).
Json notice_json(const store::NoticeRecord& n, bool with_body);
// `notify approve`: one approved notice.
Json approval_json(const store::NoticeRecord& n);
// `worker`: one round.
Json round_json(const coord::RoundSummary& r);
// `responders`.
Json responder_json(const coord::ResponderScore& r);

// `kizuna db copy`: every table with the rows copied by this run and the counts compared.
Json copy_json(const store::CopyReport& r);

}  // namespace kz::app
