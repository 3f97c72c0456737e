-- 021: a handler merges reports (app/handling.h merge_reports): everything of the merged report
-- moves under the one it joins, and the merged report stays, closed, pointing at it, so that its
-- number (quoted in mails and by its reporter) still leads somewhere. The quarter's figures do not
-- count it as a report of its own.
ALTER TABLE reports ADD COLUMN merged_into INTEGER REFERENCES reports(id);
