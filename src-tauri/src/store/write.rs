//! Writing an import: one transaction from the first lead to the rollup.
//! Dropping an `ImportWriter` without `commit` rolls everything back.

use crate::fxhash::FastMap;

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::rollup::{self, Classifier, Tally, Version, VERSION_COLUMNS};
use super::{now, ImportRecord, StoreError};
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

/// The name fields of `lead_version`, in `name.field` codes.
#[derive(Clone, Copy)]
pub(crate) enum Field {
    Source = 1,
    Salesperson = 2,
    Branch = 3,
    Status = 4,
    Brand = 5,
    Model = 6,
    LeadType = 7,
}

pub struct ImportWriter<'a> {
    tx: Transaction<'a>,
    import_id: i64,
    /// text -> spelling id, per field (`Field as usize - 1`).
    spellings: [FastMap<String, i64>; 7],
    classifier: Classifier,
    tally: Tally,
    /// Leads of this import that were stored before: the import they were
    /// current in, and whether this import changes them.
    earlier: FastMap<i64, (i64, bool)>,
    new_leads: u64,
    /// Identities this import stored; the only ones that can exist when the
    /// store held no leads before (then the store need not be asked).
    stored: FastMap<[u8; 16], i64>,
    store_was_empty: bool,
}

const INSERT_VERSION: &str = "INSERT OR REPLACE INTO lead_version (lead_id, import_id, created, first_contact, sale_date,
    source, salesperson, branch, status, brand, model, lead_type, kind, sold_flag, has_phone, response)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";

const FIELDS: [Field; 7] = [Field::Source, Field::Salesperson, Field::Branch, Field::Status, Field::Brand, Field::Model, Field::LeadType];

impl<'a> ImportWriter<'a> {
    pub(super) fn begin(conn: &'a mut Connection, new: NewImport) -> Result<Self, StoreError> {
        let tx = conn.transaction()?;
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
            stored: FastMap::default(),
            store_was_empty,
        })
    }

    /// Stores a batch of leads and makes them current; a later lead with the
    /// same identity replaces an earlier one of the same import (the later
    /// row wins). The derived tables follow at `commit`.
    pub fn add(&mut self, leads: &[Lead]) -> Result<(), StoreError> {
        for lead in leads {
            let texts = [&lead.source, &lead.salesperson, &lead.branch, &lead.status, &lead.brand, &lead.model, &lead.lead_type];
            let mut names = [None; 7];
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
                response: lead.response.code(),
            };
            self.store(&lead.identity, &version)?;
        }
        Ok(())
    }

    fn store(&mut self, identity: &[u8; 16], version: &Version) -> Result<(), StoreError> {
        let import = self.import_id;
        let existing: Option<(i64, Option<i64>)> = match self.stored.get(identity) {
            Some(&id) => Some((id, Some(import))),
            None if self.store_was_empty => None,
            None => self
                .tx
                .prepare_cached("SELECT id, current_import FROM lead WHERE identity = ?1")?
                .query_row([&identity[..]], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?,
        };
        let lead_id = match existing {
            None => {
                self.tx.prepare_cached("INSERT INTO lead (identity, current_import) VALUES (?1, ?2)")?.execute(params![&identity[..], import])?;
                self.new_leads += 1;
                let id = self.tx.last_insert_rowid();
                self.stored.insert(*identity, id);
                id
            }
            Some((id, current)) => {
                // What this version replaces: the lead as it stood, or an
                // earlier row of this same file.
                let current = current.unwrap_or(import);
                let replaced = self.version(id, current)?;
                if let Some(replaced) = &replaced {
                    self.tally.count(&self.classifier, replaced, current, -1);
                }
                if current != import {
                    self.tx.prepare_cached("UPDATE lead SET current_import = ?2 WHERE id = ?1")?.execute(params![id, import])?;
                    self.earlier.insert(id, (current, replaced.as_ref() != Some(version)));
                } else if let Some(&(before, _)) = self.earlier.get(&id) {
                    let changed = self.version(id, before)?.as_ref() != Some(version);
                    self.earlier.insert(id, (before, changed));
                }
                id
            }
        };
        let n = &version.names;
        self.tx.prepare_cached(INSERT_VERSION)?.execute(params![
            lead_id, import, version.created, version.first_contact, version.sale_date,
            n[0], n[1], n[2], n[3], n[4], n[5], n[6],
            version.kind, version.sold_flag, version.has_phone, version.response,
        ])?;
        self.tally.count(&self.classifier, version, import, 1);
        Ok(())
    }

    fn version(&self, lead: i64, import: i64) -> Result<Option<Version>, StoreError> {
        let sql = format!("SELECT {VERSION_COLUMNS} FROM lead_version WHERE lead_id = ?1 AND import_id = ?2");
        Ok(self.tx.prepare_cached(&sql)?.query_row(params![lead, import], |r| Version::from_row(r, 0)).optional()?)
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
        let ImportWriter { tx, import_id: id, tally, earlier, new_leads, .. } = self;
        let updated = earlier.values().filter(|(_, changed)| *changed).count() as u64;
        let unchanged = earlier.len() as u64 - updated;
        {
            let mut insert = tx.prepare("INSERT INTO import_issue (import_id, sheet, row, column_name, message) VALUES (?1, ?2, ?3, ?4, ?5)")?;
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
        tally.apply(&tx)?;
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
    tx.execute("DELETE FROM lead_version WHERE import_id = ?1", [id])?;
    tx.execute(
        "UPDATE lead SET current_import = (SELECT MAX(import_id) FROM lead_version WHERE lead_id = lead.id)
         WHERE current_import = ?1",
        [id],
    )?;
    tx.execute("DELETE FROM lead WHERE current_import IS NULL", [])?;
    tx.execute("DELETE FROM import WHERE id = ?1", [id])?;
    rollup::rebuild(&tx)?;
    tx.commit()?;
    Ok(())
}
