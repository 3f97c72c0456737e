// Moving a centre's data from one database to another: `kizuna db copy --to postgresql://...`
// (the cut-over from SQLite to PostgreSQL, docs/operations.md).
//
// Every table is copied row by row with its ids, in the order its foreign keys need, and the
// target committed every kCopyBatchRows rows. A copy interrupted and run again resumes: a table
// keyed by an integer starts again at the highest key the target holds, rows already there are
// skipped (ON CONFLICT DO NOTHING), and a small table without such a key is copied again whole in
// one transaction. The source is held in one write transaction for the whole copy: it reads one
// consistent state, and a writer there (an MTA still delivering) waits or exits 75 to try later.
// Afterwards every table's row count is compared, and every raw message is compared byte for byte.
//
// Thread-safety: uses both databases from the calling thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace kz::store {

struct TableCopy {
  std::string table;
  int64_t copied = 0;  // rows written by this run
  int64_t source = 0;  // rows in the source afterwards
  int64_t target = 0;  // rows in the target afterwards
};

struct CopyReport {
  std::vector<TableCopy> tables;  // in copy order
  int64_t raw_compared = 0;       // raw messages found byte-identical
};

// Called now and then while a table is copied: the table and the rows copied so far.
using CopyProgress = std::function<void(const std::string& table, int64_t copied)>;

// Copies `from` into `to`, which must be PostgreSQL (created and migrated by opening it). The
// caller keeps workers away (hold_exclusive("worker") on both). Errors: kInvalidArgument when `to`
// is not PostgreSQL; kCorruption naming the table (or message) when the check afterwards finds a
// difference, such as a target that already held other data; the databases' errors otherwise.
Result<CopyReport> copy_database(Database& from, Database& to, const CopyProgress& progress = {});

}  // namespace kz::store
