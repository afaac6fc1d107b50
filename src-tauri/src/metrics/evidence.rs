//! Why a group is below the norm (metrics.md, "evidence"): unanswered leads,
//! the median response, the sales the group's kinds of leads would have
//! brought at the scope's rates, the rate adjusted for that mix with Byar's
//! interval, and the gap to the scope split into a mix and a conversion part
//! (Kitagawa). What-ifs, not causes.

use rustc_hash::FxHashMap as FastMap;

use super::{selected, Filter, GroupKey, Period, Report, Z};
use crate::calendar;
use crate::model::{Dimension, ResponseBucket};
use crate::store::{LeadTable, TableRow};

/// A group's (or the total's) evidence; every figure counts active leads.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Evidence {
    /// Active leads without a first contact, counted among the leads whose
    /// report has a first-contact column; `None` when no lead's report has one.
    pub unanswered: Option<u64>,
    /// The leads `unanswered` is counted among (its share's denominator).
    pub recorded: u64,
    /// The lower middle of the answered leads' whole minutes to first contact.
    pub median_response_minutes: Option<i64>,
    /// For the dimensions metrics.md adjusts (`Dimension::adjusted_by`).
    pub adjustment: Option<Adjustment>,
}

impl Evidence {
    /// The unanswered share, where known.
    pub fn unanswered_share(&self) -> Option<f64> {
        self.unanswered.filter(|_| self.recorded > 0).map(|u| u as f64 / self.recorded as f64)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Adjustment {
    /// `sum over k of n(g,k) x R(k)`.
    pub expected_sold: f64,
    /// `None` when `expected_sold` is 0.
    pub adjusted: Option<AdjustedRate>,
    /// The part of `rate - R` the mix of kinds explains.
    pub mix_part: f64,
    /// The part that remains: converting each kind better or worse.
    pub conversion_part: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdjustedRate {
    pub rate: f64,
    pub low: f64,
    pub high: f64,
}

/// The kind a lead counts as when `by` is adjusted for `adjusted_by`.
fn kind(row: &TableRow, adjusted_by: Dimension) -> i64 {
    match adjusted_by {
        Dimension::Response => row.response().code(),
        // The empty source is a kind of its own.
        _ => row.name(adjusted_by).unwrap_or(0),
    }
}

/// The group a lead belongs to in `by`, as `summarise` keys it; `None`
/// for an undated lead by month (in the total only).
fn group_key(row: &TableRow, by: Dimension, months: &mut FastMap<i64, i64>) -> Option<GroupKey> {
    Some(match by {
        // The month of each day once: the calendar's arithmetic for every
        // lead would cost more than the rest of the pass.
        Dimension::Month => {
            let day = row.day()?;
            GroupKey::Month(*months.entry(day).or_insert_with(|| calendar::month_index(day)))
        }
        Dimension::Response => GroupKey::Response(row.response()),
        Dimension::Phone => GroupKey::Phone(row.has_phone),
        _ => GroupKey::Name(row.name(by)),
    })
}

#[derive(Default)]
struct Counts {
    leads: u64,
    sold: u64,
    recorded: u64,
    unanswered: u64,
    minutes: Vec<i32>,
    /// Kind -> (leads, sold).
    kinds: FastMap<i64, (u64, u64)>,
}

impl Counts {
    fn add(&mut self, row: &TableRow, kind: Option<i64>) {
        self.leads += 1;
        self.sold += u64::from(row.sold);
        if row.contact_recorded() {
            self.recorded += 1;
            self.unanswered += u64::from(row.response() == ResponseBucket::None);
        }
        if let Some(minutes) = row.response_minutes() {
            self.minutes.push(minutes);
        }
        if let Some(kind) = kind {
            let entry = self.kinds.entry(kind).or_default();
            entry.0 += 1;
            entry.1 += u64::from(row.sold);
        }
    }

    fn evidence(mut self, scope: Option<&Counts>) -> Evidence {
        Evidence {
            unanswered: (self.recorded > 0).then_some(self.unanswered),
            recorded: self.recorded,
            median_response_minutes: lower_median(&mut self.minutes),
            adjustment: scope.map(|scope| adjust(&self.kinds, self.sold, &scope.kinds)),
        }
    }
}

/// The lower middle value (metrics.md); `None` for no values.
pub fn lower_median(values: &mut [i32]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    let middle = (values.len() - 1) / 2;
    let (_, value, _) = values.select_nth_unstable(middle);
    Some(i64::from(*value))
}

/// A group's kinds (kind -> leads, sold) against the scope's.
pub fn adjust(group: &FastMap<i64, (u64, u64)>, sold: u64, scope: &FastMap<i64, (u64, u64)>) -> Adjustment {
    let group_leads: u64 = group.values().map(|c| c.0).sum();
    let scope_leads: u64 = scope.values().map(|c| c.0).sum();
    let scope_sold: u64 = scope.values().map(|c| c.1).sum();
    let fraction = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let scope_rate = fraction(scope_sold, scope_leads);
    let (mut expected, mut mix, mut conversion) = (0.0, 0.0, 0.0);
    // In key order, so the sums come out the same on every run.
    let mut kinds: Vec<(&i64, &(u64, u64))> = scope.iter().collect();
    kinds.sort_unstable_by_key(|(k, _)| **k);
    for (kind, &(n_scope, sold_scope)) in kinds {
        let rate_scope = fraction(sold_scope, n_scope);
        let share_scope = fraction(n_scope, scope_leads);
        let (n, sold_kind) = group.get(kind).copied().unwrap_or((0, 0));
        // A kind the group has no leads of converts at the scope's rate.
        let rate = if n == 0 { rate_scope } else { fraction(sold_kind, n) };
        let share = fraction(n, group_leads);
        expected += n as f64 * rate_scope;
        mix += (share - share_scope) * (rate + rate_scope) / 2.0;
        conversion += (rate - rate_scope) * (share + share_scope) / 2.0;
    }
    Adjustment {
        expected_sold: expected,
        adjusted: (expected > 0.0).then(|| byar(sold, expected, scope_rate)),
        mix_part: mix,
        conversion_part: conversion,
    }
}

/// `observed / expected x rate` with Byar's 95% interval on the observed count.
pub fn byar(observed: u64, expected: f64, rate: f64) -> AdjustedRate {
    let o = observed as f64;
    let low = if observed == 0 { 0.0 } else { o * (1.0 - 1.0 / (9.0 * o) - Z / (3.0 * o.sqrt())).powi(3) };
    let o1 = o + 1.0;
    let high = o1 * (1.0 - 1.0 / (9.0 * o1) + Z / (3.0 * o1.sqrt())).powi(3);
    AdjustedRate { rate: o / expected * rate, low: low / expected * rate, high: high / expected * rate }
}

/// Fills in the evidence of `report`'s groups and total, from the leads of
/// the same period and filter (the report is `report` or `report_on` of them).
pub fn add_evidence(report: &mut Report, table: &LeadTable, period: Period, filter: &Filter) {
    let by = report.by;
    let adjusted_by = by.adjusted_by();
    let mut scope = Counts { minutes: Vec::with_capacity(table.rows.len()), ..Counts::default() };
    let mut groups: FastMap<GroupKey, Counts> = FastMap::default();
    let mut months = FastMap::default();
    // The folded sources' leads are one group's (`Report::fold_sources`).
    let folded: rustc_hash::FxHashSet<i64> = report.folded.iter().copied().collect();
    for row in selected(table, period.resolve(table.span), filter).filter(|r| !r.passive) {
        let kind = adjusted_by.map(|a| kind(row, a));
        scope.add(row, kind);
        if let Some(mut key) = group_key(row, by, &mut months) {
            if matches!(key, GroupKey::Name(Some(id)) if folded.contains(&id)) {
                key = GroupKey::Folded;
            }
            groups.entry(key).or_default().add(row, kind);
        }
    }
    let scope_kinds = Counts { kinds: scope.kinds.clone(), ..Counts::default() };
    let scope_for = adjusted_by.map(|_| &scope_kinds);
    for group in &mut report.groups {
        if let Some(counts) = groups.remove(&group.key) {
            group.evidence = counts.evidence(scope_for);
        }
    }
    report.total_evidence = scope.evidence(scope_for);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(pairs: &[(i64, u64, u64)]) -> FastMap<i64, (u64, u64)> {
        pairs.iter().map(|&(k, n, s)| (k, (n, s))).collect()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn expected_adjusted_and_the_split_by_hand() {
        // Scope: kind 1 100 leads 20 sold (20%), kind 2 100 leads 5 sold (5%); R = 12.5%.
        let scope = kinds(&[(1, 100, 20), (2, 100, 5)]);
        // The group: 10 of kind 1 (3 sold), 40 of kind 2 (2 sold): 5 of 50 = 10%.
        let group = kinds(&[(1, 10, 3), (2, 40, 2)]);
        let a = adjust(&group, 5, &scope);
        // expected = 10 x 0.2 + 40 x 0.05 = 4; adjusted = 5 / 4 x 0.125.
        assert!(close(a.expected_sold, 4.0), "{a:?}");
        assert!(close(a.adjusted.map(|r| r.rate).unwrap_or(0.0), 0.15625));
        // mix = (0.2 - 0.5)(0.3 + 0.2)/2 + (0.8 - 0.5)(0.05 + 0.05)/2 = -0.075 + 0.015
        assert!(close(a.mix_part, -0.06), "{a:?}");
        // conversion = (0.3 - 0.2)(0.2 + 0.5)/2 + (0.05 - 0.05)(..) = 0.035
        assert!(close(a.conversion_part, 0.035), "{a:?}");
        assert!(close(a.mix_part + a.conversion_part, 0.10 - 0.125), "the parts add up to the gap");
    }

    #[test]
    fn an_empty_kind_converts_at_the_scopes_rate() {
        let scope = kinds(&[(1, 100, 20), (2, 100, 5), (3, 50, 0)]);
        let group = kinds(&[(1, 20, 2)]);
        let a = adjust(&group, 2, &scope);
        assert!(close(a.expected_sold, 4.0));
        let scope_rate = 25.0 / 250.0;
        assert!(close(a.mix_part + a.conversion_part, 0.1 - scope_rate), "{a:?}");
        // Kind 2 and 3: r(g,k) = R(k), so no conversion part from them.
        assert!(close(a.conversion_part, (0.1 - 0.2) * (1.0 + 0.4) / 2.0), "{a:?}");
    }

    #[test]
    fn zero_expected_has_no_adjusted_rate() {
        let scope = kinds(&[(1, 100, 20), (2, 50, 0)]);
        let a = adjust(&kinds(&[(2, 10, 0)]), 0, &scope);
        assert_eq!(a.expected_sold, 0.0);
        assert_eq!(a.adjusted, None);
        assert!(close(a.mix_part + a.conversion_part, 0.0 - 20.0 / 150.0));
    }

    #[test]
    fn byar_at_zero_and_by_hand() {
        let at_zero = byar(0, 4.0, 0.1);
        assert_eq!((at_zero.rate, at_zero.low), (0.0, 0.0));
        // (0+1)(1 - 1/9 + 1.96/3)^3 = 1.5418...^3 = 3.6651...
        let upper = (1.0f64 - 1.0 / 9.0 + 1.96 / 3.0).powi(3);
        assert!(close(at_zero.high, upper / 4.0 * 0.1), "{at_zero:?}");
        let ten = byar(10, 10.0, 0.2);
        assert!(close(ten.rate, 0.2));
        let low = 10.0 * (1.0f64 - 1.0 / 90.0 - 1.96 / (3.0 * 10f64.sqrt())).powi(3);
        assert!(close(ten.low, low / 10.0 * 0.2) && ten.low < 0.2 && ten.high > 0.2, "{ten:?}");
    }

    #[test]
    fn the_median_is_the_lower_middle() {
        assert_eq!(lower_median(&mut []), None);
        assert_eq!(lower_median(&mut [7]), Some(7));
        assert_eq!(lower_median(&mut [30, 10, 40, 20]), Some(20));
        assert_eq!(lower_median(&mut [5, 1, 3]), Some(3));
    }
}
