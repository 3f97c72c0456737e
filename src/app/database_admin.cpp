#include "app/database_admin.h"

#include "store/locator.h"

namespace kz::app {

namespace {

// The worker role, held for the copy: a worker running on either side would change what is
// being copied, or send mail twice after the cut-over.
Result<std::unique_ptr<store::Lease>> hold_worker(store::Database& db, const std::string& which) {
  auto lease = db.hold_exclusive("worker");
  if (!lease && lease.error().code == ErrorCode::kUnavailable) {
    return fail(Error::Unavailable("a worker is running on the " + which +
                                       " database: stop it (and `kizuna serve`) before copying",
                                   lease.error().context));
  }
  return lease;
}

}  // namespace

Result<store::CopyReport> copy_centre(store::Database& from, const std::string& to_url,
                                      const store::CopyProgress& progress) {
  if (!store::is_postgres_url(to_url)) {
    return fail(Error::InvalidArgument(
        "--to must be a PostgreSQL URL such as postgresql://kizuna@db.example/kizuna", to_url));
  }
  auto to = store::open_postgres_store(to_url);
  if (!to) return fail(to.error());
  auto source_lease = hold_worker(from, "source");
  if (!source_lease) return fail(source_lease.error());
  auto target_lease = hold_worker(**to, "target");
  if (!target_lease) return fail(target_lease.error());
  return store::copy_database(from, **to, progress);
}

Status back_up(store::Database& db, const std::string& path) { return db.backup_to(path); }

}  // namespace kz::app
