//! The domain's vocabulary, shared by import, store and metrics.

/// A lead as the import hands it to the store: what the analysis needs and
/// nothing more. Customer name, phone and e-mail never get here; they only
/// feed `identity` (a keyed hash) and `has_phone`.
#[derive(Debug, Clone, PartialEq)]
pub struct Lead {
    pub identity: [u8; 16],
    /// Naive local timestamps (see `calendar`).
    pub created: Option<i64>,
    pub first_contact: Option<i64>,
    pub sale_date: Option<i64>,
    pub source: Option<String>,
    pub salesperson: Option<String>,
    pub branch: Option<String>,
    /// Who made the first contact before the salesperson (call centre, BDC).
    pub agent: Option<String>,
    pub status: Option<String>,
    pub brand: Option<String>,
    pub model: Option<String>,
    pub lead_type: Option<String>,
    /// From a lead-kind column; `None` lets the source's class decide.
    pub kind: Option<LeadKind>,
    /// A sale date or a converted flag: sold whatever the status says.
    pub sold_flag: bool,
    pub has_phone: bool,
    pub response: ResponseBucket,
    /// The report has a first-contact column: `response` `None` then means
    /// unanswered, not unknown (metrics.md, "Unanswered").
    pub contact_recorded: bool,
}

/// A value the import could not read, where it was: "sheet Leads, row 17,
/// column Aanmaakdatum: \"gisteren\" is not a date". Rows are numbered as
/// the spreadsheet shows them (from 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowIssue {
    pub sheet: String,
    pub row: u32,
    pub column: String,
    pub message: String,
}

impl std::fmt::Display for RowIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "sheet {}, row {}", self.sheet, self.row)?;
        if !self.column.is_empty() {
            write!(f, ", column {}", self.column)?;
        }
        write!(f, ": {}", self.message)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LeadKind {
    Active,
    Passive,
}

impl LeadKind {
    pub fn code(kind: Option<LeadKind>) -> i64 {
        match kind {
            None => 0,
            Some(LeadKind::Active) => 1,
            Some(LeadKind::Passive) => 2,
        }
    }

    pub fn from_code(code: i64) -> Option<LeadKind> {
        match code {
            1 => Some(LeadKind::Active),
            2 => Some(LeadKind::Passive),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    Sold,
    Lost,
    Open,
}

impl Outcome {
    /// The word the window and the settings use for it.
    pub fn key(self) -> &'static str {
        match self {
            Outcome::Sold => "sold",
            Outcome::Lost => "lost",
            Outcome::Open => "open",
        }
    }
}

/// `first contact - creation`, bucketed as metrics.md defines; each bucket
/// holds its lower bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ResponseBucket {
    Under15m,
    To1h,
    To4h,
    To24h,
    Over24h,
    None,
}

impl ResponseBucket {
    pub const ALL: [ResponseBucket; 6] = [
        ResponseBucket::Under15m,
        ResponseBucket::To1h,
        ResponseBucket::To4h,
        ResponseBucket::To24h,
        ResponseBucket::Over24h,
        ResponseBucket::None,
    ];

    pub fn from_seconds(seconds: i64) -> ResponseBucket {
        match seconds {
            s if s < 15 * 60 => ResponseBucket::Under15m,
            s if s < 3600 => ResponseBucket::To1h,
            s if s < 4 * 3600 => ResponseBucket::To4h,
            s if s < 24 * 3600 => ResponseBucket::To24h,
            _ => ResponseBucket::Over24h,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ResponseBucket::Under15m => "<15m",
            ResponseBucket::To1h => "15m-1h",
            ResponseBucket::To4h => "1h-4h",
            ResponseBucket::To24h => "4h-24h",
            ResponseBucket::Over24h => ">24h",
            ResponseBucket::None => "none",
        }
    }

    pub fn code(self) -> i64 {
        self as i64
    }

    pub fn from_code(code: i64) -> ResponseBucket {
        usize::try_from(code).ok().and_then(|i| Self::ALL.get(i).copied()).unwrap_or(ResponseBucket::None)
    }
}

/// The ways a report can be grouped (cli.md's `DIM`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dimension {
    Source,
    Salesperson,
    Branch,
    Month,
    Response,
    Phone,
    /// Who made the first contact (call-centre or BDC agent).
    Agent,
}

impl Dimension {
    pub const ALL: [Dimension; 7] = [
        Dimension::Source,
        Dimension::Salesperson,
        Dimension::Branch,
        Dimension::Month,
        Dimension::Response,
        Dimension::Phone,
        Dimension::Agent,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Dimension::Source => "source",
            Dimension::Salesperson => "salesperson",
            Dimension::Branch => "branch",
            Dimension::Month => "month",
            Dimension::Response => "response",
            Dimension::Phone => "phone",
            Dimension::Agent => "agent",
        }
    }

    pub fn parse(text: &str) -> Option<Dimension> {
        Self::ALL.into_iter().find(|d| d.name() == text)
    }

    pub fn code(self) -> i64 {
        self as i64
    }

    /// Groups named after people or places, ordered by rate.
    pub fn is_name(self) -> bool {
        matches!(self, Dimension::Source | Dimension::Salesperson | Dimension::Branch | Dimension::Agent)
    }

    /// The kind of lead a group's figures are adjusted for (metrics.md,
    /// "Expected sales"): a source for its answering speed, a person or
    /// branch for its sources; the other dimensions are not adjusted.
    pub fn adjusted_by(self) -> Option<Dimension> {
        match self {
            Dimension::Source => Some(Dimension::Response),
            Dimension::Salesperson | Dimension::Branch | Dimension::Agent => Some(Dimension::Source),
            Dimension::Month | Dimension::Response | Dimension::Phone => None,
        }
    }
}

/// The key a name is grouped by: trimmed, inner white space collapsed,
/// compared case-insensitively (metrics.md, "Names").
pub fn name_key(text: &str) -> String {
    collapse_spaces(text).to_lowercase()
}

/// Values with their counts, the spellings of one name together (shown as
/// first met, trimmed): most first, ties by name.
pub fn count_names(values: impl IntoIterator<Item = (String, u64)>) -> Vec<(String, u64)> {
    let mut counts: Vec<(String, u64)> = Vec::new();
    for (value, n) in values {
        let key = name_key(&value);
        match counts.iter_mut().find(|(shown, _)| name_key(shown) == key) {
            Some((_, total)) => *total += n,
            None => counts.push((value.trim().to_owned(), n)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts
}

/// Text from a file as a message quotes it: at most `EXCERPT_CHARS`
/// characters, then "…". A header of 50 MB once made a 50 MB refusal.
pub fn excerpt(text: &str) -> String {
    match text.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

pub const EXCERPT_CHARS: usize = 80;

/// Trimmed with inner white space (including non-breaking spaces) collapsed:
/// the spelling a name is shown in.
pub fn collapse_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(|c: char| c.is_whitespace() || c == '\u{a0}') {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn excerpts_are_short() {
        assert_eq!(excerpt("Bron"), "Bron");
        let long = "é".repeat(50_000);
        assert_eq!(excerpt(&long), "é".repeat(EXCERPT_CHARS) + "…");
    }

    use super::*;

    #[test]
    fn buckets_hold_their_lower_bound() {
        assert_eq!(ResponseBucket::from_seconds(0), ResponseBucket::Under15m);
        assert_eq!(ResponseBucket::from_seconds(15 * 60 - 1), ResponseBucket::Under15m);
        assert_eq!(ResponseBucket::from_seconds(15 * 60), ResponseBucket::To1h);
        assert_eq!(ResponseBucket::from_seconds(3600), ResponseBucket::To4h);
        assert_eq!(ResponseBucket::from_seconds(4 * 3600), ResponseBucket::To24h);
        assert_eq!(ResponseBucket::from_seconds(24 * 3600), ResponseBucket::Over24h);
        for bucket in ResponseBucket::ALL {
            assert_eq!(ResponseBucket::from_code(bucket.code()), bucket);
        }
    }

    #[test]
    fn names_collapse_and_fold() {
        assert_eq!(collapse_spaces("  Jan \u{a0} de\tVries "), "Jan de Vries");
        assert_eq!(name_key("  JAN de  vries"), "jan de vries");
    }
}
