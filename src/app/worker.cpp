#include "app/worker.h"

#include <unistd.h>

#include <algorithm>
#include <thread>

#include "app/coordination.h"

namespace kz::app {

namespace {

constexpr int kMaxBackoffSeconds = 60;

bool stopped(const WorkerOptions& o) { return o.stop && o.stop->load(); }

void note(const WorkerOptions& o, const std::string& line) {
  if (o.note) o.note(line);
}

// Waits up to `total`, woken early by announced work, and in slices of a second so that a stop
// is seen promptly.
void pause(store::Database& db, const WorkerOptions& o, std::chrono::seconds total) {
  const auto until = std::chrono::steady_clock::now() + total;
  while (!stopped(o)) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    if (left.count() <= 0) return;
    if (db.wait_for_work(std::min<std::chrono::milliseconds>(left, std::chrono::seconds(1))))
      return;
  }
}

}  // namespace

std::string worker_name() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) return "unknown:" + std::to_string(::getpid());
  return std::string(host) + ":" + std::to_string(::getpid());
}

Status run_worker(store::Database& db, Config cfg, const Clock& clock,
                  const WorkerOptions& options) {
  const bool several = db.back_end() == "postgresql";
  Result<std::unique_ptr<store::Lease>> lease =
      several ? db.hold_shared("worker") : db.hold_exclusive("worker");
  if (!several && !lease && lease.error().code == ErrorCode::kUnavailable && !options.once) {
    note(options, lease.error().message +
                      (options.japanese ? ": 停止するまで待ちます" : ": waiting until it stops"));
    while (!lease && lease.error().code == ErrorCode::kUnavailable && !stopped(options)) {
      pause(db, options, std::max(std::chrono::seconds(1), options.interval));
      lease = db.hold_exclusive("worker");
    }
    if (stopped(options)) return {};
  }
  if (!lease) return fail(lease.error());
  if (several) cfg.coordination.worker = worker_name();
  auto coordinator = make_coordinator(db, cfg, clock);
  std::unique_ptr<store::Lease> scheduler;
  int backoff = 1;
  while (!stopped(options)) {
    if (several) {
      if (scheduler && scheduler->lost()) scheduler.reset();
      if (!scheduler) {
        if (auto l = db.hold_exclusive("scheduler")) scheduler = std::move(*l);
      }
    }
    const bool plans = !several || scheduler != nullptr;
    auto r = worker_round(db, *coordinator, cfg, clock, plans);
    if (!r && r.error().code == ErrorCode::kUnavailable && !options.once) {
      note(options, r.error().message +
                        (options.japanese ? " (再試行まで " : " (trying again in ") +
                        std::to_string(backoff) + " s)");
      pause(db, options, std::chrono::seconds(backoff));
      backoff = std::min(backoff * 2, kMaxBackoffSeconds);
      continue;
    }
    if (!r) return fail(r.error());
    backoff = 1;
    if (options.round) options.round(*r);
    if (options.once) return {};
    pause(db, options, std::max(std::chrono::seconds(1), options.interval));
  }
  return {};
}

}  // namespace kz::app
