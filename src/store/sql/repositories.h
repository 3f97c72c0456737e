// The repositories written over the SQL layer (sql/*.cpp), one factory each. A driver (sqlite/)
// makes them over its connection; they hold the connection by reference and live no longer.
#pragma once

#include <memory>

#include "store/database.h"
#include "store/sql/connection.h"

namespace kz::store::sql {

std::unique_ptr<MessageStore> make_message_store(Connection& c);
std::unique_ptr<ReportStore> make_report_store(Connection& c);
std::unique_ptr<IncidentStore> make_incident_store(Connection& c);
std::unique_ptr<SiteStore> make_site_store(Connection& c);
std::unique_ptr<OutboxStore> make_outbox_store(Connection& c);
std::unique_ptr<ReporterStore> make_reporter_store(Connection& c);
std::unique_ptr<EventLog> make_event_log(Connection& c);
// Each replacement of a kind is its own transaction (nested in a caller's, when there is one).
std::unique_ptr<NetworkDataStore> make_network_data_store(Connection& c, Transactions& tx);
std::unique_ptr<SettingStore> make_setting_store(Connection& c);
std::unique_ptr<ReportQueries> make_report_queries(Connection& c);
std::unique_ptr<JobClaims> make_job_claims(Connection& c);
std::unique_ptr<UserStore> make_user_store(Connection& c);

}  // namespace kz::store::sql
