//! Dates as people write them in tables: ISO (`2024-03-05`, with an optional
//! time `T10:00` or ` 10:00:00`), `2024/03/05`, day and month in either order
//! (`05/03/2024`, `05.03.2024`, `03-05-2024`) and month names (`Mar 5, 2024`,
//! `5 March 2024`). A column is a date column only if every present cell reads
//! as one, and its day/month order is decided once for the whole column from
//! the values.
//!
//! Dates are stored as `f32` days since 1970-01-01 (the time of day as the
//! fraction): exact for whole days for ±45,000 years, and to about three
//! minutes for times of day in this century, which is enough for the year,
//! month and weekday a model gets from them.

/// Which of the first two numbers of `05/03/2024` is the day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DayOrder {
    DayFirst,
    MonthFirst,
}

/// A cell's date fields before the day/month order is known.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Fields {
    year: i32,
    /// Month then day when `ordered`; else the first and second number as written.
    first: u32,
    second: u32,
    ordered: bool,
    /// Seconds since midnight.
    seconds: f64,
}

/// A column's cells read as dates, or `None` if any present cell is not one
/// or the cells disagree on the day/month order. `present` tells which cells
/// hold a value. Returns the days since 1970-01-01 (`NaN` where absent) and,
/// when the day/month order could not be told from the values (and month
/// first was assumed), a cell that reads either way.
pub(super) fn parse_column(cells: &[&str], present: impl Fn(usize) -> bool) -> Option<(Vec<f32>, Option<String>)> {
    let mut fields = Vec::with_capacity(cells.len());
    let (mut day_first, mut month_first, mut ambiguous) = (false, false, None);
    for (row, cell) in cells.iter().enumerate() {
        if !present(row) {
            fields.push(None);
            continue;
        }
        let f = fields_of(cell)?;
        if !f.ordered {
            day_first |= f.first > 12;
            month_first |= f.second > 12;
            ambiguous.get_or_insert(row);
        }
        fields.push(Some(f));
    }
    let (order, note) = match (day_first, month_first) {
        (true, true) => return None,
        (true, false) => (DayOrder::DayFirst, None),
        (false, true) => (DayOrder::MonthFirst, None),
        (false, false) => (DayOrder::MonthFirst, ambiguous.map(|row| cells[row].to_owned())),
    };
    if fields.iter().all(Option::is_none) {
        return None;
    }
    let days = fields
        .into_iter()
        .map(|f| match f {
            None => Some(f32::NAN),
            Some(f) => {
                let (month, day) = match (f.ordered, order) {
                    (true, _) | (false, DayOrder::MonthFirst) => (f.first, f.second),
                    (false, DayOrder::DayFirst) => (f.second, f.first),
                };
                valid(f.year, month, day).then(|| (days_from_civil(f.year, month, day) as f64 + f.seconds / 86_400.0) as f32)
            }
        })
        .collect::<Option<Vec<f32>>>()?;
    Some((days, note))
}

/// Whether the first present cell could be a date: a cheap test that spares
/// text columns the full parse.
pub(super) fn could_be_date(cell: &str) -> bool {
    fields_of(cell).is_some()
}

fn fields_of(cell: &str) -> Option<Fields> {
    let cell = cell.trim();
    if cell.len() > 40 {
        return None;
    }
    numeric_date(cell).or_else(|| named_month_date(cell))
}

/// `2024-03-05[ T]10:00[:00[.123]][Z]`, `2024/03/05`, `05/03/2024`, `05.03.2024`, `03-05-2024`.
fn numeric_date(cell: &str) -> Option<Fields> {
    let (date, time) = match cell.split_once(['T', ' ']) {
        Some((date, time)) => (date, Some(time)),
        None => (cell, None),
    };
    let separator = date.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    let parts: Vec<&str> = date.split(separator).collect();
    let [a, b, c] = parts.as_slice() else { return None };
    let digits = |s: &str, lens: &[usize]| lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    let seconds = match time {
        Some(time) => time_of_day(time)?,
        None => 0.0,
    };
    if digits(a, &[4]) && digits(b, &[1, 2]) && digits(c, &[1, 2]) && separator != '.' {
        Some(Fields { year: a.parse().ok()?, first: b.parse().ok()?, second: c.parse().ok()?, ordered: true, seconds })
    } else if digits(a, &[1, 2]) && digits(b, &[1, 2]) && digits(c, &[4]) {
        Some(Fields { year: c.parse().ok()?, first: a.parse().ok()?, second: b.parse().ok()?, ordered: false, seconds })
    } else {
        None
    }
}

/// `10:00`, `10:00:00`, `10:00:00.5`, each with an optional `Z`: seconds since midnight.
fn time_of_day(time: &str) -> Option<f64> {
    let time = time.strip_suffix('Z').unwrap_or(time);
    let mut parts = time.split(':');
    let hours: u32 = two_digits(parts.next()?)?;
    let minutes: u32 = two_digits(parts.next()?)?;
    let seconds: f64 = match parts.next() {
        Some(s) => {
            let (whole, fraction) = s.split_once('.').unwrap_or((s, "0"));
            if !fraction.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            f64::from(two_digits(whole)?) + format!("0.{fraction}").parse::<f64>().ok()?
        }
        None => 0.0,
    };
    if parts.next().is_some() || hours > 23 || minutes > 59 || seconds >= 61.0 {
        return None;
    }
    Some(f64::from(hours * 3600 + minutes * 60) + seconds)
}

fn two_digits(s: &str) -> Option<u32> {
    (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// `Mar 5, 2024`, `March 5 2024`, `5 Mar 2024`, `5 March, 2024` (any case).
fn named_month_date(cell: &str) -> Option<Fields> {
    let words: Vec<&str> = cell.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    let [a, b, year] = words.as_slice() else { return None };
    let (month, day) = match (month_number(a), month_number(b)) {
        (Some(m), None) => (m, b),
        (None, Some(m)) => (m, a),
        _ => return None,
    };
    let day: u32 = (day.len() <= 2 && day.bytes().all(|b| b.is_ascii_digit())).then(|| day.parse().ok()).flatten()?;
    let year: i32 = (year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit())).then(|| year.parse().ok()).flatten()?;
    Some(Fields { year, first: month, second: day, ordered: true, seconds: 0.0 })
}

/// 1–12 for a month's name or its three-letter abbreviation (with an optional dot).
fn month_number(word: &str) -> Option<u32> {
    let lower = word.strip_suffix('.').unwrap_or(word).to_ascii_lowercase();
    if lower.len() < 3 {
        return None;
    }
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let index = MONTHS.iter().position(|m| lower.starts_with(m))?;
    (lower.len() == 3 || NAMES[index] == lower || (index == 8 && lower == "sept")).then_some(index as u32 + 1)
}

fn valid(year: i32, month: u32, day: u32) -> bool {
    (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub(super) fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Year, month (1–12) and day of a day count since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// The parts of a date a model learns from: year, month (1–12) and weekday
/// (0 = Monday … 6 = Sunday), from days since 1970-01-01 (a Thursday).
pub fn date_parts(days: f32) -> [f32; 3] {
    let whole = days.floor() as i64;
    let (year, month, _) = civil_from_days(whole);
    [year as f32, month as f32, (whole + 3).rem_euclid(7) as f32]
}

/// `2024-03-05`, or `2024-03-05 10:30` with a time of day: how a stored
/// date is shown as a category, and read back the same. Minutes, because an
/// `f32` day count of this century holds the time of day to about three minutes.
pub fn format_date(days: f32) -> String {
    let whole = days.floor();
    let minutes = ((f64::from(days) - f64::from(whole)) * 1440.0).round() as i64;
    let (year, month, day) = civil_from_days(whole as i64 + minutes / 1440);
    match minutes % 1440 {
        0 => format!("{year:04}-{month:02}-{day:02}"),
        m => format!("{year:04}-{month:02}-{day:02} {:02}:{:02}", m / 60, m % 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(cells: &[&str]) -> Option<(Vec<f32>, Option<String>)> {
        parse_column(cells, |row| !cells[row].is_empty())
    }

    fn day(year: i32, month: u32, day: u32) -> f32 {
        days_from_civil(year, month, day) as f32
    }

    #[test]
    fn day_counts_are_the_calendar() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        // 2024-03-05: 54 years of days (13 leap years in 1972..=2020) + 64 days into 2024.
        assert_eq!(days_from_civil(2024, 3, 5), 54 * 365 + 13 + 31 + 29 + 4);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        for days in [-800_000, -1, 0, 59, 11_017, 19_787, 2_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y as i32, m, d), days);
        }
    }

    #[test]
    fn iso_dates_and_times() {
        let (days, note) =
            column(&["2024-03-05", "2024-03-05T10:00", "2024-03-05 10:00:00", "", "2024-03-05T06:00:00.5Z"]).unwrap();
        assert_eq!(note, None);
        assert_eq!(days[0], day(2024, 3, 5));
        assert_eq!(days[1], (f64::from(day(2024, 3, 5)) + 10.0 / 24.0) as f32);
        assert_eq!(days[2], days[1]);
        assert!(days[3].is_nan());
        assert!((days[4] - day(2024, 3, 5) - 0.25).abs() < 0.01);
        assert_eq!(column(&["2024/03/05"]).unwrap().0, [day(2024, 3, 5)]);
    }

    #[test]
    fn day_first_or_month_first_from_the_values() {
        // 25 can only be a day: the whole column is day/month/year.
        let (days, note) = column(&["05/03/2024", "25/12/2023"]).unwrap();
        assert_eq!(days, [day(2024, 3, 5), day(2023, 12, 25)]);
        assert_eq!(note, None);
        let (days, note) = column(&["03/05/2024", "12/25/2023"]).unwrap();
        assert_eq!(days, [day(2024, 3, 5), day(2023, 12, 25)]);
        assert_eq!(note, None);
        // German dots, day first.
        assert_eq!(column(&["05.03.2024", "31.01.2024"]).unwrap().0, [day(2024, 3, 5), day(2024, 1, 31)]);
        // Either way: month first is assumed, and said.
        let (days, note) = column(&["05/03/2024", "01/02/2024"]).unwrap();
        assert_eq!(days[0], day(2024, 5, 3));
        assert_eq!(note.as_deref(), Some("05/03/2024"));
        // Both a day-first and a month-first value: not one date format.
        assert_eq!(column(&["25/12/2023", "12/25/2023"]), None);
    }

    #[test]
    fn month_names() {
        let (days, _) = column(&["Mar 5, 2024", "March 5 2024", "5 Mar 2024", "5 march, 2024", "Sept 1, 2024"]).unwrap();
        assert_eq!(days[..4], [day(2024, 3, 5); 4]);
        assert_eq!(days[4], day(2024, 9, 1));
    }

    #[test]
    fn not_dates() {
        for cells in [
            &["2024-02-30"][..],
            &["2024-13-01"],
            &["2024-03"],
            &["12/05"],
            &["05/03/24"],
            &["1.5.2"],
            &["2024-03-05", "soon"],
            &["May be", "x"],
            &["2024-03-05T25:00"],
            &["Mar 5"],
            &[""],
        ] {
            assert_eq!(column(cells), None, "{cells:?}");
        }
        assert!(column(&["2024-02-29"]).is_some(), "leap day");
        assert!(column(&["2023-02-29"]).is_none());
    }

    #[test]
    fn parts_and_format() {
        // 2024-03-05 was a Tuesday.
        assert_eq!(date_parts(day(2024, 3, 5)), [2024.0, 3.0, 1.0]);
        assert_eq!(date_parts(0.0), [1970.0, 1.0, 3.0], "a Thursday");
        assert_eq!(date_parts(day(1969, 12, 28)), [1969.0, 12.0, 6.0], "a Sunday");
        assert_eq!(format_date(day(2024, 3, 5)), "2024-03-05");
        assert_eq!(format_date(day(2024, 3, 5) + 0.5), "2024-03-05 12:00");
        assert_eq!(format_date(day(2024, 3, 5) + 0.9999), "2024-03-06", "rounds into the next day");
        for text in ["2024-03-05", "1999-12-31", "2024-03-05 12:00", "2024-03-05 05:07"] {
            let (days, _) = column(&[text]).unwrap();
            assert_eq!(format_date(days[0]), text);
        }
    }
}
