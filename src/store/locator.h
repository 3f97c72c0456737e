// Where a centre's data lives: what --db, [store] path or [store] url name. A PostgreSQL URL
// (postgresql://... or postgres://..., libpq's syntax) selects the PostgreSQL back end; anything
// else is the path of an SQLite file.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace kz::store {

bool is_postgres_url(std::string_view locator);

// The locator as it may appear in a log, an error or a status line: a password given in a URL
// (postgresql://user:secret@host/db, or ?password=secret) is replaced by "***". Everything else
// is kept, so a reader still sees which server, database and user were meant. A path is returned
// unchanged.
std::string redact_locator(std::string_view locator);

}  // namespace kz::store
