//! The lead table's values packed into the store (`lead_pack`, schema 5):
//! loading a million leads row by row, each decoded column by column, takes
//! a third of a second; reading the same values as 32 MB in a few dozen
//! large values takes a few milliseconds (README, "Benchmark").
//!
//! Derived and lazy: the first reader after a change packs what it read
//! (`table::load`), later readers unpack it. A pack holds the values before
//! the settings classify them (spelling ids, the lead kind, the sale flag),
//! so a setting change keeps it: unpacking classifies by the settings in
//! force. It names the leads' generation (`meta.lead_generation`, counted up
//! by schema 5's triggers with every import added or removed, the only
//! writes to `lead`), this format and this program's version; a pack that
//! differs in any of them, or is not whole, is never read.

use std::time::Duration;

use rusqlite::{Connection, OptionalExtension};

use super::rollup::{SpellingClass, Version};
use super::table::{self, TableRow};
use super::StoreError;
use crate::model::LeadKind;

/// Bytes a lead: day, minutes, five spelling ids, response, kind, flags, one spare.
const RECORD: usize = 32;
/// Leads a chunk: 1 MB values, so neither side holds two copies of the whole pack.
const CHUNK_LEADS: usize = 32_768;
/// What a pack's bytes mean; count up when they change.
const FORMAT: u32 = 1;

/// One lead's values before the settings classify it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Packed {
    /// Creation day (days since 1970), `i32::MIN` when undated.
    pub day: i32,
    /// Whole minutes from creation to first contact, `i32::MIN` when unanswered.
    pub minutes: i32,
    /// Source, salesperson, branch, status and agent `spelling` ids; 0: none.
    pub spellings: [u32; 5],
    /// The stored response code, as the lead table keeps it.
    pub response: i8,
    pub kind: Option<LeadKind>,
    pub sold_flag: bool,
    pub has_phone: bool,
}

impl Packed {
    /// The values the lead table takes from a stored version; `None` when a
    /// spelling id does not fit the pack (the table is then read row by row).
    pub fn of(version: &Version) -> Option<Packed> {
        let mut spellings = [0; 5];
        for (slot, name) in spellings.iter_mut().zip([0, 1, 2, 3, 7].map(|i| version.names[i])) {
            if let Some(id) = name {
                *slot = u32::try_from(id).ok().filter(|id| *id != 0)?;
            }
        }
        let (day, minutes, response) = table::timing(version);
        Some(Packed {
            day,
            minutes,
            response,
            spellings,
            kind: LeadKind::from_code(version.kind),
            sold_flag: version.sold_flag,
            has_phone: version.has_phone,
        })
    }

    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.day.to_le_bytes());
        out.extend_from_slice(&self.minutes.to_le_bytes());
        for id in self.spellings {
            out.extend_from_slice(&id.to_le_bytes());
        }
        let kind = LeadKind::code(self.kind) as u8;
        out.extend_from_slice(&[self.response as u8, kind, u8::from(self.sold_flag) | u8::from(self.has_phone) << 1, 0]);
    }

    fn read(bytes: &[u8; RECORD]) -> Packed {
        let word = |at: usize| [bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]];
        Packed {
            day: i32::from_le_bytes(word(0)),
            minutes: i32::from_le_bytes(word(4)),
            spellings: [8, 12, 16, 20, 24].map(|at| u32::from_le_bytes(word(at))),
            response: bytes[28] as i8,
            kind: LeadKind::from_code(i64::from(bytes[29])),
            sold_flag: bytes[30] & 1 != 0,
            has_phone: bytes[30] & 2 != 0,
        }
    }
}

/// A pack being made while the leads are read row by row.
#[derive(Default)]
pub(super) struct Packing {
    chunks: Vec<Vec<u8>>,
    leads: usize,
}

impl Packing {
    pub fn add(&mut self, lead: &Packed) {
        if self.leads.is_multiple_of(CHUNK_LEADS) {
            self.chunks.push(Vec::with_capacity(CHUNK_LEADS * RECORD));
        }
        if let Some(chunk) = self.chunks.last_mut() {
            lead.write(chunk);
        }
        self.leads += 1;
    }
}

/// The leads' generation; `None` in a store whose schema has none.
pub(super) fn generation(conn: &Connection) -> Result<Option<i64>, StoreError> {
    Ok(conn.query_row("SELECT value FROM meta WHERE key = 'lead_generation'", [], |r| r.get(0)).optional()?)
}

/// What `meta.lead_pack` says of a pack made at `generation`, before its
/// count of leads ("...; 1000 leads").
fn label(generation: i64) -> String {
    format!("generation {generation}, format {FORMAT}, dertien {}", env!("CARGO_PKG_VERSION"))
}

/// Appends every packed lead to `rows`, classified by `classes`, in the
/// order they were packed, if the store holds a whole pack of `generation`
/// in this format; `false` when it does not, and then `rows` is to be
/// thrown away.
pub(super) fn unpack(conn: &Connection, generation: i64, classes: &[SpellingClass], rows: &mut Vec<TableRow>) -> Result<bool, StoreError> {
    let Some(said) = conn.query_row("SELECT value FROM meta WHERE key = 'lead_pack'", [], |r| r.get::<_, String>(0)).optional()? else {
        return Ok(false);
    };
    let counted = said.strip_prefix(&label(generation)).and_then(|rest| rest.strip_prefix("; ")?.strip_suffix(" leads")?.parse().ok());
    let Some(counted) = counted else {
        return Ok(false);
    };
    rows.reserve(counted);
    let mut leads: usize = 0;
    let mut statement = conn.prepare("SELECT bytes FROM lead_pack ORDER BY chunk")?;
    let mut chunks = statement.query([])?;
    while let Some(chunk) = chunks.next()? {
        let bytes = chunk.get_ref(0)?.as_blob().map_err(rusqlite::Error::from)?;
        if !bytes.len().is_multiple_of(RECORD) {
            return Ok(false);
        }
        for record in bytes.chunks_exact(RECORD) {
            if let Ok(record) = <&[u8; RECORD]>::try_from(record) {
                rows.push(TableRow::classified(&Packed::read(record), classes));
                leads += 1;
            }
        }
    }
    Ok(leads == counted)
}

/// Stores `packing` as the pack of `generation`, in the caller's read
/// transaction: if another connection has written since it began, or is
/// writing now, or the store cannot be written, this fails at once (no
/// busy wait) and the caller drops the pack; the next reader makes it.
pub(super) fn store(conn: &Connection, generation: i64, packing: &Packing) -> Result<(), StoreError> {
    conn.busy_timeout(Duration::ZERO)?;
    let written = write(conn, generation, packing);
    conn.busy_timeout(super::BUSY_TIMEOUT)?;
    written
}

fn write(conn: &Connection, generation: i64, packing: &Packing) -> Result<(), StoreError> {
    conn.execute("DELETE FROM lead_pack", [])?;
    let mut insert = conn.prepare("INSERT INTO lead_pack (chunk, bytes) VALUES (?1, ?2)")?;
    for (number, chunk) in packing.chunks.iter().enumerate() {
        insert.execute(rusqlite::params![number as i64, chunk])?;
    }
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('lead_pack', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [format!("{}; {} leads", label(generation), packing.leads)],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lead_reads_back_as_it_was_packed() {
        let leads = [
            Packed {
                day: 19_700,
                minutes: 12,
                spellings: [1, 2, 3, 4, 5],
                response: 2,
                kind: Some(LeadKind::Passive),
                sold_flag: true,
                has_phone: false,
            },
            Packed { day: i32::MIN, minutes: i32::MIN, spellings: [0; 5], response: 6, kind: None, sold_flag: false, has_phone: true },
            Packed {
                day: -3,
                minutes: i32::MAX,
                spellings: [u32::MAX, 0, 7, 0, 9],
                response: -1,
                kind: Some(LeadKind::Active),
                sold_flag: true,
                has_phone: true,
            },
        ];
        for lead in leads {
            let mut bytes = Vec::new();
            lead.write(&mut bytes);
            let record: &[u8; RECORD] = bytes.as_slice().try_into().expect("one record");
            assert_eq!(Packed::read(record), lead);
        }
    }

    #[test]
    fn a_spelling_id_beyond_the_pack_leaves_the_lead_unpacked() {
        let version = Version {
            created: Some(1_700_000_000),
            first_contact: Some(1_700_000_000 + 3_599),
            sale_date: None,
            names: [Some(1), None, None, Some(4), None, None, None, None],
            kind: 0,
            sold_flag: false,
            has_phone: true,
            response: 1,
        };
        let packed = Packed::of(&version).expect("fits");
        assert_eq!((packed.minutes, packed.spellings), (59, [1, 0, 0, 4, 0]));
        let mut names = version.names;
        names[7] = Some(1 << 32);
        assert_eq!(Packed::of(&Version { names, ..version }), None);
    }
}
