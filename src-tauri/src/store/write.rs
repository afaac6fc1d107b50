//! Writing an import: one transaction from the first lead to the rollup.
//! Dropping an `ImportWriter` without `commit` rolls everything back.

use rustc_hash::{FxHashMap as FastMap, FxHashSet as FastSet};

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::rollup::{self, Classifier, Tally, Version, VERSION_COLUMNS};
use super::{now, Field, ImportRecord, StoreError};
use crate::model::{name_key, Lead, LeadKind, RowIssue};

pub struct NewImport {
    pub file_name: String,
    pub content_hash: String,
}

/// What the reader found, besides the leads.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportSummary {
    pub sheets: Vec<String>,
    pub rows_read: u64,
    pub notes: Vec<String>,
    pub issue_count: u64,
    /// A mapping the user made, to remember for this header layout (signature, role = column).
    pub mapping: Option<(String, Vec<(String, String)>)>,
}

pub struct ImportWriter<'a> {
    /// Declared before `_checks_after`: fields drop in order, so the
    /// transaction has ended (committed or rolled back) when the foreign
    /// keys are switched back on, which SQLite ignores inside one.
    tx: Transaction<'a>,
    _checks_after: ForeignKeysOff<'a>,
    import_id: i64,
    /// text -> spelling id, per field (`Field as usize - 1`).
    spellings: [FastMap<String, i64>; 8],
    classifier: Classifier,
    tally: Tally,
    /// Leads of this import that were stored before: the import they were
    /// current in, and whether this import changes them.
    earlier: FastMap<[u8; 16], (i64, bool)>,
    new_leads: u64,
    /// With a store that held no leads, this import's leads gathered since
    /// the last run began, in row order: the only ones that can exist, so
    /// the store need not be asked. They are written in runs (`Run`).
    fresh: Option<Vec<PendingLead>>,
    /// The run being written, a part after each batch.
    run: Option<Run>,
    /// The identities of the runs begun so far: a later row of one of those
    /// leads replaces it as in a store that held it.
    written: FastSet<u128>,
    /// How far the reader must be through the rows (`read_so_far`) for the
    /// next run to begin.
    next_run_at: f64,
    /// The first and last creation time among the import's leads.
    created: Option<(i64, i64)>,
}

const FIELDS: [Field; 8] =
    [Field::Source, Field::Salesperson, Field::Branch, Field::Status, Field::Brand, Field::Model, Field::LeadType, Field::Agent];

/// A stored lead's columns: `identity, import_id` and the version's.
const LEAD_COLUMNS: usize = 17;

/// `identity, import_id` and the version's columns, as parameters 1 to 17.
fn version_params<'p>(identity: &'p [u8; 16], import: &'p i64, v: &'p Version) -> [&'p dyn rusqlite::ToSql; LEAD_COLUMNS] {
    let n = &v.names;
    [
        identity as &dyn rusqlite::ToSql,
        import,
        &v.created,
        &v.first_contact,
        &v.sale_date,
        &n[0],
        &n[1],
        &n[2],
        &n[3],
        &n[4],
        &n[5],
        &n[6],
        &v.kind,
        &v.sold_flag,
        &v.has_phone,
        &v.response,
        &n[7],
    ]
}

/// The stored `response` of a lead whose report has no first-contact column.
pub(crate) const NOT_RECORDED: i64 = 6;

const PLACES: &str = "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17";

impl<'a> ImportWriter<'a> {
    pub(super) fn begin(conn: &'a mut Connection, new: NewImport) -> Result<Self, StoreError> {
        // Immediate: another process's import makes this one wait (the busy
        // timeout) at the start, rather than fail when it first writes.
        let conn: &'a Connection = conn;
        let checks_after = ForeignKeysOff::new(conn)?;
        let tx = Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO import (file_name, content_hash, imported_at, sheets, rows_read, leads, leads_new,
                leads_updated, leads_unchanged, passive_leads, issue_count, notes)
             VALUES (?1, ?2, ?3, '', 0, 0, 0, 0, 0, 0, 0, '')",
            params![new.file_name, new.content_hash, now()],
        )?;
        let import_id = tx.last_insert_rowid();
        let classifier = Classifier::load(&tx)?;
        let store_was_empty: bool = tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM lead)", [], |r| r.get(0))?;
        Ok(ImportWriter {
            tx,
            _checks_after: checks_after,
            import_id,
            spellings: Default::default(),
            classifier,
            tally: Tally::default(),
            earlier: FastMap::default(),
            new_leads: 0,
            fresh: store_was_empty.then(Vec::new),
            run: None,
            written: FastSet::default(),
            next_run_at: 0.5,
            created: None,
        })
    }

    /// Stores a batch of leads and makes them current; a later lead with the
    /// same identity replaces an earlier one of the same import (the later
    /// row wins). The derived tables follow at `commit`.
    pub fn add(&mut self, leads: &[Lead]) -> Result<(), StoreError> {
        for lead in leads {
            if let Some(at) = lead.created {
                self.created = Some(self.created.map_or((at, at), |(first, last)| (first.min(at), last.max(at))));
            }
            let texts =
                [&lead.source, &lead.salesperson, &lead.branch, &lead.status, &lead.brand, &lead.model, &lead.lead_type, &lead.agent];
            let mut names = [None; 8];
            for (slot, text) in texts.into_iter().enumerate() {
                if let Some(text) = text {
                    names[slot] = Some(self.spelling(slot, text)?);
                }
            }
            let version = Version {
                created: lead.created,
                first_contact: lead.first_contact,
                sale_date: lead.sale_date,
                names,
                kind: LeadKind::code(lead.kind),
                sold_flag: lead.sold_flag,
                has_phone: lead.has_phone,
                // 6: no first-contact column, so unknown rather than unanswered.
                response: if lead.contact_recorded { lead.response.code() } else { NOT_RECORDED },
            };
            self.store(&lead.identity, &version)?;
        }
        Ok(())
    }

    fn store(&mut self, identity: &[u8; 16], version: &Version) -> Result<(), StoreError> {
        if let Some(fresh) = self.fresh.as_mut() {
            if let Some(pending) = PendingLead::pack(identity, fresh.len(), version) {
                fresh.push(pending);
                self.tally.count(&self.classifier, version, self.import_id, 1);
                return Ok(());
            }
        }
        // A value too large to keep packed: the leads so far go to the
        // store, and this import goes on as into a store with leads.
        self.write_gathered()?;
        self.insert_or_replace(identity, version)
    }

    /// Stores a lead as the store's current one: new, or replacing the one
    /// it holds (whose values go into the history, for removing this import).
    fn insert_or_replace(&mut self, identity: &[u8; 16], version: &Version) -> Result<(), StoreError> {
        let import = self.import_id;
        let known = self.current(identity)?;
        match known {
            None => {
                let sql = format!("INSERT INTO lead (identity, import_id, {VERSION_COLUMNS}) VALUES ({PLACES})");
                self.tx.prepare_cached(&sql)?.execute(version_params(identity, &import, version).as_slice())?;
                self.new_leads += 1;
            }
            Some((current, replaced)) => {
                self.tally.count(&self.classifier, &replaced, current, -1);
                if current != import {
                    // The lead as it stood goes into the history, for removing this import.
                    let sql = format!("INSERT INTO lead_history (identity, import_id, {VERSION_COLUMNS}) VALUES ({PLACES})");
                    self.tx.prepare_cached(&sql)?.execute(version_params(identity, &current, &replaced).as_slice())?;
                    self.earlier.insert(*identity, (current, replaced != *version));
                } else if let Some(&(before, _)) = self.earlier.get(identity) {
                    // A later row of this file: compared with the import before, again.
                    let changed = self.history(identity, before)?.as_ref() != Some(version);
                    self.earlier.insert(*identity, (before, changed));
                }
                let assignments: Vec<String> = VERSION_COLUMNS.split(", ").enumerate().map(|(i, c)| format!("{c} = ?{}", i + 3)).collect();
                let sql = format!("UPDATE lead SET import_id = ?2, {} WHERE identity = ?1", assignments.join(", "));
                self.tx.prepare_cached(&sql)?.execute(version_params(identity, &import, version).as_slice())?;
            }
        }
        self.tally.count(&self.classifier, version, import, 1);
        Ok(())
    }

    /// The lead's current import and values, if it is stored.
    fn current(&self, identity: &[u8; 16]) -> Result<Option<(i64, Version)>, StoreError> {
        let sql = format!("SELECT import_id, {VERSION_COLUMNS} FROM lead WHERE identity = ?1");
        let found = self.tx.prepare_cached(&sql)?.query_row([&identity[..]], |r| Ok((r.get(0)?, Version::from_row(r, 1)?)));
        Ok(found.optional()?)
    }

    /// How far the reader is through the import's rows (0.0 to 1.0). A
    /// first import writes the next part of its run, and begins a run of the
    /// leads gathered since the last when the reader is half-way, then each
    /// time what is left to read has halved again: the writing goes on
    /// while the reader reads, and only a few percent of the leads are left
    /// to write after the last row. Runs large at first keep the later
    /// ones, which land between the keys of those before, few.
    pub fn read_so_far(&mut self, fraction: f64) -> Result<(), StoreError> {
        self.write_run_part(RUN_PART)?;
        let Some(gathered) = self.fresh.as_mut() else { return Ok(()) };
        if self.run.is_none() && fraction >= self.next_run_at && gathered.len() >= MIN_RUN {
            let leads = std::mem::take(gathered);
            self.begin_run(leads);
            // A sheet that claims fewer rows than it has is read through at
            // its first rows: then the rest waits for the end.
            self.next_run_at = if fraction < 1.0 { 1.0 - (1.0 - fraction) / 2.0 } else { f64::INFINITY };
        }
        Ok(())
    }

    /// Sorts a run into key order: each lead lands beside the one before, a
    /// fraction of the work of inserting them as they come.
    fn begin_run(&mut self, mut leads: Vec<PendingLead>) {
        let import = self.import_id;
        leads.sort_unstable_by_key(|lead| (lead.key(), lead.order));
        // Of two rows with one identity the later wins (`dedup_by` keeps the
        // earlier place, so the later row moves into it); the count of the
        // row it replaces is taken back.
        leads.dedup_by(|later, earlier| {
            if later.identity != earlier.identity {
                return false;
            }
            self.tally.count(&self.classifier, &earlier.version(), import, -1);
            std::mem::swap(later, earlier);
            true
        });
        // A lead of an earlier run: this later row replaces it there.
        let mut again = Vec::new();
        if !self.written.is_empty() {
            leads.retain(|lead| {
                let written = self.written.contains(&lead.key());
                if written {
                    again.push(*lead);
                }
                !written
            });
        }
        // Only while leads are gathered can a later run follow.
        if self.fresh.is_some() {
            self.written.extend(leads.iter().map(PendingLead::key));
        }
        self.run = Some(Run { leads, done: 0, again });
    }

    /// Writes up to `count` more leads of the run; the run's replacements
    /// of earlier runs' leads when it is written whole.
    fn write_run_part(&mut self, count: usize) -> Result<(), StoreError> {
        let import = self.import_id;
        let Some(run) = self.run.as_mut() else { return Ok(()) };
        let end = run.done.saturating_add(count).min(run.leads.len());
        // One statement per 32 leads, found in the cache once per part and
        // bound value by value: a statement per lead, or a lookup and a
        // parameter list per statement, were a fifth of this loop.
        static FULL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let mut full = self.tx.prepare_cached(FULL.get_or_init(|| insert_leads(ROWS_PER_INSERT)))?;
        for chunk in run.leads[run.done..end].chunks(ROWS_PER_INSERT) {
            if chunk.len() == ROWS_PER_INSERT {
                insert_chunk(&mut full, chunk, import)?;
            } else {
                insert_chunk(&mut self.tx.prepare(&insert_leads(chunk.len()))?, chunk, import)?;
            }
        }
        drop(full);
        run.done = end;
        if end < run.leads.len() {
            return Ok(());
        }
        let Some(Run { leads, again, .. }) = self.run.take() else { return Ok(()) };
        self.new_leads += leads.len() as u64;
        for lead in again {
            let version = lead.version();
            // Counted when it was read, and again by `insert_or_replace`.
            self.tally.count(&self.classifier, &version, import, -1);
            self.insert_or_replace(&lead.identity, &version)?;
        }
        Ok(())
    }

    /// Writes the run begun and the leads gathered since, whole; no later
    /// leads are gathered.
    fn write_gathered(&mut self) -> Result<(), StoreError> {
        self.write_run_part(usize::MAX)?;
        if let Some(leads) = self.fresh.take() {
            self.begin_run(leads);
            self.write_run_part(usize::MAX)?;
        }
        Ok(())
    }

    fn history(&self, identity: &[u8; 16], import: i64) -> Result<Option<Version>, StoreError> {
        let sql = format!("SELECT {VERSION_COLUMNS} FROM lead_history WHERE identity = ?1 AND import_id = ?2");
        Ok(self.tx.prepare_cached(&sql)?.query_row(params![&identity[..], import], |r| Version::from_row(r, 0)).optional()?)
    }

    fn spelling(&mut self, slot: usize, text: &str) -> Result<i64, StoreError> {
        if let Some(&id) = self.spellings[slot].get(text) {
            return Ok(id);
        }
        let field = FIELDS[slot];
        let key = name_key(text);
        self.tx.execute(
            "INSERT INTO name (field, key, display) VALUES (?1, ?2, ?3) ON CONFLICT (field, key) DO NOTHING",
            params![field as u8, key, text],
        )?;
        let name_id: i64 =
            self.tx.query_row("SELECT id FROM name WHERE field = ?1 AND key = ?2", params![field as u8, key], |r| r.get(0))?;
        self.tx.execute(
            "INSERT INTO spelling (name_id, text) VALUES (?1, ?2) ON CONFLICT (name_id, text) DO NOTHING",
            params![name_id, text],
        )?;
        let id: i64 =
            self.tx.query_row("SELECT id FROM spelling WHERE name_id = ?1 AND text = ?2", params![name_id, text], |r| r.get(0))?;
        self.classifier.learn_spelling(id, name_id, field, &key);
        self.spellings[slot].insert(text.to_owned(), id);
        Ok(id)
    }

    /// The first and last creation day of the leads added so far.
    pub fn created_days(&self) -> Option<(i64, i64)> {
        self.created.map(|(first, last)| (crate::calendar::day_of(first), crate::calendar::day_of(last)))
    }

    /// Records the import with its counts (new / updated / unchanged against
    /// the values the leads had), brings the derived tables up to date and
    /// commits.
    pub fn commit(self, summary: ImportSummary, issues: &[RowIssue]) -> Result<ImportRecord, StoreError> {
        let mut writer = self;
        let store_was_empty = writer.fresh.is_some();
        writer.write_gathered()?;
        let ImportWriter { tx, import_id: id, tally, earlier, new_leads, .. } = writer;
        let updated = earlier.values().filter(|(_, changed)| *changed).count() as u64;
        let unchanged = earlier.len() as u64 - updated;
        {
            let mut insert =
                tx.prepare("INSERT INTO import_issue (import_id, sheet, row, column_name, message) VALUES (?1, ?2, ?3, ?4, ?5)")?;
            for issue in issues {
                insert.execute(params![id, issue.sheet, issue.row, issue.column, issue.message])?;
            }
        }
        tx.execute(
            "UPDATE import SET sheets = ?2, rows_read = ?3, leads = ?4, leads_new = ?5, leads_updated = ?6,
                leads_unchanged = ?7, issue_count = ?8, notes = ?9 WHERE id = ?1",
            params![
                id,
                summary.sheets.join("\n"),
                summary.rows_read,
                new_leads + updated + unchanged,
                new_leads,
                updated,
                unchanged,
                summary.issue_count,
                summary.notes.join("\n"),
            ],
        )?;
        if let Some((signature, mapping)) = &summary.mapping {
            super::remember_mapping(&tx, signature, mapping)?;
        }
        // A store without leads before has no rollup rows either.
        tally.apply(&tx, store_was_empty)?;
        let record = tx.query_row(&format!("{} WHERE id = ?1", super::IMPORT_SELECT), [id], super::import_record)?;
        tx.commit()?;
        Ok(record)
    }
}

/// Foreign keys off for an import's transaction, on again when it ends.
///
/// A statement that writes many rows and may stop halfway on a constraint
/// keeps a copy of every page it changes (the statement journal), to undo
/// its own rows alone; an immediate foreign key is such a constraint. For
/// a first import's leads, 32 a statement, that copying was a fifth of
/// writing them. An import's rows refer only to its own import and to
/// names and spellings it read or made in the same transaction, and a test
/// checks the keys after imports (`PRAGMA foreign_key_check`); removing an
/// import, which deletes, runs with them on.
struct ForeignKeysOff<'a>(&'a Connection);

impl<'a> ForeignKeysOff<'a> {
    fn new(conn: &'a Connection) -> Result<Self, StoreError> {
        conn.pragma_update(None, "foreign_keys", false)?;
        Ok(ForeignKeysOff(conn))
    }
}

impl Drop for ForeignKeysOff<'_> {
    fn drop(&mut self) {
        // Cannot fail outside a transaction; a failure would leave the
        // keys off only until the store is opened again.
        let _ = self.0.pragma_update(None, "foreign_keys", true);
    }
}

/// A run of a first import's leads, in key order, written a part after
/// each batch of rows (`RUN_PART`), so that the reader does not wait.
struct Run {
    leads: Vec<PendingLead>,
    /// How many are written.
    done: usize,
    /// Rows of leads an earlier run holds: they replace those when this
    /// run is written whole.
    again: Vec<PendingLead>,
}

/// Leads of a run written after each batch of 512 rows: twice as many, so
/// that a run is written while the reader reads half as many rows again.
const RUN_PART: usize = 1024;

/// Fewer leads than this make no run of their own: they wait for the next.
const MIN_RUN: usize = 4096;

/// Rows per statement when a first import writes its leads: one statement
/// per lead would spend much of the time starting and ending statements.
const ROWS_PER_INSERT: usize = 32;

/// `INSERT INTO lead` for `rows` rows of `version_params`.
fn insert_leads(rows: usize) -> String {
    let row = |r: usize| format!("({})", (1..=LEAD_COLUMNS).map(|c| format!("?{}", r * LEAD_COLUMNS + c)).collect::<Vec<_>>().join(", "));
    // `OR FAIL`, not the default `ABORT`: a statement that may stop halfway
    // without undoing its own rows needs no statement journal (see
    // `ForeignKeysOff`). The leads are unique by now; a failure still rolls
    // back the whole import.
    format!(
        "INSERT OR FAIL INTO lead (identity, import_id, {VERSION_COLUMNS}) VALUES {}",
        (0..rows).map(row).collect::<Vec<_>>().join(", ")
    )
}

/// Inserts `leads` with a statement made by `insert_leads(leads.len())`.
fn insert_chunk(statement: &mut rusqlite::Statement<'_>, leads: &[PendingLead], import: i64) -> Result<(), StoreError> {
    for (row, lead) in leads.iter().enumerate() {
        let version = lead.version();
        for (column, value) in version_params(&lead.identity, &import, &version).into_iter().enumerate() {
            statement.raw_bind_parameter(row * LEAD_COLUMNS + column + 1, value)?;
        }
    }
    statement.raw_execute()?;
    Ok(())
}

/// A lead of an import into a store that held none, kept until `commit`:
/// 80 bytes against a `Version`'s 200, so a million leads stay well within
/// the import's memory budget.
#[derive(Clone, Copy)]
struct PendingLead {
    identity: [u8; 16],
    /// The row's place in the import: of two rows with one identity, the later wins.
    order: u32,
    /// created, first contact, sale date; `NONE`: not given.
    dates: [i64; 3],
    /// Spelling ids as in `Version::names`; 0: none (rowids start at 1).
    names: [u32; 8],
    kind: i8,
    response: i8,
    sold_flag: bool,
    has_phone: bool,
}

const _: () = assert!(size_of::<PendingLead>() == 80);

impl PendingLead {
    const NONE: i64 = i64::MIN;

    /// `None` when a value does not fit the packed form.
    fn pack(identity: &[u8; 16], order: usize, version: &Version) -> Option<PendingLead> {
        let date = |d: Option<i64>| match d {
            Some(Self::NONE) => None,
            Some(d) => Some(d),
            None => Some(Self::NONE),
        };
        let mut names = [0u32; 8];
        for (packed, name) in names.iter_mut().zip(version.names) {
            *packed = match name {
                Some(id) => u32::try_from(id).ok().filter(|&id| id != 0)?,
                None => 0,
            };
        }
        Some(PendingLead {
            identity: *identity,
            order: u32::try_from(order).ok()?,
            dates: [date(version.created)?, date(version.first_contact)?, date(version.sale_date)?],
            names,
            kind: i8::try_from(version.kind).ok()?,
            response: i8::try_from(version.response).ok()?,
            sold_flag: version.sold_flag,
            has_phone: version.has_phone,
        })
    }

    /// The identity as one integer, big-endian so that integers sort as
    /// the identities' bytes do: one compare instead of a 16-byte memcmp.
    fn key(&self) -> u128 {
        u128::from_be_bytes(self.identity)
    }

    fn version(&self) -> Version {
        let date = |d: i64| (d != Self::NONE).then_some(d);
        Version {
            created: date(self.dates[0]),
            first_contact: date(self.dates[1]),
            sale_date: date(self.dates[2]),
            names: self.names.map(|id| (id != 0).then_some(i64::from(id))),
            kind: i64::from(self.kind),
            sold_flag: self.sold_flag,
            has_phone: self.has_phone,
            response: i64::from(self.response),
        }
    }
}

pub(super) fn remove_import(conn: &mut Connection, id: i64) -> Result<(), StoreError> {
    let tx = conn.transaction()?;
    let exists = tx.query_row("SELECT 1 FROM import WHERE id = ?1", [id], |_| Ok(())).optional()?;
    if exists.is_none() {
        return Err(StoreError::NoSuchImport(id));
    }
    tx.execute("DELETE FROM lead_history WHERE import_id = ?1", [id])?;
    // Leads this import made current go back to what the newest import
    // before it said, or go, if none did.
    tx.execute(
        &format!(
            "INSERT OR REPLACE INTO lead (identity, import_id, {VERSION_COLUMNS})
             SELECT identity, import_id, {VERSION_COLUMNS} FROM lead_history h
             WHERE h.import_id = (SELECT MAX(import_id) FROM lead_history WHERE identity = h.identity)
               AND EXISTS (SELECT 1 FROM lead l WHERE l.identity = h.identity AND l.import_id = ?1)"
        ),
        [id],
    )?;
    tx.execute(
        "DELETE FROM lead_history WHERE EXISTS
            (SELECT 1 FROM lead l WHERE l.identity = lead_history.identity AND l.import_id = lead_history.import_id)",
        [],
    )?;
    tx.execute("DELETE FROM lead WHERE import_id = ?1", [id])?;
    tx.execute("DELETE FROM import WHERE id = ?1", [id])?;
    rollup::rebuild(&tx)?;
    tx.commit()?;
    Ok(())
}
