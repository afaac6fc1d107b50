//! The meeting in one file (cli.md, "deck"): a title page, then one page per
//! view in cli.md's order, the views without data left out, each page its
//! chart drawn for the page, the scope, and a footer with the definitions it
//! uses and its number.
//!
//! - `mod.rs`: which views the scope has data for, one anonymous mapping for
//!   the whole deck, the pages laid out as a PDF;
//! - `pptx.rs`: the same pages as PowerPoint slides, each chart a picture;
//! - `words.rs`: the deck's own words, and the definitions.
//!
//! Anonymising happens to the data, before anything is drawn: every
//! salesperson's and agent's name in the reports and the matrix becomes its
//! alias, so no chart, title or footer can carry a real name, and the letter
//! of a person is the same on every page.

mod pptx;
mod words;

use crate::calendar;
use crate::charts::{self, Align, ChartError, ChartOptions, Figure, Ink, Page, PageText, PdfPages, Theme};
use crate::lang::{span_label, Lang};
use crate::metrics::{self, Comparison, Filter, Matrix, Period, Report};
use crate::model::Dimension;
use crate::store::LeadTable;
use words::Definition;

/// A deck page's size in chart pixels (16:9; 960 x 540 pt in the PDF).
pub const PAGE: (u32, u32) = (1280, 720);
/// The chart's part of a page; the footer has the rest.
const CHART_HEIGHT: u32 = 640;
/// The footer's text.
const FOOTER: f32 = 13.0;
const MARGIN: i32 = 24;

/// The matrix's largest sources and salespeople that fit a page.
const MATRIX_SOURCES: usize = 6;
const MATRIX_SALESPEOPLE: usize = 10;

#[derive(Debug, thiserror::Error)]
pub enum DeckError {
    #[error("the deck cannot be drawn: {0}")]
    Chart(#[from] ChartError),
    #[error("the PPTX cannot be packed: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("the PPTX cannot be packed: {0}")]
    Io(#[from] std::io::Error),
}

/// What a deck is written as: the file name's extension says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeckFormat {
    /// 16:9 vector pages, the font embedded, the text selectable.
    Pdf,
    /// PowerPoint: a slide per page, each chart a picture, the footer in the notes.
    Pptx,
}

impl DeckFormat {
    /// The format `path`'s extension names (any case), if it names one.
    pub fn of(path: &std::path::Path) -> Option<DeckFormat> {
        match path.extension()?.to_str()?.to_lowercase().as_str() {
            "pdf" => Some(DeckFormat::Pdf),
            "pptx" => Some(DeckFormat::Pptx),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct DeckOptions {
    pub lang: Lang,
    pub theme: Theme,
    /// Salespeople and agents as "Verkoper A", "Medewerker A", ... on every page.
    pub anonymize: bool,
    /// Which leads the deck counts, in words; `None`: all of them.
    pub scope: Option<String>,
    /// When the newest import was made (seconds since 1970, UTC).
    pub data_as_of: Option<i64>,
}

/// Whether a deck names its people: as they are, or as letters (cli.md's
/// `--anonymize`), one salesperson keeping their name (`--name`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Names<'a> {
    Real,
    Letters { keep: Option<&'a str> },
}

/// The views of cli.md's deck, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Headline,
    Source,
    Evidence,
    Salesperson,
    Matrix,
    Response,
    Month,
    Branch,
    Agent,
    Volume,
}

/// A view and what it draws; a view of bars with a comparison, the compared
/// period's report, whose rates each bar marks.
struct Slide {
    view: View,
    data: Data,
    before: Option<(Report, Comparison)>,
}

enum Data {
    Report(Report),
    Matrix(Matrix),
}

/// What the deck shows beyond its scope: sources with fewer active leads
/// than `fold_below` as one group, as in the window (0 keeps every source,
/// as the command line does), and the period each bar is marked against.
#[derive(Debug, Clone, Copy, Default)]
pub struct DeckChoices {
    pub fold_below: u64,
    pub compare: Option<Comparison>,
}

/// The deck's data: the views the scope has data for, anonymised if asked.
pub struct Deck {
    slides: Vec<Slide>,
    norm: f64,
    period: Option<(i64, i64)>,
}

impl Deck {
    /// The views over `period` of the leads `filter` admits; without data a
    /// view is left out (branch with one branch, agent when no report names
    /// agents, response time when no report has first contacts), folded and
    /// compared as `choices` say (`metrics::Report::fold_sources`, the
    /// compared period's report beside each view of bars).
    pub fn new(table: &LeadTable, period: Period, filter: &Filter, names: Names<'_>, lang: Lang, choices: DeckChoices) -> Deck {
        let report = |by| metrics::report_on(table, by, period, filter);
        let compared = choices.compare.and_then(|with| Some((period.compared(table.span, with)?, with)));
        let before = |by| compared.map(|(period, with)| (metrics::report_on(table, by, period, filter), with));
        let mut source = report(Dimension::Source);
        let mut source_before = before(Dimension::Source);
        source.fold_long_tail(choices.fold_below, source_before.as_mut().map(|(report, _)| report));
        let norm = source.norm;
        let deck_period = source.period;
        if source.total.leads == 0 {
            return Deck { slides: Vec::new(), norm, period: deck_period };
        }
        metrics::add_evidence(&mut source, table, period, filter);
        let mut salesperson = report(Dimension::Salesperson);
        let mut agent = report(Dimension::Agent);
        let (mut salesperson_before, mut agent_before) = (before(Dimension::Salesperson), before(Dimension::Agent));
        let mut matrix = metrics::matrix(table, period, filter, MATRIX_SOURCES, MATRIX_SALESPEOPLE);
        if let Names::Letters { keep } = names {
            // The compared period by the same letters.
            let options = ChartOptions { lang, anonymize: true, keep_name: keep.map(str::to_string), ..ChartOptions::default() };
            let people = charts::Aliases::new(&salesperson, &options);
            people.rename_report(&mut salesperson);
            people.rename_matrix(&mut matrix);
            let agents = charts::Aliases::new(&agent, &options);
            agents.rename_report(&mut agent);
            for (aliases, compared) in [(&people, salesperson_before.as_mut()), (&agents, agent_before.as_mut())] {
                if let Some((report, _)) = compared {
                    aliases.rename_report(report);
                }
            }
        }
        let named = |r: &Report| r.groups.iter().filter(|g| g.name.is_some()).count();
        let response = report(Dimension::Response);
        let month = report(Dimension::Month);
        let branch = report(Dimension::Branch);
        let answered = response.groups.iter().any(|g| g.key != metrics::GroupKey::Response(crate::model::ResponseBucket::None));
        let adjusted = source.groups.iter().any(|g| g.evidence.adjustment.is_some_and(|a| a.adjusted.is_some()));
        let mut slides = vec![Slide { view: View::Headline, data: Data::Report(source.clone()), before: None }];
        let mut add = |view, data, before, has_data: bool| {
            if has_data {
                slides.push(Slide { view, data, before });
            }
        };
        add(View::Source, Data::Report(source.clone()), source_before, true);
        add(View::Evidence, Data::Report(source), None, adjusted);
        let salespeople = named(&salesperson);
        add(View::Salesperson, Data::Report(salesperson.clone()), salesperson_before, salespeople > 0);
        add(View::Matrix, Data::Matrix(matrix), None, salespeople > 0);
        add(View::Response, Data::Report(response), before(Dimension::Response), answered);
        let months = month.groups.len();
        add(View::Month, Data::Report(month), before(Dimension::Month), months > 0);
        let branches = branch.groups.len();
        add(View::Branch, Data::Report(branch), before(Dimension::Branch), branches > 1);
        let agents = named(&agent);
        add(View::Agent, Data::Report(agent), agent_before, agents > 0);
        add(View::Volume, Data::Report(salesperson), None, salespeople > 0);
        Deck { slides, norm, period: deck_period }
    }

    /// The views the deck shows, in order (the title page not counted).
    pub fn views(&self) -> Vec<View> {
        self.slides.iter().map(|s| s.view).collect()
    }

    /// Pages in all: the title page and one per view.
    pub fn pages(&self) -> usize {
        1 + self.slides.len()
    }

    /// The deck's file in `format`.
    pub fn write(&self, format: DeckFormat, options: &DeckOptions) -> Result<Vec<u8>, DeckError> {
        match format {
            DeckFormat::Pdf => self.pdf(options),
            DeckFormat::Pptx => self.pptx(options),
        }
    }

    /// The deck as a PDF: 16:9 vector pages, the font embedded, the text text.
    pub fn pdf(&self, options: &DeckOptions) -> Result<Vec<u8>, DeckError> {
        let lang = options.lang;
        let chart_options = self.chart_options(options);
        let period = span_label(self.period, lang);
        let title = format!("{} — {period}", words::deck_title(lang));
        let mut pdf = PdfPages::new(PAGE, &title)?;
        let pages = self.pages();
        let mut texts = self.title_page(options);
        texts.extend(self.footer(options, &Definition::RATES, 1, pages)?);
        pdf.add(&Page { theme: options.theme, figure: None, chart_height: 0, texts })?;
        for (n, slide) in self.slides.iter().enumerate() {
            let figure = slide.figure(&chart_options);
            let texts = self.footer(options, slide.view.uses(), n + 2, pages)?;
            pdf.add(&Page { theme: options.theme, figure: Some(&figure), chart_height: CHART_HEIGHT, texts })?;
        }
        Ok(pdf.finish()?)
    }

    /// The charts' options: the data is anonymised already, so the charts are not asked to.
    fn chart_options(&self, options: &DeckOptions) -> ChartOptions {
        ChartOptions {
            format: charts::ChartFormat::Pdf,
            width: Some(PAGE.0),
            height: Some(CHART_HEIGHT),
            lang: options.lang,
            anonymize: false,
            scope: Some(self.scope(options)),
            theme: options.theme,
            ..ChartOptions::default()
        }
    }

    fn scope(&self, options: &DeckOptions) -> String {
        options.scope.clone().unwrap_or_else(|| words::all_leads(options.lang).to_string())
    }

    /// When the newest import was made, in words.
    fn as_of(&self, options: &DeckOptions) -> String {
        match options.data_as_of {
            Some(at) => words::data_as_of(options.lang, &calendar::format_day(calendar::day_of(at))),
            None => words::no_imports(options.lang).to_string(),
        }
    }

    /// The title page's lines, the deck's title first.
    fn title_page(&self, options: &DeckOptions) -> Vec<PageText> {
        let lang = options.lang;
        let line = |text: String, y: i32, size: f32, ink: Ink| PageText { text, at: (80, y), size, ink, align: Align::Left };
        let mut texts = vec![
            line(words::deck_title(lang).to_string(), 170, 56.0, Ink::Strong),
            line(self.scope(options), 270, 28.0, Ink::Strong),
            line(words::period(lang, &span_label(self.period, lang)), 330, 24.0, Ink::Muted),
            line(self.as_of(options), 375, 24.0, Ink::Muted),
            line(words::norm(lang, self.norm), 420, 24.0, Ink::Muted),
        ];
        if options.anonymize {
            texts.push(line(words::anonymised(lang).to_string(), 480, 20.0, Ink::Muted));
        }
        if self.slides.is_empty() {
            texts.push(line(words::no_data(lang).to_string(), 520, 20.0, Ink::Muted));
        }
        texts
    }

    /// The page's footer, wrapped under the chart: the scope, the
    /// definitions the page uses, how old the data is; and the page's number.
    fn footer(&self, options: &DeckOptions, definitions: &[Definition], page: usize, pages: usize) -> Result<Vec<PageText>, ChartError> {
        let lang = options.lang;
        let number = words::page_of(lang, page, pages);
        let right = PAGE.0 as i32 - MARGIN;
        let (number_width, _) = charts::measure_text(&number, FOOTER)?;
        let room = right - number_width - 32 - MARGIN;
        let definitions = definitions.iter().map(|d| d.text(lang, self.norm)).collect::<Vec<_>>().join(" ");
        let text = format!("{} · {definitions} · {}", self.scope(options), self.as_of(options));
        let lines = wrap(&text, FOOTER, room)?;
        let line_height = 17;
        let top = PAGE.1 as i32 - 12 - line_height * lines.len() as i32;
        let mut texts: Vec<PageText> = lines
            .into_iter()
            .enumerate()
            .map(|(i, text)| PageText {
                text,
                at: (MARGIN, top + line_height * i as i32),
                size: FOOTER,
                ink: Ink::Muted,
                align: Align::Left,
            })
            .collect();
        let last = PAGE.1 as i32 - 12 - line_height;
        texts.push(PageText { text: number, at: (right, last), size: FOOTER, ink: Ink::Muted, align: Align::Right });
        Ok(texts)
    }
}

impl View {
    /// What the view's figures mean (metrics.md), a sentence each, as its
    /// footer says them: the deck's pages and the window's slides alike.
    pub fn definitions(self, lang: Lang, norm: f64) -> Vec<String> {
        self.uses().iter().map(|d| d.text(lang, norm)).collect()
    }

    fn uses(self) -> &'static [Definition] {
        use Definition::*;
        match self {
            View::Evidence => &[ActiveLeads, Conversion, Norm, Interval, Adjusted],
            View::Volume => &[ActiveLeads, NormLine],
            View::Matrix => &[Cells, ActiveLeads, Conversion, Norm, Interval],
            _ => &Definition::RATES,
        }
    }
}

impl Slide {
    fn figure<'a>(&'a self, options: &ChartOptions) -> Figure<'a> {
        match (&self.data, self.view) {
            (Data::Matrix(matrix), _) => charts::matrix_figure(matrix, options),
            (Data::Report(report), View::Headline) => charts::headline_figure(report, options),
            (Data::Report(report), View::Evidence) => charts::evidence_figure(report, options),
            (Data::Report(report), View::Volume) => charts::volume_figure(report, options),
            (Data::Report(report), _) => charts::figure_beside(report, self.before.as_ref().map(|(r, with)| (r, *with)), options),
        }
    }
}

/// `text` in lines of at most `width` pixels, broken between words.
fn wrap(text: &str, size: f32, width: i32) -> Result<Vec<String>, ChartError> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if !line.is_empty() && charts::measure_text(&candidate, size)?.0 > width {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(files: &[&str]) -> LeadTable {
        let mut store = crate::store::Store::open_in_memory().expect("store");
        for file in files {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/samples").join(file);
            crate::import::import_file(&mut store, &path, &crate::import::ImportOptions::default()).expect("imports");
        }
        store.lead_table().expect("table")
    }

    #[test]
    fn the_views_follow_the_data() {
        let q3 = table(&["leads_q3_2023.xlsx"]);
        let deck = Deck::new(&q3, Period::ALL, &Filter::default(), Names::Real, Lang::En, DeckChoices::default());
        use View::*;
        let views = deck.views();
        assert_eq!(&views[..2], &[Headline, Source]);
        assert!(!views.contains(&Agent), "no agents in this report");
        assert_eq!(views.last(), Some(&Volume));
        let kcc = table(&["kcc_rapport_nov_dec.xlsx"]);
        assert!(
            Deck::new(&kcc, Period::ALL, &Filter::default(), Names::Real, Lang::En, DeckChoices::default()).views().contains(&Agent),
            "the KCC report names agents"
        );
        let empty =
            Deck::new(&q3, Period { from: Some(0), to: Some(1) }, &Filter::default(), Names::Real, Lang::En, DeckChoices::default());
        assert_eq!(empty.pages(), 1, "no leads: the title page only");
        assert!(empty.pdf(&options(Lang::En)).is_ok());
    }

    fn options(lang: Lang) -> DeckOptions {
        DeckOptions { lang, theme: Theme::LIGHT, anonymize: true, scope: None, data_as_of: Some(1_700_000_000) }
    }

    #[test]
    fn one_alias_per_person_on_every_page() {
        let q3 = table(&["leads_q3_2023.xlsx", "kcc_rapport_nov_dec.xlsx"]);
        let plain = Deck::new(&q3, Period::ALL, &Filter::default(), Names::Real, Lang::Nl, DeckChoices::default());
        let deck = Deck::new(&q3, Period::ALL, &Filter::default(), Names::Letters { keep: None }, Lang::Nl, DeckChoices::default());
        let names = |deck: &Deck, view: View| -> Vec<String> {
            deck.slides
                .iter()
                .filter(|s| s.view == view)
                .flat_map(|s| match &s.data {
                    Data::Report(r) => r.groups.iter().filter_map(|g| g.name.clone()).collect::<Vec<_>>(),
                    Data::Matrix(m) => m.salespeople.iter().filter(|n| !n.is_empty()).cloned().collect(),
                })
                .collect()
        };
        let real = names(&plain, View::Salesperson);
        let aliased = names(&deck, View::Salesperson);
        assert_eq!(real.len(), aliased.len());
        assert!(aliased.iter().all(|n| n.starts_with("Verkoper ")), "{aliased:?}");
        // The most leads is A, on the bars, the matrix and the volume alike.
        let busiest = plain
            .slides
            .iter()
            .find_map(|s| match (&s.data, s.view) {
                (Data::Report(r), View::Salesperson) => {
                    r.groups.iter().filter(|g| g.name.is_some()).max_by_key(|g| g.rate.leads).map(|g| g.rate.leads)
                }
                _ => None,
            })
            .expect("salespeople");
        let a = deck.slides.iter().find_map(|s| match (&s.data, s.view) {
            (Data::Report(r), View::Volume) => r.groups.iter().find(|g| g.name.as_deref() == Some("Verkoper A")).map(|g| g.rate.leads),
            _ => None,
        });
        assert_eq!(a, Some(busiest));
        for view in [View::Matrix, View::Volume] {
            assert!(names(&deck, view).iter().all(|n| aliased.contains(n)), "{view:?} uses the same aliases");
        }
        assert!(names(&deck, View::Agent).iter().all(|n| n.starts_with("Medewerker ")));
        assert!(real.iter().all(|n| !names(&deck, View::Matrix).contains(n)));
    }

    #[test]
    fn the_deck_folds_the_long_tail_of_sources_as_asked() {
        let mut store = crate::store::Store::open_in_memory().expect("store");
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/fixtures/long_tail.csv");
        crate::import::import_file(&mut store, &path, &crate::import::ImportOptions::default()).expect("imports");
        let table = store.lead_table().expect("table");
        let sources = |fold_below: u64| -> Vec<String> {
            let deck = Deck::new(&table, Period::ALL, &Filter::default(), Names::Real, Lang::En, DeckChoices { fold_below, compare: None });
            let slide = deck.slides.iter().find(|s| s.view == View::Source).expect("the source page");
            match &slide.data {
                Data::Report(report) => report.groups.iter().map(|g| crate::lang::group_label(report, g, Lang::En)).collect(),
                Data::Matrix(_) => Vec::new(),
            }
        };
        let folded = sources(10);
        assert_eq!(folded.last().map(String::as_str), Some("Other (4 sources)"), "{folded:?}");
        assert_eq!(folded.len(), 6);
        assert_eq!(sources(0).len(), 9, "the command line's deck keeps every source");
    }

    #[test]
    fn with_a_comparison_the_bars_mark_the_compared_period_by_the_same_letters() {
        let both = table(&["leads_q3_2023.xlsx", "leadrapport_oktober.xlsx"]);
        let october = Period { from: calendar::parse_iso_day("2023-10", false), to: calendar::parse_iso_day("2023-10", true) };
        let letters = Names::Letters { keep: None };
        let choices = DeckChoices { fold_below: 0, compare: Some(Comparison::Previous) };
        let deck = Deck::new(&both, october, &Filter::default(), letters, Lang::En, choices);
        let svg = |deck: &Deck, view: View| -> String {
            let slide = deck.slides.iter().find(|s| s.view == view).expect("the view");
            String::from_utf8(slide.figure(&ChartOptions::default()).render().expect("svg")).expect("utf-8")
        };
        for view in [View::Source, View::Salesperson, View::Response, View::Month, View::Branch] {
            assert!(svg(&deck, view).contains("previous period"), "{view:?}: September marked");
        }
        for slide in &deck.slides {
            let bars = matches!(slide.view, View::Source | View::Salesperson | View::Response | View::Month | View::Branch | View::Agent);
            assert_eq!(slide.before.is_some(), bars, "{:?}", slide.view);
        }
        let people = deck.slides.iter().find(|s| s.view == View::Salesperson).and_then(|s| s.before.as_ref()).expect("September");
        assert!(
            people.0.groups.iter().filter_map(|g| g.name.as_deref()).all(|n| n.starts_with("Salesperson ")),
            "letters in September too"
        );
        let plain = Deck::new(&both, october, &Filter::default(), letters, Lang::En, DeckChoices::default());
        assert!(!svg(&plain, View::Source).contains("previous period"));
    }

    #[test]
    fn footers_wrap_within_the_page() {
        let lines = wrap(&Definition::Interval.text(Lang::Nl, 0.13).repeat(3), FOOTER, 600).expect("wrapped");
        assert!(lines.len() > 1);
        for line in lines {
            assert!(charts::measure_text(&line, FOOTER).expect("measured").0 <= 600, "{line}");
        }
    }
}
