//! Writing an import: one transaction from the first lead to the rollup.
//! Dropping an `ImportWriter` without `commit` rolls everything back.

use rustc_hash::FxHashMap as FastMap;

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
    tx: Transaction<'a>,
    import_id: i64,
    /// text -> spelling id, per field (`Field as usize - 1`).
    spellings: [FastMap<String, i64>; 8],
    classifier: Classifier,
    tally: Tally,
    /// Leads of this import that were stored before: the import they were
    /// current in, and whether this import changes them.
    earlier: FastMap<[u8; 16], (i64, bool)>,
    new_leads: u64,
    /// With a store that held no leads, the identities this import stored:
    /// the only ones that can exist, so the store need not be asked.
    fresh: Option<FastMap<[u8; 16], ()>>,
}

const FIELDS: [Field; 8] =
    [Field::Source, Field::Salesperson, Field::Branch, Field::Status, Field::Brand, Field::Model, Field::LeadType, Field::Agent];

/// `identity, import_id` and the version's columns, as parameters 1 to 17.
fn version_params<'p>(identity: &'p [u8; 16], import: &'p i64, v: &'p Version) -> [&'p dyn rusqlite::ToSql; 17] {
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
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
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
            import_id,
            spellings: Default::default(),
            classifier,
            tally: Tally::default(),
            earlier: FastMap::default(),
            new_leads: 0,
            fresh: store_was_empty.then(FastMap::default),
        })
    }

    /// Stores a batch of leads and makes them current; a later lead with the
    /// same identity replaces an earlier one of the same import (the later
    /// row wins). The derived tables follow at `commit`.
    pub fn add(&mut self, leads: &[Lead]) -> Result<(), StoreError> {
        for lead in leads {
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
        let import = self.import_id;
        let known = match &self.fresh {
            Some(stored) if !stored.contains_key(identity) => None,
            _ => self.current(identity)?,
        };
        match known {
            None => {
                let sql = format!("INSERT INTO lead (identity, import_id, {VERSION_COLUMNS}) VALUES ({PLACES})");
                self.tx.prepare_cached(&sql)?.execute(version_params(identity, &import, version).as_slice())?;
                self.new_leads += 1;
                if let Some(stored) = self.fresh.as_mut() {
                    stored.insert(*identity, ());
                }
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

    /// Records the import with its counts (new / updated / unchanged against
    /// the values the leads had), brings the derived tables up to date and
    /// commits.
    pub fn commit(self, summary: ImportSummary, issues: &[RowIssue]) -> Result<ImportRecord, StoreError> {
        let ImportWriter { tx, import_id: id, tally, earlier, new_leads, fresh, .. } = self;
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
        tally.apply(&tx, fresh.is_some())?;
        let record = tx.query_row(&format!("{} WHERE id = ?1", super::IMPORT_SELECT), [id], super::import_record)?;
        tx.commit()?;
        Ok(record)
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
