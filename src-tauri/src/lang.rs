//! The two languages of Dertien's words: Dutch and English.

mod messages;

use crate::metrics::Report;
use crate::model::Dimension;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Nl,
    En,
}

impl Lang {
    pub fn parse(text: &str) -> Option<Lang> {
        match text.trim().to_lowercase().as_str() {
            "nl" | "nederlands" | "dutch" => Some(Lang::Nl),
            "en" | "english" | "engels" => Some(Lang::En),
            _ => None,
        }
    }

    /// The system's language where it is Dutch, else English.
    pub fn from_env() -> Lang {
        for var in ["LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"] {
            if let Ok(value) = std::env::var(var) {
                if !value.is_empty() {
                    return if value.to_lowercase().starts_with("nl") { Lang::Nl } else { Lang::En };
                }
            }
        }
        Lang::En
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// One of the engine's messages (a note, a row issue, a refusal), which
    /// the engine writes in English, in this language (`messages`).
    pub fn say(self, message: &str) -> String {
        match self {
            Lang::Nl => messages::dutch(message),
            Lang::En => message.to_owned(),
        }
    }

    /// Whether `lang/messages.rs` says all of `message` in Dutch: for the
    /// tests of the modules that write messages of their own.
    #[cfg(test)]
    pub(crate) fn said_whole_in_dutch(message: &str) -> bool {
        messages::knows(message)
    }

    fn pick(self, nl: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Nl => nl,
            Lang::En => en,
        }
    }

    /// "Conversion by source".
    pub fn title(self, by: Dimension) -> &'static str {
        match by {
            Dimension::Source => self.pick("Conversie per bron", "Conversion by source"),
            Dimension::Salesperson => self.pick("Conversie per verkoper", "Conversion by salesperson"),
            Dimension::Branch => self.pick("Conversie per vestiging", "Conversion by branch"),
            Dimension::Month => self.pick("Conversie per maand", "Conversion by month"),
            Dimension::Response => self.pick("Conversie per reactietijd", "Conversion by response time"),
            Dimension::Phone => self.pick("Conversie met en zonder telefoonnummer", "Conversion with and without a phone number"),
            Dimension::Agent => self.pick("Conversie per KCC-medewerker", "Conversion by agent"),
        }
    }

    pub fn group_heading(self, by: Dimension) -> &'static str {
        match by {
            Dimension::Source => self.pick("Bron", "Source"),
            Dimension::Salesperson => self.pick("Verkoper", "Salesperson"),
            Dimension::Branch => self.pick("Vestiging", "Branch"),
            Dimension::Month => self.pick("Maand", "Month"),
            Dimension::Response => self.pick("Reactietijd", "Response time"),
            Dimension::Phone => self.pick("Telefoonnummer", "Phone number"),
            Dimension::Agent => self.pick("KCC-medewerker", "Agent"),
        }
    }

    /// The name of the empty group (metrics.md: "Niet toegewezen" / "Unassigned",
    /// "Onbekend" / "Unknown").
    pub fn empty_group(self, by: Dimension) -> &'static str {
        match by {
            Dimension::Salesperson => self.pick("Niet toegewezen", "Unassigned"),
            _ => self.pick("Onbekend", "Unknown"),
        }
    }

    pub fn response_bucket(self, name: &str) -> String {
        match (self, name) {
            (Lang::Nl, "none") => "geen contact".to_string(),
            (Lang::En, "none") => "no contact".to_string(),
            (Lang::Nl, "<15m") => "< 15 min".to_string(),
            (Lang::Nl, "15m-1h") => "15 min – 1 uur".to_string(),
            (Lang::Nl, "1h-4h") => "1 – 4 uur".to_string(),
            (Lang::Nl, "4h-24h") => "4 – 24 uur".to_string(),
            (Lang::Nl, ">24h") => "> 24 uur".to_string(),
            (Lang::En, "<15m") => "< 15 min".to_string(),
            (Lang::En, "15m-1h") => "15 min – 1 h".to_string(),
            (Lang::En, "1h-4h") => "1 – 4 h".to_string(),
            (Lang::En, "4h-24h") => "4 – 24 h".to_string(),
            (Lang::En, ">24h") => "> 24 h".to_string(),
            _ => name.to_string(),
        }
    }

    pub fn phone_group(self, has_phone: bool) -> &'static str {
        match has_phone {
            true => self.pick("met telefoonnummer", "with phone number"),
            false => self.pick("zonder telefoonnummer", "without phone number"),
        }
    }

    /// The long tail of small sources as one group: "Overige (5 bronnen)".
    pub fn other_sources(self, n: u64) -> String {
        match self {
            Lang::Nl => format!("Overige ({} bronnen)", count(self, n)),
            Lang::En => format!("Other ({} sources)", count(self, n)),
        }
    }

    /// A chart's legend for the marker at each group's rate in the compared period.
    pub fn compared_marker(self, with: crate::metrics::Comparison) -> &'static str {
        match with {
            crate::metrics::Comparison::Previous => self.pick("vorige periode", "previous period"),
            crate::metrics::Comparison::YearBefore => self.pick("zelfde periode vorig jaar", "same period last year"),
        }
    }

    pub fn salesperson_alias(self, n: usize) -> String {
        format!("{} {}", self.pick("Verkoper", "Salesperson"), letters(n))
    }

    pub fn agent_alias(self, n: usize) -> String {
        format!("{} {}", self.pick("Medewerker", "Agent"), letters(n))
    }

    /// The file dialog's filter.
    pub fn lead_reports(self) -> &'static str {
        self.pick("Leadrapporten", "Lead reports")
    }

    pub fn norm(self) -> &'static str {
        "norm"
    }
    pub fn leads(self) -> &'static str {
        "leads"
    }
    /// "1 lead", "1.234 leads": a count of leads as a person says it.
    pub fn lead_count(self, n: u64) -> String {
        format!("{} {}", count(self, n), if n == 1 { "lead" } else { "leads" })
    }
    pub fn sold(self) -> &'static str {
        self.pick("verkocht", "sold")
    }
    pub fn conversion(self) -> &'static str {
        self.pick("conversie", "conversion")
    }
    pub fn interval(self) -> &'static str {
        self.pick("95%-interval", "95% interval")
    }
    pub fn gap(self) -> &'static str {
        self.pick("tekort", "gap")
    }
    pub fn total(self) -> &'static str {
        self.pick("Totaal actieve leads", "Total active leads")
    }
    pub fn passive(self) -> &'static str {
        self.pick("Passieve leads (niet in de conversie)", "Passive leads (not in the rate)")
    }
    pub fn small_sample(self) -> &'static str {
        self.pick("kleine steekproef", "small sample")
    }
    pub fn small_sample_legend(self) -> &'static str {
        self.pick("gestreept: minder dan 30 leads, kleine steekproef", "hatched: fewer than 30 leads, small sample")
    }
    pub fn small_sample_note(self) -> &'static str {
        self.pick("minder dan 30 leads, kleine steekproef", "fewer than 30 leads, small sample")
    }
    pub fn small_sample_legend_open(self) -> &'static str {
        self.pick("open punt: minder dan 30 leads, kleine steekproef", "open point: fewer than 30 leads, small sample")
    }
    pub fn below_norm(self) -> &'static str {
        self.pick("onder de norm", "below the norm")
    }
    pub fn above_norm(self) -> &'static str {
        self.pick("boven de norm", "above the norm")
    }
    pub fn at_or_above_norm(self) -> &'static str {
        self.pick("op of boven de norm", "at or above the norm")
    }
    pub fn active_leads(self) -> &'static str {
        self.pick("actieve leads", "active leads")
    }
    /// A bar's verdict, beside its numbers.
    pub fn verdict(self, verdict: crate::metrics::Verdict) -> &'static str {
        match verdict {
            crate::metrics::Verdict::Below => self.pick("onder de norm", "below the norm"),
            crate::metrics::Verdict::Undecided => self.undecided(),
            crate::metrics::Verdict::Above => self.pick("boven de norm", "above the norm"),
        }
    }
    pub fn evidence_title(self) -> &'static str {
        self.pick("Conversie per bron, gecorrigeerd voor reactiesnelheid", "Conversion by source, adjusted for answering speed")
    }
    pub fn evidence_raw(self) -> &'static str {
        self.pick("conversie", "conversion")
    }
    pub fn evidence_adjusted(self) -> &'static str {
        self.pick("gecorrigeerd voor reactiesnelheid", "adjusted for answering speed")
    }
    /// metrics.md's last line, in one line for every place the evidence shows.
    pub fn what_if_note(self) -> &'static str {
        self.pick(
            "Wat-als, geen oorzaak: een trage reactie kan ook voor een drukke dag of een zwakke lead staan.",
            "What-if, not a cause: a slow answer may stand in for a busy day or a weak lead.",
        )
    }
    pub fn volume_title(self) -> &'static str {
        self.pick("Leads en verkopen per verkoper", "Leads and sales per salesperson")
    }
    /// The headline's chart (the deck's first view).
    pub fn headline_title(self) -> &'static str {
        self.pick("Conversie tegen de norm", "Conversion against the norm")
    }
    /// Under the headline's rate: what it counts.
    pub fn headline_counts(self, leads: u64, sold: u64) -> String {
        match self {
            Lang::Nl => format!("{} verkocht van {} actieve leads", count(self, sold), count(self, leads)),
            Lang::En => format!("{} sold of {} active leads", count(self, sold), count(self, leads)),
        }
    }
    /// The gap to the norm in sales.
    pub fn headline_gap(self, sales: u64, norm: &str) -> String {
        match (self, sales) {
            (Lang::Nl, 0) => format!("De norm van {norm} is gehaald"),
            (Lang::En, 0) => format!("The norm of {norm} is met"),
            (Lang::Nl, 1) => format!("1 verkoop meer had de norm van {norm} gehaald"),
            (Lang::En, 1) => format!("1 more sale would have met the norm of {norm}"),
            (Lang::Nl, _) => format!("{sales} verkopen meer hadden de norm van {norm} gehaald"),
            (Lang::En, _) => format!("{sales} more sales would have met the norm of {norm}"),
        }
    }
    pub fn headline_passive(self, passive: u64) -> String {
        match self {
            Lang::Nl => format!("{passive} passieve leads apart geteld, niet in de conversie"),
            Lang::En => format!("{passive} passive leads counted apart, not in the rate"),
        }
    }
    pub fn matrix_title(self) -> &'static str {
        self.pick("Conversie per verkoper binnen elke bron", "Conversion per salesperson within each source")
    }
    pub fn matrix_small(self) -> &'static str {
        self.pick("bleek: minder dan 30 leads", "pale: fewer than 30 leads")
    }
    pub fn matrix_more(self, sources: usize, salespeople: usize) -> String {
        match self {
            Lang::Nl => format!("Alleen de grootste: nog {sources} bronnen en {salespeople} verkopers niet getoond"),
            Lang::En => format!("The largest only: {sources} more sources and {salespeople} more salespeople not shown"),
        }
    }
    /// Under a bar chart that shows the first groups only.
    pub fn groups_more(self, left_out: usize) -> String {
        match self {
            Lang::Nl => format!("en nog {left_out} niet getoond (de tabel en de CSV tonen alle)"),
            Lang::En => format!("and {left_out} more not shown (the table and the CSV list them all)"),
        }
    }
    /// The interval holds the norm: in plain words what that means.
    pub fn undecided(self) -> &'static str {
        self.pick("te weinig leads om te oordelen", "too few leads to tell")
    }
    pub fn all_time(self) -> &'static str {
        self.pick("alle leads", "all leads")
    }
    pub fn until(self) -> &'static str {
        self.pick("t/m", "to")
    }
    pub fn compared_period(self) -> &'static str {
        self.pick("Vergeleken periode", "Compared period")
    }
    pub fn no_creation_dates(self) -> &'static str {
        self.pick(
            "Deze leads hebben geen aanmaakdatum: ze horen bij geen maand",
            "These leads have no creation date: they belong to no month",
        )
    }
    pub fn no_data(self) -> &'static str {
        self.pick("Geen actieve leads in deze periode", "No active leads in this period")
    }
}

/// The command line's own words around the engine's messages.
impl Lang {
    pub fn run_help(self) -> &'static str {
        self.pick("Zie `dertien --help` voor het gebruik.", "Run `dertien --help` for the usage.")
    }

    /// "refused x.csv: ...", where `message` names the file.
    pub fn refused(self, message: &str) -> String {
        match self {
            Lang::Nl => format!("geweigerd: {message}"),
            Lang::En => format!("refused {message}"),
        }
    }

    pub fn already_imported(self, at: &str, id: i64, leads: u64) -> String {
        match self {
            Lang::Nl => format!("al geïmporteerd op {at} (import {id}): niets veranderd, {leads} leads ongewijzigd"),
            Lang::En => format!("already imported on {at} (import {id}): nothing changed, {leads} leads unchanged"),
        }
    }

    /// Rows read, leads, new, updated, unchanged, passive, row issues.
    pub fn imported(self, [rows, leads, new, updated, unchanged, passive, issues]: [u64; 7]) -> String {
        match self {
            Lang::Nl => format!(
                "{rows} rijen gelezen -> {leads} leads ({new} nieuw, {updated} bijgewerkt, {unchanged} ongewijzigd), {passive} passief; {issues} {}",
                if issues == 1 { "rij met een fout" } else { "rijen met fouten" }
            ),
            Lang::En => format!(
                "{rows} rows read -> {leads} leads ({new} new, {updated} updated, {unchanged} unchanged), {passive} passive; {issues} row issue{}",
                if issues == 1 { "" } else { "s" }
            ),
        }
    }

    pub fn note_word(self) -> &'static str {
        self.pick("opmerking", "note")
    }

    pub fn issue_word(self) -> &'static str {
        self.pick("fout", "issue")
    }

    pub fn more_issues(self, more: u64) -> String {
        match self {
            Lang::Nl => format!("... en nog {more} rijen met fouten (dertien import --format json toont de eerste 1000)"),
            Lang::En => format!("... and {more} more row issues (dertien import --format json lists the first 1000)"),
        }
    }

    pub fn no_imports(self) -> &'static str {
        self.pick("Nog geen rapporten ingelezen: dertien import BESTAND...", "No imports yet: dertien import FILE...")
    }

    /// The history's columns: id, imported, rows, leads, new, updated, unchanged, passive, issues, file.
    pub fn imports_heading(self) -> [&'static str; 10] {
        match self {
            Lang::Nl => ["id", "geïmporteerd", "rijen", "leads", "nieuw", "bijgewerkt", "ongewijzigd", "passief", "fouten", "bestand"],
            Lang::En => ["id", "imported", "rows", "leads", "new", "updated", "unchanged", "passive", "issues", "file"],
        }
    }
}

/// A, B, ..., Z, AA, AB, ...
fn letters(mut n: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (n % 26) as u8);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A count as a person writes it: "8.155" in Dutch, "8,155" in English.
pub fn count(lang: Lang, n: u64) -> String {
    let digits = n.to_string();
    let separator = match lang {
        Lang::Nl => '.',
        Lang::En => ',',
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

/// A rate as a person writes it: "12,3%" in Dutch, "12.3%" in English.
pub fn percent(lang: Lang, fraction: f64) -> String {
    let text = format!("{:.1}%", fraction * 100.0);
    match lang {
        Lang::Nl => text.replace('.', ","),
        Lang::En => text,
    }
}

/// A group's name for people: the empty group and the buckets in words.
pub fn group_label(report: &Report, group: &crate::metrics::Group, lang: Lang) -> String {
    match (&group.key, group.key_text()) {
        (crate::metrics::GroupKey::Response(b), _) => lang.response_bucket(b.name()),
        (crate::metrics::GroupKey::Phone(p), _) => lang.phone_group(*p).to_string(),
        (crate::metrics::GroupKey::Folded, _) => lang.other_sources(report.folded.len() as u64),
        (_, Some(text)) => text,
        (_, None) => lang.empty_group(report.by).to_string(),
    }
}

pub fn period_label(report: &Report, lang: Lang) -> String {
    span_label(report.period, lang)
}

pub fn span_label(period: Option<(i64, i64)>, lang: Lang) -> String {
    span(period, lang, crate::calendar::format_day)
}

/// "FROM to TO" with each day written by `day`, or all time.
fn span(period: Option<(i64, i64)>, lang: Lang, day: impl Fn(i64) -> String) -> String {
    match period {
        Some((from, to)) => format!("{} {} {}", day(from), lang.until(), day(to)),
        None => lang.all_time().to_string(),
    }
}

const MONTHS_NL: [&str; 12] =
    ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"];
const MONTHS_EN: [&str; 12] =
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

impl Lang {
    fn month_name(self, month: u32) -> &'static str {
        let names = match self {
            Lang::Nl => &MONTHS_NL,
            Lang::En => &MONTHS_EN,
        };
        names[(month.clamp(1, 12) - 1) as usize]
    }

    /// A day as a person writes it: "1 juli 2023", "1 July 2023".
    pub fn day_words(self, day: i64) -> String {
        let (year, month, day) = crate::calendar::civil_from_days(day);
        format!("{day} {} {year}", self.month_name(month))
    }

    /// A month (months since 1970-01) on a chart's axis: "jul 2023", "Jul 2023".
    pub fn month_words(self, month_index: i64) -> String {
        let (year, month) = crate::calendar::year_month(month_index);
        format!("{} {year}", self.month_name(month).chars().take(3).collect::<String>())
    }
}

/// A period as a chart says it: "1 juli 2023 t/m 30 september 2023" (the
/// command line's tables keep ISO dates, `span_label`).
pub fn span_words(period: Option<(i64, i64)>, lang: Lang) -> String {
    span(period, lang, |day| lang.day_words(day))
}

pub fn period_words(report: &Report, lang: Lang) -> String {
    span_words(report.period, lang)
}

/// A norm as people say it: "13%", "12,5%".
pub fn norm_percent(lang: Lang, fraction: f64) -> String {
    let text = percent(lang, fraction);
    text.replace(",0%", "%").replace(".0%", "%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_words() {
        let day = crate::calendar::date(2023, 7, 1).expect("a day");
        assert_eq!(Lang::Nl.day_words(day), "1 juli 2023");
        assert_eq!(Lang::En.day_words(day), "1 July 2023");
        let month = crate::calendar::month_index(day);
        assert_eq!((Lang::Nl.month_words(month), Lang::En.month_words(month)), ("jul 2023".to_string(), "Jul 2023".to_string()));
        let end = crate::calendar::date(2023, 9, 30).expect("a day");
        assert_eq!(span_words(Some((day, end)), Lang::Nl), "1 juli 2023 t/m 30 september 2023");
    }

    #[test]
    fn one_lead_is_a_lead() {
        assert_eq!(Lang::En.lead_count(1), "1 lead");
        assert_eq!(Lang::Nl.lead_count(1234), "1.234 leads");
    }

    #[test]
    fn counts_have_the_languages_thousands_separator() {
        assert_eq!(count(Lang::Nl, 8155), "8.155");
        assert_eq!(count(Lang::En, 1_234_567), "1,234,567");
        assert_eq!(count(Lang::En, 999), "999");
        assert_eq!(count(Lang::Nl, 0), "0");
    }

    #[test]
    fn aliases_and_percentages() {
        assert_eq!(letters(0), "A");
        assert_eq!(letters(25), "Z");
        assert_eq!(letters(26), "AA");
        assert_eq!(percent(Lang::Nl, 0.1234), "12,3%");
        assert_eq!(percent(Lang::En, 0.13), "13.0%");
    }
}
