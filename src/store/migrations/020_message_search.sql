-- 020: search over messages. Each filed message's searchable text (its subject, sender and text
-- parts in the form core/text.h's fold_for_search gives, cut at [intake] search_text_bytes), and
-- a trigram index over it. The index is filled behind intake, in batches (MessageStore::
-- index_search, run by the worker): indexing a message costs about as much as filing it, so
-- intake does not wait for it. A search reads the index up to message_search_done.upto and scans
-- the few rows past it, so that its answer is complete either way.
CREATE TABLE message_text (
  message  INTEGER PRIMARY KEY REFERENCES messages(id),
  text     TEXT NOT NULL
);
-- Text kept once, in message_text (external content); case_sensitive because the text is folded
-- already, as the query is; detail none: substring queries need no positions.
CREATE VIRTUAL TABLE message_search USING fts5(
  text, content='message_text', content_rowid='message',
  tokenize='trigram case_sensitive 1', detail='none');
CREATE TABLE message_search_done (
  upto  INTEGER NOT NULL  -- every message_text row up to this message is in message_search
);
INSERT INTO message_search_done(upto) VALUES (0);
