// IncidentStore over the SQL layer.
#include <algorithm>

#include "store/incidents.h"
#include "store/sql/connection.h"
#include "store/sql/repositories.h"
#include "store/sql/rows.h"

namespace kz::store::sql {

namespace {

std::optional<int64_t> asn_of(const IncidentEnrichment& e) {
  return e.asn ? std::optional<int64_t>(*e.asn) : std::nullopt;
}

std::optional<std::string_view> null_if_empty(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string_view>(s);
}

class SqlIncidentStore final : public IncidentStore {
 public:
  explicit SqlIncidentStore(Connection& c) : c_(c) {}

  Result<Id> upsert_incident(const IncidentRecord& i) override {
    if (i.ip.empty()) {  // keyed by host: NULL addresses are never equal, so look first
      auto found = c_.query_int(
          "SELECT id FROM incidents WHERE report=?1 AND host=?2 AND ip IS NULL", i.report, i.host);
      if (!found) return fail(found.error());
      if (*found) return **found;
    }
    // By address: insert, and look up only when the report already has it (one statement for
    // a new report's incidents instead of a look-up and an insert).
    const IncidentEnrichment& e = i.enrichment;
    auto inserted = c_.query_int(
        "INSERT INTO incidents(report,ip,host,type,subtype,rsit_taxonomy,rsit_type,brand,"
        "brand_origin,first_seen,created_at,asn,as_name,country,org,org_kind,route,"
        "enriched_version) "
        "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18) "
        "ON CONFLICT(report,ip) DO NOTHING RETURNING id",
        i.report, null_if_empty(i.ip), null_if_empty(i.host), to_string(i.cls.type), i.cls.subtype,
        i.cls.rsit_taxonomy, i.cls.rsit_type, i.brand, i.brand_origin, i.first_seen, i.created_at,
        asn_of(e), e.as_name, e.country, e.org, e.org_kind, e.route, e.version);
    if (!inserted) return fail(inserted.error());
    if (*inserted) return **inserted;
    auto found = c_.query_int("SELECT id FROM incidents WHERE report=?1 AND ip=?2", i.report, i.ip);
    if (!found) return fail(found.error());
    if (!*found) return fail(Error::Internal("incident vanished after a conflicting insert", i.ip));
    return **found;
  }

  Result<IncidentRecord> get_incident(Id id) override {
    static const std::string sql = kIncidentSelect + std::string(" WHERE i.id=?1");
    auto r = c_.query_one(sql, read_incident, id);
    if (!r) return fail(r.error());
    if (!*r)
      return fail(
          Error::NotFound("no incident with this number", "incident " + std::to_string(id)));
    return std::move(**r);
  }

  Result<std::optional<Id>> incident_for_host(Id report, const std::string& host) override {
    return c_.query_int(
        "SELECT i.id FROM incidents i JOIN sites s ON s.incident=i.id WHERE i.report=?1 AND "
        "s.host=?2 AND i.ip IS NOT NULL ORDER BY i.id LIMIT 1",
        report, host);
  }

  Status add_ports(Id incident, const std::vector<PortHit>& ports) override {
    for (const auto& p : ports) {
      if (auto r =
              c_.exec("INSERT INTO incident_ports(incident,proto,port,hits) VALUES(?1,?2,?3,?4) "
                      "ON CONFLICT(incident,proto,port) DO UPDATE SET "
                      "hits=incident_ports.hits+excluded.hits",
                      incident, p.proto, p.port, p.hits);
          !r)
        return r;
    }
    return {};
  }

  Status set_incident_classification(Id incident, const Classification& c) override {
    return c_.exec(
        "UPDATE incidents SET type=?2, subtype=?3, rsit_taxonomy=?4, rsit_type=?5 WHERE id=?1",
        incident, to_string(c.type), c.subtype, c.rsit_taxonomy, c.rsit_type);
  }

  Status set_incident_brand(Id incident, const std::string& brand,
                            const std::string& origin) override {
    return c_.exec("UPDATE incidents SET brand=?2, brand_origin=?3 WHERE id=?1", incident, brand,
                   origin);
  }

  Result<std::vector<IncidentRecord>> incidents_of_report(Id report) override {
    static const std::string sql =
        kIncidentSelect + std::string(" WHERE i.report=?1 ORDER BY i.id");
    return c_.query(sql, read_incident, report);
  }

  Result<std::optional<Id>> earlier_closed_incident(const std::string& key, Id report) override {
    return c_.query_int(
        "SELECT i.id FROM incidents i JOIN reports r ON r.id=i.report WHERE (i.ip=?1 OR (i.ip IS "
        "NULL AND i.host=?1)) AND r.status='closed' AND i.report<>?2 AND r.id<?2 "
        "ORDER BY i.id DESC LIMIT 1",
        key, report);
  }

  Result<std::vector<IncidentToEnrich>> incidents_to_enrich(bool all) override {
    // One row per site (or one for an incident without sites), grouped here: a correlated
    // GROUP_CONCAT(DISTINCT ...) per incident built a temporary index for each, ~12,000
    // instructions an incident. Hosts come in URL order, each once. The incidents not enriched
    // yet come from the partial index incidents_unenriched (migration 010), not a full scan:
    // the condition is a literal so that SQLite can use it.
    std::vector<IncidentToEnrich> out;
    auto s = c_.for_each(
        all ? "SELECT i.id, COALESCE(i.ip,''), COALESCE(i.host,''), s.host "
              "FROM incidents i LEFT JOIN sites s ON s.incident=i.id ORDER BY i.id, s.url"
            : "SELECT i.id, COALESCE(i.ip,''), COALESCE(i.host,''), s.host "
              "FROM incidents i LEFT JOIN sites s ON s.incident=i.id "
              "WHERE i.enriched_version = 0 ORDER BY i.id, s.url",
        [&out](const Row& q) {
          const Id id = q.int64(0);
          if (out.empty() || out.back().id != id) out.push_back({id, q.text(1), q.text(2), {}});
          if (q.is_null(3)) return;
          std::string host = q.text(3);
          auto& hosts = out.back().site_hosts;
          if (!host.empty() && std::find(hosts.begin(), hosts.end(), host) == hosts.end())
            hosts.push_back(std::move(host));
        });
    if (!s) return fail(s.error());
    return out;
  }

  Status set_enrichment(Id incident, const IncidentEnrichment& e) override {
    return c_.exec(
        "UPDATE incidents SET asn=?2, as_name=?3, country=?4, org=?5, org_kind=?6, route=?7, "
        "enriched_version=?8 WHERE id=?1",
        incident, asn_of(e), e.as_name, e.country, e.org, e.org_kind, e.route, e.version);
  }

  Status set_incident_address(Id incident, const std::string& ip) override {
    return c_.exec("UPDATE incidents SET ip=?2 WHERE id=?1", incident, ip);
  }

  Status copy_sites(Id from, Id to) override {
    return c_.exec(
        "INSERT INTO sites(incident,url,host,created_at) SELECT ?2,url,host,created_at "
        "FROM sites WHERE incident=?1 ON CONFLICT DO NOTHING",
        from, to);
  }

  Status remove_incident(Id incident) override {
    for (const char* sql :
         {"DELETE FROM sites WHERE incident=?1", "DELETE FROM incident_ports WHERE incident=?1",
          "DELETE FROM incidents WHERE id=?1"}) {
      if (auto r = c_.exec(sql, incident); !r) return r;
    }
    return {};
  }

 private:
  Connection& c_;
};

}  // namespace

std::unique_ptr<IncidentStore> make_incident_store(Connection& c) {
  return std::make_unique<SqlIncidentStore>(c);
}

}  // namespace kz::store::sql
