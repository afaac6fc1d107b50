//! Conversion as metrics.md defines it: sold active leads / active leads per
//! group, with the Wilson interval, the gap to the norm and the small-sample
//! mark. Passive leads are counted apart, never in a rate. Why a group is
//! below the norm is `evidence`'s.

mod evidence;

use std::collections::{BTreeMap, HashMap};

use rustc_hash::FxHashMap as FastMap;

use crate::calendar;
use crate::model::{Dimension, ResponseBucket};
use crate::store::{LeadTable, RollupRow, Store, StoreError, TableRow};
pub use evidence::{add_evidence, AdjustedRate, Adjustment, Evidence};

/// Fewer active leads than this and a group is a small sample.
pub const SMALL_SAMPLE: u64 = 30;
/// The window folds sources with fewer active leads than this into one
/// group, unless the user sets another threshold (0 never folds).
pub const FOLD_SOURCES_BELOW: u64 = 10;
const Z: f64 = 1.96;

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub by: Dimension,
    pub norm: f64,
    /// The period asked for, or the span of the data (`None`: no dated leads).
    pub period: Option<(i64, i64)>,
    pub total: Rate,
    pub passive_leads: u64,
    pub groups: Vec<Group>,
    /// The total's evidence (empty until `add_evidence`).
    pub total_evidence: Evidence,
    /// Euros a sale earns, where the user set it (metrics.md, "At stake").
    pub margin_per_sale: Option<f64>,
    /// The sources (name ids) pooled into the `GroupKey::Folded` group;
    /// empty unless `fold_sources` folded some (the window's long tail).
    pub folded: Vec<i64>,
}

impl Report {
    /// `gap_to_norm x margin`, where a margin per sale is set.
    pub fn at_stake(&self, rate: &Rate) -> Option<f64> {
        self.margin_per_sale.map(|margin| rate.gap_to_norm() as f64 * margin)
    }

    /// `group`'s counterpart in `compared`, this report over another
    /// period: the group of the same key; for a month, the month as far into
    /// the compared period (October against the July before it, or against
    /// the October a year before).
    pub fn counterpart<'a>(&self, group: &Group, compared: &'a Report) -> Option<&'a Group> {
        let key = match group.key {
            GroupKey::Month(month) => {
                let apart = match (self.period, compared.period) {
                    (Some((from, _)), Some((before, _))) => calendar::month_index(from) - calendar::month_index(before),
                    _ => 0,
                };
                GroupKey::Month(month - apart)
            }
            ref other => other.clone(),
        };
        compared.groups.iter().find(|g| g.key == key)
    }

    /// The named sources with fewer than `below` active leads: the long tail
    /// a report by source folds (`fold_sources`). None when `below` is 0, for
    /// other dimensions, when only one source is that small (one source shows
    /// as itself: "Other (1 source)" says less) or when every named source is
    /// (a view of one pooled bar shows nothing).
    pub fn small_sources(&self, below: u64) -> Vec<i64> {
        if self.by != Dimension::Source || below == 0 {
            return Vec::new();
        }
        let named =
            || self.groups.iter().filter_map(|g| if let GroupKey::Name(Some(id)) = g.key { Some((id, g.rate.leads)) } else { None });
        let small: Vec<i64> = named().filter(|(_, leads)| *leads < below).map(|(id, _)| id).collect();
        if small.len() < 2 || small.len() == named().count() {
            return Vec::new();
        }
        small
    }

    /// Folds this report's long tail (`small_sources` below `below`) and, in
    /// `compared` (the same view over another period), the same sources: the
    /// one way the window and the deck fold, so a group meets itself.
    pub fn fold_long_tail(&mut self, below: u64, compared: Option<&mut Report>) {
        let small = self.small_sources(below);
        self.fold_sources(&small);
        if let Some(compared) = compared {
            compared.fold_sources(&small);
        }
    }

    /// Pools `sources` (name ids) into one group, `GroupKey::Folded`, drawn
    /// last: their active leads and sales added, so its rate, interval and
    /// verdict are those of the pooled leads, not an average of rates. The
    /// total does not change. A compared period folds the same sources
    /// (those it has), so a group meets itself.
    pub fn fold_sources(&mut self, sources: &[i64]) {
        if sources.is_empty() {
            return;
        }
        let mut pooled = Rate { leads: 0, sold: 0, norm: self.norm };
        self.groups.retain(|g| {
            let folded = matches!(g.key, GroupKey::Name(Some(id)) if sources.contains(&id));
            if folded {
                pooled.leads += g.rate.leads;
                pooled.sold += g.rate.sold;
            }
            !folded
        });
        self.folded = sources.to_vec();
        if pooled.leads > 0 {
            self.groups.push(Group { key: GroupKey::Folded, name: None, rate: pooled, evidence: Evidence::default() });
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub key: GroupKey,
    /// The name as shown (most frequent spelling); `None` for the empty group.
    pub name: Option<String>,
    pub rate: Rate,
    /// Empty until `add_evidence`.
    pub evidence: Evidence,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GroupKey {
    Name(Option<i64>),
    Month(i64),
    Response(ResponseBucket),
    Phone(bool),
    /// The window's long tail of small sources pooled into one ("Other (n
    /// sources)", `Report::fold_sources`); never in the command line's reports.
    Folded,
}

impl Group {
    /// The key as cli.md's JSON gives it (`None` is `null`).
    pub fn key_text(&self) -> Option<String> {
        match &self.key {
            GroupKey::Name(_) => self.name.clone(),
            GroupKey::Month(m) => Some(calendar::format_month(*m)),
            GroupKey::Response(b) => Some(b.name().to_string()),
            GroupKey::Phone(true) => Some("phone".to_string()),
            GroupKey::Phone(false) => Some("no phone".to_string()),
            GroupKey::Folded => None,
        }
    }
}

/// Where a group stands against the norm, given its interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Below,
    Undecided,
    Above,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub leads: u64,
    pub sold: u64,
    pub norm: f64,
}

impl Rate {
    pub fn rate(&self) -> f64 {
        if self.leads == 0 {
            0.0
        } else {
            self.sold as f64 / self.leads as f64
        }
    }

    /// The 95% Wilson score interval.
    pub fn interval(&self) -> (f64, f64) {
        wilson(self.sold, self.leads)
    }

    /// Sales short of the norm: `max(0, ceil(norm x leads) - sold)`.
    pub fn gap_to_norm(&self) -> u64 {
        // 0.13 x 100 is 13.000000000000002 in floating point; a hair of
        // tolerance keeps ceil() from adding a sale that is not missing.
        let needed = (self.norm * self.leads as f64 - 1e-9).ceil().max(0.0) as u64;
        needed.saturating_sub(self.sold)
    }

    pub fn small_sample(&self) -> bool {
        self.leads < SMALL_SAMPLE
    }

    pub fn verdict(&self) -> Verdict {
        let (low, high) = self.interval();
        if high < self.norm {
            Verdict::Below
        } else if low > self.norm {
            Verdict::Above
        } else {
            Verdict::Undecided
        }
    }
}

pub fn wilson(successes: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 0.0);
    }
    let n = n as f64;
    let p = successes as f64 / n;
    let z2 = Z * Z;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = Z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// Creation days to report on, both ends inclusive. An end left open is
/// that end of the data; with both open, undated leads count too ("all time").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Period {
    pub from: Option<i64>,
    pub to: Option<i64>,
}

impl Period {
    pub const ALL: Period = Period { from: None, to: None };

    /// Both ends as days, the open ones from the data's `span`; `None` for all time.
    fn resolve(self, span: Option<(i64, i64)>) -> Option<(i64, i64)> {
        if self == Period::ALL {
            return None;
        }
        let from = self.from.or(span.map(|s| s.0)).or(self.to);
        let to = self.to.or(span.map(|s| s.1)).or(self.from);
        from.zip(to)
    }

    /// The period to hold this one against, once resolved on the data's span.
    pub fn compared(self, span: Option<(i64, i64)>, with: Comparison) -> Option<Period> {
        let (from, to) = self.resolve(span)?;
        let (from, to) = match with {
            Comparison::Previous => previous(from, to),
            Comparison::YearBefore => (calendar::shift_months(from, -12), calendar::shift_months(to, -12)),
        };
        Some(Period { from: Some(from), to: Some(to) })
    }
}

/// What a period is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// The period just before, as long: the quarter before a quarter.
    Previous,
    /// The same days a year earlier.
    YearBefore,
}

/// The period just before `[from, to]`: whole months step back by as many
/// months (the previous quarter), other periods by as many days.
fn previous(from: i64, to: i64) -> (i64, i64) {
    let (fy, fm, fd) = calendar::civil_from_days(from);
    let (ty, tm, td) = calendar::civil_from_days(to);
    if fd == 1 && td == calendar::days_in_month(ty, tm) {
        let months = i64::from(ty - fy) * 12 + i64::from(tm) - i64::from(fm) + 1;
        let start = calendar::shift_months(from, -months);
        return (start, from - 1);
    }
    let length = to - from + 1;
    (from - length, from - 1)
}

/// The leads of some sources, salespeople and branches (name ids; none
/// named: all): a lead must match one of each kind named (cli.md's SCOPE).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub sources: Vec<i64>,
    pub salespeople: Vec<i64>,
    pub branches: Vec<i64>,
}

impl Filter {
    /// At most one of each: the window's filters.
    pub fn one(source: Option<i64>, salesperson: Option<i64>, branch: Option<i64>) -> Filter {
        Filter {
            sources: source.into_iter().collect(),
            salespeople: salesperson.into_iter().collect(),
            branches: branch.into_iter().collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.sources.is_empty() && self.salespeople.is_empty() && self.branches.is_empty()
    }

    /// The names of one dimension the filter keeps.
    pub fn ids(&self, dimension: Dimension) -> &[i64] {
        match dimension {
            Dimension::Source => &self.sources,
            Dimension::Salesperson => &self.salespeople,
            Dimension::Branch => &self.branches,
            _ => &[],
        }
    }

    fn admits(&self, row: &TableRow) -> bool {
        [Dimension::Source, Dimension::Salesperson, Dimension::Branch].into_iter().all(|dimension| {
            let wanted = self.ids(dimension);
            wanted.is_empty() || row.name(dimension).is_some_and(|id| wanted.contains(&id))
        })
    }
}

/// A name asked for that no lead has (cli.md: refused, with the names that exist).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("no {what} \"{name}\"; the {what_plural} are: {known}")]
pub struct UnknownName {
    pub what: &'static str,
    pub what_plural: &'static str,
    pub name: String,
    pub known: String,
}

/// The ids of `names` in one dimension, compared as metrics.md compares
/// names (trimmed, spaces collapsed, case-insensitive).
pub fn name_ids(table: &LeadTable, dimension: Dimension, names: &[String]) -> Result<Vec<i64>, UnknownName> {
    let shown = table.names(dimension);
    names
        .iter()
        .map(|name| {
            let key = crate::model::name_key(name);
            shown.iter().find(|(_, display)| crate::model::name_key(display) == key).map(|(id, _)| *id).ok_or_else(|| {
                let mut known: Vec<&String> = shown.values().collect();
                known.sort();
                let (what, what_plural) = match dimension {
                    Dimension::Source => ("source", "sources"),
                    Dimension::Salesperson => ("salesperson", "salespeople"),
                    _ => ("branch", "branches"),
                };
                let known = known.iter().map(|k| format!("\"{k}\"")).collect::<Vec<_>>().join(", ");
                UnknownName { what, what_plural, name: name.clone(), known: if known.is_empty() { "none".into() } else { known } }
            })
        })
        .collect()
}

/// The conversion report of one dimension over a period of creation days,
/// from the store's rollup (the command line's reports).
pub fn report(store: &Store, by: Dimension, period: Period) -> Result<Report, StoreError> {
    let span = store.data_span()?;
    let period = period.resolve(span);
    let settings = store.settings()?;
    let rows = store.rollup(by, period)?;
    let mut report = summarise(by, settings.norm, rows, &store.display_names(by)?, period.or(span));
    report.margin_per_sale = settings.margin_per_sale;
    Ok(report)
}

/// The same report from the lead table, for the leads `filter` admits (the
/// window's reports: equal to `report` without a filter, which a test holds).
pub fn report_on(table: &LeadTable, by: Dimension, period: Period, filter: &Filter) -> Report {
    let period = period.resolve(table.span);
    // Counted as rollup rows first, a few hundred of them, which `summarise`
    // then groups; the day only where the month needs it.
    let mut counts: FastMap<RollupKey, (u64, u64)> = FastMap::default();
    for row in selected(table, period, filter) {
        let day = if by == Dimension::Month { row.day() } else { None };
        let count = counts.entry((day, row.key(by), row.passive)).or_default();
        count.0 += 1;
        count.1 += u64::from(row.sold);
    }
    let rows = counts.into_iter().map(|((day, key, passive), (leads, sold))| RollupRow { day, key, passive, leads, sold });
    let mut report = summarise(by, table.norm, rows, table.names(by), period.or(table.span));
    report.margin_per_sale = table.margin_per_sale;
    report
}

/// A rollup row's day (the month's only), group key and class.
type RollupKey = (Option<i64>, Option<i64>, bool);

/// `report_on` with its evidence: the window's reports.
pub fn report_with_evidence(table: &LeadTable, by: Dimension, period: Period, filter: &Filter) -> Report {
    let mut report = report_on(table, by, period, filter);
    add_evidence(&mut report, table, period, filter);
    report
}

/// Active leads of the view that its groups cannot place, for the count
/// path to say (reports pooled from different exports): by month the
/// undated ones (in the total, in no month); by response time those whose
/// report has no first-contact column (under "none", as metrics.md counts
/// them, though nobody recorded whether they were answered). 0 elsewhere.
pub fn unplaced(table: &LeadTable, by: Dimension, period: Period, filter: &Filter) -> u64 {
    let unplaced: fn(&TableRow) -> bool = match by {
        Dimension::Month => |row| row.day().is_none(),
        Dimension::Response => |row| !row.contact_recorded(),
        _ => return 0,
    };
    selected(table, period.resolve(table.span), filter).filter(|row| !row.passive && unplaced(row)).count() as u64
}

fn selected<'a>(table: &'a LeadTable, period: Option<(i64, i64)>, filter: &'a Filter) -> impl Iterator<Item = &'a TableRow> {
    let all = filter.is_empty();
    table
        .rows
        .iter()
        .filter(move |row| (all || filter.admits(row)) && period.is_none_or(|(from, to)| row.day().is_some_and(|d| from <= d && d <= to)))
}

/// Conversion per salesperson within each source: within one source lead
/// quality is the same for everyone, so a spread between salespeople is
/// process. `sources` and `salespeople` are the largest ones (by active leads).
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    pub norm: f64,
    pub period: Option<(i64, i64)>,
    pub sources: Vec<String>,
    pub salespeople: Vec<String>,
    /// `cells[salesperson][source]`.
    pub cells: Vec<Vec<Rate>>,
    /// Sources and salespeople left out for room.
    pub more_sources: usize,
    pub more_salespeople: usize,
}

/// A matrix cell's key: the source's and the salesperson's name ids.
type SourceAndSalesperson = (Option<i64>, Option<i64>);

pub fn matrix(table: &LeadTable, period: Period, filter: &Filter, max_sources: usize, max_salespeople: usize) -> Matrix {
    let period = period.resolve(table.span);
    let norm = table.norm;
    let mut counts: HashMap<SourceAndSalesperson, Rate> = HashMap::new();
    for row in selected(table, period, filter).filter(|r| !r.passive) {
        let rate =
            counts.entry((row.name(Dimension::Source), row.name(Dimension::Salesperson))).or_insert(Rate { leads: 0, sold: 0, norm });
        rate.leads += 1;
        rate.sold += u64::from(row.sold);
    }
    // The largest first, ties by name (the order anonymised names take
    // their letters in); named before the empty group.
    let largest = |names: &HashMap<i64, String>, pick: fn(&SourceAndSalesperson) -> Option<i64>| -> Vec<Option<i64>> {
        let mut totals: HashMap<Option<i64>, u64> = HashMap::new();
        for (key, rate) in &counts {
            *totals.entry(pick(key)).or_default() += rate.leads;
        }
        let mut keys: Vec<(Option<i64>, u64)> = totals.into_iter().collect();
        keys.sort_by_key(|(id, leads)| (id.is_none(), std::cmp::Reverse(*leads), id.and_then(|id| names.get(&id))));
        keys.into_iter().map(|(id, _)| id).collect()
    };
    let names = table.names(Dimension::Source);
    let sources = largest(names, |k| k.0);
    let names = table.names(Dimension::Salesperson);
    let salespeople = largest(names, |k| k.1);
    let shown_sources = &sources[..sources.len().min(max_sources)];
    let shown_salespeople = &salespeople[..salespeople.len().min(max_salespeople)];
    let name = |dimension: Dimension, id: &Option<i64>| -> String {
        id.and_then(|id| table.names(dimension).get(&id).cloned()).unwrap_or_default()
    };
    Matrix {
        norm,
        period: period.or(table.span),
        sources: shown_sources.iter().map(|id| name(Dimension::Source, id)).collect(),
        salespeople: shown_salespeople.iter().map(|id| name(Dimension::Salesperson, id)).collect(),
        cells: shown_salespeople
            .iter()
            .map(|sp| {
                shown_sources.iter().map(|src| counts.get(&(*src, *sp)).copied().unwrap_or(Rate { leads: 0, sold: 0, norm })).collect()
            })
            .collect(),
        more_sources: sources.len() - shown_sources.len(),
        more_salespeople: salespeople.len() - shown_salespeople.len(),
    }
}

/// Groups and totals from counted rows; `period` is what the report says it covers.
fn summarise(
    by: Dimension,
    norm: f64,
    rows: impl IntoIterator<Item = RollupRow>,
    names: &HashMap<i64, String>,
    period: Option<(i64, i64)>,
) -> Report {
    let mut total = Rate { leads: 0, sold: 0, norm };
    let mut passive_leads = 0;
    let mut groups: BTreeMap<GroupKey, Rate> = BTreeMap::new();
    for row in rows {
        if row.passive {
            passive_leads += row.leads;
            continue;
        }
        let key = match by {
            Dimension::Source | Dimension::Salesperson | Dimension::Branch | Dimension::Agent => GroupKey::Name(row.key),
            Dimension::Month => match row.day {
                Some(day) => GroupKey::Month(calendar::month_index(day)),
                // Undated leads belong to no month (metrics.md) but to the total.
                None => {
                    total.leads += row.leads;
                    total.sold += row.sold;
                    continue;
                }
            },
            Dimension::Response => GroupKey::Response(ResponseBucket::from_code(row.key.unwrap_or(-1))),
            Dimension::Phone => GroupKey::Phone(row.key == Some(1)),
        };
        let group = groups.entry(key).or_insert(Rate { leads: 0, sold: 0, norm });
        group.leads += row.leads;
        group.sold += row.sold;
        total.leads += row.leads;
        total.sold += row.sold;
    }
    let mut groups: Vec<Group> = groups
        .into_iter()
        .filter(|(_, rate)| rate.leads > 0)
        .map(|(key, rate)| {
            let name = match &key {
                GroupKey::Name(Some(id)) => names.get(id).cloned(),
                _ => None,
            };
            Group { key, name, rate, evidence: Evidence::default() }
        })
        .collect();
    if by.is_name() {
        // Best first, small samples after the groups that say something,
        // the empty group last: the order of the chart.
        let order = |g: &Group| (g.name.is_none(), g.rate.small_sample());
        groups.sort_by(|a, b| {
            (order(a), b.rate.rate(), b.rate.leads, &a.name)
                .partial_cmp(&(order(b), a.rate.rate(), a.rate.leads, &b.name))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
    } else if by == Dimension::Phone {
        groups.reverse();
    }
    Report {
        by,
        norm,
        period,
        total,
        passive_leads,
        groups,
        total_evidence: Evidence::default(),
        margin_per_sale: None,
        folded: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_the_textbook() {
        // 93 of 1655 (cli.md's example): 4.6% .. 6.8%.
        let (low, high) = wilson(93, 1655);
        assert!((low - 0.0461).abs() < 5e-4 && (high - 0.0684).abs() < 5e-4, "{low} {high}");
        assert_eq!(wilson(0, 0), (0.0, 0.0));
        let (low, high) = wilson(0, 10);
        assert_eq!(low, 0.0);
        assert!((high - 0.2775).abs() < 1e-3);
    }

    #[test]
    fn gap_to_norm_counts_missing_sales() {
        let rate = |leads, sold| Rate { leads, sold, norm: 0.13 };
        assert_eq!(rate(100, 13).gap_to_norm(), 0, "13% of 100 is exactly 13 sales");
        assert_eq!(rate(1655, 93).gap_to_norm(), 123, "cli.md's example");
        assert_eq!(rate(10, 5).gap_to_norm(), 0);
        assert_eq!(rate(101, 0).gap_to_norm(), 14);
        assert!(rate(29, 1).small_sample() && !rate(30, 1).small_sample());
    }

    fn store_with(files: &[&str]) -> Store {
        let mut store = Store::open_in_memory().expect("store");
        for file in files {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data").join(file);
            crate::import::import_file(&mut store, &path, &crate::import::ImportOptions::default()).expect("imports");
        }
        store
    }

    /// Every dimension over all time and over a month, from the rollup and from the table.
    fn assert_table_matches_rollup(store: &Store) {
        let table = store.lead_table().expect("table");
        for by in Dimension::ALL {
            for period in
                [Period::ALL, Period { from: calendar::parse_iso_day("2023-08", false), to: calendar::parse_iso_day("2023-08", true) }]
            {
                let from_rollup = report(store, by, period).expect("report");
                assert_eq!(report_on(&table, by, period, &Filter::default()), from_rollup, "{by:?} {period:?}");
            }
        }
    }

    #[test]
    fn the_lead_table_reports_what_the_rollup_reports() {
        let mut store = store_with(&["samples/leads_q3_2023.xlsx", "samples/leadrapport_oktober.xlsx", "fixtures/no_ids.csv"]);
        assert_table_matches_rollup(&store);
        store.set_source_alias("Facebook Lead Ads", Some("Website formulier")).expect("alias");
        store.set_source_class("Website formulier", Some(true)).expect("class");
        assert!(report(&store, Dimension::Source, Period::ALL).expect("report").passive_leads > 1459, "the merge and the class took");
        assert_table_matches_rollup(&store);
    }

    #[test]
    fn filters_combine_and_the_matrix_adds_up() {
        let store = store_with(&["samples/leads_q3_2023.xlsx"]);
        let table = store.lead_table().expect("table");
        let all = report_on(&table, Dimension::Source, Period::ALL, &Filter::default());
        let by_person = report_on(&table, Dimension::Salesperson, Period::ALL, &Filter::default());
        let (person, person_rate) = match &by_person.groups[0].key {
            GroupKey::Name(Some(id)) => (*id, by_person.groups[0].rate),
            other => panic!("a named group first, not {other:?}"),
        };
        let source = match &all.groups[0].key {
            GroupKey::Name(Some(id)) => *id,
            other => panic!("a named group first, not {other:?}"),
        };
        let one_person = report_on(&table, Dimension::Source, Period::ALL, &Filter::one(None, Some(person), None));
        assert_eq!((one_person.total.leads, one_person.total.sold), (person_rate.leads, person_rate.sold));
        let both = Filter::one(Some(source), Some(person), None);
        let cell = report_on(&table, Dimension::Month, Period::ALL, &both).total;
        assert!(cell.leads > 0 && cell.leads < person_rate.leads, "{cell:?}");

        let matrix = matrix(&table, Period::ALL, &Filter::default(), 100, 100);
        let sum: u64 = matrix.cells.iter().flatten().map(|r| r.leads).sum();
        assert_eq!(sum, all.total.leads, "every active lead is in one cell");
        let small = super::matrix(&table, Period::ALL, &Filter::default(), 3, 4);
        assert_eq!((small.sources.len(), small.salespeople.len()), (3, 4));
        assert_eq!(small.more_sources + 3, matrix.sources.len());
        assert_eq!(small.cells[0][0], matrix.cells[0][0], "the largest come first either way");
    }

    #[test]
    fn periods_compare_with_the_one_before_and_the_year_before() {
        let day = |text: &str, end: bool| calendar::parse_iso_day(text, end);
        let q3 = Period { from: day("2023-07", false), to: day("2023-09", true) };
        let q2 = Period { from: day("2023-04", false), to: day("2023-06", true) };
        assert_eq!(q3.compared(None, Comparison::Previous), Some(q2));
        let q3_2022 = Period { from: day("2022-07", false), to: day("2022-09", true) };
        assert_eq!(q3.compared(None, Comparison::YearBefore), Some(q3_2022));
        let ten_days = Period { from: day("2024-03-05", false), to: day("2024-03-14", false) };
        let before = Period { from: day("2024-02-24", false), to: day("2024-03-04", false) };
        assert_eq!(ten_days.compared(None, Comparison::Previous), Some(before));
        let leap = Period { from: day("2024-02", false), to: day("2024-02", true) };
        assert_eq!(
            leap.compared(None, Comparison::YearBefore),
            Some(Period { from: day("2023-02-01", false), to: day("2023-02-28", false) })
        );
        assert_eq!(Period::ALL.compared(None, Comparison::Previous), None, "all time has nothing before it");
        let open_end = Period { from: day("2023-09", false), to: None };
        assert_eq!(
            open_end.compared(Some((0, day("2023-09-30", false).expect("day"))), Comparison::Previous),
            Some(Period { from: day("2023-08", false), to: day("2023-08", true) })
        );
    }

    /// The KCC sample's evidence truth, figure for figure, by the window's
    /// path and by the command line's (rollup and evidence from the table).
    #[test]
    fn the_kcc_sample_has_the_evidence_of_its_truth() {
        let store = store_with(&["samples/kcc_rapport_nov_dec.xlsx"]);
        let table = store.lead_table().expect("table");
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/samples/kcc_rapport_nov_dec.truth.json");
        let truth: serde_json::Value = serde_json::from_slice(&std::fs::read(path).expect("truth")).expect("json");
        for (name, by) in [
            ("source", Dimension::Source),
            ("salesperson", Dimension::Salesperson),
            ("branch", Dimension::Branch),
            ("agent", Dimension::Agent),
        ] {
            let window = report_with_evidence(&table, by, Period::ALL, &Filter::default());
            let mut script = report(&store, by, Period::ALL).expect("report");
            add_evidence(&mut script, &table, Period::ALL, &Filter::default());
            assert_eq!(window, script, "{name}");
            let groups = truth["evidence"][name]["groups"].as_object().expect("groups");
            assert_eq!(window.groups.len(), groups.len(), "{name}");
            for group in &window.groups {
                let key = group.name.clone().unwrap_or_else(|| "None".into());
                let want = &groups[&key];
                let got = &group.evidence;
                let adjustment = got.adjustment.expect("adjusted");
                let adjusted = adjustment.adjusted.expect("expected sales");
                let pairs = [
                    ("leads", group.rate.leads as f64, 0.0),
                    ("sold", group.rate.sold as f64, 0.0),
                    ("unanswered", got.unanswered.map_or(-1.0, |u| u as f64), 0.0),
                    ("median_response_minutes", got.median_response_minutes.map_or(-1.0, |m| m as f64), 0.0),
                    ("expected_sold", adjustment.expected_sold, 1e-4),
                    ("adjusted_rate", adjusted.rate, 1e-6),
                    ("adjusted_ci_low", adjusted.low, 1e-6),
                    ("adjusted_ci_high", adjusted.high, 1e-6),
                    ("mix_part", adjustment.mix_part, 1e-6),
                    ("conversion_part", adjustment.conversion_part, 1e-6),
                ];
                for (field, value, tolerance) in pairs {
                    let expected = want[field].as_f64().unwrap_or(-1.0);
                    assert!((value - expected).abs() <= tolerance, "{name} {key} {field}: {value} against {expected}");
                }
                let gap = group.rate.rate() - window.total.rate();
                assert!((adjustment.mix_part + adjustment.conversion_part - gap).abs() < 1e-9, "the parts add up to the gap");
            }
        }
        let by_month = report_with_evidence(&table, Dimension::Month, Period::ALL, &Filter::default());
        assert!(by_month.groups.iter().all(|g| g.evidence.adjustment.is_none() && g.evidence.unanswered.is_some()));
    }

    #[test]
    fn without_a_first_contact_column_unanswered_is_unknown() {
        let store = store_with(&["fixtures/no_ids.csv"]);
        let table = store.lead_table().expect("table");
        let report = report_with_evidence(&table, Dimension::Salesperson, Period::ALL, &Filter::default());
        assert!(report.total.leads > 0);
        for evidence in report.groups.iter().map(|g| &g.evidence).chain([&report.total_evidence]) {
            assert_eq!((evidence.unanswered, evidence.median_response_minutes), (None, None));
        }
    }

    #[test]
    fn a_margin_per_sale_puts_euros_at_stake() {
        let mut store = store_with(&["samples/leads_q3_2023.xlsx"]);
        let before = report(&store, Dimension::Source, Period::ALL).expect("report");
        assert_eq!(before.at_stake(&before.total), None, "unset by default");
        store.set_margin_per_sale(Some(1250.0)).expect("margin");
        let after = report(&store, Dimension::Source, Period::ALL).expect("report");
        assert_eq!(after.at_stake(&after.total), Some(after.total.gap_to_norm() as f64 * 1250.0));
        let table = store.lead_table().expect("table");
        assert_eq!(report_on(&table, Dimension::Source, Period::ALL, &Filter::default()).margin_per_sale, Some(1250.0));
        assert!(store.set_margin_per_sale(Some(-3.0)).is_err());
        store.set_margin_per_sale(None).expect("unset");
        assert_eq!(store.settings().expect("settings").margin_per_sale, None);
    }

    fn by_source(groups: Vec<Group>) -> Report {
        let total = Rate { leads: groups.iter().map(|g| g.rate.leads).sum(), sold: groups.iter().map(|g| g.rate.sold).sum(), norm: 0.13 };
        let mut report = summarise(Dimension::Source, 0.13, Vec::<RollupRow>::new(), &HashMap::new(), None);
        report.total = total;
        report.groups = groups;
        report
    }

    fn source(id: Option<i64>, leads: u64, sold: u64) -> Group {
        Group {
            key: GroupKey::Name(id),
            name: id.map(|i| format!("source {i}")),
            rate: Rate { leads, sold, norm: 0.13 },
            evidence: Evidence::default(),
        }
    }

    #[test]
    fn the_long_tail_of_small_sources_folds_into_one_pooled_group_drawn_last() {
        let report = by_source(vec![
            source(Some(1), 400, 60),
            source(Some(2), 120, 10),
            source(Some(3), 9, 3),
            source(Some(5), 4, 1),
            source(Some(4), 1, 0),
            source(None, 2, 0),
        ]);
        let small = report.small_sources(FOLD_SOURCES_BELOW);
        assert_eq!(small, [3, 5, 4], "the named sources under 10 leads; the empty source is no source to fold");
        let mut folded = report.clone();
        folded.fold_sources(&small);
        let keys: Vec<&GroupKey> = folded.groups.iter().map(|g| &g.key).collect();
        assert_eq!(keys, [&GroupKey::Name(Some(1)), &GroupKey::Name(Some(2)), &GroupKey::Name(None), &GroupKey::Folded], "drawn last");
        let other = folded.groups[3].rate;
        assert_eq!((other.leads, other.sold), (14, 4), "the pooled leads and sales");
        assert!((other.rate() - 4.0 / 14.0).abs() < 1e-12, "not the mean of the rates (19.4%)");
        assert_eq!(other.interval(), wilson(4, 14), "the pooled leads' interval");
        assert_eq!(other.verdict(), Rate { leads: 14, sold: 4, norm: 0.13 }.verdict());
        assert_eq!((folded.total, &folded.folded), (report.total, &vec![3, 5, 4]), "the total stays");
        assert_eq!(crate::lang::group_label(&folded, &folded.groups[3], crate::lang::Lang::Nl), "Overige (3 bronnen)");
        assert_eq!(crate::lang::group_label(&folded, &folded.groups[3], crate::lang::Lang::En), "Other (3 sources)");

        assert!(report.small_sources(2).is_empty(), "one source under 2 leads shows as itself");
        assert_eq!(report.small_sources(5), [5, 4]);
        assert!(report.small_sources(0).is_empty(), "0 never folds");
        assert!(report.small_sources(1000).is_empty(), "never every source into one bar");
        let people = Report { by: Dimension::Salesperson, ..report.clone() };
        assert!(people.small_sources(FOLD_SOURCES_BELOW).is_empty(), "only sources fold");

        // The compared period folds the same sources, those it has.
        let mut before = by_source(vec![source(Some(1), 300, 30), source(Some(3), 20, 2), source(Some(6), 3, 1)]);
        before.fold_sources(&small);
        assert_eq!(before.groups.last().map(|g| (&g.key, g.rate.leads)), Some((&GroupKey::Folded, 20)));
        assert!(before.groups.iter().any(|g| g.key == GroupKey::Name(Some(6))), "a source small only then is not folded");
    }

    /// The folded group's evidence is its pooled leads': the same as the
    /// evidence of a report filtered to those sources.
    #[test]
    fn the_folded_group_has_the_evidence_of_its_pooled_leads() {
        let store = store_with(&["fixtures/long_tail.csv"]);
        let table = store.lead_table().expect("table");
        let mut report = report_on(&table, Dimension::Source, Period::ALL, &Filter::default());
        let small = report.small_sources(FOLD_SOURCES_BELOW);
        assert!(small.len() >= 3, "the fixture's long tail: {:?}", report.groups);
        report.fold_sources(&small);
        add_evidence(&mut report, &table, Period::ALL, &Filter::default());
        let only_them = Filter { sources: small.clone(), ..Filter::default() };
        let pooled = report_with_evidence(&table, Dimension::Month, Period::ALL, &only_them);
        let other = report.groups.last().expect("groups");
        assert_eq!(other.key, GroupKey::Folded);
        assert_eq!((other.rate.leads, other.rate.sold), (pooled.total.leads, pooled.total.sold));
        assert_eq!(other.evidence.unanswered, pooled.total_evidence.unanswered);
        assert_eq!(other.evidence.median_response_minutes, pooled.total_evidence.median_response_minutes);
        assert!(other.evidence.median_response_minutes.is_some() && other.evidence.adjustment.is_some());
    }

    #[test]
    fn verdicts_need_the_whole_interval() {
        assert_eq!(Rate { leads: 1655, sold: 93, norm: 0.13 }.verdict(), Verdict::Below);
        assert_eq!(Rate { leads: 20, sold: 3, norm: 0.13 }.verdict(), Verdict::Undecided);
        assert_eq!(Rate { leads: 500, sold: 136, norm: 0.13 }.verdict(), Verdict::Above);
    }
}
