//! Naive local date-times as seconds since 1970-01-01 00:00.
//!
//! Lead reports carry no time zone (metrics.md: "Times are local and naive"), so
//! neither does Dertien: a timestamp is the wall-clock reading, counted in
//! seconds, and a day is that count divided by 86 400. The calendar itself
//! (which dates exist, month lengths, month arithmetic) is jiff's civil
//! calendar; only the day numbers stored with each lead are Dertien's.

use jiff::civil::Date;
use jiff::Span;

pub const SECS_PER_DAY: i64 = 86_400;

const EPOCH: Date = jiff::civil::date(1970, 1, 1);

/// Days since 1970-01-01 of a date jiff checked.
fn day_number(date: Date) -> i64 {
    i64::from((date - EPOCH).get_days())
}

/// The date of a day number. jiff's calendar spans the years -9999 to 9999;
/// the import accepts only dates far inside it (`import::values`), so the
/// clamp at its ends is never met by a stored lead.
fn civil(day: i64) -> Date {
    let date = Span::new().try_days(day).ok().and_then(|span| EPOCH.checked_add(span).ok());
    date.unwrap_or(if day < 0 { Date::MIN } else { Date::MAX })
}

/// (year, month, day) of a day count since 1970-01-01.
pub fn civil_from_days(day: i64) -> (i32, u32, u32) {
    let date = civil(day);
    (i32::from(date.year()), date.month().unsigned_abs().into(), date.day().unsigned_abs().into())
}

/// A checked calendar date as days since 1970-01-01: `None` for 31 June or month 13.
pub fn date(year: i32, month: u32, day: u32) -> Option<i64> {
    let date = Date::new(i16::try_from(year).ok()?, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()?;
    Some(day_number(date))
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    let first = i16::try_from(year).ok().zip(i8::try_from(month).ok()).and_then(|(y, m)| Date::new(y, m, 1).ok());
    first.map_or(31, |date| date.days_in_month().unsigned_abs().into())
}

pub fn day_of(timestamp: i64) -> i64 {
    timestamp.div_euclid(SECS_PER_DAY)
}

/// Months since 1970-01: the key of the `month` dimension.
pub fn month_index(day: i64) -> i64 {
    let date = civil(day);
    i64::from(date.year()) * 12 + i64::from(date.month()) - 1 - 1970 * 12
}

pub fn format_day(day: i64) -> String {
    // jiff writes ISO 8601: 2023-09-30.
    civil(day).to_string()
}

/// (year, month) of a month index (months since 1970-01).
pub fn year_month(month_index: i64) -> (i64, u32) {
    let months = month_index + 1970 * 12;
    (months.div_euclid(12), (months.rem_euclid(12) + 1) as u32)
}

pub fn format_month(month_index: i64) -> String {
    let (year, month) = year_month(month_index);
    format!("{year:04}-{month:02}")
}

/// The same day `months` months later (earlier when negative), kept within
/// the month: 31 May minus three months is 28 or 29 February.
pub fn shift_months(day: i64, months: i64) -> i64 {
    let date = civil(day);
    // jiff adds months this way: the day is kept, or the month's last.
    let shifted = Span::new().try_months(months).ok().and_then(|span| date.checked_add(span).ok());
    shifted.map_or(day, day_number)
}

/// `YYYY-MM-DD`, or `YYYY-MM` meaning the month's first (`end = false`) or last day.
pub fn parse_iso_day(text: &str, end: bool) -> Option<i64> {
    let mut parts = text.trim().split('-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day = match parts.next() {
        Some(d) => d.parse().ok()?,
        None if end => days_in_month(year, month.clamp(1, 12)),
        None => 1,
    };
    if parts.next().is_some() {
        return None;
    }
    date(year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip_over_four_centuries() {
        for day in (-150_000..150_000).step_by(7) {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(date(y, m, d), Some(day));
        }
        assert_eq!(date(1970, 1, 1), Some(0));
        assert_eq!(date(1899, 12, 30), Some(-25_569), "Excel's epoch");
        assert_eq!(date(2024, 2, 29).map(format_day).as_deref(), Some("2024-02-29"));
        assert_eq!(format_day(-719_468), "0000-03-01");
    }

    #[test]
    fn months_shift_within_the_month() {
        let day = |y, m, d| date(y, m, d).unwrap_or(i64::MIN);
        assert_eq!(shift_months(day(2023, 5, 31), -3), day(2023, 2, 28));
        assert_eq!(shift_months(day(2024, 5, 31), -3), day(2024, 2, 29));
        assert_eq!(shift_months(day(2024, 2, 29), -12), day(2023, 2, 28), "29 February a year before");
        assert_eq!(shift_months(day(2023, 10, 15), 3), day(2024, 1, 15));
        assert_eq!(days_in_month(2023, 2), 28);
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(days_in_month(1900, 2), 28);
    }

    #[test]
    fn invalid_dates_are_refused() {
        assert_eq!(date(2023, 6, 31), None);
        assert_eq!(date(2023, 2, 29), None);
        assert_eq!(date(2023, 13, 1), None);
        assert!(date(2024, 2, 29).is_some());
    }

    #[test]
    fn months_and_cli_days() {
        let day = date(2023, 9, 30).unwrap_or(i64::MIN);
        assert_eq!(format_month(month_index(day)), "2023-09");
        assert_eq!(date(2023, 9, 1).map(month_index), Some(month_index(day)));
        assert_eq!(parse_iso_day("2023-09", true), Some(day));
        assert_eq!(parse_iso_day("2023-09", false), date(2023, 9, 1));
        assert_eq!(parse_iso_day("2023-9-31", false), None);
        assert_eq!(parse_iso_day("gisteren", false), None);
    }
}
