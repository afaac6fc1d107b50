//! The words metrics.md gives meaning to. Matching is on `name_key` (trimmed,
//! spaces collapsed, lower case), so "Closed Won " and "closed won" are one.

use crate::model::{name_key, LeadKind, Outcome};

pub const SOLD_WORDS: &[&str] = &[
    "verkocht",
    "sold",
    "won",
    "gewonnen",
    "order",
    "getekend",
    "afgeleverd",
    "delivered",
    "deal",
    "closed won",
    "closed - won",
    "converted",
    "closed - converted",
];

pub const LOST_WORDS: &[&str] = &[
    "verloren",
    "lost",
    "geen interesse",
    "not interested",
    "niet bereikbaar",
    "unreachable",
    "elders gekocht",
    "bought elsewhere",
    "afgewezen",
    "rejected",
    "closed lost",
    "closed - lost",
    "closed - not converted",
];

/// Status words that mean "still open": counted as open like any other
/// word, but known, so the import does not ask about them (`status_note`).
pub const OPEN_WORDS: &[&str] = &[
    "open",
    "nieuw",
    "new",
    "in behandeling",
    "in progress",
    "lopend",
    "pending",
    "working",
    "contacted",
    "gecontacteerd",
    "offerte",
    "offerte uitgebracht",
    "quote",
    "proefrit",
    "test drive",
    "afspraak",
    "appointment",
    "opvolgen",
    "follow up",
    "follow-up",
];

/// A source whose name contains one of these is passive until the user
/// classes it otherwise.
pub const PASSIVE_SOURCE_HINTS: &[&str] = &["belactie", "campagne", "campaign", "outbound", "database", "mailing", "bestand", "nabelactie"];

const TRUE_FLAGS: &[&str] = &["1", "ja", "yes", "true", "x", "waar", "j", "y"];
const FALSE_FLAGS: &[&str] = &["0", "nee", "no", "false", "onwaar", "n", "-"];

/// Status words beyond the defaults, as the user set them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatusWords {
    pub sold: Vec<String>,
    pub lost: Vec<String>,
}

impl StatusWords {
    /// The outcome a status says. Words match whatever their case, spaces,
    /// underscores and dashes: "Closed - Won", `closed_won` and "closed won"
    /// are one word, as a database, a CRM and a person write it.
    pub fn outcome(&self, status_key: &str) -> Outcome {
        let status = fold(status_key);
        let known = |defaults: &[&str], extra: &[String]| {
            defaults.iter().copied().chain(extra.iter().map(String::as_str)).any(|w| fold(w) == status)
        };
        if known(SOLD_WORDS, &self.sold) {
            Outcome::Sold
        } else if known(LOST_WORDS, &self.lost) {
            Outcome::Lost
        } else {
            Outcome::Open
        }
    }
}

/// A status word as matching sees it: letters and digits only, lower case.
fn fold(word: &str) -> String {
    word.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// A status word that means "still open" (`OPEN_WORDS`).
pub fn is_open_word(value: &str) -> bool {
    OPEN_WORDS.iter().any(|w| fold(w) == fold(value))
}

/// What a report's status values leave unsaid (metrics.md, "Outcome"): no
/// value is a sold word while nothing else marks a sale, or most leads hold
/// a value that is neither a sold nor a lost word. `values`: each status
/// value with its leads; `sale_marked_otherwise`: a sale-date or converted
/// column marks sales. Names the values the words do not know, most leads
/// first, and how to name them.
pub fn status_note(values: &[(String, u64)], words: &StatusWords, sale_marked_otherwise: bool) -> Option<String> {
    // Most leads first: the order the unknown values are listed in.
    let grouped = crate::model::count_names(values.iter().cloned());
    let total: u64 = grouped.iter().map(|(_, n)| n).sum();
    let outcome = |value: &str| words.outcome(&name_key(value));
    let sold: u64 = grouped.iter().filter(|(v, _)| outcome(v) == Outcome::Sold).map(|(_, n)| n).sum();
    let unknown: Vec<&(String, u64)> = grouped.iter().filter(|(v, _)| outcome(v) == Outcome::Open && !is_open_word(v)).collect();
    let unknown_leads: u64 = unknown.iter().map(|(_, n)| n).sum();
    let why = if unknown.is_empty() {
        return None;
    } else if sold == 0 && !sale_marked_otherwise {
        "no status value is a sold word, so no lead counts as sold".to_string()
    } else if unknown_leads * 2 > total {
        format!("{unknown_leads} of {total} leads have a status that is no sold, lost or open word (they count as open)")
    } else {
        return None;
    };
    const LISTED: usize = 12;
    let mut listed: Vec<String> = unknown.iter().take(LISTED).map(|(v, n)| format!("\"{}\" ({n})", crate::model::excerpt(v))).collect();
    if unknown.len() > LISTED {
        listed.push(format!("and {} more", unknown.len() - LISTED));
    }
    Some(format!(
        "status: {why}; values not recognised: {}; name them as sold or lost (Settings, or import --sold WORD / --lost WORD)",
        listed.join(", ")
    ))
}

/// metrics.md: "a source never classed is active, unless its name contains
/// one of" the passive hints.
pub fn source_is_passive_by_default(source_key: &str) -> bool {
    PASSIVE_SOURCE_HINTS.iter().any(|hint| source_key.contains(hint))
}

/// The value of a converted-flag cell.
pub fn is_true_flag(text: &str) -> bool {
    TRUE_FLAGS.contains(&name_key(text).as_str())
}

/// A converted-flag cell that says no.
pub fn is_false_flag(text: &str) -> bool {
    FALSE_FLAGS.contains(&name_key(text).as_str())
}

/// The value of a lead-kind cell (actief/passief, active/passive, inbound/outbound).
pub fn lead_kind(text: &str) -> Option<LeadKind> {
    match name_key(text).as_str() {
        "actief" | "active" | "inbound" | "in" | "inkomend" => Some(LeadKind::Active),
        "passief" | "passive" | "outbound" | "out" | "uitgaand" => Some(LeadKind::Passive),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_follow_the_vocabularies() {
        let words = StatusWords::default();
        assert_eq!(words.outcome("verkocht"), Outcome::Sold);
        assert_eq!(words.outcome("closed won"), Outcome::Sold);
        assert_eq!(words.outcome("elders gekocht"), Outcome::Lost);
        assert_eq!(words.outcome("offerte uitgebracht"), Outcome::Open);
        let extended = StatusWords { sold: vec!["Contract Getekend".into()], lost: vec![] };
        assert_eq!(extended.outcome("contract getekend"), Outcome::Sold);
    }

    #[test]
    fn status_values_the_words_do_not_know_are_named() {
        let words = StatusWords::default();
        let crm = [("Closed - Purchased".to_string(), 40), ("Qualifying".to_string(), 100), ("closed - purchased ".to_string(), 2)];
        assert_eq!(
            status_note(&crm, &words, false).as_deref(),
            Some(
                "status: no status value is a sold word, so no lead counts as sold; values not recognised: \"Qualifying\" (100), \
                 \"Closed - Purchased\" (42); name them as sold or lost (Settings, or import --sold WORD / --lost WORD)"
            )
        );
        let named = StatusWords { sold: vec!["closed - purchased".into()], lost: vec![] };
        let note = status_note(&crm, &named, false).expect("most leads still neither");
        assert!(
            note.starts_with("status: 100 of 142 leads have a status that is no sold, lost or open word") && !note.contains("Purchased"),
            "{note}"
        );
        let mostly_unknown = [("Verkocht".to_string(), 10), ("Lost".to_string(), 20), ("Wacht op klant".to_string(), 31)];
        let note = status_note(&mostly_unknown, &words, false).expect("most leads neither sold nor lost");
        assert!(note.starts_with("status: 31 of 61 leads have a status that is no sold, lost or open word"), "{note}");
        let fine = [("Verkocht".to_string(), 10), ("Lost".to_string(), 20), ("Wacht op klant".to_string(), 29)];
        assert_eq!(status_note(&fine, &words, false), None);
        let dated = [("Wacht".to_string(), 3), ("Lost".to_string(), 5)];
        assert_eq!(status_note(&dated, &words, true), None, "a sale date marks the sales");
        assert!(status_note(&dated, &words, false).is_some_and(|n| n.contains("\"Wacht\" (3)")));
        let young = [("Open".to_string(), 30), ("In behandeling".to_string(), 12), ("Lost".to_string(), 1)];
        assert_eq!(status_note(&young, &words, false), None, "open words are known: nothing to ask");
        let many: Vec<(String, u64)> = (0..15).map(|i| (format!("stap {i}"), 1)).collect();
        assert!(status_note(&many, &words, false).is_some_and(|n| n.contains("\"stap 6\" (1), and 3 more")));
        assert_eq!(words.outcome("closed - converted"), Outcome::Sold);
        assert_eq!(words.outcome("closed_won"), Outcome::Sold, "as a database writes it");
        assert_eq!(words.outcome("closed-lost"), Outcome::Lost);
        assert_eq!(words.outcome("closedwon"), Outcome::Sold);
        assert_eq!(words.outcome("closed - not converted"), Outcome::Lost);
    }

    #[test]
    fn passive_sources_and_kinds() {
        assert!(source_is_passive_by_default("belactie"));
        assert!(source_is_passive_by_default("najaars campagne 2023"));
        assert!(!source_is_passive_by_default("facebook lead ads"));
        assert_eq!(lead_kind(" Passief "), Some(LeadKind::Passive));
        assert_eq!(lead_kind("Inbound"), Some(LeadKind::Active));
        assert_eq!(lead_kind("misschien"), None);
        assert!(is_true_flag(" JA "));
        assert!(!is_true_flag("nee"));
    }
}
