//! The one description of Dertien's arguments (cli.md): the window's start,
//! the command line and `--help` all read this `Command`.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Arg, ArgAction, Args, Parser, Subcommand, ValueEnum};

use crate::calendar;
use crate::charts::Theme;
use crate::import::Role;
use crate::lang::Lang;
use crate::metrics::{Comparison, Period};
use crate::model::Dimension;

/// The usage lines, the same in both languages but for the window's line.
macro_rules! synopsis {
    ($window:literal) => {
        concat!(
            "dertien [--db PATH] import [--map ROLE=COLUMN]... [--sold WORD]... [--lost WORD]... [--format text|json] [--lang nl|en] FILE...
       dertien [--db PATH] report --by DIM [SCOPE] [--format table|json|csv] [--lang nl|en]
       dertien [--db PATH] chart  --by DIM|volume|evidence --out FILE.svg|FILE.png|FILE.pdf [SCOPE]
                                  [--width PX] [--height PX] [--anonymize [--name NAME]] [--lang nl|en]
                                  [--theme light|dark]
       dertien [--db PATH] deck   --out FILE.pdf|FILE.pptx [SCOPE] [--anonymize [--name NAME]] [--lang nl|en] [--theme light|dark]
       dertien [--db PATH] imports [--format table|json] [--lang nl|en]
       dertien [--db PATH] [--demo] [FILE...]   ",
            $window
        )
    };
}

const SYNOPSIS: &str = synopsis!("open the window (with these reports to import)");

const DETAILS: &str = "\
SCOPE: [--from DATE] [--to DATE] [--branch NAME]... [--source NAME]... [--salesperson NAME]...
       [--compare previous|year]
       a repeated option keeps leads of any of its names; different options combine with \"and\"
DIM: source, salesperson, branch, month, response, phone, agent
DATE: YYYY-MM-DD, or YYYY-MM for a whole month (both ends inclusive)
ROLE: lead_id, created, source, salesperson, status, sale_date, converted, first_contact,
      lead_kind, branch, brand, model, lead_type, customer_name, phone, email, agent
--db defaults to the app's own store; the DERTIEN_DB environment variable overrides it.";

/// The synopsis in Dutch: the same syntax, its one sentence in Dutch.
const SYNOPSIS_NL: &str = synopsis!("opent het venster (met deze rapporten om te importeren)");

const DETAILS_NL: &str = "\
SCOPE: [--from DATE] [--to DATE] [--branch NAME]... [--source NAME]... [--salesperson NAME]...
       [--compare previous|year]
       een herhaalde optie houdt de leads van elk van haar namen; verschillende opties gelden samen (\"en\")
DIM: source, salesperson, branch, month, response, phone, agent
DATE: YYYY-MM-DD, of YYYY-MM voor een hele maand (beide grenzen inbegrepen)
ROLE: lead_id, created, source, salesperson, status, sale_date, converted, first_contact,
      lead_kind, branch, brand, model, lead_type, customer_name, phone, email, agent
--db is standaard de eigen opslag van de app; de omgevingsvariabele DERTIEN_DB gaat daarvoor.";

/// Dertien: lead conversion against the 13% norm.
#[derive(Debug, Parser)]
#[command(
    name = "dertien",
    version,
    override_usage = SYNOPSIS,
    after_help = DETAILS,
    disable_colored_help = true
)]
pub struct Command {
    /// The store to read and write
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Open the window on the demo data set
    #[arg(long)]
    pub demo: bool,
    /// Reports to import in the window (what "Open with" passes)
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(subcommand)]
    pub action: Option<Action>,
}

#[derive(Debug, Subcommand)]
pub enum Action {
    /// Import lead reports, each whole or not at all
    Import(ImportArgs),
    /// Conversion per group against the norm
    Report(ReportArgs),
    /// A chart of a report, as SVG, PNG or PDF
    Chart(ChartArgs),
    /// The imports so far
    Imports(ImportsArgs),
    /// The meeting in one file: a title page and a page per view, as PDF
    Deck(DeckArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Name the column for a role (remembered for reports with the same columns)
    #[arg(long = "map", value_name = "ROLE=COLUMN", value_parser = role_column)]
    pub mapping: Vec<(Role, String)>,
    /// A status word that means sold, added to the settings before the files are read
    #[arg(long, value_name = "WORD")]
    pub sold: Vec<String>,
    /// A status word that means lost, added to the settings before the files are read
    #[arg(long, value_name = "WORD")]
    pub lost: Vec<String>,
    #[arg(long, value_enum, default_value_t = ImportFormat::Text)]
    pub format: ImportFormat,
    /// The language of the notes, row issues and refusals (default: the window's, else English); JSON stays English
    #[arg(long, value_name = "nl|en", value_parser = language)]
    pub lang: Option<Lang>,
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    Text,
    Json,
}

/// Which leads a report covers: cli.md's SCOPE.
#[derive(Debug, Args)]
pub struct Scope {
    /// The first day (YYYY-MM-DD), or month (YYYY-MM)
    #[arg(long, value_name = "DATE", value_parser = first_day)]
    pub from: Option<i64>,
    /// The last day (YYYY-MM-DD), or month (YYYY-MM)
    #[arg(long, value_name = "DATE", value_parser = last_day)]
    pub to: Option<i64>,
    /// Only the leads of this branch (repeat for several)
    #[arg(long, value_name = "NAME")]
    pub branch: Vec<String>,
    /// Only the leads of this source (repeat for several)
    #[arg(long, value_name = "NAME")]
    pub source: Vec<String>,
    /// Only the leads of this salesperson (repeat for several)
    #[arg(long, value_name = "NAME")]
    pub salesperson: Vec<String>,
    /// Beside the period before (as long), or the same period a year earlier
    #[arg(long, value_name = "previous|year", value_parser = comparison)]
    pub compare: Option<Comparison>,
}

impl Scope {
    pub fn period(&self) -> Period {
        Period { from: self.from, to: self.to }
    }

    /// Names leads are chosen by: the rollup cannot answer, the lead table must.
    pub fn names_any(&self) -> bool {
        !(self.branch.is_empty() && self.source.is_empty() && self.salesperson.is_empty())
    }
}

fn comparison(value: &str) -> Result<Comparison, String> {
    match value {
        "previous" => Ok(Comparison::Previous),
        "year" => Ok(Comparison::YearBefore),
        _ => Err("must be previous or year".to_string()),
    }
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[arg(long, value_name = "DIM", value_parser = dimension)]
    pub by: Dimension,
    #[command(flatten)]
    pub scope: Scope,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    /// The language of the table (default: the window's, else the system's)
    #[arg(long, value_name = "nl|en", value_parser = language)]
    pub lang: Option<Lang>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Table,
    Json,
    Csv,
}

/// What `chart --by` draws: a dimension's bars, or one of the evidence's charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartBy {
    Dimension(Dimension),
    /// The salespeople's leads against their sales.
    Volume,
    /// Each source's rate beside its rate adjusted for answering speed.
    Evidence,
}

fn chart_by(value: &str) -> Result<ChartBy, String> {
    match value {
        "volume" => Ok(ChartBy::Volume),
        "evidence" => Ok(ChartBy::Evidence),
        _ => Dimension::parse(value)
            .map(ChartBy::Dimension)
            .ok_or_else(|| "must be one of source, salesperson, branch, month, response, phone, agent, volume, evidence".to_string()),
    }
}

#[derive(Debug, Args)]
pub struct ChartArgs {
    #[arg(long, value_name = "DIM|volume|evidence", value_parser = chart_by)]
    pub by: ChartBy,
    /// FILE.svg, FILE.png or FILE.pdf
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[command(flatten)]
    pub scope: Scope,
    #[arg(long, value_name = "PX", value_parser = pixels)]
    pub width: Option<u32>,
    #[arg(long, value_name = "PX", value_parser = pixels)]
    pub height: Option<u32>,
    /// Salespeople and agents as "Salesperson A", "Salesperson B", ...
    #[arg(long, alias = "anonymise")]
    pub anonymize: bool,
    /// With --anonymize: the one salesperson who keeps their own name
    #[arg(long, value_name = "NAME", requires = "anonymize")]
    pub name: Option<String>,
    /// Light for paper and screens, dark for a projector in a dark room
    #[arg(long, value_enum, default_value_t = ThemeArg::Light)]
    pub theme: ThemeArg,
    /// The language of the chart (default: the window's, else the system's)
    #[arg(long, value_name = "nl|en", value_parser = language)]
    pub lang: Option<Lang>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ThemeArg {
    Light,
    Dark,
}

impl ThemeArg {
    pub fn theme(self) -> Theme {
        match self {
            ThemeArg::Light => Theme::LIGHT,
            ThemeArg::Dark => Theme::DARK,
        }
    }
}

#[derive(Debug, Args)]
pub struct DeckArgs {
    /// FILE.pdf or FILE.pptx
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[command(flatten)]
    pub scope: Scope,
    /// Salespeople and agents as "Salesperson A", "Agent A", ... on every page
    #[arg(long, alias = "anonymise")]
    pub anonymize: bool,
    /// With --anonymize: the one salesperson who keeps their own name
    #[arg(long, value_name = "NAME", requires = "anonymize")]
    pub name: Option<String>,
    /// The language of the deck (default: the window's, else the system's)
    #[arg(long, value_name = "nl|en", value_parser = language)]
    pub lang: Option<Lang>,
    /// Light for paper, dark for a projector
    #[arg(long, value_enum, default_value_t = ThemeArg::Light)]
    pub theme: ThemeArg,
}

#[derive(Debug, Args)]
pub struct ImportsArgs {
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
    /// The language of the table (default: the window's, else English)
    #[arg(long, value_name = "nl|en", value_parser = language)]
    pub lang: Option<Lang>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Table,
    Json,
}

/// Why the arguments were not understood, or the help and version asked for.
pub enum Refusal {
    /// Print this on standard output and exit 0 (`--help`, `--version`).
    Asked(String),
    /// Print this on standard error and exit 2.
    Usage(String),
}

impl Action {
    /// The language the command was asked to speak (`--lang`), if any.
    pub fn lang(&self) -> Option<Lang> {
        match self {
            Action::Import(a) => a.lang,
            Action::Report(a) => a.lang,
            Action::Chart(a) => a.lang,
            Action::Imports(a) => a.lang,
            Action::Deck(a) => a.lang,
        }
    }
}

/// What a command and each argument do, in Dutch: (command, argument id,
/// help). A command's own line has the id "", an argument of every command
/// the command "".
const HELP_NL: &[(&str, &str, &str)] = &[
    ("", "", "Dertien: leadconversie tegen de norm van 13%"),
    ("import", "", "Leadrapporten importeren, elk helemaal of helemaal niet"),
    ("report", "", "Conversie per groep tegen de norm"),
    ("chart", "", "Een grafiek van een rapport, als SVG, PNG of PDF"),
    ("imports", "", "De imports tot nu toe"),
    ("deck", "", "De vergadering in één bestand: een titelpagina en een pagina per weergave, als PDF"),
    ("", "db", "De opslag om te lezen en te schrijven"),
    ("", "demo", "Het venster openen op de demogegevens"),
    ("import", "files", "De rapporten om te importeren"),
    ("", "files", "Rapporten om in het venster te importeren (wat \"Openen met\" doorgeeft)"),
    ("", "mapping", "Noem de kolom voor een rol (onthouden voor rapporten met dezelfde kolommen)"),
    ("", "sold", "Een statuswoord dat verkocht betekent, aan de instellingen toegevoegd voordat de bestanden gelezen worden"),
    ("", "lost", "Een statuswoord dat verloren betekent, aan de instellingen toegevoegd voordat de bestanden gelezen worden"),
    ("import", "format", "Tekst of JSON (standaard text; JSON blijft Engels)"),
    ("report", "format", "Tabel, JSON of CSV (standaard table)"),
    ("imports", "format", "Tabel of JSON (standaard table)"),
    ("import", "lang", "De taal van de opmerkingen, fouten en weigeringen (standaard die van het venster, anders Engels)"),
    ("imports", "lang", "De taal van de tabel (standaard die van het venster, anders Engels)"),
    ("report", "lang", "De taal van de tabel (standaard die van het venster, anders die van het systeem)"),
    ("chart", "lang", "De taal van de grafiek (standaard die van het venster, anders die van het systeem)"),
    ("deck", "lang", "De taal van de presentatie (standaard die van het venster, anders die van het systeem)"),
    ("", "from", "De eerste dag (YYYY-MM-DD) of maand (YYYY-MM)"),
    ("", "to", "De laatste dag (YYYY-MM-DD) of maand (YYYY-MM)"),
    ("", "branch", "Alleen de leads van deze vestiging (herhaal voor meer)"),
    ("", "source", "Alleen de leads van deze bron (herhaal voor meer)"),
    ("", "salesperson", "Alleen de leads van deze verkoper (herhaal voor meer)"),
    ("", "compare", "Naast de periode ervoor (even lang), of dezelfde periode een jaar eerder"),
    ("report", "by", "Per bron, verkoper, vestiging, maand, reactietijd, telefoonnummer of KCC-medewerker"),
    ("chart", "by", "Per groep (DIM), of volume (leads tegen verkopen) of evidence (gecorrigeerd voor reactiesnelheid)"),
    ("chart", "out", "FILE.svg, FILE.png of FILE.pdf"),
    ("deck", "out", "FILE.pdf"),
    ("", "width", "Breedte in pixels (200 tot 8000)"),
    ("", "height", "Hoogte in pixels (200 tot 8000)"),
    ("chart", "anonymize", "Verkopers en KCC-medewerkers als \"Verkoper A\", \"Verkoper B\", ..."),
    ("deck", "anonymize", "Verkopers en KCC-medewerkers als \"Verkoper A\", \"Medewerker A\", ... op elke pagina"),
    ("", "name", "Met --anonymize: de ene verkoper die zijn eigen naam houdt"),
    ("chart", "theme", "Licht voor papier en schermen, donker voor een beamer in een donkere zaal (standaard light)"),
    ("deck", "theme", "Licht voor papier, donker voor een beamer (standaard light)"),
];

fn help_nl(command: &str, id: &str) -> Option<&'static str> {
    let find = |command: &str| HELP_NL.iter().find(|(c, i, _)| *c == command && *i == id).map(|(_, _, help)| *help);
    find(command).or_else(|| find(""))
}

/// The command with its help in Dutch: the same arguments (so the same
/// parse), their words, headings and the help's own flags in Dutch.
fn in_dutch(command: clap::Command) -> clap::Command {
    let name = command.get_name().to_string();
    let top = command.get_subcommands().next().is_some();
    let mut command = command
        .help_template("{about-with-newline}\nGebruik: {usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("Opdrachten")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .mut_args(|arg| {
            let id = arg.get_id().to_string();
            let arg = if arg.is_positional() { arg.help_heading("Argumenten") } else { arg.help_heading("Opties") };
            // clap says "default" and "possible values" in English: the Dutch help says them itself.
            let arg = if arg.get_action().takes_values() { arg.hide_default_value(true).hide_possible_values(true) } else { arg };
            match help_nl(&name, &id) {
                Some(help) => arg.help(help),
                None => arg,
            }
        })
        .arg(Arg::new("help").short('h').long("help").action(ArgAction::Help).help("Deze hulp tonen").help_heading("Opties"));
    if top {
        command =
            command.about(help_nl("", "")).override_usage(SYNOPSIS_NL).after_help(DETAILS_NL).disable_version_flag(true).arg(
                Arg::new("version").short('V').long("version").action(ArgAction::Version).help("De versie tonen").help_heading("Opties"),
            );
        let names: Vec<String> = command.get_subcommands().map(|s| s.get_name().to_string()).collect();
        for sub in names {
            // A command's usage: its lines of the synopsis.
            let lines: Vec<&str> = SYNOPSIS_NL.lines().map(str::trim_start).collect();
            let start = lines.iter().position(|l| l.starts_with(&format!("dertien [--db PATH] {sub} "))).unwrap_or(0);
            let mut usage = vec![lines[start].to_string()];
            usage.extend(lines[start + 1..].iter().take_while(|l| l.starts_with('[')).map(|l| format!("    {l}")));
            let about = help_nl(&sub, "").unwrap_or_default();
            command = command.mut_subcommand(&sub, |s| in_dutch(s).about(about).override_usage(usage.join("\n")));
        }
    }
    command
}

impl Command {
    /// Reads `args` (without the program's name). Window arguments that are
    /// not files are refused here, so a mistyped command is not a window.
    pub fn parse_args(args: impl IntoIterator<Item = OsString>) -> Result<Command, Refusal> {
        Command::parse_args_on(System::CURRENT, args)
    }

    /// `parse_args` as it reads on `system`, which decides what the system
    /// itself may have added to the arguments.
    fn parse_args_on(system: System, args: impl IntoIterator<Item = OsString>) -> Result<Command, Refusal> {
        let args: Vec<OsString> =
            std::iter::once(OsString::from("dertien")).chain(args.into_iter().filter(|arg| !system.added(arg))).collect();
        if let Some(help) = help_asked(&args) {
            return Err(Refusal::Asked(help));
        }
        let command = Command::try_parse_from(&args).map_err(|error| match error.kind() {
            clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => Refusal::Asked(error.to_string()),
            _ => Refusal::Usage(error.to_string().trim_start_matches("error: ").trim_end().to_string()),
        })?;
        if command.action.is_none() {
            if let Some(unknown) = command.files.iter().find(|path| !path.is_file()) {
                return Err(Refusal::Usage(format!(
                    "unknown command \"{}\" (and no such file)\n\nRun `dertien --help` for the usage.",
                    unknown.display()
                )));
            }
        }
        Ok(command)
    }

    /// The whole help text, for a message that needs the usage.
    pub fn help() -> String {
        use clap::CommandFactory;
        Command::command().render_help().to_string()
    }
}

/// The help in Dutch where the arguments ask for help and for Dutch
/// (`--lang nl` anywhere: `dertien --lang nl --help` too); else `None`.
fn help_asked(args: &[OsString]) -> Option<String> {
    use clap::CommandFactory;
    let words: Vec<&str> = args.iter().filter_map(|a| a.to_str()).collect();
    let dutch = words.windows(2).any(|w| w[0] == "--lang" && Lang::parse(w[1]) == Some(Lang::Nl))
        || words.iter().any(|w| w.strip_prefix("--lang=").and_then(Lang::parse) == Some(Lang::Nl));
    if !dutch {
        return None;
    }
    // Without the language, which the command itself may not take.
    let mut rest = Vec::new();
    let mut skip = false;
    for arg in &words {
        if std::mem::take(&mut skip) {
            continue;
        }
        match *arg {
            "--lang" => skip = true,
            a if a.starts_with("--lang=") => {}
            a => rest.push(a),
        }
    }
    match in_dutch(Command::command()).try_get_matches_from(rest) {
        Err(error) if error.kind() == clap::error::ErrorKind::DisplayHelp => Some(error.to_string()),
        _ => None,
    }
}

/// The system the program runs on, as far as its arguments are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum System {
    MacOs,
    Other,
}

impl System {
    const CURRENT: System = if cfg!(target_os = "macos") { System::MacOs } else { System::Other };

    /// Whether `arg` is the system's, not the user's: the process serial
    /// number macOS may pass to an app the Finder starts, notably the first
    /// start of a downloaded one (`-psn_0_12345`). Read as an option, it
    /// would print the usage where nobody sees it and open no window.
    fn added(self, arg: &OsString) -> bool {
        self == System::MacOs && arg.to_str().is_some_and(|a| a.starts_with("-psn_"))
    }
}

fn dimension(value: &str) -> Result<Dimension, String> {
    Dimension::parse(value).ok_or_else(|| "must be one of source, salesperson, branch, month, response, phone, agent".to_string())
}

fn language(value: &str) -> Result<Lang, String> {
    Lang::parse(value).ok_or_else(|| "must be nl or en".to_string())
}

fn first_day(value: &str) -> Result<i64, String> {
    calendar::parse_iso_day(value, false).ok_or_else(|| "takes YYYY-MM-DD or YYYY-MM".to_string())
}

fn last_day(value: &str) -> Result<i64, String> {
    calendar::parse_iso_day(value, true).ok_or_else(|| "takes YYYY-MM-DD or YYYY-MM".to_string())
}

fn pixels(value: &str) -> Result<u32, String> {
    value.parse::<u32>().ok().filter(|px| (200..=8000).contains(px)).ok_or_else(|| "takes a number of pixels from 200 to 8000".to_string())
}

fn role_column(value: &str) -> Result<(Role, String), String> {
    let (role, column) = value.split_once('=').ok_or_else(|| "takes ROLE=COLUMN".to_string())?;
    let role = Role::parse(role).ok_or_else(|| format!("unknown role \"{role}\""))?;
    Ok((role, column.trim_matches('"').to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, Refusal> {
        Command::parse_args(args.iter().map(OsString::from))
    }

    #[test]
    fn the_window_opens_for_nothing_the_demo_or_files() {
        let existing = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cli/args.rs").display().to_string();
        let window = |args: &[&str]| parse(args).is_ok_and(|c| c.action.is_none());
        assert!(window(&[]));
        assert!(window(&["--demo"]));
        assert!(window(&["--db", "x.db", &existing]));
        assert!(parse(&["--db", "x.db", "report", "--by", "source"]).is_ok_and(|c| c.action.is_some() && c.db.is_some()));
        assert!(parse(&["report", "--by", "source", "--db", "x.db"]).is_ok_and(|c| c.db.is_some()), "--db after the command too");
        assert!(parse(&["import", &existing]).is_ok_and(|c| matches!(c.action, Some(Action::Import(_)))));
        assert!(matches!(parse(&["frobnicate"]), Err(Refusal::Usage(m)) if m.starts_with("unknown command \"frobnicate\"")));
        assert!(matches!(parse(&["--help"]), Err(Refusal::Asked(help)) if help.contains("dertien [--db PATH] report --by DIM")));
        assert!(matches!(parse(&["--version"]), Err(Refusal::Asked(v)) if v.trim() == format!("dertien {}", env!("CARGO_PKG_VERSION"))));
    }

    #[test]
    fn the_help_is_dutch_when_dutch_is_asked_for() {
        let help = |args: &[&str]| match parse(args) {
            Err(Refusal::Asked(text)) => text,
            _ => panic!("{args:?} should be the help"),
        };
        let top = help(&["--lang", "nl", "--help"]);
        assert!(top.starts_with("Dertien: leadconversie tegen de norm van 13%\n\nGebruik: dertien [--db PATH] import"), "{top}");
        assert!(top.contains("Opdrachten:") && top.contains("Opties:") && top.contains("Argumenten:"), "{top}");
        assert!(top.contains("Leadrapporten importeren") && top.contains("De versie tonen"), "{top}");
        let report = help(&["report", "--help", "--lang=nl"]);
        assert!(report.starts_with("Conversie per groep tegen de norm\n\nGebruik: dertien [--db PATH] report --by DIM"), "{report}");
        assert!(report.contains("Alleen de leads van deze vestiging") && report.contains("Deze hulp tonen"), "{report}");
        let chart = help(&["chart", "-h", "--lang", "nl"]);
        assert!(
            chart.contains("Gebruik: dertien [--db PATH] chart  --by DIM|volume|evidence") && chart.contains("[--theme light|dark]"),
            "{chart}"
        );
        for text in [&top, &report, &chart] {
            for english in ["Usage", "Options", "Commands", "Arguments", "Print", "default:", "possible values", "The ", "Only the"] {
                assert!(!text.contains(english), "{english} in:\n{text}");
            }
        }
        // Without --lang nl, the English as before.
        assert!(help(&["report", "--help"]).contains("Only the leads of this branch"));
        assert!(help(&["--help", "--lang", "en"]).starts_with("Dertien: lead conversion"));
    }

    #[test]
    fn usage_errors_say_what_is_wrong() {
        let usage = |args: &[&str]| match parse(args) {
            Err(Refusal::Usage(message)) => message,
            _ => panic!("{args:?} should be refused"),
        };
        assert!(usage(&["report", "--by", "colour"]).contains("must be one of source, salesperson"));
        assert!(usage(&["report"]).contains("--by"));
        assert!(usage(&["chart", "--by", "source", "--out", "x.svg", "--width", "9"]).contains("200 to 8000"));
        assert!(usage(&["import", "--map", "colour=X", "f.csv"]).contains("unknown role \"colour\""));
        assert!(usage(&["import"]).contains("FILE"));
    }

    #[test]
    fn the_finders_process_serial_number_is_dropped_on_macos_only() {
        let on = |system: System, args: &[&str]| Command::parse_args_on(system, args.iter().map(OsString::from));
        // macOS: the window opens as if the argument were not there.
        assert!(on(System::MacOs, &["-psn_0_123"]).is_ok_and(|c| c.action.is_none() && c.files.is_empty() && !c.demo));
        assert!(on(System::MacOs, &["-psn_0_123", "--demo"]).is_ok_and(|c| c.action.is_none() && c.demo));
        assert!(on(System::MacOs, &["report", "--by", "source", "-psn_0_123"]).is_ok_and(|c| c.action.is_some()));
        // Only that argument: other options stay options.
        assert!(matches!(on(System::MacOs, &["-p"]), Err(Refusal::Usage(_))));
        // Elsewhere it is no argument Dertien knows, as any mistyped option.
        assert!(matches!(on(System::Other, &["-psn_0_123"]), Err(Refusal::Usage(_))));
        // And this build is of its system.
        assert_eq!(System::CURRENT == System::MacOs, cfg!(target_os = "macos"));
    }

    #[test]
    fn arguments_that_are_not_utf8_are_refused_not_a_panic() {
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStringExt;
            let bad = OsString::from_vec(vec![0x66, 0xff, 0x6f]);
            let parsed = Command::parse_args([OsString::from("report"), OsString::from("--by"), bad]);
            assert!(matches!(parsed, Err(Refusal::Usage(_))));
        }
    }
}
