// The worker as a use case: the loop of rounds that `kizuna worker` runs and `kizuna serve` runs
// on a thread of its own. Each round acknowledges, plans, sends, checks, re-notifies and tells
// reporters (app/coordination.h worker_round).
//
// Who works: on PostgreSQL any number of workers share the sends and checks, claimed as jobs,
// and one at a time plans (the "scheduler" role, taken over when its holder stops). On SQLite one
// worker runs: two would both send the same approved notice, so a second waits for the first to
// stop, noting why once (a standby); with `once` it fails kUnavailable instead.
//
// A database that cannot be reached (PostgreSQL restarting, SQLite busy past its timeout) costs a
// wait, not the loop: waits double from 1 s to 60 s and the next round reconnects.
//
// Errors: kUnavailable (with `once`: the lease is held elsewhere or the store cannot be reached);
// any other error of a round ends the loop with it. Thread-safety: `db` is used by the calling
// thread only; `stop` may be set from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>

#include "app/config.h"
#include "coord/coordinator.h"
#include "core/result.h"
#include "core/time.h"
#include "store/database.h"

namespace kz::app {

struct WorkerOptions {
  bool once = false;
  std::chrono::seconds interval{60};  // between rounds; new work on PostgreSQL wakes it sooner
  // A line for the operator: waiting for another worker, a round failed and is tried again.
  std::function<void(const std::string& note)> note;
  // After each round.
  std::function<void(const coord::RoundSummary& round)> round;
  // Set: the loop ends after the round in progress, and within a second while it waits.
  const std::atomic<bool>* stop = nullptr;
  bool japanese = false;  // the language of the notes
};

// "host:pid": how the job claims name this process.
std::string worker_name();

Status run_worker(store::Database& db, Config cfg, const Clock& clock,
                  const WorkerOptions& options);

}  // namespace kz::app
