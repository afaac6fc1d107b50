//! The salespeople's volume (metrics.md, "Volume"): each salesperson a point
//! at their active leads (across) and sales (up), the norm the line
//! `sold = norm x leads`. It answers "a real salesperson prefers 100 leads
//! to 10 good ones": points under the line sold fewer than the norm asks of
//! their leads, however many they had.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::frame::{Frame, Swatch, BOTTOM, LEFT, TOP};
use super::ChartError;
use crate::lang::norm_percent;
use crate::metrics::Report;

pub(super) const HEIGHT: u32 = 720;
const SMALL: f32 = 15.0;

/// One salesperson: the label, active leads, sales.
pub(super) struct Point {
    pub(super) label: String,
    pub(super) leads: u64,
    pub(super) sold: u64,
}

/// A round axis end and step past `max`.
fn axis(max: f64) -> (f64, f64) {
    let max = max.max(1.0) * 1.05;
    let raw = max / 6.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| *s >= raw).unwrap_or(10.0 * magnitude);
    (((max / step).ceil() * step).max(step), step)
}

pub(super) fn draw<DB: DrawingBackend>(frame: &mut Frame<'_, DB>, report: &Report, points: &[Point]) -> Result<(), ChartError> {
    let (width, height) = frame.size();
    let lang = frame.lang;
    let theme = frame.theme;
    let (left, right, top, bottom) = (LEFT + 70, width - 160, TOP as i32, height - BOTTOM as i32 - 30);
    let (x_end, x_step) = axis(points.iter().map(|p| p.leads as f64).fold(0.0, f64::max));
    let (y_end, y_step) = axis(points.iter().map(|p| p.sold as f64).fold(report.norm * x_end, f64::max));
    let x = |leads: f64| left + ((right - left) as f64 * leads / x_end).round() as i32;
    let y = |sold: f64| bottom - ((bottom - top) as f64 * sold / y_end).round() as i32;
    let grid = theme.grid.stroke_width(1);
    let mut tick = 0.0;
    while tick <= x_end + 1e-9 {
        frame.draw(&PathElement::new(vec![(x(tick), top), (x(tick), bottom)], grid))?;
        frame.label(format!("{tick}"), (x(tick), bottom + 8), SMALL, theme.muted, (HPos::Center, VPos::Top));
        tick += x_step;
    }
    let mut tick = 0.0;
    while tick <= y_end + 1e-9 {
        frame.draw(&PathElement::new(vec![(left, y(tick)), (right, y(tick))], grid))?;
        frame.label(format!("{tick}"), (left - 10, y(tick)), SMALL, theme.muted, (HPos::Right, VPos::Center));
        tick += y_step;
    }
    frame.label(lang.active_leads().to_string(), ((left + right) / 2, bottom + 32), SMALL, theme.muted, (HPos::Center, VPos::Top));
    frame.label(lang.sold().to_string(), (LEFT, top - 18), SMALL, theme.muted, (HPos::Left, VPos::Center));
    // The norm: sold = norm x leads, to where it leaves the plot.
    let end = x_end.min(y_end / report.norm.max(1e-9));
    let line = [(x(0.0), y(0.0)), (x(end), y(report.norm * end))];
    frame.draw(&plotters::element::DashedPathElement::new(line, 6, 4, theme.norm_line.stroke_width(2)))?;
    let text = format!("{} {}", lang.norm(), norm_percent(lang, report.norm));
    frame.label(text, (x(end) + 8, y(report.norm * end)), 17.0, theme.norm_line, (HPos::Left, VPos::Center));
    for point in points {
        let below = (point.sold as f64) < report.norm * point.leads as f64;
        let colour = if below { theme.below_norm } else { theme.at_norm };
        let at = (x(point.leads as f64), y(point.sold as f64));
        frame.draw(&Circle::new(at, 7, colour.filled()))?;
        frame.label(point.label.clone(), (at.0 + 10, at.1 - 10), SMALL, theme.ink, (HPos::Left, VPos::Center));
    }
    frame.legend(&[
        (Swatch::Point(theme.below_norm.filled()), lang.below_norm()),
        (Swatch::Point(theme.at_norm.filled()), lang.at_or_above_norm()),
    ])
}
