//! The rollup: lead and sale counts per dimension, creation day, group and
//! class (active/passive), from the current version of every lead and the
//! settings in force. Rebuilt in the transaction of every change, so it is
//! never out of date; reports sum a few thousand rows of it.

use std::collections::HashMap;

use rustc_hash::FxHashMap as FastMap;

use rusqlite::{params, Connection};

use super::{Field, Settings, StoreError};
use crate::calendar;
use crate::model::{Dimension, LeadKind, Outcome, ResponseBucket};

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

/// A lead version as stored: name fields as `spelling` ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Version {
    pub created: Option<i64>,
    pub first_contact: Option<i64>,
    pub sale_date: Option<i64>,
    /// source, salesperson, branch, status, brand, model, lead type, agent.
    pub names: [Option<i64>; 8],
    pub kind: i64,
    pub sold_flag: bool,
    pub has_phone: bool,
    pub response: i64,
}

pub(super) const VERSION_COLUMNS: &str =
    "created, first_contact, sale_date, source, salesperson, branch, status, brand, model, lead_type, kind, sold_flag, has_phone, response, agent";

impl Version {
    /// Reads `VERSION_COLUMNS` starting at column `at`.
    pub fn from_row(row: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Version> {
        let mut names = [None; 8];
        for (i, name) in names.iter_mut().take(7).enumerate() {
            *name = row.get(at + 3 + i)?;
        }
        names[7] = row.get(at + 14)?;
        Ok(Version {
            created: row.get(at)?,
            first_contact: row.get(at + 1)?,
            sale_date: row.get(at + 2)?,
            names,
            kind: row.get(at + 10)?,
            sold_flag: row.get(at + 11)?,
            has_phone: row.get(at + 12)?,
            response: row.get(at + 13)?,
        })
    }
}

/// What the settings make of a version: active or passive, sold or not,
/// and which source it counts under (aliases merged).
pub(super) struct Classifier {
    spelling_name: FastMap<i64, i64>,
    passive_source: FastMap<i64, bool>,
    sold_status: FastMap<i64, bool>,
    /// Source name key -> name id, to resolve aliases.
    source_ids: HashMap<String, i64>,
    /// Source name id -> the name id it is merged into.
    merged_into: FastMap<i64, i64>,
    settings: Settings,
}

impl Classifier {
    pub fn load(conn: &Connection) -> Result<Classifier, StoreError> {
        let mut classifier = Classifier {
            spelling_name: FastMap::default(),
            passive_source: FastMap::default(),
            sold_status: FastMap::default(),
            source_ids: HashMap::new(),
            merged_into: FastMap::default(),
            settings: super::settings(conn)?,
        };
        let mut statement = conn.prepare("SELECT id, name_id FROM spelling")?;
        for row in statement.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
            let (spelling, name) = row?;
            classifier.spelling_name.insert(spelling, name);
        }
        let mut statement = conn.prepare("SELECT id, field, key FROM name WHERE field IN (?1, ?2)")?;
        let names = statement.query_map(params![Field::Source as u8, Field::Status as u8], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, u8>(1)?, r.get::<_, String>(2)?))
        })?;
        for row in names {
            let (id, field, key) = row?;
            classifier.learn_name(id, field, &key);
        }
        Ok(classifier)
    }

    fn learn_name(&mut self, id: i64, field: u8, key: &str) {
        if field == Field::Source as u8 {
            self.passive_source.insert(id, self.settings.source_is_passive(key));
            self.source_ids.insert(key.to_owned(), id);
            if !self.settings.source_aliases.is_empty() {
                self.merged_into.clear();
                for (alias, target) in &self.settings.source_aliases {
                    if let (Some(alias), Some(target)) = (self.source_ids.get(alias), self.source_ids.get(target)) {
                        self.merged_into.insert(*alias, *target);
                    }
                }
            }
        } else if field == Field::Status as u8 {
            self.sold_status.insert(id, self.settings.status_words.outcome(key) == Outcome::Sold);
        }
    }

    /// A spelling made during an import.
    pub fn learn_spelling(&mut self, spelling: i64, name: i64, field: Field, key: &str) {
        self.spelling_name.insert(spelling, name);
        self.learn_name(name, field as u8, key);
    }

    /// The name a spelling counts under: its own, or the source it is merged into.
    pub fn name(&self, spelling: Option<i64>) -> Option<i64> {
        let name = spelling.and_then(|s| self.spelling_name.get(&s).copied())?;
        Some(self.merged_into.get(&name).copied().unwrap_or(name))
    }

    pub fn passive(&self, version: &Version) -> bool {
        match LeadKind::from_code(version.kind) {
            Some(kind) => kind == LeadKind::Passive,
            None => self.name(version.names[0]).and_then(|s| self.passive_source.get(&s).copied()).unwrap_or(false),
        }
    }

    /// What the settings make of each spelling, indexed by its id: the
    /// name it counts under, whether a source so spelt is passive, whether
    /// a status so spelt is sold. `None` when the ids are too sparse for a
    /// list (a store whose ids were made elsewhere).
    pub fn spelling_classes(&self) -> Option<Vec<SpellingClass>> {
        let highest = self.spelling_name.keys().copied().max().unwrap_or(0);
        let len = usize::try_from(highest).ok()?.checked_add(1)?;
        if len > 4 * self.spelling_name.len() + 1024 {
            return None;
        }
        let mut classes = vec![SpellingClass::default(); len];
        for &spelling in self.spelling_name.keys() {
            let Some(name) = self.name(Some(spelling)) else { continue };
            let Some(class) = usize::try_from(spelling).ok().and_then(|at| classes.get_mut(at)) else { continue };
            *class = SpellingClass {
                name: u32::try_from(name).unwrap_or(0),
                passive_source: self.passive_source.get(&name).copied().unwrap_or(false),
                sold_status: self.sold_status.get(&name).copied().unwrap_or(false),
            };
        }
        Some(classes)
    }

    pub fn norm(&self) -> f64 {
        self.settings.norm
    }

    pub fn margin_per_sale(&self) -> Option<f64> {
        self.settings.margin_per_sale
    }

    pub fn fold_sources_below(&self) -> u64 {
        self.settings.fold_sources_below
    }

    pub fn sold(&self, version: &Version) -> bool {
        version.sold_flag || self.name(version.names[3]).and_then(|s| self.sold_status.get(&s).copied()).unwrap_or(false)
    }
}

/// A spelling as the settings classify it (`Classifier::spelling_classes`).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct SpellingClass {
    /// The name id it counts under (a merged source's target); 0: none.
    pub name: u32,
    pub passive_source: bool,
    pub sold_status: bool,
}

/// Changes to the derived tables: rollup counts, spelling uses, passive
/// leads per import. A full rebuild tallies every current version once; an
/// import tallies what it adds and what it replaces.
#[derive(Default)]
pub(super) struct Tally {
    counts: FastMap<Key, (i64, i64)>,
    spelling_uses: FastMap<i64, i64>,
    passive_per_import: FastMap<i64, i64>,
}

impl Tally {
    /// Counts `version`, current for `import`, once (`sign` 1) or takes it
    /// away again (`sign` -1).
    pub fn count(&mut self, classifier: &Classifier, version: &Version, import: i64, sign: i64) {
        let passive = classifier.passive(version);
        let sold = i64::from(classifier.sold(version));
        if passive {
            *self.passive_per_import.entry(import).or_default() += sign;
        }
        for spelling in version.names.iter().take(3).chain(&version.names[7..]).flatten() {
            *self.spelling_uses.entry(*spelling).or_default() += sign;
        }
        let day = version.created.map(calendar::day_of);
        for (dimension, key) in [
            (Dimension::Source, classifier.name(version.names[0])),
            (Dimension::Salesperson, classifier.name(version.names[1])),
            (Dimension::Branch, classifier.name(version.names[2])),
            (Dimension::Month, None),
            (Dimension::Response, Some(ResponseBucket::from_code(version.response).code())),
            (Dimension::Phone, Some(i64::from(version.has_phone))),
            (Dimension::Agent, classifier.name(version.names[7])),
        ] {
            let entry = self.counts.entry((dimension, day, key, passive)).or_default();
            entry.0 += sign;
            entry.1 += sign * sold;
        }
    }

    /// Adds the tally to the derived tables; `rollup_empty`: the rollup has
    /// no rows yet, so every count is a new row.
    pub fn apply(&self, conn: &Connection, rollup_empty: bool) -> Result<(), StoreError> {
        let mut update = conn.prepare_cached(
            "UPDATE rollup SET leads = leads + ?5, sold = sold + ?6
             WHERE dimension = ?1 AND day IS ?2 AND key IS ?3 AND passive = ?4",
        )?;
        // In index order, so a new rollup is appended rather than shuffled in.
        let mut counts: Vec<_> = self.counts.iter().filter(|(_, counts)| **counts != (0, 0)).collect();
        counts.sort_unstable_by_key(|((dimension, day, key, passive), _)| (dimension.code(), *day, *key, *passive));
        let mut new_rows = Vec::with_capacity(if rollup_empty { counts.len() } else { 0 });
        for ((dimension, day, key, passive), (leads, sold)) in counts {
            let row = (dimension.code(), *day, *key, *passive, *leads, *sold);
            if rollup_empty || update.execute(params![row.0, row.1, row.2, row.3, row.4, row.5])? == 0 {
                new_rows.push(row);
            }
        }
        // Many rows a statement: a first import's rollup is thousands of rows.
        const ROWS: usize = 64;
        for chunk in new_rows.chunks(ROWS) {
            let sql = format!(
                "INSERT INTO rollup (dimension, day, key, passive, leads, sold) VALUES {}",
                vec!["(?, ?, ?, ?, ?, ?)"; chunk.len()].join(", ")
            );
            let mut insert = conn.prepare_cached(&sql)?;
            let values: Vec<&dyn rusqlite::ToSql> =
                chunk.iter().flat_map(|r| [&r.0 as &dyn rusqlite::ToSql, &r.1, &r.2, &r.3, &r.4, &r.5]).collect();
            insert.execute(values.as_slice())?;
        }
        conn.execute("DELETE FROM rollup WHERE leads = 0", [])?;
        let mut passive = conn.prepare_cached("UPDATE import SET passive_leads = passive_leads + ?2 WHERE id = ?1")?;
        for (import, delta) in &self.passive_per_import {
            passive.execute(params![import, delta])?;
        }
        let mut uses = conn.prepare_cached("UPDATE spelling SET uses = uses + ?2 WHERE id = ?1")?;
        let mut display =
            conn.prepare_cached(&format!("UPDATE name SET display = {DISPLAY} WHERE id = (SELECT name_id FROM spelling WHERE id = ?1)"))?;
        for (spelling, delta) in &self.spelling_uses {
            uses.execute(params![spelling, delta])?;
        }
        for spelling in self.spelling_uses.keys() {
            display.execute([spelling])?;
        }
        Ok(())
    }
}

/// metrics.md: "the spelling shown is the most frequent one" (ties: the first
/// in sort order, so the choice is stable).
const DISPLAY: &str = "(SELECT text FROM spelling WHERE name_id = name.id ORDER BY uses DESC, text LIMIT 1)";

/// Recomputes every derived table from the current versions and the settings.
pub(super) fn rebuild(conn: &Connection) -> Result<(), StoreError> {
    let classifier = Classifier::load(conn)?;
    let mut tally = Tally::default();
    let mut statement = conn.prepare(&format!("SELECT import_id, {VERSION_COLUMNS} FROM lead"))?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let import: i64 = row.get(0)?;
        tally.count(&classifier, &Version::from_row(row, 1)?, import, 1);
    }
    drop(rows);
    conn.execute_batch("DELETE FROM rollup; UPDATE import SET passive_leads = 0; UPDATE spelling SET uses = 0;")?;
    tally.apply(conn, true)?;
    conn.execute(&format!("UPDATE name SET display = {DISPLAY}"), [])?;
    Ok(())
}

pub(super) fn rows(conn: &Connection, dimension: Dimension, period: Option<(i64, i64)>) -> Result<Vec<RollupRow>, StoreError> {
    let map =
        |r: &rusqlite::Row<'_>| Ok(RollupRow { day: r.get(0)?, key: r.get(1)?, passive: r.get(2)?, leads: r.get(3)?, sold: r.get(4)? });
    let rows = match period {
        Some((from, to)) => {
            let mut statement =
                conn.prepare_cached("SELECT day, key, passive, leads, sold FROM rollup WHERE dimension = ?1 AND day BETWEEN ?2 AND ?3")?;
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
        Dimension::Agent => Field::Agent,
        _ => return Ok(HashMap::new()),
    };
    let mut statement = conn.prepare_cached("SELECT id, display FROM name WHERE field = ?1")?;
    let names = statement.query_map([field as u8], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
    Ok(names)
}

/// A source as the settings list it.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceEntry {
    pub name: String,
    /// Current leads naming this source (before any merge).
    pub leads: u64,
    pub passive: bool,
    /// The user set the class (otherwise it is metrics.md's default).
    pub class_set: bool,
    /// The name of the source it is merged into.
    pub merged_into: Option<String>,
}

pub(super) fn sources(conn: &Connection) -> Result<Vec<SourceEntry>, StoreError> {
    let settings = super::settings(conn)?;
    let mut statement = conn.prepare_cached(
        "SELECT name.key, name.display, COALESCE(SUM(spelling.uses), 0) FROM name
         LEFT JOIN spelling ON spelling.name_id = name.id WHERE name.field = ?1 GROUP BY name.id",
    )?;
    let rows: Vec<(String, String, u64)> =
        statement.query_map([Field::Source as u8], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    let display: HashMap<&str, &str> = rows.iter().map(|(k, d, _)| (k.as_str(), d.as_str())).collect();
    let mut entries: Vec<SourceEntry> = rows
        .iter()
        .filter(|(_, _, leads)| *leads > 0)
        .map(|(key, name, leads)| SourceEntry {
            name: name.clone(),
            leads: *leads,
            passive: settings.source_is_passive(key),
            class_set: settings.source_classes.contains_key(key),
            merged_into: settings.source_aliases.get(key).and_then(|t| display.get(t.as_str())).map(|d| (*d).to_owned()),
        })
        .collect();
    entries.sort_by(|a, b| b.leads.cmp(&a.leads).then_with(|| a.name.cmp(&b.name)));
    Ok(entries)
}

pub(super) fn data_span(conn: &Connection) -> Result<Option<(i64, i64)>, StoreError> {
    let span: (Option<i64>, Option<i64>) =
        conn.query_row("SELECT MIN(day), MAX(day) FROM rollup WHERE dimension = ?1", [Dimension::Month.code()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    Ok(match span {
        (Some(from), Some(to)) => Some((from, to)),
        _ => None,
    })
}
