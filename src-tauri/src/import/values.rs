//! Reading one cell: the cell model every format is turned into, and dates
//! as metrics.md accepts them.

use crate::calendar::{self, SECS_PER_DAY};

/// A cell as every reader (xlsx, xls, ods, csv, html) hands it on.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A cell Excel formatted as a date, already converted (naive seconds).
    DateTime(i64),
    Bool(bool),
    Error(String),
    /// A name (source, salesperson, status, ...) by number, on its way from
    /// the workbook reader to `LeadRows`, which puts the text back: a name's
    /// text crosses between the threads once per sheet, not once per row.
    Name(u32),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The text of a `Name` cell from the sheet's names; other cells stay.
    pub fn resolve(&mut self, names: &[String]) {
        if let Cell::Name(index) = *self {
            *self = names.get(index as usize).map_or(Cell::Empty, |name| Cell::Text(name.clone()));
        }
    }

    /// Moves the cell's text out, cleaned as `as_text` cleans it; the cell is
    /// left empty. Text that needs no cleaning is not copied.
    pub fn take_text(&mut self) -> Option<String> {
        match std::mem::replace(self, Cell::Empty) {
            Cell::Text(text) => {
                let bytes = text.as_bytes();
                let clean = match (bytes.first(), bytes.last()) {
                    (Some(first), Some(last)) if text.is_ascii() => {
                        *first != b' '
                            && *last != b' '
                            && !bytes.iter().any(|b| b.is_ascii_whitespace() && *b != b' ')
                            && !bytes.windows(2).any(|w| w == b"  ")
                    }
                    (Some(_), Some(_)) => {
                        !text.starts_with(char::is_whitespace)
                            && !text.ends_with(char::is_whitespace)
                            && !text.contains(|c: char| c != ' ' && (c.is_whitespace() || c == '\u{a0}'))
                            && !text.contains("  ")
                    }
                    _ => false,
                };
                if clean {
                    Some(text)
                } else {
                    Cell::Text(text).as_text()
                }
            }
            other => other.as_text(),
        }
    }

    /// The cell as the user sees it, for header matching and names.
    pub fn as_text(&self) -> Option<String> {
        match self {
            Cell::Empty => None,
            Cell::Text(t) => {
                let t = crate::model::collapse_spaces(t);
                (!t.is_empty()).then_some(t)
            }
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => Some(format!("{}", *n as i64)),
            Cell::Number(n) => Some(n.to_string()),
            Cell::DateTime(ts) => Some(format_timestamp(*ts)),
            Cell::Bool(b) => Some(if *b { "true" } else { "false" }.to_string()),
            Cell::Error(e) => Some(e.clone()),
            Cell::Name(_) => None,
        }
    }
}

pub fn format_timestamp(ts: i64) -> String {
    let day = calendar::day_of(ts);
    let secs = ts - day * SECS_PER_DAY;
    format!("{} {:02}:{:02}", calendar::format_day(day), secs / 3600, secs % 3600 / 60)
}

/// An Excel serial date (days since 1899-12-30, or since 1904-01-01 in the
/// 1904 system) as naive seconds, rounded to the second. Serials before 61
/// in the 1900 system sit before Excel's phantom 29 February 1900.
pub fn excel_serial(serial: f64, is_1904: bool) -> Option<i64> {
    if !serial.is_finite() || !(0.0..2_958_466.0).contains(&serial) {
        return None;
    }
    // Day numbers (days since 1970-01-01) of 1904-01-01, 1899-12-31 and 1899-12-30.
    let epoch = if is_1904 {
        -24_107
    } else if serial < 61.0 {
        -25_568
    } else {
        -25_569
    };
    let seconds = (serial * SECS_PER_DAY as f64).round() as i64;
    Some(epoch * SECS_PER_DAY + seconds)
}

/// A text date before the column's order is known.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TextDate {
    /// ISO, or a day-first/month-first text whose order the value itself proves.
    Exact(i64),
    /// `a-b-year`: read as day `a` of month `b` unless the column is month-first.
    Ambiguous { a: u32, b: u32, year: i32, secs: i64 },
    /// `a-b-year` with `b > 12`: can only be month-first (`7/23/2023`).
    MonthFirstOnly { a: u32, b: u32, year: i32, secs: i64 },
    /// `a-b-year` with `a > 12`: can only be day-first (`23/7/2023`).
    DayFirstOnly { a: u32, b: u32, year: i32, secs: i64 },
}

/// Parses the text date formats of metrics.md. `None`: not a date.
pub fn parse_text_date(text: &str) -> Option<TextDate> {
    let text = text.trim();
    let (date_part, time_part) = match text.find([' ', 'T']) {
        Some(i) => (&text[..i], text[i + 1..].trim()),
        None => (text, ""),
    };
    let secs = if time_part.is_empty() { 0 } else { parse_time(time_part)? };
    let sep = date_part.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    let parts: Vec<&str> = date_part.split(sep).collect();
    let [p0, p1, p2] = parts.as_slice() else { return None };
    let numbers = [p0, p1, p2]
        .map(|p| (!p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit())).then(|| p.parse::<u32>().ok()).flatten());
    let [Some(n0), Some(n1), Some(n2)] = numbers else { return None };
    if p0.len() == 4 {
        let day = calendar::date(n0 as i32, n1, n2)?;
        return Some(TextDate::Exact(day * SECS_PER_DAY + secs));
    }
    let year = match p2.len() {
        4 => n2 as i32,
        2 => 2000 + n2 as i32,
        _ => return None,
    };
    let (a, b) = (n0, n1);
    let as_day_first = calendar::date(year, b, a);
    let as_month_first = calendar::date(year, a, b);
    match (as_day_first, as_month_first) {
        (Some(_), Some(_)) if a == b => Some(TextDate::Exact(as_day_first? * SECS_PER_DAY + secs)),
        (Some(_), Some(_)) => Some(TextDate::Ambiguous { a, b, year, secs }),
        (Some(_), None) => Some(TextDate::DayFirstOnly { a, b, year, secs }),
        (None, Some(_)) => Some(TextDate::MonthFirstOnly { a, b, year, secs }),
        (None, None) => None,
    }
}

/// `HH:MM`, `HH:MM:SS` or `HH:MM:SS.fff` as seconds into the day.
pub fn parse_time(text: &str) -> Option<i64> {
    let text = text.trim();
    let mut parts = text.split(':');
    let hours: i64 = parts.next()?.trim().parse().ok()?;
    let minutes: i64 = parts.next()?.trim().parse().ok()?;
    let seconds: f64 = match parts.next() {
        Some(s) => s.trim().parse().ok()?,
        None => 0.0,
    };
    if parts.next().is_some() || !(0..24).contains(&hours) || !(0..60).contains(&minutes) {
        return None;
    }
    if !(0.0..60.0).contains(&seconds) {
        return None;
    }
    Some(hours * 3600 + minutes * 60 + seconds as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    fn at(y: i32, m: u32, d: u32, h: i64, min: i64) -> i64 {
        calendar::date(y, m, d).expect("a valid date") * SECS_PER_DAY + h * 3600 + min * 60
    }

    #[test]
    fn excel_epochs_are_their_days() {
        assert_eq!(excel_serial(0.0, true), calendar::date(1904, 1, 1).map(|d| d * SECS_PER_DAY));
        assert_eq!(excel_serial(1.0, false), calendar::date(1900, 1, 1).map(|d| d * SECS_PER_DAY));
        assert_eq!(excel_serial(61.0, false), calendar::date(1900, 3, 1).map(|d| d * SECS_PER_DAY));
    }

    #[test]
    fn taken_text_is_cleaned_like_shown_text() {
        for text in ["Jan", " Jan  de\tVries ", "Zo\u{a0}ë", "", "   "] {
            let mut cell = Cell::Text(text.to_string());
            assert_eq!(cell.take_text(), Cell::Text(text.to_string()).as_text(), "{text:?}");
            assert_eq!(cell, Cell::Empty);
        }
        assert_eq!(Cell::Number(12.0).take_text(), Some("12".to_string()));
    }

    #[test]
    fn excel_serials_in_both_systems() {
        assert_eq!(excel_serial(45110.5, false), Some(at(2023, 7, 3, 12, 0)));
        // The same day in the 1904 system is 1462 days fewer.
        assert_eq!(excel_serial(45110.5 - 1462.0, true), Some(at(2023, 7, 3, 12, 0)));
        assert_eq!(excel_serial(1.0, false), Some(at(1900, 1, 1, 0, 0)));
        assert_eq!(excel_serial(-3.0, false), None);
        assert_eq!(excel_serial(f64::NAN, false), None);
    }

    #[test]
    fn text_dates_of_metrics_md() {
        let exact = |t| match parse_text_date(t) {
            Some(TextDate::Exact(ts)) => Some(ts),
            _ => None,
        };
        assert_eq!(exact("2023-07-03"), Some(at(2023, 7, 3, 0, 0)));
        assert_eq!(exact("2023-07-03 14:22"), Some(at(2023, 7, 3, 14, 22)));
        assert_eq!(exact("2023-07-03T14:22:05"), Some(at(2023, 7, 3, 14, 22) + 5));
        assert_eq!(parse_text_date("3-7-2023"), Some(TextDate::Ambiguous { a: 3, b: 7, year: 2023, secs: 0 }));
        assert_eq!(parse_text_date("23.07.2023 09:05"), Some(TextDate::DayFirstOnly { a: 23, b: 7, year: 2023, secs: 9 * 3600 + 300 }));
        assert_eq!(parse_text_date("7/23/2023"), Some(TextDate::MonthFirstOnly { a: 7, b: 23, year: 2023, secs: 0 }));
        assert_eq!(exact("07/07/2023"), Some(at(2023, 7, 7, 0, 0)));
        for bad in ["", "gisteren", "32-13-2023", "2023-02-30", "3-7", "1-2-3-4", "12:00", "3-7-2023 25:00"] {
            assert_eq!(parse_text_date(bad), None, "{bad}");
        }
    }
}
