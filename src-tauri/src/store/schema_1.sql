-- Dertien's first schema. Customer names, phone numbers and e-mail
-- addresses are never stored: a lead is known by `identity`, a keyed hash.
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE import (
    id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    imported_at INTEGER NOT NULL,
    sheets TEXT NOT NULL,
    rows_read INTEGER NOT NULL,
    leads INTEGER NOT NULL,
    leads_new INTEGER NOT NULL,
    leads_updated INTEGER NOT NULL,
    leads_unchanged INTEGER NOT NULL,
    passive_leads INTEGER NOT NULL,
    issue_count INTEGER NOT NULL,
    notes TEXT NOT NULL
);
CREATE INDEX import_content_hash ON import (content_hash);

CREATE TABLE import_issue (
    import_id INTEGER NOT NULL REFERENCES import (id) ON DELETE CASCADE,
    sheet TEXT NOT NULL,
    row INTEGER NOT NULL,
    column_name TEXT NOT NULL,
    message TEXT NOT NULL
);
CREATE INDEX import_issue_import ON import_issue (import_id);

-- A source, salesperson, branch, status, brand, model or lead type, grouped
-- by `key` (trimmed, spaces collapsed, lower case); `display` is its most
-- frequent spelling among the current leads.
CREATE TABLE name (
    id INTEGER PRIMARY KEY,
    field INTEGER NOT NULL,
    key TEXT NOT NULL,
    display TEXT NOT NULL,
    UNIQUE (field, key)
);

-- `uses`: current leads spelling the name so (derived, like `rollup`).
CREATE TABLE spelling (
    id INTEGER PRIMARY KEY,
    name_id INTEGER NOT NULL REFERENCES name (id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    uses INTEGER NOT NULL DEFAULT 0,
    UNIQUE (name_id, text)
);

-- A lead as the newest import holding it says (`import_id`). The name
-- columns hold `spelling` ids; they carry no foreign key, which would cost
-- seven index look-ups per stored lead on million-lead imports.
CREATE TABLE lead (
    identity BLOB PRIMARY KEY,
    import_id INTEGER NOT NULL REFERENCES import (id),
    created INTEGER,
    first_contact INTEGER,
    sale_date INTEGER,
    source INTEGER,
    salesperson INTEGER,
    branch INTEGER,
    status INTEGER,
    brand INTEGER,
    model INTEGER,
    lead_type INTEGER,
    kind INTEGER NOT NULL,
    sold_flag INTEGER NOT NULL,
    has_phone INTEGER NOT NULL,
    response INTEGER NOT NULL
) WITHOUT ROWID;

-- What earlier imports said of a lead a later import holds too: removing
-- that later import brings the newest of these back.
CREATE TABLE lead_history (
    identity BLOB NOT NULL,
    import_id INTEGER NOT NULL REFERENCES import (id) ON DELETE CASCADE,
    created INTEGER,
    first_contact INTEGER,
    sale_date INTEGER,
    source INTEGER,
    salesperson INTEGER,
    branch INTEGER,
    status INTEGER,
    brand INTEGER,
    model INTEGER,
    lead_type INTEGER,
    kind INTEGER NOT NULL,
    sold_flag INTEGER NOT NULL,
    has_phone INTEGER NOT NULL,
    response INTEGER NOT NULL,
    PRIMARY KEY (identity, import_id)
) WITHOUT ROWID;

-- Derived: lead counts per dimension, creation day, group and class.
CREATE TABLE rollup (
    dimension INTEGER NOT NULL,
    day INTEGER,
    key INTEGER,
    passive INTEGER NOT NULL,
    leads INTEGER NOT NULL,
    sold INTEGER NOT NULL
);
CREATE INDEX rollup_dimension_day ON rollup (dimension, day, key, passive);

CREATE TABLE header_mapping (
    signature TEXT PRIMARY KEY,
    mapping TEXT NOT NULL,
    saved_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE source_class (
    name_key TEXT PRIMARY KEY,
    passive INTEGER NOT NULL
) WITHOUT ROWID;
