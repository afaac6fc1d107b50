//! The rollup: lead and sale counts per dimension, creation day, group and
//! class (active/passive), from the current version of every lead and the
//! settings in force. Rebuilt in the transaction of every change, so it is
//! never out of date; reports sum a few thousand rows of it.

use std::collections::HashMap;

use rusqlite::{params, Connection};

use super::write::Field;
use super::StoreError;
use crate::calendar;
use crate::model::{Dimension, LeadKind, Outcome, ResponseBucket};
use crate::vocabulary;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RollupRow {
    /// Creation day (days since 1970); `None`: the lead has no creation date.
    pub day: Option<i64>,
    /// The group: a `name` id for names, a bucket code for `response`,
    /// 1/0 for `phone`, `None` for the empty name group and for `month`.
    pub key: Option<i64>,
    pub passive: bool,
    pub leads: u64,
    pub sold: u64,
}

type Key = (Dimension, Option<i64>, Option<i64>, bool);

pub(super) fn rebuild(conn: &Connection) -> Result<(), StoreError> {
    let settings = super::settings(conn)?;
    // spelling id -> name id, and what each name means.
    let mut spelling_name: HashMap<i64, i64> = HashMap::new();
    let mut statement = conn.prepare("SELECT id, name_id FROM spelling")?;
    for row in statement.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
        let (spelling, name) = row?;
        spelling_name.insert(spelling, name);
    }
    let mut passive_source: HashMap<i64, bool> = HashMap::new();
    let mut sold_status: HashMap<i64, bool> = HashMap::new();
    let mut statement = conn.prepare("SELECT id, field, key FROM name WHERE field IN (?1, ?2)")?;
    let names = statement.query_map(params![Field::Source as u8, Field::Status as u8], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, u8>(1)?, r.get::<_, String>(2)?))
    })?;
    for row in names {
        let (id, field, key) = row?;
        if field == Field::Source as u8 {
            let passive = settings.source_classes.get(&key).copied().unwrap_or_else(|| vocabulary::source_is_passive_by_default(&key));
            passive_source.insert(id, passive);
        } else {
            sold_status.insert(id, settings.status_words.outcome(&key) == Outcome::Sold);
        }
    }

    let mut counts: HashMap<Key, (u64, u64)> = HashMap::new();
    let mut spelling_uses: HashMap<i64, u64> = HashMap::new();
    let mut passive_per_import: HashMap<i64, u64> = HashMap::new();
    let mut statement = conn.prepare(
        "SELECT v.created, v.source, v.salesperson, v.branch, v.status, v.kind, v.sold_flag, v.has_phone,
                v.response, v.import_id
         FROM lead l JOIN lead_version v ON v.lead_id = l.id AND v.import_id = l.current_import",
    )?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let created: Option<i64> = row.get(0)?;
        let spellings: [Option<i64>; 4] = [row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?];
        let name = |s: Option<i64>| s.and_then(|s| spelling_name.get(&s).copied());
        let [source, salesperson, branch, status] = spellings.map(name);
        let passive = match LeadKind::from_code(row.get(5)?) {
            Some(kind) => kind == LeadKind::Passive,
            None => source.and_then(|s| passive_source.get(&s).copied()).unwrap_or(false),
        };
        let sold = row.get::<_, bool>(6)? || status.and_then(|s| sold_status.get(&s).copied()).unwrap_or(false);
        let has_phone: bool = row.get(7)?;
        let response = ResponseBucket::from_code(row.get(8)?);
        if passive {
            *passive_per_import.entry(row.get(9)?).or_default() += 1;
        }
        for spelling in spellings.iter().take(3).flatten() {
            *spelling_uses.entry(*spelling).or_default() += 1;
        }
        let day = created.map(calendar::day_of);
        for (dimension, key) in [
            (Dimension::Source, source),
            (Dimension::Salesperson, salesperson),
            (Dimension::Branch, branch),
            (Dimension::Month, None),
            (Dimension::Response, Some(response.code())),
            (Dimension::Phone, Some(i64::from(has_phone))),
        ] {
            let entry = counts.entry((dimension, day, key, passive)).or_default();
            entry.0 += 1;
            entry.1 += u64::from(sold);
        }
    }
    drop(rows);

    conn.execute("DELETE FROM rollup", [])?;
    let mut insert = conn.prepare("INSERT INTO rollup (dimension, day, key, passive, leads, sold) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
    for ((dimension, day, key, passive), (leads, sold)) in counts {
        insert.execute(params![dimension.code(), day, key, passive, leads, sold])?;
    }
    conn.execute("UPDATE import SET passive_leads = 0", [])?;
    let mut update = conn.prepare("UPDATE import SET passive_leads = ?2 WHERE id = ?1")?;
    for (import, passive) in passive_per_import {
        update.execute(params![import, passive])?;
    }
    update_display_names(conn, &spelling_uses)?;
    Ok(())
}

/// metrics.md: "the spelling shown is the most frequent one" (ties: the
/// spelling first in sort order, so the choice is stable).
fn update_display_names(conn: &Connection, uses: &HashMap<i64, u64>) -> Result<(), StoreError> {
    let mut best: HashMap<i64, (u64, String)> = HashMap::new();
    let mut statement = conn.prepare("SELECT id, name_id, text FROM spelling")?;
    for row in statement.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?)))? {
        let (id, name, text) = row?;
        let count = uses.get(&id).copied().unwrap_or(0);
        let entry = best.entry(name).or_insert((0, text.clone()));
        if count > entry.0 || (count == entry.0 && text < entry.1) {
            *entry = (count, text);
        }
    }
    let mut update = conn.prepare("UPDATE name SET display = ?2 WHERE id = ?1 AND display <> ?2")?;
    for (name, (_, text)) in best {
        update.execute(params![name, text])?;
    }
    Ok(())
}

pub(super) fn rows(conn: &Connection, dimension: Dimension, period: Option<(i64, i64)>) -> Result<Vec<RollupRow>, StoreError> {
    let map = |r: &rusqlite::Row<'_>| {
        Ok(RollupRow { day: r.get(0)?, key: r.get(1)?, passive: r.get(2)?, leads: r.get(3)?, sold: r.get(4)? })
    };
    let rows = match period {
        Some((from, to)) => {
            let mut statement = conn.prepare_cached(
                "SELECT day, key, passive, leads, sold FROM rollup WHERE dimension = ?1 AND day BETWEEN ?2 AND ?3",
            )?;
            let rows = statement.query_map(params![dimension.code(), from, to], map)?.collect::<Result<_, _>>()?;
            rows
        }
        None => {
            let mut statement = conn.prepare_cached("SELECT day, key, passive, leads, sold FROM rollup WHERE dimension = ?1")?;
            let rows = statement.query_map([dimension.code()], map)?.collect::<Result<_, _>>()?;
            rows
        }
    };
    Ok(rows)
}

pub(super) fn display_names(conn: &Connection, dimension: Dimension) -> Result<HashMap<i64, String>, StoreError> {
    let field = match dimension {
        Dimension::Source => Field::Source,
        Dimension::Salesperson => Field::Salesperson,
        Dimension::Branch => Field::Branch,
        _ => return Ok(HashMap::new()),
    };
    let mut statement = conn.prepare_cached("SELECT id, display FROM name WHERE field = ?1")?;
    let names = statement.query_map([field as u8], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
    Ok(names)
}

pub(super) fn data_span(conn: &Connection) -> Result<Option<(i64, i64)>, StoreError> {
    let span: (Option<i64>, Option<i64>) = conn.query_row(
        "SELECT MIN(day), MAX(day) FROM rollup WHERE dimension = ?1",
        [Dimension::Month.code()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(match span {
        (Some(from), Some(to)) => Some((from, to)),
        _ => None,
    })
}
