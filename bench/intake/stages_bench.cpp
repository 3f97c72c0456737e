// Where intake spends its time: each stage of `kizuna ingest` timed alone over one corpus, on
// one thread, so a change can be judged by the stage it targets (docs/perf.md).
//
//   intake_stages CORPUS_DIR_OR_FILE... [--db PATH] [--batch N] [--only-ingest] [--compare
//   [--min-lean PCT]]
//
// Stages, in the order ingest runs them: reading and splitting mbox files, SHA-256 of each
// message, MIME parsing (OpenPGP off), triage (assess), and the whole Ingestor into a fresh
// SQLite store (which repeats hashing, parsing and triage: "store" is that total minus them).
//
// --compare instead reads every e-mail with both MIME readers (lean and gmime), prints how many
// the lean reader took and every message where the two disagree, and exits 1 on a disagreement;
// with KIZUNA_SHOW_GMIME_ONLY set it also names every message the lean reader left to gmime.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "core/process.h"
#include "core/sha256.h"
#include "core/time.h"
#include "intake/mailbox.h"
#include "intake/mime.h"
#include "intake/mime_parts.h"
#include "store/database.h"
#include "triage/assess.h"
#include "triage/ingest.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

void row(const char* stage, double s, size_t n) {
  std::printf("%-10s %8.3f s %9.1f us/msg %10.0f msg/s\n", stage, s, n ? s * 1e6 / n : 0.0,
              s > 0 ? n / s : 0.0);
}

// Both readers over every e-mail: the lean reader must agree with gmime wherever it reads.
int compare_readers(const std::vector<kz::intake::InputItem>& items, double min_lean) {
  kz::intake::MimeOptions gmime_only;
  gmime_only.openpgp = false;
  gmime_only.lean = false;
  kz::intake::MimeOptions lean = gmime_only;
  lean.lean = true;
  size_t emails = 0, taken = 0, disagree = 0;
  for (const auto& it : items) {
    if (it.kind != kz::intake::ItemKind::kEmail) continue;
    ++emails;
    kz::intake::ParsedMessage probe;
    if (kz::intake::detail::parse_lean(it.bytes, lean, probe)) {
      ++taken;
    } else if (std::getenv("KIZUNA_SHOW_GMIME_ONLY")) {
      std::printf("gmime only: %s\n", it.source.c_str());
    }
    auto a = kz::intake::parse_email(it.bytes, gmime_only);
    auto b = kz::intake::parse_email(it.bytes, lean);
    std::string d;
    if (a.has_value() != b.has_value()) {
      d = "one reader refused the message";
    } else if (a) {
      d = kz::intake::first_difference(*a, *b);
    }
    if (!d.empty()) {
      ++disagree;
      if (disagree <= 20)
        std::printf("DIFFERS %s: %s\n", it.source.c_str(), d.substr(0, 300).c_str());
    }
  }
  std::printf("%zu e-mails, %zu read by the lean reader (%.1f%%), %zu disagreements\n", emails,
              taken, emails ? 100.0 * taken / emails : 0.0, disagree);
  if (emails && 100.0 * taken / emails < min_lean) {
    std::printf("the lean reader took less than %.1f%% of the e-mails\n", min_lean);
    return 1;
  }
  return disagree ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  kz::tune_allocator_for_bulk_work(argv);  // as kizuna's own main does
  std::vector<std::string> paths;
  std::string db = "intake_stages.db";
  bool only_ingest = false;
  bool compare = false;
  double min_lean = 0;  // --compare fails when the lean reader takes a smaller share (percent)
  int batch = 10000;    // kizuna's default [intake] batch_size
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--db" && i + 1 < argc) {
      db = argv[++i];
    } else if (a == "--batch" && i + 1 < argc) {
      batch = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--compare") {
      compare = true;
    } else if (a == "--min-lean" && i + 1 < argc) {
      min_lean = std::atof(argv[++i]);
    } else if (a == "--only-ingest") {
      only_ingest = true;
    } else {
      paths.push_back(a);
    }
  }
  if (paths.empty()) {
    std::fprintf(stderr, "usage: intake_stages CORPUS... [--db PATH]\n");
    return 2;
  }
  std::vector<kz::intake::InputItem> items;
  auto t0 = Clock::now();
  kz::intake::walk_inputs(
      paths,
      [&](kz::intake::InputItem&& item) {
        items.push_back(std::move(item));
        return true;
      },
      [](const std::string& source, const std::string& problem, kz::intake::ProblemKind) {
        std::fprintf(stderr, "%s: %s\n", source.c_str(), problem.c_str());
      });
  const double t_read = seconds_since(t0);
  size_t bytes = 0;
  for (const auto& it : items) bytes += it.bytes.size();
  std::printf("%zu messages, %.1f MB\n", items.size(), bytes / 1e6);
  row("read+split", t_read, items.size());

  if (compare) return compare_readers(items, min_lean);
  size_t sink = 0;
  kz::intake::MimeOptions mime;
  mime.openpgp = false;
  kz::triage::TriageConfig triage;
  if (!only_ingest) {
    t0 = Clock::now();
    for (const auto& it : items) sink += kz::sha256_hex(it.bytes)[0];
    row("sha256", seconds_since(t0), items.size());

    std::vector<kz::intake::ParsedMessage> parsed;
    parsed.reserve(items.size());
    t0 = Clock::now();
    for (const auto& it : items) {
      if (it.kind != kz::intake::ItemKind::kEmail) continue;
      auto m = kz::intake::parse_email(it.bytes, mime);
      if (m) parsed.push_back(std::move(*m));
    }
    row("parse", seconds_since(t0), items.size());

    t0 = Clock::now();
    for (const auto& m : parsed) sink += kz::triage::assess(m, triage).indicators.size();
    row("assess", seconds_since(t0), parsed.size());
  }

  std::filesystem::remove(db);
  std::filesystem::remove(db + "-wal");
  std::filesystem::remove(db + "-shm");
  auto store = kz::store::open_sqlite_store(db);
  if (!store) {
    std::fprintf(stderr, "%s\n", store.error().message.c_str());
    return 1;
  }
  kz::SystemClock clock;
  kz::triage::Ingestor ingestor(kz::triage::IngestStores::of(**store), triage, mime, clock);
  t0 = Clock::now();
  int in_batch = 0;
  for (const auto& it : items) {
    if (in_batch == 0) (void)(*store)->begin();
    auto r = ingestor.ingest(it);
    if (!r) {
      std::fprintf(stderr, "ingest: %s\n", r.error().message.c_str());
      return 1;
    }
    if (++in_batch >= batch) {
      (void)(*store)->commit();
      in_batch = 0;
    }
  }
  if (in_batch) (void)(*store)->commit();
  row("ingest", seconds_since(t0), items.size());
  store->reset();
  return sink == 42 ? 3 : 0;
}
