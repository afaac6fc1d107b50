//! A conversion report: cli.md's JSON and CSV, and the window's view of it.

use std::collections::HashMap;

use serde::Serialize;

use super::round6;
use crate::calendar;
use crate::lang::{group_label, Lang};
use crate::metrics::{Evidence, GroupKey, Rate, Report, Verdict};

/// A rate with as much around it as its reader needs: cli.md's total has
/// the counts and the rate, its groups the interval too; the window judges
/// every rate (`verdict`).
#[derive(Debug, Serialize)]
pub struct RateView {
    pub leads: u64,
    pub sold: u64,
    pub rate: f64,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub interval: Option<IntervalView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<&'static str>,
    /// metrics.md's evidence, for the group and the total (not the compared period's).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<EvidenceView>,
}

/// Why a group is below the norm (metrics.md), as cli.md names the fields;
/// `null` where metrics.md says so, and for the dimensions not adjusted.
#[derive(Debug, Serialize)]
pub struct EvidenceView {
    pub unanswered: Option<u64>,
    pub median_response_minutes: Option<i64>,
    pub expected_sold: Option<f64>,
    pub adjusted_rate: Option<f64>,
    pub adjusted_ci_low: Option<f64>,
    pub adjusted_ci_high: Option<f64>,
    pub mix_part: Option<f64>,
    pub conversion_part: Option<f64>,
    /// Euros: `gap_to_norm x margin`, `null` while no margin per sale is set.
    pub at_stake: Option<f64>,
    /// The window's: the leads `unanswered` is counted among (its share).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded: Option<u64>,
}

impl EvidenceView {
    fn new(evidence: &Evidence, at_stake: Option<f64>) -> Self {
        let adjustment = evidence.adjustment.as_ref();
        let adjusted = adjustment.and_then(|a| a.adjusted);
        EvidenceView {
            unanswered: evidence.unanswered,
            median_response_minutes: evidence.median_response_minutes,
            expected_sold: adjustment.map(|a| round6(a.expected_sold)),
            adjusted_rate: adjusted.map(|a| round6(a.rate)),
            adjusted_ci_low: adjusted.map(|a| round6(a.low)),
            adjusted_ci_high: adjusted.map(|a| round6(a.high)),
            mix_part: adjustment.map(|a| round6(a.mix_part)),
            conversion_part: adjustment.map(|a| round6(a.conversion_part)),
            at_stake: at_stake.map(|euros| (euros * 100.0).round() / 100.0),
            recorded: None,
        }
    }

    /// With the share's denominator, for the window.
    fn for_window(evidence: &Evidence, at_stake: Option<f64>) -> Self {
        EvidenceView { recorded: Some(evidence.recorded), ..EvidenceView::new(evidence, at_stake) }
    }
}

#[derive(Debug, Serialize)]
pub struct IntervalView {
    pub ci_low: f64,
    pub ci_high: f64,
    pub gap_to_norm: u64,
    pub small_sample: bool,
}

impl RateView {
    /// Leads, sold and the rate: cli.md's `total`.
    pub fn counts(rate: &Rate) -> Self {
        RateView { leads: rate.leads, sold: rate.sold, rate: round6(rate.rate()), interval: None, verdict: None, evidence: None }
    }

    /// With the interval, the gap and the small-sample mark: cli.md's groups.
    pub fn with_interval(rate: &Rate) -> Self {
        let (low, high) = rate.interval();
        let interval =
            IntervalView { ci_low: round6(low), ci_high: round6(high), gap_to_norm: rate.gap_to_norm(), small_sample: rate.small_sample() };
        RateView { interval: Some(interval), ..RateView::counts(rate) }
    }

    /// With the verdict too: every rate the window shows.
    pub fn judged(rate: &Rate) -> Self {
        let verdict = match rate.verdict() {
            Verdict::Below => "below",
            Verdict::Undecided => "undecided",
            Verdict::Above => "above",
        };
        RateView { verdict: Some(verdict), ..RateView::with_interval(rate) }
    }

    fn with_evidence(self, evidence: EvidenceView) -> Self {
        RateView { evidence: Some(evidence), ..self }
    }
}

#[derive(Debug, Serialize)]
pub struct GroupView {
    /// cli.md's key: the name as shown, `YYYY-MM`, a bucket; `null` for the empty group.
    pub key: Option<String>,
    /// The window's: the name id, for filtering on a source, salesperson or branch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// The window's: the key in the reader's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(flatten)]
    pub rate: RateView,
    /// The window's: the same group in the compared period, if it had leads there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<RateView>,
    /// The window's: the sources the folded group ("Other (n sources)") pools, by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sources: Option<Vec<String>>,
}

#[derive(Debug, Serialize)]
pub struct PeriodView {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// From the file's rows to the rate's denominator, so nobody argues about
/// what was counted: rows read (all imports) -> unique leads (all) -> leads
/// in this view (period and filter) -> active leads.
#[derive(Debug, Serialize)]
pub struct CountPath {
    pub rows_read: u64,
    pub unique_leads: u64,
    pub in_view: u64,
    pub active: u64,
    /// Active leads the view's groups cannot place (`metrics::unplaced`).
    pub unplaced: u64,
}

/// cli.md's report object; the window's has the count path, judged rates
/// and the compared period as well.
#[derive(Debug, Serialize)]
pub struct ReportView {
    pub by: &'static str,
    /// What the evidence adjusts for: `response`, `source` or `null` (cli.md).
    pub adjusted_by: Option<&'static str>,
    pub norm: f64,
    /// The period asked for, or the span of the data.
    pub period: PeriodView,
    pub total: RateView,
    pub passive_leads: u64,
    pub groups: Vec<GroupView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<CountPath>,
    /// The same report over the compared period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compared: Option<Box<ReportView>>,
}

impl ReportView {
    /// cli.md's report, field for field.
    pub fn for_script(report: &Report) -> Self {
        let evidence = |evidence: &Evidence, rate: &Rate| EvidenceView::new(evidence, report.at_stake(rate));
        ReportView {
            by: report.by.name(),
            adjusted_by: report.by.adjusted_by().map(|d| d.name()),
            norm: report.norm,
            period: period(report),
            total: RateView::counts(&report.total).with_evidence(evidence(&report.total_evidence, &report.total)),
            passive_leads: report.passive_leads,
            groups: report
                .groups
                .iter()
                .map(|g| GroupView {
                    key: g.key_text(),
                    id: None,
                    label: None,
                    rate: RateView::with_interval(&g.rate).with_evidence(evidence(&g.evidence, &g.rate)),
                    previous: None,
                    sources: None,
                })
                .collect(),
            path: None,
            compared: None,
        }
    }

    /// The window's report: judged rates, labels in `lang`, name ids, the
    /// count path, each group beside itself in the compared period, and the
    /// folded group's sources by their names (`source_names`).
    pub fn for_window(
        report: &Report,
        compared: Option<&Report>,
        path: CountPath,
        lang: Lang,
        source_names: &HashMap<i64, String>,
    ) -> Self {
        let evidence = |report: &Report, evidence: &Evidence, rate: &Rate| EvidenceView::for_window(evidence, report.at_stake(rate));
        let judged = |report: &Report, compared: Option<&Report>| ReportView {
            by: report.by.name(),
            adjusted_by: report.by.adjusted_by().map(|d| d.name()),
            norm: report.norm,
            period: period(report),
            total: RateView::judged(&report.total).with_evidence(evidence(report, &report.total_evidence, &report.total)),
            passive_leads: report.passive_leads,
            groups: report
                .groups
                .iter()
                .map(|g| GroupView {
                    key: g.key_text(),
                    id: match g.key {
                        GroupKey::Name(id) => id,
                        _ => None,
                    },
                    label: Some(group_label(report, g, lang)),
                    rate: RateView::judged(&g.rate).with_evidence(evidence(report, &g.evidence, &g.rate)),
                    previous: compared.and_then(|c| report.counterpart(g, c)).map(|p| RateView::judged(&p.rate)),
                    sources: (g.key == GroupKey::Folded)
                        .then(|| report.folded.iter().filter_map(|id| source_names.get(id).cloned()).collect()),
                })
                .collect(),
            path: None,
            compared: None,
        };
        ReportView { path: Some(path), compared: compared.map(|c| Box::new(judged(c, None))), ..judged(report, compared) }
    }
}

fn period(report: &Report) -> PeriodView {
    PeriodView { from: report.period.map(|p| calendar::format_day(p.0)), to: report.period.map(|p| calendar::format_day(p.1)) }
}

/// cli.md's CSV: one line per group, the key quoted where needed and
/// defused where a spreadsheet would run it as a formula (a salesperson
/// called "=HYPERLINK(...)"); the window's folded sources as "Other (n
/// sources)" in `lang`.
pub fn report_csv(report: &Report, lang: Lang) -> Result<String, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(["key", "leads", "sold", "rate", "ci_low", "ci_high", "gap_to_norm", "small_sample"])?;
    for group in &report.groups {
        let rate = RateView::with_interval(&group.rate);
        let Some(interval) = rate.interval else { continue };
        out.write_record([
            defused(if group.key == GroupKey::Folded { group_label(report, group, lang) } else { group.key_text().unwrap_or_default() }),
            rate.leads.to_string(),
            rate.sold.to_string(),
            rate.rate.to_string(),
            interval.ci_low.to_string(),
            interval.ci_high.to_string(),
            interval.gap_to_norm.to_string(),
            interval.small_sample.to_string(),
        ])?;
    }
    let bytes = out.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Text a spreadsheet would run as a formula gets a leading quote.
pub(super) fn defused(text: String) -> String {
    if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Group;
    use crate::model::Dimension;

    fn rate(leads: u64, sold: u64) -> Rate {
        Rate { leads, sold, norm: 0.13 }
    }

    fn sample() -> Report {
        let group = |name: &str, leads, sold| Group {
            key: GroupKey::Name(Some(1)),
            name: Some(name.into()),
            rate: rate(leads, sold),
            evidence: Evidence::default(),
        };
        Report {
            by: Dimension::Source,
            norm: 0.13,
            period: Some((
                calendar::parse_iso_day("2023-07-01", false).unwrap_or(0),
                calendar::parse_iso_day("2023-09-30", true).unwrap_or(0),
            )),
            total: rate(880, 64),
            passive_leads: 5,
            groups: vec![group("Facebook Lead Ads", 840, 62), group("=HYPERLINK(\"x\"), Jan", 40, 2)],
            total_evidence: Evidence::default(),
            margin_per_sale: None,
            folded: Vec::new(),
        }
    }

    #[test]
    fn the_script_report_has_cli_md_fields_exactly() {
        let json = serde_json::to_value(ReportView::for_script(&sample())).expect("serialises");
        let keys = |value: &serde_json::Value| {
            let mut keys = value.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
            keys.sort();
            keys
        };
        assert_eq!(keys(&json), ["adjusted_by", "by", "groups", "norm", "passive_leads", "period", "total"]);
        assert_eq!(json["adjusted_by"], "response");
        assert_eq!(json["period"], serde_json::json!({"from": "2023-07-01", "to": "2023-09-30"}));
        let evidence = [
            "adjusted_ci_high",
            "adjusted_ci_low",
            "adjusted_rate",
            "at_stake",
            "conversion_part",
            "expected_sold",
            "median_response_minutes",
            "mix_part",
            "unanswered",
        ];
        let with = |fields: &[&str]| {
            let mut all: Vec<String> = fields.iter().chain(&evidence).map(|f| f.to_string()).collect();
            all.sort();
            all
        };
        assert_eq!(keys(&json["total"]), with(&["leads", "rate", "sold"]));
        assert_eq!((&json["total"]["rate"], &json["total"]["unanswered"]), (&serde_json::json!(0.072727), &serde_json::Value::Null));
        assert_eq!(keys(&json["groups"][0]), with(&["ci_high", "ci_low", "gap_to_norm", "key", "leads", "rate", "small_sample", "sold"]));
        assert_eq!(json["groups"][0]["gap_to_norm"], 48, "ceil(0.13 x 840) - 62");
    }

    #[test]
    fn the_window_report_judges_labels_and_compares() {
        let report = sample();
        let path = CountPath { rows_read: 900, unique_leads: 890, in_view: 885, active: 880, unplaced: 0 };
        let json =
            serde_json::to_value(ReportView::for_window(&report, Some(&report), path, Lang::Nl, &HashMap::new())).expect("serialises");
        assert_eq!(json["total"]["verdict"], "below");
        assert_eq!(json["groups"][0]["label"], "Facebook Lead Ads");
        assert_eq!(json["groups"][0]["id"], 1);
        assert_eq!(json["groups"][0]["previous"]["leads"], 840);
        assert_eq!(json["path"]["rows_read"], 900);
        assert_eq!(json["compared"]["period"]["from"], "2023-07-01");
        assert!(json["compared"].get("compared").is_none() && json["compared"].get("path").is_none());
    }

    #[test]
    fn csv_fields_are_quoted_and_defused() {
        let csv = report_csv(&sample(), Lang::En).expect("csv");
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "key,leads,sold,rate,ci_low,ci_high,gap_to_norm,small_sample");
        assert!(lines[1].starts_with("Facebook Lead Ads,840,62,0.07381,"), "{}", lines[1]);
        assert!(lines[2].starts_with("\"'=HYPERLINK(\"\"x\"\"), Jan\",40,2,0.05,"), "{}", lines[2]);
    }
}
