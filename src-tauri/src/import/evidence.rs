//! Values as evidence: whether a column's first values are what a role
//! holds, before the column is given it (ARCHITECTURE.md, "How a column
//! gets its role").

use super::columns::Role;
use super::values::{parse_text_date, Cell};

/// How a column's first values fit a role.
pub(super) enum Fit {
    Fits,
    /// Between half and most of them: the role is a guess (why).
    Half(String),
    /// Fewer than half: the column is not given the role (why).
    Contradicts(String),
}

/// Values needed before they count as evidence either way.
const MIN_EVIDENCE: usize = 5;

/// Whether a column's first non-empty values are what the role holds: an
/// e-mail column e-mail addresses, a phone column digits, a date column
/// dates, a flag yes and no, a name column a few names over many rows.
pub(super) fn fit(role: Role, values: &[&Cell]) -> Fit {
    if values.len() < MIN_EVIDENCE {
        return Fit::Fits;
    }
    let text = |cell: &Cell| cell.as_text().unwrap_or_default();
    let (what, fits): (&str, fn(&Cell) -> bool) = match role {
        Role::Email => ("e-mail addresses", |c| matches!(c, Cell::Text(t) if t.contains('@') && t.contains('.'))),
        Role::Phone => ("phone numbers", |c| match c {
            Cell::Number(n) => *n >= 100_000.0,
            Cell::Text(t) => {
                let digits = t.chars().filter(char::is_ascii_digit).count();
                digits >= 6 && t.chars().all(|ch| ch.is_ascii_digit() || " +-()/.".contains(ch))
            }
            _ => false,
        }),
        Role::Created | Role::SaleDate | Role::FirstContact => ("dates", |c| match c {
            Cell::DateTime(_) => true,
            Cell::Number(n) => (1_000.0..2_958_466.0).contains(n),
            Cell::Text(t) => parse_text_date(t).is_some(),
            _ => false,
        }),
        Role::Converted => ("yes/no values", |c| match c {
            Cell::Bool(_) => true,
            Cell::Number(n) => *n == 0.0 || *n == 1.0,
            Cell::Text(t) => crate::vocabulary::is_true_flag(t) || crate::vocabulary::is_false_flag(t),
            _ => false,
        }),
        Role::LeadKind => ("active/passive", |c| matches!(c, Cell::Text(t) if crate::vocabulary::lead_kind(t).is_some())),
        Role::Source | Role::Salesperson | Role::Status | Role::Agent => ("names", |c| match c {
            Cell::Text(t) => t.chars().any(char::is_alphabetic) && parse_text_date(t).is_none(),
            _ => false,
        }),
        _ => return Fit::Fits,
    };
    let fitting = values.iter().filter(|c| fits(c)).count();
    let example = values.iter().find(|c| !fits(c)).map(|c| crate::model::excerpt(&text(c)));
    if fitting * 2 < values.len() {
        let example = example.map(|e| format!(" (\"{e}\")")).unwrap_or_default();
        return Fit::Contradicts(format!("its values are not {what}{example}"));
    }
    // A name column holds a few names over many rows: where almost every
    // row differs, the column names something else (customers, remarks).
    if matches!(role, Role::Source | Role::Salesperson | Role::Status | Role::Agent) && values.len() >= 30 {
        let distinct: std::collections::HashSet<String> = values.iter().map(|c| text(c).to_lowercase()).collect();
        if distinct.len() * 5 > values.len() * 4 {
            return Fit::Contradicts(format!("{} of its first {} values differ, not a few {what} repeated", distinct.len(), values.len()));
        }
    }
    if fitting * 5 < values.len() * 4 {
        return Fit::Half(format!("only {fitting} of its first {} values are {what}", values.len()));
    }
    Fit::Fits
}
