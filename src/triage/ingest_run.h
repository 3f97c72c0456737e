// Ingesting everything under some paths: the walk (intake/mailbox.h), parsing and triage
// (Ingestor::prepare) and the store's part (Ingestor::ingest), in transactions of a batch of
// messages each.
//
// With prepare_threads > 0 the walk runs on a thread of its own and parsing on prepare_threads
// more, ahead of the store writer (the calling thread), in input order (OrderedPipeline). With
// 0 everything runs on the calling thread, one item after the other. The default (-1) is one
// parsing thread per CPU beyond the writer's, at most 3, and none on a single CPU: there the
// threads only take turns (measured on 20,000 mails on one core: 3 to 12% more CPU time, and
// no gain from the writer's disk waits, since parsing is always ahead and its queue full).
// Instead, the one thread parses ahead while the store flushes earlier batches to disk.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "intake/mailbox.h"
#include "store/database.h"
#include "triage/crash_marks.h"
#include "triage/ingest.h"

namespace kz::triage {

struct IngestRunOptions {
  int batch_size = 10000;  // messages per transaction
  // How files are read: bytes kept of one message, how much of it in memory, where the rest
  // waits to be stored (intake::ReadOptions).
  intake::ReadOptions read;
  // Bytes of the items between the walk and the writer (with parsing threads): the walk waits
  // beyond this, so that many large messages in a row cannot fill memory `queue` times over.
  // At least one item always passes, however large.
  size_t queue_bytes = size_t{128} << 20;
  int prepare_threads = -1;  // -1: by the CPUs available (see above)
  size_t queue = 256;        // items in flight between the walk and the writer
  // With no parsing threads: how much input (bytes of the items) may be parsed ahead while the
  // store flushes earlier batches (store::Transactions::begin_would_wait) before the writer waits
  // too.
  size_t flush_ahead_bytes = size_t{16} << 20;
  // Asked from the parsing threads once the writer has met a stored duplicate (re-ingesting a
  // mailbox): true skips parsing an item already stored. It needs a store connection of its own
  // (the writer's is not shared across threads) and must be thread-safe. Unset: duplicates are
  // parsed ahead like any item, then recognised by the writer.
  std::function<bool(const std::string& sha256)> already_stored;
  // Crash marks (crash_marks.h): every message is marked while it is read and filed; one that
  // stopped an earlier run is quarantined unread, a suspect is read and filed alone after the
  // batch before it is committed. Unset: no marks.
  CrashMarks* marks = nullptr;
  // A handler's retry after a fix: a message an earlier run stopped on is read all the same
  // (alone and marked) instead of being quarantined unread.
  bool retry = false;
};

// Called on the calling thread, in input order.
struct IngestRunSink {
  std::function<void(const intake::InputItem& item, const IngestOutcome& outcome)> outcome;
  // A path the walk did not read: unreadable (the user's to fix) or skipped (a link out of the
  // tree, a special file; see intake::walk_inputs).
  std::function<void(const std::string& source, const std::string& problem,
                     intake::ProblemKind kind)>
      not_read;
};

// Where items come from: calls the item sink for each (until it returns false) and the problem
// sink for what cannot be read. walk_inputs over some paths, or one message from a pipe.
using ItemSource =
    std::function<void(const intake::ItemSink& item, const intake::ProblemSink& problem)>;

// Ingests every item of `source` in its order. A store failure rolls back the open batch, stops
// the source and is returned (earlier batches stay committed).
Status ingest_all(const ItemSource& source, Ingestor& ingestor, store::Transactions& store,
                  const IngestRunOptions& options, const IngestRunSink& sink);

// ingest_all over walk_inputs(paths).
Status ingest_paths(const std::vector<std::string>& paths, Ingestor& ingestor,
                    store::Transactions& store, const IngestRunOptions& options,
                    const IngestRunSink& sink);

}  // namespace kz::triage
