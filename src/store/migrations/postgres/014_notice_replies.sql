-- 014: when a responder first answered each notice (a reply by Message-ID or by tag, at the
-- reply's own date). Notices sent before this migration get what the old rule found: their
-- site's first reply, when it came after them (the same statement as in SQLite).
ALTER TABLE notices ADD COLUMN replied_at BIGINT;
UPDATE notices SET replied_at = (
  SELECT MIN(s.replied_at) FROM notice_sites ns JOIN sites s ON s.id = ns.site
  WHERE ns.notice = notices.id AND s.replied_at >= notices.sent_at)
WHERE audience = 'responder' AND status = 'sent';
