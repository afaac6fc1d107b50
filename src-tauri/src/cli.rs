//! The `dertien` command line (cli.md): the same engine as the window,
//! without one. This module owns the command line's words and JSON; the
//! domain modules know neither.

use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;

use crate::calendar;
use crate::charts::{self, ChartFormat, ChartOptions};
use crate::import::{self, ImportOptions, ImportReport, Role};
use crate::lang::{group_label, norm_percent, percent, period_label, Lang};
use crate::metrics::{self, Period, Report};
use crate::model::Dimension;
use crate::store::{self, Store};

pub const USAGE: &str = "\
Dertien: lead conversion against the 13% norm.

Usage:
  dertien [--db PATH] import [--map ROLE=COLUMN]... [--format text|json] FILE...
  dertien [--db PATH] report --by DIM [--from DATE] [--to DATE] [--format table|json|csv] [--lang nl|en]
  dertien [--db PATH] chart  --by DIM --out FILE.svg|FILE.png [--from DATE] [--to DATE]
                             [--width PX] [--height PX] [--anonymize] [--lang nl|en]
  dertien [--db PATH] imports [--format table|json]
  dertien [FILE...]            open the window (with these reports to import)

DIM: source, salesperson, branch, month, response, phone
DATE: YYYY-MM-DD, or YYYY-MM for a whole month (both ends inclusive)
ROLE: lead_id, created, source, salesperson, status, sale_date, converted, first_contact,
      lead_kind, branch, brand, model, lead_type, customer_name, phone, email
--db defaults to the app's own store; the DERTIEN_DB environment variable overrides it.
";

pub const SUBCOMMANDS: &[&str] = &["import", "report", "chart", "imports", "help", "--help", "-h", "--version", "-V"];

/// Exit statuses (cli.md).
const OK: i32 = 0;
const FAILED: i32 = 1;
const REFUSED: i32 = 2;

/// Whether these arguments ask for the window: nothing, `--demo`, `--db
/// PATH`, or report files to import (what "Open with" passes). Anything
/// else is for the command line, which explains what it does not know.
pub fn wants_window(args: &[String]) -> bool {
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--db" => {
                if rest.next().is_none() {
                    return false;
                }
            }
            "--demo" => {}
            arg if arg.starts_with("--db=") => {}
            arg if SUBCOMMANDS.contains(&arg) || arg.starts_with('-') => return false,
            arg => {
                if !std::path::Path::new(arg).is_file() {
                    return false;
                }
            }
        }
    }
    true
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error("{0}\n\nRun `dertien --help` for the usage.")]
    Usage(String),
    #[error("{0}")]
    Store(#[from] store::StoreError),
    #[error("{0}")]
    Output(String),
}

/// Runs a command; returns the exit status.
pub fn main(args: Vec<String>) -> i32 {
    match run(args) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("dertien: {error}");
            match error {
                CliError::Usage(_) => REFUSED,
                _ => FAILED,
            }
        }
    }
}

struct Args {
    items: std::collections::VecDeque<String>,
}

impl Args {
    fn value(&mut self, flag: &str) -> Result<String, CliError> {
        self.items.pop_front().filter(|v| !v.starts_with("--")).ok_or_else(|| CliError::Usage(format!("{flag} needs a value")))
    }
}

fn run(args: Vec<String>) -> Result<i32, CliError> {
    let mut args = Args { items: args.into() };
    let mut db: Option<PathBuf> = None;
    let mut command = None;
    let mut rest = Vec::new();
    while let Some(arg) = args.items.pop_front() {
        if arg == "--db" {
            db = Some(PathBuf::from(args.value("--db")?));
        } else if let Some(path) = arg.strip_prefix("--db=") {
            db = Some(PathBuf::from(path));
        } else if command.is_none() {
            command = Some(arg);
        } else {
            rest.push(arg);
        }
    }
    let command = command.unwrap_or_else(|| "help".to_string());
    if matches!(command.as_str(), "help" | "--help" | "-h") {
        print!("{USAGE}");
        return Ok(OK);
    }
    if matches!(command.as_str(), "--version" | "-V") {
        println!("dertien {}", env!("CARGO_PKG_VERSION"));
        return Ok(OK);
    }
    let mut args = Args { items: rest.into() };
    let open = |db: Option<PathBuf>| -> Result<Store, CliError> {
        let path = db
            .or_else(store::default_db_path)
            .ok_or_else(|| CliError::Usage("no data folder is known on this system: pass --db PATH".into()))?;
        Ok(Store::open(&path)?)
    };
    match command.as_str() {
        "import" => {
            let request = ImportArgs::parse(&mut args)?;
            import(&mut open(db)?, request)
        }
        "report" => {
            let request = ReportArgs::parse(&mut args)?;
            report(&open(db)?, request)
        }
        "chart" => {
            let request = ChartArgs::parse(&mut args)?;
            chart(&open(db)?, request)
        }
        "imports" => {
            let json = format_flag(&mut args, &["table", "json"])? == "json";
            imports(&open(db)?, json)
        }
        other => Err(CliError::Usage(format!("unknown command \"{other}\""))),
    }
}

fn format_flag(args: &mut Args, allowed: &[&str]) -> Result<String, CliError> {
    let mut format = allowed[0].to_string();
    while let Some(arg) = args.items.pop_front() {
        match arg.as_str() {
            "--format" => format = args.value("--format")?,
            other => return Err(CliError::Usage(format!("unexpected argument \"{other}\""))),
        }
    }
    if !allowed.contains(&format.as_str()) {
        return Err(CliError::Usage(format!("--format must be one of {}", allowed.join(", "))));
    }
    Ok(format)
}

struct ImportArgs {
    files: Vec<PathBuf>,
    mapping: Vec<(Role, String)>,
    json: bool,
}

impl ImportArgs {
    fn parse(args: &mut Args) -> Result<Self, CliError> {
        let mut request = ImportArgs { files: Vec::new(), mapping: Vec::new(), json: false };
        while let Some(arg) = args.items.pop_front() {
            match arg.as_str() {
                "--map" => {
                    let value = args.value("--map")?;
                    let (role, column) =
                        value.split_once('=').ok_or_else(|| CliError::Usage(format!("--map takes ROLE=COLUMN, not \"{value}\"")))?;
                    let role = Role::parse(role).ok_or_else(|| CliError::Usage(format!("--map: unknown role \"{role}\"")))?;
                    request.mapping.push((role, column.trim_matches('"').to_string()));
                }
                "--format" => request.json = args.value("--format")? == "json",
                flag if flag.starts_with("--") => return Err(CliError::Usage(format!("unknown option \"{flag}\""))),
                file => request.files.push(PathBuf::from(file)),
            }
        }
        if request.files.is_empty() {
            return Err(CliError::Usage("import needs at least one FILE".into()));
        }
        Ok(request)
    }
}

#[derive(Serialize)]
struct ImportJson {
    file: String,
    imported: bool,
    already_imported: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    import_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorJson>,
    rows_read: u64,
    leads: u64,
    leads_new: u64,
    leads_updated: u64,
    leads_unchanged: u64,
    passive_leads: u64,
    sheets: Vec<String>,
    notes: Vec<String>,
    issues: Vec<IssueJson>,
}

/// An error as the UI and scripts receive it: `{kind, message}`.
#[derive(Serialize)]
pub struct ErrorJson {
    pub kind: &'static str,
    pub message: String,
}

#[derive(Serialize)]
struct IssueJson {
    sheet: String,
    row: u32,
    column: String,
    message: String,
}

fn import(store: &mut Store, request: ImportArgs) -> Result<i32, CliError> {
    let mut code = OK;
    let mut results = Vec::new();
    for path in &request.files {
        let options = ImportOptions { mapping: request.mapping.clone(), ..ImportOptions::default() };
        let name = path.display().to_string();
        match import::import_file(store, path, &options) {
            Ok(report) => {
                if !request.json {
                    print_import(&name, &report);
                }
                results.push(import_json(name, Ok(&report)));
            }
            Err(error) => {
                code = REFUSED;
                if !request.json {
                    eprintln!("dertien: refused {error}");
                }
                results.push(import_json(name, Err(&error)));
            }
        }
    }
    if request.json {
        write_json(&results)?;
    }
    Ok(code)
}

fn import_json(file: String, result: Result<&ImportReport, &import::ImportError>) -> ImportJson {
    let mut json = ImportJson {
        file,
        imported: false,
        already_imported: false,
        import_id: None,
        error: None,
        rows_read: 0,
        leads: 0,
        leads_new: 0,
        leads_updated: 0,
        leads_unchanged: 0,
        passive_leads: 0,
        sheets: Vec::new(),
        notes: Vec::new(),
        issues: Vec::new(),
    };
    match result {
        Ok(report) => {
            let r = &report.record;
            json.imported = !report.already_imported;
            json.already_imported = report.already_imported;
            json.import_id = Some(r.id);
            json.rows_read = r.rows_read;
            json.leads = r.leads;
            (json.leads_new, json.leads_updated, json.leads_unchanged) =
                if report.already_imported { (0, 0, r.leads) } else { (r.leads_new, r.leads_updated, r.leads_unchanged) };
            json.passive_leads = r.passive_leads;
            json.sheets.clone_from(&r.sheets);
            json.notes.clone_from(&r.notes);
            json.issues = report
                .issues
                .iter()
                .map(|i| IssueJson { sheet: i.sheet.clone(), row: i.row, column: i.column.clone(), message: i.message.clone() })
                .collect();
        }
        Err(error) => json.error = Some(ErrorJson { kind: error.kind(), message: error.to_string() }),
    }
    json
}

fn print_import(name: &str, report: &ImportReport) {
    let r = &report.record;
    if report.already_imported {
        println!(
            "{name}: already imported on {} (import {}): nothing changed, {} leads unchanged",
            format_utc(r.imported_at),
            r.id,
            r.leads
        );
        return;
    }
    println!(
        "{name}: {} rows read -> {} leads ({} new, {} updated, {} unchanged), {} passive; {} row issue{}",
        r.rows_read,
        r.leads,
        r.leads_new,
        r.leads_updated,
        r.leads_unchanged,
        r.passive_leads,
        r.issue_count,
        if r.issue_count == 1 { "" } else { "s" }
    );
    for note in &r.notes {
        println!("  note: {note}");
    }
    const SHOWN: usize = 50;
    for issue in report.issues.iter().take(SHOWN) {
        println!("  issue: {issue}");
    }
    if report.issues.len() > SHOWN {
        println!("  ... and {} more row issues (dertien import --format json lists them all)", report.issues.len() - SHOWN);
    }
}

fn format_utc(seconds: i64) -> String {
    format!("{} UTC", crate::import::values::format_timestamp(seconds))
}

/// Reads `--from` / `--to` into `period`; false for any other flag.
fn take_period_flag(flag: &str, args: &mut Args, period: &mut Period) -> Result<bool, CliError> {
    let end = match flag {
        "--from" => false,
        "--to" => true,
        _ => return Ok(false),
    };
    let value = args.value(flag)?;
    let day = calendar::parse_iso_day(&value, end)
        .ok_or_else(|| CliError::Usage(format!("{flag} takes YYYY-MM-DD or YYYY-MM, not \"{value}\"")))?;
    if end {
        period.to = Some(day);
    } else {
        period.from = Some(day);
    }
    if let (Some(from), Some(to)) = (period.from, period.to) {
        if from > to {
            return Err(CliError::Usage("--from is after --to".into()));
        }
    }
    Ok(true)
}

fn dimension(value: &str) -> Result<Dimension, CliError> {
    Dimension::parse(value)
        .ok_or_else(|| CliError::Usage(format!("--by must be one of source, salesperson, branch, month, response, phone; not \"{value}\"")))
}

fn lang(value: &str) -> Result<Lang, CliError> {
    Lang::parse(value).ok_or_else(|| CliError::Usage(format!("--lang must be nl or en, not \"{value}\"")))
}

struct ReportArgs {
    by: Dimension,
    period: Period,
    format: String,
    /// `None`: the language set in the window, else the system's.
    lang: Option<Lang>,
}

impl ReportArgs {
    fn parse(args: &mut Args) -> Result<Self, CliError> {
        let mut by = None;
        let mut period = Period::ALL;
        let mut format = "table".to_string();
        let mut language = None;
        while let Some(arg) = args.items.pop_front() {
            if take_period_flag(&arg, args, &mut period)? {
                continue;
            }
            match arg.as_str() {
                "--by" => by = Some(dimension(&args.value("--by")?)?),
                "--format" => format = args.value("--format")?,
                "--lang" => language = Some(lang(&args.value("--lang")?)?),
                other => return Err(CliError::Usage(format!("unexpected argument \"{other}\""))),
            }
        }
        if !matches!(format.as_str(), "table" | "json" | "csv") {
            return Err(CliError::Usage("--format must be table, json or csv".into()));
        }
        let by = by.ok_or_else(|| CliError::Usage("report needs --by DIM".into()))?;
        Ok(ReportArgs { by, period, format, lang: language })
    }
}

/// cli.md's report JSON, field for field.
#[derive(Serialize)]
pub struct ReportJson {
    by: &'static str,
    norm: f64,
    period: PeriodJson,
    total: TotalJson,
    passive_leads: u64,
    groups: Vec<GroupJson>,
}

#[derive(Serialize)]
struct PeriodJson {
    from: Option<String>,
    to: Option<String>,
}

#[derive(Serialize)]
struct TotalJson {
    leads: u64,
    sold: u64,
    rate: f64,
}

#[derive(Serialize)]
struct GroupJson {
    key: Option<String>,
    leads: u64,
    sold: u64,
    rate: f64,
    ci_low: f64,
    ci_high: f64,
    gap_to_norm: u64,
    small_sample: bool,
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

pub fn report_json(report: &Report) -> ReportJson {
    ReportJson {
        by: report.by.name(),
        norm: report.norm,
        period: PeriodJson { from: report.period.map(|p| calendar::format_day(p.0)), to: report.period.map(|p| calendar::format_day(p.1)) },
        total: TotalJson { leads: report.total.leads, sold: report.total.sold, rate: round6(report.total.rate()) },
        passive_leads: report.passive_leads,
        groups: report
            .groups
            .iter()
            .map(|g| {
                let (low, high) = g.rate.interval();
                GroupJson {
                    key: g.key_text(),
                    leads: g.rate.leads,
                    sold: g.rate.sold,
                    rate: round6(g.rate.rate()),
                    ci_low: round6(low),
                    ci_high: round6(high),
                    gap_to_norm: g.rate.gap_to_norm(),
                    small_sample: g.rate.small_sample(),
                }
            })
            .collect(),
    }
}

fn report(store: &Store, request: ReportArgs) -> Result<i32, CliError> {
    let report = metrics::report(store, request.by, request.period)?;
    match request.format.as_str() {
        "json" => write_json(&report_json(&report))?,
        "csv" => write_out(&report_csv(&report))?,
        _ => write_out(&report_table(&report, chosen_lang(store, request.lang)?))?,
    }
    Ok(OK)
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

fn report_csv(report: &Report) -> String {
    let mut out = String::from("key,leads,sold,rate,ci_low,ci_high,gap_to_norm,small_sample\n");
    for group in &report.groups {
        let (low, high) = group.rate.interval();
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{}\n",
            csv_field(&group.key_text().unwrap_or_default()),
            group.rate.leads,
            group.rate.sold,
            round6(group.rate.rate()),
            round6(low),
            round6(high),
            group.rate.gap_to_norm(),
            group.rate.small_sample()
        ));
    }
    out
}

/// Quotes a field where needed, and defuses text a spreadsheet would run as
/// a formula (a salesperson called "=HYPERLINK(...)").
fn csv_field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) { format!("'{text}") } else { text.to_string() };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

struct ChartArgs {
    by: Dimension,
    period: Period,
    out: PathBuf,
    options: ChartOptions,
    lang: Option<Lang>,
}

impl ChartArgs {
    fn parse(args: &mut Args) -> Result<Self, CliError> {
        let mut by = None;
        let mut out = None;
        let mut period = Period::ALL;
        let mut options = ChartOptions::default();
        let mut language = None;
        let pixels = |flag: &str, value: String| -> Result<u32, CliError> {
            value
                .parse::<u32>()
                .ok()
                .filter(|px| (200..=8000).contains(px))
                .ok_or_else(|| CliError::Usage(format!("{flag} takes a number of pixels from 200 to 8000, not \"{value}\"")))
        };
        while let Some(arg) = args.items.pop_front() {
            if take_period_flag(&arg, args, &mut period)? {
                continue;
            }
            match arg.as_str() {
                "--by" => by = Some(dimension(&args.value("--by")?)?),
                "--out" => out = Some(PathBuf::from(args.value("--out")?)),
                "--width" => options.width = Some(pixels("--width", args.value("--width")?)?),
                "--height" => options.height = Some(pixels("--height", args.value("--height")?)?),
                "--anonymize" | "--anonymise" => options.anonymize = true,
                "--lang" => language = Some(lang(&args.value("--lang")?)?),
                other => return Err(CliError::Usage(format!("unexpected argument \"{other}\""))),
            }
        }
        let by = by.ok_or_else(|| CliError::Usage("chart needs --by DIM".into()))?;
        let out = out.ok_or_else(|| CliError::Usage("chart needs --out FILE.svg or FILE.png".into()))?;
        options.format = match out.extension().and_then(|e| e.to_str()).map(str::to_lowercase).as_deref() {
            Some("svg") => ChartFormat::Svg,
            Some("png") => ChartFormat::Png,
            _ => return Err(CliError::Usage(format!("--out must end in .svg or .png: \"{}\"", out.display()))),
        };
        Ok(ChartArgs { by, period, out, options, lang: language })
    }
}

fn chart(store: &Store, mut request: ChartArgs) -> Result<i32, CliError> {
    let report = metrics::report(store, request.by, request.period)?;
    request.options.lang = chosen_lang(store, request.lang)?;
    let bytes = charts::render(&report, &request.options).map_err(|e| CliError::Output(e.to_string()))?;
    std::fs::write(&request.out, bytes).map_err(|e| CliError::Output(format!("cannot write {}: {e}", request.out.display())))?;
    Ok(OK)
}

#[derive(Serialize)]
struct ImportRowJson {
    id: i64,
    file: String,
    imported_at: String,
    sheets: Vec<String>,
    rows_read: u64,
    leads: u64,
    leads_new: u64,
    leads_updated: u64,
    leads_unchanged: u64,
    passive_leads: u64,
    issues: u64,
}

fn imports(store: &Store, json: bool) -> Result<i32, CliError> {
    let records = store.imports()?;
    if json {
        let rows: Vec<ImportRowJson> = records
            .iter()
            .map(|r| ImportRowJson {
                id: r.id,
                file: r.file_name.clone(),
                imported_at: format_utc(r.imported_at),
                sheets: r.sheets.clone(),
                rows_read: r.rows_read,
                leads: r.leads,
                leads_new: r.leads_new,
                leads_updated: r.leads_updated,
                leads_unchanged: r.leads_unchanged,
                passive_leads: r.passive_leads,
                issues: r.issue_count,
            })
            .collect();
        write_json(&rows)?;
        return Ok(OK);
    }
    if records.is_empty() {
        write_out("No imports yet: dertien import FILE...\n")?;
        return Ok(OK);
    }
    let mut out = String::from("  id  imported              rows    leads    new  updated  unchanged  passive  issues  file\n");
    for r in &records {
        out.push_str(&format!(
            "{:>4}  {:<20}  {:>6}  {:>6}  {:>5}  {:>7}  {:>9}  {:>7}  {:>6}  {}\n",
            r.id,
            format_utc(r.imported_at),
            r.rows_read,
            r.leads,
            r.leads_new,
            r.leads_updated,
            r.leads_unchanged,
            r.passive_leads,
            r.issue_count,
            r.file_name
        ));
    }
    write_out(&out)?;
    Ok(OK)
}

fn write_json<T: Serialize>(value: &T) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| CliError::Output(e.to_string()))?;
    write_out(&(text + "\n"))
}

/// Writes to standard output; a closed pipe (`| head`) is no error.
fn write_out(text: &str) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CliError::Output(e.to_string())),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_opens_for_nothing_the_demo_or_files() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let this_file = file!().to_string();
        let existing = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(&this_file);
        let existing = existing.display().to_string();
        assert!(wants_window(&args(&[])));
        assert!(wants_window(&args(&["--demo"])));
        assert!(wants_window(&args(&["--db", "x.db", &existing])));
        assert!(!wants_window(&args(&["--db", "x.db", "report", "--by", "source"])));
        assert!(!wants_window(&args(&["import", &existing])));
        assert!(!wants_window(&args(&["frobnicate"])), "not a file: the command line says so");
        assert!(!wants_window(&args(&["--help"])));
    }

    #[test]
    fn csv_fields_are_quoted_and_defused() {
        assert_eq!(csv_field("Jan, de Vries"), "\"Jan, de Vries\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("Showroom"), "Showroom");
    }
}
