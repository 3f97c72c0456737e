#include "store/sqlite/checkpointer.h"

#include "store/sqlite/sqlite.h"

namespace kz::store {

WalCheckpointer::WalCheckpointer(sqlite3* writer, std::string path, int threshold_pages)
    : writer_(writer), path_(std::move(path)), threshold_pages_(threshold_pages) {
  // Replaces the writer's automatic checkpoint (SQLite implements that with this same hook).
  sqlite3_wal_hook(writer_, &WalCheckpointer::on_commit, this);
}

WalCheckpointer::~WalCheckpointer() {
  sqlite3_wal_hook(writer_, nullptr, nullptr);
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int WalCheckpointer::on_commit(void* self, sqlite3* /*db*/, const char* /*schema*/, int wal_pages) {
  auto* c = static_cast<WalCheckpointer*>(self);
  if (wal_pages < c->threshold_pages_) return SQLITE_OK;
  {
    std::lock_guard lock(c->mu_);
    if (c->asked_ || c->stopping_) return SQLITE_OK;
    c->asked_ = true;
    if (!c->thread_.joinable()) c->thread_ = std::thread([c] { c->run(); });
  }
  c->cv_.notify_all();
  return SQLITE_OK;
}

void WalCheckpointer::run() {
  auto opened = Db::open(path_);
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return asked_ || stopping_; });
    if (!asked_) break;  // stopping, nothing asked
    if (opened) {
      lock.unlock();
      // PASSIVE: copies what no reader still needs, never waits for the writer or readers and
      // never makes them wait. Whatever it answers, the next commit past the threshold asks
      // again.
      (void)sqlite3_wal_checkpoint_v2((*opened)->handle(), "main", SQLITE_CHECKPOINT_PASSIVE,
                                      nullptr, nullptr);
      lock.lock();
    }
    asked_ = false;
    cv_.notify_all();
  }
}

bool WalCheckpointer::busy() const {
  std::lock_guard lock(mu_);
  return asked_;
}

void WalCheckpointer::wait_idle() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !asked_; });
}

}  // namespace kz::store
