// Crash marks: which messages were being read when an ingest died, so that a message that kills
// the process (a fatal signal, an abort, the kernel's out-of-memory killer) is set aside on the
// next run instead of killing it again. Without them an MTA that retries a delivery, or a cron
// job that re-runs a folder, would loop on one poison message for ever.
//
// How (docs/decisions/003-poison-messages.md):
//   - Each run maps a small file of its own, `<dir>/<pid>.marks`, held under an flock. Every
//     thread that reads or files a message writes the message's SHA-256 and a state into its
//     slot before it starts and clears the state when done: a store into shared memory, no
//     system call, so the marks cost nothing measurable. The kernel keeps the written pages
//     when the process dies, whatever kills it.
//   - A fatal signal (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT; on an alternate stack, so a
//     stack overflow is caught too) marks the slot of the thread it hit as the culprit, then
//     lets the signal kill the process as before.
//   - The next run on the machine (any `kizuna ingest`, `submit` or `quarantine retry`) takes
//     the files whose owner is gone (the flock is free) and keeps what they say in the
//     VerdictLedger, the centre's database: a culprit is poisoned at once; the others in flight
//     are suspects. Every run on that database, on any machine, honours the verdicts. A
//     suspect is read again alone (the batch before it committed, nothing else blamed) and is
//     poisoned if the process dies again then, or cleared if it goes through. Two deaths with
//     the same message in flight poison it too.
//   - A poisoned message is stored raw and quarantined with the reason; `kizuna quarantine
//     retry` re-runs it after a fix.
//
// Thread safety: verdict() and the mark functions may be called from any thread; open() and
// finish() from one.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "core/result.h"

namespace kz::triage {

// Where the verdicts live between runs. app/ keeps them in the centre's database, so that every
// worker and every machine on it honours them; the marks files stay on the machine whose run
// died, and only a later run there can take them.
class VerdictLedger {
 public:
  virtual ~VerdictLedger() = default;
  // The verdicts' text ("" when there are none).
  virtual Result<std::string> read() = 0;
  // Reads the verdicts' text, lets `change` edit it, and stores what it left, in one step no
  // other run interleaves with (a write transaction). Nothing is stored when it fails.
  virtual Status update(const std::function<void(std::string& verdicts)>& change) = 0;
};

class CrashMarks {
 public:
  enum class Verdict { kClean, kSuspect, kPoisoned };

  // Creates `dir` if needed, takes over the marks of runs that died there into `ledger` (which
  // must outlive the CrashMarks), and opens this run's file. kIo when the folder cannot be used;
  // the ledger's error when it cannot be read or written.
  static Result<std::unique_ptr<CrashMarks>> open(const std::string& dir, VerdictLedger& ledger);
  // A run that ends normally: finish() if it was not called (errors ignored).
  ~CrashMarks();

  // What earlier runs say of this message.
  Verdict verdict(const std::string& sha256) const;
  // Why a poisoned message is set aside (for its quarantine reason).
  std::string poison_reason(const std::string& sha256) const;

  // The calling thread starts reading or filing `sha256`; `alone` when it is a suspect read on
  // its own. end() when done (also when it failed as a value: only a death counts).
  void begin(const std::string& sha256, bool alone);
  void end();

  // The message is settled: read alone (a suspect, or a poisoned one retried) and filed.
  void resolved(const std::string& sha256);

  // Removes what was settled from the ledger and this run's marks file.
  Status finish();

  CrashMarks(const CrashMarks&) = delete;
  CrashMarks& operator=(const CrashMarks&) = delete;

 private:
  struct Suspect {
    int strikes = 0;
    bool poisoned = false;
    std::string reason;
  };
  CrashMarks(std::string dir, VerdictLedger& ledger) : dir_(std::move(dir)), ledger_(ledger) {}
  // The ledger's text: "<sha256> <strikes> <poisoned 0|1> <reason>" per line.
  static std::map<std::string, Suspect> parse_verdicts(std::string_view text);
  static std::string format_verdicts(const std::map<std::string, Suspect>& verdicts);
  Status harvest();
  Status map_own_file();

  std::string dir_;
  VerdictLedger& ledger_;
  std::map<std::string, Suspect> suspects_;  // read at open(), then read-only until finish()
  std::mutex resolved_mu_;
  std::set<std::string> resolved_;
  std::string own_path_;
  int own_fd_ = -1;
  void* map_ = nullptr;
  std::atomic<int> next_slot_{0};
  uint64_t generation_ = 0;  // tells this run's slots from an earlier CrashMarks' in the process
  bool finished_ = false;
};

}  // namespace kz::triage
