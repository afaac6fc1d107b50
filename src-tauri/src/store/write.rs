//! Writing an import: one transaction from the first lead to the rollup.
//! Dropping an `ImportWriter` without `commit` rolls everything back.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::{now, rollup, ImportRecord, StoreError};
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
    spellings: HashMap<(u8, String), i64>,
}

const INSERT_VERSION: &str = "INSERT OR REPLACE INTO lead_version (lead_id, import_id, created, first_contact, sale_date,
    source, salesperson, branch, status, brand, model, lead_type, kind, sold_flag, has_phone, response)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";

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
        Ok(ImportWriter { tx, import_id, spellings: HashMap::new() })
    }

    /// Stores a batch of leads; a later lead with the same identity replaces
    /// an earlier one of the same import (the later row wins).
    pub fn add(&mut self, leads: &[Lead]) -> Result<(), StoreError> {
        for lead in leads {
            let names = [
                (Field::Source, &lead.source),
                (Field::Salesperson, &lead.salesperson),
                (Field::Branch, &lead.branch),
                (Field::Status, &lead.status),
                (Field::Brand, &lead.brand),
                (Field::Model, &lead.model),
                (Field::LeadType, &lead.lead_type),
            ];
            let mut ids = [None; 7];
            for (slot, (field, text)) in names.into_iter().enumerate() {
                if let Some(text) = text {
                    ids[slot] = Some(self.spelling(field, text)?);
                }
            }
            let lead_id = self.lead_id(&lead.identity)?;
            let mut insert = self.tx.prepare_cached(INSERT_VERSION)?;
            insert.execute(params![
                lead_id,
                self.import_id,
                lead.created,
                lead.first_contact,
                lead.sale_date,
                ids[0],
                ids[1],
                ids[2],
                ids[3],
                ids[4],
                ids[5],
                ids[6],
                LeadKind::code(lead.kind),
                lead.sold_flag,
                lead.has_phone,
                lead.response.code(),
            ])?;
        }
        Ok(())
    }

    fn lead_id(&self, identity: &[u8; 16]) -> Result<i64, StoreError> {
        let mut insert = self.tx.prepare_cached("INSERT INTO lead (identity) VALUES (?1) ON CONFLICT (identity) DO NOTHING")?;
        if insert.execute([&identity[..]])? == 1 {
            return Ok(self.tx.last_insert_rowid());
        }
        let mut select = self.tx.prepare_cached("SELECT id FROM lead WHERE identity = ?1")?;
        Ok(select.query_row([&identity[..]], |r| r.get(0))?)
    }

    fn spelling(&mut self, field: Field, text: &str) -> Result<i64, StoreError> {
        let field_code = field as u8;
        if let Some(&id) = self.spellings.get(&(field_code, text.to_owned())) {
            return Ok(id);
        }
        let key = name_key(text);
        self.tx.execute(
            "INSERT INTO name (field, key, display) VALUES (?1, ?2, ?3) ON CONFLICT (field, key) DO NOTHING",
            params![field_code, key, text],
        )?;
        let name_id: i64 = self.tx.query_row("SELECT id FROM name WHERE field = ?1 AND key = ?2", params![field_code, key], |r| r.get(0))?;
        self.tx.execute(
            "INSERT INTO spelling (name_id, text) VALUES (?1, ?2) ON CONFLICT (name_id, text) DO NOTHING",
            params![name_id, text],
        )?;
        let id: i64 = self.tx.query_row("SELECT id FROM spelling WHERE name_id = ?1 AND text = ?2", params![name_id, text], |r| r.get(0))?;
        self.spellings.insert((field_code, text.to_owned()), id);
        Ok(id)
    }

    /// Counts new / updated / unchanged leads against the values they had,
    /// makes this import their current version, rebuilds the rollup and
    /// commits.
    pub fn commit(self, summary: ImportSummary, issues: &[RowIssue]) -> Result<ImportRecord, StoreError> {
        let tx = self.tx;
        let id = self.import_id;
        let (leads, new, updated): (u64, u64, u64) = tx.query_row(
            "SELECT COUNT(*),
                    COALESCE(SUM(l.current_import IS NULL), 0),
                    COALESCE(SUM(l.current_import IS NOT NULL AND NOT (
                        v.created IS p.created AND v.first_contact IS p.first_contact AND v.sale_date IS p.sale_date
                        AND v.source IS p.source AND v.salesperson IS p.salesperson AND v.branch IS p.branch
                        AND v.status IS p.status AND v.brand IS p.brand AND v.model IS p.model
                        AND v.lead_type IS p.lead_type AND v.kind IS p.kind AND v.sold_flag IS p.sold_flag
                        AND v.has_phone IS p.has_phone AND v.response IS p.response)), 0)
             FROM lead_version v
             JOIN lead l ON l.id = v.lead_id
             LEFT JOIN lead_version p ON p.lead_id = v.lead_id AND p.import_id = l.current_import
             WHERE v.import_id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        tx.execute(
            "UPDATE lead SET current_import = ?1 WHERE id IN (SELECT lead_id FROM lead_version WHERE import_id = ?1)",
            [id],
        )?;
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
                leads,
                new,
                updated,
                leads - new - updated,
                summary.issue_count,
                summary.notes.join("\n"),
            ],
        )?;
        rollup::rebuild(&tx)?;
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
