//! The headline as a chart: the scope's conversion in large type in its
//! verdict's colour, what it counts, and one bar with its 95% interval
//! against the norm; the sales the norm asked for and the passive leads,
//! which are counted apart.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::frame::{Frame, Plot, RateScale, Rates, Swatch, LEFT, TOP};
use super::ChartError;
use crate::lang::{norm_percent, percent};
use crate::metrics::{Report, Verdict};

/// The default height.
pub(super) const HEIGHT: u32 = 560;

const RATE: f32 = 96.0;
const FIGURES: f32 = 24.0;

pub(super) fn draw<DB: DrawingBackend>(frame: &mut Frame<'_, DB>, report: &Report) -> Result<(), ChartError> {
    let (width, height) = frame.size();
    let lang = frame.lang;
    let theme = frame.theme;
    let total = &report.total;
    let (low, high) = total.interval();
    let colour = if total.small_sample() { theme.muted } else { theme.verdict(total.verdict()) };
    let verdict = if total.small_sample() { lang.small_sample() } else { lang.verdict(total.verdict()) };

    // The rate, large, with its verdict in words beside it (never colour alone).
    let top = TOP as i32 + 10;
    let rate = percent(lang, total.rate());
    frame.label(rate.clone(), (LEFT, top), RATE, colour, (HPos::Left, VPos::Top));
    let right_of_rate = LEFT + frame.measure(&rate, RATE).0 + 32;
    let lines = [
        (format!("{} · {}", lang.conversion(), verdict), theme.ink),
        (format!("{} {} – {}", lang.interval(), percent(lang, low), percent(lang, high)), theme.muted),
        (lang.headline_counts(total.leads, total.sold), theme.muted),
    ];
    for (i, (text, ink)) in lines.into_iter().enumerate() {
        frame.label(text, (right_of_rate, top + 8 + 36 * i as i32), FIGURES, ink, (HPos::Left, VPos::Top));
    }

    // One bar: the rate, its interval, the norm.
    let bar_top = top + 150;
    let plot = Plot {
        left: LEFT + 8,
        right: width - 140,
        top: bar_top,
        bottom: bar_top + 56,
        rates: Rates::Rightward,
        scale: RateScale::new(std::iter::once(high), report.norm),
    };
    frame.grid(&plot)?;
    let area = [(plot.left, plot.top + 8), (plot.at(total.rate()).max(plot.left + 1), plot.bottom - 8)];
    frame.draw(&Rectangle::new(area, colour.filled()))?;
    let centre = (plot.top + plot.bottom) / 2;
    let whisker = theme.ink.stroke_width(3);
    frame.draw(&PathElement::new(vec![(plot.at(low), centre), (plot.at(high), centre)], whisker))?;
    for end in [low, high] {
        frame.draw(&PathElement::new(vec![(plot.at(end), centre - 12), (plot.at(end), centre + 12)], whisker))?;
    }
    frame.norm_line(&plot, report.norm)?;

    // What the norm asked for, and what is not in the rate.
    let mut y = plot.bottom + 56;
    let norm = norm_percent(lang, report.norm);
    let gap = lang.headline_gap(total.gap_to_norm(), &norm);
    let gap_ink = if total.verdict() == Verdict::Below { theme.below_norm } else { theme.ink };
    frame.label(gap, (LEFT, y), FIGURES, gap_ink, (HPos::Left, VPos::Top));
    y += 40;
    if report.passive_leads > 0 && y + 30 < height - 40 {
        frame.label(lang.headline_passive(report.passive_leads), (LEFT, y), 19.0, theme.muted, (HPos::Left, VPos::Top));
    }
    let mut legend = super::verdict_legend(theme, lang, |c| Swatch::Square(c.filled()));
    legend.push((Swatch::Whisker(theme.ink.stroke_width(2)), lang.interval()));
    frame.legend(&legend)
}
