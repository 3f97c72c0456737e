// Search over the messages' text, as the command line (`kizuna search`) and the server
// (`GET /api/v1/search`) share it.
//
// What matches: a case-insensitive substring of a message's subject, sender or text (the first
// [intake] search_text_bytes of it, as filed), with the same results on both back ends. Both the
// text and the query are folded by core/text.h's fold_for_search (ASCII letters and their
// full-width forms; kana and kanji as written). A query of 3 characters or more uses the
// trigram index; a shorter one (詐欺, 銀行) reads only the newest `short_scan` messages, and the
// answer says where it stopped.
//
// Errors: kInvalidArgument for an empty query, one over kMaxSearchChars, or one holding control
// characters; the store's. Thread-safety: as the Database given.
#pragma once

#include <string>

#include "app/config.h"
#include "store/database.h"

namespace kz::app {

// A query is words a person types, not a document.
inline constexpr size_t kMaxSearchChars = 200;
// Messages the search index takes per transaction when brought up to date: about a third of a
// second of SQLite's indexing (161 us a message, docs/perf.md "Search"), so intake waits little
// for the write lock.
inline constexpr int kIndexBatchRows = 2000;

// `q.text` is the query as typed; it is folded here. Visibility (hide_red, blank_is_red, viewer)
// is the caller's, as for the report list.
Result<store::MessageSearchResult> search_messages(store::Database& db, store::MessageSearch q);

// Gives the messages stored before search existed their search text: each is parsed again from
// its raw bytes (OpenPGP off: an encrypted one gives what is readable without the key) and its
// text stored, at most `max_messages` a call, kIndexBatchRows per transaction. A message that no
// longer parses gets an empty text, so that it is not tried again. Returns how many it did.
Result<int> fill_missing_search_text(store::Database& db, const Config& cfg, int max_messages);

// Brings the search index up to date, kIndexBatchRows messages per transaction, at most
// `max_rows` in all (a worker round must not stall behind a large import); returns how many it
// indexed.
Result<int> index_for_search(store::Database& db, int max_rows);

}  // namespace kz::app
