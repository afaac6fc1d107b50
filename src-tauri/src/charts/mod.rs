//! Conversion charts with plotters: a horizontal bar per group, its 95%
//! interval as a whisker, the norm as a labelled line, bars below the norm
//! in their own colour, small samples hatched, the lead count beside each bar.
//!
//! Text comes from Inter, embedded in the binary: plotters lays it out with
//! ab_glyph (and rasterises it for PNG), and the SVG carries the same font,
//! so a chart looks the same on Windows, macOS and Linux.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::lang::{group_label, norm_percent, percent, period_label, Lang};
use crate::metrics::{Matrix, Rate, Report, Verdict};
use crate::model::Dimension;

const FONT: &[u8] = include_bytes!("../../assets/fonts/Inter-Regular.otf");
const FAMILY: &str = "Dertien Sans";

const INK: RGBColor = RGBColor(0x1f, 0x29, 0x37);
const MUTED: RGBColor = RGBColor(0x6b, 0x72, 0x80);
const GRID: RGBColor = RGBColor(0xe5, 0xe7, 0xeb);
const AT_NORM: RGBColor = RGBColor(0x25, 0x63, 0xeb);
const BELOW_NORM: RGBColor = RGBColor(0xea, 0x58, 0x0c);
const NORM_LINE: RGBColor = RGBColor(0x11, 0x18, 0x27);
const UNDECIDED: RGBColor = RGBColor(0x9c, 0xa3, 0xaf);

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
}

impl Default for ChartOptions {
    fn default() -> Self {
        ChartOptions { format: ChartFormat::Svg, width: None, height: None, lang: Lang::En, anonymize: false, scope: None }
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

fn register_font() -> Result<(), ChartError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        [FontStyle::Normal, FontStyle::Bold].into_iter().all(|style| plotters::style::register_font(FAMILY, style, FONT).is_ok())
    });
    if ok {
        Ok(())
    } else {
        Err(ChartError::Font)
    }
}

/// One bar of the chart, in drawing order.
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

const ROW: u32 = 40;
const TOP: u32 = 118;
const BOTTOM: u32 = 92;

/// A piece of text to put on the chart. Plotters draws the SVG's text (the
/// viewer renders it with the embedded font); for PNG Dertien rasterises it
/// itself with ab_glyph, because plotters' bitmap text drops each glyph's
/// side bearing and sets "Delft" as "De lft".
struct Label {
    text: String,
    at: (i32, i32),
    size: f32,
    colour: RGBColor,
    anchor: (HPos, VPos),
}

/// What is drawn: a report (bars, or a line for months) or the matrix.
enum Chart<'a> {
    Report(&'a Report, Vec<Bar>),
    Matrix(&'a Matrix),
}

pub fn render(report: &Report, options: &ChartOptions) -> Result<Vec<u8>, ChartError> {
    let bars = bars(report, options);
    let height = if report.by == Dimension::Month { 560 } else { TOP + BOTTOM + ROW * (bars.len().max(3) as u32) };
    let title = chart_title(options.lang.title(report.by), &period_label(report, options.lang));
    output(&Chart::Report(report, bars), options, height, &title)
}

/// Conversion per salesperson (rows) within each source (columns).
pub fn render_matrix(matrix: &Matrix, options: &ChartOptions) -> Result<Vec<u8>, ChartError> {
    let height = TOP + BOTTOM + 40 + ROW * (matrix.salespeople.len().max(3) as u32);
    let title = chart_title(options.lang.matrix_title(), &crate::lang::span_label(matrix.period, options.lang));
    output(&Chart::Matrix(matrix), options, height, &title)
}

fn output(chart: &Chart<'_>, options: &ChartOptions, default_height: u32, title: &str) -> Result<Vec<u8>, ChartError> {
    register_font()?;
    let font = FontRef::try_from_slice(FONT).map_err(|_| ChartError::Font)?;
    let width = options.width.unwrap_or(1200);
    let height = options.height.unwrap_or(default_height);
    let mut labels = Vec::new();
    match options.format {
        ChartFormat::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
                draw_chart(&root, &font, chart, options, &mut labels)?;
                for label in labels {
                    let style = (FAMILY, f64::from(label.size)).into_font().color(&label.colour);
                    let style = style.pos(Pos::new(label.anchor.0, label.anchor.1));
                    root.draw(&Text::new(label.text, label.at, style)).map_err(|e| ChartError::Draw(e.to_string()))?;
                }
                root.present().map_err(|e| ChartError::Draw(e.to_string()))?;
            }
            Ok(embed_font(svg, title).into_bytes())
        }
        ChartFormat::Png => {
            let mut pixels = vec![0u8; width as usize * height as usize * 3];
            {
                let root = BitMapBackend::with_buffer(&mut pixels, (width, height)).into_drawing_area();
                draw_chart(&root, &font, chart, options, &mut labels)?;
                root.present().map_err(|e| ChartError::Draw(e.to_string()))?;
            }
            for label in &labels {
                rasterise(&font, &mut pixels, (width, height), label);
            }
            encode_png(&pixels, width, height)
        }
    }
}

fn chart_title(title: &str, period: &str) -> String {
    format!("{title} — {period}")
}

/// Width and height of a text in pixels, as both renderings lay it out.
fn measure(font: &FontRef<'_>, text: &str, size: f32) -> (i32, i32) {
    let scaled = font.as_scaled(PxScale::from(size));
    let mut width = 0.0;
    let mut previous = None;
    for c in text.chars() {
        let glyph = scaled.glyph_id(c);
        if let Some(p) = previous {
            width += scaled.kern(p, glyph);
        }
        width += scaled.h_advance(glyph);
        previous = Some(glyph);
    }
    (width.ceil() as i32, (scaled.ascent() - scaled.descent()).ceil() as i32)
}

fn rasterise(font: &FontRef<'_>, pixels: &mut [u8], (width, height): (u32, u32), label: &Label) {
    let scaled = font.as_scaled(PxScale::from(label.size));
    let (text_width, _) = measure(font, &label.text, label.size);
    let x = match label.anchor.0 {
        HPos::Left => label.at.0 as f32,
        HPos::Center => label.at.0 as f32 - text_width as f32 / 2.0,
        HPos::Right => label.at.0 as f32 - text_width as f32,
    };
    let baseline = match label.anchor.1 {
        VPos::Top => label.at.1 as f32 + scaled.ascent(),
        VPos::Center => label.at.1 as f32 + (scaled.ascent() + scaled.descent()) / 2.0,
        VPos::Bottom => label.at.1 as f32 + scaled.descent(),
    };
    let mut caret = x;
    let mut previous = None;
    for c in label.text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            caret += scaled.kern(p, id);
        }
        previous = Some(id);
        let glyph = id.with_scale_and_position(scaled.scale(), ab_glyph::point(caret, baseline));
        caret += scaled.h_advance(id);
        let Some(outline) = font.outline_glyph(glyph) else { continue };
        let bounds = outline.px_bounds();
        outline.draw(|gx, gy, coverage| {
            let px = bounds.min.x as i64 + i64::from(gx);
            let py = bounds.min.y as i64 + i64::from(gy);
            if px < 0 || py < 0 || px >= i64::from(width) || py >= i64::from(height) {
                return;
            }
            let at = (py as usize * width as usize + px as usize) * 3;
            let alpha = coverage.clamp(0.0, 1.0);
            for (channel, ink) in pixels[at..at + 3].iter_mut().zip([label.colour.0, label.colour.1, label.colour.2]) {
                *channel = (f32::from(*channel) * (1.0 - alpha) + f32::from(ink) * alpha).round() as u8;
            }
        });
    }
}

fn draw_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    font: &FontRef<'_>,
    chart: &Chart<'_>,
    options: &ChartOptions,
    labels: &mut Vec<Label>,
) -> Result<(), ChartError> {
    root.fill(&WHITE).map_err(|e| ChartError::Draw(e.to_string()))?;
    let lang = options.lang;
    let mut label = |text: String, at: (i32, i32), size: f32, colour: RGBColor, anchor: (HPos, VPos)| {
        labels.push(Label { text, at, size, colour, anchor });
    };
    // Title, period, what was counted and which leads.
    let (title, mut subtitle) = match chart {
        Chart::Report(report, _) => (
            lang.title(report.by),
            format!(
                "{} · {} {} · {} {} · {} {}",
                period_label(report, lang),
                report.total.leads,
                lang.active_leads(),
                percent(lang, report.total.rate()),
                lang.conversion(),
                lang.norm(),
                norm_percent(lang, report.norm)
            ),
        ),
        Chart::Matrix(matrix) => (
            lang.matrix_title(),
            format!("{} · {} {}", crate::lang::span_label(matrix.period, lang), lang.norm(), norm_percent(lang, matrix.norm)),
        ),
    };
    if let Some(scope) = &options.scope {
        subtitle = format!("{} · {subtitle}", printable(scope));
    }
    label(title.to_string(), (24, 20), 30.0, INK, (HPos::Left, VPos::Top));
    label(subtitle, (24, 60), 17.0, MUTED, (HPos::Left, VPos::Top));
    match chart {
        Chart::Report(report, bars) => draw(root, font, report, bars, lang, &mut label),
        Chart::Matrix(matrix) => draw_matrix(root, font, matrix, options, &mut label),
    }
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    font: &FontRef<'_>,
    report: &Report,
    bars: &[Bar],
    lang: Lang,
    label: &mut impl FnMut(String, (i32, i32), f32, RGBColor, (HPos, VPos)),
) -> Result<(), ChartError> {
    let fail = |e: DrawingAreaErrorKind<DB::ErrorType>| ChartError::Draw(e.to_string());
    let (width, height) = root.dim_in_pixel();
    let (width, height) = (width as i32, height as i32);
    let top_left = (HPos::Left, VPos::Top);
    let left = 24;

    if bars.is_empty() {
        label(lang.no_data().to_string(), (left, TOP as i32 + 20), 19.0, MUTED, top_left);
        return Ok(());
    }
    if report.by == Dimension::Month {
        return draw_months(root, font, report, bars, lang, label);
    }

    // Plot area: names on the left, the numbers on the right.
    const NAME: f32 = 17.0;
    const SMALL: f32 = 15.0;
    let label_width = bars.iter().map(|b| measure(font, &b.label, NAME).0).max().unwrap_or(0).clamp(60, width / 3);
    let numbers: Vec<String> = bars
        .iter()
        .map(|bar| {
            // Each bar's verdict: its whole interval below or above the norm,
            // or undecided; a small sample gets no verdict.
            let verdict = if bar.small { format!("({})", lang.small_sample()) } else { lang.verdict(bar.verdict).to_string() };
            format!("{}  ·  {} {}  ·  {verdict}", percent(lang, bar.rate), bar.leads, lang.leads())
        })
        .collect();
    let numbers_width = numbers.iter().map(|n| measure(font, n, SMALL).0).max().unwrap_or(0);
    let x0 = left + label_width + 16;
    let x1 = (width - numbers_width - 36).max(x0 + 100);
    let y0 = TOP as i32;
    let y1 = height - BOTTOM as i32;
    let (step, scale_max) = rate_scale(bars, report.norm);
    let x = |rate: f64| x0 + ((x1 - x0) as f64 * (rate / scale_max)).round() as i32;

    // Grid and axis.
    let ticks = (scale_max / step).round() as i32;
    for i in 0..=ticks {
        let tick = step * f64::from(i);
        root.draw(&PathElement::new(vec![(x(tick), y0), (x(tick), y1)], GRID.stroke_width(1))).map_err(fail)?;
        label(norm_percent(lang, tick), (x(tick), y1 + 8), SMALL, MUTED, (HPos::Center, VPos::Top));
    }

    let row = ((y1 - y0) as f64 / bars.len() as f64).max(8.0);
    let mut number_boxes = Vec::new();
    for (i, (bar, numbers)) in bars.iter().zip(numbers).enumerate() {
        let centre = y0 + (row * i as f64 + row / 2.0) as i32;
        let thickness = ((row * 0.56) as i32).clamp(4, 28);
        let (bar_top, bar_bottom) = (centre - thickness / 2, centre + thickness / 2);
        let colour = if bar.below { BELOW_NORM } else { AT_NORM };
        label(bar.label.clone(), (x0 - 12, centre), NAME, INK, (HPos::Right, VPos::Center));
        let area = [(x0, bar_top), (x(bar.rate).max(x0 + 1), bar_bottom)];
        if bar.small {
            // A small sample: pale and hatched, so no one reads it as a verdict.
            root.draw(&Rectangle::new(area, colour.mix(0.15).filled())).map_err(fail)?;
            let end = area[1].0;
            let mut hatch = x0 - thickness;
            while hatch < end {
                let start_x = hatch.max(x0);
                let stop_x = (hatch + thickness).min(end);
                let line = vec![(start_x, bar_bottom - (start_x - hatch)), (stop_x, bar_bottom - (stop_x - hatch))];
                root.draw(&PathElement::new(line, colour.mix(0.75).stroke_width(1))).map_err(fail)?;
                hatch += 6;
            }
            root.draw(&Rectangle::new(area, colour.stroke_width(1))).map_err(fail)?;
        } else {
            root.draw(&Rectangle::new(area, colour.filled())).map_err(fail)?;
        }
        // The 95% interval as a whisker.
        let whisker = INK.stroke_width(2);
        let cap = (thickness / 3).max(3);
        root.draw(&PathElement::new(vec![(x(bar.low), centre), (x(bar.high), centre)], whisker)).map_err(fail)?;
        for end in [bar.low, bar.high] {
            root.draw(&PathElement::new(vec![(x(end), centre - cap), (x(end), centre + cap)], whisker)).map_err(fail)?;
        }
        let at = (x(bar.high).max(x(bar.rate)) + 10, centre);
        let (w, h) = measure(font, &numbers, SMALL);
        number_boxes.push([(at.0 - 4, centre - h / 2 - 1), (at.0 + w + 4, centre + h / 2 + 1)]);
        label(numbers, at, SMALL, if bar.small { MUTED } else { INK }, (HPos::Left, VPos::Center));
    }

    // The norm, over the bars; the numbers keep a clear background over it.
    let norm_x = x(report.norm);
    root.draw(&plotters::element::DashedPathElement::new(vec![(norm_x, y0 - 10), (norm_x, y1 + 2)], 6, 4, NORM_LINE.stroke_width(2)))
        .map_err(fail)?;
    for area in number_boxes {
        root.draw(&Rectangle::new(area, WHITE.filled())).map_err(fail)?;
    }
    label(format!("{} {}", lang.norm(), norm_percent(lang, report.norm)), (norm_x, y0 - 14), NAME, NORM_LINE, (HPos::Center, VPos::Bottom));

    // Legend.
    let legend_y = height - 30;
    let mut lx = left;
    let mut entries = vec![(BELOW_NORM, lang.below_norm(), false), (AT_NORM, lang.at_or_above_norm(), false)];
    if bars.iter().any(|b| b.small) {
        entries.push((MUTED, lang.small_sample_legend(), true));
    }
    for (colour, text, hatched) in entries {
        let swatch = [(lx, legend_y - 7), (lx + 14, legend_y + 7)];
        if hatched {
            root.draw(&Rectangle::new(swatch, colour.mix(0.2).filled())).map_err(fail)?;
            root.draw(&Rectangle::new(swatch, colour.stroke_width(1))).map_err(fail)?;
        } else {
            root.draw(&Rectangle::new(swatch, colour.filled())).map_err(fail)?;
        }
        label(text.to_string(), (lx + 20, legend_y), SMALL, MUTED, (HPos::Left, VPos::Center));
        lx += 20 + measure(font, text, SMALL).0 + 28;
    }
    let whisker = INK.stroke_width(2);
    root.draw(&PathElement::new(vec![(lx, legend_y), (lx + 24, legend_y)], whisker)).map_err(fail)?;
    for end in [lx, lx + 24] {
        root.draw(&PathElement::new(vec![(end, legend_y - 5), (end, legend_y + 5)], whisker)).map_err(fail)?;
    }
    label(lang.interval().to_string(), (lx + 32, legend_y), SMALL, MUTED, (HPos::Left, VPos::Center));
    Ok(())
}

/// The rate axis: its tick step and its end, past every interval and the norm.
fn rate_scale(bars: &[Bar], norm: f64) -> (f64, f64) {
    let max = bars.iter().map(|b| b.high).fold(norm, f64::max);
    let step = if max > 0.5 {
        0.10
    } else if max > 0.2 {
        0.05
    } else {
        0.02
    };
    (step, ((max * 1.02) / step).ceil().max(1.0) * step)
}

/// Conversion over time: a line through the months, each month's interval
/// as a whisker, the norm as a dashed line across.
fn draw_months<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    font: &FontRef<'_>,
    report: &Report,
    months: &[Bar],
    lang: Lang,
    label: &mut impl FnMut(String, (i32, i32), f32, RGBColor, (HPos, VPos)),
) -> Result<(), ChartError> {
    let fail = |e: DrawingAreaErrorKind<DB::ErrorType>| ChartError::Draw(e.to_string());
    const SMALL: f32 = 15.0;
    let (width, height) = root.dim_in_pixel();
    let (x0, x1) = (24 + 56, width as i32 - 120);
    let (y0, y1) = (TOP as i32, height as i32 - BOTTOM as i32 - 24);
    let (step, scale_max) = rate_scale(months, report.norm);
    let y = |rate: f64| y1 - ((y1 - y0) as f64 * (rate / scale_max)).round() as i32;
    let slot = f64::from(x1 - x0) / months.len() as f64;
    let x = |i: usize| x0 + (slot * (i as f64 + 0.5)).round() as i32;

    let ticks = (scale_max / step).round() as i32;
    for i in 0..=ticks {
        let tick = step * f64::from(i);
        root.draw(&PathElement::new(vec![(x0, y(tick)), (x1, y(tick))], GRID.stroke_width(1))).map_err(fail)?;
        label(norm_percent(lang, tick), (x0 - 10, y(tick)), SMALL, MUTED, (HPos::Right, VPos::Center));
    }
    let norm_y = y(report.norm);
    root.draw(&plotters::element::DashedPathElement::new(vec![(x0, norm_y), (x1 + 8, norm_y)], 6, 4, NORM_LINE.stroke_width(2)))
        .map_err(fail)?;
    label(format!("{} {}", lang.norm(), norm_percent(lang, report.norm)), (x1 + 12, norm_y), 17.0, NORM_LINE, (HPos::Left, VPos::Center));

    let whisker = INK.mix(0.55).stroke_width(2);
    let points: Vec<(i32, i32)> = months.iter().enumerate().map(|(i, m)| (x(i), y(m.rate))).collect();
    for (i, month) in months.iter().enumerate() {
        root.draw(&PathElement::new(vec![(x(i), y(month.low)), (x(i), y(month.high))], whisker)).map_err(fail)?;
        for end in [month.low, month.high] {
            root.draw(&PathElement::new(vec![(x(i) - 5, y(end)), (x(i) + 5, y(end))], whisker)).map_err(fail)?;
        }
    }
    root.draw(&PathElement::new(points.clone(), AT_NORM.stroke_width(3))).map_err(fail)?;
    for (i, (month, point)) in months.iter().zip(points).enumerate() {
        let colour = if month.below { BELOW_NORM } else { AT_NORM };
        if month.small {
            // A small sample: an open point, so no one reads it as a verdict.
            root.draw(&Circle::new(point, 6, WHITE.filled())).map_err(fail)?;
            root.draw(&Circle::new(point, 6, colour.stroke_width(2))).map_err(fail)?;
        } else {
            root.draw(&Circle::new(point, 6, colour.filled())).map_err(fail)?;
        }
        let rate_at = (point.0 + 9, point.1 - 12);
        let (w, h) = measure(font, &percent(lang, month.rate), SMALL);
        root.draw(&Rectangle::new([(rate_at.0 - 2, rate_at.1 - h / 2), (rate_at.0 + w + 2, rate_at.1 + h / 2)], WHITE.mix(0.85).filled()))
            .map_err(fail)?;
        label(percent(lang, month.rate), rate_at, SMALL, INK, (HPos::Left, VPos::Center));
        label(month.label.clone(), (x(i), y1 + 10), SMALL, INK, (HPos::Center, VPos::Top));
        let count = format!("{} {}", month.leads, lang.leads());
        label(count, (x(i), y1 + 30), 13.0, MUTED, (HPos::Center, VPos::Top));
    }

    let legend_y = height as i32 - 30;
    let mut lx = 24;
    for (colour, text, open) in
        [(BELOW_NORM, lang.below_norm(), false), (AT_NORM, lang.at_or_above_norm(), false), (MUTED, lang.small_sample_legend_open(), true)]
    {
        if open && !months.iter().any(|m| m.small) {
            continue;
        }
        let style = if open { colour.stroke_width(2) } else { colour.filled() };
        root.draw(&Circle::new((lx + 6, legend_y), 6, style)).map_err(fail)?;
        label(text.to_string(), (lx + 18, legend_y), SMALL, MUTED, (HPos::Left, VPos::Center));
        lx += 18 + measure(font, text, SMALL).0 + 28;
    }
    root.draw(&PathElement::new(vec![(lx + 6, legend_y - 7), (lx + 6, legend_y + 7)], whisker)).map_err(fail)?;
    label(lang.interval().to_string(), (lx + 18, legend_y), SMALL, MUTED, (HPos::Left, VPos::Center));
    Ok(())
}

/// The matrix: a cell per salesperson and source with the rate and the
/// leads, coloured by its verdict; small samples pale, empty cells a dash.
fn draw_matrix<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    font: &FontRef<'_>,
    matrix: &Matrix,
    options: &ChartOptions,
    label: &mut impl FnMut(String, (i32, i32), f32, RGBColor, (HPos, VPos)),
) -> Result<(), ChartError> {
    let fail = |e: DrawingAreaErrorKind<DB::ErrorType>| ChartError::Draw(e.to_string());
    let lang = options.lang;
    const NAME: f32 = 16.0;
    const SMALL: f32 = 13.0;
    let (width, height) = root.dim_in_pixel();
    let (width, height) = (width as i32, height as i32);
    if matrix.cells.is_empty() || matrix.sources.is_empty() {
        label(lang.no_data().to_string(), (24, TOP as i32 + 20), 19.0, MUTED, (HPos::Left, VPos::Top));
        return Ok(());
    }
    let names: Vec<String> = matrix
        .salespeople
        .iter()
        .enumerate()
        .map(|(i, name)| match name.is_empty() {
            true => lang.empty_group(Dimension::Salesperson).to_string(),
            false if options.anonymize => lang.salesperson_alias(i),
            false => printable(name),
        })
        .collect();
    let name_width = names.iter().map(|n| measure(font, n, NAME).0).max().unwrap_or(0).clamp(60, width / 4);
    let x0 = 24 + name_width + 16;
    let column = (width - x0 - 24) / matrix.sources.len() as i32;
    let y0 = TOP as i32 + 24;
    let row = ROW as i32;
    for (j, source) in matrix.sources.iter().enumerate() {
        let text = if source.is_empty() { lang.empty_group(Dimension::Source).to_string() } else { printable(source) };
        label(
            fit(font, &text, SMALL + 1.0, column - 8),
            (x0 + column * j as i32 + column / 2, y0 - 8),
            SMALL + 1.0,
            INK,
            (HPos::Center, VPos::Bottom),
        );
    }
    for (i, (name, cells)) in names.iter().zip(&matrix.cells).enumerate() {
        let top = y0 + row * i as i32;
        label(name.clone(), (x0 - 12, top + row / 2), NAME, INK, (HPos::Right, VPos::Center));
        for (j, rate) in cells.iter().enumerate() {
            let left = x0 + column * j as i32;
            let area = [(left + 2, top + 2), (left + column - 2, top + row - 2)];
            let centre = (left + column / 2, top + row / 2);
            if rate.leads == 0 {
                root.draw(&Rectangle::new(area, GRID.mix(0.5).filled())).map_err(fail)?;
                label("–".to_string(), centre, SMALL, MUTED, (HPos::Center, VPos::Center));
                continue;
            }
            let colour = cell_colour(rate);
            let small = rate.small_sample();
            root.draw(&Rectangle::new(area, colour.mix(if small { 0.12 } else { 0.85 }).filled())).map_err(fail)?;
            if small {
                root.draw(&Rectangle::new(area, colour.mix(0.6).stroke_width(1))).map_err(fail)?;
            }
            let ink = if small { INK } else { WHITE };
            let text = format!("{} · {}", percent(lang, rate.rate()), rate.leads);
            label(fit(font, &text, SMALL, column - 8), centre, SMALL, ink, (HPos::Center, VPos::Center));
        }
    }
    let legend_y = height - 30;
    let mut lx = 24;
    let mut entries = vec![(BELOW_NORM, lang.below_norm()), (UNDECIDED, lang.undecided()), (AT_NORM, lang.above_norm())];
    entries.push((MUTED, lang.matrix_small()));
    for (colour, text) in entries {
        root.draw(&Rectangle::new(
            [(lx, legend_y - 7), (lx + 14, legend_y + 7)],
            colour.mix(if colour == MUTED { 0.2 } else { 0.85 }).filled(),
        ))
        .map_err(fail)?;
        label(text.to_string(), (lx + 20, legend_y), 15.0, MUTED, (HPos::Left, VPos::Center));
        lx += 20 + measure(font, text, 15.0).0 + 28;
    }
    if matrix.more_sources + matrix.more_salespeople > 0 {
        let note = lang.matrix_more(matrix.more_sources, matrix.more_salespeople);
        label(note, (24, legend_y - 28), 14.0, MUTED, (HPos::Left, VPos::Center));
    }
    Ok(())
}

fn cell_colour(rate: &Rate) -> RGBColor {
    match rate.verdict() {
        Verdict::Below => BELOW_NORM,
        Verdict::Undecided => UNDECIDED,
        Verdict::Above => AT_NORM,
    }
}

/// The text, shortened with "…" until it fits `width` pixels.
fn fit(font: &FontRef<'_>, text: &str, size: f32, width: i32) -> String {
    if measure(font, text, size).0 <= width {
        return text.to_string();
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let shorter: String = chars.iter().collect::<String>() + "…";
        if measure(font, &shorter, size).0 <= width {
            return shorter;
        }
    }
    "…".to_string()
}

/// Puts the embedded font and a title into plotters' SVG, so the text looks
/// as laid out wherever the file is opened, and screen readers have a name.
fn embed_font(svg: String, title: &str) -> String {
    static FONT_CSS: OnceLock<String> = OnceLock::new();
    let css = FONT_CSS
        .get_or_init(|| format!("<style>@font-face{{font-family:'{FAMILY}';src:url(data:font/otf;base64,{});}}</style>", base64(FONT)));
    let Some(open_end) = svg.find("<svg").and_then(|start| svg[start..].find('>').map(|end| start + end + 1)) else {
        return svg;
    };
    let mut out = String::with_capacity(svg.len() + css.len() + title.len() + 32);
    out.push_str(&svg[..open_end]);
    out.push_str("\n<title>");
    out.push_str(&xml_escape(title));
    out.push_str("</title>\n");
    out.push_str(css);
    out.push_str(&svg[open_end..]);
    out
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn encode_png(pixels: &[u8], width: u32, height: u32) -> Result<Vec<u8>, ChartError> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(|e| ChartError::Png(e.to_string()))?;
        writer.write_image_data(pixels).map_err(|e| ChartError::Png(e.to_string()))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

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

    #[test]
    fn the_matrix_and_the_bars_say_their_verdicts() {
        let mut store = crate::store::Store::open_in_memory().expect("store");
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/samples/leads_q3_2023.xlsx");
        crate::import::import_file(&mut store, &path, &crate::import::ImportOptions::default()).expect("imports");
        let table = store.lead_table().expect("table");
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
