//! The deck as a PowerPoint file (cli.md, "deck"): one slide per page, in
//! the deck's order. A view's slide is its chart as one picture covering the
//! slide, drawn at twice the slide's pixels (2560 x 1440), with the chart's
//! title set over it in a real title placeholder, so PowerPoint's outline,
//! the slide sorter and screen readers know the slide by it. The title
//! slide's lines are text. The footer (scope, period, data as of, page n
//! of N) and the definitions go in the speaker notes.
//!
//! The package is written by hand: the parts every file shares are the
//! templates in `pptx/` (a theme, a master with a title-slide and a
//! title-only layout, a notes master), filled with the slides' own parts
//! (a slide, its picture and its notes page). Every text is XML-escaped;
//! the pictures are stored, the XML deflated.

use std::io::Write;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::{words, Deck, DeckError, DeckOptions, Definition, PAGE};
use crate::charts::{self, ChartFormat, ChartOptions, Figure, Ink, PageText, Theme};
use crate::lang::{span_label, Lang};

/// Hundredths of a point per page pixel (a pixel is 0.75 pt, as in the PDF).
const CENTIPOINTS: f32 = 75.0;
/// Inter's height from ascent to descent in ems: the charts size text by
/// that height (ab_glyph's scale), PowerPoint by the em.
const HEIGHT_PER_EM: f32 = 1.21;
/// The pictures' pixels per page pixel.
const PICTURE_SCALE: u32 = 2;

const CONTENT_TYPES: &str = include_str!("pptx/content_types.xml");
const PACKAGE_RELS: &str = include_str!("pptx/package.rels");
const CORE: &str = include_str!("pptx/core.xml");
const APP: &str = include_str!("pptx/app.xml");
const PRESENTATION: &str = include_str!("pptx/presentation.xml");
const PRESENTATION_RELS: &str = include_str!("pptx/presentation.rels");
const PRES_PROPS: &str = include_str!("pptx/presProps.xml");
const VIEW_PROPS: &str = include_str!("pptx/viewProps.xml");
const TABLE_STYLES: &str = include_str!("pptx/tableStyles.xml");
const THEME: &str = include_str!("pptx/theme.xml");
const SLIDE_MASTER: &str = include_str!("pptx/slideMaster.xml");
const SLIDE_MASTER_RELS: &str = include_str!("pptx/slideMaster.rels");
const TITLE_LAYOUT: &str = include_str!("pptx/slideLayout1.xml");
const TITLE_ONLY_LAYOUT: &str = include_str!("pptx/slideLayout2.xml");
const LAYOUT_RELS: &str = include_str!("pptx/slideLayout.rels");
const NOTES_MASTER: &str = include_str!("pptx/notesMaster.xml");
const NOTES_MASTER_RELS: &str = include_str!("pptx/notesMaster.rels");
const SLIDE: &str = include_str!("pptx/slide.xml");
const SLIDE_RELS: &str = include_str!("pptx/slide.rels");
const PICTURE: &str = include_str!("pptx/picture.xml");
const TITLE: &str = include_str!("pptx/title.xml");
const SUBTITLE: &str = include_str!("pptx/subtitle.xml");
const NOTES: &str = include_str!("pptx/notes.xml");
const NOTES_RELS: &str = include_str!("pptx/notes.rels");

/// One slide's own parts before they are written.
struct Slide {
    xml: String,
    notes: Vec<String>,
    /// The chart's picture; the title slide has none.
    picture: Option<Vec<u8>>,
}

impl Deck {
    /// The deck as a PPTX: the title slide, then a slide per view.
    pub fn pptx(&self, options: &DeckOptions) -> Result<Vec<u8>, DeckError> {
        let lang = options.lang;
        let pages = self.pages();
        let chart_options = ChartOptions {
            format: ChartFormat::Png,
            width: Some(PAGE.0),
            height: Some(PAGE.1),
            pixel_ratio: PICTURE_SCALE,
            untitled: true,
            ..self.chart_options(options)
        };
        let figures: Vec<Figure<'_>> = self.slides.iter().map(|s| s.figure(&chart_options)).collect();
        let pictures = render_all(&figures)?;
        let mut slides = vec![self.title_slide(options)];
        for (n, ((slide, figure), picture)) in self.slides.iter().zip(&figures).zip(pictures).enumerate() {
            let title = paragraph(figure.heading(), None, options.theme.ink, lang);
            let shapes = PICTURE.replace("{{description}}", &escape(figure.title()))
                + &TITLE.replace("{{type}}", "title").replace("{{paragraphs}}", &title);
            slides.push(Slide {
                xml: slide_xml(options.theme, &shapes),
                notes: self.notes(options, slide.view.uses(), n + 2, pages),
                picture: Some(picture),
            });
        }
        let title = format!("{} — {}", words::deck_title(lang), span_label(self.period, lang));
        package(&slides, &title, lang)
    }

    fn title_slide(&self, options: &DeckOptions) -> Slide {
        let (theme, lang) = (options.theme, options.lang);
        let texts = self.title_page(options);
        let text = |t: &PageText| {
            let ink = match t.ink {
                Ink::Strong => theme.ink,
                Ink::Muted => theme.muted,
            };
            paragraph(&t.text, Some(t.size), ink, lang)
        };
        let (title, lines) = texts.split_first().map_or((String::new(), &[][..]), |(first, rest)| (text(first), rest));
        let shapes = TITLE.replace("{{type}}", "ctrTitle").replace("{{paragraphs}}", &title)
            + &SUBTITLE.replace("{{paragraphs}}", &lines.iter().map(text).collect::<String>());
        Slide { xml: slide_xml(theme, &shapes), notes: self.notes(options, &Definition::RATES, 1, self.pages()), picture: None }
    }

    /// The page's footer as the notes' lines: scope, period, data as of,
    /// the page's number, then each definition the page uses.
    fn notes(&self, options: &DeckOptions, definitions: &[Definition], page: usize, pages: usize) -> Vec<String> {
        let lang = options.lang;
        let mut lines = vec![
            self.scope(options),
            words::period(lang, &span_label(self.period, lang)),
            self.as_of(options),
            words::page_of(lang, page, pages),
        ];
        lines.extend(definitions.iter().map(|d| d.text(lang, self.norm)));
        lines
    }
}

/// Each figure's PNG, drawn on as many threads as the machine has (a
/// 2560 x 1440 picture takes tens of milliseconds), in the figures' order.
fn render_all(figures: &[Figure<'_>]) -> Result<Vec<Vec<u8>>, DeckError> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, figures.len().max(1));
    let mut drawn: Vec<Option<Result<Vec<u8>, charts::ChartError>>> = (0..figures.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|first| {
                scope.spawn(move || {
                    figures.iter().enumerate().skip(first).step_by(threads).map(|(i, f)| (i, f.render())).collect::<Vec<_>>()
                })
            })
            .collect();
        for worker in workers {
            // A drawing that panicked leaves its pictures missing: an error below.
            for (i, picture) in worker.join().unwrap_or_default() {
                drawn[i] = Some(picture);
            }
        }
    });
    drawn
        .into_iter()
        .map(|picture| picture.unwrap_or_else(|| Err(charts::ChartError::Draw("a picture was not drawn".into()))).map_err(DeckError::from))
        .collect()
}

fn slide_xml(theme: Theme, shapes: &str) -> String {
    SLIDE.replace("{{background}}", &hex(theme.background)).replace("{{shapes}}", shapes)
}

/// One paragraph of one run: `size` as the charts size text, in page pixels
/// (none: the placeholder's own, 30 pixels for a title as the charts draw it).
fn paragraph(text: &str, size: Option<f32>, colour: plotters::style::RGBColor, lang: Lang) -> String {
    let size = size.map(|s| format!(" sz=\"{}\"", (s / HEIGHT_PER_EM * CENTIPOINTS).round() as i32)).unwrap_or_default();
    format!(
        "<a:p><a:r><a:rPr lang=\"{}\"{size} dirty=\"0\"><a:solidFill><a:srgbClr val=\"{}\"/></a:solidFill></a:rPr><a:t>{}</a:t></a:r></a:p>",
        language_tag(lang),
        hex(colour),
        escape(text)
    )
}

fn notes_paragraph(text: &str, lang: Lang) -> String {
    format!("<a:p><a:r><a:rPr lang=\"{}\" dirty=\"0\"/><a:t>{}</a:t></a:r></a:p>", language_tag(lang), escape(text))
}

fn language_tag(lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => "nl-NL",
        Lang::En => "en-GB",
    }
}

fn hex(colour: plotters::style::RGBColor) -> String {
    format!("{:02X}{:02X}{:02X}", colour.0, colour.1, colour.2)
}

/// Text as XML character data: markup escaped, and the characters XML 1.0
/// cannot hold (controls, U+FFFE, U+FFFF) as spaces.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The package: the fixed parts, then each slide's slide, notes and picture.
fn package(slides: &[Slide], title: &str, lang: Lang) -> Result<Vec<u8>, DeckError> {
    let mut types = String::new();
    let mut ids = String::new();
    let mut rels = String::new();
    for n in 1..=slides.len() {
        types += &format!("<Override PartName=\"/ppt/slides/slide{n}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.presentationml.slide+xml\"/><Override PartName=\"/ppt/notesSlides/notesSlide{n}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.presentationml.notesSlide+xml\"/>");
        ids += &format!("<p:sldId id=\"{}\" r:id=\"rId{}\"/>", 255 + n, 9 + n);
        rels += &format!("<Relationship Id=\"rId{}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide\" Target=\"slides/slide{n}.xml\"/>", 9 + n);
    }
    let count = slides.len().to_string();
    let mut zip = Package::new();
    zip.xml("[Content_Types].xml", &CONTENT_TYPES.replace("{{slides}}", &types))?;
    zip.xml("_rels/.rels", PACKAGE_RELS)?;
    zip.xml("docProps/core.xml", &CORE.replace("{{title}}", &escape(title)))?;
    zip.xml("docProps/app.xml", &APP.replace("{{slides}}", &count))?;
    zip.xml("ppt/presentation.xml", &PRESENTATION.replace("{{slides}}", &ids))?;
    zip.xml("ppt/_rels/presentation.xml.rels", &PRESENTATION_RELS.replace("{{slides}}", &rels))?;
    zip.xml("ppt/presProps.xml", PRES_PROPS)?;
    zip.xml("ppt/viewProps.xml", VIEW_PROPS)?;
    zip.xml("ppt/tableStyles.xml", TABLE_STYLES)?;
    zip.xml("ppt/theme/theme1.xml", THEME)?;
    zip.xml("ppt/theme/theme2.xml", THEME)?;
    zip.xml("ppt/slideMasters/slideMaster1.xml", SLIDE_MASTER)?;
    zip.xml("ppt/slideMasters/_rels/slideMaster1.xml.rels", SLIDE_MASTER_RELS)?;
    zip.xml("ppt/slideLayouts/slideLayout1.xml", TITLE_LAYOUT)?;
    zip.xml("ppt/slideLayouts/_rels/slideLayout1.xml.rels", LAYOUT_RELS)?;
    zip.xml("ppt/slideLayouts/slideLayout2.xml", TITLE_ONLY_LAYOUT)?;
    zip.xml("ppt/slideLayouts/_rels/slideLayout2.xml.rels", LAYOUT_RELS)?;
    zip.xml("ppt/notesMasters/notesMaster1.xml", NOTES_MASTER)?;
    zip.xml("ppt/notesMasters/_rels/notesMaster1.xml.rels", NOTES_MASTER_RELS)?;
    for (i, slide) in slides.iter().enumerate() {
        let n = (i + 1).to_string();
        let (layout, picture) = match &slide.picture {
            Some(_) => ("2", format!("<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"../media/image{n}.png\"/>")),
            None => ("1", String::new()),
        };
        zip.xml(&format!("ppt/slides/slide{n}.xml"), &slide.xml)?;
        let slide_rels = SLIDE_RELS.replace("{{layout}}", layout).replace("{{n}}", &n).replace("{{picture}}", &picture);
        zip.xml(&format!("ppt/slides/_rels/slide{n}.xml.rels"), &slide_rels)?;
        let notes: String = slide.notes.iter().map(|line| notes_paragraph(line, lang)).collect();
        zip.xml(&format!("ppt/notesSlides/notesSlide{n}.xml"), &NOTES.replace("{{paragraphs}}", &notes))?;
        zip.xml(&format!("ppt/notesSlides/_rels/notesSlide{n}.xml.rels"), &NOTES_RELS.replace("{{n}}", &n))?;
        if let Some(png) = &slide.picture {
            zip.stored(&format!("ppt/media/image{n}.png"), png)?;
        }
    }
    zip.finish()
}

/// A zip being written in memory.
struct Package {
    zip: ZipWriter<std::io::Cursor<Vec<u8>>>,
}

impl Package {
    fn new() -> Package {
        Package { zip: ZipWriter::new(std::io::Cursor::new(Vec::new())) }
    }

    fn xml(&mut self, name: &str, text: &str) -> Result<(), DeckError> {
        self.zip.start_file(name, SimpleFileOptions::default().compression_method(CompressionMethod::Deflated))?;
        Ok(self.zip.write_all(text.as_bytes())?)
    }

    /// PNG is compressed already.
    fn stored(&mut self, name: &str, bytes: &[u8]) -> Result<(), DeckError> {
        self.zip.start_file(name, SimpleFileOptions::default().compression_method(CompressionMethod::Stored))?;
        Ok(self.zip.write_all(bytes)?)
    }

    fn finish(self) -> Result<Vec<u8>, DeckError> {
        Ok(self.zip.finish()?.into_inner())
    }
}
