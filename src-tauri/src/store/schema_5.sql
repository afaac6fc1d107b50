-- Derived: every current lead's values as the lead table (store/table.rs)
-- reads them, before the settings classify them, packed 32 bytes a lead in
-- chunks of 1 MB (store/pack.rs). Loading a million leads then reads a few
-- dozen large values instead of a million rows. The first reader after a
-- change writes it; `meta.lead_pack` says which generation of the leads it
-- holds.
CREATE TABLE lead_pack (
    chunk INTEGER PRIMARY KEY,
    bytes BLOB NOT NULL
);

-- The leads' generation: one more with every import added or removed, the
-- only transactions that write `lead` (an import's, a removal's, deleting
-- all). A pack of another generation is never read. A later migration that
-- changes `lead` must count it up too.
INSERT INTO meta (key, value) VALUES ('lead_generation', 1)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
CREATE TRIGGER an_added_import_changes_the_leads AFTER INSERT ON import
BEGIN
    UPDATE meta SET value = value + 1 WHERE key = 'lead_generation';
END;
CREATE TRIGGER a_removed_import_changes_the_leads AFTER DELETE ON import
BEGIN
    UPDATE meta SET value = value + 1 WHERE key = 'lead_generation';
END;
