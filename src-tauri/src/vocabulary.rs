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
    pub fn outcome(&self, status_key: &str) -> Outcome {
        let known = |defaults: &[&str], extra: &[String]| defaults.contains(&status_key) || extra.iter().any(|w| name_key(w) == status_key);
        if known(SOLD_WORDS, &self.sold) {
            Outcome::Sold
        } else if known(LOST_WORDS, &self.lost) {
            Outcome::Lost
        } else {
            Outcome::Open
        }
    }
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
