// Checkpoints a database's write-ahead log on a thread of its own, so that the writer does not
// sit through the checkpoint's two fsyncs. Only src/store uses this.
//
// Why: with SQLite's own automatic checkpoint, the commit that makes the WAL reach the limit
// copies the WAL into the database file and waits for both files to reach the disk before it
// returns; on the intake benchmark that wait was about 15% of the wall time of a one-core
// ingest (`synchronous=OFF`, which skips it and is not an option, ran 11.5 s -> 9.7 s).
//
// How: attach() replaces the writer connection's automatic checkpoint by a commit hook. A commit
// that leaves `threshold_pages` or more in the WAL wakes the thread, which runs a PASSIVE
// checkpoint through a second connection while the writer goes on. The writer must not start
// its next transaction before that checkpoint ends: SQLite restarts the WAL from its beginning
// only when a transaction starts on a fully checkpointed WAL, so a writer that never waited
// would grow the WAL without bound. The store's begin() therefore calls wait_idle(), and
// busy() lets a caller with other work (parsing the next messages) do that work first.
// Durability is SQLite's own: the same checkpoint, the same fsyncs, on another thread. A
// checkpoint that fails (another process checkpointing, a full disk) is asked for again by the
// next commit; a disk that is really gone fails the writer's own writes, which report it.
#pragma once

#include <sqlite3.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace kz::store {

class WalCheckpointer {
 public:
  // Hooks `writer` (which must outlive this object). The thread and its connection to `path`
  // start with the first checkpoint needed, so short-lived stores never start them.
  WalCheckpointer(sqlite3* writer, std::string path, int threshold_pages);
  ~WalCheckpointer();  // waits for a running checkpoint, stops the thread, unhooks the writer
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // True from the commit that asked for a checkpoint until the checkpoint has ended.
  bool busy() const;
  // Returns once no checkpoint is asked for or running. Writer thread only.
  void wait_idle();

 private:
  static int on_commit(void* self, sqlite3* db, const char* schema, int wal_pages);
  void run();

  sqlite3* writer_;
  const std::string path_;
  const int threshold_pages_;
  std::thread thread_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool asked_ = false;  // a commit asked for a checkpoint that has not ended yet
  bool stopping_ = false;
};

}  // namespace kz::store
