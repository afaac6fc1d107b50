-- Who made the first contact before the salesperson (call-centre or BDC
-- agent): a `spelling` id like the other name columns.
ALTER TABLE lead ADD COLUMN agent INTEGER;
ALTER TABLE lead_history ADD COLUMN agent INTEGER;

-- `response` 6: the lead's report has no first-contact column, so "no first
-- contact" is unknown rather than unanswered (metrics.md, "Unanswered").
-- Stores from before knew no difference; an import none of whose leads has
-- a first contact had no such column.
UPDATE lead SET response = 6 WHERE response = 5 AND import_id NOT IN
    (SELECT import_id FROM lead WHERE first_contact IS NOT NULL
     UNION SELECT import_id FROM lead_history WHERE first_contact IS NOT NULL);
UPDATE lead_history SET response = 6 WHERE response = 5 AND import_id NOT IN
    (SELECT import_id FROM lead WHERE first_contact IS NOT NULL
     UNION SELECT import_id FROM lead_history WHERE first_contact IS NOT NULL);

-- The rollup gains the agent dimension: rebuilt on the next open.
INSERT INTO meta (key, value) VALUES ('rebuild_rollup', 1)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
