//! A horizontal bar per group: its rate, its 95% interval as a whisker, the
//! leads and the verdict beside it; each bar in its verdict's colour (as the
//! matrix and the table), small samples pale, hatched and neutral. With a
//! comparison, the group's rate in the other period as an upright marker
//! across its bar. With a spotlight, one bar as it is and outlined, the
//! others faded towards the background.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::frame::{Frame, Plot, RateScale, Rates, Swatch, BOTTOM, LEFT, MIN_ROW, ROW, TOP};
use super::{Bar, ChartError};
use crate::lang::{percent, Lang};
use crate::metrics::Report;

/// Group names.
const NAME: f32 = 17.0;
/// The numbers beside the bars.
const SMALL: f32 = 15.0;

/// The default height: a row per bar, and never fewer than three, so a
/// chart of one or two groups keeps room for its heading and legend.
pub(super) fn height(bars: usize) -> u32 {
    TOP + BOTTOM + ROW * (bars.max(3) as u32)
}

/// The least height `bars` bars read at: rows `MIN_ROW` high.
pub(super) fn least_height(bars: usize) -> u32 {
    TOP + BOTTOM + MIN_ROW * (bars.max(3) as u32)
}

/// The most bars that fit `room` pixels in rows at least `MIN_ROW` high
/// (never fewer than three: a smaller room gets a taller chart).
pub(super) fn fitting(room: u32) -> usize {
    (room.saturating_sub(TOP + BOTTOM) / MIN_ROW).max(3) as usize
}

pub(super) fn draw<DB: DrawingBackend>(
    frame: &mut Frame<'_, DB>,
    report: &Report,
    bars: &[Bar],
    left_out: usize,
    spotlight: Option<usize>,
    marker: Option<&'static str>,
) -> Result<(), ChartError> {
    let (width, height) = frame.size();
    let lang = frame.lang;
    let theme = frame.theme;

    // Plot area: names on the left, the numbers on the right.
    let label_width = bars.iter().map(|b| frame.measure(&b.label, NAME).0).max().unwrap_or(0).clamp(60, width / 3);
    let numbers: Vec<String> = bars.iter().map(|bar| numbers(bar, lang)).collect();
    let numbers_width = numbers.iter().map(|n| frame.measure(n, SMALL).0).max().unwrap_or(0);
    let x0 = LEFT + label_width + 16;
    let x1 = (width - numbers_width - 36).max(x0 + 100);
    let (y0, y1) = (TOP as i32, height - BOTTOM as i32);
    let scale = RateScale::new(bars.iter().map(|b| b.high.max(b.previous.unwrap_or(0.0))), report.norm);
    let plot = Plot { left: x0, right: x1, top: y0, bottom: y1, rates: Rates::Rightward, scale };
    let x = |rate: f64| plot.at(rate);
    frame.grid(&plot)?;

    let row = ((y1 - y0) as f64 / bars.len() as f64).max(8.0);
    let mut number_boxes = Vec::new();
    for (i, (bar, numbers)) in bars.iter().zip(numbers).enumerate() {
        let centre = y0 + (row * i as f64 + row / 2.0) as i32;
        let thickness = ((row * 0.56) as i32).clamp(4, 28);
        let (bar_top, bar_bottom) = (centre - thickness / 2, centre + thickness / 2);
        // A small sample has no verdict: neutral, as the unassigned.
        let colour = if bar.apart || bar.small { theme.muted } else { theme.verdict(bar.verdict) };
        // Out of the spotlight: every colour of the row faded.
        let dimmed = spotlight.is_some_and(|s| s != i);
        let fade = |c: RGBColor| if dimmed { theme.dimmed(c) } else { c };
        let colour = fade(colour);
        let row_top = y0 + (row * i as f64) as i32;
        frame.row([(LEFT, row_top), (width - 24, y0 + (row * (i + 1) as f64) as i32)]);
        if (bar.apart || bar.folded) && i > 0 {
            // The unassigned leads are nobody's, the folded sources many:
            // a line keeps them from the people and the sources.
            let line = y0 + (row * i as f64) as i32;
            frame.draw(&PathElement::new(vec![(LEFT, line), (width - 24, line)], theme.muted.stroke_width(1)))?;
        }
        frame.label(bar.label.clone(), (x0 - 12, centre), NAME, fade(theme.ink), (HPos::Right, VPos::Center));
        let area = [(x0, bar_top), (x(bar.rate).max(x0 + 1), bar_bottom)];
        if bar.small {
            // A small sample: pale and hatched, so no one reads it as a verdict.
            frame.draw(&Rectangle::new(area, colour.mix(0.15).filled()))?;
            let end = area[1].0;
            let mut hatch = x0 - thickness;
            while hatch < end {
                let start_x = hatch.max(x0);
                let stop_x = (hatch + thickness).min(end);
                let line = vec![(start_x, bar_bottom - (start_x - hatch)), (stop_x, bar_bottom - (stop_x - hatch))];
                frame.draw(&PathElement::new(line, colour.mix(0.75).stroke_width(1)))?;
                hatch += 6;
            }
            frame.draw(&Rectangle::new(area, colour.stroke_width(1)))?;
        } else {
            frame.draw(&Rectangle::new(area, colour.filled()))?;
        }
        if spotlight == Some(i) {
            // The bar pointed at: outlined in the ink, a few pixels out.
            frame.outline([(area[0].0 - 4, area[0].1 - 4), (area[1].0 + 4, area[1].1 + 4)])?;
        }
        // The 95% interval as a whisker.
        let whisker = fade(theme.ink).stroke_width(2);
        let cap = (thickness / 3).max(3);
        frame.draw(&PathElement::new(vec![(x(bar.low), centre), (x(bar.high), centre)], whisker))?;
        for end in [bar.low, bar.high] {
            frame.draw(&PathElement::new(vec![(x(end), centre - cap), (x(end), centre + cap)], whisker))?;
        }
        if let Some(previous) = bar.previous {
            // The compared period's rate: upright across the bar, wider and
            // taller than the whisker's ends, in a colour no verdict has.
            let at = x(previous);
            let area = [(at - 2, bar_top - 6), (at + 2, bar_bottom + 6)];
            frame.draw(&Rectangle::new(area, fade(theme.compared).filled()))?;
        }
        let past = bar.previous.map_or(x0, |p| x(p) + 4);
        let at = (x(bar.high).max(x(bar.rate)).max(past) + 10, centre);
        let (w, h) = frame.measure(&numbers, SMALL);
        number_boxes.push([(at.0 - 4, centre - h / 2 - 1), (at.0 + w + 4, centre + h / 2 + 1)]);
        frame.label(numbers, at, SMALL, fade(if bar.small { theme.muted } else { theme.ink }), (HPos::Left, VPos::Center));
    }

    // The norm, over the bars; the numbers keep a clear background over it.
    frame.norm_line(&plot, report.norm)?;
    for area in number_boxes {
        frame.draw(&Rectangle::new(area, theme.background.filled()))?;
    }

    let mut legend = super::verdict_legend(theme, lang, |c| Swatch::Square(c.filled()));
    if bars.iter().any(|b| b.small) {
        legend.push((Swatch::PaleSquare(theme.muted), lang.small_sample_legend()));
    }
    legend.push((Swatch::Whisker(theme.ink.stroke_width(2)), lang.interval()));
    if let Some(marker) = marker.filter(|_| bars.iter().any(|b| b.previous.is_some())) {
        legend.push((Swatch::Marker(theme.compared, true), marker));
    }
    frame.legend(&legend)?;
    if left_out > 0 {
        frame.label(lang.groups_more(left_out), (LEFT, frame.legend_y() - 28), 14.0, theme.muted, (HPos::Left, VPos::Center));
    }
    Ok(())
}

/// What is written beside a bar: rate, leads, and its verdict: its whole
/// interval below or above the norm, or undecided; a small sample gets no
/// verdict.
fn numbers(bar: &Bar, lang: Lang) -> String {
    if bar.apart {
        // Nobody to judge: the rate and the leads, no verdict.
        return format!("{}  ·  {}", percent(lang, bar.rate), lang.lead_count(bar.leads));
    }
    let verdict = if bar.small { format!("({})", lang.small_sample()) } else { lang.verdict(bar.verdict).to_string() };
    format!("{}  ·  {}  ·  {verdict}", percent(lang, bar.rate), lang.lead_count(bar.leads))
}
