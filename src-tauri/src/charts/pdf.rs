//! PDF: the charts as vector pages, their text real text in the embedded
//! Inter (selectable, searchable, extracted by `pdftotext`), through krilla.
//!
//! The shapes reach the page through `PdfBackend`, a plotters backend that
//! turns every line, rectangle, polygon and circle into a PDF path; the
//! labels are set here glyph by glyph, placed by ab_glyph exactly as the PNG
//! places them, so a chart is laid out alike in all three formats. krilla
//! embeds the font once per document, subset to the glyphs used, with the
//! text behind each glyph so it can be copied.
//!
//! A chart's pixel is 0.75 pt: a 1280 x 720 chart is a 13.33 x 7.5 inch page,
//! PowerPoint's 16:9.

use std::convert::Infallible;

use ab_glyph::{Font as _, FontRef, PxScale, ScaleFont};
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Transform};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, LineCap, LineJoin, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::Document;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, DrawingErrorKind};

use super::output::{self, Label};
use super::theme::Theme;
use super::{ChartError, Figure};

/// Points per chart pixel.
const POINT: f32 = 0.75;

/// Where a page's own text (not the chart's) is anchored horizontally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Centre,
    Right,
}

/// The colours a page's own text may take from the theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ink {
    /// Titles and figures.
    Strong,
    /// Scope, footers, definitions.
    Muted,
}

/// A line of a page's own text: the deck's titles, scope and footer.
/// `at` is in the page's pixels, the text's top at `at.1`.
#[derive(Debug, Clone, PartialEq)]
pub struct PageText {
    pub text: String,
    pub at: (i32, i32),
    pub size: f32,
    pub ink: Ink,
    pub align: Align,
}

/// One page of a document: its own text, and a chart in its upper part.
pub struct Page<'a> {
    pub theme: Theme,
    /// The chart, drawn `chart_height` pixels high across the whole width.
    pub figure: Option<&'a Figure<'a>>,
    pub chart_height: u32,
    pub texts: Vec<PageText>,
}

/// A PDF being written: pages of one size, one embedded font.
pub struct PdfPages {
    document: Document,
    pdf_font: Font,
    font: FontRef<'static>,
    size: (u32, u32),
}

impl PdfPages {
    /// A document whose pages are `size` chart pixels; `title` is its metadata title.
    pub fn new(size: (u32, u32), title: &str) -> Result<PdfPages, ChartError> {
        let (font, pdf_font) = fonts()?;
        let mut document = Document::new();
        document.set_metadata(krilla::metadata::Metadata::new().title(clean(title)).creator("Dertien".to_string()));
        Ok(PdfPages { document, pdf_font, font, size })
    }

    pub fn add(&mut self, page: &Page<'_>) -> Result<(), ChartError> {
        let (width, height) = self.size;
        let settings = PageSettings::from_wh(width as f32 * POINT, height as f32 * POINT)
            .ok_or_else(|| ChartError::Draw(format!("a page of {width} x {height} pixels")))?;
        let mut pdf_page = self.document.start_page_with(settings);
        let mut surface = pdf_page.surface();
        surface.push_transform(&Transform::from_scale(POINT, POINT));
        fill_rect(&mut surface, (0, 0), (width as i32, height as i32), page.theme.background, 1.0);
        if let Some(figure) = page.figure {
            let chart_height = page.chart_height.clamp(1, height);
            let labels = {
                let root = PdfBackend { surface: &mut surface, size: (width, chart_height) }.into_drawing_area();
                let (labels, _rows) = output::draw(&root, &self.font, &figure.chart, &figure.options)?;
                root.present().map_err(|e| ChartError::Draw(e.to_string()))?;
                labels
            };
            for label in &labels {
                set_text(&mut surface, &self.font, &self.pdf_font, label);
            }
        }
        for text in &page.texts {
            let colour = match text.ink {
                Ink::Strong => page.theme.ink,
                Ink::Muted => page.theme.muted,
            };
            let anchor = match text.align {
                Align::Left => HPos::Left,
                Align::Centre => HPos::Center,
                Align::Right => HPos::Right,
            };
            let label = Label { text: clean(&text.text), at: text.at, size: text.size, colour, anchor: (anchor, VPos::Top) };
            set_text(&mut surface, &self.font, &self.pdf_font, &label);
        }
        surface.pop();
        surface.finish();
        pdf_page.finish();
        Ok(())
    }

    pub fn finish(self) -> Result<Vec<u8>, ChartError> {
        self.document.finish().map_err(|e| ChartError::Draw(format!("the PDF cannot be written: {e:?}")))
    }
}

/// One chart as a one-page PDF of `size` pixels.
pub(super) fn single(figure: &Figure<'_>, size: (u32, u32)) -> Result<Vec<u8>, ChartError> {
    let mut pages = PdfPages::new(size, &figure.title)?;
    pages.add(&Page { theme: figure.options.theme, figure: Some(figure), chart_height: size.1, texts: Vec::new() })?;
    pages.finish()
}

/// A page's text as it is set: control characters become spaces (a
/// label's `printable` also shortens, which a footer must not be).
fn clean(text: &str) -> String {
    text.chars().map(|c| if c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}') { ' ' } else { c }).collect()
}

fn fonts() -> Result<(FontRef<'static>, Font), ChartError> {
    let font = FontRef::try_from_slice(output::FONT).map_err(|_| ChartError::Font)?;
    let pdf_font = Font::new(output::FONT.into(), 0).ok_or(ChartError::Font)?;
    Ok((font, pdf_font))
}

/// Sets a label as glyphs of the embedded font, where the PNG would put them.
fn set_text(surface: &mut Surface<'_>, font: &FontRef<'_>, pdf_font: &Font, label: &Label) {
    if label.text.is_empty() {
        return;
    }
    let scaled = font.as_scaled(PxScale::from(label.size));
    let units = font.units_per_em().unwrap_or(1000.0);
    let mut glyphs = Vec::new();
    let mut previous = None;
    for (at, c) in label.text.char_indices() {
        let id = font.glyph_id(c);
        if let (Some(p), Some(last)) = (previous, glyphs.last_mut()) {
            let last: &mut KrillaGlyph = last;
            last.x_advance += font.kern_unscaled(p, id) / units;
        }
        previous = Some(id);
        glyphs.push(KrillaGlyph::new(
            GlyphId::new(u32::from(id.0)),
            font.h_advance_unscaled(id) / units,
            0.0,
            0.0,
            0.0,
            at..at + c.len_utf8(),
            None,
        ));
    }
    let (x, baseline) = output::origin(font, label);
    // ab_glyph's size is the font's height (ascent to descent); PDF's is the em.
    let em = scaled.h_scale_factor() * units;
    surface.set_stroke(None);
    surface.set_fill(Some(fill(label.colour, 1.0)));
    surface.draw_glyphs(Point::from_xy(x, baseline), &glyphs, pdf_font.clone(), &label.text, em, false);
}

fn paint(colour: RGBColor) -> krilla::paint::Paint {
    rgb::Color::new(colour.0, colour.1, colour.2).into()
}

fn opacity(alpha: f64) -> NormalizedF32 {
    NormalizedF32::new(alpha.clamp(0.0, 1.0) as f32).unwrap_or(NormalizedF32::ONE)
}

fn fill(colour: RGBColor, alpha: f64) -> Fill {
    Fill { paint: paint(colour), opacity: opacity(alpha), rule: FillRule::NonZero }
}

fn fill_rect(surface: &mut Surface<'_>, from: (i32, i32), to: (i32, i32), colour: RGBColor, alpha: f64) {
    let (left, right) = (from.0.min(to.0) as f32, from.0.max(to.0) as f32);
    let (top, bottom) = (from.1.min(to.1) as f32, from.1.max(to.1) as f32);
    let Some(rect) = Rect::from_ltrb(left, top, right, bottom) else { return };
    let mut builder = PathBuilder::new();
    builder.push_rect(rect);
    if let Some(path) = builder.finish() {
        surface.set_stroke(None);
        surface.set_fill(Some(fill(colour, alpha)));
        surface.draw_path(&path);
    }
}

fn colour_of(colour: BackendColor) -> RGBColor {
    RGBColor(colour.rgb.0, colour.rgb.1, colour.rgb.2)
}

/// The plotters backend that draws onto a PDF page: every shape a path.
struct PdfBackend<'s, 'p> {
    surface: &'s mut Surface<'p>,
    size: (u32, u32),
}

impl PdfBackend<'_, '_> {
    /// Draws `points` as a path, stroked or filled in the style's colour.
    fn path<S: BackendStyle>(&mut self, points: impl IntoIterator<Item = BackendCoord>, style: &S, filled: bool, close: bool) {
        let colour = style.color();
        if colour.alpha == 0.0 {
            return;
        }
        let mut builder = PathBuilder::new();
        let mut any = false;
        for (x, y) in points {
            if any {
                builder.line_to(x as f32, y as f32);
            } else {
                builder.move_to(x as f32, y as f32);
                any = true;
            }
        }
        if close {
            builder.close();
        }
        let Some(path) = builder.finish() else { return };
        self.shape(&path, colour, style.stroke_width(), filled);
    }

    fn shape(&mut self, path: &krilla::geom::Path, colour: BackendColor, width: u32, filled: bool) {
        if filled {
            self.surface.set_stroke(None);
            self.surface.set_fill(Some(fill(colour_of(colour), colour.alpha)));
        } else {
            self.surface.set_fill(None);
            self.surface.set_stroke(Some(Stroke {
                paint: paint(colour_of(colour)),
                width: width.max(1) as f32,
                line_cap: LineCap::Butt,
                line_join: LineJoin::Miter,
                opacity: opacity(colour.alpha),
                ..Stroke::default()
            }));
        }
        self.surface.draw_path(path);
    }
}

impl DrawingBackend for PdfBackend<'_, '_> {
    type ErrorType = Infallible;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Infallible>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Infallible>> {
        Ok(())
    }

    fn draw_pixel(&mut self, (x, y): BackendCoord, colour: BackendColor) -> Result<(), DrawingErrorKind<Infallible>> {
        if colour.alpha > 0.0 {
            fill_rect(self.surface, (x, y), (x + 1, y + 1), colour_of(colour), colour.alpha);
        }
        Ok(())
    }

    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> Result<(), DrawingErrorKind<Infallible>> {
        self.path([from, to], style, false, false);
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        filled: bool,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        if filled {
            let colour = style.color();
            if colour.alpha > 0.0 {
                fill_rect(self.surface, upper_left, bottom_right, colour_of(colour), colour.alpha);
            }
        } else {
            let ((l, t), (r, b)) = (upper_left, bottom_right);
            self.path([(l, t), (r, t), (r, b), (l, b)], style, false, true);
        }
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        self.path(path, style, false, false);
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vertices: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        self.path(vertices, style, true, true);
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        (x, y): BackendCoord,
        radius: u32,
        style: &S,
        filled: bool,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        let colour = style.color();
        if colour.alpha == 0.0 {
            return Ok(());
        }
        // Four cubic arcs (the usual 0.5523 handle length).
        let (x, y, r) = (x as f32, y as f32, radius as f32);
        let k = 0.552_284_8 * r;
        let mut builder = PathBuilder::new();
        builder.move_to(x + r, y);
        builder.cubic_to(x + r, y + k, x + k, y + r, x, y + r);
        builder.cubic_to(x - k, y + r, x - r, y + k, x - r, y);
        builder.cubic_to(x - r, y - k, x - k, y - r, x, y - r);
        builder.cubic_to(x + k, y - r, x + r, y - k, x + r, y);
        builder.close();
        if let Some(path) = builder.finish() {
            self.shape(&path, colour, style.stroke_width(), filled);
        }
        Ok(())
    }
}
