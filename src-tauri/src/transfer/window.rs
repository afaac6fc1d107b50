//! What only the window sends and receives: the view query, the matrix,
//! the filters' names, the preview, the progress and the settings.

use serde::{Deserialize, Serialize};

use super::{CommandError, CommandResult, CountPath, RateView, ReportView};
use crate::calendar;
use crate::charts::{self, ChartError, ChartOptions, Theme};
use crate::import::{self, ImportError, Preview, Role};
use crate::lang::Lang;
use crate::metrics::{self, Comparison, Filter, Period, Report};
use crate::model::Dimension;
use crate::store::{LeadTable, SourceEntry};

/// What a view shows: a dimension, the matrix, `why` (the sources' evidence)
/// or `volume` (the salespeople's); a period, a filter and what to compare
/// with. Dates are `YYYY-MM-DD` or `YYYY-MM`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ViewQuery {
    pub by: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub source: Option<i64>,
    pub salesperson: Option<i64>,
    pub branch: Option<i64>,
    /// "previous" or "year_before".
    pub compare: Option<String>,
    /// Salespeople and agents as letters (the meeting's Anonymous switch).
    #[serde(default)]
    pub anonymize: bool,
}

/// A view query checked: the report's dimension (`None` for the matrix) and
/// the chart drawn over it.
pub struct Query {
    pub by: Option<Dimension>,
    pub chart: ViewChart,
    pub period: Period,
    pub filter: Filter,
    pub compare: Option<Comparison>,
    pub anonymize: bool,
}

impl ViewQuery {
    pub fn check(&self) -> CommandResult<Query> {
        let (by, chart) = match self.by.as_str() {
            "matrix" => (None, ViewChart::Matrix),
            "why" => (Some(Dimension::Source), ViewChart::Evidence),
            "volume" => (Some(Dimension::Salesperson), ViewChart::Volume),
            by => {
                let dimension = Dimension::parse(by).ok_or_else(|| CommandError::invalid(format!("unknown dimension \"{by}\"")))?;
                (Some(dimension), ViewChart::Bars)
            }
        };
        let day = |text: &Option<String>, end: bool| -> CommandResult<Option<i64>> {
            text.as_deref()
                .filter(|t| !t.is_empty())
                .map(|t| calendar::parse_iso_day(t, end).ok_or_else(|| CommandError::invalid(format!("\"{t}\" is not a date"))))
                .transpose()
        };
        let compare = match self.compare.as_deref() {
            None | Some("") => None,
            Some("previous") => Some(Comparison::Previous),
            Some("year_before") => Some(Comparison::YearBefore),
            Some(other) => return Err(CommandError::invalid(format!("unknown comparison \"{other}\""))),
        };
        Ok(Query {
            by,
            chart,
            period: Period { from: day(&self.from, false)?, to: day(&self.to, true)? },
            filter: Filter::one(self.source, self.salesperson, self.branch),
            compare,
            anonymize: self.anonymize,
        })
    }
}

impl Query {
    /// The report by `by` over the query's period and filter with its
    /// evidence, the compared period and the count path from `rows_read` on.
    pub fn report(&self, table: &LeadTable, rows_read: u64, by: Dimension, lang: Lang) -> ReportView {
        let (mut report, mut compared) = self.reports(table, by, true);
        if self.anonymize && matches!(by, Dimension::Salesperson | Dimension::Agent) {
            // The letters of this period's report, for the compared one too.
            let aliases = charts::Aliases::new(&report, &ChartOptions { lang, anonymize: true, ..ChartOptions::default() });
            aliases.rename_report(&mut report);
            if let Some(compared) = compared.as_mut() {
                aliases.rename_report(compared);
            }
        }
        let path = CountPath {
            rows_read,
            unique_leads: table.rows.len() as u64,
            in_view: report.total.leads + report.passive_leads,
            active: report.total.leads,
            unplaced: metrics::unplaced(table, by, self.period, &self.filter),
        };
        ReportView::for_window(&report, compared.as_ref(), path, lang, table.names(Dimension::Source))
    }

    /// The view's report by `by` (with its evidence if asked) and the
    /// compared period's, if the query compares. By source, the long tail
    /// of small sources is folded into one group as the settings say
    /// (`LeadTable::fold_sources_below`), in the compared period the same
    /// sources.
    pub fn reports(&self, table: &LeadTable, by: Dimension, evidence: bool) -> (Report, Option<Report>) {
        let mut report = metrics::report_on(table, by, self.period, &self.filter);
        let mut compared = self
            .compare
            .and_then(|with| self.period.compared(table.span, with))
            .map(|period| metrics::report_on(table, by, period, &self.filter));
        // Folded before the evidence, so the pooled group has its own.
        report.fold_long_tail(table.fold_sources_below, compared.as_mut());
        if evidence {
            metrics::add_evidence(&mut report, table, self.period, &self.filter);
        }
        (report, compared)
    }

    /// The source x salesperson matrix of the query's leads, names as they are.
    fn raw_matrix(&self, table: &LeadTable) -> metrics::Matrix {
        metrics::matrix(table, self.period, &self.filter, MATRIX_SOURCES, MATRIX_SALESPEOPLE)
    }

    /// The matrix for its table; anonymous, its salespeople by the letters
    /// their charts give them.
    pub fn matrix(&self, table: &LeadTable, lang: Lang) -> metrics::Matrix {
        let mut matrix = self.raw_matrix(table);
        if self.anonymize {
            let people = metrics::report_on(table, Dimension::Salesperson, self.period, &self.filter);
            charts::Aliases::new(&people, &ChartOptions { lang, anonymize: true, ..ChartOptions::default() }).rename_matrix(&mut matrix);
        }
        matrix
    }

    /// Chart options for the view: anonymous where the query asks.
    pub fn chart_options(&self, table: &LeadTable, lang: Lang) -> ChartOptions {
        ChartOptions { lang, scope: self.scope(table, lang), anonymize: self.anonymize, ..ChartOptions::default() }
    }

    /// The view's chart: its dimension's bars (a line for months), the
    /// matrix, the sources beside their rates adjusted for answering speed
    /// (the Why view) or the salespeople's volume.
    pub fn chart(&self, table: &LeadTable, options: &ChartOptions) -> Result<Vec<u8>, ChartError> {
        Ok(self.drawing(table, options)?.bytes)
    }

    /// The view's chart with where its rows are (`chart`); bars with a
    /// comparison mark each group's rate in the compared period.
    pub fn drawing(&self, table: &LeadTable, options: &ChartOptions) -> Result<charts::Drawing, ChartError> {
        match (self.chart, self.by) {
            (ViewChart::Evidence, Some(by)) => charts::evidence_figure(&self.reports(table, by, true).0, options).drawing(),
            (ViewChart::Volume, Some(by)) => charts::volume_figure(&self.reports(table, by, false).0, options).drawing(),
            (_, Some(by)) => {
                let (report, compared) = self.reports(table, by, false);
                let beside = compared.as_ref().zip(self.compare);
                charts::figure_beside(&report, beside, options).drawing()
            }
            (_, None) => charts::matrix_figure(&self.raw_matrix(table), options).drawing(),
        }
    }

    /// "Branch Noord · Source Website": the filter in words, for a chart.
    /// Anonymous, a salesperson chosen is not named.
    pub fn scope(&self, table: &LeadTable, lang: Lang) -> Option<String> {
        let named = if self.anonymize {
            &[Dimension::Branch, Dimension::Source][..]
        } else {
            &[Dimension::Branch, Dimension::Source, Dimension::Salesperson][..]
        };
        let parts: Vec<String> = named
            .iter()
            .copied()
            .flat_map(|dimension| self.filter.ids(dimension).iter().map(move |id| (dimension, id)))
            .filter_map(|(dimension, id)| {
                let name = table.names(dimension).get(id)?;
                Some(format!("{} {name}", lang.group_heading(dimension)))
            })
            .collect();
        (!parts.is_empty()).then(|| parts.join(" · "))
    }
}

/// The room the dashboard has for its chart, in CSS pixels: the chart's
/// box's width, and the height left under the headline on the first screen.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct ChartRoom {
    pub width: u32,
    pub height: u32,
}

/// The widths a dashboard chart is laid out at: narrower, the names and the
/// numbers crowd the bars out; wider than a 4K screen is no window's.
const ROOM_WIDTHS: std::ops::RangeInclusive<u32> = 480..=3_840;
/// The heights it fits: lower, it would be too small to read (the chart then
/// takes the least it reads at and the page scrolls).
const ROOM_HEIGHTS: std::ops::RangeInclusive<u32> = 240..=2_160;

impl ChartRoom {
    /// `options` for a chart laid out in this room (clamped to sizes a
    /// window has) and shown at its pixels, one to one: its text at the size
    /// it is drawn at (13 px and up), as wide as the room and no higher than
    /// it where its rows stay readable.
    pub fn fit(self, options: ChartOptions) -> ChartOptions {
        let width = self.width.clamp(*ROOM_WIDTHS.start(), *ROOM_WIDTHS.end());
        let height = self.height.clamp(*ROOM_HEIGHTS.start(), *ROOM_HEIGHTS.end());
        ChartOptions { width: Some(width), fit_height: Some(height), ..options }
    }
}

/// A slide of the meeting deck: its chart's size on the screen (device
/// pixels), the theme, whether names are letters, and the row in the
/// spotlight (an index, never a name).
#[derive(Debug, Clone, Deserialize)]
pub struct SlideSize {
    pub width: u32,
    pub height: u32,
    /// "light" or "dark".
    pub theme: String,
    pub anonymize: bool,
    #[serde(default)]
    pub spotlight: Option<usize>,
}

/// A slide's chart as SVG text, and the rows a spotlight can pick as
/// `[left, top, right, bottom]` in the chart's pixels, for a click to find
/// its row. Rectangles only: no name, so nothing an anonymous deck hides.
#[derive(Debug, Serialize)]
pub struct SlideView {
    svg: String,
    rows: Vec<[u32; 4]>,
}

impl SlideView {
    pub fn new(drawing: charts::Drawing) -> Self {
        SlideView { svg: String::from_utf8_lossy(&drawing.bytes).into_owned(), rows: drawing.rows }
    }
}

/// Each window slide's definitions (metrics.md), as the deck's footers say
/// them, by the window's view names; the title slide the headline's.
pub fn slide_definitions(lang: Lang, norm: f64) -> CommandResult<std::collections::BTreeMap<&'static str, Vec<String>>> {
    if !(0.0..=1.0).contains(&norm) {
        return Err(CommandError::invalid(format!("a norm of {norm}")));
    }
    use crate::deck::View;
    let views = [
        ("title", View::Headline),
        ("headline", View::Headline),
        ("source", View::Source),
        ("why", View::Evidence),
        ("salesperson", View::Salesperson),
        ("matrix", View::Matrix),
        ("response", View::Response),
        ("month", View::Month),
        ("branch", View::Branch),
        ("agent", View::Agent),
        ("volume", View::Volume),
    ];
    Ok(views.into_iter().map(|(name, view)| (name, view.definitions(lang, norm))).collect())
}

/// A slide's chart is laid out this many pixels high, whatever the screen:
/// on 1080 lines its smallest text (15 px) is 30 px, readable from the back
/// of the room.
const SLIDE_LAYOUT_HEIGHT: u32 = 540;
/// Bars a slide shows: more would not be read from six metres.
const SLIDE_BARS: usize = 10;

impl SlideSize {
    /// Chart options for the slide: laid out at 540 lines and the slide's
    /// proportions, shown at the slide's own pixels.
    pub fn options(&self, lang: Lang, scope: Option<String>) -> CommandResult<ChartOptions> {
        if !(100..=8_000).contains(&self.width) || !(100..=8_000).contains(&self.height) {
            return Err(CommandError::invalid(format!("a slide of {} x {} pixels", self.width, self.height)));
        }
        let theme = match self.theme.as_str() {
            "light" => Theme::LIGHT,
            "dark" => Theme::DARK,
            other => return Err(CommandError::invalid(format!("unknown theme \"{other}\""))),
        };
        let height = SLIDE_LAYOUT_HEIGHT.min(self.height);
        let width = (u64::from(self.width) * u64::from(height) / u64::from(self.height)) as u32;
        Ok(ChartOptions {
            width: Some(width),
            height: Some(height),
            lang,
            anonymize: self.anonymize,
            scope,
            theme,
            max_bars: SLIDE_BARS,
            shown_at: Some((self.width, self.height)),
            spotlight: self.spotlight,
            ..ChartOptions::default()
        })
    }
}

/// What a view draws over its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewChart {
    /// The dimension's bars, or the line over the months.
    Bars,
    Matrix,
    /// Each source's rate beside its rate adjusted for answering speed.
    Evidence,
    /// The salespeople as points, active leads against sales.
    Volume,
}

/// The largest sources and salespeople the matrix shows.
const MATRIX_SOURCES: usize = 8;
const MATRIX_SALESPEOPLE: usize = 20;

/// The source x salesperson matrix as numbers, for the table under its chart.
#[derive(Debug, Serialize)]
pub struct MatrixView {
    sources: Vec<String>,
    salespeople: Vec<String>,
    /// `cells[salesperson][source]`.
    cells: Vec<Vec<RateView>>,
    more_sources: usize,
    more_salespeople: usize,
}

impl From<&metrics::Matrix> for MatrixView {
    fn from(matrix: &metrics::Matrix) -> Self {
        MatrixView {
            sources: matrix.sources.clone(),
            salespeople: matrix.salespeople.clone(),
            cells: matrix.cells.iter().map(|row| row.iter().map(RateView::judged).collect()).collect(),
            more_sources: matrix.more_sources,
            more_salespeople: matrix.more_salespeople,
        }
    }
}

/// The names to filter on, largest first.
#[derive(Debug, Serialize)]
pub struct FilterOptions {
    sources: Vec<NameView>,
    salespeople: Vec<NameView>,
    branches: Vec<NameView>,
    /// Who made the first contact, where the reports name agents: the
    /// window shows the agent view only then.
    agents: Vec<NameView>,
    /// The newest lead's creation day (ISO): the window's relative periods
    /// ("last month") count back from it when the data ends before today.
    newest_day: Option<String>,
    /// The months (`YYYY-MM`) with leads, newest first: the period list offers them.
    months: Vec<String>,
    /// Leads without a creation day: in no period but all time.
    undated: u64,
}

#[derive(Debug, Serialize)]
pub struct NameView {
    id: i64,
    name: String,
}

impl FilterOptions {
    pub fn new(table: &LeadTable) -> Self {
        let names = |dimension: Dimension| {
            let mut counts: std::collections::HashMap<i64, u64> = std::collections::HashMap::new();
            for row in &table.rows {
                if let Some(id) = row.name(dimension) {
                    *counts.entry(id).or_default() += 1;
                }
            }
            let mut names: Vec<(u64, NameView)> = counts
                .into_iter()
                .filter_map(|(id, leads)| Some((leads, NameView { id, name: table.names(dimension).get(&id)?.clone() })))
                .collect();
            names.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.name.cmp(&b.1.name)));
            names.into_iter().map(|(_, n)| n).collect()
        };
        // The days with leads marked within the data's span, then each such
        // day's month once: the calendar's arithmetic for every lead costs more.
        let first = table.span.map_or(0, |(first, _)| first);
        let mut seen = vec![false; table.span.map_or(0, |(first, last)| usize::try_from(last - first + 1).unwrap_or(0))];
        let mut undated = 0;
        for row in &table.rows {
            match row.day() {
                Some(day) => {
                    if let Some(mark) = usize::try_from(day - first).ok().and_then(|at| seen.get_mut(at)) {
                        *mark = true;
                    }
                }
                None => undated += 1,
            }
        }
        let days = seen.iter().enumerate().filter(|(_, seen)| **seen).map(|(at, _)| first + at as i64);
        let months: std::collections::BTreeSet<i64> = days.map(calendar::month_index).collect();
        FilterOptions {
            sources: names(Dimension::Source),
            salespeople: names(Dimension::Salesperson),
            branches: names(Dimension::Branch),
            agents: names(Dimension::Agent),
            newest_day: table.span.map(|(_, last)| calendar::format_day(last)),
            months: months.into_iter().rev().map(calendar::format_month).collect(),
            undated,
        }
    }
}

/// A file waiting in the preview, or why it cannot be read at all.
#[derive(Debug, Serialize)]
pub struct PreviewView {
    token: u64,
    file: String,
    error: Option<CommandError>,
    format: Option<String>,
    sheets: Vec<String>,
    sheet: String,
    header_row: u32,
    columns: Vec<ColumnView>,
    notes: Vec<String>,
    problem: Option<String>,
    remembered: bool,
    already_imported: bool,
    status_values: Vec<StatusValueView>,
}

#[derive(Debug, Serialize)]
pub struct ColumnView {
    header: String,
    role: Option<&'static str>,
    /// Why the role is a guess, if it is one.
    guess: Option<String>,
    samples: Vec<String>,
}

/// A status value in the preview's first rows: what the words make of it
/// (`sold`, `lost`, `open`), and whether they know it at all.
#[derive(Debug, Serialize)]
pub struct StatusValueView {
    value: String,
    rows: u64,
    outcome: &'static str,
    known: bool,
}

impl PreviewView {
    /// The preview with the engine's words (format, notes, guesses, the
    /// refusal) in `lang`.
    pub fn new(token: u64, file: String, preview: Result<Preview, ImportError>, lang: Lang) -> Self {
        let preview = match preview {
            Ok(preview) => preview,
            Err(error) => return PreviewView::unreadable(token, file, CommandError::from(error).in_lang(lang)),
        };
        PreviewView {
            token,
            file,
            error: None,
            format: Some(lang.say(preview.format.name())),
            sheets: preview.sheets,
            sheet: preview.sheet,
            header_row: preview.header_row,
            columns: preview
                .columns
                .into_iter()
                .map(|c| ColumnView {
                    header: c.header,
                    role: c.role.map(Role::key),
                    guess: c.guess.map(|g| lang.say(&g)),
                    samples: c.samples,
                })
                .collect(),
            notes: preview.notes.iter().map(|n| lang.say(n)).collect(),
            problem: preview.problem.map(|p| lang.say(&p)),
            remembered: preview.remembered,
            already_imported: preview.already_imported,
            status_values: preview
                .status_values
                .into_iter()
                .map(|v| StatusValueView { value: v.value, rows: v.rows, outcome: v.outcome.key(), known: v.known })
                .collect(),
        }
    }

    fn unreadable(token: u64, file: String, error: CommandError) -> Self {
        PreviewView {
            token,
            file,
            error: Some(error),
            format: None,
            sheets: Vec::new(),
            sheet: String::new(),
            header_row: 0,
            columns: Vec::new(),
            notes: Vec::new(),
            problem: None,
            remembered: false,
            already_imported: false,
            status_values: Vec::new(),
        }
    }
}

/// A role a column can take, for the preview's choices.
#[derive(Debug, Serialize)]
pub struct RoleView {
    key: &'static str,
    label: String,
    /// A status, sale date or converted flag: a file needs one.
    outcome: bool,
}

pub fn roles(lang: Lang) -> Vec<RoleView> {
    Role::ALL
        .into_iter()
        .map(|r| RoleView { key: r.key(), label: lang.say(import::columns::role_label(r)), outcome: r.is_outcome() })
        .collect()
}

/// One file to import, as the preview left it.
#[derive(Debug, Deserialize)]
pub struct ImportRequest {
    pub token: u64,
    /// Every column's role as the user set it (`None`: as recognised).
    pub columns: Option<Vec<ColumnChoice>>,
}

#[derive(Debug, Deserialize)]
pub struct ColumnChoice {
    pub header: String,
    /// A role key, or `None`: not used.
    pub role: Option<String>,
}

/// The columns of one file as the user left them in the preview.
pub struct ColumnChoices {
    /// Roles the user gave columns, by header.
    pub roles: Vec<(Role, String)>,
    /// Headers the user chose not to use.
    pub ignored: Vec<String>,
}

impl ImportRequest {
    /// The columns as roles and ignored headers (for `ImportOptions`).
    pub fn choices(&self) -> CommandResult<ColumnChoices> {
        let mut roles = Vec::new();
        let mut ignored = Vec::new();
        for choice in self.columns.iter().flatten() {
            match choice.role.as_deref() {
                None | Some("") => ignored.push(choice.header.clone()),
                Some(key) => {
                    let role = Role::parse(key).ok_or_else(|| CommandError::invalid(format!("unknown role \"{key}\"")))?;
                    roles.push((role, choice.header.clone()));
                }
            }
        }
        Ok(ColumnChoices { roles, ignored })
    }
}

/// How far the running import is.
#[derive(Debug, Clone, Serialize)]
pub struct ProgressView {
    pub file: String,
    /// 0-based index of the file among `files`.
    pub index: usize,
    pub files: usize,
    pub rows: u64,
    /// 0..=100 over all files, where the formats tell.
    pub percent: Option<f64>,
}

/// The settings as the window shows them.
#[derive(Debug, Serialize)]
pub struct SettingsView {
    norm_percent: f64,
    language: Option<String>,
    sources: Vec<SourceView>,
    sold_words: Vec<String>,
    lost_words: Vec<String>,
    /// metrics.md's words, always in force.
    standard_sold_words: &'static [&'static str],
    standard_lost_words: &'static [&'static str],
    /// Euros a sale earns, for the sales at stake (`None`: unset).
    margin_per_sale: Option<f64>,
    /// Sources with fewer active leads fold into "Other" (0: never).
    fold_sources_below: u64,
    demo: bool,
}

#[derive(Debug, Serialize)]
pub struct SourceView {
    name: String,
    leads: u64,
    passive: bool,
    class_set: bool,
    merged_into: Option<String>,
}

impl SettingsView {
    pub fn new(settings: crate::store::Settings, sources: Vec<SourceEntry>, demo: bool) -> Self {
        SettingsView {
            norm_percent: (settings.norm * 1000.0).round() / 10.0,
            margin_per_sale: settings.margin_per_sale,
            fold_sources_below: settings.fold_sources_below,
            language: settings.language,
            sources: sources
                .into_iter()
                .map(|s| SourceView {
                    name: s.name,
                    leads: s.leads,
                    passive: s.passive,
                    class_set: s.class_set,
                    merged_into: s.merged_into,
                })
                .collect(),
            sold_words: settings.status_words.sold,
            lost_words: settings.status_words.lost,
            standard_sold_words: crate::vocabulary::SOLD_WORDS,
            standard_lost_words: crate::vocabulary::LOST_WORDS,
            demo,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn view_queries_are_checked() {
        let query =
            |by: &str, compare: Option<&str>| ViewQuery { by: by.into(), compare: compare.map(str::to_owned), ..ViewQuery::default() };
        assert_eq!(query("colour", None).check().err().map(|e| e.kind), Some("invalid_input"));
        assert_eq!(query("source", Some("last week")).check().err().map(|e| e.kind), Some("invalid_input"));
        assert!(query("matrix", Some("year_before")).check().is_ok_and(|q| q.by.is_none() && q.compare == Some(Comparison::YearBefore)));
        let view = |by: &str| query(by, None).check().ok().map(|q| (q.by, q.chart));
        assert_eq!(view("why"), Some((Some(Dimension::Source), ViewChart::Evidence)), "the Why view reports by source");
        assert_eq!(view("volume"), Some((Some(Dimension::Salesperson), ViewChart::Volume)));
        assert_eq!(view("agent"), Some((Some(Dimension::Agent), ViewChart::Bars)));
    }

    #[test]
    fn the_filter_options_list_the_months_with_leads_newest_first_and_count_the_undated() {
        let mut store = crate::store::Store::open_in_memory().expect("store");
        let csv =
            "Lead ID;Aanmaakdatum;Bron;Status\nA;02-10-2023;Web;Verkocht\nB;15-08-2023;Web;Open\nC;;Web;Open\nD;30-10-2023;Web;Open\n";
        let report =
            import::import_bytes(&mut store, "leads.csv", csv.as_bytes().to_vec(), &import::ImportOptions::default()).expect("imports");
        let day = |text: &str| calendar::parse_iso_day(text, false).expect("a day");
        assert_eq!(report.created_days, Some((day("2023-08-15"), day("2023-10-30"))), "the file's first and last creation day");
        let options = serde_json::to_value(FilterOptions::new(&store.lead_table().expect("table"))).expect("json");
        assert_eq!(options["months"], serde_json::json!(["2023-10", "2023-08"]), "no September: no leads then");
        assert_eq!(options["undated"], 1);
        assert_eq!(options["newest_day"], "2023-10-30");
    }

    /// A month's compared figures in the table are the month's its chart marks:
    /// the month as far into the compared period.
    #[test]
    fn a_month_is_compared_with_the_month_as_far_into_the_other_period() {
        let mut store = crate::store::Store::open_in_memory().expect("store");
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/samples/leads_q3_2023.xlsx");
        import::import_file(&mut store, &path, &import::ImportOptions::default()).expect("imports");
        let table = store.lead_table().expect("table");
        let query = ViewQuery {
            by: "month".into(),
            from: Some("2023-08".into()),
            to: Some("2023-09".into()),
            compare: Some("previous".into()),
            ..ViewQuery::default()
        };
        let view = query.check().expect("query").report(&table, 0, Dimension::Month, Lang::En);
        let json = serde_json::to_value(view).expect("json");
        assert_eq!(json["compared"]["period"]["from"], "2023-06-01");
        assert!(json["groups"][0].get("previous").is_none(), "August against June: no leads then");
        assert_eq!(json["groups"][1]["previous"]["leads"], 1939, "September against July (the sample's truth)");
    }

    #[test]
    fn a_preview_choice_becomes_roles_and_ignored_columns() {
        let request: ImportRequest = serde_json::from_value(serde_json::json!({
            "token": 3,
            "columns": [{"header": "Afloop", "role": "status"}, {"header": "Bron", "role": null}]
        }))
        .expect("parses");
        let choices = request.choices().expect("valid");
        assert_eq!((choices.roles, choices.ignored), (vec![(Role::Status, "Afloop".to_string())], vec!["Bron".to_string()]));
        let bad: ImportRequest =
            serde_json::from_value(serde_json::json!({"token": 3, "columns": [{"header": "X", "role": "colour"}]})).expect("parses");
        assert_eq!(bad.choices().err().map(|e| e.kind), Some("invalid_input"));
    }
}
