#include "triage/ingest_run.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>

#include "core/ordered_pipeline.h"
#include "core/process.h"

namespace kz::triage {

namespace {

// The store's side of a run: batches of `batch_size` items per transaction, the caller's sink
// told about each outcome. Calling thread only.
class Writer {
 public:
  Writer(Ingestor& ingestor, store::Transactions& store, const IngestRunOptions& options,
         const IngestRunSink& sink)
      : ingestor_(ingestor), store_(store), options_(options), sink_(sink) {}

  // False once the store has failed (`failure()` says why); nothing more may be written.
  bool write(const intake::InputItem& item, Prepared&& prepared) {
    CrashMarks* marks = options_.marks;
    const std::string sha = prepared.sha256;
    auto verdict = marks ? marks->verdict(sha) : CrashMarks::Verdict::kClean;
    if (verdict == CrashMarks::Verdict::kPoisoned && options_.retry)
      verdict = CrashMarks::Verdict::kSuspect;
    if (verdict == CrashMarks::Verdict::kPoisoned) {
      prepared.parsed = true;
      prepared.message.reset();
      prepared.parse_error =
          marks->poison_reason(sha) + "; kept unread (after a fix: kizuna quarantine retry)";
    }
    const bool alone = verdict == CrashMarks::Verdict::kSuspect;
    if (alone && in_batch_ > 0) {
      // A suspect of an earlier crash: what comes before it is committed first, so that if it
      // stops the process again nothing else is lost or blamed.
      if (auto s = commit_batch(); !s) return stop(s);
    }
    if (in_batch_ == 0) {
      if (auto s = store_.begin(); !s) return stop(s);
    }
    if (marks) marks->begin(sha, alone);
    auto r = write_one(item, std::move(prepared));
    if (marks) {
      marks->end();
      // A suspect that went through alone is cleared. A poisoned message stays marked while it
      // is quarantined: a later run parses ahead before it meets the stored duplicate, and must
      // not parse this one (a retry that files it clears it: its verdict is read as kSuspect).
      if (r && verdict == CrashMarks::Verdict::kSuspect) marks->resolved(sha);
    }
    if (!r) {
      store_.rollback();
      return stop(fail(r.error()));
    }
    if (r->status == IngestOutcome::Status::kDuplicate) met_duplicate_ = true;
    if (sink_.outcome) sink_.outcome(item, *r);
    // The batch held for a replay is bounded in bytes too (a few large messages end it early).
    if (++in_batch_ >= options_.batch_size || held_bytes_ >= kMaxHeldBytes) {
      if (auto s = commit_batch(); !s) return stop(s);
    }
    return true;
  }

  Status finish() {
    if (failure_) return *failure_;
    if (in_batch_ > 0) return commit_batch();
    return {};
  }

  bool met_duplicate() const { return met_duplicate_; }
  // The next write() begins a transaction.
  bool at_batch_start() const { return in_batch_ == 0 && !failure_; }

 private:
  // The store itself failing is not the message's fault: the run stops (exit 75, retried).
  static bool store_failure(const Error& e) {
    return e.code == ErrorCode::kUnavailable || e.code == ErrorCode::kCorruption ||
           e.code == ErrorCode::kIo;
  }

  Result<IngestOutcome> guarded_ingest(const intake::InputItem& item, Prepared&& prepared) {
    try {
      return ingestor_.ingest(item, std::move(prepared));
    } catch (const std::exception& e) {
      return fail(Error::Internal(std::string("internal error: ") + e.what()));
    }
  }

  // One item of the batch. When it fails for a reason of its own, the batch is rolled back, what
  // came before it in the batch is written again, and its raw bytes are kept as a quarantined
  // message with the reason: the batch goes on. (A savepoint per message would do the same
  // without the replay, but copies every page a message touches into SQLite's sub-journal: 26%
  // of one-core intake, docs/perf.md. Failures are rare; the replay is paid only then.)
  Result<IngestOutcome> write_one(const intake::InputItem& item, Prepared&& prepared) {
    const std::string sha = prepared.sha256;
    Result<IngestOutcome> r = guarded_ingest(item, std::move(prepared));
    if (r) {
      hold(item, sha, {});
      return r;
    }
    if (store_failure(r.error())) return r;
    const std::string reason = "could not be filed: " + r.error().message;
    store_.rollback();
    if (auto s = store_.begin(); !s) return fail(s.error());
    for (const auto& h : held_) {
      auto again = h.reason.empty() ? guarded_ingest(h.item, Ingestor::address(h.item))
                                    : ingestor_.quarantine(h.item, h.sha256, h.reason);
      if (!again) return fail(again.error());
    }
    auto q = ingestor_.quarantine(item, sha, reason);
    if (q) hold(item, sha, reason);
    return q;
  }

  // What the open batch wrote, to write it again after a rollback.
  struct Held {
    intake::InputItem item;
    std::string sha256;
    std::string reason;  // set: it was quarantined for this
  };
  void hold(const intake::InputItem& item, const std::string& sha256, std::string reason) {
    held_bytes_ += item.bytes.size();
    held_.push_back({item, sha256, std::move(reason)});
  }
  Status commit_batch() {
    in_batch_ = 0;
    held_.clear();
    held_bytes_ = 0;
    return store_.commit();
  }

  bool stop(Status s) {
    failure_ = std::move(s);
    return false;
  }

  Ingestor& ingestor_;
  store::Transactions& store_;
  const IngestRunOptions& options_;
  const IngestRunSink& sink_;
  int in_batch_ = 0;
  std::vector<Held> held_;
  size_t held_bytes_ = 0;
  static constexpr size_t kMaxHeldBytes = size_t{64} << 20;
  bool met_duplicate_ = false;
  std::optional<Status> failure_;
};

void report_not_read(const IngestRunSink& sink, const std::string& source,
                     const std::string& problem, intake::ProblemKind kind) {
  if (sink.not_read) sink.not_read(source, problem, kind);
}

// Ingestor::prepare with crash marks: a message an earlier run stopped on is not parsed here (the
// writer quarantines it, or parses it alone), and the parse is marked while it runs.
Prepared prepare_marked(const Ingestor& ingestor, const intake::InputItem& item,
                        const Ingestor::SkipIf& skip_if, CrashMarks* marks) {
  if (!marks) return ingestor.prepare(item, skip_if);
  Prepared p = Ingestor::address(item);
  if (marks->verdict(p.sha256) != CrashMarks::Verdict::kClean) return p;
  if (skip_if && skip_if(p.sha256)) return p;
  marks->begin(p.sha256, false);
  ingestor.parse_and_assess(item, p);
  marks->end();
  return p;
}

// What the walk hands to the pipeline: an item, or a path it could not read (kept in the stream
// so that problems are reported in input order too).
struct Walked {
  intake::InputItem item;
  std::string problem;  // set: item.source was not read
  intake::ProblemKind kind = intake::ProblemKind::kUnreadable;
};

// Bytes in flight between the walk and the writer. take() waits while others hold the budget
// (one item always passes, so a message larger than the budget is not stuck); cancel() wakes the
// walk for good when the writer stops early.
class ByteBudget {
 public:
  explicit ByteBudget(size_t limit) : limit_(limit) {}
  // False once cancelled.
  bool take(size_t n) {
    std::unique_lock lock(mu_);
    freed_.wait(lock, [&] { return cancelled_ || held_ == 0 || held_ + n <= limit_; });
    if (cancelled_) return false;
    held_ += n;
    return true;
  }
  void give(size_t n) {
    {
      std::lock_guard lock(mu_);
      held_ -= std::min(n, held_);
    }
    freed_.notify_one();
  }
  void cancel() {
    {
      std::lock_guard lock(mu_);
      cancelled_ = true;
    }
    freed_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable freed_;
  size_t limit_;
  size_t held_ = 0;
  bool cancelled_ = false;
};

// An item parsed ahead while the store was busy, waiting for its turn.
struct Ahead {
  intake::InputItem item;
  Prepared prepared;
};

}  // namespace

Status ingest_all(const ItemSource& source, Ingestor& ingestor, store::Transactions& store,
                  const IngestRunOptions& options, const IngestRunSink& sink) {
  Writer writer(ingestor, store, options, sink);
  const int threads =
      options.prepare_threads >= 0 ? options.prepare_threads : std::min(available_cpus() - 1, 3);
  if (threads <= 0) {
    // One thread. While the store flushes (begin_would_wait), the next items are parsed ahead
    // instead of waiting; they are written, in order, once it is done.
    std::deque<Ahead> ahead;
    size_t ahead_bytes = 0;
    const auto drain = [&] {
      for (; !ahead.empty(); ahead.pop_front()) {
        if (!writer.write(ahead.front().item, std::move(ahead.front().prepared))) return false;
      }
      ahead_bytes = 0;
      return true;
    };
    source(
        [&](intake::InputItem&& item) {
          if (writer.at_batch_start() && ahead_bytes < options.flush_ahead_bytes &&
              store.begin_would_wait()) {
            ahead_bytes += item.bytes.size();
            Prepared prepared = prepare_marked(ingestor, item,
                                               writer.met_duplicate() && options.already_stored
                                                   ? options.already_stored
                                                   : Ingestor::SkipIf{},
                                               options.marks);
            ahead.push_back({std::move(item), std::move(prepared)});
            return true;
          }
          return drain() && writer.write(item, Ingestor::address(item));
        },
        [&](const std::string& where, const std::string& problem, intake::ProblemKind kind) {
          if (drain()) report_not_read(sink, where, problem, kind);
        });
    drain();
    return writer.finish();
  }

  // Parsing ahead of the writer. Re-ingesting a mailbox would parse every stored message only for
  // the writer to drop it; once the writer has met one duplicate, the parsing threads ask first.
  std::atomic<bool> probe{false};
  ByteBudget budget(options.queue_bytes);
  const Ingestor::SkipIf skip_stored = [&](const std::string& sha) {
    return probe.load(std::memory_order_relaxed) && options.already_stored(sha);
  };
  OrderedPipeline<Walked, Prepared> pipeline(
      [&](const OrderedPipeline<Walked, Prepared>::Emit& emit) {
        source(
            [&](intake::InputItem&& item) {
              return budget.take(item.bytes.size()) && emit(Walked{std::move(item), {}});
            },
            [&](const std::string& where, const std::string& problem, intake::ProblemKind kind) {
              emit(Walked{intake::InputItem{where, {}, intake::ItemKind::kEmail, std::nullopt},
                          problem, kind});
            });
      },
      [&](const Walked& w) {
        return w.problem.empty()
                   ? prepare_marked(ingestor, w.item,
                                    options.already_stored ? skip_stored : nullptr, options.marks)
                   : Prepared{};
      },
      static_cast<size_t>(threads), options.queue);
  // Declared after the pipeline, so destroyed first: a walk waiting for room is let go before
  // the pipeline joins it.
  struct Release {
    ByteBudget& budget;
    ~Release() { budget.cancel(); }
  } release{budget};
  while (auto next = pipeline.next()) {
    auto& [walked, prepared] = *next;
    if (!walked.problem.empty()) {
      report_not_read(sink, walked.item.source, walked.problem, walked.kind);
      continue;
    }
    const bool written = writer.write(walked.item, std::move(prepared));
    budget.give(walked.item.bytes.size());
    if (!written) {
      pipeline.cancel();
      break;
    }
    if (writer.met_duplicate()) probe.store(true, std::memory_order_relaxed);
  }
  return writer.finish();
}

Status ingest_paths(const std::vector<std::string>& paths, Ingestor& ingestor,
                    store::Transactions& store, const IngestRunOptions& options,
                    const IngestRunSink& sink) {
  return ingest_all(
      [&](const intake::ItemSink& item, const intake::ProblemSink& problem) {
        intake::walk_inputs(paths, item, problem, options.read);
      },
      ingestor, store, options, sink);
}

}  // namespace kz::triage
