// What the back ends of store::Database share: the repositories of sql/, made once over the back
// end's connection, and that connection for the whole-database operations of src/store
// (copy.cpp). Only src/store includes this header; everything else sees the repositories.
//
// Thread-safety: as Database (one thread at a time).
#pragma once

#include <memory>

#include "store/database.h"
#include "store/sql/connection.h"
#include "store/sql/repositories.h"

namespace kz::store::sql {

class SqlDatabase : public Database {
 public:
  MessageStore& messages() override { return *messages_; }
  ReportStore& reports() override { return *reports_; }
  IncidentStore& incidents() override { return *incidents_; }
  SiteStore& sites() override { return *sites_; }
  OutboxStore& outbox() override { return *outbox_; }
  ReporterStore& reporters() override { return *reporters_; }
  EventLog& events() override { return *events_; }
  NetworkDataStore& network_data() override { return *network_data_; }
  SettingStore& settings() override { return *settings_; }
  ReportQueries& queries() override { return *queries_; }
  JobClaims& jobs() override { return *jobs_; }
  UserStore& users() override { return *users_; }

  virtual Connection& connection() = 0;

 protected:
  // Called by the back end's constructor once its connection is open. The repositories never use
  // the connection when destroyed, so they may outlive it in destruction order.
  void open_repositories(Connection& c) {
    messages_ = make_message_store(c);
    reports_ = make_report_store(c);
    incidents_ = make_incident_store(c);
    sites_ = make_site_store(c);
    outbox_ = make_outbox_store(c);
    reporters_ = make_reporter_store(c);
    events_ = make_event_log(c);
    network_data_ = make_network_data_store(c, *this);
    settings_ = make_setting_store(c);
    queries_ = make_report_queries(c);
    jobs_ = make_job_claims(c);
    users_ = make_user_store(c);
  }

 private:
  std::unique_ptr<MessageStore> messages_;
  std::unique_ptr<ReportStore> reports_;
  std::unique_ptr<IncidentStore> incidents_;
  std::unique_ptr<SiteStore> sites_;
  std::unique_ptr<OutboxStore> outbox_;
  std::unique_ptr<ReporterStore> reporters_;
  std::unique_ptr<EventLog> events_;
  std::unique_ptr<NetworkDataStore> network_data_;
  std::unique_ptr<SettingStore> settings_;
  std::unique_ptr<ReportQueries> queries_;
  std::unique_ptr<JobClaims> jobs_;
  std::unique_ptr<UserStore> users_;
};

}  // namespace kz::store::sql
