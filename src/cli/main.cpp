// kizuna: the command line. A thin shell over the modules: it parses options, loads the
// configuration, opens the store and prints results; it holds no domain logic.
// Exit codes: 0 done (even with quarantined input), 1 user error, 75 store unavailable.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <limits>
#include <mutex>

#include "app/config.h"
#include "app/coordination.h"
#include "app/directory.h"
#include "app/handling.h"
#include "app/ingest.h"
#include "app/shapes.h"
#include "cli/context.h"
#include "cli/messages.h"
#include "coord/coordinator.h"
#include "core/json_out.h"
#include "core/process.h"
#include "core/text.h"
#include "enrich/enricher.h"
#include "enrich/loader.h"
#include "enrich/network_data.h"
#include "intake/mailbox.h"
#include "intake/structured.h"
#include "store/database.h"
#include "triage/ingest.h"
#include "triage/ingest_run.h"
#include "triage/reporters.h"

namespace kz::cli {

namespace {

using nlohmann::json;

// --- ingest / submit ---------------------------------------------------------------------

class Progress {
 public:
  explicit Progress(uint64_t total_bytes) : total_(total_bytes), tty_(isatty(STDERR_FILENO) != 0) {}
  void advance(uint64_t bytes, int64_t messages) {
    done_ += bytes;
    if (!tty_ || total_ == 0 || ++calls_ % 64 != 0) return;
    draw(messages);
  }
  void finish(int64_t messages) {
    if (!tty_) return;
    done_ = total_;
    draw(messages);
    std::fputs("\n", stderr);
  }

 private:
  void draw(int64_t messages) const {
    const int width = 30;
    const double f = std::min(1.0, static_cast<double>(done_) / static_cast<double>(total_));
    const int filled = static_cast<int>(f * width);
    std::fprintf(stderr, "\r[%s%s] %3d%%  %lld messages", std::string(filled, '#').c_str(),
                 std::string(width - filled, '.').c_str(), static_cast<int>(f * 100),
                 static_cast<long long>(messages));
  }
  uint64_t total_;
  uint64_t done_ = 0;
  uint64_t calls_ = 0;
  bool tty_;
};

uint64_t total_size(const std::vector<std::string>& paths) {
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& p : paths) {
    if (std::filesystem::is_directory(p, ec)) {
      for (auto it = std::filesystem::recursive_directory_iterator(p, ec);
           !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec)) total += it->file_size(ec);
      }
    } else if (std::filesystem::is_regular_file(p, ec)) {
      total += std::filesystem::file_size(p, ec);
    }
  }
  return total;
}

void print_ingest(const Context& ctx, const app::IngestSummary& t) {
  if (ctx.json) {
    std::cout << app::ingest_json(t).dump(2) << "\n";
    return;
  }
  const auto& L = ctx.lang;
  std::cout << tr(L, "ingest.summary") << "\n"
            << "  " << tr(L, "ingest.new") << ": " << t.fresh << "\n"
            << "  " << tr(L, "ingest.duplicate") << ": " << t.duplicate << "\n"
            << "  " << tr(L, "ingest.quarantined") << ": " << t.quarantined << "\n"
            << "  " << tr(L, "ingest.partial") << ": " << t.partial << "\n"
            << "  " << tr(L, "ingest.reports") << ": " << t.reports << "\n"
            << "  " << tr(L, "ingest.merged") << ": " << t.merged << "\n"
            << "  " << tr(L, "ingest.non_incident") << ": " << t.non_incident << "\n";
  for (const auto& p : t.problems) std::cout << "  ! " << p.source << ": " << p.reason << "\n";
}

// Crash marks (triage/crash_marks.h) live on this machine: beside an SQLite database, in
// [store] work_dir with PostgreSQL.
std::string marks_dir(const Context& ctx) { return ctx.cfg.crash_marks_dir(); }

int run_ingest(const Common& common, const std::vector<std::string>& paths, bool from_stdin) {
  int code = kExitOk;
  auto ctx = make_context(common, code);
  if (!ctx) return code;
  if (paths.empty() && !from_stdin)
    return report_error(Error::InvalidArgument("name files or folders to ingest, or --stdin"));
  auto store = open_store(*ctx, true);
  if (!store) return report_error(store.error());
  Progress progress(total_size(paths));
  app::IngestInput input;
  input.paths = paths;
  if (from_stdin) input.message = &std::cin;
  input.marks_dir = marks_dir(*ctx);
  // A very large message waits on the disk it is stored to, not in a tmpfs /tmp (memory).
  input.spill_dir = ctx->cfg.spill_dir();
  app::IngestHooks hooks;
  hooks.progress = [&](uint64_t bytes, int64_t items) { progress.advance(bytes, items); };
  hooks.open_reader = [&] { return open_store(*ctx); };
  auto summary = app::ingest(**store, ctx->cfg, *ctx->clock, input, hooks);
  if (!summary) {
    if (summary.error().code == ErrorCode::kUnavailable) {
      std::cerr << "kizuna: " << tr(ctx->lang, "error.unavailable") << "\n";
    }
    return report_error(summary.error());
  }
  progress.finish(summary->fresh + summary->duplicate + summary->quarantined);
  print_ingest(*ctx, *summary);
  if (summary->unreadable > 0) {
    std::cerr << "kizuna: " << summary->unreadable
              << " input(s) could not be read; see \"problems\"\n";
    return kExitUser;
  }
  return kExitOk;
}

// --- quarantine --------------------------------------------------------------------------

int run_quarantine_list(const Common& common, int limit) {
  int code = kExitOk;
  auto ctx = make_context(common, code);
  if (!ctx) return code;
  auto store = open_store(*ctx);
  if (!store) return report_error(store.error());
  auto list = (*store)->messages().quarantined_messages(limit);
  if (!list) return report_error(list.error());
  if (ctx->json) {
    json out = json::array();
    for (const auto& q : *list) out.push_back(app::quarantined_json(q));
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  if (list->empty()) std::cout << tr(ctx->lang, "quarantine.none") << "\n";
  for (const auto& q : *list) {
    std::cout << "[" << q.id << "] " << ctx->zone.format_local(q.ingested_at).substr(0, 16) << "  "
              << q.size << " B  " << shown(q.source) << "\n        "
              << shown(utf8_prefix(q.reason, 200)) << "\n";
  }
  return kExitOk;
}

int run_quarantine_show(const Common& common, int64_t id) {
  int code = kExitOk;
  auto ctx = make_context(common, code);
  if (!ctx) return code;
  auto store = open_store(*ctx);
  if (!store) return report_error(store.error());
  auto q = (*store)->messages().quarantined_message(id);
  if (!q) return report_error(q.error());
  auto raw = (*store)->messages().message_raw(id);
  if (!raw) return report_error(raw.error());
  const std::string_view head = utf8_prefix(*raw, 2048);
  if (ctx->json) {
    json j = app::quarantined_json(*q);
    j["first_bytes"] = sanitize_utf8(head);
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  const auto& L = ctx->lang;
  std::cout << "[" << q->id << "] " << shown(q->source) << "\n"
            << "  " << tr(L, "quarantine.reason") << ": " << shown(q->reason) << "\n"
            << "  " << tr(L, "quarantine.received") << ": "
            << ctx->zone.format_local(q->received_at) << "\n"
            << "  " << q->size << " B  sha256 " << q->sha256 << "\n\n"
            << terminal_safe(sanitize_utf8(head), true)
            << (raw->size() > head.size() ? "\n..." : "") << "\n\n"
            << tr(L, "quarantine.hint") << " kizuna quarantine retry " << q->id << "\n";
  return kExitOk;
}

int run_quarantine_retry(const Common& common, std::vector<int64_t> ids, bool all) {
  int code = kExitOk;
  auto ctx = make_context(common, code);
  if (!ctx) return code;
  if (ids.empty() && !all)
    return report_error(Error::InvalidArgument("name the quarantined messages to retry, or --all"));
  auto store = open_store(*ctx);
  if (!store) return report_error(store.error());
  if (all) {
    auto list = (*store)->messages().quarantined_messages(std::numeric_limits<int>::max());
    if (!list) return report_error(list.error());
    for (const auto& q : *list) ids.push_back(q.id);
    std::reverse(ids.begin(), ids.end());  // oldest first, as they arrived
  }
  auto done = app::retry_quarantined(**store, ctx->cfg, *ctx->clock, ids, marks_dir(*ctx));
  if (!done) return report_error(done.error());
  if (ctx->json) {
    json out = json::array();
    for (const auto& o : *done) {
      out.push_back(app::retried_json(o));
    }
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  if (done->empty()) std::cout << tr(ctx->lang, "quarantine.none") << "\n";
  for (const auto& o : *done) {
    std::cout << "[" << o.was << "] -> [" << o.now << "] " << o.status
              << (o.problem.empty() ? "" : ": " + shown(utf8_prefix(o.problem, 200))) << "\n";
  }
  return kExitOk;
}

// --- stats -------------------------------------------------------------------------------

Result<std::pair<Time, Time>> period(const Context& ctx, const std::string& from,
                                     const std::string& to) {
  return app::period_of_days(ctx.zone, from, to, "--from", "--to");
}

// Columns on a terminal: CJK characters take two.
size_t display_width(std::string_view s) {
  size_t w = 0;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    uint32_t cp = c;
    size_t len = 1;
    if (c >= 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else if (c >= 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xC0) {
      len = 2;
      cp = c & 0x1F;
    }
    for (size_t k = 1; k < len && i + k < s.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    const bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                      (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                      (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                      (cp >= 0xFFE0 && cp <= 0xFFE6);
    w += wide ? 2 : 1;
    i += len;
  }
  return w;
}

void print_figures(const report::Figures& f, const std::string& from, const std::string& to,
                   const Context& ctx) {
  const auto& L = ctx.lang;
  auto line = [](std::string_view label, int64_t n) {
    const size_t width = display_width(label);
    std::printf("  %s%s %8lld\n", std::string(label).c_str(),
                std::string(width < 40 ? 40 - width : 0, ' ').c_str(), static_cast<long long>(n));
  };
  std::cout << tr(L, "figures.title") << " — " << ctx.cfg.centre_name << "\n"
            << tr(L, "figures.period") << ": " << from << " .. " << to << " (" << ctx.zone.name()
            << ")\n\n";
  line(tr(L, "figures.messages"), f.messages);
  line(tr(L, "figures.reports"), f.reports);
  line(tr(L, "figures.incidents"), f.incidents);
  std::cout << "\n" << tr(L, "figures.by_type") << "\n";
  for (const char* t : {"scan", "forged", "intrusion", "phishing", "other"}) {
    line(tr(L, std::string("type.") + t), f.by_type.count(t) ? f.by_type.at(t) : 0);
  }
  std::cout << "\n" << tr(L, "figures.reporter_tld") << "\n";
  size_t shown = 0;
  for (const auto& [tld, n] : f.reporter_tld) {
    if (++shown > 10) break;
    line("." + tld, n);
  }
  std::cout << "\n" << tr(L, "figures.scan_ports") << "\n";
  for (const auto& p : f.scan_ports) line(std::to_string(p.port) + "/" + p.proto, p.incidents);
  line(tr(L, "figures.comprehensive"), f.comprehensive_scans);
  std::cout << "\n" << tr(L, "figures.phishing") << "\n";
  for (const char* o : {"domestic", "foreign", "unknown"})
    line(tr(L, std::string("figures.") + o), f.phishing_brand.at(o));
  if (!f.tags.empty()) {
    std::cout << "\n" << tr(L, "figures.tags") << "\n";
    for (const auto& [tag, n] : f.tags) line(tag, n);
  }
  std::cout << "\n";
  line(tr(L, "figures.non_incident"), f.non_incident);
  line(tr(L, "figures.notifications"), f.notifications);
  line(tr(L, "figures.reporter_mails"), f.reporter_mails);
}

int run_stats(const Common& common, const std::string& from, const std::string& to) {
  int code = kExitOk;
  auto ctx = make_context(common, code);
  if (!ctx) return code;
  auto range = period(*ctx, from, to);
  if (!range) return report_error(range.error());
  auto store = open_store(*ctx);
  if (!store) return report_error(store.error());
  auto f = app::figures(**store, ctx->cfg, range->first, range->second);
  if (!f) return report_error(f.error());
  if (ctx->json) {
    std::cout << app::figures_json(*f, from, to, ctx->zone.name()).dump(2) << "\n";
  } else {
    print_figures(*f, from, to, *ctx);
  }
  return kExitOk;
}

// --- reports / incidents -----------------------------------------------------------------

std::string type_label(const Classification& c) {
  return std::string(to_string(c.type)) + (c.subtype.empty() ? "" : "/" + c.subtype);
}

Result<std::optional<Time>> optional_date(const Context& ctx, const std::string& s,
                                          bool end_of_day) {
  if (s.empty()) return std::optional<Time>{};
  auto range = period(ctx, s, s);
  if (!range) return fail(range.error());
  return std::optional<Time>(end_of_day ? range->second : range->first);
}

// The shared shape of the list commands: a period filter, one store query, JSON or lines, and
// when the limit cut the list, how many more there are and how to see them (--after).
template <typename Filter, typename Query, typename Count, typename IdOf, typename ToJson,
          typename Print>
int run_list(const Common& common, Filter filter, const std::string& from, const std::string& to,
             Query query, Count count, IdOf id_of, ToJson to_json, Print print) {
  int code = kExitOk;
  auto ctx = make_context(common, code);
  if (!ctx) return code;
  auto f = optional_date(*ctx, from, false);
  auto t = optional_date(*ctx, to, true);
  if (!f) return report_error(f.error());
  if (!t) return report_error(t.error());
  filter.from = *f;
  filter.to = *t;
  auto store = open_store(*ctx);
  if (!store) return report_error(store.error());
  auto list = query(**store, filter);
  if (!list) return report_error(list.error());
  auto total = count(**store, filter);
  if (!total) return report_error(total.error());
  const int64_t more = *total - static_cast<int64_t>(list->size());
  if (ctx->json) {
    json out = json::array();
    for (const auto& x : *list) out.push_back(to_json(x, *ctx));
    std::cout << out.dump(2) << "\n";
  } else {
    print(*ctx, *list);
  }
  if (more > 0 && !list->empty()) {
    // On standard error with --json, so that the JSON array stays the documented one.
    (ctx->json ? std::cerr : std::cout)
        << (ctx->json ? "kizuna: " : "")
        << (ctx->lang == "ja" ? "… 他に " + std::to_string(more) + " 件あります (次の " +
                                    std::to_string(filter.limit) + " 件: --after " +
                                    std::to_string(id_of(list->back())) + ")"
                              : "... " + std::to_string(more) + " more (the next " +
                                    std::to_string(filter.limit) + ": --after " +
                                    std::to_string(id_of(list->back())) + ")")
        << "\n";
  }
  return kExitOk;
}

int run_reports_list(const Common& common, const store::ReportFilter& filter,
                     const std::string& from, const std::string& to) {
  return run_list(
      common, filter, from, to,
      [](store::Database& s, const store::ReportFilter& f) { return s.queries().list_reports(f); },
      [](store::Database& s, const store::ReportFilter& f) { return s.queries().count_reports(f); },
      [](const store::ReportSummary& r) { return r.report.id; },
      [](const store::ReportSummary& r, const Context& ctx) {
        return app::report_json(r, ctx.zone);
      },
      [](const Context& ctx, const std::vector<store::ReportSummary>& list) {
        if (list.empty()) std::cout << tr(ctx.lang, "reports.none") << "\n";
        for (const auto& r : list) {
          std::printf("#%-6lld %s  %-6s %-24s %3lld msg %3lld inc  %s  %s\n",
                      static_cast<long long>(r.report.id),
                      ctx.zone.format_local(r.report.created_at).substr(0, 16).c_str(),
                      std::string(to_string(r.report.status)).c_str(),
                      type_label(r.report.cls).c_str(), static_cast<long long>(r.messages),
                      static_cast<long long>(r.incidents), shown(r.reporter_address).c_str(),
                      shown(utf8_prefix(r.report.summary, 60)).c_str());
        }
      });
}

int run_reports_show(const Common& common, int64_t id) {
  int code = kExitOk;
  auto ctx = make_context(common, code);
  if (!ctx) return code;
  auto store = open_store(*ctx);
  if (!store) return report_error(store.error());
  auto d = (*store)->queries().report_detail(id);
  if (!d) return report_error(d.error());
  if (ctx->json) {
    std::cout << app::report_detail_json(*d, ctx->zone).dump(2) << "\n";
    return kExitOk;
  }
  const auto& r = d->summary.report;
  const auto& L = ctx->lang;
  std::cout << "#" << r.id << "  " << type_label(r.cls) << "  (" << r.cls.rsit_taxonomy << "/"
            << r.cls.rsit_type << ")  " << to_string(r.status) << "\n"
            << "  " << ctx->zone.format_local(r.created_at) << "  "
            << shown(d->summary.reporter_address) << "  ." << shown(r.tld) << "\n";
  if (!r.brand.empty() || !r.brand_origin.empty())
    std::cout << "  brand: " << shown(r.brand) << " (" << r.brand_origin << ")\n";
  if (r.linked_report)
    std::cout << "  " << tr(L, "report.linked") << ": #" << *r.linked_report << "\n";
  if (r.csam) std::cout << "  CSAM: hotline route; URLs are never fetched\n";
  std::cout << "\n" << tr(L, "report.messages") << "\n";
  for (const auto& m : d->messages) {
    std::cout << "  [" << m.id << "] " << ctx->zone.format_local(m.received_at) << "  " << m.role
              << "  " << shown(m.sender) << "  " << shown(m.subject)
              << (m.signature != "none" ? "  (PGP: " + m.signature + ")" : "") << "\n";
  }
  std::cout << "\n" << tr(L, "report.incidents") << "\n";
  for (const auto& i : d->incidents) {
    std::cout << "  [" << i.incident.id << "] "
              << shown(i.incident.ip.empty() ? i.incident.host : i.incident.ip);
    for (const auto& p : i.ports) std::cout << "  " << p.port << "/" << p.proto << "×" << p.hits;
    std::cout << "\n";
    for (const auto& u : i.urls) std::cout << "        " << shown(u) << "\n";
  }
  if (!d->tags.empty()) {
    std::cout << "\n" << tr(L, "report.tags") << ":";
    for (const auto& t : d->tags) std::cout << " " << t;
    std::cout << "\n";
  }
  std::cout << "\n" << tr(L, "report.events") << "\n";
  for (const auto& e : d->events) {
    std::cout << "  " << ctx->zone.format_local(e.at) << "  " << e.actor << "  " << e.action << "  "
              << e.subject << "  " << shown(e.detail) << "\n";
  }
  return kExitOk;
}

int run_incidents_list(const Common& common, const store::IncidentFilter& filter,
                       const std::string& from, const std::string& to) {
  return run_list(
      common, filter, from, to,
      [](store::Database& s, const store::IncidentFilter& f) {
        return s.queries().list_incidents(f);
      },
      [](store::Database& s, const store::IncidentFilter& f) {
        return s.queries().count_incidents(f);
      },
      [](const store::IncidentSummary& i) { return i.incident.id; },
      [](const store::IncidentSummary& i, const Context&) { return app::incident_json(i); },
      [](const Context& ctx, const std::vector<store::IncidentSummary>& list) {
        if (list.empty()) std::cout << tr(ctx.lang, "incidents.none") << "\n";
        for (const auto& i : list) {
          std::printf("[%lld] report #%lld  %-39s %-24s", static_cast<long long>(i.incident.id),
                      static_cast<long long>(i.incident.report),
                      shown(i.incident.ip.empty() ? i.incident.host : i.incident.ip).c_str(),
                      type_label(i.incident.cls).c_str());
          for (const auto& p : i.ports) std::printf(" %d/%s", p.port, p.proto.c_str());
          if (!i.urls.empty())
            std::printf("  %s%s", shown(i.urls.front()).c_str(), i.urls.size() > 1 ? " ..." : "");
          std::printf("\n");
        }
      });
}

// --- classify ----------------------------------------------------------------------------

int run_classify(const Common& common, const std::string& what, int64_t id, const std::string& spec,
                 const std::string& rsit, const std::string& actor, const std::string& reason) {
  int code = kExitOk;
  auto ctx = make_context(common, code);
  if (!ctx) return code;
  auto cls = app::parse_classification(spec, rsit, *ctx->cfg.triage.rules);
  if (!cls) return report_error(cls.error());
  auto store = open_store(*ctx);
  if (!store) return report_error(store.error());
  const std::string who = handler_name(actor);
  auto s = what == "report" ? triage::reclassify_report(triage::IngestStores::of(**store), id, *cls,
                                                        who, reason, ctx->clock->now())
                            : triage::reclassify_incident(triage::IngestStores::of(**store), id,
                                                          *cls, who, reason, ctx->clock->now());
  if (!s) return report_error(s.error());
  if (ctx->json) {
    std::cout << json{{what, id},
                      {"classification", app::classification_json(*cls)},
                      {"actor", who}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << tr(ctx->lang, "classify.done") << ": " << what << " #" << id << " -> "
              << type_label(*cls) << " (" << cls->rsit_taxonomy << "/" << cls->rsit_type << ")\n";
  }
  return kExitOk;
}

// --- triage (dry run) --------------------------------------------------------------------

int run_triage(const Common& common, const std::string& path) {
  int code = kExitOk;
  auto ctx = make_context(common, code);
  if (!ctx) return code;
  auto r = app::triage_file(path, ctx->cfg);
  if (!r) return report_error(r.error());
  std::cout << app::assessment_json(r->message, r->assessment).dump(2) << "\n";
  return kExitOk;
}

// --- data / whois -----------------------------------------------------------------

int run_data_load(const Common& common, const std::string& kind, const std::string& file,
                  bool partial) {
  int code = kExitOk;
  auto ctx = make_context(common, code);
  if (!ctx) return code;
  auto store = open_store(*ctx, true);
  if (!store) return report_error(store.error());
  enrich::LoadOptions options;
  options.partial = partial;
  auto s = enrich::load_data_file((*store)->network_data(), kind, file, ctx->clock->now(), options);
  if (!s) return report_error(s.error());
  const bool ja = ctx->lang == "ja";
  if (ctx->json) {
    std::cout << json{{"kind", s->kind},         {"file", s->file},
                      {"entries", s->entries},   {"skipped", s->skipped},
                      {"replaced", s->replaced}, {"kept_because", s->kept_because},
                      {"problems", s->problems}}
                     .dump(2)
              << "\n";
  } else {
    if (s->replaced)
      std::cout << s->kind << ": " << s->entries << (ja ? " 件を読み込みました" : " entries loaded")
                << " (" << s->file << ")\n";
    for (size_t i = 0; i < s->problems.size() && i < 20; ++i)
      std::cout << "  ! " << s->problems[i] << "\n";
    if (s->problems.size() > 20)
      std::cout << "  ! ... " << s->problems.size() - 20
                << (ja ? " 件の問題が他にあります" : " more") << "\n";
  }
  if (!s->replaced) {
    // Nothing was replaced: a script must not take this for a successful load.
    std::cerr << "kizuna: " << s->file << ": "
              << (ja ? "読み込み済みのデータはそのまま残しました: " : "the loaded data was kept: ")
              << s->kept_because << "\n";
    return kExitUser;
  }
  return kExitOk;
}

int run_data_status(const Common& common) {
  int code = kExitOk;
  auto ctx = make_context(common, code);
  if (!ctx) return code;
  auto store = open_store(*ctx);
  if (!store) return report_error(store.error());
  auto sets = (*store)->network_data().data_sets();
  if (!sets) return report_error(sets.error());
  const auto now = ctx->clock->now();
  if (ctx->json) {
    json out = json::array();
    for (const auto& d : *sets) {
      out.push_back(app::data_set_json(d, now));
    }
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  if (sets->empty())
    std::cout << (ctx->lang == "ja" ? "読み込まれたデータはありません" : "No data loaded") << "\n";
  for (const auto& d : *sets) {
    const auto hours = std::chrono::duration_cast<std::chrono::hours>(now - d.loaded_at).count();
    const std::string& L = ctx->lang;
    std::printf("%-10s %9lld %s  %4lld %s  %s %s (%lld %s)  %s\n", d.kind.c_str(),
                static_cast<long long>(d.entries), std::string(tr(L, "data.entries")).c_str(),
                static_cast<long long>(d.problems), std::string(tr(L, "data.problems")).c_str(),
                std::string(tr(L, "data.loaded")).c_str(),
                ctx->zone.format_local(d.loaded_at).c_str(), static_cast<long long>(hours),
                std::string(tr(L, "data.hours_ago")).c_str(), shown(d.source).c_str());
  }
  return kExitOk;
}

// --- directory / demo -------------------------------------------------------------

// A session with the network data loaded; nullopt after printing the error.
struct DataSession {
  Session session;
  std::shared_ptr<const enrich::NetworkData> data;
};
std::optional<DataSession> open_with_data(const Common& common, int& code) {
  auto s = open_session(common, code);
  if (!s) return std::nullopt;
  auto data = enrich::NetworkData::load(s->store->network_data(), s->store->settings());
  if (!data) {
    code = report_error(data.error());
    return std::nullopt;
  }
  return DataSession{std::move(*s), std::move(*data)};
}

// `directory list`: the national CSIRTs in use (loaded, else the shipped starter list), and which
// are verified: only those are ever mailed.
int run_directory_list(const Common& common) {
  int code = kExitOk;
  auto d = open_with_data(common, code);
  if (!d) return code;
  const Context* ctx = &d->session.ctx;
  const auto& csirts = d->data->csirts();
  if (ctx->json) {
    json out = json::array();
    for (const auto& [country, c] : csirts) out.push_back(app::csirt_json(country, c));
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  const bool ja = ctx->lang == "ja";
  for (const auto& [country, c] : csirts) {
    std::printf("%-3s %-28s %-34s %s\n", country.c_str(), shown(c.name).c_str(),
                shown(c.email).c_str(),
                c.verified ? (ja ? "確認済み" : "verified")
                           : (ja ? "未確認 (送信しません)" : "not verified (never mailed)"));
  }
  return kExitOk;
}

// `directory verify NAME`: a handler confirmed this CSIRT's address; from now on it is mailed.
int run_directory_verify(const Common& common, const std::string& name, const std::string& actor) {
  int code = kExitOk;
  auto s = open_session(common, code);
  if (!s) return code;
  const Context* ctx = &s->ctx;
  if (auto st =
          app::verify_directory_entry(*s->store, name, handler_name(actor), ctx->clock->now());
      !st)
    return report_error(st.error());
  if (ctx->json) {
    std::cout << json{{"name", name}, {"verified", true}}.dump(2) << "\n";
  } else {
    std::cout << shown(name)
              << (ctx->lang == "ja"
                      ? ": 確認済みにしました。既存の届出に反映するには kizuna enrich --all\n"
                      : ": verified; run kizuna enrich --all for the incidents already routed\n");
  }
  return kExitOk;
}

// `demo enable`: marks this database as the demo: nothing Kizuna does with it leaves the machine.
int run_demo_enable(const Common& common) {
  int code = kExitOk;
  auto s = open_session(common, code, true);  // the demo is marked before data goes in
  if (!s) return code;
  auto* ctx = &s->ctx;
  auto* store = &s->store;
  if (auto s = app::mark_demo(**store, "system:demo", ctx->clock->now()); !s)
    return report_error(s.error());
  const bool ja = ctx->lang == "ja";
  std::cout
      << (ja ? "デモ用データベースにしました: メールはこのマシン上の SMTP シンクにだけ送られ、"
               "サイトの確認はループバックの試験サーバーに向かい、DNS と RDAP の問い合わせは"
               "しません\n"
             : "this is now a demo database: mail goes only to an SMTP sink on this machine, "
               "sites are fetched from a loopback test server, and no DNS or RDAP query is "
               "made\n");
  return kExitOk;
}

int run_whois(const Common& common, const std::string& target) {
  int code = kExitOk;
  auto ctx = make_context(common, code);
  if (!ctx) return code;
  // First the store: a demo database turns DNS off before anything is asked (app/demo.h).
  auto store = open_store(*ctx);
  if (!store) return report_error(store.error());
  auto ip = Ip::parse(target);
  if (!ip) {
    // Digits, dots and colons only: a mistyped address, not a host name.
    if (target.find_first_not_of("0123456789.:abcdefABCDEF") == std::string::npos &&
        target.find_first_of(".:") != std::string::npos &&
        target.find_first_not_of("0123456789.") == std::string::npos) {
      return report_error(Error::InvalidArgument("not a valid IP address", target));
    }
    // A host name: its first address, through the configured resolver.
    if (!ctx->cfg.resolve_hosts) {
      return report_error(Error::InvalidArgument(
          ctx->demo ? "this is a demo database: no DNS query leaves this machine (give an address)"
                    : "a host name needs [resolver] enabled = true in the configuration (or give "
                      "an address)",
          target));
    }
    auto resolver = enrich::Resolver::create(ctx->cfg.resolver);
    if (!resolver) return report_error(resolver.error());
    auto res = (*resolver)->resolve({target})[target];
    if (!res.resolved()) return report_error(Error::NotFound(res.error, target));
    ip = res.addresses.front();
  }
  auto data = enrich::NetworkData::load((*store)->network_data(), (*store)->settings());
  if (!data) return report_error(data.error());
  const auto r = (*data)->whois(*ip, ctx->cfg.routing);
  if (ctx->json) {
    std::cout << app::whois_json(r).dump(2) << "\n";
    return kExitOk;
  }
  std::cout << r.ip << "\n";
  auto field = [&](const char* name, const std::string& v) {
    if (v.empty()) return;
    auto it = r.sources.find(name);
    std::cout << "  " << tr(ctx->lang, std::string("whois.") + name) << ": " << v
              << (it != r.sources.end() ? "  (" + it->second + ")" : "") << "\n";
  };
  field("prefix", r.prefix);
  std::string origins;
  for (uint32_t a : r.origins) origins += (origins.empty() ? "AS" : " AS") + std::to_string(a);
  field("asn", origins);
  field("as_name", r.as_name);
  field("country", r.country);
  field("registry", r.registry);
  field("org", r.org);
  std::string abuse;
  for (const auto& a : r.abuse) abuse += (abuse.empty() ? "" : ", ") + a;
  field("abuse", abuse);
  if (r.csirt)
    field("csirt", r.csirt->name + " <" + r.csirt->email + ">" +
                       std::string(r.csirt->verified ? "" : tr(ctx->lang, "whois.unverified")));
  std::string to;
  for (const auto& a : r.route.to) to += (to.empty() ? "" : ", ") + a;
  std::cout << "  " << tr(ctx->lang, "whois.route") << ": " << (to.empty() ? "-" : to) << "  — "
            << r.route.reason << "\n";
  if (r.sources.empty())
    std::cout << (ctx->lang == "ja" ? "  該当する情報はありません" : "  nothing known") << "\n";
  return kExitOk;
}

int run_enrich(const Common& common, bool all) {
  int code = kExitOk;
  auto ctx = make_context(common, code);
  if (!ctx) return code;
  auto store = open_store(*ctx);
  if (!store) return report_error(store.error());
  auto s = app::enrich_store(ctx->cfg, *ctx->clock, **store, all);
  if (!s) return report_error(s.error());
  if (ctx->json) {
    std::cout << json{{"incidents", s->incidents},
                      {"routed", s->routed},
                      {"resolved_hosts", s->resolved_hosts},
                      {"unresolved_hosts", s->unresolved_hosts}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << (ctx->lang == "ja" ? "エンリッチしたインシデント: " : "Incidents enriched: ")
              << s->incidents << " (" << s->routed
              << (ctx->lang == "ja" ? " 件は通知先あり, " : " with somebody to notify, ")
              << s->unresolved_hosts
              << (ctx->lang == "ja" ? " 件はホスト名未解決)" : " hosts not resolved yet)") << "\n";
  }
  return kExitOk;
}

}  // namespace

int main_impl(int argc, char** argv) {
  CLI::App app{"Kizuna: incident coordination for CSIRTs (インシデント対応調整)", "kizuna"};
  app.require_subcommand(1);
  Common common;
  app.add_option("--db", common.db,
                 "SQLite file or postgresql:// URL (default from config: var/kizuna.db)");
  app.add_option("--config", common.config_path,
                 "configuration file (default: $KIZUNA_CONFIG, ./kizuna.toml)");
  app.add_flag("--json", common.json, "machine-readable output (keys documented in docs/cli.md)");
  app.add_option("--now", common.now,
                 "fix the current time, e.g. 2008-04-15T10:00+09:00 (or KIZUNA_NOW)")
      ->check(CLI::Validator(
          [](std::string& v) {
            return v.empty() ? std::string("--now needs a time such as 2008-04-15T10:00+09:00")
                             : std::string();
          },
          "TIME"));
  app.set_version_flag("--version", std::string("kizuna ") + KZ_VERSION);
  app.add_option("--lang", common.lang, "language of human output: ja or en");
  int exit_code = kExitOk;

  auto* ingest = app.add_subcommand(
      "ingest", "store, parse and triage e-mails, mbox, Maildir, X-ARF and form files");
  ingest->fallthrough();
  std::vector<std::string> ingest_paths;
  bool from_stdin = false;
  ingest->add_option("paths", ingest_paths, "files or folders");
  ingest->add_flag("--stdin", from_stdin,
                   "read one message from standard input (MTA pipe; exit 75 to retry)");
  ingest->callback([&] { exit_code = run_ingest(common, ingest_paths, from_stdin); });

  auto* submit = app.add_subcommand("submit", "take a web form submission (JSON, docs/api.md)");
  submit->fallthrough();
  std::string submit_file;
  submit->add_option("file", submit_file, "form document (JSON)")->required();
  submit->callback([&] { exit_code = run_ingest(common, {submit_file}, false); });

  auto* stats =
      app.add_subcommand("stats", "the quarter's figures (dates inclusive, centre time zone)");
  stats->fallthrough();
  std::string from, to;
  stats->add_option("--from", from, "first day, YYYY-MM-DD")->required();
  stats->add_option("--to", to, "last day, YYYY-MM-DD")->required();
  stats->callback([&] { exit_code = run_stats(common, from, to); });

  auto* directory = app.add_subcommand(
      "directory", "the national CSIRTs: which are verified (only those are ever mailed)");
  directory->fallthrough();
  directory->require_subcommand(1);
  auto* dirlist =
      directory->add_subcommand("list", "every national CSIRT and whether it is verified");
  dirlist->fallthrough();
  dirlist->callback([&] { exit_code = run_directory_list(common); });
  auto* dirverify =
      directory->add_subcommand("verify", "confirm a CSIRT's address: from now on it is mailed");
  dirverify->fallthrough();
  std::string dir_name, dir_actor;
  dirverify->add_option("name", dir_name, "the CSIRT's name, as `directory list` shows it")
      ->required();
  dirverify->add_option("--actor", dir_actor, "who verified it (default handler:$USER)");
  dirverify->callback([&] { exit_code = run_directory_verify(common, dir_name, dir_actor); });

  auto* demo = app.add_subcommand("demo", "the demo database: nothing it does leaves this machine");
  demo->fallthrough();
  demo->require_subcommand(1);
  auto* demo_enable = demo->add_subcommand(
      "enable", "mark this database as the demo: mail to a local sink only, no DNS, RDAP or web");
  demo_enable->fallthrough();
  demo_enable->callback([&] { exit_code = run_demo_enable(common); });

  auto* quarantine =
      app.add_subcommand("quarantine", "messages set aside as unreadable: list, show, retry");
  quarantine->fallthrough();
  quarantine->require_subcommand(1);
  auto* qlist = quarantine->add_subcommand("list", "list quarantined messages, newest first");
  qlist->fallthrough();
  int qlimit = 100;
  qlist->add_option("--limit", qlimit, "at most this many (default 100)");
  qlist->callback([&] { exit_code = run_quarantine_list(common, qlimit); });
  auto* qshow = quarantine->add_subcommand(
      "show", "one quarantined message: why, where from, its first bytes");
  qshow->fallthrough();
  int64_t qid = 0;
  qshow->add_option("id", qid, "message number")->required();
  qshow->callback([&] { exit_code = run_quarantine_show(common, qid); });
  auto* qretry =
      quarantine->add_subcommand("retry", "run the stored bytes through the current code again");
  qretry->fallthrough();
  std::vector<int64_t> qids;
  bool qall = false;
  qretry->add_option("ids", qids, "message numbers");
  qretry->add_flag("--all", qall, "every quarantined message");
  qretry->callback([&] { exit_code = run_quarantine_retry(common, qids, qall); });

  auto* reports = app.add_subcommand(
      "reports", "list, show and work on reports (assign, tlp, tag, close, reopen, notes)");
  reports->fallthrough();
  reports->require_subcommand(1);
  auto* rlist = reports->add_subcommand("list", "list reports");
  rlist->fallthrough();
  store::ReportFilter rfilter;
  std::string rfrom, rto;
  // A typo must not look like "no data": values outside the sets are refused (exit 1).
  const auto types = CLI::IsMember({"scan", "forged", "intrusion", "phishing", "other"});
  rlist->add_option("--type", rfilter.type, "scan, forged, intrusion, phishing or other")
      ->check(types);
  rlist->add_option("--status", rfilter.status, "open or closed")
      ->check(CLI::IsMember({"open", "closed"}));
  rlist->add_option("--after", rfilter.after, "reports numbered above this (the next page)");
  rlist->add_option("--from", rfrom, "created on or after this day");
  rlist->add_option("--to", rto, "created on or before this day");
  rlist->add_option("--limit", rfilter.limit, "at most this many (default 100)");
  rlist->callback([&] { exit_code = run_reports_list(common, rfilter, rfrom, rto); });
  auto* rshow =
      reports->add_subcommand("show", "show one report with its messages, incidents and events");
  rshow->fallthrough();
  int64_t report_id = 0;
  rshow->add_option("id", report_id, "report number")->required();
  rshow->callback([&] { exit_code = run_reports_show(common, report_id); });
  add_report_commands(*reports, common, exit_code);
  add_search_command(app, common, exit_code);

  auto* incidents = app.add_subcommand("incidents", "list incidents");
  incidents->fallthrough();
  incidents->require_subcommand(1);
  auto* ilist = incidents->add_subcommand("list", "list incidents");
  ilist->fallthrough();
  store::IncidentFilter ifilter;
  std::string ifrom, ito;
  int64_t ireport = 0;
  ilist->add_option("--type", ifilter.type, "scan, forged, intrusion, phishing or other")
      ->check(types);
  ilist->add_option("--ip", ifilter.ip, "one address")
      ->check(CLI::Validator(
          [](std::string& v) {
            auto ip = Ip::parse(v);
            if (!ip) return std::string("not an IP address: " + v);
            v = ip->to_string();  // as stored: 2001:DB8::1 finds 2001:db8::1
            return std::string();
          },
          "ADDRESS"));
  ilist->add_option("--after", ifilter.after, "incidents numbered above this (the next page)");
  ilist->add_option("--report", ireport, "incidents of one report");
  ilist->add_option("--from", ifrom, "reports created on or after this day");
  ilist->add_option("--to", ito, "reports created on or before this day");
  ilist->add_option("--limit", ifilter.limit, "at most this many (default 100)");
  ilist->callback([&] {
    if (ireport > 0) ifilter.report = ireport;
    exit_code = run_incidents_list(common, ifilter, ifrom, ito);
  });

  auto* classify =
      app.add_subcommand("classify", "reclassify a report (and its incidents) or one incident");
  classify->fallthrough();
  std::string what, spec, rsit, actor, reason;
  int64_t target = 0;
  classify->add_option("what", what, "report or incident")
      ->required()
      ->check(CLI::IsMember({"report", "incident"}));
  classify->add_option("id", target, "its number")->required();
  classify->add_option("type", spec, "scan, forged, intrusion, phishing or other[/subtype]")
      ->required();
  classify->add_option("--rsit", rsit, "RSIT taxonomy/type (default: from the rules)");
  classify->add_option("--actor", actor, "who decides (default: handler:$USER)");
  classify->add_option("--reason", reason, "why, for the event log");
  classify->callback(
      [&] { exit_code = run_classify(common, what, target, spec, rsit, actor, reason); });

  auto* triage_cmd =
      app.add_subcommand("triage", "show what triage makes of one file, storing nothing");
  triage_cmd->fallthrough();
  std::string triage_file;
  triage_cmd->add_option("file", triage_file, "an e-mail or JSON report")->required();
  triage_cmd->callback([&] { exit_code = run_triage(common, triage_file); });

  auto* data = app.add_subcommand("data", "network data: load files, show what is loaded");
  data->fallthrough();
  data->require_subcommand(1);
  auto* dload = data->add_subcommand(
      "load", "load network data from a file; a file with bad lines replaces nothing");
  dload->fallthrough();
  std::string data_kind, data_file;
  bool data_partial = false;
  dload->add_option("kind", data_kind, "pfx2as, delegated, as2org, contacts, csirts, rdap or mmdb")
      ->required();
  dload->add_option("file", data_file, "the file")->required();
  dload->add_flag("--partial", data_partial,
                  "load the good entries of a file with bad lines (at least one must be good)");
  dload->callback([&] { exit_code = run_data_load(common, data_kind, data_file, data_partial); });
  auto* dstatus = data->add_subcommand("status", "what is loaded, how old, how many entries");
  dstatus->fallthrough();
  dstatus->callback([&] { exit_code = run_data_status(common); });

  auto* whois =
      app.add_subcommand("whois", "who holds an address: prefix, AS, name, country, registry");
  whois->fallthrough();
  std::string whois_target;
  whois->add_option("address", whois_target, "IPv4 or IPv6 address")->required();
  whois->callback([&] { exit_code = run_whois(common, whois_target); });

  auto* enrich_cmd =
      app.add_subcommand("enrich", "work out who can act on incidents (new ones, or --all)");
  enrich_cmd->fallthrough();
  bool enrich_all = false;
  enrich_cmd->add_flag("--all", enrich_all, "every incident, e.g. after new data was loaded");
  enrich_cmd->callback([&] { exit_code = run_enrich(common, enrich_all); });

  add_coord_commands(app, common, exit_code);
  add_db_commands(app, common, exit_code);
  add_user_commands(app, common, exit_code);
  add_serve_command(app, common, exit_code);

  // CLI11 says "Could not convert: id = abc" when a number is expected: say what is wrong.
  app.failure_message([](const CLI::App* a, const CLI::Error& e) {
    std::string msg = e.what();
    if (const std::string prefix = "Could not convert: "; msg.rfind(prefix, 0) == 0) {
      const std::string rest = msg.substr(prefix.size());
      const size_t eq = rest.find(" = ");
      if (eq != std::string::npos)
        msg = rest.substr(0, eq) + " must be a number, not \"" + rest.substr(eq + 3) + "\"";
    }
    return msg + "\n" + CLI::FailureMessage::simple(a, CLI::ParseError("", 0)).substr(1);
  });
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitUser;
  }
  return exit_code;
}

}  // namespace kz::cli

int main(int argc, char** argv) {
  kz::tune_allocator_for_bulk_work(argv);
  try {
    return kz::cli::main_impl(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "kizuna: internal error: " << e.what() << "\n";
    return 70;
  }
}
