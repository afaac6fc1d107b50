//! Naive local date-times as seconds since 1970-01-01 00:00.
//!
//! Lead reports carry no time zone (metrics.md: "Times are local and naive"), so
//! neither does Dertien: a timestamp is the wall-clock reading, counted in
//! seconds, and a day is that count divided by 86 400. The civil-date
//! conversions are Howard Hinnant's `days_from_civil` / `civil_from_days`.

pub const SECS_PER_DAY: i64 = 86_400;

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month, day) of a day count since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// A checked calendar date: `None` for 31 June or month 13.
pub fn date(year: i32, month: u32, day: u32) -> Option<i64> {
    let valid = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
    valid.then(|| days_from_civil(year, month, day))
}

pub fn day_of(timestamp: i64) -> i64 {
    timestamp.div_euclid(SECS_PER_DAY)
}

/// Months since 1970-01: the key of the `month` dimension.
pub fn month_index(day: i64) -> i64 {
    let (y, m, _) = civil_from_days(day);
    i64::from(y) * 12 + i64::from(m) - 1 - 1970 * 12
}

pub fn format_day(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

pub fn format_month(month_index: i64) -> String {
    let months = month_index + 1970 * 12;
    format!("{:04}-{:02}", months.div_euclid(12), months.rem_euclid(12) + 1)
}

/// The same day `months` months later (earlier when negative), kept within
/// the month: 31 May minus three months is 28 or 29 February.
pub fn shift_months(day: i64, months: i64) -> i64 {
    let (year, month, d) = civil_from_days(day);
    let index = i64::from(year) * 12 + i64::from(month) - 1 + months;
    let (year, month) = (index.div_euclid(12) as i32, (index.rem_euclid(12) + 1) as u32);
    days_from_civil(year, month, d.min(days_in_month(year, month)))
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
            assert_eq!(days_from_civil(y, m, d), day);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(format_day(days_from_civil(2024, 2, 29)), "2024-02-29");
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
        let day = days_from_civil(2023, 9, 30);
        assert_eq!(format_month(month_index(day)), "2023-09");
        assert_eq!(month_index(days_from_civil(2023, 9, 1)), month_index(day));
        assert_eq!(parse_iso_day("2023-09", true), Some(day));
        assert_eq!(parse_iso_day("2023-09", false), Some(days_from_civil(2023, 9, 1)));
        assert_eq!(parse_iso_day("2023-9-31", false), None);
        assert_eq!(parse_iso_day("gisteren", false), None);
    }
}
