//! Every current lead, classified by the settings in force, as a compact
//! table in memory. The window's reports filter it on several dimensions at
//! once (branch and source and salesperson), which the rollup, grouped by one
//! dimension, cannot; a filter change then costs a pass over memory, not a
//! query. It is a snapshot: the window loads it again after every write.

use std::collections::HashMap;

use rusqlite::Connection;

use super::pack::{self, Packed, Packing};
use super::rollup::{self, Classifier, SpellingClass, Version, VERSION_COLUMNS};
use super::StoreError;
use crate::calendar;
use crate::model::{Dimension, LeadKind, ResponseBucket};

/// One lead: 28 bytes, so a million leads take 28 MB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableRow {
    /// Creation day (days since 1970), `i32::MIN` when undated.
    day: i32,
    /// Source, salesperson, branch and agent name ids (aliases merged); 0: none.
    names: [u32; 4],
    /// Whole minutes from creation to first contact, `i32::MIN` when unanswered.
    minutes: i32,
    /// The stored response code (`write::NOT_RECORDED`: no first-contact column).
    response: i8,
    pub has_phone: bool,
    pub passive: bool,
    pub sold: bool,
}

impl TableRow {
    pub fn day(&self) -> Option<i64> {
        (self.day != i32::MIN).then_some(i64::from(self.day))
    }

    /// The name id of a name dimension (source, salesperson, branch).
    pub fn name(&self, dimension: Dimension) -> Option<i64> {
        let index = match dimension {
            Dimension::Source => 0,
            Dimension::Salesperson => 1,
            Dimension::Branch => 2,
            Dimension::Agent => 3,
            _ => return None,
        };
        Some(i64::from(self.names[index])).filter(|id| *id != 0)
    }

    pub fn response(&self) -> ResponseBucket {
        ResponseBucket::from_code(i64::from(self.response))
    }

    /// The lead's report has a first-contact column (metrics.md, "Unanswered").
    pub fn contact_recorded(&self) -> bool {
        i64::from(self.response) != super::write::NOT_RECORDED
    }

    /// Minutes from creation to first contact, for an answered lead.
    pub fn response_minutes(&self) -> Option<i32> {
        (self.minutes != i32::MIN).then_some(self.minutes)
    }

    /// A packed lead, classified by the settings' `classes` of its spellings
    /// (what `read_rows` makes of the same lead's row).
    pub(super) fn classified(lead: &Packed, classes: &[SpellingClass]) -> TableRow {
        let class = |spelling: u32| classes.get(spelling as usize).copied().unwrap_or_default();
        let [source, salesperson, branch, status, agent] = lead.spellings;
        TableRow {
            day: lead.day,
            names: [source, salesperson, branch, agent].map(|s| class(s).name),
            minutes: lead.minutes,
            response: lead.response,
            has_phone: lead.has_phone,
            passive: match lead.kind {
                Some(kind) => kind == LeadKind::Passive,
                None => class(source).passive_source,
            },
            sold: lead.sold_flag || class(status).sold_status,
        }
    }

    /// The group key as the rollup stores it for `dimension`.
    pub fn key(&self, dimension: Dimension) -> Option<i64> {
        match dimension {
            Dimension::Source | Dimension::Salesperson | Dimension::Branch | Dimension::Agent => self.name(dimension),
            Dimension::Month => None,
            Dimension::Response => Some(self.response().code()),
            Dimension::Phone => Some(i64::from(self.has_phone)),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct LeadTable {
    pub rows: Vec<TableRow>,
    /// Shown names of sources, salespeople, branches and agents, by id.
    names: [HashMap<i64, String>; 4],
    pub norm: f64,
    pub margin_per_sale: Option<f64>,
    /// Sources with fewer active leads fold into one group in the window's views (0: never).
    pub fold_sources_below: u64,
    /// First and last creation day of all leads (the rollup's span).
    pub span: Option<(i64, i64)>,
}

impl LeadTable {
    pub fn names(&self, dimension: Dimension) -> &HashMap<i64, String> {
        static NONE: std::sync::OnceLock<HashMap<i64, String>> = std::sync::OnceLock::new();
        match dimension {
            Dimension::Source => &self.names[0],
            Dimension::Salesperson => &self.names[1],
            Dimension::Branch => &self.names[2],
            Dimension::Agent => &self.names[3],
            _ => NONE.get_or_init(HashMap::new),
        }
    }
}

/// Every current lead, from the pack of the leads' generation where the
/// store holds one, else row by row, packing them for the readers after
/// (`pack`). One read transaction, so the leads, the names and the span
/// are of one moment even while another process imports.
pub(super) fn load(conn: &Connection) -> Result<LeadTable, StoreError> {
    let snapshot = conn.unchecked_transaction()?;
    let classifier = Classifier::load(&snapshot)?;
    let generation = pack::generation(&snapshot)?;
    let mut table = LeadTable::default();
    let unpacked = match (generation, classifier.spelling_classes()) {
        (Some(generation), Some(classes)) => {
            let unpacked = pack::unpack(&snapshot, generation, &classes, &mut table.rows)?;
            if !unpacked {
                table.rows = Vec::new();
            }
            unpacked
        }
        _ => false,
    };
    let packing = if unpacked { None } else { read_rows(&snapshot, &classifier, &mut table.rows)? };
    for (slot, dimension) in table.names.iter_mut().zip([Dimension::Source, Dimension::Salesperson, Dimension::Branch, Dimension::Agent]) {
        *slot = rollup::display_names(&snapshot, dimension)?;
    }
    table.norm = classifier.norm();
    table.margin_per_sale = classifier.margin_per_sale();
    table.fold_sources_below = classifier.fold_sources_below();
    table.span = rollup::data_span(&snapshot)?;
    // A pack that cannot be stored (the store is read-only, another process
    // is writing or has written since this read began) is left for the next
    // reader; the table read is right either way.
    if let (Some(generation), Some(packing)) = (generation, packing) {
        if pack::store(&snapshot, generation, &packing).is_ok() {
            let _ = snapshot.commit();
        }
    }
    Ok(table)
}

/// The leads row by row, each classified by `classifier`; their pack too,
/// unless a value does not fit one.
pub(super) fn read_rows(conn: &Connection, classifier: &Classifier, rows: &mut Vec<TableRow>) -> Result<Option<Packing>, StoreError> {
    let count: i64 = conn.query_row("SELECT COUNT(*) FROM lead", [], |r| r.get(0))?;
    rows.reserve(usize::try_from(count).unwrap_or(0));
    let mut packing = Some(Packing::default());
    let mut statement = conn.prepare(&format!("SELECT {VERSION_COLUMNS} FROM lead"))?;
    let mut leads = statement.query([])?;
    let id = |name: Option<i64>| name.and_then(|n| u32::try_from(n).ok()).unwrap_or(0);
    while let Some(row) = leads.next()? {
        let version = Version::from_row(row, 0)?;
        let (day, minutes, response) = timing(&version);
        rows.push(TableRow {
            day,
            names: [0, 1, 2, 7].map(|i| id(classifier.name(version.names[i]))),
            minutes,
            response,
            has_phone: version.has_phone,
            passive: classifier.passive(&version),
            sold: classifier.sold(&version),
        });
        packing = packing.take().and_then(|mut packing| {
            packing.add(&Packed::of(&version)?);
            Some(packing)
        });
    }
    Ok(packing)
}

/// A version's creation day, whole minutes to first contact and response
/// code as the table keeps them (`TableRow`'s fields).
pub(super) fn timing(version: &Version) -> (i32, i32, i8) {
    let day = version.created.map(calendar::day_of).and_then(|d| i32::try_from(d).ok()).unwrap_or(i32::MIN);
    let bucket = ResponseBucket::from_code(version.response);
    // Whole minutes, as a manager reads them off the report.
    let minutes = match (version.created, version.first_contact) {
        (Some(c), Some(f)) if bucket != ResponseBucket::None => i32::try_from((f - c).div_euclid(60)).unwrap_or(i32::MAX),
        _ => i32::MIN,
    };
    (day, minutes, i8::try_from(version.response).unwrap_or(bucket.code() as i8))
}
