//! Conversion over time: a line through the months, each month's interval
//! as a whisker, the norm as a dashed line across; small samples as open
//! points. With a comparison, the month as far into the compared period as
//! a level marker at its rate.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::frame::{Frame, Plot, RateScale, Rates, Swatch, BOTTOM, LEFT, TOP};
use super::{Bar, ChartError};
use crate::lang::percent;
use crate::metrics::Report;

/// The default height: the months run across, so it does not grow with them.
pub(super) const HEIGHT: u32 = 560;

/// The rates, the months and the axis.
const SMALL: f32 = 15.0;

pub(super) fn draw<DB: DrawingBackend>(
    frame: &mut Frame<'_, DB>,
    report: &Report,
    months: &[Bar],
    marker: Option<&'static str>,
) -> Result<(), ChartError> {
    let (width, height) = frame.size();
    let lang = frame.lang;
    let theme = frame.theme;
    let (x0, x1) = (LEFT + 56, width - 120);
    let (y0, y1) = (TOP as i32, height - BOTTOM as i32 - 24);
    let scale = RateScale::new(months.iter().map(|m| m.high.max(m.previous.unwrap_or(0.0))), report.norm);
    let plot = Plot { left: x0, right: x1, top: y0, bottom: y1, rates: Rates::Upward, scale };
    let y = |rate: f64| plot.at(rate);
    let slot = f64::from(x1 - x0) / months.len() as f64;
    let x = |i: usize| x0 + (slot * (i as f64 + 0.5)).round() as i32;

    frame.grid(&plot)?;
    frame.norm_line(&plot, report.norm)?;

    let whisker = theme.ink.mix(0.55).stroke_width(2);
    let points: Vec<(i32, i32)> = months.iter().enumerate().map(|(i, m)| (x(i), y(m.rate))).collect();
    for (i, month) in months.iter().enumerate() {
        frame.draw(&PathElement::new(vec![(x(i), y(month.low)), (x(i), y(month.high))], whisker))?;
        for end in [month.low, month.high] {
            frame.draw(&PathElement::new(vec![(x(i) - 5, y(end)), (x(i) + 5, y(end))], whisker))?;
        }
    }
    frame.draw(&PathElement::new(points.clone(), theme.at_norm.stroke_width(3)))?;
    for (i, (month, point)) in months.iter().zip(points).enumerate() {
        let colour = if month.small { theme.muted } else { theme.verdict(month.verdict) };
        if month.small {
            // A small sample: an open point, so no one reads it as a verdict.
            frame.draw(&Circle::new(point, 6, theme.background.filled()))?;
            frame.draw(&Circle::new(point, 6, colour.stroke_width(2)))?;
        } else {
            frame.draw(&Circle::new(point, 6, colour.filled()))?;
        }
        // The rate keeps a clear background over the line and the whiskers.
        let rate_at = (point.0 + 9, point.1 - 12);
        let (w, h) = frame.measure(&percent(lang, month.rate), SMALL);
        let clear = [(rate_at.0 - 2, rate_at.1 - h / 2), (rate_at.0 + w + 2, rate_at.1 + h / 2)];
        frame.draw(&Rectangle::new(clear, theme.background.mix(0.85).filled()))?;
        frame.label(percent(lang, month.rate), rate_at, SMALL, theme.ink, (HPos::Left, VPos::Center));
        frame.label(month.label.clone(), (x(i), y1 + 10), SMALL, theme.ink, (HPos::Center, VPos::Top));
        let count = lang.lead_count(month.leads);
        frame.label(count, (x(i), y1 + 30), 13.0, theme.muted, (HPos::Center, VPos::Top));
    }

    // Over the points and the rates' backgrounds: a rate close to the
    // month's own would hide under them.
    for (i, previous) in months.iter().enumerate().filter_map(|(i, m)| Some((i, m.previous?))) {
        frame.draw(&Rectangle::new([(x(i) - 12, y(previous) - 2), (x(i) + 12, y(previous) + 2)], theme.compared.filled()))?;
    }
    let mut legend = super::verdict_legend(theme, lang, |c| Swatch::Point(c.filled()));
    if months.iter().any(|m| m.small) {
        legend.push((Swatch::Point(theme.muted.stroke_width(2)), lang.small_sample_legend_open()));
    }
    legend.push((Swatch::Upright(whisker), lang.interval()));
    if let Some(marker) = marker.filter(|_| months.iter().any(|m| m.previous.is_some())) {
        legend.push((Swatch::Marker(theme.compared, false), marker));
    }
    frame.legend(&legend)
}
