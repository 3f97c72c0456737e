-- 006: coordination state of each site (issue 4): new, notified, replied, takedown_reported,
-- down_verified, closed, revived, reminded, escalated. Every change is also an event.
ALTER TABLE sites ADD COLUMN state TEXT NOT NULL DEFAULT 'new';
ALTER TABLE sites ADD COLUMN state_at BIGINT;
