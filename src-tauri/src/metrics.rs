//! Conversion as metrics.md defines it: sold active leads / active leads per
//! group, with the Wilson interval, the gap to the norm and the small-sample
//! mark. Passive leads are counted apart, never in a rate.

use std::collections::BTreeMap;

use crate::calendar;
use crate::model::{Dimension, ResponseBucket};
use crate::store::{Store, StoreError};

/// Fewer active leads than this and a group is a small sample.
pub const SMALL_SAMPLE: u64 = 30;
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
}

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub key: GroupKey,
    /// The name as shown (most frequent spelling); `None` for the empty group.
    pub name: Option<String>,
    pub rate: Rate,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum GroupKey {
    Name(Option<i64>),
    Month(i64),
    Response(ResponseBucket),
    Phone(bool),
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

    /// Both ends as days, the open ones from the data's span; `None` for all time.
    fn resolve(self, store: &Store) -> Result<Option<(i64, i64)>, StoreError> {
        if self == Period::ALL {
            return Ok(None);
        }
        let span = store.data_span()?;
        let from = self.from.or(span.map(|s| s.0)).or(self.to);
        let to = self.to.or(span.map(|s| s.1)).or(self.from);
        Ok(from.zip(to))
    }
}

/// The conversion report of one dimension over a period of creation days.
pub fn report(store: &Store, by: Dimension, period: Period) -> Result<Report, StoreError> {
    let period = period.resolve(store)?;
    let norm = store.settings()?.norm;
    let rows = store.rollup(by, period)?;
    let names = store.display_names(by)?;
    let mut total = Rate { leads: 0, sold: 0, norm };
    let mut passive_leads = 0;
    let mut groups: BTreeMap<GroupKey, Rate> = BTreeMap::new();
    for row in rows {
        if row.passive {
            passive_leads += row.leads;
            continue;
        }
        let key = match by {
            Dimension::Source | Dimension::Salesperson | Dimension::Branch => GroupKey::Name(row.key),
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
            Group { key, name, rate }
        })
        .collect();
    if matches!(by, Dimension::Source | Dimension::Salesperson | Dimension::Branch) {
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
    let period = match period {
        Some(p) => Some(p),
        None => store.data_span()?,
    };
    Ok(Report { by, norm, period, total, passive_leads, groups })
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

    #[test]
    fn verdicts_need_the_whole_interval() {
        assert_eq!(Rate { leads: 1655, sold: 93, norm: 0.13 }.verdict(), Verdict::Below);
        assert_eq!(Rate { leads: 20, sold: 3, norm: 0.13 }.verdict(), Verdict::Undecided);
        assert_eq!(Rate { leads: 500, sold: 136, norm: 0.13 }.verdict(), Verdict::Above);
    }
}
