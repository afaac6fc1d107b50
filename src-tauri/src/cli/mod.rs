//! The `dertien` command line (cli.md): the same engine as the window,
//! without one. This module owns the command line's words; its JSON is
//! `transfer`'s, shared with the window; the domain modules know neither.

mod args;
mod deck;

pub use args::{Command, Refusal};

use std::io::Write;

use serde::Serialize;

use crate::charts::{self, ChartFormat, ChartOptions};
use crate::import::{self, ImportOptions, ImportReport};
use crate::lang::{group_label, norm_percent, percent, period_label, Lang};
use crate::metrics::{self, Report};
use crate::model::Dimension;
use crate::store::{self, LeadTable, Store};
use crate::transfer::{format_utc, report_csv, ImportResultView, ImportView, ReportView};
use args::{Action, ChartArgs, ChartBy, ImportArgs, ImportFormat, ReportArgs, ReportFormat, Scope, TableFormat};

/// Exit statuses (cli.md).
const OK: i32 = 0;
const FAILED: i32 = 1;
const REFUSED: i32 = 2;

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error("{0}\n\nRun `dertien --help` for the usage.")]
    Usage(String),
    #[error("{0}")]
    Store(#[from] store::StoreError),
    #[error("{0}")]
    Output(String),
}

/// Runs a command on the store at `db` (else the app's own); returns the
/// exit status.
pub fn main(db: Option<std::path::PathBuf>, action: Action) -> i32 {
    // What is said before the store is open is said in the language asked for.
    let mut lang = action.lang().unwrap_or(Lang::En);
    match run(db, action, &mut lang) {
        Ok(code) => code,
        Err(error) => {
            complain(&format!("dertien: {}", error.said(lang)));
            match error {
                CliError::Usage(_) => REFUSED,
                _ => FAILED,
            }
        }
    }
}

impl CliError {
    /// The message in `lang`.
    fn said(&self, lang: Lang) -> String {
        match self {
            CliError::Usage(message) => format!("{}\n\n{}", lang.say(message), lang.run_help()),
            other => lang.say(&other.to_string()),
        }
    }
}

/// Runs the command; `lang` becomes the language its messages are said in
/// once the store (and the window's setting) is open.
fn run(db: Option<std::path::PathBuf>, action: Action, lang: &mut Lang) -> Result<i32, CliError> {
    let asked = action.lang();
    let mut open = || -> Result<Store, CliError> {
        let path = db
            .clone()
            .or_else(store::default_db_path)
            .ok_or_else(|| CliError::Usage("no data folder is known on this system: pass --db PATH".into()))?;
        let store = Store::open(&path)?;
        *lang = message_lang(&store, asked)?;
        Ok(store)
    };
    // The store first: its setting is the language of a usage error too.
    match action {
        Action::Import(request) => {
            let mut store = open()?;
            import(&mut store, request, *lang)
        }
        Action::Report(request) => {
            let store = open()?;
            check_scope(&request.scope)?;
            report(&store, request)
        }
        Action::Chart(request) => {
            let store = open()?;
            check_scope(&request.scope)?;
            let format = chart_format(&request)?;
            chart(&store, request, format)
        }
        Action::Imports(request) => {
            let store = open()?;
            imports(&store, request.format, *lang)
        }
        Action::Deck(request) => {
            let store = open()?;
            check_scope(&request.scope)?;
            let format = deck::format(&request)?;
            deck::deck(&store, request, format)
        }
    }
}

/// The language of messages, notes and the history: the one asked for, else
/// the window's setting, else English (a script reading the text keeps
/// reading it on a Dutch system; a table or chart follows the system).
fn message_lang(store: &Store, asked: Option<Lang>) -> Result<Lang, CliError> {
    Ok(match asked {
        Some(lang) => lang,
        None => store.settings()?.language.as_deref().and_then(Lang::parse).unwrap_or(Lang::En),
    })
}

fn check_scope(scope: &Scope) -> Result<(), CliError> {
    match (scope.from, scope.to) {
        (Some(from), Some(to)) if from > to => Err(CliError::Usage("--from is after --to".into())),
        _ => Ok(()),
    }
}

/// `--sold` and `--lost`: words added to the settings' vocabularies (cli.md),
/// so these files, the window and every later report count them alike.
fn add_status_words(store: &mut Store, sold: &[String], lost: &[String]) -> Result<(), CliError> {
    if sold.is_empty() && lost.is_empty() {
        return Ok(());
    }
    let mut words = store.settings()?.status_words;
    for (list, new) in [(&mut words.sold, sold), (&mut words.lost, lost)] {
        for word in new.iter().map(|w| w.trim()).filter(|w| !w.is_empty()) {
            if !list.iter().any(|known| known.eq_ignore_ascii_case(word)) {
                list.push(word.to_string());
            }
        }
    }
    Ok(store.set_status_words(&words)?)
}

fn import(store: &mut Store, request: ImportArgs, lang: Lang) -> Result<i32, CliError> {
    add_status_words(store, &request.sold, &request.lost)?;
    let json = request.format == ImportFormat::Json;
    let mut code = OK;
    let mut results = Vec::new();
    // A failing output (a full disk) does not stop the files after it; it is said at the end.
    let mut output_failed = None;
    for path in &request.files {
        let options = ImportOptions { mapping: request.mapping.clone(), ..ImportOptions::default() };
        let name = path.display().to_string();
        let result = import::import_file(store, path, &options);
        match &result {
            Ok(report) if !json => {
                if let Err(error) = write_out(&import_text(&name, report, lang)) {
                    output_failed = Some(error);
                }
            }
            Err(error) => {
                code = REFUSED;
                if !json {
                    complain(&format!("dertien: {}", lang.refused(&lang.say(&error.to_string()))));
                }
            }
            Ok(_) => {}
        }
        results.push(ImportResultView::new(name, result));
    }
    if json {
        write_json(&results)?;
    }
    match output_failed {
        Some(error) => Err(error),
        None => Ok(code),
    }
}

/// What the command line says of an import.
fn import_text(name: &str, report: &ImportReport, lang: Lang) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let r = &report.record;
    if report.already_imported {
        let _ = writeln!(out, "{name}: {}", lang.already_imported(&format_utc(r.imported_at), r.id, r.leads));
        return out;
    }
    let counts = [r.rows_read, r.leads, r.leads_new, r.leads_updated, r.leads_unchanged, r.passive_leads, r.issue_count];
    let _ = writeln!(out, "{name}: {}", lang.imported(counts));
    for note in &r.notes {
        let _ = writeln!(out, "  {}: {}", lang.note_word(), lang.say(note));
    }
    const SHOWN: usize = 50;
    for issue in report.issues.iter().take(SHOWN) {
        let _ = writeln!(out, "  {}: {}", lang.issue_word(), lang.say(&issue.to_string()));
    }
    if r.issue_count > SHOWN as u64 {
        let _ = writeln!(out, "  {}", lang.more_issues(r.issue_count - SHOWN as u64));
    }
    out
}

fn report(store: &Store, request: ReportArgs) -> Result<i32, CliError> {
    let json = request.format == ReportFormat::Json;
    let scoped = Scoped::new(store, &request.scope, request.by, json)?;
    let lang = chosen_lang(store, request.lang)?;
    match request.format {
        ReportFormat::Json => {
            let mut view = ReportView::for_script(&scoped.report);
            view.compared = scoped.compared.as_ref().map(|c| Box::new(ReportView::for_script(c)));
            write_json(&view)?;
        }
        ReportFormat::Csv => write_out(&report_csv(&scoped.report, lang).map_err(|e| CliError::Output(e.to_string()))?)?,
        ReportFormat::Table => {
            let mut table = report_table(&scoped.report, lang);
            if let Some(compared) = &scoped.compared {
                table.push_str(&compared_line(compared, lang));
            }
            write_out(&table)?;
        }
    }
    Ok(OK)
}

/// A report over cli.md's SCOPE, and over the compared period if asked.
struct Scoped {
    report: Report,
    compared: Option<Report>,
    /// The names kept, as shown, by dimension (for the chart's subtitle).
    names: Vec<(Dimension, String)>,
}

impl Scoped {
    /// The rollup answers a report over a period of the whole store. Names
    /// to keep, and the evidence (JSON only), need every lead's values, so
    /// only those load the lead table (ARCHITECTURE.md, "Decisions").
    fn new(store: &Store, scope: &Scope, by: Dimension, evidence: bool) -> Result<Scoped, CliError> {
        let period = scope.period();
        if !scope.names_any() && !evidence {
            let report = metrics::report(store, by, period)?;
            let compared = match scope.compare {
                Some(with) => period.compared(store.data_span()?, with).map(|p| metrics::report(store, by, p)).transpose()?,
                None => None,
            };
            return Ok(Scoped { report, compared, names: Vec::new() });
        }
        let table = store.lead_table()?;
        let filter = scope_filter(&table, scope)?;
        let make = |period| {
            if evidence {
                metrics::report_with_evidence(&table, by, period, &filter)
            } else {
                metrics::report_on(&table, by, period, &filter)
            }
        };
        let compared = scope.compare.and_then(|with| period.compared(table.span, with)).map(make);
        let names = kept_names(&table, &filter);
        Ok(Scoped { report: make(period), compared, names })
    }

    /// "Branch Delft · Source Website": which leads a chart counts.
    fn words(&self, lang: Lang) -> Option<String> {
        scope_words(&self.names, lang)
    }
}

/// SCOPE's names as a filter; a name no lead has is a usage error.
fn scope_filter(table: &LeadTable, scope: &Scope) -> Result<metrics::Filter, CliError> {
    let ids = |dimension, names: &[String]| metrics::name_ids(table, dimension, names).map_err(|e| CliError::Usage(e.to_string()));
    Ok(metrics::Filter {
        sources: ids(Dimension::Source, &scope.source)?,
        salespeople: ids(Dimension::Salesperson, &scope.salesperson)?,
        branches: ids(Dimension::Branch, &scope.branch)?,
    })
}

/// The names a filter keeps, as shown, by dimension.
fn kept_names(table: &LeadTable, filter: &metrics::Filter) -> Vec<(Dimension, String)> {
    [Dimension::Branch, Dimension::Source, Dimension::Salesperson]
        .into_iter()
        .flat_map(|dimension| filter.ids(dimension).iter().filter_map(move |id| Some((dimension, table.names(dimension).get(id)?.clone()))))
        .collect()
}

/// "Branch Delft · Source Website"; `None` for all leads.
fn scope_words(names: &[(Dimension, String)], lang: Lang) -> Option<String> {
    let parts: Vec<String> = names.iter().map(|(dimension, name)| format!("{} {name}", lang.group_heading(*dimension))).collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// "Previous period 2023-04-01 to 2023-06-30: 3,210 active leads, 402 sold, 12.5%".
fn compared_line(compared: &Report, lang: Lang) -> String {
    let total = &compared.total;
    format!(
        "{} {}: {} {}, {} {}, {}\n",
        lang.compared_period(),
        period_label(compared, lang),
        total.leads,
        lang.active_leads(),
        total.sold,
        lang.sold().to_lowercase(),
        percent(lang, total.rate())
    )
}

/// The language asked for, else the one set in the window, else the system's.
fn chosen_lang(store: &Store, asked: Option<Lang>) -> Result<Lang, CliError> {
    Ok(match asked {
        Some(lang) => lang,
        None => store.settings()?.language.as_deref().and_then(Lang::parse).unwrap_or_else(Lang::from_env),
    })
}

fn report_table(report: &Report, lang: Lang) -> String {
    let mut rows: Vec<[String; 6]> = Vec::new();
    let heading = [
        lang.group_heading(report.by).to_string(),
        lang.leads().to_string(),
        lang.sold().to_string(),
        lang.conversion().to_string(),
        lang.interval().to_string(),
        lang.gap().to_string(),
    ];
    let mut any_small = false;
    for group in &report.groups {
        let (low, high) = group.rate.interval();
        let mut label = group_label(report, group, lang);
        if group.rate.small_sample() {
            label.push_str(" *");
            any_small = true;
        }
        rows.push([
            label,
            group.rate.leads.to_string(),
            group.rate.sold.to_string(),
            percent(lang, group.rate.rate()),
            format!("{} – {}", percent(lang, low), percent(lang, high)),
            group.rate.gap_to_norm().to_string(),
        ]);
    }
    let (low, high) = report.total.interval();
    let total = [
        lang.total().to_string(),
        report.total.leads.to_string(),
        report.total.sold.to_string(),
        percent(lang, report.total.rate()),
        format!("{} – {}", percent(lang, low), percent(lang, high)),
        report.total.gap_to_norm().to_string(),
    ];
    let all: Vec<&[String; 6]> = std::iter::once(&heading).chain(rows.iter()).chain(std::iter::once(&total)).collect();
    let widths: Vec<usize> = (0..6).map(|c| all.iter().map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
    let line = |r: &[String; 6]| {
        let mut out = format!("{:<w$}", r[0], w = widths[0]);
        for c in 1..6 {
            out.push_str(&format!("  {:>w$}", r[c], w = widths[c]));
        }
        out.trim_end().to_string() + "\n"
    };
    let mut out =
        format!("{} — {} — {} {}\n\n", lang.title(report.by), period_label(report, lang), lang.norm(), norm_percent(lang, report.norm));
    out.push_str(&line(&heading));
    let rule: usize = widths.iter().sum::<usize>() + 10;
    out.push_str(&"─".repeat(rule));
    out.push('\n');
    for row in &rows {
        out.push_str(&line(row));
    }
    out.push_str(&"─".repeat(rule));
    out.push('\n');
    out.push_str(&line(&total));
    out.push_str(&format!("{}: {}\n", lang.passive(), report.passive_leads));
    if any_small {
        out.push_str(&format!("* {}\n", lang.small_sample_note()));
    }
    out
}

fn chart_format(request: &ChartArgs) -> Result<ChartFormat, CliError> {
    match request.out.extension().and_then(|e| e.to_str()).map(str::to_lowercase).as_deref() {
        Some("svg") => Ok(ChartFormat::Svg),
        Some("png") => Ok(ChartFormat::Png),
        Some("pdf") => Ok(ChartFormat::Pdf),
        _ => Err(CliError::Usage(format!("--out must end in .svg, .png or .pdf: \"{}\"", request.out.display()))),
    }
}

fn chart(store: &Store, request: ChartArgs, format: ChartFormat) -> Result<i32, CliError> {
    let by = match request.by {
        ChartBy::Dimension(by) => by,
        ChartBy::Volume => Dimension::Salesperson,
        ChartBy::Evidence => Dimension::Source,
    };
    let scoped = Scoped::new(store, &request.scope, by, request.by == ChartBy::Evidence)?;
    let report = &scoped.report;
    let lang = chosen_lang(store, request.lang)?;
    let options = ChartOptions {
        format,
        width: request.width,
        height: request.height,
        anonymize: request.anonymize,
        keep_name: request.name.clone(),
        lang,
        scope: scoped.words(lang),
        theme: request.theme.theme(),
        ..ChartOptions::default()
    };
    // With `--compare`, each bar marks its group's rate in the other period.
    let beside = scoped.compared.as_ref().zip(request.scope.compare);
    let bytes = match request.by {
        ChartBy::Dimension(_) => charts::figure_beside(report, beside, &options).render(),
        ChartBy::Volume => charts::render_volume(report, &options),
        ChartBy::Evidence => charts::render_evidence(report, &options),
    }
    .map_err(|e| CliError::Output(e.to_string()))?;
    std::fs::write(&request.out, bytes).map_err(|e| CliError::Output(format!("cannot write {}: {e}", request.out.display())))?;
    Ok(OK)
}

fn imports(store: &Store, format: TableFormat, lang: Lang) -> Result<i32, CliError> {
    let records = store.imports()?;
    if format == TableFormat::Json {
        write_json(&records.into_iter().map(ImportView::from).collect::<Vec<_>>())?;
        return Ok(OK);
    }
    if records.is_empty() {
        write_out(&format!("{}\n", lang.no_imports()))?;
        return Ok(OK);
    }
    // Each column as wide as its heading in this language, and at least as the English's.
    let heading = lang.imports_heading();
    let widths: Vec<usize> = [4, 20, 6, 6, 5, 7, 9, 7, 6].iter().zip(heading).map(|(w, h)| (*w).max(h.chars().count())).collect();
    let line = |cells: [String; 10]| {
        let mut out = format!("{:>w$}  {:<v$}", cells[0], cells[1], w = widths[0], v = widths[1]);
        for (cell, width) in cells[2..9].iter().zip(&widths[2..]) {
            out.push_str(&format!("  {cell:>width$}"));
        }
        out + "  " + &cells[9] + "\n"
    };
    let mut out = line(heading.map(str::to_string));
    for r in &records {
        let numbers = [r.rows_read, r.leads, r.leads_new, r.leads_updated, r.leads_unchanged, r.passive_leads, r.issue_count];
        let [a, b, c, d, e, f, g] = numbers.map(|n| n.to_string());
        out.push_str(&line([r.id.to_string(), format_utc(r.imported_at), a, b, c, d, e, f, g, r.file_name.clone()]));
    }
    write_out(&out)?;
    Ok(OK)
}

fn write_json<T: Serialize>(value: &T) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| CliError::Output(e.to_string()))?;
    write_out(&(text + "\n"))
}

/// Arguments that were not a command: the help or version asked for
/// (standard output, 0), or a usage error (standard error, 2).
pub fn answer(refusal: Refusal) -> i32 {
    match refusal {
        Refusal::Asked(text) => match write_out(&text) {
            Ok(()) => OK,
            Err(_) => {
                complain("dertien: the help cannot be written to standard output");
                FAILED
            }
        },
        Refusal::Usage(message) => {
            complain(&format!("dertien: {message}"));
            REFUSED
        }
    }
}

/// Writes a line to standard error; an error there has nowhere to be said,
/// so it is ignored rather than a panic (`eprintln!` panics on `2>/dev/full`).
pub fn complain(line: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(line.as_bytes()).and_then(|()| stderr.write_all(b"\n"));
}

/// Writes to standard output; a closed pipe (`| head`) is no error.
fn write_out(text: &str) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CliError::Output(e.to_string())),
        _ => Ok(()),
    }
}
