//! Each source's rate beside the rate adjusted for how fast its leads were
//! answered (metrics.md, "Adjusted rate"): the raw rate as a bar, the
//! adjusted one as a diamond with Byar's interval as a whisker. A source
//! whose diamond sits far right of its bar converts badly because it is
//! answered late, not because its leads are worse. Says it is a what-if.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::frame::{Frame, Plot, RateScale, Rates, Swatch, BOTTOM, LEFT, MIN_ROW, ROW, TOP};
use super::ChartError;
use crate::lang::percent;
use crate::metrics::Report;

const NAME: f32 = 17.0;
const SMALL: f32 = 15.0;

/// One source: its label, raw rate and the adjusted rate with its interval.
pub(super) struct EvidenceRow {
    pub(super) label: String,
    pub(super) rate: f64,
    pub(super) adjusted: Option<(f64, f64, f64)>,
    pub(super) below: bool,
}

pub(super) fn rows(report: &Report, label: impl Fn(usize) -> String) -> Vec<EvidenceRow> {
    report
        .groups
        .iter()
        .enumerate()
        .map(|(i, group)| EvidenceRow {
            label: label(i),
            rate: group.rate.rate(),
            adjusted: group.evidence.adjustment.and_then(|a| a.adjusted).map(|a| (a.rate, a.low, a.high)),
            below: group.rate.rate() < report.norm,
        })
        .collect()
}

pub(super) fn height(rows: usize) -> u32 {
    TOP + BOTTOM + 24 + ROW * (rows.max(3) as u32)
}

/// The least height its rows read at: `MIN_ROW` each.
pub(super) fn least_height(rows: usize) -> u32 {
    TOP + BOTTOM + 24 + MIN_ROW * (rows.max(3) as u32)
}

pub(super) fn draw<DB: DrawingBackend>(frame: &mut Frame<'_, DB>, report: &Report, rows: &[EvidenceRow]) -> Result<(), ChartError> {
    let (width, height) = frame.size();
    let lang = frame.lang;
    let theme = frame.theme;
    let label_width = rows.iter().map(|r| frame.measure(&r.label, NAME).0).max().unwrap_or(0).clamp(60, width / 3);
    let numbers: Vec<String> = rows
        .iter()
        .map(|r| match r.adjusted {
            Some((adjusted, _, _)) => format!("{} → {}", percent(lang, r.rate), percent(lang, adjusted)),
            None => percent(lang, r.rate),
        })
        .collect();
    let numbers_width = numbers.iter().map(|n| frame.measure(n, SMALL).0).max().unwrap_or(0);
    let x0 = LEFT + label_width + 16;
    let x1 = (width - numbers_width - 36).max(x0 + 100);
    let (y0, y1) = (TOP as i32, height - BOTTOM as i32 - 24);
    let highs = rows.iter().map(|r| r.adjusted.map_or(r.rate, |a| a.2.max(r.rate)).min(1.0));
    let plot = Plot { left: x0, right: x1, top: y0, bottom: y1, rates: Rates::Rightward, scale: RateScale::new(highs, report.norm) };
    frame.grid(&plot)?;
    let row = ((y1 - y0) as f64 / rows.len() as f64).max(8.0);
    let mut number_boxes = Vec::new();
    for (i, (r, numbers)) in rows.iter().zip(numbers).enumerate() {
        let centre = y0 + (row * i as f64 + row / 2.0) as i32;
        let thickness = ((row * 0.5) as i32).clamp(4, 24);
        let colour = if r.below { theme.below_norm } else { theme.at_norm };
        frame.label(r.label.clone(), (x0 - 12, centre), NAME, theme.ink, (HPos::Right, VPos::Center));
        let area = [(x0, centre - thickness / 2), (plot.at(r.rate).max(x0 + 1), centre + thickness / 2)];
        frame.draw(&Rectangle::new(area, colour.mix(0.35).filled()))?;
        let mut right = plot.at(r.rate);
        if let Some((adjusted, low, high)) = r.adjusted {
            let whisker = theme.ink.stroke_width(2);
            let (low, high) = (plot.at(low.min(1.0)), plot.at(high.min(1.0)));
            frame.draw(&PathElement::new(vec![(low, centre), (high, centre)], whisker))?;
            for end in [low, high] {
                frame.draw(&PathElement::new(vec![(end, centre - 5), (end, centre + 5)], whisker))?;
            }
            let x = plot.at(adjusted.min(1.0));
            let diamond = vec![(x, centre - 8), (x + 8, centre), (x, centre + 8), (x - 8, centre)];
            frame.draw(&Polygon::new(diamond, theme.ink.filled()))?;
            right = right.max(high).max(x + 8);
        }
        let at = (right + 10, centre);
        let (w, h) = frame.measure(&numbers, SMALL);
        number_boxes.push([(at.0 - 4, centre - h / 2 - 1), (at.0 + w + 4, centre + h / 2 + 1)]);
        frame.label(numbers, at, SMALL, theme.ink, (HPos::Left, VPos::Center));
    }
    frame.norm_line(&plot, report.norm)?;
    for area in number_boxes {
        frame.draw(&Rectangle::new(area, theme.background.filled()))?;
    }
    frame.label(lang.what_if_note().to_string(), (LEFT, frame.legend_y() - 30), SMALL, theme.muted, (HPos::Left, VPos::Center));
    frame.legend(&[
        (Swatch::Square(theme.below_norm.mix(0.35).filled()), lang.evidence_raw()),
        (Swatch::Point(theme.ink.filled()), lang.evidence_adjusted()),
        (Swatch::Whisker(theme.ink.stroke_width(2)), lang.interval()),
    ])
}
