//! Conversion charts with plotters, as SVG or PNG: a bar per group with its
//! 95% interval and verdict, a line over the months, the source x
//! salesperson matrix; each with the norm, and small samples marked so no
//! one reads them as a verdict.
//!
//! - `mod.rs`: the API (`render`, `render_matrix`, the options), and the
//!   bars a report becomes, shared by the bar and the month charts;
//! - `frame.rs`: what every chart repeats, drawn once: the heading, the rate
//!   axis and its grid, the norm line, the legend;
//! - `theme.rs`: the colours;
//! - `bars.rs`, `months.rs`, `matrix.rs`: one file per kind of chart;
//! - `output.rs`: SVG with the font embedded, PNG, and the font itself.

mod bars;
mod frame;
mod matrix;
mod months;
mod output;
mod theme;

use plotters::prelude::DrawingBackend;

pub use theme::Theme;

use crate::lang::{group_label, norm_percent, percent, period_label, Lang};
use crate::metrics::{Matrix, Report, Verdict};
use crate::model::Dimension;
use frame::Frame;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartFormat {
    Svg,
    Png,
}

#[derive(Debug, Clone)]
pub struct ChartOptions {
    pub format: ChartFormat,
    /// Pixels; by default 1200 wide and as high as the groups need.
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub lang: Lang,
    /// Salespeople as "Verkoper A", "Verkoper B", ... (for a meeting).
    pub anonymize: bool,
    /// Which leads the chart counts, when not all ("Branch Noord"): shown
    /// under the title, so a chart shown in a meeting says what it is.
    pub scope: Option<String>,
    /// The colours; light (paper, the window) unless a caller asks otherwise.
    pub theme: Theme,
}

impl Default for ChartOptions {
    fn default() -> Self {
        ChartOptions {
            format: ChartFormat::Svg,
            width: None,
            height: None,
            lang: Lang::En,
            anonymize: false,
            scope: None,
            theme: Theme::LIGHT,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("the chart font cannot be loaded")]
    Font,
    #[error("the chart cannot be drawn: {0}")]
    Draw(String),
    #[error("the PNG cannot be written: {0}")]
    Png(String),
}

pub fn render(report: &Report, options: &ChartOptions) -> Result<Vec<u8>, ChartError> {
    let bars = bars(report, options);
    let height = if report.by == Dimension::Month { months::HEIGHT } else { bars::height(bars.len()) };
    let title = chart_title(options.lang.title(report.by), &period_label(report, options.lang));
    output::render(&Chart::Report(report, bars), options, height, &title)
}

/// Conversion per salesperson (rows) within each source (columns).
pub fn render_matrix(matrix: &Matrix, options: &ChartOptions) -> Result<Vec<u8>, ChartError> {
    let title = chart_title(options.lang.matrix_title(), &crate::lang::span_label(matrix.period, options.lang));
    output::render(&Chart::Matrix(matrix), options, matrix::height(matrix), &title)
}

fn chart_title(title: &str, period: &str) -> String {
    format!("{title} — {period}")
}

/// What is drawn: a report (bars, or a line for months) or the matrix.
enum Chart<'a> {
    Report(&'a Report, Vec<Bar>),
    Matrix(&'a Matrix),
}

impl Chart<'_> {
    fn draw<DB: DrawingBackend>(&self, frame: &mut Frame<'_, DB>, options: &ChartOptions) -> Result<(), ChartError> {
        match self {
            Chart::Report(report, bars) => {
                let lang = options.lang;
                // Title, period, what was counted and which leads.
                let subtitle = format!(
                    "{} · {} {} · {} {} · {} {}",
                    period_label(report, lang),
                    report.total.leads,
                    lang.active_leads(),
                    percent(lang, report.total.rate()),
                    lang.conversion(),
                    lang.norm(),
                    norm_percent(lang, report.norm)
                );
                frame.heading(lang.title(report.by), subtitle, options.scope.as_deref());
                if bars.is_empty() {
                    frame.no_data();
                    Ok(())
                } else if report.by == Dimension::Month {
                    months::draw(frame, report, bars)
                } else {
                    bars::draw(frame, report, bars)
                }
            }
            Chart::Matrix(matrix) => matrix::draw(frame, matrix, options),
        }
    }
}

/// One bar of the chart (or one month's point), in drawing order.
struct Bar {
    label: String,
    rate: f64,
    low: f64,
    high: f64,
    leads: u64,
    small: bool,
    below: bool,
    verdict: Verdict,
}

fn bars(report: &Report, options: &ChartOptions) -> Vec<Bar> {
    let mut alias = 0;
    report
        .groups
        .iter()
        .map(|group| {
            let (low, high) = group.rate.interval();
            let mut label = group_label(report, group, options.lang);
            if options.anonymize && report.by == Dimension::Salesperson && group.name.is_some() {
                label = options.lang.salesperson_alias(alias);
                alias += 1;
            }
            Bar {
                label: printable(&label),
                rate: group.rate.rate(),
                low,
                high,
                leads: group.rate.leads,
                small: group.rate.small_sample(),
                below: group.rate.rate() < report.norm,
                verdict: group.rate.verdict(),
            }
        })
        .collect()
}

/// Labels are data: control characters would make the SVG ill-formed.
fn printable(text: &str) -> String {
    let clean: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let clean = crate::model::collapse_spaces(&clean);
    if clean.chars().count() > 48 {
        clean.chars().take(47).collect::<String>() + "…"
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of every element, entities resolved; panics on ill-formed XML.
    fn texts(svg: &[u8]) -> Vec<String> {
        use quick_xml::events::Event;
        let mut reader = quick_xml::Reader::from_reader(svg);
        let (mut out, mut current) = (Vec::new(), String::new());
        loop {
            match reader.read_event().expect("well-formed SVG") {
                Event::Text(t) => current.push_str(&t.xml10_content()),
                Event::GeneralRef(r) => current.push_str(match &*r.xml10_content() {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    _ => "'",
                }),
                Event::End(_) if !current.trim().is_empty() => out.push(std::mem::take(&mut current).trim().to_string()),
                Event::Start(_) | Event::End(_) => current.clear(),
                Event::Eof => return out,
                _ => {}
            }
        }
    }

    fn sample_table() -> crate::store::LeadTable {
        let mut store = crate::store::Store::open_in_memory().expect("store");
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/samples/leads_q3_2023.xlsx");
        crate::import::import_file(&mut store, &path, &crate::import::ImportOptions::default()).expect("imports");
        store.lead_table().expect("table")
    }

    #[test]
    fn the_matrix_and_the_bars_say_their_verdicts() {
        let table = sample_table();
        let filter = crate::metrics::Filter::default();
        let matrix = crate::metrics::matrix(&table, crate::metrics::Period::ALL, &filter, 6, 12);
        let options = ChartOptions { scope: Some("Branch <Noord>".into()), ..ChartOptions::default() };
        let svg = render_matrix(&matrix, &options).expect("matrix chart");
        let found = texts(&svg);
        assert!(found.iter().any(|t| t == "Conversion per salesperson within each source"), "{:?}", &found[1..]);
        assert!(found.iter().any(|t| t.starts_with("Branch <Noord> · ")), "the scope, as text");
        assert!(found.iter().any(|t| t == &matrix.sources[0]) && found.iter().any(|t| t == &matrix.salespeople[0]));
        let first = matrix.cells[0][0];
        assert!(found.iter().any(|t| *t == format!("{} · {}", percent(Lang::En, first.rate()), first.leads)));
        assert!(found.iter().any(|t| t.contains("more sources")), "what is left out is said");
        let png = render_matrix(&matrix, &ChartOptions { format: ChartFormat::Png, ..ChartOptions::default() }).expect("png");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");

        let report = crate::metrics::report_on(&table, Dimension::Source, crate::metrics::Period::ALL, &filter);
        let bars = texts(&render(&report, &ChartOptions::default()).expect("bars"));
        for group in &report.groups {
            let verdict = if group.rate.small_sample() { "(small sample)" } else { Lang::En.verdict(group.rate.verdict()) };
            let line = format!("{}  ·  {} leads  ·  {verdict}", percent(Lang::En, group.rate.rate()), group.rate.leads);
            assert!(bars.contains(&line), "{line} in {:?}", &bars[1..]);
        }
    }

    #[test]
    fn labels_lose_control_characters_and_length() {
        assert_eq!(printable("Jan\u{1}\tde Vries"), "Jan de Vries");
        assert_eq!(printable(&"x".repeat(60)).chars().count(), 48);
    }
}
