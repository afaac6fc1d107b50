//! What a drawing becomes: SVG carrying its font and a title, or PNG with
//! the text rasterised here. Also the font itself: its registration with
//! plotters, and the measuring both renderings lay text out by.
//!
//! Text comes from Inter, embedded in the binary: plotters lays it out with
//! ab_glyph (and rasterises it for PNG), and the SVG carries the same font,
//! so a chart looks the same on Windows, macOS and Linux.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use base64::Engine;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::frame::Frame;
use super::scaled::ScaledBackend;
use super::{Chart, ChartError, ChartFormat, ChartOptions, Figure};

pub(super) const FONT: &[u8] = include_bytes!("../../assets/fonts/Inter-Regular.otf");
const FAMILY: &str = "Dertien Sans";

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

/// A piece of text to put on the chart. Plotters draws the SVG's text (the
/// viewer renders it with the embedded font); for PNG Dertien rasterises it
/// itself with ab_glyph, because plotters' bitmap text drops each glyph's
/// side bearing and sets "Delft" as "De lft".
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
/// default 1200 pixels wide and as high as its content needs (`figure.height`),
/// a PDF page 16:9; the title names the SVG for screen readers and the PDF.
pub(super) fn render(figure: &Figure<'_>) -> Result<Vec<u8>, ChartError> {
    let (chart, options, title) = (&figure.chart, &figure.options, figure.title.as_str());
    register_font()?;
    let font = FontRef::try_from_slice(FONT).map_err(|_| ChartError::Font)?;
    // Asked-for sizes too: a PNG's pixels are held in memory, 3 bytes each.
    let width = options.width.unwrap_or(1200).clamp(1, MAX_SIDE);
    let height = options.height.unwrap_or(figure.height).clamp(1, MAX_SIDE);
    match options.format {
        ChartFormat::Pdf => super::pdf::single(figure, page_size(options.width, options.height)),
        ChartFormat::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
                let labels = draw(&root, &font, chart, options)?;
                for label in labels {
                    let style = (FAMILY, f64::from(label.size)).into_font().color(&label.colour);
                    let style = style.pos(Pos::new(label.anchor.0, label.anchor.1));
                    root.draw(&Text::new(label.text, label.at, style)).map_err(|e| ChartError::Draw(e.to_string()))?;
                }
                root.present().map_err(|e| ChartError::Draw(e.to_string()))?;
            }
            let svg = match options.shown_at {
                Some(shown) => shown_at(&svg, shown.0.clamp(1, MAX_SIDE), shown.1.clamp(1, MAX_SIDE)),
                None => svg,
            };
            Ok(embed_font(svg, title).into_bytes())
        }
        ChartFormat::Png => {
            let (pixels, width, height) = raster(figure, &font, (width, height))?;
            encode_png(&pixels, width, height)
        }
    }
}

/// The chart's RGB pixels laid out at `size`, drawn at `pixel_ratio` times
/// it (a PNG at twice a slide's pixels: the slide's layout, twice as
/// sharp). Returns the pixels and their width and height.
pub(super) fn raster(figure: &Figure<'_>, font: &FontRef<'static>, size: (u32, u32)) -> Result<(Vec<u8>, u32, u32), ChartError> {
    let (chart, options) = (&figure.chart, &figure.options);
    let scale = f64::from(options.pixel_ratio.clamp(1, 8));
    let scaled = |side: u32| ((f64::from(side) * scale).round() as u32).clamp(1, MAX_SIDE);
    let (width, height) = (scaled(size.0), scaled(size.1));
    let mut pixels = vec![0u8; width as usize * height as usize * 3];
    let labels = {
        let inner = BitMapBackend::with_buffer(&mut pixels, (width, height));
        let root = ScaledBackend { inner, scale }.into_drawing_area();
        let labels = draw(&root, font, chart, options)?;
        root.present().map_err(|e| ChartError::Draw(e.to_string()))?;
        labels
    };
    for label in labels {
        let at = ((f64::from(label.at.0) * scale).round() as i32, (f64::from(label.at.1) * scale).round() as i32);
        let label = Label { at, size: label.size * scale as f32, ..label };
        rasterise(font, &mut pixels, (width, height), &label);
    }
    Ok((pixels, width, height))
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

/// Draws the shapes, and returns the text for the format to set.
pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    font: &FontRef<'static>,
    chart: &Chart<'_>,
    options: &ChartOptions,
) -> Result<Vec<Label>, ChartError> {
    let mut frame = Frame::new(root, font, options.theme, options.lang)?;
    frame.untitled = options.untitled;
    chart.draw(&mut frame, options)?;
    Ok(frame.into_labels())
}

/// Width and height of a text in pixels, as both renderings lay it out.
pub(super) fn measure(font: &FontRef<'_>, text: &str, size: f32) -> (i32, i32) {
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

/// Puts the embedded font and a title into plotters' SVG, so the text looks
/// as laid out wherever the file is opened, and screen readers have a name.
fn embed_font(svg: String, title: &str) -> String {
    static FONT_CSS: OnceLock<String> = OnceLock::new();
    let css = FONT_CSS.get_or_init(|| {
        let font = base64::engine::general_purpose::STANDARD.encode(FONT);
        format!("<style>@font-face{{font-family:'{FAMILY}';src:url(data:font/otf;base64,{font});}}</style>")
    });
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
    fn the_svg_carries_the_whole_font_and_an_escaped_title() {
        let svg = embed_font("<?xml version=\"1.0\"?>\n<svg width=\"10\">\n</svg>".to_string(), "Leads <Noord> & \"Zuid\"");
        let (_, after) = svg.split_once("base64,").expect("the font as a data URL");
        let (encoded, _) = after.split_once(')').expect("the URL's end");
        let decoded = base64::engine::general_purpose::STANDARD.decode(encoded).expect("base64");
        assert!(decoded == FONT, "the font comes back byte for byte");
        assert!(svg.starts_with(
            "<?xml version=\"1.0\"?>\n<svg width=\"10\">\n<title>Leads &lt;Noord&gt; &amp; &quot;Zuid&quot;</title>\n<style>"
        ));
        assert!(svg.ends_with("</style>\n</svg>"));
    }
}
