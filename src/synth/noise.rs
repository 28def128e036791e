//! Missing and invalid values, as sources produce them.
//!
//! Each of the six identifying fields of every row, duplicates included, is
//! independently left empty with probability `missing_rate`, or else
//! replaced by an invalid value with probability `invalid_rate`. Invalid
//! values are the kinds found in real extracts: placeholder names, dates
//! that cannot exist or lie in the future, codes outside the allowed set,
//! truncated ZIPs, and SSNs the SSA never issues.

use std::fmt::Write as _;

use super::person::{Person, Ssn};
use super::record::{DateFormat, Record};
use super::rng::Rng;
use crate::field::Field;

/// Placeholder given names keyed when the real one was not known.
const FIRST_PLACEHOLDERS: &[&str] = &[
    "UNKNOWN",
    "FNU",
    "TEST",
    "BABY BOY",
    "BABY GIRL",
    "NONE",
    "XXX",
    "N/A",
];

/// Placeholder family names.
const LAST_PLACEHOLDERS: &[&str] = &["UNKNOWN", "LNU", "TEST", "NONE", "XXX", "N/A", "NULL"];

/// Sex codes outside M/F/U.
const BAD_SEX: &[&str] = &["9", "0", "Z", "?"];

/// SSNs that are syntactically fine but never valid: placeholders and the
/// numbers made public in advertising.
const BAD_SSNS: &[&str] = &[
    "123-45-6789",
    "078-05-1120",
    "111-11-1111",
    "999-99-9999",
    "000-00-0000",
];

/// What noise did to one row.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Noise {
    pub(crate) missing: u64,
    pub(crate) invalid: u64,
}

/// Blanks or spoils fields of `record` at the configured rates.
pub(crate) fn apply(
    record: &mut Record,
    person: &Person,
    (missing_rate, invalid_rate): (f64, f64),
    dates: &DateFormat,
    rng: &mut Rng,
) -> Noise {
    let mut noise = Noise::default();
    for field in Field::ALL {
        let u = rng.unit();
        if u < missing_rate {
            record.get_mut(field).clear();
            noise.missing += 1;
        } else if u < missing_rate + invalid_rate {
            let text = record.get_mut(field);
            text.clear();
            write_invalid(field, person, dates, text, rng);
            noise.invalid += 1;
        }
    }
    noise
}

/// Writes an invalid value for `field` into the empty buffer `out`.
fn write_invalid(
    field: Field,
    person: &Person,
    dates: &DateFormat,
    out: &mut String,
    rng: &mut Rng,
) {
    match field {
        Field::FirstName => out.push_str(rng.pick(FIRST_PLACEHOLDERS)),
        Field::LastName => out.push_str(rng.pick(LAST_PLACEHOLDERS)),
        Field::BirthDate => invalid_date(person, dates, out, rng),
        Field::Sex => out.push_str(rng.pick(BAD_SEX)),
        Field::PostalCode => invalid_zip(person, out, rng),
        Field::Ssn => invalid_ssn(person, out, rng),
    }
}

/// Half impossible calendar dates (February 30, April 31, day 0, February
/// 29 of a common year), half dates after the extract could have been made.
fn invalid_date(person: &Person, dates: &DateFormat, out: &mut String, rng: &mut Rng) {
    use chrono::Datelike;

    let year = person.birth_date.year();
    match rng.below(6) {
        0 => dates.write_impossible(year, 2, 30, out),
        1 => dates.write_impossible(year, 4, 31, out),
        2 => dates.write_impossible(year, 1 + rng.below(12) as u32, 0, out),
        3 => dates.write_impossible(year - year.rem_euclid(4) + 1, 2, 29, out),
        _ => {
            let future = person.birth_date.with_year(2030 + rng.below(70) as i32);
            let future = future.unwrap_or(person.birth_date);
            let _ = dates.write(future, out);
        }
    }
}

/// A ZIP that is not a five-digit code: all zeros, the leading zero lost to
/// a spreadsheet, a digit too many, or letters.
fn invalid_zip(person: &Person, out: &mut String, rng: &mut Rng) {
    let zip5 = person.zip.zip5;
    let _ = match rng.below(4) {
        0 => write!(out, "00000"),
        1 => write!(out, "{:04}", zip5 % 10_000),
        2 => write!(out, "{zip5:05}{}", rng.below(10)),
        _ => write!(out, "ABCDE"),
    };
}

/// An SSN outside SSA rules: area 000, 666 or 900–999, group 00, serial
/// 0000, or a well-known placeholder.
fn invalid_ssn(person: &Person, out: &mut String, rng: &mut Rng) {
    let s = person.ssn;
    let bad = match rng.below(6) {
        0 => Ssn { area: 0, ..s },
        1 => Ssn { area: 666, ..s },
        2 => Ssn {
            area: rng.range(900, 999) as u16,
            ..s
        },
        3 => Ssn { group: 0, ..s },
        4 => Ssn { serial: 0, ..s },
        _ => {
            out.push_str(rng.pick(BAD_SSNS));
            return;
        }
    };
    bad.write(out);
}
