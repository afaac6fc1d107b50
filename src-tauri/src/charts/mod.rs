//! Conversion charts with plotters, as SVG, PNG or PDF: a bar per group with its
//! 95% interval and verdict, a line over the months, the source x
//! salesperson matrix; each with the norm, and small samples marked so no
//! one reads them as a verdict.
//!
//! - `mod.rs`: the API (`render`, `render_matrix`, the options), and the
//!   bars a report becomes, shared by the bar and the month charts;
//! - `frame.rs`: what every chart repeats, drawn once: the heading, the rate
//!   axis and its grid, the norm line, the legend;
//! - `theme.rs`: the colours, light (paper, the window) and dark (a projector);
//! - `bars.rs`, `months.rs`, `matrix.rs`, `evidence.rs`, `volume.rs`: one
//!   file per kind of chart;
//! - `headline.rs`: the headline (the scope's rate against the norm) as a page;
//! - `output.rs`: SVG with the font embedded, PNG, and the font itself;
//! - `pdf.rs`: PDF pages, the shapes as paths and the text as text.

mod bars;
mod evidence;
mod frame;
mod headline;
mod matrix;
mod months;
mod output;
mod pdf;
mod scaled;
mod theme;
mod volume;

use plotters::prelude::DrawingBackend;

pub use pdf::{Align, Ink, Page, PageText, PdfPages};
pub use theme::Theme;

use std::collections::HashMap;

use crate::lang::{count, group_label, norm_percent, percent, period_words, span_words, Lang};
use crate::metrics::{Comparison, GroupKey, Matrix, Report, Verdict};
use crate::model::Dimension;
use frame::{Frame, MIN_PLOT};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartFormat {
    Svg,
    Png,
    /// One vector page, 16:9 unless a width or height says otherwise.
    Pdf,
}

#[derive(Debug, Clone)]
pub struct ChartOptions {
    pub format: ChartFormat,
    /// Pixels; by default 1200 wide and as high as the groups need.
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub lang: Lang,
    /// Salespeople and agents as "Verkoper A", "Verkoper B", ... (for a
    /// meeting): letters by active leads, most first, ties by name (cli.md),
    /// so every chart of one scope gives a person the same letter.
    pub anonymize: bool,
    /// Anonymised, the one salesperson who keeps their own name (`--name`).
    pub keep_name: Option<String>,
    /// Which leads the chart counts, when not all ("Branch Noord"): shown
    /// under the title, so a chart shown in a meeting says what it is.
    pub scope: Option<String>,
    /// Light for paper and the window, dark for a projector.
    pub theme: Theme,
    /// The most bars drawn; the chart says how many it leaves out.
    pub max_bars: usize,
    /// The room the chart is shown in, when it must fit (the window's
    /// dashboard: under the headline, without scrolling): at most this many
    /// pixels high, its rows no thinner than `MIN_ROW` (bars beyond those are
    /// left out, as `max_bars` leaves them out); a chart whose content needs
    /// less keeps its own height. `height` overrides it.
    pub fit_height: Option<u32>,
    /// The size an SVG is shown at, when not `width` x `height`: laid out at
    /// those, its vectors scaled to this (a slide: the layout of a 960 x 540
    /// chart, the text twice as large on a 1920 x 1080 screen).
    pub shown_at: Option<(u32, u32)>,
    /// A PNG's pixels per laid-out pixel: 2 draws the same chart twice as
    /// sharp ("PNG 2x", a PPTX picture), its text no smaller.
    pub pixel_ratio: u32,
    /// The title left out of the drawing, its room kept: a PPTX slide sets
    /// it over the picture as the slide's own title (its outline shows it).
    pub untitled: bool,
    /// The bar (in the order drawn) or the matrix row a presenter points
    /// at: drawn as it is and outlined, every other one dimmed. An index,
    /// never a name, so an anonymous deck's page never holds one.
    pub spotlight: Option<usize>,
}

impl Default for ChartOptions {
    fn default() -> Self {
        ChartOptions {
            format: ChartFormat::Svg,
            width: None,
            height: None,
            lang: Lang::En,
            anonymize: false,
            keep_name: None,
            scope: None,
            theme: Theme::LIGHT,
            max_bars: MAX_BARS,
            fit_height: None,
            shown_at: None,
            pixel_ratio: 1,
            untitled: false,
            spotlight: None,
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

/// The most bars a chart draws: beyond this names are unreadable and the
/// image grows without end (20,000 salespeople made an 800,000-pixel PNG).
/// The chart says how many groups it leaves out.
pub const MAX_BARS: usize = 60;

pub fn render(report: &Report, options: &ChartOptions) -> Result<Vec<u8>, ChartError> {
    figure(report, options).render()
}

/// Conversion per salesperson (rows) within each source (columns).
pub fn render_matrix(matrix: &Matrix, options: &ChartOptions) -> Result<Vec<u8>, ChartError> {
    matrix_figure(matrix, options).render()
}

/// Each source's rate beside its rate adjusted for answering speed: `report`
/// is by source, with its evidence (`metrics::add_evidence`).
pub fn render_evidence(report: &Report, options: &ChartOptions) -> Result<Vec<u8>, ChartError> {
    evidence_figure(report, options).render()
}

/// The salespeople as points, active leads against sales: `report` is by
/// salesperson. Anonymised, they are letters in the order of their leads.
pub fn render_volume(report: &Report, options: &ChartOptions) -> Result<Vec<u8>, ChartError> {
    volume_figure(report, options).render()
}

/// A chart made ready to draw: the data it shows, how, and its title. The
/// `render` functions draw one in its options' format; the deck puts one on
/// each page of a document (`PdfPages`).
pub struct Figure<'a> {
    chart: Chart<'a>,
    options: ChartOptions,
    title: String,
    /// The height its content needs, unless the options say one.
    height: u32,
    /// The least height its content reads at (`ChartOptions::fit_height`):
    /// rows `MIN_ROW` high, a line's or a scatter's plot `MIN_PLOT` high.
    least: u32,
}

/// A chart drawn, with where its rows are.
#[derive(Debug)]
pub struct Drawing {
    pub bytes: Vec<u8>,
    /// The rows a spotlight can pick (a bar chart's bars, the matrix's
    /// salespeople; none for other charts and PDF), in order, as
    /// `[left, top, right, bottom]` in the pixels the chart is shown at
    /// (`shown_at`, else its size): where a click picks one.
    pub rows: Vec<[u32; 4]>,
}

impl Figure<'_> {
    pub fn render(&self) -> Result<Vec<u8>, ChartError> {
        Ok(self.drawing()?.bytes)
    }

    /// The chart and where its rows are.
    pub fn drawing(&self) -> Result<Drawing, ChartError> {
        output::render(self)
    }

    /// The height it is drawn at without a height in its options: what its
    /// content needs, or within `fit_height` down to the least it reads at.
    fn fitted_height(&self) -> u32 {
        match self.options.fit_height {
            Some(room) => self.height.min(room.max(self.least)),
            None => self.height,
        }
    }

    /// The chart's title with its period.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The title the chart draws at its top ("Conversion by source").
    pub fn heading(&self) -> &'static str {
        let lang = self.options.lang;
        match &self.chart {
            Chart::Report(report, ..) => lang.title(report.by),
            Chart::Matrix(_) => lang.matrix_title(),
            Chart::Evidence(..) => lang.evidence_title(),
            Chart::Volume(..) => lang.volume_title(),
            Chart::Headline(_) => lang.headline_title(),
        }
    }
}

/// A report's bars, or for months its line.
pub fn figure<'a>(report: &'a Report, options: &ChartOptions) -> Figure<'a> {
    figure_beside(report, None, options)
}

/// A report's bars (or months' line) with, where `compared` is given, each
/// group's rate in that period as a marker on its bar (for months, on the
/// month as far into its period), named in the legend by the comparison.
pub fn figure_beside<'a>(report: &'a Report, compared: Option<(&Report, Comparison)>, options: &ChartOptions) -> Figure<'a> {
    let mut bars = bars(report, compared.map(|c| c.0), options);
    let fitting = options.fit_height.map_or(MAX_BARS, bars::fitting);
    let most = options.max_bars.min(MAX_BARS).min(fitting);
    let left_out = if report.by == Dimension::Month { 0 } else { bars.len().saturating_sub(most) };
    bars.truncate(bars.len() - left_out);
    let (height, least) =
        if report.by == Dimension::Month { (months::HEIGHT, MIN_PLOT) } else { (bars::height(bars.len()), bars::least_height(bars.len())) };
    let title = chart_title(options.lang.title(report.by), &period_words(report, options.lang));
    let marker = compared.map(|(_, with)| options.lang.compared_marker(with));
    Figure { chart: Chart::Report(report, bars, left_out, marker), options: options.clone(), title, height, least }
}

pub fn matrix_figure<'a>(matrix: &'a Matrix, options: &ChartOptions) -> Figure<'a> {
    let title = chart_title(options.lang.matrix_title(), &span_words(matrix.period, options.lang));
    // Its rows are ROW high whatever the height: it keeps its own.
    let height = matrix::height(matrix);
    Figure { chart: Chart::Matrix(matrix), options: options.clone(), title, height, least: height }
}

pub fn evidence_figure<'a>(report: &'a Report, options: &ChartOptions) -> Figure<'a> {
    let rows = evidence::rows(report, |i| printable(&group_label(report, &report.groups[i], options.lang)));
    let title = chart_title(options.lang.evidence_title(), &period_words(report, options.lang));
    let (height, least) = (evidence::height(report.groups.len()), evidence::least_height(report.groups.len()));
    Figure { chart: Chart::Evidence(report, rows), options: options.clone(), title, height, least }
}

pub fn volume_figure<'a>(report: &'a Report, options: &ChartOptions) -> Figure<'a> {
    let mut order: Vec<usize> = (0..report.groups.len()).filter(|i| report.groups[*i].name.is_some()).collect();
    order.sort_by(|a, b| {
        let (a, b) = (&report.groups[*a], &report.groups[*b]);
        b.rate.leads.cmp(&a.rate.leads).then_with(|| a.name.cmp(&b.name))
    });
    let ranked: Vec<&str> = order.iter().filter_map(|i| report.groups[*i].name.as_deref()).collect();
    let points = order
        .iter()
        .map(|i| {
            let group = &report.groups[*i];
            let name = group_label(report, group, options.lang);
            let label = if options.anonymize { alias(options, Dimension::Salesperson, &ranked, &name) } else { name };
            volume::Point { label: printable(&label), leads: group.rate.leads, sold: group.rate.sold }
        })
        .collect();
    let title = chart_title(options.lang.volume_title(), &period_words(report, options.lang));
    Figure { chart: Chart::Volume(report, points), options: options.clone(), title, height: volume::HEIGHT, least: MIN_PLOT }
}

/// The headline: the scope's conversion against the norm, its interval, the
/// sales short of the norm and the passive leads apart (any report's total).
pub fn headline_figure<'a>(report: &'a Report, options: &ChartOptions) -> Figure<'a> {
    let title = chart_title(options.lang.headline_title(), &period_words(report, options.lang));
    Figure { chart: Chart::Headline(report), options: options.clone(), title, height: headline::HEIGHT, least: headline::HEIGHT }
}

/// Width and height of a text in pixels, as every format sets it.
pub fn measure_text(text: &str, size: f32) -> Result<(i32, i32), ChartError> {
    let font = ab_glyph::FontRef::try_from_slice(output::FONT).map_err(|_| ChartError::Font)?;
    Ok(output::measure(&font, text, size))
}

fn chart_title(title: &str, period: &str) -> String {
    format!("{title} — {period}")
}

/// What is drawn: a report (bars, or a line for months) or the matrix.
enum Chart<'a> {
    /// The bars drawn, how many groups are left out, and the legend of the
    /// compared period's markers (none without a comparison).
    Report(&'a Report, Vec<Bar>, usize, Option<&'static str>),
    Matrix(&'a Matrix),
    Evidence(&'a Report, Vec<evidence::EvidenceRow>),
    Volume(&'a Report, Vec<volume::Point>),
    Headline(&'a Report),
}

impl Chart<'_> {
    fn draw<DB: DrawingBackend>(&self, frame: &mut Frame<'_, DB>, options: &ChartOptions) -> Result<(), ChartError> {
        let lang = options.lang;
        match self {
            Chart::Matrix(matrix) => matrix::draw(frame, matrix, options),
            Chart::Report(report, bars, left_out, marker) => {
                if !report_heading(frame, report, lang.title(report.by), options, bars.is_empty()) {
                    Ok(())
                } else if report.by == Dimension::Month {
                    months::draw(frame, report, bars, *marker)
                } else {
                    bars::draw(frame, report, bars, *left_out, options.spotlight, *marker)
                }
            }
            Chart::Evidence(report, rows) => {
                if report_heading(frame, report, lang.evidence_title(), options, rows.is_empty()) {
                    evidence::draw(frame, report, rows)
                } else {
                    Ok(())
                }
            }
            Chart::Headline(report) => {
                if report_heading(frame, report, lang.headline_title(), options, report.total.leads == 0) {
                    headline::draw(frame, report)
                } else {
                    Ok(())
                }
            }
            Chart::Volume(report, points) => {
                if report_heading(frame, report, lang.volume_title(), options, points.is_empty()) {
                    volume::draw(frame, report, points)
                } else {
                    Ok(())
                }
            }
        }
    }
}

/// The title, the report's subtitle and the scope, which every chart of a
/// report starts with; "no data" under them and false when `empty`.
fn report_heading<DB: DrawingBackend>(
    frame: &mut Frame<'_, DB>,
    report: &Report,
    title: &str,
    options: &ChartOptions,
    empty: bool,
) -> bool {
    frame.heading(title, subtitle(report, options.lang), options.scope.as_deref());
    if empty {
        // Leads without a creation date belong to no month: the month view
        // says so rather than that the period has no leads.
        let undated = report.by == Dimension::Month && report.total.leads > 0;
        frame.no_data(if undated { options.lang.no_creation_dates() } else { options.lang.no_data() });
    }
    !empty
}

/// Under the title: period, what was counted and the norm.
fn subtitle(report: &Report, lang: Lang) -> String {
    format!(
        "{} · {} {} · {} {} · {} {}",
        period_words(report, lang),
        count(lang, report.total.leads),
        lang.active_leads(),
        percent(lang, report.total.rate()),
        lang.conversion(),
        lang.norm(),
        norm_percent(lang, report.norm)
    )
}

/// The three verdicts' colours with their words, for a legend: the same in
/// every chart (and in the window's tables).
fn verdict_legend(
    theme: Theme,
    lang: Lang,
    swatch: impl Fn(plotters::style::RGBColor) -> frame::Swatch,
) -> Vec<(frame::Swatch, &'static str)> {
    [Verdict::Below, Verdict::Undecided, Verdict::Above].into_iter().map(|v| (swatch(theme.verdict(v)), lang.verdict(v))).collect()
}

/// One bar of the chart (or one month's point), in drawing order.
struct Bar {
    label: String,
    rate: f64,
    low: f64,
    high: f64,
    leads: u64,
    small: bool,
    verdict: Verdict,
    /// The unassigned leads of a salesperson or agent chart: no person, so
    /// drawn apart below a line, in a neutral colour, never judged.
    apart: bool,
    /// The long tail of small sources pooled ("Other (n sources)"): drawn
    /// last, below a line, judged by its pooled leads.
    folded: bool,
    /// The group's rate in the compared period, where it had leads there.
    previous: Option<f64>,
}

fn bars(report: &Report, compared: Option<&Report>, options: &ChartOptions) -> Vec<Bar> {
    let people = matches!(report.by, Dimension::Salesperson | Dimension::Agent);
    let ranked = ranked_names(report);
    report
        .groups
        .iter()
        .map(|group| {
            let (low, high) = group.rate.interval();
            let mut label = match group.key {
                GroupKey::Month(month) => options.lang.month_words(month),
                _ => group_label(report, group, options.lang),
            };
            if options.anonymize && people && group.name.is_some() {
                label = alias(options, report.by, &ranked, &label);
            }
            Bar {
                label: printable(&label),
                rate: group.rate.rate(),
                low,
                high,
                leads: group.rate.leads,
                small: group.rate.small_sample(),
                verdict: group.rate.verdict(),
                apart: people && group.name.is_none(),
                folded: group.key == GroupKey::Folded,
                previous: compared.and_then(|c| report.counterpart(group, c)).map(|g| g.rate.rate()),
            }
        })
        .collect()
}

/// The named groups by active leads, most first, ties by name: the order
/// anonymised names take their letters in (cli.md).
fn ranked_names(report: &Report) -> Vec<&str> {
    let mut named: Vec<(&str, u64)> = report.groups.iter().filter_map(|g| Some((g.name.as_deref()?, g.rate.leads))).collect();
    named.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    named.into_iter().map(|(name, _)| name).collect()
}

/// The anonymous names of a report by salesperson or agent, by cli.md's
/// rule (`alias`), for what is drawn from renamed data (the deck, the
/// window's tables), so it shows the letters the charts give.
pub struct Aliases {
    names: HashMap<String, String>,
    dimension: Dimension,
    lang: Lang,
}

impl Aliases {
    pub fn new(report: &Report, options: &ChartOptions) -> Aliases {
        let ranked = ranked_names(report);
        let names = ranked.iter().map(|name| (name.to_string(), alias(options, report.by, &ranked, name))).collect();
        Aliases { names, dimension: report.by, lang: options.lang }
    }

    /// The report's names by their aliases; a name the first report did not
    /// hold (one only in a compared period) the next letter, one each.
    pub fn rename_report(&self, report: &mut Report) {
        let mut next = self.names.len();
        for name in report.groups.iter_mut().filter_map(|g| g.name.as_mut()) {
            *name = self.of(name, &mut next);
        }
    }

    /// The matrix's salespeople by their aliases (the empty group stays).
    pub fn rename_matrix(&self, matrix: &mut Matrix) {
        let mut next = self.names.len();
        for name in matrix.salespeople.iter_mut().filter(|n| !n.is_empty()) {
            *name = self.of(name, &mut next);
        }
    }

    fn of(&self, name: &str, next: &mut usize) -> String {
        self.names.get(name).cloned().unwrap_or_else(|| {
            *next += 1;
            match self.dimension {
                Dimension::Agent => self.lang.agent_alias(*next - 1),
                _ => self.lang.salesperson_alias(*next - 1),
            }
        })
    }
}

/// A salesperson's or agent's name as an anonymised chart shows it: the
/// letter of its place in `ranked`, not counting the one who keeps their
/// name (`keep_name`, compared as names are), who is shown as they are.
fn alias(options: &ChartOptions, dimension: Dimension, ranked: &[&str], name: &str) -> String {
    let same = |a: &str, b: &str| crate::model::name_key(a) == crate::model::name_key(b);
    let kept = options.keep_name.as_deref().filter(|_| dimension == Dimension::Salesperson);
    if kept.is_some_and(|k| same(k, name)) {
        return name.to_string();
    }
    let place = ranked.iter().filter(|r| !kept.is_some_and(|k| same(k, r))).position(|r| same(r, name)).unwrap_or(ranked.len());
    match dimension {
        Dimension::Agent => options.lang.agent_alias(place),
        _ => options.lang.salesperson_alias(place),
    }
}

/// Labels are data: control characters and the noncharacters U+FFFE and
/// U+FFFF are no XML characters and would make the SVG ill-formed.
fn printable(text: &str) -> String {
    let clean: String = text.chars().map(|c| if c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}') { ' ' } else { c }).collect();
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
    use crate::calendar;
    use plotters::style::RGBColor;

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

    /// A PNG's width and its RGB pixels.
    fn pixels(png: &[u8]) -> (usize, Vec<u8>) {
        let mut reader = png::Decoder::new(png).read_info().expect("a PNG");
        let mut pixels = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut pixels).expect("its pixels");
        assert_eq!(info.color_type, png::ColorType::Rgb);
        (info.width as usize, pixels)
    }

    /// How many of a PNG's pixels are within a few steps of `colour`.
    fn pixels_near(png: &[u8], colour: RGBColor) -> usize {
        let (_, rgb) = pixels(png);
        let near = |a: u8, b: u8| a.abs_diff(b) <= 3;
        rgb.chunks(3).filter(|p| near(p[0], colour.0) && near(p[1], colour.1) && near(p[2], colour.2)).count()
    }

    /// `colour` at `alpha` over the theme's background, as a matrix cell is filled.
    fn over_background(colour: RGBColor, alpha: f64) -> RGBColor {
        let mix = |c: u8, b: u8| (alpha * f64::from(c) + (1.0 - alpha) * f64::from(b)).round() as u8;
        let b = Theme::LIGHT.background;
        RGBColor(mix(colour.0, b.0), mix(colour.1, b.1), mix(colour.2, b.2))
    }

    #[test]
    fn a_bar_and_its_matrix_cell_have_the_colour_of_their_verdict_not_of_their_side_of_the_norm() {
        let table = sample_table();
        let all = crate::metrics::matrix(&table, crate::metrics::Period::ALL, &crate::metrics::Filter::default(), 8, 20);
        // A salesperson within a source above the norm whose interval still holds it.
        let (person, source) = (0..all.salespeople.len())
            .flat_map(|p| (0..all.sources.len()).map(move |s| (p, s)))
            .find(|&(p, s)| {
                let rate = &all.cells[p][s];
                rate.rate() > all.norm && rate.verdict() == Verdict::Undecided && !rate.small_sample()
            })
            .expect("an undecided cell above the norm in the sample");
        let ids = |dimension, name: &String| crate::metrics::name_ids(&table, dimension, std::slice::from_ref(name)).expect("a name");
        let filter = crate::metrics::Filter {
            sources: ids(Dimension::Source, &all.sources[source]),
            salespeople: ids(Dimension::Salesperson, &all.salespeople[person]),
            branches: Vec::new(),
        };
        let png = ChartOptions { format: ChartFormat::Png, ..ChartOptions::default() };
        let report = crate::metrics::report_on(&table, Dimension::Salesperson, crate::metrics::Period::ALL, &filter);
        assert_eq!(report.groups.len(), 1, "one bar");
        let bar = render(&report, &png).expect("bars");
        let theme = Theme::LIGHT;
        // The bar is thousands of pixels; the legend's squares a few hundred.
        assert!(pixels_near(&bar, theme.undecided) > 2000, "the bar in the undecided colour");
        assert!(pixels_near(&bar, theme.at_norm) < 400, "no bar in the above-the-norm colour");
        let cell = crate::metrics::matrix(&table, crate::metrics::Period::ALL, &filter, 8, 20);
        assert_eq!((cell.sources.len(), cell.salespeople.len()), (1, 1), "one cell");
        let matrix = render_matrix(&cell, &png).expect("matrix");
        assert!(pixels_near(&matrix, over_background(theme.undecided, 0.85)) > 2000, "the cell in the undecided colour");
        assert!(pixels_near(&matrix, over_background(theme.at_norm, 0.85)) < 400, "no cell in the above-the-norm colour");
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
        assert!(found.iter().any(|t| *t == format!("{} · {}", percent(Lang::En, first.rate()), count(Lang::En, first.leads))));
        assert!(found.iter().any(|t| t.contains("more sources")), "what is left out is said");
        let png = render_matrix(&matrix, &ChartOptions { format: ChartFormat::Png, ..ChartOptions::default() }).expect("png");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");

        let report = crate::metrics::report_on(&table, Dimension::Source, crate::metrics::Period::ALL, &filter);
        let bars = texts(&render(&report, &ChartOptions::default()).expect("bars"));
        for group in &report.groups {
            let verdict = if group.rate.small_sample() { "(small sample)" } else { Lang::En.verdict(group.rate.verdict()) };
            let line = format!("{}  ·  {} leads  ·  {verdict}", percent(Lang::En, group.rate.rate()), count(Lang::En, group.rate.leads));
            assert!(bars.contains(&line), "{line} in {:?}", &bars[1..]);
        }
    }

    #[test]
    fn the_dark_theme_draws_dark_and_says_the_same() {
        let table = sample_table();
        let filter = crate::metrics::Filter::default();
        let report = crate::metrics::report_on(&table, Dimension::Source, crate::metrics::Period::ALL, &filter);
        let matrix = crate::metrics::matrix(&table, crate::metrics::Period::ALL, &filter, 6, 12);
        let light = ChartOptions::default();
        let dark = ChartOptions { theme: Theme::DARK, ..ChartOptions::default() };
        assert_eq!(light.theme, Theme::LIGHT, "light unless asked");

        for (light_svg, dark_svg) in [
            (render(&report, &light).expect("light bars"), render(&report, &dark).expect("dark bars")),
            (render_matrix(&matrix, &light).expect("light matrix"), render_matrix(&matrix, &dark).expect("dark matrix")),
        ] {
            assert_ne!(light_svg, dark_svg);
            assert_eq!(texts(&light_svg), texts(&dark_svg), "the same words on either background");
            let dark_svg = String::from_utf8(dark_svg).expect("UTF-8");
            assert!(dark_svg.contains(r##"fill="#111827""##), "the dark background");
            assert!(dark_svg.contains(r##"fill="#F9FAFB""##), "light ink");
            assert!(!dark_svg.contains(r##"fill="#1F2937""##), "no light theme's ink left");
        }

        let png =
            |options: &ChartOptions| pixels(&render(&report, &ChartOptions { format: ChartFormat::Png, ..options.clone() }).expect("png"));
        let ((width, light_png), (_, dark_png)) = (png(&light), png(&dark));
        assert_eq!(light_png[..3], [0xff, 0xff, 0xff], "the corner is the background");
        assert_eq!(dark_png[..3], [0x11, 0x18, 0x27]);
        // The title's pixels (30 px high from y = 20): the text is drawn,
        // dark on the light chart and light on the dark one.
        let title = |pixels: &[u8]| -> Vec<[u8; 3]> {
            (20..50)
                .flat_map(|y| (24..400).map(move |x| (y * width + x) * 3))
                .map(|at| [pixels[at], pixels[at + 1], pixels[at + 2]])
                .collect()
        };
        assert!(title(&light_png).iter().any(|p| p.iter().all(|c| *c < 0x40)), "dark text on light");
        assert!(title(&dark_png).iter().any(|p| p.iter().all(|c| *c > 0xe0)), "light text on dark");
    }

    #[test]
    fn the_evidence_and_volume_charts_draw() {
        let mut store = crate::store::Store::open_in_memory().expect("store");
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/samples/kcc_rapport_nov_dec.xlsx");
        crate::import::import_file(&mut store, &path, &crate::import::ImportOptions::default()).expect("imports");
        let table = store.lead_table().expect("table");
        let filter = crate::metrics::Filter::default();
        let by_source = crate::metrics::report_with_evidence(&table, Dimension::Source, crate::metrics::Period::ALL, &filter);
        let found = texts(&render_evidence(&by_source, &ChartOptions::default()).expect("evidence chart"));
        let facebook = by_source.groups.iter().find(|g| g.name.as_deref() == Some("Facebook Lead Ads")).expect("Facebook");
        let adjusted = facebook.evidence.adjustment.and_then(|a| a.adjusted).expect("adjusted");
        let line = format!("{} → {}", percent(Lang::En, facebook.rate.rate()), percent(Lang::En, adjusted.rate));
        assert!(found.contains(&line), "{line} in {found:?}");
        assert!(found.iter().any(|t| t.starts_with("What-if, not a cause")));
        let by_person = crate::metrics::report_on(&table, Dimension::Salesperson, crate::metrics::Period::ALL, &filter);
        let named = texts(&render_volume(&by_person, &ChartOptions::default()).expect("volume chart"));
        assert!(named.iter().any(|t| t == "Zoë Smit") && named.iter().any(|t| t == "norm 13%"), "{named:?}");
        let anonymous = texts(&render_volume(&by_person, &ChartOptions { anonymize: true, ..ChartOptions::default() }).expect("volume"));
        assert!(!anonymous.iter().any(|t| t == "Zoë Smit"));
        assert!(anonymous.iter().any(|t| t == "Salesperson A"), "the most leads is A");
    }

    #[test]
    fn every_chart_of_a_scope_gives_a_salesperson_the_same_letter_and_keeps_the_name_asked_for() {
        let table = sample_table();
        let filter = crate::metrics::Filter::default();
        let by_person = crate::metrics::report_on(&table, Dimension::Salesperson, crate::metrics::Period::ALL, &filter);
        let ranked = ranked_names(&by_person);
        let leads = |name: &str| by_person.groups.iter().find(|g| g.name.as_deref() == Some(name)).map(|g| g.rate.leads);
        assert!(ranked.windows(2).all(|w| leads(w[0]) >= leads(w[1])), "most leads first");
        let matrix = crate::metrics::matrix(&table, crate::metrics::Period::ALL, &filter, 8, 20);
        let in_matrix: Vec<&str> = matrix.salespeople.iter().filter(|n| !n.is_empty()).map(String::as_str).collect();
        assert_eq!(in_matrix, ranked[..in_matrix.len()], "the matrix lists them in the letters' order");

        let options = ChartOptions { anonymize: true, ..ChartOptions::default() };
        assert_eq!(alias(&options, Dimension::Salesperson, &ranked, ranked[0]), "Salesperson A");
        assert_eq!(alias(&options, Dimension::Salesperson, &ranked, ranked[2]), "Salesperson C");
        assert_eq!(alias(&options, Dimension::Agent, &ranked, ranked[1]), "Agent B");
        let keep = ChartOptions { keep_name: Some(format!("  {} ", ranked[1].to_uppercase())), ..options };
        assert_eq!(alias(&keep, Dimension::Salesperson, &ranked, ranked[1]), ranked[1], "kept as they are");
        assert_eq!(alias(&keep, Dimension::Salesperson, &ranked, ranked[2]), "Salesperson B", "the letters go on without them");
        let found = texts(&render(&by_person, &keep).expect("bars"));
        assert!(found.iter().any(|t| t == ranked[1]), "{found:?}");
        assert!(!ranked.iter().enumerate().any(|(i, name)| i != 1 && found.iter().any(|t| t.contains(name))), "no other name: {found:?}");
    }

    #[test]
    fn the_unassigned_leads_are_drawn_apart_and_not_judged() {
        let table = sample_table();
        let by_person =
            crate::metrics::report_on(&table, Dimension::Salesperson, crate::metrics::Period::ALL, &crate::metrics::Filter::default());
        let unassigned = by_person.groups.last().expect("groups");
        assert!(unassigned.name.is_none(), "the empty group comes last");
        let svg = String::from_utf8(render(&by_person, &ChartOptions::default()).expect("bars")).expect("utf-8");
        let found = texts(svg.as_bytes());
        let line = format!("{}  ·  {}", percent(Lang::En, unassigned.rate.rate()), Lang::En.lead_count(unassigned.rate.leads));
        assert!(found.contains(&line), "rate and leads, no verdict: {line} in {found:?}");
        // The same report with the empty group named: one neutral bar fewer.
        let muted = Theme::LIGHT.muted;
        let fill = format!("fill=\"#{:02X}{:02X}{:02X}\"", muted.0, muted.1, muted.2);
        let mut named = by_person.clone();
        if let Some(last) = named.groups.last_mut() {
            last.name = Some("Iemand".into());
        }
        let as_person = String::from_utf8(render(&named, &ChartOptions::default()).expect("bars")).expect("utf-8");
        assert_eq!(svg.matches(&fill).count(), as_person.matches(&fill).count() + 1, "the unassigned bar in the neutral colour");
    }

    /// The mean brightness of a PNG's pixels in `[left, top, right, bottom]`, and how many are `colour`.
    fn in_row(png: &(usize, Vec<u8>), [left, top, right, bottom]: [u32; 4], colour: RGBColor) -> (f64, usize) {
        let (width, pixels) = png;
        let (mut sum, mut n, mut same) = (0.0, 0usize, 0usize);
        for y in top as usize..bottom as usize {
            for x in left as usize..right as usize {
                let p = &pixels[(y * width + x) * 3..][..3];
                sum += p.iter().map(|c| f64::from(*c)).sum::<f64>() / 3.0;
                n += 1;
                same += usize::from(p[..] == [colour.0, colour.1, colour.2]);
            }
        }
        (sum / n.max(1) as f64, same)
    }

    #[test]
    fn a_spotlight_keeps_one_bar_or_matrix_row_and_fades_the_rest() {
        let table = sample_table();
        let filter = crate::metrics::Filter::default();
        let report = crate::metrics::report_on(&table, Dimension::Source, crate::metrics::Period::ALL, &filter);
        let matrix = crate::metrics::matrix(&table, crate::metrics::Period::ALL, &filter, 6, 12);
        let png = ChartOptions { format: ChartFormat::Png, width: Some(960), height: Some(540), ..ChartOptions::default() };
        let lit = ChartOptions { spotlight: Some(1), ..png.clone() };
        let theme = Theme::LIGHT;

        let plain = figure(&report, &png).drawing().expect("bars");
        let spotlit = figure(&report, &lit).drawing().expect("bars");
        assert_eq!(plain.rows.len(), report.groups.len(), "a row per bar");
        assert_eq!(plain.rows, spotlit.rows, "the spotlight moves nothing");
        assert!(plain.rows.windows(2).all(|w| w[0][3] <= w[1][1]), "top to bottom, apart: {:?}", plain.rows);
        let (plain_png, lit_png) = (pixels(&plain.bytes), pixels(&spotlit.bytes));
        for (i, (row, group)) in plain.rows.iter().zip(&report.groups).enumerate() {
            let colour = if group.rate.rate() < report.norm { theme.below_norm } else { theme.at_norm };
            let ((before, full), (after, kept)) = (in_row(&plain_png, *row, colour), in_row(&lit_png, *row, colour));
            assert!(full > 100, "row {i}: its bar ({full} pixels)");
            if i == 1 {
                assert_eq!(kept, full, "the bar in the spotlight keeps its colour");
                assert!(after < before, "and gains a dark outline");
            } else {
                assert_eq!(kept, 0, "row {i}: faded, none of its colour left");
                assert!(in_row(&lit_png, *row, theme.dimmed(colour)).1 >= full, "row {i}: the faded colour instead");
                assert!(after > before + 5.0, "row {i}: lighter ({before:.0} -> {after:.0})");
            }
        }
        let svg =
            String::from_utf8(figure(&report, &ChartOptions { spotlight: Some(1), ..ChartOptions::default() }).render().expect("svg"))
                .expect("utf-8");
        let hex = |c: RGBColor| format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
        assert!(svg.contains(&format!("fill=\"{}\"", hex(theme.dimmed(theme.at_norm)))), "faded bars in the SVG");
        assert!(svg.contains(&format!("stroke=\"{}\" stroke-width=\"3\"", hex(theme.ink))), "the outline");

        // The matrix as high as its rows need.
        let png = ChartOptions { height: None, width: None, ..png };
        let lit = ChartOptions { spotlight: Some(1), ..png.clone() };
        let plain = matrix_figure(&matrix, &png).drawing().expect("matrix");
        let spotlit = matrix_figure(&matrix, &lit).drawing().expect("matrix");
        assert_eq!(plain.rows.len(), matrix.salespeople.len(), "a row per salesperson");
        let (plain_png, lit_png) = (pixels(&plain.bytes), pixels(&spotlit.bytes));
        for (i, row) in plain.rows.iter().enumerate() {
            // Inside the outline's reach.
            let inner = [row[0] + 8, row[1] + 4, row[2] - 8, row[3] - 4];
            let (before, _) = in_row(&plain_png, inner, theme.ink);
            let (after, _) = in_row(&lit_png, inner, theme.ink);
            if i == 1 {
                assert!((after - before).abs() < 0.01, "row {i}: as it was inside");
                assert!(in_row(&lit_png, *row, theme.ink).0 < in_row(&plain_png, *row, theme.ink).0, "row {i}: outlined");
            } else {
                assert!(after > before + 5.0, "row {i}: lighter ({before:.0} -> {after:.0})");
            }
        }

        // The rows where the slide shows the chart: a 960 x 540 layout at 1920 x 1080.
        let png = ChartOptions { width: Some(960), height: Some(540), ..png };
        let shown = ChartOptions { shown_at: Some((1920, 1080)), format: ChartFormat::Svg, ..png.clone() };
        let at_slide = figure(&report, &shown).drawing().expect("svg");
        let doubled: Vec<[u32; 4]> = figure(&report, &png).drawing().expect("png").rows.iter().map(|r| r.map(|v| v * 2)).collect();
        assert_eq!(at_slide.rows, doubled, "in the pixels the chart is shown at");
        // A row drawn past the image's end is no row to pick.
        let short = ChartOptions { height: Some(300), ..png };
        let rows = matrix_figure(&matrix, &short).drawing().expect("matrix").rows;
        assert!(!rows.is_empty() && rows.len() < matrix.salespeople.len(), "{rows:?}");
        assert!(rows.iter().all(|r| r[3] > r[1] && r[3] <= 300), "{rows:?}");
    }

    /// An SVG's width and height as its root gives them.
    fn svg_size(svg: &[u8]) -> (u32, u32) {
        let svg = std::str::from_utf8(svg).expect("utf-8");
        let attribute = |name: &str| {
            let at = svg.find(&format!(" {name}=\"")).expect(name) + name.len() + 3;
            svg[at..].split('"').next().and_then(|v| v.parse().ok()).expect("a number")
        };
        (attribute("width"), attribute("height"))
    }

    #[test]
    fn a_chart_fitted_to_a_room_stays_in_it_with_readable_rows_and_says_what_it_leaves_out() {
        let table = sample_table();
        let filter = crate::metrics::Filter::default();
        let people = crate::metrics::report_on(&table, Dimension::Salesperson, crate::metrics::Period::ALL, &filter);
        assert!(people.groups.len() > 7, "more salespeople than 400 pixels hold: {}", people.groups.len());
        let fitted = ChartOptions { width: Some(1000), fit_height: Some(400), ..ChartOptions::default() };
        let drawing = figure(&people, &fitted).drawing().expect("svg");
        assert_eq!(svg_size(&drawing.bytes), (1000, 400));
        assert_eq!(drawing.rows.len(), 7, "the bars 26-pixel rows hold in 400 - 210 pixels: {:?}", drawing.rows);
        let centres: Vec<u32> = drawing.rows.iter().map(|r| (r[1] + r[3]) / 2).collect();
        assert!(centres.windows(2).all(|w| w[1] - w[0] >= frame::MIN_ROW - 1), "{centres:?}");
        let more = Lang::En.groups_more(people.groups.len() - 7);
        assert!(texts(&drawing.bytes).contains(&more), "{more}");

        // A room larger than the chart needs: its own height, every bar.
        let roomy = ChartOptions { fit_height: Some(2000), ..fitted.clone() };
        let drawing = figure(&people, &roomy).drawing().expect("svg");
        assert_eq!(svg_size(&drawing.bytes), (1000, bars::height(people.groups.len())));
        assert_eq!(drawing.rows.len(), people.groups.len());
        // A room too small: the least each chart reads at, never less.
        let cramped = ChartOptions { fit_height: Some(200), ..fitted.clone() };
        assert_eq!(svg_size(&figure(&people, &cramped).render().expect("svg")).1, bars::least_height(3));
        let months = crate::metrics::report_on(&table, Dimension::Month, crate::metrics::Period::ALL, &filter);
        assert_eq!(svg_size(&figure(&months, &cramped).render().expect("svg")).1, MIN_PLOT);
        assert_eq!(svg_size(&figure(&months, &fitted).render().expect("svg")).1, 400);
        assert_eq!(svg_size(&volume_figure(&people, &fitted).render().expect("svg")).1, 400);
        // A height asked for wins over the room.
        let asked = ChartOptions { height: Some(640), ..fitted };
        assert_eq!(svg_size(&figure(&people, &asked).render().expect("svg")).1, 640);
    }

    #[test]
    fn a_comparison_marks_each_bars_rate_in_the_other_period() {
        let table = sample_table();
        let filter = crate::metrics::Filter::default();
        let month =
            |text: &str| crate::metrics::Period { from: calendar::parse_iso_day(text, false), to: calendar::parse_iso_day(text, true) };
        let september = month("2023-09");
        let august = september.compared(table.span, Comparison::Previous).expect("the month before");
        assert_eq!(august, month("2023-08"));
        let report = crate::metrics::report_on(&table, Dimension::Source, september, &filter);
        let compared = crate::metrics::report_on(&table, Dimension::Source, august, &filter);
        let png = ChartOptions { format: ChartFormat::Png, ..ChartOptions::default() };
        let plain = figure(&report, &png).drawing().expect("bars");
        let marked = figure_beside(&report, Some((&compared, Comparison::Previous)), &png).drawing().expect("bars");
        assert_eq!(plain.rows, marked.rows, "the marker moves no bar");
        let theme = Theme::LIGHT;
        let (plain_png, marked_png) = (pixels(&plain.bytes), pixels(&marked.bytes));
        let (width, rgb) = &marked_png;
        let at = |x: usize, y: usize| -> RGBColor {
            let p = &rgb[(y * width + x) * 3..][..3];
            RGBColor(p[0], p[1], p[2])
        };
        for (row, group) in marked.rows.iter().zip(&report.groups) {
            let before = compared.groups.iter().find(|g| g.key == group.key).expect("each source had August leads").rate.rate();
            assert_eq!(in_row(&plain_png, *row, theme.compared).1, 0, "no marker without a comparison");
            let centre = (row[1] + row[3]) as usize / 2;
            let xs = row[0] as usize..row[2] as usize;
            // Above the bar only the marker has its colour; inside it the bar
            // has its verdict's, from the axis to its rate.
            let marker: Vec<usize> = xs.clone().filter(|x| at(*x, centre - 14) == theme.compared).collect();
            assert!((3..=6).contains(&marker.len()), "{:?}: one marker a few pixels wide, not {marker:?}", group.name);
            let bar: Vec<usize> = xs.filter(|x| at(*x, centre - 9) == theme.verdict(group.rate.verdict())).collect();
            let (start, last) = (bar[0], bar[bar.len() - 1]);
            let (start, end) = (start as f64, last as f64 + 1.0);
            let drawn = marker.iter().sum::<usize>() as f64 / marker.len() as f64 + 0.5;
            if marker[0] <= last + 1 && marker[marker.len() - 1] + 1 >= last {
                // Over the bar's end, which it hides: the two rates are close.
                assert!((drawn - end).abs() <= 4.0 && (before / group.rate.rate() - 1.0).abs() < 0.05, "{:?}", group.name);
            } else {
                let expected = start + (end - start) * before / group.rate.rate();
                assert!((drawn - expected).abs() <= 2.5, "{:?}: marker at {drawn}, August's rate at {expected:.1}", group.name);
            }
        }
        let svg = figure_beside(&report, Some((&compared, Comparison::Previous)), &ChartOptions::default()).render().expect("svg");
        assert!(texts(&svg).iter().any(|t| t == "previous period"), "the legend names the marker");
        assert!(!texts(&render(&report, &ChartOptions::default()).expect("svg")).iter().any(|t| t == "previous period"));
        let dutch = ChartOptions { lang: Lang::Nl, ..ChartOptions::default() };
        let svg = figure_beside(&report, Some((&compared, Comparison::YearBefore)), &dutch).render().expect("svg");
        assert!(texts(&svg).iter().any(|t| t == "zelfde periode vorig jaar"));

        // Months meet the month as far into the compared period: September
        // the July two months before, August June, which has no leads.
        let two = crate::metrics::Period { from: month("2023-08").from, to: month("2023-09").to };
        let by_month = crate::metrics::report_on(&table, Dimension::Month, two, &filter);
        let before =
            crate::metrics::report_on(&table, Dimension::Month, two.compared(table.span, Comparison::Previous).expect("before"), &filter);
        let bars = bars(&by_month, Some(&before), &ChartOptions::default());
        let july = before.groups.iter().find(|g| g.key == GroupKey::Month(calendar::month_index(month("2023-07").from.expect("day"))));
        assert_eq!(bars.iter().map(|b| b.previous).collect::<Vec<_>>(), [None, july.map(|g| g.rate.rate())]);
        let line = figure_beside(&by_month, Some((&before, Comparison::Previous)), &png).render().expect("months");
        assert!(pixels_near(&line, theme.compared) > 120, "the level marker on September (24 x 4) and its legend (14 x 4)");
    }

    #[test]
    fn a_long_legend_takes_two_lines_within_the_chart() {
        let table = sample_table();
        let month =
            |text: &str| crate::metrics::Period { from: calendar::parse_iso_day(text, false), to: calendar::parse_iso_day(text, true) };
        // One salesperson's sources: small samples, so the longest legend.
        let people = crate::metrics::report_on(&table, Dimension::Salesperson, month("2023-09"), &crate::metrics::Filter::default());
        let person = match people.groups[0].key {
            GroupKey::Name(Some(id)) => id,
            _ => panic!("a salesperson first"),
        };
        let filter = crate::metrics::Filter::one(None, Some(person), None);
        let report = crate::metrics::report_on(&table, Dimension::Source, month("2023-09"), &filter);
        let compared = crate::metrics::report_on(&table, Dimension::Source, month("2023-08"), &filter);
        assert!(report.groups.iter().any(|g| g.rate.small_sample()));
        // As wide as a slide's layout: the Dutch legend does not fit on one line.
        let options = ChartOptions { format: ChartFormat::Png, lang: Lang::Nl, width: Some(960), ..ChartOptions::default() };
        let png = figure_beside(&report, Some((&compared, Comparison::YearBefore)), &options).render().expect("png");
        let (width, rgb) = pixels(&png);
        let height = rgb.len() / 3 / width;
        let muted = Theme::LIGHT.muted;
        let text_at = |x: usize, y: usize| {
            let p = &rgb[(y * width + x) * 3..][..3];
            p.iter().zip([muted.0, muted.1, muted.2]).all(|(a, b)| a.abs_diff(b) < 40)
        };
        let past_the_edge =
            (height - 60..height).flat_map(|y| (width - 20..width).map(move |x| (x, y))).filter(|(x, y)| text_at(*x, *y)).count();
        assert_eq!(past_the_edge, 0, "no legend text past the right margin");
        let lines = (height - 60..height).filter(|y| (0..width).any(|x| text_at(x, *y))).collect::<Vec<_>>();
        assert!(lines.windows(2).any(|w| w[1] - w[0] > 3), "two lines of legend: {lines:?}");
        assert!(texts(
            &figure_beside(&report, Some((&compared, Comparison::YearBefore)), &ChartOptions { lang: Lang::Nl, ..ChartOptions::default() })
                .render()
                .expect("svg")
        )
        .iter()
        .any(|t| t == "zelfde periode vorig jaar"));
    }

    #[test]
    fn labels_lose_control_characters_and_length() {
        assert_eq!(printable("Jan\u{1}\tde Vries"), "Jan de Vries");
        assert_eq!(printable("Jan\u{fffe}de\u{ffff}Vries"), "Jan de Vries");
        assert_eq!(printable(&"x".repeat(60)).chars().count(), 48);
    }
}
