-- A source merged into another ("FB" -> "Facebook Lead Ads"), by name key:
-- its leads count under the target, in every figure.
CREATE TABLE source_alias (
    alias_key TEXT PRIMARY KEY,
    target_key TEXT NOT NULL
) WITHOUT ROWID;
