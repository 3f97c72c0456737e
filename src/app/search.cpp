#include "app/search.h"

#include <algorithm>
#include <cstdlib>

#include "core/text.h"
#include "intake/mime.h"
#include "intake/structured.h"
#include "triage/ingest.h"

namespace kz::app {

Result<store::MessageSearchResult> search_messages(store::Database& db, store::MessageSearch q) {
  const std::string_view typed = trim(q.text);
  if (typed.empty()) return fail(Error::InvalidArgument("say what to search for", "search"));
  if (utf8_length(typed) > kMaxSearchChars) {
    return fail(Error::InvalidArgument(
        "a search is at most " + std::to_string(kMaxSearchChars) + " characters", "search"));
  }
  if (std::any_of(typed.begin(), typed.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; })) {
    return fail(Error::InvalidArgument("a search cannot hold control characters", "search"));
  }
  if (first_invalid_utf8(typed) != std::string_view::npos) {
    return fail(Error::InvalidArgument("a search must be UTF-8 text", "search"));
  }
  q.text = fold_for_search(typed);
  return db.messages().search_messages(q);
}

namespace {

// Every message numbered up to this setting's value has been looked at for a missing search
// text: a worker round reads only the messages since, not the whole store.
constexpr const char* kTextCheckedUpTo = "search.text_checked_up_to";

}  // namespace

Result<int> fill_missing_search_text(store::Database& db, const Config& cfg, int max_messages) {
  if (cfg.ingest.search_text_bytes == 0) return 0;
  intake::MimeOptions mime = cfg.mime;
  mime.openpgp = false;
  auto checked = db.settings().setting(kTextCheckedUpTo);
  if (!checked) return fail(checked.error());
  store::Id after = *checked ? std::strtoll((*checked)->c_str(), nullptr, 10) : 0;
  // Read before the look-up: what is filed meanwhile has its text from intake.
  auto newest = db.messages().newest_message();
  if (!newest) return fail(newest.error());
  int total = 0;
  while (total < max_messages) {
    auto ids =
        db.messages().messages_without_text(after, std::min(kIndexBatchRows, max_messages - total));
    if (!ids) return fail(ids.error());
    if (ids->empty()) {
      if (*newest > after) {
        if (auto s = db.settings().set_setting(kTextCheckedUpTo, std::to_string(*newest)); !s)
          return fail(s.error());
      }
      break;
    }
    after = ids->back();
    auto done = store::in_transaction(db, [&]() -> Status {
      for (store::Id id : *ids) {
        auto raw = db.messages().message_raw(id);
        if (!raw) return fail(raw.error());
        // A JSON document (X-ARF, the form) starts with a brace; everything else is mail.
        const size_t start = raw->find_first_not_of(" \t\r\n");
        const bool json = start != std::string::npos && (*raw)[start] == '{';
        auto parsed = json ? intake::parse_json_message(*raw, mime.limits.max_items_per_message)
                           : intake::parse_email(*raw, mime);
        const std::string text =
            parsed ? triage::search_text(*parsed, cfg.ingest.search_text_bytes) : std::string();
        if (auto s = db.messages().add_late_message_text(id, text); !s) return s;
      }
      return {};
    });
    if (!done) return fail(done.error());
    total += static_cast<int>(ids->size());
  }
  return total;
}

Result<int> index_for_search(store::Database& db, int max_rows) {
  int total = 0;
  while (total < max_rows) {
    Result<int> n = 0;
    if (auto s = store::in_transaction(db,
                                       [&]() -> Status {
                                         n = db.messages().index_search(
                                             std::min(kIndexBatchRows, max_rows - total));
                                         return n ? Status{} : fail(n.error());
                                       });
        !s)
      return fail(s.error());
    if (*n == 0) break;
    total += *n;
  }
  return total;
}

}  // namespace kz::app
