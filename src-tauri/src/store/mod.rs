//! The local store: one SQLite file in the user's data folder.
//!
//! A lead's current values are those of the newest import holding it
//! (`lead`); what older imports said of it is kept (`lead_history`), so
//! removing an import returns every figure to what it was before. `rollup` is derived from the current
//! versions and the settings, and rebuilt inside every write transaction, so
//! reports read a few thousand rows instead of every lead.

mod pack;
mod rollup;
mod settings;
mod table;
mod write;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};
use rusqlite_migration::{Migrations, M};

pub use rollup::{RollupRow, SourceEntry};
pub(crate) use settings::settings;
pub use settings::Settings;
pub use table::{LeadTable, TableRow};
pub use write::{ImportSummary, ImportWriter, NewImport};

/// Where the desktop app and the command line keep their data, unless `--db`
/// or `DERTIEN_DB` say otherwise: the OS's data folder, under the app's
/// identifier (the folder Tauri's `app_data_dir` names).
pub const APP_IDENTIFIER: &str = "nl.dertien";
pub const DB_FILE: &str = "dertien.db";

pub fn default_db_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("DERTIEN_DB").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    dirs::data_dir().map(|dir| dir.join(APP_IDENTIFIER).join(DB_FILE))
}

/// The name fields of a lead, in `name.field` codes: what the leads
/// table (`write`) stores and the derived tables (`rollup`) read.
#[derive(Clone, Copy)]
pub(crate) enum Field {
    Source = 1,
    Salesperson = 2,
    Branch = 3,
    Status = 4,
    Brand = 5,
    Model = 6,
    LeadType = 7,
    Agent = 8,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the system gave no random numbers for the store's key: {0}")]
    Random(String),
    #[error("the store {path} cannot be opened: {reason}")]
    Open { path: String, reason: String },
    #[error("the store's schema cannot be brought up to date: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("the store is busy: another Dertien (an import, or the window) is writing to it; try again when it is done")]
    Busy,
    #[error("the store failed: {0}")]
    Sqlite(rusqlite::Error),
    #[error("there is no import {0}")]
    NoSuchImport(i64),
    #[error("the norm must be a percentage between 0 and 100, not {0}")]
    InvalidNorm(f64),
    #[error("the margin per sale must be a positive amount of euros, not {0}")]
    InvalidMargin(f64),
    #[error("source \"{0}\" cannot be merged into \"{1}\": a source merges into another one that is not merged itself")]
    InvalidAlias(String, String),
}

impl From<rusqlite::Error> for StoreError {
    /// A store still locked after the busy timeout is another process's
    /// write, not a failure: the user can try again.
    fn from(error: rusqlite::Error) -> Self {
        match error.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => StoreError::Busy,
            _ => StoreError::Sqlite(error),
        }
    }
}

/// The schema, one step per release; never edit a step that has shipped.
const MIGRATIONS: &[M<'static>] = &[
    M::up(include_str!("schema_1.sql")),
    M::up(include_str!("schema_2.sql")),
    M::up(include_str!("schema_3.sql")),
    M::up(include_str!("schema_4.sql")),
    M::up(include_str!("schema_5.sql")),
];

/// How long a write waits for another process's write to the store.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

pub fn migrations() -> Migrations<'static> {
    Migrations::from_slice(MIGRATIONS)
}

/// The one owner of the database connection.
pub struct Store {
    conn: Connection,
    salt: Vec<u8>,
}

/// One import, as the history lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRecord {
    pub id: i64,
    pub file_name: String,
    pub content_hash: String,
    /// Seconds since 1970 (UTC).
    pub imported_at: i64,
    pub sheets: Vec<String>,
    pub rows_read: u64,
    /// Unique leads in the file.
    pub leads: u64,
    pub leads_new: u64,
    pub leads_updated: u64,
    pub leads_unchanged: u64,
    /// Passive leads whose current values come from this import.
    pub passive_leads: u64,
    pub issue_count: u64,
    pub notes: Vec<String>,
}

impl Store {
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let open_error = |reason: String| StoreError::Open { path: path.display().to_string(), reason };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
            std::fs::create_dir_all(dir).map_err(|e| open_error(e.to_string()))?;
            private(dir, 0o700).map_err(|e| open_error(e.to_string()))?;
        }
        let fresh = !path.exists();
        let conn = Connection::open(path).map_err(|e| open_error(e.to_string()))?;
        // Before the first pragma: SQLite gives the WAL files the store's mode.
        if fresh {
            private(path, 0o600).map_err(|e| open_error(e.to_string()))?;
        }
        Store::with_connection(conn, fresh)
    }

    pub fn open_in_memory() -> Result<Store, StoreError> {
        Store::with_connection(Connection::open_in_memory()?, true)
    }

    fn with_connection(mut conn: Connection, fresh: bool) -> Result<Store, StoreError> {
        // Set first, so even the pragmas below wait a while for another
        // process's import instead of failing at once.
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // 16 KB pages for a new store (an existing one keeps its own): a
        // million-lead import writes and checkpoints a quarter of the pages.
        conn.pragma_update(None, "page_size", 16_384)?;
        // A new store holds nothing to lose: it is made without waiting for
        // the disk (four syncs, a tenth of importing 100,000 leads), and
        // `NORMAL` holds from its first import on.
        conn.pragma_update(None, "synchronous", if fresh { "OFF" } else { "NORMAL" })?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // A 64 MB page cache keeps a large import's indexes in memory.
        conn.pragma_update(None, "cache_size", -65_536)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        migrations().to_latest(&mut conn)?;
        // A migration that changes what the rollup holds asks for a rebuild.
        if conn.query_row("SELECT 1 FROM meta WHERE key = 'rebuild_rollup'", [], |_| Ok(())).optional()?.is_some() {
            let tx = conn.transaction()?;
            rollup::rebuild(&tx)?;
            tx.execute("DELETE FROM meta WHERE key = 'rebuild_rollup'", [])?;
            tx.commit()?;
        }
        let salt = match conn.query_row("SELECT value FROM meta WHERE key = 'salt'", [], |r| r.get::<_, Vec<u8>>(0)).optional()? {
            Some(salt) => salt,
            None => {
                let salt = random_bytes().map_err(|e| StoreError::Random(e.to_string()))?.to_vec();
                conn.execute("INSERT INTO meta (key, value) VALUES ('salt', ?1)", [&salt])?;
                salt
            }
        };
        if fresh {
            conn.pragma_update(None, "synchronous", "NORMAL")?;
        }
        Ok(Store { conn, salt })
    }

    /// The key mixed into every lead identity (see `import::rows::identity`).
    pub fn salt(&self) -> &[u8] {
        &self.salt
    }

    pub fn begin_import(&mut self, new: NewImport) -> Result<ImportWriter<'_>, StoreError> {
        ImportWriter::begin(&mut self.conn, new)
    }

    /// Removes an import; every lead returns to its values from the newest
    /// import left that holds it, or disappears if none does.
    pub fn remove_import(&mut self, id: i64) -> Result<(), StoreError> {
        write::remove_import(&mut self.conn, id)
    }

    /// Deletes every lead, import and mapping; settings stay.
    pub fn delete_all_data(&mut self) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute_batch(
            "DELETE FROM rollup; DELETE FROM lead_history; DELETE FROM lead; DELETE FROM import_issue;
             DELETE FROM import; DELETE FROM spelling; DELETE FROM name; DELETE FROM header_mapping; DELETE FROM lead_pack;",
        )?;
        tx.commit()?;
        Ok(())
    }

    pub fn import_with_hash(&self, content_hash: &str) -> Result<Option<ImportRecord>, StoreError> {
        let id: Option<i64> = self
            .conn
            .query_row("SELECT id FROM import WHERE content_hash = ?1 ORDER BY id DESC LIMIT 1", [content_hash], |r| r.get(0))
            .optional()?;
        id.map(|id| self.import(id)).transpose()
    }

    pub fn import(&self, id: i64) -> Result<ImportRecord, StoreError> {
        self.conn.query_row(&format!("{IMPORT_SELECT} WHERE id = ?1"), [id], import_record).optional()?.ok_or(StoreError::NoSuchImport(id))
    }

    /// Every import, oldest first.
    pub fn imports(&self) -> Result<Vec<ImportRecord>, StoreError> {
        let mut statement = self.conn.prepare(&format!("{IMPORT_SELECT} ORDER BY id"))?;
        let records = statement.query_map([], import_record)?.collect::<Result<_, _>>()?;
        Ok(records)
    }

    /// What an import wrote of its row issues; the window and the command
    /// line show them from the import's result, so only the tests read them back.
    #[cfg(test)]
    pub fn import_issues(&self, id: i64) -> Result<Vec<crate::model::RowIssue>, StoreError> {
        let mut statement =
            self.conn.prepare("SELECT sheet, row, column_name, message FROM import_issue WHERE import_id = ?1 ORDER BY rowid")?;
        let issues = statement
            .query_map([id], |r| Ok(crate::model::RowIssue { sheet: r.get(0)?, row: r.get(1)?, column: r.get(2)?, message: r.get(3)? }))?
            .collect::<Result<_, _>>()?;
        Ok(issues)
    }

    /// Header layouts the user mapped by hand: signature -> (role, column).
    pub fn remembered_mappings(&self) -> Result<HashMap<String, Vec<(String, String)>>, StoreError> {
        let mut statement = self.conn.prepare("SELECT signature, mapping FROM header_mapping")?;
        let rows = statement.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut mappings = HashMap::new();
        for row in rows {
            let (signature, text) = row?;
            let pairs =
                text.lines().filter_map(|line| line.split_once('=')).map(|(role, column)| (role.to_string(), column.to_string())).collect();
            mappings.insert(signature, pairs);
        }
        Ok(mappings)
    }

    /// The rollup rows of one dimension, for days in `[from, to]` (both
    /// inclusive) or, without a period, every lead including undated ones.
    pub fn rollup(&self, dimension: crate::model::Dimension, period: Option<(i64, i64)>) -> Result<Vec<RollupRow>, StoreError> {
        rollup::rows(&self.conn, dimension, period)
    }

    /// The shown spelling of each name of a field (source, salesperson, branch).
    pub fn display_names(&self, dimension: crate::model::Dimension) -> Result<HashMap<i64, String>, StoreError> {
        rollup::display_names(&self.conn, dimension)
    }

    /// Every current lead, classified, in memory (see `table`).
    pub fn lead_table(&self) -> Result<LeadTable, StoreError> {
        table::load(&self.conn)
    }

    /// First and last creation day of the current leads.
    pub fn data_span(&self) -> Result<Option<(i64, i64)>, StoreError> {
        rollup::data_span(&self.conn)
    }
}

const IMPORT_SELECT: &str = "SELECT id, file_name, content_hash, imported_at, sheets, rows_read, leads, leads_new,
    leads_updated, leads_unchanged, passive_leads, issue_count, notes FROM import";

fn import_record(r: &rusqlite::Row<'_>) -> rusqlite::Result<ImportRecord> {
    let lines = |text: String| text.lines().map(str::to_owned).collect::<Vec<_>>();
    Ok(ImportRecord {
        id: r.get(0)?,
        file_name: r.get(1)?,
        content_hash: r.get(2)?,
        imported_at: r.get(3)?,
        sheets: lines(r.get(4)?),
        rows_read: r.get(5)?,
        leads: r.get(6)?,
        leads_new: r.get(7)?,
        leads_updated: r.get(8)?,
        leads_unchanged: r.get(9)?,
        passive_leads: r.get(10)?,
        issue_count: r.get(11)?,
        notes: lines(r.get(12)?),
    })
}

fn remember_mapping(conn: &Connection, signature: &str, mapping: &[(String, String)]) -> Result<(), StoreError> {
    let text: Vec<String> = mapping.iter().map(|(role, column)| format!("{role}={column}")).collect();
    conn.execute(
        "INSERT INTO header_mapping (signature, mapping, saved_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (signature) DO UPDATE SET mapping = excluded.mapping, saved_at = excluded.saved_at",
        params![signature, text.join("\n"), now()],
    )?;
    Ok(())
}

pub(crate) fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// A folder or file Dertien made, for the user alone (Unix): the leads are
/// the dealer's business, not every account's on a shared computer. Folders
/// and files the user chose are left as they are.
fn private(path: &Path, mode: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        Ok(())
    }
}

/// 32 bytes from the operating system's random generator: a salt no other
/// store shares, or a key no other user can guess.
pub(crate) fn random_bytes() -> Result<[u8; 32], getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocabulary::StatusWords;

    #[test]
    fn migrations_are_valid() {
        assert!(migrations().validate().is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_new_store_and_its_new_folder_are_the_users_alone() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("dertien-private-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a folder that is there already");
        let path = dir.join("nl.dertien").join("dertien.db");
        let store = Store::open(&path).expect("open");
        store.conn.execute("INSERT INTO meta (key, value) VALUES ('probe', 1)", []).expect("a write makes the WAL");
        let mode = |p: &Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
        assert_eq!(mode(&dir.join("nl.dertien")), 0o700);
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&path.with_extension("db-wal")), 0o600, "SQLite gives the WAL the store's mode");
        assert_ne!(mode(&dir), 0o700, "a folder that was there already is left as it was");
        drop(store);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn pragmas_and_salt_survive_reopening() {
        let dir = std::env::temp_dir().join(format!("dertien-store-{}", std::process::id()));
        let path = dir.join("nested").join("t.db");
        let synchronous = |store: &Store| store.conn.query_row("PRAGMA synchronous", [], |r| r.get::<_, i64>(0)).expect("pragma");
        let created = Store::open(&path).expect("open");
        // 1: NORMAL, also for a store made without syncs (0, OFF).
        assert_eq!(synchronous(&created), 1, "the first import syncs as every later one");
        let salt = created.salt().to_vec();
        drop(created);
        let store = Store::open(&path).expect("reopen");
        assert_eq!(synchronous(&store), 1);
        assert_eq!(store.salt(), salt.as_slice());
        let mode: String = store.conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).expect("pragma");
        let keys: bool = store.conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).expect("pragma");
        assert_eq!((mode.as_str(), keys), ("wal", true));
        let _ = std::fs::remove_dir_all(dir);
    }

    /// Every rollup row: all any report can show.
    fn figures(store: &Store) -> Vec<String> {
        let mut rows: Vec<String> = crate::model::Dimension::ALL
            .into_iter()
            .flat_map(|d| store.rollup(d, None).expect("rollup").into_iter().map(move |r| format!("{d:?} {r:?}")))
            .collect();
        rows.sort();
        rows
    }

    fn import(store: &mut Store, fixture: &str) -> ImportRecord {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/fixtures").join(fixture);
        crate::import::import_file(store, &path, &crate::import::ImportOptions::default()).expect("imports").record
    }

    /// Everything derived: the rollup, spelling uses, display names, passive leads per import.
    fn derived(store: &Store) -> Vec<String> {
        let mut out = figures(store);
        for sql in [
            "SELECT id || ' ' || uses FROM spelling ORDER BY id",
            "SELECT id || ' ' || display FROM name ORDER BY id",
            "SELECT id || ' ' || passive_leads FROM import ORDER BY id",
        ] {
            let mut statement = store.conn.prepare(sql).expect("query");
            let rows = statement.query_map([], |r| r.get::<_, String>(0)).expect("rows");
            out.extend(rows.map(|r| r.expect("row")));
        }
        out
    }

    /// What the imports added up incrementally is what a full rebuild of
    /// the derived tables from the current leads gives.
    fn assert_a_rebuild_changes_nothing(store: &mut Store) {
        let incremental = derived(store);
        let tx = store.conn.transaction().expect("tx");
        rollup::rebuild(&tx).expect("rebuild");
        tx.commit().expect("commit");
        assert_eq!(derived(store), incremental);
    }

    /// A report's groups: name, active leads and sold, for all leads by `dimension`.
    fn groups(store: &Store, dimension: crate::model::Dimension) -> Vec<(Option<String>, u64, u64)> {
        let report = crate::metrics::report(store, dimension, crate::metrics::Period::ALL).expect("report");
        report.groups.iter().map(|g| (g.name.clone(), g.rate.leads, g.rate.sold)).collect()
    }

    /// The leads read row by row and classified one by one: what every
    /// pack must give.
    fn leads_one_by_one(store: &Store) -> Vec<TableRow> {
        let classifier = rollup::Classifier::load(&store.conn).expect("classifier");
        let mut rows = Vec::new();
        table::read_rows(&store.conn, &classifier, &mut rows).expect("rows");
        rows
    }

    fn pack_label(store: &Store) -> Option<String> {
        store.conn.query_row("SELECT value FROM meta WHERE key = 'lead_pack'", [], |r| r.get(0)).optional().expect("meta")
    }

    /// The store's pack as a reader finds it: `None` when there is none of the current generation.
    fn unpacked(store: &Store) -> Option<Vec<TableRow>> {
        let generation = pack::generation(&store.conn).expect("generation").expect("schema 5 counts generations");
        let classes = rollup::Classifier::load(&store.conn).expect("classifier").spelling_classes().expect("dense ids");
        let mut rows = Vec::new();
        pack::unpack(&store.conn, generation, &classes, &mut rows).expect("unpack").then_some(rows)
    }

    /// The first reader after a change reads row by row and packs; the
    /// readers after it unpack; both get the leads as they are now.
    fn assert_packed_leads_are_current(store: &Store, what: &str) {
        let now = leads_one_by_one(store);
        assert_eq!(store.lead_table().expect("table").rows, now, "{what}: the table");
        assert_eq!(unpacked(store).as_ref(), Some(&now), "{what}: the pack holds the leads");
        assert_eq!(store.lead_table().expect("table").rows, now, "{what}: the table from the pack");
    }

    fn temporary_store(name: &str) -> (PathBuf, PathBuf) {
        let dir = std::env::temp_dir().join(format!("dertien-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("dertien.db");
        (dir, path)
    }

    /// The demo's three samples, imported by this process and by another,
    /// a removal, settings and deleting all: after each, the lead table
    /// (and so every report's evidence) is that of the rows, never a pack's
    /// of before.
    #[test]
    fn the_packed_leads_are_the_current_leads_after_every_change() {
        let (dir, path) = temporary_store("pack");
        let mut store = Store::open(&path).expect("store");
        let mut other = Store::open(&path).expect("another process");
        let sample = |name: &str| Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/samples").join(name);
        let options = crate::import::ImportOptions::default();
        assert_packed_leads_are_current(&store, "empty");
        crate::import::import_file(&mut other, &sample("leads_q3_2023.xlsx"), &options).expect("imports");
        assert_packed_leads_are_current(&store, "another process's import");
        let october = crate::import::import_file(&mut store, &sample("leadrapport_oktober.xlsx"), &options).expect("imports").record;
        assert_packed_leads_are_current(&store, "a second import");
        crate::import::import_file(&mut other, &sample("kcc_rapport_nov_dec.xlsx"), &options).expect("imports");
        assert_packed_leads_are_current(&store, "the demo data");
        assert!(store.lead_table().expect("table").rows.len() > 5000);

        let packed = pack_label(&store);
        let before = store.lead_table().expect("table").rows;
        store.set_source_alias("Facebook Lead Ads", Some("Website formulier")).expect("alias");
        store.set_source_class("Website formulier", Some(true)).expect("class");
        store.set_status_words(&StatusWords { sold: vec!["offerte".into()], lost: vec![] }).expect("words");
        assert_eq!(pack_label(&store), packed, "settings keep the pack: it holds the values before them");
        let table = store.lead_table().expect("table");
        assert_eq!(table.rows, leads_one_by_one(&store), "unpacked by the settings in force");
        assert_ne!(table.rows, before, "the settings changed the figures");
        assert_packed_leads_are_current(&store, "settings");

        other.remove_import(october.id).expect("remove");
        assert_packed_leads_are_current(&store, "a removed import");
        store.delete_all_data().expect("delete");
        assert_eq!(store.conn.query_row("SELECT COUNT(*) FROM lead_pack", [], |r| r.get::<_, i64>(0)).expect("count"), 0);
        assert_packed_leads_are_current(&store, "all deleted");
        assert!(store.lead_table().expect("table").rows.is_empty());
        drop((store, other));
        let _ = std::fs::remove_dir_all(dir);
    }

    /// A reader that cannot store its pack (another process is writing, or
    /// wrote after the reader's snapshot began) answers from the rows and
    /// stores nothing, without waiting for the writer.
    #[test]
    fn a_reader_that_cannot_pack_reads_the_rows() {
        let (dir, path) = temporary_store("pack-busy");
        let mut store = Store::open(&path).expect("store");
        import(&mut store, "export_september.xlsx");
        let writer = Connection::open(&path).expect("another process");
        writer.execute_batch("BEGIN IMMEDIATE").expect("writing");
        let started = std::time::Instant::now();
        assert_eq!(store.lead_table().expect("table").rows, leads_one_by_one(&store));
        assert!(started.elapsed() < BUSY_TIMEOUT, "no wait for the writer");
        assert_eq!(pack_label(&store), None);
        writer.execute_batch("ROLLBACK").expect("done");

        // A snapshot older than another process's import cannot store its pack.
        let snapshot = store.conn.unchecked_transaction().expect("read");
        let generation = pack::generation(&snapshot).expect("generation").expect("counted");
        let classifier = rollup::Classifier::load(&snapshot).expect("classifier");
        let packing = table::read_rows(&snapshot, &classifier, &mut Vec::new()).expect("rows").expect("fits");
        let mut other = Store::open(&path).expect("another process");
        import(&mut other, "export_october.xlsx");
        assert!(pack::store(&snapshot, generation, &packing).is_err(), "the snapshot is stale");
        drop(snapshot);
        assert_eq!(pack_label(&store), None);
        assert_packed_leads_are_current(&store, "after the other import");
        drop((store, other));
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn what_an_import_adds_up_equals_a_full_rebuild() {
        let mut store = Store::open_in_memory().expect("store");
        for fixture in [
            "export_september.xlsx",
            "no_ids.csv",
            "export_october.xlsx",
            "export_1252.csv",
            "branches.xlsx",
            "../samples/leadrapport_oktober.xlsx",
        ] {
            import(&mut store, fixture);
        }
        assert_a_rebuild_changes_nothing(&mut store);
    }

    /// Imports run with the foreign keys off (`write::ForeignKeysOff`): what
    /// they write must still satisfy every key, and the keys are on again
    /// after an import, whether it was committed or given up.
    #[test]
    fn imports_keep_the_foreign_keys_and_switch_them_back_on() {
        let mut store = Store::open_in_memory().expect("store");
        let keys_on = |store: &Store| store.conn.query_row("PRAGMA foreign_keys", [], |r| r.get::<_, bool>(0)).expect("pragma");
        let violations = |store: &Store| -> Vec<String> {
            let mut check = store.conn.prepare("PRAGMA foreign_key_check").expect("check");
            let rows = check.query_map([], |r| Ok(format!("{}:{}", r.get::<_, String>(0)?, r.get::<_, i64>(1)?))).expect("query");
            rows.collect::<Result<_, _>>().expect("rows")
        };
        // The first into an empty store (its leads written at the commit),
        // then imports that replace leads and keep their history.
        for fixture in ["export_september.xlsx", "export_october.xlsx", "no_ids.csv", "branches.xlsx"] {
            import(&mut store, fixture);
            assert!(keys_on(&store), "on after importing {fixture}");
            assert_eq!(violations(&store), Vec::<String>::new(), "after importing {fixture}");
        }
        let given_up = store.begin_import(NewImport { file_name: "half.xlsx".into(), content_hash: "half".into() }).expect("begin");
        drop(given_up);
        assert!(keys_on(&store), "on after an import given up");
        store
            .conn
            .execute(
                "INSERT INTO lead_history (identity, import_id, kind, sold_flag, has_phone, response) VALUES (x'00', 999, 0, 0, 0, 0)",
                [],
            )
            .expect_err("the keys hold again: no history of an import that is not there");
    }

    /// A store whose first import cannot keep its leads packed: a spelling
    /// id beyond 32 bits sends them to the store one by one, as they come.
    fn store_whose_leads_never_wait() -> Store {
        let store = Store::open_in_memory().expect("store");
        store
            .conn
            .execute_batch(
                "INSERT INTO name (id, field, key, display) VALUES (1, 99, 'x', 'x');
                 INSERT INTO spelling (id, name_id, text) VALUES (4294967296, 1, 'x');",
            )
            .expect("a spelling id beyond 32 bits");
        store
    }

    /// A first import keeps its leads packed and writes them in key order;
    /// a spelling id too large to keep packed sends them to the store as
    /// they come instead. Both keep the later of two rows of a lead.
    #[test]
    fn a_first_import_counts_the_same_whether_its_leads_wait_or_not() {
        let mut waiting = Store::open_in_memory().expect("store");
        let mut at_once = store_whose_leads_never_wait();
        for store in [&mut waiting, &mut at_once] {
            assert_eq!(import(store, "no_ids.csv").leads, 4, "six rows, two of them a lead's earlier row");
            let sources = groups(store, crate::model::Dimension::Source);
            assert_eq!(sources, [(Some("Website".to_string()), 3, 1), (Some("Telefoon".to_string()), 1, 0)], "the later row wins");
            assert_a_rebuild_changes_nothing(store);
        }
    }

    /// A first import writes its leads in runs while it reads (from half-way
    /// through the rows): a later row of a lead an earlier run wrote
    /// replaces it, as in a store that held the lead before.
    #[test]
    fn a_lead_repeated_across_runs_counts_once_with_its_later_row() {
        let mut csv = String::from("Lead ID;Aanmaakdatum;Bron;Status\n");
        for row in 0..40_000 {
            let (id, source, status) = match row {
                // Rows of leads the first run (rows 0-16,383) wrote, in the
                // second run, in the last, and twice in the last.
                20_000 => (5, "Telefoon", "Verkocht"),
                39_000 | 39_500 => (100, "Showroom", "Open"),
                39_990 => (20_001, "Telefoon", "Verkocht"),
                row => (row, if row % 3 == 0 { "Website" } else { "AutoTrack" }, if row % 7 == 0 { "Verkocht" } else { "Open" }),
            };
            csv += &format!("L{id};2023-03-{:02};{source};{status}\n", row % 28 + 1);
        }
        let mut in_runs = Store::open_in_memory().expect("store");
        let mut one_by_one = store_whose_leads_never_wait();
        let mut seen = Vec::new();
        for store in [&mut in_runs, &mut one_by_one] {
            let options = crate::import::ImportOptions::default();
            let record = crate::import::import_bytes(store, "runs.csv", csv.clone().into_bytes(), &options).expect("imports").record;
            assert_eq!((record.leads, record.leads_new), (39_996, 39_996), "40,000 rows, four of them a lead's later row");
            assert_a_rebuild_changes_nothing(store);
            seen.push((
                store.lead_table().expect("table").rows.len(),
                groups(store, crate::model::Dimension::Source),
                groups(store, crate::model::Dimension::Month),
            ));
        }
        assert_eq!(seen[0], seen[1], "in runs as one by one");
        let telefoon = seen[0].1.iter().find(|(name, ..)| name.as_deref() == Some("Telefoon")).map(|&(_, leads, sold)| (leads, sold));
        assert_eq!(telefoon, Some((2, 2)), "L5 and L20001 by their later rows");
    }

    #[test]
    fn removing_an_import_restores_the_figures_from_before_it() {
        let mut store = Store::open_in_memory().expect("store");
        let september = import(&mut store, "export_september.xlsx");
        let after_september = figures(&store);
        let october = import(&mut store, "export_october.xlsx");
        let after_october = figures(&store);
        assert_ne!(after_september, after_october);

        store.remove_import(october.id).expect("remove");
        assert_eq!(figures(&store), after_september, "October's progress is gone again");
        assert_eq!(store.imports().expect("imports").len(), 1);

        let october = import(&mut store, "export_october.xlsx");
        assert_eq!(figures(&store), after_october);
        store.remove_import(september.id).expect("remove");
        assert_eq!(figures(&store), after_october, "October holds every lead September had");
        store.remove_import(october.id).expect("remove");
        assert!(figures(&store).is_empty());
        assert!(matches!(store.remove_import(october.id), Err(StoreError::NoSuchImport(_))));
    }

    #[test]
    fn row_issues_are_kept_and_all_data_can_be_deleted() {
        let mut store = Store::open_in_memory().expect("store");
        let record = import(&mut store, "export_1252.csv");
        let issues = store.import_issues(record.id).expect("issues");
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].to_string(), "sheet CSV, row 7, column Datum: \"31-11-2023\" is not a date");
        store.set_norm(0.15).expect("norm");
        store.delete_all_data().expect("delete");
        assert!(store.imports().expect("imports").is_empty());
        assert!(figures(&store).is_empty());
        assert_eq!(store.settings().expect("settings").norm, 0.15, "settings stay");
        import(&mut store, "export_1252.csv");
        assert_eq!(store.imports().expect("imports").len(), 1, "the same file can be imported again");
    }

    #[test]
    fn settings_change_the_figures_at_once() {
        let mut store = Store::open_in_memory().expect("store");
        import(&mut store, "export_october.xlsx");
        let report =
            |store: &Store| crate::metrics::report(store, crate::model::Dimension::Source, crate::metrics::Period::ALL).expect("report");
        assert_eq!((report(&store).total.leads, report(&store).passive_leads), (15, 0));
        store.set_source_class("WEB", Some(true)).expect("class");
        assert_eq!((report(&store).total.leads, report(&store).passive_leads), (0, 15));
        store.set_source_class("web", None).expect("class");
        assert_eq!(report(&store).total.sold, 5);
        let words = StatusWords { sold: vec![], lost: vec![] };
        store.set_status_words(&StatusWords { sold: vec!["Open".into()], lost: vec![] }).expect("words");
        assert_eq!(report(&store).total.sold, 5 + 7, "\"Open\" now counts as sold");
        store.set_status_words(&words).expect("words");
        assert_eq!(report(&store).total.sold, 5);
    }

    #[test]
    fn merged_sources_count_as_one() {
        let mut store = Store::open_in_memory().expect("store");
        import(&mut store, "../samples/leads_q3_2023.xlsx");
        let report =
            |store: &Store| crate::metrics::report(store, crate::model::Dimension::Source, crate::metrics::Period::ALL).expect("report");
        let before = report(&store);
        let rate_of =
            |report: &crate::metrics::Report, name: &str| report.groups.iter().find(|g| g.name.as_deref() == Some(name)).map(|g| g.rate);
        let (website, facebook) =
            (rate_of(&before, "Website formulier").expect("Website"), rate_of(&before, "Facebook Lead Ads").expect("Facebook"));
        store.set_source_alias("facebook lead ads", Some("WEBSITE  formulier")).expect("alias");
        let merged = report(&store);
        assert_eq!(rate_of(&merged, "Facebook Lead Ads"), None);
        let both = rate_of(&merged, "Website formulier").expect("Website");
        assert_eq!((both.leads, both.sold), (website.leads + facebook.leads, website.sold + facebook.sold));
        assert_eq!(merged.total, before.total);
        let sources = store.sources().expect("sources");
        let entry = sources.iter().find(|s| s.name == "Facebook Lead Ads").expect("listed");
        assert_eq!((entry.leads, entry.merged_into.as_deref()), (facebook.leads, Some("Website formulier")));
        assert!(matches!(store.set_source_alias("website formulier", Some("website formulier")), Err(StoreError::InvalidAlias(..))));
        assert!(
            matches!(store.set_source_alias("website formulier", Some("facebook lead ads")), Err(StoreError::InvalidAlias(..))),
            "no chains"
        );
        store.set_source_alias("Facebook Lead Ads", None).expect("apart again");
        assert_eq!(report(&store), before);
    }

    #[test]
    fn a_store_of_the_first_schema_opens_with_its_data() {
        let dir = std::env::temp_dir().join(format!("dertien-schema-1-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("dertien.db");
        std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/stores/schema-1.db"), &path).expect("copy");
        let mut store = Store::open(&path).expect("an older store opens");
        let version: i64 = store.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
        assert_eq!(version, MIGRATIONS.len() as i64);
        assert_eq!(store.settings().expect("settings").norm, 0.15, "its settings stay");
        let report = crate::metrics::report(&store, crate::model::Dimension::Source, crate::metrics::Period::ALL).expect("report");
        assert_eq!((report.total.leads, report.total.sold, report.passive_leads), (2400, 293, 100), "its leads stay");
        assert_eq!(store.imports().expect("imports").len(), 1);
        store.set_source_alias("Showroom", Some("Website")).expect("the new schema works");
        let again = import(&mut store, "../samples/leadrapport_oktober.xlsx");
        assert_eq!(again.id, 1, "the same file is known as imported");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn norm_is_a_setting_with_a_default() {
        let mut store = Store::open_in_memory().expect("store");
        assert_eq!(store.settings().expect("settings").norm, 0.13);
        store.set_norm(0.15).expect("set");
        assert_eq!(store.settings().expect("settings").norm, 0.15);
        assert!(matches!(store.set_norm(1.3), Err(StoreError::InvalidNorm(_))));
    }
}
