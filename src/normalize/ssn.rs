//! US Social Security Numbers (spec v1, "SSN").
//!
//! An SSN is nine digits: a three-digit area, a two-digit group and a
//! four-digit serial. Issuance rules are the Social Security
//! Administration's (<https://www.ssa.gov/employer/randomization.html>):
//! before randomization on 2011-06-25 areas were assigned by state and
//! groups in a fixed order; since then all three parts are random, but the
//! following were never and are never issued:
//!
//! - area 000, area 666, and areas 900–999 (9xx numbers are ITINs and
//!   other IRS numbers, not SSNs);
//! - group 00;
//! - serial 0000.
//!
//! Because randomization opened areas that the pre-2011 rules had not yet
//! reached (773–899), no other area is rejected.

use super::placeholder::is_ssn_placeholder;
use super::{code_text, split_at_ascii, Raw};
use crate::field::Invalid;

/// Normalizes an SSN to nine digits without dashes.
///
/// # Errors
/// [`Invalid::Missing`] when empty, [`Invalid::Placeholder`] for a marker
/// or a known filler number, [`Invalid::NotIssued`] for a number SSA never
/// issues, [`Invalid::Format`] for anything that is not 7 to 9 digits.
pub fn ssn(raw: Raw<'_>) -> Result<String, Invalid> {
    super::owned(|out| ssn_into(raw, out))
}

/// [`ssn`] into `out`, which must be empty.
pub(crate) fn ssn_into(raw: Raw<'_>, out: &mut String) -> Result<(), Invalid> {
    let text = code_text(raw)?;
    digits_of(text.as_ref(), out)?;
    check(out)
}

/// The nine digits of a written SSN: spaces and `-` removed, a spreadsheet
/// `.0` ending dropped, and 7 or 8 digits left-padded with zeros.
///
/// Padding undoes a number stored as a number: 012-34-5678 read by a
/// spreadsheet becomes 12345678. Valid SSNs have at most two leading zeros
/// (area 000 is never issued), so shorter values are not SSNs.
fn digits_of(text: &str, digits: &mut String) -> Result<(), Invalid> {
    let body = match split_at_ascii(text, b'.') {
        Some((int, zeros)) if !zeros.is_empty() && zeros.bytes().all(|b| b == b'0') => int,
        _ => text,
    };
    for b in body.bytes().filter(|b| !matches!(b, b' ' | b'-')) {
        if !b.is_ascii_digit() || digits.len() == 9 {
            return Err(Invalid::Format);
        }
        digits.push(b as char);
    }

    match digits.len() {
        9 => Ok(()),
        // "1111111" is a filler typed short, not a number that lost zeros.
        7 | 8 if digits.bytes().all(|b| b == digits.as_bytes()[0]) => Err(Invalid::Placeholder),
        n @ (7 | 8) => {
            digits.insert_str(0, &"00"[..9 - n]);
            Ok(())
        }
        _ => Err(Invalid::Format),
    }
}

/// Placeholders first, so that 000-00-0000 or 987-65-4321 count as
/// placeholders rather than unissued numbers.
fn check(digits: &str) -> Result<(), Invalid> {
    if is_ssn_placeholder(digits.as_bytes()) {
        return Err(Invalid::Placeholder);
    }
    let (area, rest) = digits.split_at(3);
    let (group, serial) = rest.split_at(2);
    if area == "000" || area == "666" || area.starts_with('9') {
        return Err(Invalid::NotIssued);
    }
    if group == "00" || serial == "0000" {
        return Err(Invalid::NotIssued);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn text(s: &str) -> Result<String, Invalid> {
        ssn(Raw::Text(s))
    }

    fn ok(s: &str) -> Result<String, Invalid> {
        Ok(s.to_string())
    }

    #[test]
    fn ssn_plain_and_dashed() {
        assert_eq!(text("123-45-6780"), ok("123456780"));
        assert_eq!(text("123 45 6780"), ok("123456780"));
        assert_eq!(text(" 123456780 "), ok("123456780"));
    }

    #[test]
    fn ssn_written_as_excel_float() {
        assert_eq!(text("123456780.0"), ok("123456780"));
        assert_eq!(text("123456780.00"), ok("123456780"));
        assert_eq!(text("123456780.5"), Err(Invalid::Format));
        assert_eq!(text("1.23457E+08"), Err(Invalid::Format));
    }

    #[test]
    fn ssn_lost_leading_zeros_is_padded() {
        // 012-34-5678 pads back, and is then a known filler.
        assert_eq!(text("12345678"), Err(Invalid::Placeholder));
        assert_eq!(text("23456789"), ok("023456789"));
        assert_eq!(text("1234567"), ok("001234567"));
        assert_eq!(ssn(Raw::Int(23456789)), ok("023456789"));
        assert_eq!(ssn(Raw::Int(1234567)), ok("001234567"));
    }

    #[test]
    fn ssn_too_short_or_long_is_format() {
        for s in ["123456", "12-34", "1234567890", "123-45-67890"] {
            assert_eq!(text(s), Err(Invalid::Format), "{s}");
        }
        assert_eq!(ssn(Raw::Int(123456)), Err(Invalid::Format));
        assert_eq!(ssn(Raw::Int(-123456780)), Err(Invalid::Format));
    }

    #[test]
    fn ssn_junk_is_format() {
        for s in [
            "12345678A",
            "123/45/6780",
            "SSN 123456780",
            "１２３４５６７８０",
        ] {
            assert_eq!(text(s), Err(Invalid::Format), "{s}");
        }
    }

    #[test]
    fn ssn_empty_is_missing() {
        assert_eq!(text(""), Err(Invalid::Missing));
        assert_eq!(text("  "), Err(Invalid::Missing));
    }

    #[test]
    fn ssn_markers_are_placeholders() {
        assert_eq!(text("NULL"), Err(Invalid::Placeholder));
        assert_eq!(text("n/a"), Err(Invalid::Placeholder));
    }

    #[test]
    fn ssn_known_fillers_are_placeholders() {
        for s in [
            "000-00-0000",
            "111-11-1111",
            "999-99-9999",
            "123-45-6789",
            "987-65-4321",
            "078-05-1120",
            "219-09-9999",
            "987-65-4325",
            "111-22-3333",
            "1111111",
            "99999999",
        ] {
            assert_eq!(text(s), Err(Invalid::Placeholder), "{s}");
        }
    }

    #[test]
    fn ssn_area_000_666_9xx_not_issued() {
        for s in ["000-12-3456", "666-12-3456", "900-12-3456", "999-12-3456"] {
            assert_eq!(text(s), Err(Invalid::NotIssued), "{s}");
        }
    }

    #[test]
    fn ssn_group_00_not_issued() {
        assert_eq!(text("123-00-4567"), Err(Invalid::NotIssued));
    }

    #[test]
    fn ssn_serial_0000_not_issued() {
        assert_eq!(text("123-45-0000"), Err(Invalid::NotIssued));
    }

    #[test]
    fn ssn_randomized_areas_are_valid() {
        assert_eq!(text("773-12-3456"), ok("773123456"));
        assert_eq!(text("899-12-3456"), ok("899123456"));
        assert_eq!(text("665-12-3456"), ok("665123456"));
    }

    #[test]
    fn ssn_date_is_format() {
        let d = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        assert_eq!(ssn(Raw::Date(d)), Err(Invalid::Format));
    }

    proptest! {
        #[test]
        fn ssn_normalizing_twice_equals_once(s in "[0-9 .-]{0,14}|\\PC{0,12}") {
            if let Ok(once) = text(&s) {
                prop_assert_eq!(text(&once), Ok(once.clone()));
            }
        }

        #[test]
        fn ssn_output_is_nine_digits(s in any::<String>(), n in any::<i64>()) {
            for raw in [Raw::Text(&s), Raw::Int(n)] {
                if let Ok(out) = ssn(raw) {
                    prop_assert!(out.len() == 9 && out.bytes().all(|b| b.is_ascii_digit()));
                }
            }
        }

        #[test]
        fn ssn_int_equals_text(n in 0i64..2_000_000_000) {
            prop_assert_eq!(ssn(Raw::Int(n)), text(&n.to_string()));
        }
    }
}
