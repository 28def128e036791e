//! Birth dates (spec v1, "Birth date").
//!
//! The declared format uses chrono's `strftime` syntax, but only a strict
//! subset of it, read by pprl itself: chrono's parser is lenient in ways
//! that would let damaged values through as other dates. With `%Y%m%d` it
//! reads the seven digits `1945043` as 1945-04-03; with `%Y-%m-%d` it reads
//! `45-04-03` as the year 45 and accepts `1945-4-3` and `+1945-04-03`.
//! Here every specifier takes a fixed number of digits, so a value either
//! has the shape of the format or is [`Invalid::Format`], and a value with
//! the right shape that is no calendar date is [`Invalid::ImpossibleDate`].
//!
//! | specifier | reads                                             |
//! |-----------|---------------------------------------------------|
//! | `%Y`      | exactly four digits                               |
//! | `%m`      | exactly two digits                                |
//! | `%d`      | exactly two digits                                |
//! | `%-m`     | one or two digits                                 |
//! | `%-d`     | one or two digits                                 |
//! | `%b`, `%h`| an English three-letter month abbreviation        |
//! | `%B`      | an English month name, or its three-letter form   |
//! | `%F`      | the same as `%Y-%m-%d`                            |
//! | `%%`      | a literal `%`                                     |
//!
//! Any other character of the format must appear in the value as is.

use chrono::{Datelike, NaiveDate};

use super::placeholder::{is_missing_marker, DATE_PLACEHOLDERS};
use super::{NormalizeOptions, Raw};
use crate::field::Invalid;

/// One element of a date format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    /// A byte that must appear as is.
    Literal(u8),
    /// `%Y`.
    Year,
    /// `%m` (`loose: false`) or `%-m`.
    Month { loose: bool },
    /// `%d` or `%-d`.
    Day { loose: bool },
    /// `%b`/`%h` (`long: false`) or `%B`.
    MonthName { long: bool },
    /// Anything else after `%`: the specifier byte, 0 for a lone `%`.
    Unsupported(u8),
}

impl Item {
    fn is_numeric(self) -> bool {
        matches!(self, Item::Year | Item::Month { .. } | Item::Day { .. })
    }
}

/// The items of a format, with `%F` expanded.
struct Items<'f> {
    fmt: &'f [u8],
    pending: &'static [Item],
}

const ISO_TAIL: &[Item] = &[
    Item::Literal(b'-'),
    Item::Month { loose: false },
    Item::Literal(b'-'),
    Item::Day { loose: false },
];

impl<'f> Items<'f> {
    fn new(fmt: &'f str) -> Self {
        Items {
            fmt: fmt.as_bytes(),
            pending: &[],
        }
    }
}

impl Iterator for Items<'_> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        if let Some((&item, rest)) = self.pending.split_first() {
            self.pending = rest;
            return Some(item);
        }
        let (&b, rest) = self.fmt.split_first()?;
        self.fmt = rest;
        if b != b'%' {
            return Some(Item::Literal(b));
        }

        let (&spec, rest) = self.fmt.split_first().unwrap_or((&0, &[]));
        self.fmt = rest;
        let item = match spec {
            b'Y' => Item::Year,
            b'm' => Item::Month { loose: false },
            b'd' => Item::Day { loose: false },
            b'b' | b'h' => Item::MonthName { long: false },
            b'B' => Item::MonthName { long: true },
            b'%' => Item::Literal(b'%'),
            b'F' => {
                self.pending = ISO_TAIL;
                Item::Year
            }
            b'-' => self.loose(),
            other => Item::Unsupported(other),
        };
        Some(item)
    }
}

impl Items<'_> {
    /// The item after `%-`.
    fn loose(&mut self) -> Item {
        let (&spec, rest) = self.fmt.split_first().unwrap_or((&0, &[]));
        self.fmt = rest;
        match spec {
            b'm' => Item::Month { loose: true },
            b'd' => Item::Day { loose: true },
            _ => Item::Unsupported(b'-'),
        }
    }
}

/// Checks that a birth-date format has exactly one year, one month and one
/// day, and nothing pprl cannot read strictly.
///
/// # Errors
/// A message naming the problem: a missing or repeated field, a two-digit
/// year (`%y` cannot tell 1925 from 2025), a time or weekday field, or an
/// ambiguous layout such as `%-m%-d`.
pub fn check_format(fmt: &str) -> Result<(), String> {
    let (mut years, mut months, mut days) = (0, 0, 0);
    let mut previous: Option<Item> = None;
    for item in Items::new(fmt) {
        match item {
            Item::Year => years += 1,
            Item::Month { .. } | Item::MonthName { .. } => months += 1,
            Item::Day { .. } => days += 1,
            Item::Literal(_) => {}
            Item::Unsupported(spec) => return Err(unsupported(spec)),
        }
        if let Some(prev) = previous {
            check_adjacent(prev, item)?;
        }
        previous = Some(item);
    }

    for (count, what) in [
        (years, "year (%Y)"),
        (months, "month (%m)"),
        (days, "day (%d)"),
    ] {
        match count {
            0 => return Err(format!("date format has no {what}")),
            1 => {}
            _ => return Err(format!("date format has more than one {what}")),
        }
    }
    Ok(())
}

/// Rejects neighbours that make a value ambiguous: a one-or-two-digit
/// field followed by digits, or a month name followed by a letter.
fn check_adjacent(prev: Item, next: Item) -> Result<(), String> {
    let loose = matches!(
        prev,
        Item::Month { loose: true } | Item::Day { loose: true }
    );
    let digit_next = next.is_numeric() || matches!(next, Item::Literal(b) if b.is_ascii_digit());
    if loose && digit_next {
        return Err("date format is ambiguous: %-m or %-d is followed directly by digits".into());
    }
    let letter_next = matches!(next, Item::MonthName { .. })
        || matches!(next, Item::Literal(b) if b.is_ascii_alphabetic());
    if matches!(prev, Item::MonthName { .. }) && letter_next {
        return Err(
            "date format is ambiguous: a month name is followed directly by letters".into(),
        );
    }
    Ok(())
}

/// The configuration message for an unsupported specifier.
fn unsupported(spec: u8) -> String {
    let shown = if spec.is_ascii_graphic() {
        format!("%{}", spec as char)
    } else {
        "%".into()
    };
    let why = match spec {
        b'y' | b'C' | b'D' | b'x' | b'G' | b'g' => "two-digit or week-based years are ambiguous",
        b'H' | b'I' | b'k' | b'l' | b'M' | b'S' | b'f' | b'p' | b'P' | b'T' | b'R' | b'r'
        | b'X' | b's' | b'z' | b'Z' | b':' | b'.' | b'c' | b'+' => {
            "a birth date has no time fields"
        }
        b'a' | b'A' | b'u' | b'w' | b'U' | b'W' | b'V' | b'j' => {
            "weekday, week and day-of-year fields are not read"
        }
        _ => "it is not supported",
    };
    format!(
        "date format specifier {shown} cannot be used ({why}); \
         use %Y, %m, %d, %-m, %-d, %b, %B, %F and literal text"
    )
}

/// Normalizes a birth date to `YYYY-MM-DD`.
///
/// Text is read with `opts.date_format`. An integer is read as its decimal
/// text, so a Parquet integer column `19450403` and the text `19450403`
/// agree. With `opts.excel_serial_dates`, an all-digit value of one to five
/// digits that does not fit the format is an Excel serial day number.
///
/// # Errors
/// [`Invalid::Missing`], [`Invalid::Placeholder`], [`Invalid::Format`],
/// [`Invalid::ImpossibleDate`], [`Invalid::TooOld`] (before 1900-01-01) or
/// [`Invalid::FutureDate`] (after `opts.as_of`).
pub fn birth_date(raw: Raw<'_>, opts: &NormalizeOptions) -> Result<String, Invalid> {
    super::owned(|out| birth_date_into(raw, opts, out))
}

/// [`birth_date`] into `out`, which must be empty.
pub(crate) fn birth_date_into(
    raw: Raw<'_>,
    opts: &NormalizeOptions,
    out: &mut String,
) -> Result<(), Invalid> {
    let date = match raw {
        Raw::Date(date) => date,
        Raw::Text(text) => from_text(text, opts)?,
        Raw::Int(n) if n >= 0 => from_text(&n.to_string(), opts)?,
        Raw::Int(_) => return Err(Invalid::Format),
    };
    check_range(date, opts.as_of)?;
    push_iso(date, out);
    Ok(())
}

/// Appends `YYYY-MM-DD`, for a year in 0..=9999 (as [`check_range`]
/// ensures).
fn push_iso(date: NaiveDate, out: &mut String) {
    let digit = |n: u32, place: u32| char::from(b'0' + (n / place % 10) as u8);
    let (y, m, d) = (date.year().unsigned_abs(), date.month(), date.day());
    out.extend([1000, 100, 10, 1].map(|p| digit(y, p)));
    out.push('-');
    out.extend([10, 1].map(|p| digit(m, p)));
    out.push('-');
    out.extend([10, 1].map(|p| digit(d, p)));
}

fn from_text(text: &str, opts: &NormalizeOptions) -> Result<NaiveDate, Invalid> {
    let text = super::trim(text);
    if text.is_empty() {
        return Err(Invalid::Missing);
    }
    if is_missing_marker(text) {
        return Err(Invalid::Placeholder);
    }
    match parse(text, &opts.date_format) {
        Err(Invalid::Format) if opts.excel_serial_dates && is_serial(text) => excel_serial(text),
        other => other,
    }
}

/// Placeholders first, so that 1900-01-01 and 9999-12-31 count as
/// placeholders rather than as too old or in the future.
fn check_range(date: NaiveDate, as_of: NaiveDate) -> Result<(), Invalid> {
    let ymd = (date.year(), date.month(), date.day());
    if DATE_PLACEHOLDERS.binary_search(&ymd).is_ok() {
        return Err(Invalid::Placeholder);
    }
    if ymd < (1900, 1, 1) {
        return Err(Invalid::TooOld);
    }
    // The output has a four-digit year whatever `as_of` says.
    if date > as_of || ymd.0 > 9999 {
        return Err(Invalid::FutureDate);
    }
    Ok(())
}

/// Reads `text` with `fmt` (see the module docs for the rules).
fn parse(text: &str, fmt: &str) -> Result<NaiveDate, Invalid> {
    let mut input = text.as_bytes();
    let (mut year, mut month, mut day) = (None, None, None);
    for item in Items::new(fmt) {
        match item {
            Item::Literal(b) => {
                input = input.strip_prefix(&[b][..]).ok_or(Invalid::Format)?;
            }
            Item::Year => year = Some(digits(&mut input, 4, 4)?),
            Item::Month { loose } => month = Some(digits(&mut input, 1 + !loose as usize, 2)?),
            Item::Day { loose } => day = Some(digits(&mut input, 1 + !loose as usize, 2)?),
            Item::MonthName { long } => month = Some(month_name(&mut input, long)?),
            Item::Unsupported(_) => return Err(Invalid::Format),
        }
    }
    if !input.is_empty() && !is_midnight(input) {
        return Err(Invalid::Format);
    }

    let (Some(y), Some(m), Some(d)) = (year, month, day) else {
        return Err(Invalid::Format);
    };
    // All-zero and all-nine dates (0000-00-00 from MySQL, 99/99/9999) are
    // fillers, not typing errors.
    if (y, m, d) == (0, 0, 0) || (y, m, d) == (9999, 99, 99) {
        return Err(Invalid::Placeholder);
    }
    NaiveDate::from_ymd_opt(y as i32, m, d).ok_or(Invalid::ImpossibleDate)
}

/// Takes `min..=max` leading ASCII digits as a number.
fn digits(input: &mut &[u8], min: usize, max: usize) -> Result<u32, Invalid> {
    let n = input
        .iter()
        .take(max)
        .take_while(|b| b.is_ascii_digit())
        .count();
    if n < min {
        return Err(Invalid::Format);
    }
    let value = input[..n]
        .iter()
        .fold(0, |acc, b| acc * 10 + u32::from(b - b'0'));
    *input = &input[n..];
    Ok(value)
}

const MONTHS: [&str; 12] = [
    "JANUARY",
    "FEBRUARY",
    "MARCH",
    "APRIL",
    "MAY",
    "JUNE",
    "JULY",
    "AUGUST",
    "SEPTEMBER",
    "OCTOBER",
    "NOVEMBER",
    "DECEMBER",
];

/// Takes a run of ASCII letters naming a month, in any case: its first
/// three letters, or (when `long`) the full English name.
fn month_name(input: &mut &[u8], long: bool) -> Result<u32, Invalid> {
    let n = input.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let word = &input[..n];
    let found = MONTHS.iter().position(|name| {
        let name = name.as_bytes();
        word.eq_ignore_ascii_case(&name[..3]) || (long && word.eq_ignore_ascii_case(name))
    });
    let month = found.ok_or(Invalid::Format)?;
    *input = &input[n..];
    Ok(month as u32 + 1)
}

/// True for a midnight time after the date, as database and spreadsheet
/// exports write it: a space or `T`, then `0:00` or `00:00`, optionally
/// `:00`, optionally a fraction of zeros. Any other time is rejected: a
/// birth date stored as a timestamp may have been shifted by a time zone.
fn is_midnight(rest: &[u8]) -> bool {
    let Some(rest) = rest.strip_prefix(b" ").or_else(|| rest.strip_prefix(b"T")) else {
        return false;
    };
    let rest = rest.strip_prefix(b"00").or_else(|| rest.strip_prefix(b"0"));
    let Some(rest) = rest.and_then(|r| r.strip_prefix(b":00")) else {
        return false;
    };
    let Some(rest) = rest.strip_prefix(b":00") else {
        return rest.is_empty();
    };
    match rest.strip_prefix(b".") {
        None => rest.is_empty(),
        Some(frac) => !frac.is_empty() && frac.iter().all(|&b| b == b'0'),
    }
}

/// One to five ASCII digits: serials up to 99999 (2173-10-14) cover every
/// birth date, and longer digit runs are more likely damaged dates.
fn is_serial(text: &str) -> bool {
    (1..=5).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())
}

/// An Excel 1900-system serial day number. Serial 1 is 1900-01-01. Excel
/// copied Lotus 1-2-3 in treating 1900 as a leap year, so serial 60 is the
/// fictitious 1900-02-29 and every later serial is one day ahead of a true
/// day count (Microsoft KB 214326, "Excel incorrectly assumes that the year
/// 1900 is a leap year").
fn excel_serial(text: &str) -> Result<NaiveDate, Invalid> {
    let serial: i64 = text.parse().map_err(|_| Invalid::Format)?;
    let epoch = match serial {
        0 => return Err(Invalid::Format),
        60 => return Err(Invalid::ImpossibleDate),
        1..=59 => NaiveDate::from_ymd_opt(1899, 12, 31),
        _ => NaiveDate::from_ymd_opt(1899, 12, 30),
    };
    epoch
        .and_then(|e| e.checked_add_signed(chrono::TimeDelta::days(serial)))
        .ok_or(Invalid::Format)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn opts(fmt: &str) -> NormalizeOptions {
        NormalizeOptions {
            date_format: fmt.into(),
            ..NormalizeOptions::new(date(2026, 1, 1))
        }
    }

    fn excel(fmt: &str) -> NormalizeOptions {
        NormalizeOptions {
            excel_serial_dates: true,
            ..opts(fmt)
        }
    }

    fn iso(s: &str) -> Result<String, Invalid> {
        birth_date(Raw::Text(s), &opts("%Y-%m-%d"))
    }

    fn with(fmt: &str, s: &str) -> Result<String, Invalid> {
        birth_date(Raw::Text(s), &opts(fmt))
    }

    fn ok(s: &str) -> Result<String, Invalid> {
        Ok(s.to_string())
    }

    #[test]
    fn iso_date_parsed() {
        assert_eq!(iso("1945-04-03"), ok("1945-04-03"));
        assert_eq!(iso(" 1980-01-15\t"), ok("1980-01-15"));
    }

    #[test]
    fn declared_formats_parsed() {
        assert_eq!(with("%m/%d/%Y", "04/03/1945"), ok("1945-04-03"));
        assert_eq!(with("%d.%m.%Y", "03.04.1945"), ok("1945-04-03"));
        assert_eq!(with("%Y%m%d", "19450403"), ok("1945-04-03"));
        assert_eq!(with("%F", "1945-04-03"), ok("1945-04-03"));
        assert_eq!(with("%-m/%-d/%Y", "4/3/1945"), ok("1945-04-03"));
        assert_eq!(with("%-m/%-d/%Y", "12/31/1945"), ok("1945-12-31"));
        assert_eq!(with("%d %b %Y", "03 apr 1945"), ok("1945-04-03"));
        assert_eq!(with("%d-%b-%Y", "03-APR-1945"), ok("1945-04-03"));
        assert_eq!(with("%B %d, %Y", "April 03, 1945"), ok("1945-04-03"));
        assert_eq!(with("%B %d, %Y", "Apr 03, 1945"), ok("1945-04-03"));
        assert_eq!(with("%Y%%%m%%%d", "1945%04%03"), ok("1945-04-03"));
    }

    #[test]
    fn impossible_date_feb_30_rejected() {
        assert_eq!(iso("1945-02-30"), Err(Invalid::ImpossibleDate));
        assert_eq!(iso("1945-02-29"), Err(Invalid::ImpossibleDate));
        assert_eq!(iso("1944-02-29"), ok("1944-02-29"));
    }

    #[test]
    fn impossible_month_13_rejected() {
        assert_eq!(iso("1945-13-01"), Err(Invalid::ImpossibleDate));
        assert_eq!(iso("1945-00-10"), Err(Invalid::ImpossibleDate));
        assert_eq!(with("%Y%m%d", "19450493"), Err(Invalid::ImpossibleDate));
        assert_eq!(with("%Y%m%d", "19451301"), Err(Invalid::ImpossibleDate));
    }

    #[test]
    fn compact_format_rejects_7_and_9_digits() {
        assert_eq!(with("%Y%m%d", "1945043"), Err(Invalid::Format));
        assert_eq!(with("%Y%m%d", "194504031"), Err(Invalid::Format));
    }

    #[test]
    fn chrono_alone_is_lenient() {
        // Why pprl reads formats itself: chrono accepts all of these.
        let lenient = [
            ("1945043", "%Y%m%d"),
            ("1945-4-3", "%Y-%m-%d"),
            ("45-04-03", "%Y-%m-%d"),
            ("+1945-04-03", "%Y-%m-%d"),
            ("1945- 04-03", "%Y-%m-%d"),
        ];
        for (s, fmt) in lenient {
            assert!(NaiveDate::parse_from_str(s, fmt).is_ok(), "{s} {fmt}");
            assert_eq!(with(fmt, s), Err(Invalid::Format), "{s} {fmt}");
        }
    }

    #[test]
    fn single_digit_month_needs_loose_specifier() {
        assert_eq!(iso("1945-4-03"), Err(Invalid::Format));
        assert_eq!(iso("1945-04-3"), Err(Invalid::Format));
        assert_eq!(with("%Y-%-m-%-d", "1945-4-3"), ok("1945-04-03"));
    }

    #[test]
    fn year_must_have_four_digits() {
        assert_eq!(iso("45-04-03"), Err(Invalid::Format));
        assert_eq!(iso("01945-04-03"), Err(Invalid::Format));
    }

    #[test]
    fn wrong_separator_or_trailing_text_is_format() {
        for s in [
            "1945/04/03",
            "1945-04-03x",
            "April 3 1945",
            "19450403",
            "1945-04",
        ] {
            assert_eq!(iso(s), Err(Invalid::Format), "{s}");
        }
        assert_eq!(with("%d %b %Y", "03 Foo 1945"), Err(Invalid::Format));
        assert_eq!(with("%d %b %Y", "03 April 1945"), Err(Invalid::Format));
    }

    #[test]
    fn midnight_time_suffix_accepted() {
        for s in [
            "1945-04-03 00:00:00",
            "1945-04-03T00:00:00",
            "1945-04-03 0:00",
            "1945-04-03 00:00:00.000",
        ] {
            assert_eq!(iso(s), ok("1945-04-03"), "{s}");
        }
        assert_eq!(with("%-m/%-d/%Y", "4/3/1945 0:00"), ok("1945-04-03"));
    }

    #[test]
    fn other_time_suffix_rejected() {
        for s in [
            "1945-04-03 23:00:00",
            "1945-04-03 00:00:01",
            "1945-04-03 00:00:00Z",
            "1945-04-03 00",
        ] {
            assert_eq!(iso(s), Err(Invalid::Format), "{s}");
        }
    }

    #[test]
    fn empty_date_is_missing() {
        assert_eq!(iso(""), Err(Invalid::Missing));
        assert_eq!(iso("  "), Err(Invalid::Missing));
    }

    #[test]
    fn date_markers_are_placeholders() {
        for s in ["NULL", "n/a", "#N/A", "?"] {
            assert_eq!(iso(s), Err(Invalid::Placeholder), "{s}");
        }
    }

    #[test]
    fn zero_and_nine_dates_are_placeholders() {
        assert_eq!(iso("0000-00-00"), Err(Invalid::Placeholder));
        assert_eq!(with("%m/%d/%Y", "99/99/9999"), Err(Invalid::Placeholder));
        assert_eq!(with("%m/%d/%Y", "00/00/0000"), Err(Invalid::Placeholder));
    }

    #[test]
    fn placeholder_dates_rejected() {
        for s in [
            "1900-01-01",
            "1901-01-01",
            "1800-01-01",
            "1899-12-31",
            "1753-01-01",
            "9999-12-31",
            "0001-01-01",
        ] {
            assert_eq!(iso(s), Err(Invalid::Placeholder), "{s}");
        }
    }

    #[test]
    fn unix_epoch_is_a_real_birth_date() {
        assert_eq!(iso("1970-01-01"), ok("1970-01-01"));
        assert_eq!(iso("2000-01-01"), ok("2000-01-01"));
    }

    #[test]
    fn future_date_rejected() {
        assert_eq!(iso("2026-01-02"), Err(Invalid::FutureDate));
        assert_eq!(iso("2026-01-01"), ok("2026-01-01"));
        assert_eq!(iso("9998-01-01"), Err(Invalid::FutureDate));
    }

    #[test]
    fn date_before_1900_too_old() {
        assert_eq!(iso("1899-05-05"), Err(Invalid::TooOld));
        assert_eq!(iso("1900-01-02"), ok("1900-01-02"));
    }

    #[test]
    fn date_value_used_as_is() {
        let o = opts("%d/%m/%Y");
        assert_eq!(
            birth_date(Raw::Date(date(1945, 4, 3)), &o),
            ok("1945-04-03")
        );
        assert_eq!(
            birth_date(Raw::Date(date(1900, 1, 1)), &o),
            Err(Invalid::Placeholder)
        );
        assert_eq!(
            birth_date(Raw::Date(date(2030, 1, 1)), &o),
            Err(Invalid::FutureDate)
        );
        assert_eq!(
            birth_date(Raw::Date(date(1850, 1, 2)), &o),
            Err(Invalid::TooOld)
        );
    }

    #[test]
    fn integer_read_as_digits_of_all_digit_format() {
        assert_eq!(
            birth_date(Raw::Int(19450403), &opts("%Y%m%d")),
            ok("1945-04-03")
        );
        assert_eq!(
            birth_date(Raw::Int(19450403), &opts("%Y-%m-%d")),
            Err(Invalid::Format)
        );
        assert_eq!(
            birth_date(Raw::Int(-19450403), &opts("%Y%m%d")),
            Err(Invalid::Format)
        );
        // A day-first integer that lost its leading zero is not repaired.
        assert_eq!(
            birth_date(Raw::Int(3041945), &opts("%d%m%Y")),
            Err(Invalid::Format)
        );
    }

    #[test]
    fn excel_serial_integer() {
        let o = excel("%Y-%m-%d");
        assert_eq!(birth_date(Raw::Int(25569), &o), ok("1970-01-01"));
        assert_eq!(birth_date(Raw::Int(36526), &o), ok("2000-01-01"));
        assert_eq!(birth_date(Raw::Int(44197), &o), ok("2021-01-01"));
    }

    #[test]
    fn excel_serial_text() {
        let o = excel("%m/%d/%Y");
        assert_eq!(birth_date(Raw::Text("25569"), &o), ok("1970-01-01"));
        assert_eq!(birth_date(Raw::Text("04/03/1945"), &o), ok("1945-04-03"));
        assert_eq!(birth_date(Raw::Text("123456"), &o), Err(Invalid::Format));
    }

    #[test]
    fn excel_serial_1900_leap_bug() {
        let o = excel("%Y-%m-%d");
        let serial = |n| birth_date(Raw::Int(n), &o);
        assert_eq!(serial(1), Err(Invalid::Placeholder)); // 1900-01-01
        assert_eq!(serial(2), ok("1900-01-02"));
        assert_eq!(serial(59), ok("1900-02-28"));
        assert_eq!(serial(60), Err(Invalid::ImpossibleDate));
        assert_eq!(serial(61), ok("1900-03-01"));
        assert_eq!(serial(0), Err(Invalid::Format));
    }

    #[test]
    fn excel_serial_off_rejects_integers() {
        assert_eq!(
            birth_date(Raw::Int(25569), &opts("%Y-%m-%d")),
            Err(Invalid::Format)
        );
        assert_eq!(iso("25569"), Err(Invalid::Format));
    }

    #[test]
    fn excel_serial_on_all_digit_format_prefers_format() {
        let o = excel("%Y%m%d");
        assert_eq!(birth_date(Raw::Int(19450403), &o), ok("1945-04-03"));
        assert_eq!(
            birth_date(Raw::Text("19451303"), &o),
            Err(Invalid::ImpossibleDate)
        );
        assert_eq!(birth_date(Raw::Text("25569"), &o), ok("1970-01-01"));
    }

    #[test]
    fn check_format_accepts_date_formats() {
        for f in [
            "%Y-%m-%d",
            "%F",
            "%m/%d/%Y",
            "%d.%m.%Y",
            "%Y%m%d",
            "%d %B %Y",
            "%-m/%-d/%Y",
            "%b %d %Y",
        ] {
            assert_eq!(check_format(f), Ok(()), "{f}");
        }
    }

    #[test]
    fn check_format_requires_year_month_day() {
        for f in ["%Y-%m", "%m/%d", "%d/%Y", "", "%Y-%m-%d %Y", "%F-%d"] {
            assert!(check_format(f).is_err(), "{f}");
        }
    }

    #[test]
    fn check_format_rejects_time_weekday_and_short_year() {
        for f in [
            "%Y-%m-%d %H:%M",
            "%Y-%m-%dT%T",
            "%a %Y-%m-%d",
            "%m/%d/%y",
            "%D",
            "%Y-%j",
            "%Y-%m-%d%",
        ] {
            assert!(check_format(f).is_err(), "{f}");
        }
        assert!(check_format("%m/%d/%y").unwrap_err().contains("two-digit"));
        assert!(check_format("%Y-%m-%d %H").unwrap_err().contains("time"));
        assert!(check_format("%A %Y-%m-%d").unwrap_err().contains("weekday"));
    }

    #[test]
    fn check_format_rejects_ambiguous_layouts() {
        assert!(check_format("%-m%-d%Y").is_err());
        assert!(check_format("%Y%-m%d").is_err());
        assert!(check_format("%d%bx%Y").is_err());
    }

    fn formats() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "%Y-%m-%d",
            "%m/%d/%Y",
            "%d.%m.%Y",
            "%Y%m%d",
            "%d %b %Y",
            "%B %d, %Y",
            "%-m/%-d/%Y",
        ])
    }

    proptest! {
        #[test]
        fn agrees_with_chrono_on_valid_dates(days in 0i64..(200 * 366), fmt in formats()) {
            let d = date(1900, 1, 2) + chrono::TimeDelta::days(days);
            let text = d.format(fmt).to_string();
            prop_assert_eq!(parse(&text, fmt), Ok(d));
            prop_assert_eq!(NaiveDate::parse_from_str(&text, fmt), Ok(d));
        }

        #[test]
        fn iso_normalizing_twice_equals_once(s in "[0-9]{4}-[0-9]{2}-[0-9]{2}|\\PC{0,12}") {
            if let Ok(once) = iso(&s) {
                prop_assert_eq!(iso(&once), Ok(once.clone()));
            }
        }

        #[test]
        fn date_never_panics(s in any::<String>(), n in any::<i64>(), fmt in "\\PC{0,10}") {
            for o in [opts(&fmt), excel(&fmt), excel("%Y%m%d")] {
                for raw in [Raw::Text(&s), Raw::Int(n)] {
                    if let Ok(out) = birth_date(raw, &o) {
                        prop_assert_eq!(out.len(), 10);
                        prop_assert!(out.is_ascii());
                    }
                }
            }
            let _ = check_format(&fmt);
        }
    }
}
