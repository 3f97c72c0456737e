// Jobs claimed by workers: several `kizuna worker` processes on one database share the sends
// and the site checks by claiming them, each claim with a lease. A worker that dies loses its
// claims when their leases end, and another takes the jobs over.
//
// Errors, for every method: as MessageStore (messages.h). Thread-safety: as the Database it
// comes from. Claims are made inside the caller's transaction: writers take turns on both back
// ends (database.h), so two workers never both claim one job.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/common.h"

namespace kz::store {

class JobClaims {
 public:
  virtual ~JobClaims() = default;

  // Of `candidates` (ids of notices or sites, in the order to take them), claims for `worker`
  // until `until` those no other worker holds at `now`, at most `limit`, and returns them in
  // order. A claim whose lease ended by `now` is taken over; one `worker` holds is renewed.
  virtual Result<std::vector<Id>> claim(std::string_view kind, const std::vector<Id>& candidates,
                                        const std::string& worker, Time now, Time until,
                                        size_t limit) = 0;
  // Gives up `worker`'s claim on `item` (the job is done).
  virtual Status release(std::string_view kind, Id item, const std::string& worker) = 0;
  // The workers holding claims, and dropping every claim of one known to be gone (its process
  // ended), so that its jobs need not wait for the leases to end.
  virtual Result<std::vector<std::string>> claimants() = 0;
  virtual Status forget(const std::string& worker) = 0;
};

}  // namespace kz::store
