//! OpenToken's BirthDate attribute.
//!
//! Java accepts a value when it matches one fixed pattern *as written*
//! (no surrounding spaces), parses strictly with one of its listed formats,
//! and falls between 1910-01-01 and today inclusive. Slash and dash forms
//! with the year last are month-first; the dot form is day-first.
//!
//! Timestamps with a zone are converted to an instant and then to a date
//! in the JVM's default time zone. pprl fixes that zone to UTC, so
//! `1990-01-15T23:30:00-05:00` is 1990-01-16 on every machine (OpenToken's
//! Python port would say 1990-01-15).

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

use crate::field::Invalid;

/// The earliest birth date OpenToken accepts.
pub const MIN_BIRTH_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1910, 1, 1) {
    Some(d) => d,
    None => panic!("1910-01-01 is a valid date"),
};

/// Parses and range-checks a birth date; `as_of` stands in for "today".
///
/// # Errors
/// [`Invalid::Missing`] for a blank value, [`Invalid::Format`] for any
/// shape OpenToken does not parse, [`Invalid::ImpossibleDate`] for a
/// calendar-invalid date or time, [`Invalid::TooOld`] and
/// [`Invalid::FutureDate`] outside the accepted range.
pub(crate) fn birth_date(raw: &str, as_of: NaiveDate) -> Result<NaiveDate, Invalid> {
    if super::text::is_blank(raw) {
        return Err(Invalid::Missing);
    }
    let date = parse(raw.as_bytes())?;
    if date < MIN_BIRTH_DATE {
        return Err(Invalid::TooOld);
    }
    if date > as_of {
        return Err(Invalid::FutureDate);
    }
    Ok(date)
}

fn parse(b: &[u8]) -> Result<NaiveDate, Invalid> {
    match b.len() {
        10 => parse_plain(b),
        19.. if b[10] == b'T' => parse_timestamp(b),
        _ => Err(Invalid::Format),
    }
}

/// The ten-character forms: `yyyy-MM-dd`, `yyyy/MM/dd`, `MM/dd/yyyy`,
/// `MM-dd-yyyy`, `dd.MM.yyyy`. Mixed separators pass Java's pattern but
/// no format, so they are format errors too.
fn parse_plain(b: &[u8]) -> Result<NaiveDate, Invalid> {
    let (year, month, day) = match (b[4], b[7], b[2], b[5]) {
        (b'-', b'-', ..) | (b'/', b'/', ..) => (num(&b[0..4])?, num(&b[5..7])?, num(&b[8..10])?),
        (_, _, b'/', b'/') | (_, _, b'-', b'-') => {
            (num(&b[6..10])?, num(&b[0..2])?, num(&b[3..5])?)
        }
        (_, _, b'.', b'.') => (num(&b[6..10])?, num(&b[3..5])?, num(&b[0..2])?),
        _ => return Err(Invalid::Format),
    };
    ymd(year, month, day)
}

/// `yyyy-MM-ddTHH:mm:ss[.SSS](Z|±HH:MM)`; a timestamp without a zone
/// matches Java's pattern but none of its formats.
fn parse_timestamp(b: &[u8]) -> Result<NaiveDate, Invalid> {
    let sep_ok = b[4] == b'-' && b[7] == b'-' && b[13] == b':' && b[16] == b':';
    if !sep_ok {
        return Err(Invalid::Format);
    }
    let mut rest = &b[19..];
    if rest.first() == Some(&b'.') {
        if rest.len() < 4 {
            return Err(Invalid::Format);
        }
        num(&rest[1..4])?;
        rest = &rest[4..];
    }
    let offset_minutes = zone_offset(rest)?;

    let date = ymd(num(&b[0..4])?, num(&b[5..7])?, num(&b[8..10])?)?;
    let (h, m, s) = (num(&b[11..13])?, num(&b[14..16])?, num(&b[17..19])?);
    let time = NaiveTime::from_hms_opt(h, m, s).ok_or(Invalid::ImpossibleDate)?;
    let utc = NaiveDateTime::new(date, time) - Duration::minutes(offset_minutes);
    Ok(utc.date())
}

/// Minutes east of UTC for `Z` or `±HH:MM`.
fn zone_offset(z: &[u8]) -> Result<i64, Invalid> {
    match z {
        b"Z" => Ok(0),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let hours = num(&[*h1, *h2])?;
            let minutes = num(&[*m1, *m2])?;
            // Java gives no zone beyond ±23:59; reject rather than guess.
            if hours > 23 || minutes > 59 {
                return Err(Invalid::Format);
            }
            let total = i64::from(hours * 60 + minutes);
            Ok(if *sign == b'-' { -total } else { total })
        }
        _ => Err(Invalid::Format),
    }
}

fn ymd(year: u32, month: u32, day: u32) -> Result<NaiveDate, Invalid> {
    let year = i32::try_from(year).map_err(|_| Invalid::Format)?;
    NaiveDate::from_ymd_opt(year, month, day).ok_or(Invalid::ImpossibleDate)
}

/// ASCII digits to a number (Java's `\d` is ASCII-only).
fn num(digits: &[u8]) -> Result<u32, Invalid> {
    digits.iter().try_fold(0u32, |acc, &d| {
        if d.is_ascii_digit() {
            Ok(acc * 10 + u32::from(d - b'0'))
        } else {
            Err(Invalid::Format)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn as_of() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
    }

    fn ok(raw: &str) -> String {
        birth_date(raw, as_of()).unwrap().to_string()
    }

    #[test]
    fn accepted_forms() {
        assert_eq!(ok("1980-01-15"), "1980-01-15");
        assert_eq!(ok("1980/01/15"), "1980-01-15");
        assert_eq!(ok("01/15/1980"), "1980-01-15");
        assert_eq!(ok("01-15-1980"), "1980-01-15");
        assert_eq!(ok("15.01.1980"), "1980-01-15");
        assert_eq!(ok("1990-01-15T23:30:00Z"), "1990-01-15");
        assert_eq!(ok("1990-01-15T23:30:00.123+01:00"), "1990-01-15");
        assert_eq!(ok("1990-01-15T23:30:00-05:00"), "1990-01-16");
        assert_eq!(ok("1910-01-01"), "1910-01-01");
    }

    #[test]
    fn rejected_forms() {
        let err = |raw: &str| birth_date(raw, as_of()).unwrap_err();
        assert_eq!(err(""), Invalid::Missing);
        assert_eq!(err(" 1966-06-06 "), Invalid::Format);
        assert_eq!(err("19900115"), Invalid::Format);
        assert_eq!(err("1/5/1990"), Invalid::Format);
        assert_eq!(err("1980-01/15"), Invalid::Format);
        assert_eq!(err("15.01-1980"), Invalid::Format);
        assert_eq!(err("1990-01-15T23:30:00"), Invalid::Format);
        assert_eq!(err("02/30/1990"), Invalid::ImpossibleDate);
        assert_eq!(err("15-01-1980"), Invalid::ImpossibleDate);
        assert_eq!(err("1990-01-15T24:00:00Z"), Invalid::ImpossibleDate);
        assert_eq!(err("1909-12-31"), Invalid::TooOld);
        assert_eq!(err("1910-01-01T00:30:00+01:00"), Invalid::TooOld);
        assert_eq!(err("2099-01-01"), Invalid::FutureDate);
    }
}
