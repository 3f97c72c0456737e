#include "store/checkpointer.h"

#include "store/sqlite.h"

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
    std::string error;
    if (!opened) {
      error = opened.error().message;
    } else {
      lock.unlock();
      // PASSIVE: copies what no reader still needs, never waits for the writer or readers and
      // never makes them wait. Another process checkpointing at the same time answers BUSY;
      // the next commit asks again.
      const int rc = sqlite3_wal_checkpoint_v2((*opened)->handle(), "main",
                                               SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      if (rc != SQLITE_OK && rc != SQLITE_BUSY) error = sqlite3_errmsg((*opened)->handle());
      lock.lock();
    }
    last_error_ = std::move(error);
    asked_ = false;
    ++completed_;
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

std::string WalCheckpointer::last_error() const {
  std::lock_guard lock(mu_);
  return last_error_;
}

int WalCheckpointer::completed() const {
  std::lock_guard lock(mu_);
  return completed_;
}

}  // namespace kz::store
