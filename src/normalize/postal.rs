//! Postal codes (spec v1, "Postal code").
//!
//! For the United States the token uses the five-digit ZIP code only: the
//! +4 add-on is recorded inconsistently between sources, and USPS
//! Publication 28 defines the first five digits as the delivery area.
//! ZIP codes often reach pprl damaged by spreadsheets, which read them as
//! numbers and drop leading zeros (02134 becomes 2134); the damage that can
//! be undone without guessing is repaired.
//!
//! Other countries' codes are kept as written, only without whitespace and
//! uppercased: their formats vary too much to repair.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

use super::placeholder::{is_missing_marker, ZIPS};
use super::{code_text, split_at_ascii, Raw};
use crate::field::Invalid;

/// Normalizes a postal code of `country` (ISO 3166-1 alpha-2, uppercase).
///
/// # Errors
/// [`Invalid::Missing`] when empty, [`Invalid::Placeholder`] for a
/// missing-value marker or a filler ZIP, [`Invalid::Format`] when the value
/// is not a postal code of the expected shape.
pub fn postal_code(raw: Raw<'_>, country: &str) -> Result<String, Invalid> {
    super::owned(|out| postal_code_into(raw, country, out))
}

/// [`postal_code`] into `out`, which must be empty.
pub(crate) fn postal_code_into(
    raw: Raw<'_>,
    country: &str,
    out: &mut String,
) -> Result<(), Invalid> {
    let text = code_text(raw)?;
    let text = text.as_ref();

    if country == "US" {
        us_zip(text, out)
    } else {
        out.push_str(&other(text)?);
        Ok(())
    }
}

/// A US ZIP code to five digits. Accepted shapes, after removing
/// whitespace (Unicode White_Space) and a spreadsheet `.0` ending (`d` is a digit):
///
/// | shape        | reading                                   |
/// |--------------|-------------------------------------------|
/// | `ddddd`      | ZIP                                       |
/// | `ddddddddd`  | ZIP+4 without hyphen                      |
/// | `ddddd-dddd` | ZIP+4                                     |
/// | `dddd`       | ZIP that lost its leading zero            |
/// | `dddddddd`   | ZIP+4 without hyphen that lost its zero   |
/// | `dddd-dddd`  | ZIP+4 that lost its zero                  |
///
/// Three digits are rejected, although 00501 or 00601 could lose two
/// zeros: a three-digit value is just as likely a ZIP3 prefix, which HIPAA
/// Safe Harbor de-identification leaves in place of the ZIP.
fn us_zip(text: &str, out: &mut String) -> Result<(), Invalid> {
    // ASCII White_Space is tab to carriage return and space (as
    // `char::is_whitespace`, which also covers the other code points).
    let has_space = if text.is_ascii() {
        text.bytes().any(|b| matches!(b, b'\t'..=b'\r' | b' '))
    } else {
        text.chars().any(char::is_whitespace)
    };
    let compact: Cow<str> = if has_space {
        Cow::Owned(text.split_whitespace().collect())
    } else {
        Cow::Borrowed(text)
    };
    let s = strip_float_ending(&compact);

    let (zip, plus4) = match split_at_ascii(s, b'-') {
        Some((zip, plus4)) => (zip, Some(plus4)),
        None => (s, None),
    };
    if !all_digits(zip) || !plus4.is_none_or(|p| p.len() == 4 && all_digits(p)) {
        return Err(Invalid::Format);
    }
    match (zip.len(), plus4.is_some()) {
        (5, _) | (9, false) => out.push_str(&zip[..5]),
        (4, _) | (8, false) => {
            out.push('0');
            out.push_str(&zip[..4]);
        }
        _ => return Err(Invalid::Format),
    }

    let digits_all_same = |d: u8| {
        zip.bytes()
            .chain(plus4.unwrap_or("").bytes())
            .all(|b| b == d)
    };
    if ZIPS.contains(out.as_bytes()) || digits_all_same(b'0') || digits_all_same(b'9') {
        return Err(Invalid::Placeholder);
    }
    Ok(())
}

/// Drops a `.0`, `.00`, … ending that a spreadsheet or dataframe adds when
/// it has read a code as a floating-point number.
fn strip_float_ending(s: &str) -> &str {
    match split_at_ascii(s, b'.') {
        Some((int, zeros)) if !zeros.is_empty() && zeros.bytes().all(|b| b == b'0') => int,
        _ => s,
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// A non-US postal code: whitespace removed, compatibility forms folded
/// (full-width digits as typed in East Asian systems), ASCII uppercased;
/// it must then consist of A–Z, 0–9 and `-`, with at least one letter or
/// digit. A value that becomes a missing-value marker (`n a`) is a
/// placeholder, so that the output is never one.
fn other(text: &str) -> Result<String, Invalid> {
    let mut out = String::with_capacity(text.len());
    if text.is_ascii() {
        out.extend(text.chars().filter(|c| !c.is_ascii_whitespace()));
    } else {
        out.extend(text.nfkd().filter(|c| !c.is_whitespace()));
    }
    out.make_ascii_uppercase();
    if is_missing_marker(&out) {
        return Err(Invalid::Placeholder);
    }

    let allowed = |b: u8| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-';
    if !out.bytes().all(allowed) || !out.bytes().any(|b| b.is_ascii_alphanumeric()) {
        return Err(Invalid::Format);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn us(s: &str) -> Result<String, Invalid> {
        postal_code(Raw::Text(s), "US")
    }

    fn ok(s: &str) -> Result<String, Invalid> {
        Ok(s.to_string())
    }

    #[test]
    fn zip_five_digits_kept() {
        assert_eq!(us("02134"), ok("02134"));
        assert_eq!(us(" 90210 "), ok("90210"));
    }

    #[test]
    fn zip_plus4_truncated_to_five() {
        assert_eq!(us("02134-1234"), ok("02134"));
        assert_eq!(us("021341234"), ok("02134"));
        assert_eq!(us("02134 - 1234"), ok("02134"));
    }

    #[test]
    fn zip_lost_leading_zero_is_padded() {
        assert_eq!(us("2134"), ok("02134"));
        assert_eq!(us("21341234"), ok("02134"));
        assert_eq!(us("2134-1234"), ok("02134"));
    }

    #[test]
    fn zip_integer_column_is_padded() {
        assert_eq!(postal_code(Raw::Int(2134), "US"), ok("02134"));
        assert_eq!(postal_code(Raw::Int(90210), "US"), ok("90210"));
        assert_eq!(postal_code(Raw::Int(21341234), "US"), ok("02134"));
        assert_eq!(postal_code(Raw::Int(-2134), "US"), Err(Invalid::Format));
    }

    #[test]
    fn zip_written_as_float() {
        assert_eq!(us("2134.0"), ok("02134"));
        assert_eq!(us("90210.00"), ok("90210"));
        assert_eq!(us("90210.5"), Err(Invalid::Format));
    }

    #[test]
    fn zip_three_digits_rejected() {
        assert_eq!(us("601"), Err(Invalid::Format));
    }

    #[test]
    fn zip_other_lengths_and_junk_rejected() {
        for s in [
            "12",
            "123456",
            "1234567",
            "1234567890",
            "0213A",
            "02134-12",
            "02134-",
            "-1234",
            "2134-12345",
        ] {
            assert_eq!(us(s), Err(Invalid::Format), "{s}");
        }
    }

    #[test]
    fn zip_placeholders_rejected() {
        for s in [
            "00000",
            "11111",
            "99999",
            "12345",
            "12345-6789",
            "0000",
            "9999",
            "999999999",
            "00000-0000",
        ] {
            assert_eq!(us(s), Err(Invalid::Placeholder), "{s}");
        }
    }

    #[test]
    fn zip_repeated_digits_can_be_real() {
        assert_eq!(us("44444"), ok("44444"));
    }

    #[test]
    fn postal_missing_and_markers() {
        assert_eq!(us(""), Err(Invalid::Missing));
        assert_eq!(us("  "), Err(Invalid::Missing));
        assert_eq!(us("N/A"), Err(Invalid::Placeholder));
        assert_eq!(
            postal_code(Raw::Text("null"), "GB"),
            Err(Invalid::Placeholder)
        );
    }

    #[test]
    fn postal_date_is_format() {
        let d = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        assert_eq!(postal_code(Raw::Date(d), "US"), Err(Invalid::Format));
    }

    #[test]
    fn postal_other_country_spaces_removed_and_uppercased() {
        assert_eq!(postal_code(Raw::Text("sw1a 1aa"), "GB"), ok("SW1A1AA"));
        assert_eq!(postal_code(Raw::Text("K1A 0B1"), "CA"), ok("K1A0B1"));
        assert_eq!(postal_code(Raw::Text("100-0001"), "JP"), ok("100-0001"));
    }

    #[test]
    fn postal_other_country_full_width_folded() {
        let s = "\u{FF11}\u{FF10}\u{FF10}\u{FF0D}\u{FF10}\u{FF10}\u{FF10}\u{FF11}";
        assert_eq!(postal_code(Raw::Text(s), "JP"), ok("100-0001"));
    }

    #[test]
    fn postal_other_country_no_zero_repair() {
        assert_eq!(postal_code(Raw::Int(1067), "DE"), ok("1067"));
    }

    #[test]
    fn postal_other_country_junk_rejected() {
        for s in ["75 008 Paris!", "12/34", "Ölstraße", "-/-"] {
            assert_eq!(postal_code(Raw::Text(s), "FR"), Err(Invalid::Format), "{s}");
        }
    }

    proptest! {
        #[test]
        fn postal_normalizing_twice_equals_once(s in "[0-9 .-]{0,12}|\\PC{0,12}") {
            for country in ["US", "GB"] {
                if let Ok(once) = postal_code(Raw::Text(&s), country) {
                    prop_assert_eq!(postal_code(Raw::Text(&once), country), Ok(once.clone()));
                }
            }
        }

        #[test]
        fn postal_output_is_nonempty_ascii(s in any::<String>(), n in any::<i64>()) {
            for country in ["US", "NL"] {
                for raw in [Raw::Text(&s), Raw::Int(n)] {
                    if let Ok(out) = postal_code(raw, country) {
                        prop_assert!(!out.is_empty() && out.is_ascii());
                    }
                }
            }
        }

        #[test]
        fn zip_int_equals_text(n in 0i64..1_000_000_000) {
            prop_assert_eq!(postal_code(Raw::Int(n), "US"), us(&n.to_string()));
        }
    }
}
