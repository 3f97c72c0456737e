// The use cases of looking after a centre's database: moving it to PostgreSQL (`db copy`) and
// backing it up (`db backup`). docs/operations.md is the handbook around them.
//
// Thread-safety: each call uses the databases it is given from the calling thread only.
#pragma once

#include <string>

#include "core/result.h"
#include "store/copy.h"
#include "store/database.h"

namespace kz::app {

// Copies the centre in `from` to the PostgreSQL database at `to_url` (created and migrated when
// new). No worker may run on either meanwhile: the worker role is held on both for the copy.
// Errors: kUnavailable when a worker holds either database ("stop the worker first") or the server
// cannot be reached; those of store::copy_database otherwise.
Result<store::CopyReport> copy_centre(store::Database& from, const std::string& to_url,
                                      const store::CopyProgress& progress = {});

// A consistent copy of the database in the new file `path`, taken while the worker runs.
// Errors: those of Database::backup_to (PostgreSQL says to use pg_dump).
Status back_up(store::Database& db, const std::string& path);

}  // namespace kz::app
