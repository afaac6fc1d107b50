//! What every chart has around its data, drawn once here: the title with the
//! period and scope under it, the rate axis with its grid, the norm as a
//! dashed line with its label, the legend, and the "no data" line. Colours
//! come from the chart's `Theme`, places from its size.

use ab_glyph::FontRef;
use plotters::coord::Shift;
use plotters::element::{Drawable, PointCollection};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::output::{measure, Label};
use super::theme::Theme;
use super::{printable, ChartError};
use crate::lang::{norm_percent, Lang};

/// Height of a bar's (or a matrix row's) row.
pub(super) const ROW: u32 = 40;
/// The thinnest a bar's row gets where a chart must fit a room
/// (`ChartOptions::fit_height`): a group's name (17 px) with air around it.
pub(super) const MIN_ROW: u32 = 26;
/// The least height of a chart drawn as one plot (the months' line, the
/// volume's points) where it must fit a room: some 170 pixels of plot.
pub(super) const MIN_PLOT: u32 = 400;
/// Room above the data for the title and the subtitle.
pub(super) const TOP: u32 = 118;
/// Room under the data for the axis labels and the legend.
pub(super) const BOTTOM: u32 = 92;
/// The left margin of the title, the legend and the names.
pub(super) const LEFT: i32 = 24;

/// Axis ticks and legend text.
const SMALL: f32 = 15.0;

/// A rectangle on the chart: its top left and bottom right pixels.
pub(super) type Area = [(i32, i32); 2];

/// The drawing of one chart: its shapes go straight to the backend, its text
/// is collected as `Label`s for the output to set.
pub(super) struct Frame<'a, DB: DrawingBackend> {
    root: &'a DrawingArea<DB, Shift>,
    font: &'a FontRef<'static>,
    pub(super) theme: Theme,
    pub(super) lang: Lang,
    labels: Vec<Label>,
    /// The title is set elsewhere (`ChartOptions::untitled`).
    pub(super) untitled: bool,
    /// The rows a spotlight can pick, in order (`spot`).
    rows: Vec<Area>,
}

impl<'a, DB: DrawingBackend> Frame<'a, DB> {
    /// A frame filled with the theme's background.
    pub(super) fn new(root: &'a DrawingArea<DB, Shift>, font: &'a FontRef<'static>, theme: Theme, lang: Lang) -> Result<Self, ChartError> {
        root.fill(&theme.background).map_err(|e| ChartError::Draw(e.to_string()))?;
        Ok(Frame { root, font, theme, lang, labels: Vec::new(), untitled: false, rows: Vec::new() })
    }

    /// The text to set, and the rows a spotlight can pick.
    pub(super) fn finish(self) -> (Vec<Label>, Vec<Area>) {
        (self.labels, self.rows)
    }

    /// A row a spotlight can pick (a bar's, a matrix row), top left and bottom right.
    pub(super) fn row(&mut self, area: Area) {
        self.rows.push(area);
    }

    /// Width and height in pixels.
    pub(super) fn size(&self) -> (i32, i32) {
        let (width, height) = self.root.dim_in_pixel();
        (width as i32, height as i32)
    }

    pub(super) fn draw<E>(&self, element: &E) -> Result<(), ChartError>
    where
        for<'b> &'b E: PointCollection<'b, (i32, i32)>,
        E: Drawable<DB>,
    {
        self.root.draw(element).map_err(|e| ChartError::Draw(e.to_string()))
    }

    pub(super) fn label(&mut self, text: String, at: (i32, i32), size: f32, colour: RGBColor, anchor: (HPos, VPos)) {
        self.labels.push(Label { text, at, size, colour, anchor });
    }

    /// The spotlight's outline around `area`, 3 pixels of ink: a path, since
    /// plotters' SVG draws a rectangle's outline 1 pixel wide whatever the style.
    pub(super) fn outline(&self, [(left, top), (right, bottom)]: Area) -> Result<(), ChartError> {
        let corners = vec![(left, top), (right, top), (right, bottom), (left, bottom), (left, top), (right, top)];
        self.draw(&PathElement::new(corners, self.theme.ink.stroke_width(3)))
    }

    /// Width and height of a text in pixels, as it will be set.
    pub(super) fn measure(&self, text: &str, size: f32) -> (i32, i32) {
        measure(self.font, text, size)
    }

    /// The title, and under it the period and the figures; with a scope
    /// first, so a chart shown in a meeting says which leads it counts.
    pub(super) fn heading(&mut self, title: &str, subtitle: String, scope: Option<&str>) {
        let subtitle = match scope {
            Some(scope) => format!("{} · {subtitle}", printable(scope)),
            None => subtitle,
        };
        let top_left = (HPos::Left, VPos::Top);
        if !self.untitled {
            self.label(title.to_string(), (LEFT, 20), 30.0, self.theme.ink, top_left);
        }
        self.label(subtitle, (LEFT, 60), 17.0, self.theme.muted, top_left);
    }

    /// Said where the data would be, when there is none.
    /// Why the chart is empty, where its plot would be.
    pub(super) fn no_data(&mut self, why: &str) {
        self.label(why.to_string(), (LEFT, TOP as i32 + 20), 19.0, self.theme.muted, (HPos::Left, VPos::Top));
    }

    /// A grid line and a percentage at each tick of the plot's rate axis.
    pub(super) fn grid(&mut self, plot: &Plot) -> Result<(), ChartError> {
        let style = self.theme.grid.stroke_width(1);
        for tick in plot.scale.ticks() {
            let at = plot.at(tick);
            let (line, label, anchor) = match plot.rates {
                Rates::Rightward => ([(at, plot.top), (at, plot.bottom)], (at, plot.bottom + 8), (HPos::Center, VPos::Top)),
                Rates::Upward => ([(plot.left, at), (plot.right, at)], (plot.left - 10, at), (HPos::Right, VPos::Center)),
            };
            self.draw(&PathElement::new(line.to_vec(), style))?;
            self.label(norm_percent(self.lang, tick), label, SMALL, self.theme.muted, anchor);
        }
        Ok(())
    }

    /// The norm as a dashed line across the plot, labelled past its end.
    pub(super) fn norm_line(&mut self, plot: &Plot, norm: f64) -> Result<(), ChartError> {
        let at = plot.at(norm);
        let (line, label, anchor) = match plot.rates {
            Rates::Rightward => ([(at, plot.top - 10), (at, plot.bottom + 2)], (at, plot.top - 14), (HPos::Center, VPos::Bottom)),
            Rates::Upward => ([(plot.left, at), (plot.right + 8, at)], (plot.right + 12, at), (HPos::Left, VPos::Center)),
        };
        self.draw(&plotters::element::DashedPathElement::new(line, 6, 4, self.theme.norm_line.stroke_width(2)))?;
        let text = format!("{} {}", self.lang.norm(), norm_percent(self.lang, norm));
        self.label(text, label, 17.0, self.theme.norm_line, anchor);
        Ok(())
    }

    /// Where the legend's line is; a note about the chart can go above it.
    pub(super) fn legend_y(&self) -> i32 {
        self.size().1 - 30
    }

    /// The legend along the bottom: each entry's swatch, then its words; in
    /// two lines where one would run past the chart's right edge (a Dutch
    /// legend with small samples and a comparison).
    pub(super) fn legend(&mut self, entries: &[(Swatch, &str)]) -> Result<(), ChartError> {
        // An entry's room: its swatch, its words, the gap after.
        let right = self.size().0 - LEFT;
        let mut widths = entries.iter().map(|(swatch, text)| swatch.width() + self.measure(text, SMALL).0 + 28);
        let mut split = entries.len();
        let mut x = LEFT;
        for (i, width) in widths.by_ref().enumerate() {
            if x + width - 28 > right && i > 0 {
                split = i;
                break;
            }
            x += width;
        }
        let y = self.legend_y();
        let lines: Vec<(&[(Swatch, &str)], i32)> =
            if split == entries.len() { vec![(entries, y)] } else { vec![(&entries[..split], y - 11), (&entries[split..], y + 11)] };
        for (line, y) in lines {
            let mut x = LEFT;
            for (swatch, text) in line {
                let words = swatch.draw(self, (x, y))?;
                self.label(text.to_string(), (words, y), SMALL, self.theme.muted, (HPos::Left, VPos::Center));
                x = words + self.measure(text, SMALL).0 + 28;
            }
        }
        Ok(())
    }
}

/// How a legend entry shows what it names.
pub(super) enum Swatch {
    /// A square of the bars' or the cells' colour.
    Square(ShapeStyle),
    /// A pale hatched bar's square: pale fill, outline.
    PaleSquare(RGBColor),
    /// A point on the months' line.
    Point(ShapeStyle),
    /// The bars' whisker: a line with its ends.
    Whisker(ShapeStyle),
    /// The months' whisker: an upright line.
    Upright(ShapeStyle),
    /// The compared period's marker: upright across a bar, or level on a month.
    Marker(RGBColor, bool),
}

impl Swatch {
    /// Where its words start, from its left.
    fn width(&self) -> i32 {
        match self {
            Swatch::Square(_) | Swatch::PaleSquare(_) | Swatch::Marker(..) => 20,
            Swatch::Point(_) | Swatch::Upright(_) => 18,
            Swatch::Whisker(_) => 32,
        }
    }

    /// Draws the swatch with its left at `x` and its middle at `y`, and
    /// returns where its words start.
    fn draw<DB: DrawingBackend>(&self, frame: &Frame<'_, DB>, (x, y): (i32, i32)) -> Result<i32, ChartError> {
        let square = [(x, y - 7), (x + 14, y + 7)];
        match *self {
            Swatch::Square(style) => {
                frame.draw(&Rectangle::new(square, style))?;
                Ok(x + 20)
            }
            Swatch::PaleSquare(colour) => {
                frame.draw(&Rectangle::new(square, colour.mix(0.2).filled()))?;
                frame.draw(&Rectangle::new(square, colour.stroke_width(1)))?;
                Ok(x + 20)
            }
            Swatch::Point(style) => {
                frame.draw(&Circle::new((x + 6, y), 6, style))?;
                Ok(x + 18)
            }
            Swatch::Whisker(style) => {
                frame.draw(&PathElement::new(vec![(x, y), (x + 24, y)], style))?;
                for end in [x, x + 24] {
                    frame.draw(&PathElement::new(vec![(end, y - 5), (end, y + 5)], style))?;
                }
                Ok(x + 32)
            }
            Swatch::Upright(style) => {
                frame.draw(&PathElement::new(vec![(x + 6, y - 7), (x + 6, y + 7)], style))?;
                Ok(x + 18)
            }
            Swatch::Marker(colour, upright) => {
                let area = if upright { [(x + 4, y - 8), (x + 8, y + 8)] } else { [(x, y - 2), (x + 14, y + 2)] };
                frame.draw(&Rectangle::new(area, colour.filled()))?;
                Ok(x + 20)
            }
        }
    }
}

/// Which way the rates grow in a plot.
pub(super) enum Rates {
    /// Bars: from the left edge to the right.
    Rightward,
    /// A line over the months: from the bottom up.
    Upward,
}

/// The area the data is drawn in, and how a rate maps into it.
pub(super) struct Plot {
    pub(super) left: i32,
    pub(super) right: i32,
    pub(super) top: i32,
    pub(super) bottom: i32,
    pub(super) rates: Rates,
    pub(super) scale: RateScale,
}

impl Plot {
    /// The pixel on the rate axis (x for `Rightward`, y for `Upward`).
    pub(super) fn at(&self, rate: f64) -> i32 {
        match self.rates {
            Rates::Rightward => self.left + ((self.right - self.left) as f64 * (rate / self.scale.end)).round() as i32,
            Rates::Upward => self.bottom - ((self.bottom - self.top) as f64 * (rate / self.scale.end)).round() as i32,
        }
    }
}

/// The rate axis: its tick step and its end, past every interval and the norm.
pub(super) struct RateScale {
    step: f64,
    end: f64,
}

impl RateScale {
    pub(super) fn new(highs: impl Iterator<Item = f64>, norm: f64) -> RateScale {
        let max = highs.fold(norm, f64::max);
        let step = if max > 0.5 {
            0.10
        } else if max > 0.2 {
            0.05
        } else {
            0.02
        };
        // A little room past the highest whisker, but never past 100%: a
        // rate axis ending at 110% asks a question nobody can answer.
        RateScale { step, end: (((max * 1.02) / step).ceil().max(1.0) * step).min(1.0) }
    }

    fn ticks(&self) -> impl Iterator<Item = f64> + '_ {
        let ticks = (self.end / self.step).round() as i32;
        (0..=ticks).map(|i| self.step * f64::from(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_axis_ends_at_a_round_value_and_never_past_100_percent() {
        let end = |highs: &[f64]| RateScale::new(highs.iter().copied(), 0.13).end;
        assert!((end(&[1.0, 0.4]) - 1.0).abs() < 1e-9, "a whisker at 100% ends the axis at 100%, not 110%");
        assert!((end(&[0.99]) - 1.0).abs() < 1e-9);
        assert!((end(&[0.11]) - 0.14).abs() < 1e-9, "the norm fits, with its step of 2 points");
        assert!((end(&[0.31]) - 0.35).abs() < 1e-9);
    }
}
