// The CSIRT directory's use cases: a handler confirming an entry of the starter list.
#pragma once

#include <string>

#include "core/result.h"
#include "core/time.h"
#include "store/database.h"

namespace kz::app {

// Records that `actor` confirmed the address of the CSIRT `name` at `now` (a directory.verified
// event): from now on it is mailed. kInvalidArgument: no CSIRT of this name in the directory in use
// (loaded, else the starter list).
Status verify_directory_entry(store::Database& db, const std::string& name,
                              const std::string& actor, Time now);

}  // namespace kz::app
