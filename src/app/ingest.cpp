#include "app/ingest.h"

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <mutex>

#include "app/coordination.h"
#include "app/enrichment.h"
#include "coord/coordinator.h"
#include "core/json_out.h"
#include "core/text.h"
#include "enrich/network_data.h"
#include "intake/mailbox.h"
#include "intake/mime.h"
#include "intake/structured.h"
#include "triage/crash_marks.h"
#include "triage/ingest.h"
#include "triage/ingest_run.h"

namespace kz::app {

namespace {

void count(IngestSummary& sum, const intake::InputItem& item, const triage::IngestOutcome& r) {
  using S = triage::IngestOutcome::Status;
  switch (r.status) {
    case S::kNew:
      ++sum.fresh;
      break;
    case S::kDuplicate:
      ++sum.duplicate;
      break;
    case S::kQuarantined:
      ++sum.quarantined;
      break;
  }
  if (r.status == S::kQuarantined || (!r.problem.empty() && r.status == S::kNew)) {
    if (r.status == S::kNew) ++sum.partial;
    sum.problems.push_back({item.source, r.message,
                            r.status == S::kQuarantined ? "quarantined" : "partial", r.problem});
  }
  if (r.status == S::kNew) {
    if (r.report && !r.merged) ++sum.reports;
    if (r.merged) ++sum.merged;
    if (r.purpose != Purpose::kIncident) ++sum.non_incident;
  }
}

// The configured options, with replies to the centre's own mails (notices, acknowledgements)
// filed by coordination under their report.
triage::IngestOptions ingest_options(const Config& cfg, coord::Coordinator& coordinator) {
  triage::IngestOptions options = cfg.ingest;
  options.reply_hook =
      [&](store::Id message,
          const intake::ParsedMessage& m) -> Result<std::optional<triage::ReplyFiling>> {
    auto r = coordinator.take_reply(message, m);
    if (!r) return fail(r.error());
    if (!*r) return std::optional<triage::ReplyFiling>{};
    return std::optional<triage::ReplyFiling>{triage::ReplyFiling{(*r)->report, (*r)->notice == 0}};
  };
  return options;
}

// The crash marks' verdicts (triage/crash_marks.h) in the centre's database, one setting, so
// that every run, worker and machine on the database sets a poison message aside. They are few
// (messages that killed a run), so one value read and written whole is enough.
class DatabaseVerdicts final : public triage::VerdictLedger {
 public:
  explicit DatabaseVerdicts(store::Database& store) : store_(store) {}

  Result<std::string> read() override {
    auto held = store_.settings().setting(kKey);
    if (!held) return fail(held.error());
    return held->value_or("");
  }

  Status update(const std::function<void(std::string&)>& change) override {
    return store::in_transaction(store_, [&]() -> Status {
      auto before = read();
      if (!before) return fail(before.error());
      std::string text = *before;
      change(text);
      if (text == *before) return {};
      return store_.settings().set_setting(
          kKey, text.empty() ? std::nullopt : std::optional<std::string>(text));
    });
  }

 private:
  static constexpr const char* kKey = "intake.crash_verdicts";
  store::Database& store_;
};

// How inputs are read: the limits of [intake], and a memory share per message as large as the
// largest message a parser takes (anything larger is only stored).
intake::ReadOptions read_options(const Config& cfg, const std::string& spill_dir) {
  intake::ReadOptions read;
  read.max_raw_bytes = cfg.mime.limits.max_raw_bytes;
  read.max_memory_bytes =
      std::max(cfg.mime.limits.max_message_bytes, cfg.mime.limits.max_json_bytes);
  read.spill_dir = spill_dir;
  return read;
}

}  // namespace

Result<IngestSummary> ingest(store::Database& store, const Config& cfg, const Clock& clock,
                             const IngestInput& input, const IngestHooks& hooks) {
  // Replies to the centre's own mails (notices, acknowledgements) join their report's timeline.
  auto coordinator = make_coordinator(store, cfg, clock);
  triage::IngestOptions options = ingest_options(cfg, *coordinator);
  // Every new incident learns who can act on it as it is stored, where the loaded data can tell.
  std::shared_ptr<const enrich::NetworkData> network_data;
  if (!input.paths.empty() && input.enrich) {
    auto loaded = enrich::NetworkData::load(store.network_data(), store.settings());
    if (!loaded) return fail(loaded.error());
    network_data = std::move(*loaded);
    options.enrich = enrich_at_ingest(cfg, network_data);
  }
  triage::Ingestor ingestor(triage::IngestStores::of(store), cfg.triage, cfg.mime, clock, options);

  DatabaseVerdicts verdicts(store);  // outlives `marks`
  std::unique_ptr<triage::CrashMarks> marks;
  if (!input.marks_dir.empty()) {
    auto m = triage::CrashMarks::open(input.marks_dir, verdicts);
    if (!m) return fail(m.error());
    marks = std::move(*m);
  }

  IngestSummary sum;
  triage::IngestRunSink sink;
  sink.outcome = [&](const intake::InputItem& item, const triage::IngestOutcome& r) {
    count(sum, item, r);
    if (hooks.progress) hooks.progress(item.size(), sum.fresh + sum.duplicate + sum.quarantined);
  };
  sink.not_read = [&](const std::string& source, const std::string& problem,
                      intake::ProblemKind kind) {
    const bool skipped = kind == intake::ProblemKind::kSkipped;
    if (!skipped) ++sum.unreadable;
    sum.problems.push_back({source, 0, skipped ? "skipped" : "unreadable", problem});
  };
  triage::IngestRunOptions run = cfg.intake;
  run.marks = marks.get();
  run.read = read_options(cfg, input.spill_dir);
  // Re-ingesting a mailbox: the parsing threads skip what is stored, asking a connection of
  // their own (opened on first use; SQLite connections are not shared between threads).
  std::mutex reader_mu;
  std::unique_ptr<store::Database> reader;
  if (hooks.open_reader) {
    run.already_stored = [&](const std::string& sha) {
      std::lock_guard lock(reader_mu);
      if (!reader) {
        auto r = hooks.open_reader();
        if (!r) return false;  // the writer finds the duplicate anyway
        reader = std::move(*r);
      }
      auto found = reader->messages().find_message(sha);
      return found && found->has_value();
    };
  }
  Status done;
  if (input.message) {
    // Read as a stream like a file: hashed while read, at most max_raw_bytes kept, what is
    // beyond the memory share spilled to disk (`ingest --stdin < /dev/zero` ends at the limit).
    intake::ItemBuilder builder(run.read);
    std::vector<char> chunk(size_t{1} << 20);
    while (*input.message) {
      input.message->read(chunk.data(),
                          static_cast<std::streamsize>(builder.full() ? 1 : chunk.size()));
      const auto got = static_cast<size_t>(input.message->gcount());
      if (auto s = builder.append(std::string_view(chunk.data(), got)); !s) return fail(s.error());
      if (builder.full() && got <= 1) break;
    }
    intake::InputItem one_item =
        builder.finish(input.message_source, intake::ItemKind::kEmail, std::nullopt);
    one_item.kind = intake::kind_of(one_item.bytes);

    triage::IngestRunOptions one = run;
    one.prepare_threads = 0;  // one message: nothing to overlap
    done = triage::ingest_all([&](const intake::ItemSink& item,
                                  const intake::ProblemSink&) { item(std::move(one_item)); },
                              ingestor, store, one, sink);
  }
  if (done && !input.paths.empty())
    done = triage::ingest_paths(input.paths, ingestor, store, run, sink);
  reader.reset();
  if (!done) return fail(done.error());
  if (marks) {
    if (auto s = marks->finish(); !s) return fail(s.error());
  }
  if (network_data) {
    auto enriched = enrich_store(cfg, clock, store, false, network_data);
    if (!enriched) return fail(enriched.error());
  }
  // Workers waiting on PostgreSQL start their round now rather than at their next interval.
  if (sum.fresh > 0) (void)store.announce_work();
  return sum;
}

Result<std::vector<RetryOutcome>> retry_quarantined(store::Database& store, const Config& cfg,
                                                    const Clock& clock,
                                                    const std::vector<store::Id>& ids,
                                                    const std::string& marks_dir) {
  for (store::Id id : ids) {
    if (auto q = store.messages().quarantined_message(id); !q) return fail(q.error());
  }
  auto coordinator = make_coordinator(store, cfg, clock);
  triage::IngestOptions options = ingest_options(cfg, *coordinator);
  triage::Ingestor ingestor(triage::IngestStores::of(store), cfg.triage, cfg.mime, clock, options);
  DatabaseVerdicts verdicts(store);  // outlives `marks`
  std::unique_ptr<triage::CrashMarks> marks;
  if (!marks_dir.empty()) {
    auto m = triage::CrashMarks::open(marks_dir, verdicts);
    if (!m) return fail(m.error());
    marks = std::move(*m);
  }
  triage::IngestRunOptions run = cfg.intake;
  run.prepare_threads = 0;
  run.marks = marks.get();
  run.retry = true;
  std::vector<RetryOutcome> out;
  for (store::Id id : ids) {
    auto q = store.messages().quarantined_message(id);
    if (!q) return fail(q.error());
    auto raw = store.messages().message_raw(id);
    if (!raw) return fail(raw.error());
    RetryOutcome o;
    o.was = id;
    if (auto s = store.begin(); !s) return fail(s.error());
    Status done = store.messages().remove_quarantined(id);
    triage::IngestRunSink sink;
    sink.outcome = [&](const intake::InputItem&, const triage::IngestOutcome& r) {
      using S = triage::IngestOutcome::Status;
      o.now = r.message;
      o.status = r.status == S::kNew         ? "new"
                 : r.status == S::kDuplicate ? "duplicate"
                                             : "quarantined";
      o.problem = r.problem;
    };
    if (done) {
      const auto kind = q->channel == "email" ? intake::ItemKind::kEmail : intake::ItemKind::kJson;
      done = triage::ingest_all(
          [&](const intake::ItemSink& item, const intake::ProblemSink&) {
            item(intake::InputItem{q->source, std::move(*raw), kind, q->received_at});
          },
          ingestor, store, run, sink);
    }
    if (done) {
      done = store.events().append_event({clock.now(), "system:intake", "message.retried",
                                          "message:" + std::to_string(id),
                                          JsonOut()
                                              .field("message", o.now)
                                              .field("status", o.status)
                                              .field("problem", o.problem)
                                              .done()});
    }
    if (!done) {
      store.rollback();
      return fail(done.error());
    }
    if (auto s = store.commit(); !s) return fail(s.error());
    out.push_back(std::move(o));
  }
  if (marks) {
    if (auto s = marks->finish(); !s) return fail(s.error());
  }
  return out;
}

Result<DryRun> triage_file(const std::string& path, const Config& cfg) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return fail(Error::InvalidArgument(
        "triage reads one file (an e-mail or a JSON report), and this is a folder: name one of "
        "its files, or store them all with kizuna ingest",
        path));
  }
  auto raw = intake::read_file(path, cfg.mime.limits.max_message_bytes);
  if (!raw) return fail(raw.error());
  auto m = intake::kind_of(*raw) == intake::ItemKind::kJson ? intake::parse_json_message(*raw)
                                                            : intake::parse_email(*raw, cfg.mime);
  if (!m) return fail(Error{ErrorCode::kInvalidArgument, m.error().message, path});
  auto a = triage::assess(*m, cfg.triage);
  return DryRun{std::move(*m), std::move(a)};
}

}  // namespace kz::app
