//! The source x salesperson matrix: a cell per salesperson and source with
//! the rate and the leads, coloured by its verdict; small samples pale,
//! empty cells a dash. With a spotlight, one salesperson's row as it is and
//! outlined, the other rows faded towards the background.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::frame::{Frame, Swatch, BOTTOM, LEFT, ROW, TOP};
use super::theme::Theme;
use super::{printable, ChartError, ChartOptions};
use crate::lang::{count, norm_percent, percent, span_words};
use crate::metrics::{Matrix, Rate};
use crate::model::Dimension;

/// Salespeople's names.
const NAME: f32 = 16.0;
/// The cells' numbers; sources a point larger.
const SMALL: f32 = 13.0;

/// The default height: a row per salesperson (at least three) and the
/// sources' names over the columns.
pub(super) fn height(matrix: &Matrix) -> u32 {
    TOP + BOTTOM + 40 + ROW * (matrix.salespeople.len().max(3) as u32)
}

pub(super) fn draw<DB: DrawingBackend>(frame: &mut Frame<'_, DB>, matrix: &Matrix, options: &ChartOptions) -> Result<(), ChartError> {
    let lang = frame.lang;
    let theme = frame.theme;
    let subtitle = format!("{} · {} {}", span_words(matrix.period, lang), lang.norm(), norm_percent(lang, matrix.norm));
    frame.heading(lang.matrix_title(), subtitle, options.scope.as_deref());
    if matrix.cells.is_empty() || matrix.sources.is_empty() {
        frame.no_data(lang.no_data());
        return Ok(());
    }
    let (width, _) = frame.size();
    let ranked: Vec<&str> = matrix.salespeople.iter().filter(|n| !n.is_empty()).map(String::as_str).collect();
    let names: Vec<String> = matrix
        .salespeople
        .iter()
        .map(|name| match name.is_empty() {
            true => lang.empty_group(Dimension::Salesperson).to_string(),
            // The matrix lists salespeople by active leads, ties by name: the alias order.
            false if options.anonymize => printable(&super::alias(options, Dimension::Salesperson, &ranked, name)),
            false => printable(name),
        })
        .collect();
    let name_width = names.iter().map(|n| frame.measure(n, NAME).0).max().unwrap_or(0).clamp(60, width / 4);
    let x0 = LEFT + name_width + 16;
    let column = (width - x0 - 24) / matrix.sources.len() as i32;
    let y0 = TOP as i32 + 24;
    let row = ROW as i32;
    for (j, source) in matrix.sources.iter().enumerate() {
        let text = if source.is_empty() { lang.empty_group(Dimension::Source).to_string() } else { printable(source) };
        let text = fit(frame, &text, SMALL + 1.0, column - 8);
        frame.label(text, (x0 + column * j as i32 + column / 2, y0 - 8), SMALL + 1.0, theme.ink, (HPos::Center, VPos::Bottom));
    }
    let right = x0 + column * matrix.sources.len() as i32;
    for (i, (name, cells)) in names.iter().zip(&matrix.cells).enumerate() {
        let top = y0 + row * i as i32;
        frame.row([(LEFT, top), (right, top + row)]);
        // Out of the spotlight: every colour of the row faded.
        let dimmed = options.spotlight.is_some_and(|s| s != i);
        let fade = |c: RGBColor| if dimmed { theme.dimmed(c) } else { c };
        frame.label(name.clone(), (x0 - 12, top + row / 2), NAME, fade(theme.ink), (HPos::Right, VPos::Center));
        for (j, rate) in cells.iter().enumerate() {
            let left = x0 + column * j as i32;
            let area = [(left + 2, top + 2), (left + column - 2, top + row - 2)];
            let centre = (left + column / 2, top + row / 2);
            if rate.leads == 0 {
                frame.draw(&Rectangle::new(area, fade(theme.grid).mix(0.5).filled()))?;
                frame.label("–".to_string(), centre, SMALL, fade(theme.muted), (HPos::Center, VPos::Center));
                continue;
            }
            let colour = fade(cell_colour(rate, &theme));
            let small = rate.small_sample();
            frame.draw(&Rectangle::new(area, colour.mix(if small { 0.12 } else { 0.85 }).filled()))?;
            if small {
                frame.draw(&Rectangle::new(area, colour.mix(0.6).stroke_width(1)))?;
            }
            let ink = if small || dimmed { fade(theme.ink) } else { theme.on_colour };
            let text = fit(frame, &format!("{} · {}", percent(lang, rate.rate()), count(lang, rate.leads)), SMALL, column - 8);
            frame.label(text, centre, SMALL, ink, (HPos::Center, VPos::Center));
        }
        if options.spotlight == Some(i) {
            // The row pointed at: outlined in the ink, its name included.
            frame.outline([(LEFT - 4, top - 1), (right + 2, top + row + 1)])?;
        }
    }
    frame.legend(&[
        (Swatch::Square(theme.below_norm.mix(0.85).filled()), lang.below_norm()),
        (Swatch::Square(theme.undecided.mix(0.85).filled()), lang.undecided()),
        (Swatch::Square(theme.at_norm.mix(0.85).filled()), lang.above_norm()),
        (Swatch::Square(theme.muted.mix(0.2).filled()), lang.matrix_small()),
    ])?;
    if matrix.more_sources + matrix.more_salespeople > 0 {
        let note = lang.matrix_more(matrix.more_sources, matrix.more_salespeople);
        frame.label(note, (LEFT, frame.legend_y() - 28), 14.0, theme.muted, (HPos::Left, VPos::Center));
    }
    Ok(())
}

fn cell_colour(rate: &Rate, theme: &Theme) -> RGBColor {
    theme.verdict(rate.verdict())
}

/// The text, shortened with "…" until it fits `width` pixels.
fn fit<DB: DrawingBackend>(frame: &Frame<'_, DB>, text: &str, size: f32, width: i32) -> String {
    if frame.measure(text, size).0 <= width {
        return text.to_string();
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let shorter: String = chars.iter().collect::<String>() + "…";
        if frame.measure(&shorter, size).0 <= width {
            return shorter;
        }
    }
    "…".to_string()
}
