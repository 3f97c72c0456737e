#include "app/search.h"

#include <algorithm>

#include "core/text.h"

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
