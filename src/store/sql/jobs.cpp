// JobClaims over the SQL layer.
#include "store/jobs.h"
#include "store/sql/connection.h"
#include "store/sql/repositories.h"

namespace kz::store::sql {

namespace {

class SqlJobClaims final : public JobClaims {
 public:
  explicit SqlJobClaims(Connection& c) : c_(c) {}

  Result<std::vector<Id>> claim(std::string_view kind, const std::vector<Id>& candidates,
                                const std::string& worker, Time now, Time until,
                                size_t limit) override {
    std::vector<Id> got;
    for (Id item : candidates) {
      if (got.size() >= limit) break;
      // Inserted, or taken over from an ended lease (or renewed for the same worker).
      if (auto s = c_.exec(
              "INSERT INTO job_claims(kind,item,worker,until) VALUES(?1,?2,?3,?4) "
              "ON CONFLICT(kind,item) DO UPDATE SET worker=excluded.worker, until=excluded.until "
              "WHERE job_claims.until<=?5 OR job_claims.worker=excluded.worker",
              kind, item, worker, until, now);
          !s) {
        return fail(s.error());
      }
      auto holder = c_.query_one(
          "SELECT worker FROM job_claims WHERE kind=?1 AND item=?2",
          [](const Row& r) { return r.text(0); }, kind, item);
      if (!holder) return fail(holder.error());
      if (*holder && **holder == worker) got.push_back(item);
    }
    return got;
  }

  Status release(std::string_view kind, Id item, const std::string& worker) override {
    return c_.exec("DELETE FROM job_claims WHERE kind=?1 AND item=?2 AND worker=?3", kind, item,
                   worker);
  }

  Result<std::vector<std::string>> claimants() override {
    return c_.query("SELECT DISTINCT worker FROM job_claims ORDER BY worker",
                    [](const Row& r) { return r.text(0); });
  }

  Status forget(const std::string& worker) override {
    return c_.exec("DELETE FROM job_claims WHERE worker=?1", worker);
  }

 private:
  Connection& c_;
};

}  // namespace

std::unique_ptr<JobClaims> make_job_claims(Connection& c) {
  return std::make_unique<SqlJobClaims>(c);
}

}  // namespace kz::store::sql
