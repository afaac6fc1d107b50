//! What a drawing becomes: SVG with its text as Inter's glyph outlines and a
//! title, or PNG with the text rasterised here. Also the font itself and the
//! measuring every rendering lays text out by; plotters draws no text.
//!
//! Text comes from Inter, embedded in the binary, placed glyph by glyph with
//! ab_glyph: rasterised for PNG, set as glyphs of the embedded font in the
//! PDF, drawn as the glyphs' outlines (paths) in the SVG. An SVG that
//! carried the font for its text (an `@font-face` data URL) showed its first
//! chart in the window without a single label: WebKit loads such a font
//! asynchronously, paints the image's text invisible until it has, and an
//! `<img>` is not painted again when it arrives. Outlines need no font, so
//! the first paint has its text, and so has any viewer that ignores web
//! fonts. Each label's text is in the SVG too, invisible over its outlines,
//! for search, copying and screen readers.

use std::collections::BTreeMap;
use std::fmt::Write;

use ab_glyph::{Font, FontRef, GlyphId, OutlineCurve, PxScale, PxScaleFont, ScaleFont};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::frame::{Area, Frame};
use super::scaled::ScaledBackend;
use super::{Chart, ChartError, ChartFormat, ChartOptions, Drawing, Figure};

pub(super) const FONT: &[u8] = include_bytes!("../../assets/fonts/Inter-Regular.otf");

/// A piece of text to put on the chart, set by Dertien itself in every
/// format (`svg_text`, `rasterise`, the PDF's glyphs): plotters' bitmap text
/// drops each glyph's side bearing and sets "Delft" as "De lft".
pub(super) struct Label {
    pub(super) text: String,
    pub(super) at: (i32, i32),
    pub(super) size: f32,
    pub(super) colour: RGBColor,
    pub(super) anchor: (HPos, VPos),
}

/// The largest width or height drawn, in pixels: 8,000 x 8,000 is 192 MB of pixels.
pub const MAX_SIDE: u32 = 8_000;

/// The chart in the format asked for, as large as its options say: by
/// default 1200 pixels wide and as high as its content needs (`Figure::fitted_height`),
/// a PDF page 16:9; the title names the SVG for screen readers and the PDF.
pub(super) fn render(figure: &Figure<'_>) -> Result<Drawing, ChartError> {
    let (chart, options, title) = (&figure.chart, &figure.options, figure.title.as_str());
    let font = FontRef::try_from_slice(FONT).map_err(|_| ChartError::Font)?;
    // Asked-for sizes too: a PNG's pixels are held in memory, 3 bytes each.
    let width = options.width.unwrap_or(1200).clamp(1, MAX_SIDE);
    let height = options.height.unwrap_or_else(|| figure.fitted_height()).clamp(1, MAX_SIDE);
    match options.format {
        ChartFormat::Pdf => Ok(Drawing { bytes: super::pdf::single(figure, page_size(options.width, options.height))?, rows: Vec::new() }),
        ChartFormat::Svg => {
            let mut svg = String::new();
            let (labels, rows) = {
                let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
                let drawn = draw(&root, &font, chart, options)?;
                root.present().map_err(|e| ChartError::Draw(e.to_string()))?;
                drawn
            };
            let (svg, shown) = match options.shown_at {
                Some(shown) => {
                    let shown = (shown.0.clamp(1, MAX_SIDE), shown.1.clamp(1, MAX_SIDE));
                    (shown_at(&svg, shown.0, shown.1), shown)
                }
                None => (svg, (width, height)),
            };
            let bytes = with_text(svg, title, &svg_text(&font, &labels)).into_bytes();
            Ok(Drawing { bytes, rows: scaled(&rows, (width, height), shown) })
        }
        ChartFormat::Png => {
            let Raster { pixels, size, rows } = raster(figure, &font, (width, height))?;
            Ok(Drawing { bytes: encode_png(&pixels, size.0, size.1)?, rows: scaled(&rows, (width, height), size) })
        }
    }
}

/// The chart's RGB pixels laid out at `size`, drawn at `pixel_ratio` times
/// it (a PNG at twice a slide's pixels: the slide's layout, twice as
/// sharp).
pub(super) fn raster(figure: &Figure<'_>, font: &FontRef<'static>, size: (u32, u32)) -> Result<Raster, ChartError> {
    let (chart, options) = (&figure.chart, &figure.options);
    let scale = f64::from(options.pixel_ratio.clamp(1, 8));
    let scaled = |side: u32| ((f64::from(side) * scale).round() as u32).clamp(1, MAX_SIDE);
    let (width, height) = (scaled(size.0), scaled(size.1));
    let mut pixels = vec![0u8; width as usize * height as usize * 3];
    let (labels, rows) = {
        let inner = BitMapBackend::with_buffer(&mut pixels, (width, height));
        let root = ScaledBackend { inner, scale }.into_drawing_area();
        let drawn = draw(&root, font, chart, options)?;
        root.present().map_err(|e| ChartError::Draw(e.to_string()))?;
        drawn
    };
    for label in labels {
        let at = ((f64::from(label.at.0) * scale).round() as i32, (f64::from(label.at.1) * scale).round() as i32);
        let label = Label { at, size: label.size * scale as f32, ..label };
        rasterise(font, &mut pixels, (width, height), &label);
    }
    Ok(Raster { pixels, size: (width, height), rows })
}

/// A chart's RGB pixels, their width and height, and the rows a spotlight
/// can pick (laid out at the size asked for, before the pixel ratio).
pub(super) struct Raster {
    pixels: Vec<u8>,
    size: (u32, u32),
    rows: Vec<Area>,
}

/// A PDF page's size in pixels: 1280 x 720 (16:9), or 16:9 around the one
/// side asked for, or both as asked.
pub(super) fn page_size(width: Option<u32>, height: Option<u32>) -> (u32, u32) {
    let (width, height) = match (width, height) {
        (Some(width), Some(height)) => (width, height),
        (Some(width), None) => (width, width * 9 / 16),
        (None, Some(height)) => (height * 16 / 9, height),
        (None, None) => (1280, 720),
    };
    (width.clamp(1, MAX_SIDE), height.clamp(1, MAX_SIDE))
}

/// Draws the shapes, and returns the text for the format to set and the
/// rows a spotlight can pick.
pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    font: &FontRef<'static>,
    chart: &Chart<'_>,
    options: &ChartOptions,
) -> Result<(Vec<Label>, Vec<Area>), ChartError> {
    let mut frame = Frame::new(root, font, options.theme, options.lang)?;
    frame.untitled = options.untitled;
    chart.draw(&mut frame, options)?;
    Ok(frame.finish())
}

/// Rows laid out at `layout` pixels as `[left, top, right, bottom]` at the
/// `shown` pixels, rounded outwards and kept on the image; a row past its
/// end (a matrix of more salespeople than the image is high) is left out.
fn scaled(rows: &[Area], layout: (u32, u32), shown: (u32, u32)) -> Vec<[u32; 4]> {
    let (sx, sy) = (f64::from(shown.0) / f64::from(layout.0), f64::from(shown.1) / f64::from(layout.1));
    let at = |v: i32, scale: f64, round: fn(f64) -> f64, limit: u32| (round(f64::from(v.max(0)) * scale) as u32).min(limit);
    rows.iter()
        .map(|[(left, top), (right, bottom)]| {
            [
                at(*left, sx, f64::floor, shown.0),
                at(*top, sy, f64::floor, shown.1),
                at(*right, sx, f64::ceil, shown.0),
                at(*bottom, sy, f64::ceil, shown.1),
            ]
        })
        .filter(|[left, top, right, bottom]| bottom > top && right > left)
        .collect()
}

/// Width and height of a text in pixels, as both renderings lay it out.
pub(super) fn measure(font: &FontRef<'_>, text: &str, size: f32) -> (i32, i32) {
    let scaled = font.as_scaled(PxScale::from(size));
    let width = placed(&scaled, text, 0.0).last().map_or(0.0, |(glyph, at)| at + scaled.h_advance(glyph));
    (width.ceil() as i32, (scaled.ascent() - scaled.descent()).ceil() as i32)
}

/// Each glyph of `text` with where the pen stands for it, kerned against the
/// glyph before, the pen starting at `start`: the one layout that measuring,
/// the PNG and the SVG share.
fn placed<'s, F: Font>(scaled: &'s PxScaleFont<F>, text: &'s str, start: f32) -> impl Iterator<Item = (GlyphId, f32)> + 's {
    let mut caret = start;
    let mut previous = None;
    text.chars().map(move |c| {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            caret += scaled.kern(p, id);
        }
        previous = Some(id);
        let at = caret;
        caret += scaled.h_advance(id);
        (id, at)
    })
}

/// Where a label's text starts and its baseline runs: the same in the PNG
/// and the PDF.
pub(super) fn origin(font: &FontRef<'_>, label: &Label) -> (f32, f32) {
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
    (x, baseline)
}

fn rasterise(font: &FontRef<'_>, pixels: &mut [u8], (width, height): (u32, u32), label: &Label) {
    let scaled = font.as_scaled(PxScale::from(label.size));
    let (x, baseline) = origin(font, label);
    for (id, caret) in placed(&scaled, &label.text, x) {
        let glyph = id.with_scale_and_position(scaled.scale(), ab_glyph::point(caret, baseline));
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

/// The labels as SVG: each glyph's outline once (`<defs>`, in font units),
/// each label a group of uses of them in its colour, placed as the PNG and
/// the PDF place them; and each label's text, invisible, over its glyphs.
fn svg_text(font: &FontRef<'_>, labels: &[Label]) -> String {
    let mut glyphs: BTreeMap<u16, String> = BTreeMap::new();
    let mut groups = String::new();
    for label in labels {
        let scaled = font.as_scaled(PxScale::from(label.size));
        let factor = scaled.h_scale_factor();
        let (x, baseline) = origin(font, label);
        let colour = format!("#{:02X}{:02X}{:02X}", label.colour.0, label.colour.1, label.colour.2);
        let _ = write!(groups, "<g fill=\"{colour}\" transform=\"translate({} {}) scale({} {})\">", num(x), num(baseline), factor, -factor);
        for (id, caret) in placed(&scaled, &label.text, 0.0) {
            if !glyphs.entry(id.0).or_insert_with(|| glyph_path(font, id)).is_empty() {
                let _ = write!(groups, "<use href=\"#g{}\" x=\"{}\"/>", id.0, num(caret / factor));
            }
        }
        let (width, _) = measure(font, &label.text, label.size);
        let _ = writeln!(
            groups,
            "</g><text x=\"{}\" y=\"{}\" font-size=\"{}\" textLength=\"{width}\" lengthAdjust=\"spacingAndGlyphs\" font-family=\"Inter, sans-serif\" fill=\"none\">{}</text>",
            num(x),
            num(baseline),
            label.size,
            xml_escape(&label.text)
        );
    }
    let mut out = String::from("<defs>");
    for (id, d) in glyphs.iter().filter(|(_, d)| !d.is_empty()) {
        let _ = write!(out, "<path id=\"g{id}\" d=\"{d}\"/>");
    }
    out.push_str("</defs>\n");
    out.push_str(&groups);
    out
}

/// A glyph's outline as SVG path data in font units (y up); empty for a
/// glyph without one (a space).
fn glyph_path(font: &FontRef<'_>, id: GlyphId) -> String {
    let Some(outline) = font.outline(id) else { return String::new() };
    let mut d = String::new();
    let mut pen = None;
    for curve in &outline.curves {
        let (start, end) = match *curve {
            OutlineCurve::Line(a, b) | OutlineCurve::Quad(a, _, b) | OutlineCurve::Cubic(a, _, _, b) => (a, b),
        };
        if pen != Some(start) {
            if pen.is_some() {
                d.push('Z');
            }
            let _ = write!(d, "M{} {}", num(start.x), num(start.y));
        }
        let _ = match *curve {
            OutlineCurve::Line(_, b) => write!(d, "L{} {}", num(b.x), num(b.y)),
            OutlineCurve::Quad(_, c, b) => write!(d, "Q{} {} {} {}", num(c.x), num(c.y), num(b.x), num(b.y)),
            OutlineCurve::Cubic(_, c, e, b) => {
                write!(d, "C{} {} {} {} {} {}", num(c.x), num(c.y), num(e.x), num(e.y), num(b.x), num(b.y))
            }
        };
        pen = Some(end);
    }
    if pen.is_some() {
        d.push('Z');
    }
    d
}

/// A coordinate to a tenth, without a needless ".0" or "-0".
fn num(value: f32) -> String {
    let tenths = (value * 10.0).round() as i64;
    match (tenths / 10, (tenths % 10).abs()) {
        (0, 0) => "0".into(),
        (whole, 0) => whole.to_string(),
        (0, part) if tenths < 0 => format!("-0.{part}"),
        (whole, part) => format!("{whole}.{part}"),
    }
}

/// Puts a title (for screen readers) after plotters' SVG's root tag and the
/// text before its end.
fn with_text(svg: String, title: &str, text: &str) -> String {
    let Some(open_end) = svg.find("<svg").and_then(|start| svg[start..].find('>').map(|end| start + end + 1)) else {
        return svg;
    };
    let close = svg.rfind("</svg>").unwrap_or(svg.len()).max(open_end);
    let mut out = String::with_capacity(svg.len() + text.len() + title.len() + 32);
    out.push_str(&svg[..open_end]);
    out.push_str("\n<title>");
    out.push_str(&xml_escape(title));
    out.push_str("</title>\n");
    out.push_str(&svg[open_end..close]);
    out.push_str(text);
    out.push_str(&svg[close..]);
    out
}

/// The SVG shown at `width` x `height`: its root's size changed, its
/// `viewBox` (the layout) kept, so the viewer scales the vectors.
fn shown_at(svg: &str, width: u32, height: u32) -> String {
    let Some(root_end) = svg.find('>') else { return svg.to_owned() };
    let root = &svg[..root_end];
    let Some(view_box) = root.find("viewBox=") else { return svg.to_owned() };
    format!("<svg width=\"{width}\" height=\"{height}\" {}{}", &root[view_box..], &svg[root_end..])
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
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
    fn the_svg_draws_its_text_as_outlines_with_the_text_invisible_over_them() {
        let font = FontRef::try_from_slice(FONT).expect("font");
        let label = |text: &str| Label {
            text: text.into(),
            at: (10, 20),
            size: 20.0,
            colour: RGBColor(0x12, 0x34, 0x56),
            anchor: (HPos::Left, VPos::Top),
        };
        let text = svg_text(&font, &[label("Delft <Noord>"), label("Delft")]);
        let svg = with_text("<?xml version=\"1.0\"?>\n<svg width=\"10\">\n</svg>".to_string(), "Leads <Noord> & \"Zuid\"", &text);
        assert!(svg.starts_with("<?xml version=\"1.0\"?>\n<svg width=\"10\">\n<title>Leads &lt;Noord&gt; &amp; &quot;Zuid&quot;</title>\n"));
        assert!(svg.ends_with("</text>\n</svg>"));
        assert!(!svg.contains("@font-face"), "no font to wait for");
        // Every glyph drawn but the space, each outline defined once.
        let uses = |s: &str| s.matches("<use href=").count();
        assert_eq!(uses(&svg), "Delft<Noord>".len() + "Delft".len());
        let defined = svg.matches("<path id=\"g").count();
        assert_eq!(defined, "DelftNord<>".chars().collect::<std::collections::BTreeSet<_>>().len(), "{svg}");
        assert_eq!(svg.matches("<g fill=\"#123456\"").count(), 2, "in the label's colour");
        assert!(svg.contains(">Delft &lt;Noord&gt;</text>"), "the text itself, escaped");
        assert!(svg.contains("fill=\"none\">Delft</text>"), "invisible");
        assert_eq!((num(-0.04), num(-0.25), num(12.0), num(12.34)), ("0".into(), "-0.3".into(), "12".into(), "12.3".into()));
    }
}
