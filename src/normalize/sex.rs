//! Administrative sex (spec v1, "Sex").
//!
//! Only male and female enter tokens: they are the two values every
//! source records the same way. Codes for unknown, other, non-binary,
//! ambiguous or not applicable are valid answers but do not identify a
//! person across sources, so they are [`Invalid::UnknownCode`].
//!
//! Numeric codes are not read. `1` is male and `2` female in ISO/IEC 5218
//! and many US federal files, but other systems use `0`/`1`, or `1` for
//! female; guessing would silently corrupt tokens for a whole extract.

use super::placeholder::is_missing_marker;
use crate::field::Invalid;

/// Codes for male, compared after trimming, ASCII uppercasing and removing
/// spaces, `-`, `_`, `.` and `/`.
pub const MALE_CODES: &[&str] = &["M", "MALE", "MAN"];

/// Codes for female, compared like [`MALE_CODES`].
pub const FEMALE_CODES: &[&str] = &["F", "FEMALE", "WOMAN"];

/// Recognised codes that are neither male nor female. Sources: HL7 v2
/// table 0001 (`A` ambiguous, `N` not applicable, `O` other, `U` unknown),
/// HL7 FHIR AdministrativeGender, HL7 null flavors (`ASKU`, `UNK`, `NI`),
/// and the `X` marker of ICAO 9303 passports.
pub const UNKNOWN_CODES: &[&str] = &[
    "A",
    "AMBIGUOUS",
    "ASKU",
    "I",
    "INTERSEX",
    "N",
    "NB",
    "NI",
    "NONBINARY",
    "NOTAPPLICABLE",
    "NOTSTATED",
    "O",
    "OTH",
    "OTHER",
    "U",
    "UN",
    "UND",
    "UNDETERMINED",
    "UNDIFFERENTIATED",
    "UNK",
    "UNKNOWN",
    "UNSPECIFIED",
    "X",
];

/// Normalizes a sex code to `M` or `F`.
///
/// # Errors
/// [`Invalid::Missing`] when empty, [`Invalid::UnknownCode`] for a
/// recognised code that is neither male nor female,
/// [`Invalid::Placeholder`] for a missing-value marker (`NULL`, `NA`, `?`)
/// and [`Invalid::Format`] for anything else, numbers included.
pub fn sex(raw: &str) -> Result<String, Invalid> {
    super::owned(|out| sex_into(raw, out))
}

/// [`sex`] into `out`, which must be empty.
pub(crate) fn sex_into(raw: &str, out: &mut String) -> Result<(), Invalid> {
    let raw = super::trim(raw);
    if raw.is_empty() {
        return Err(Invalid::Missing);
    }

    // The longest code is 16 bytes; longer values cannot match.
    let mut buf = [0u8; 16];
    let Some(key) = code_key(raw, &mut buf) else {
        return Err(fallback(raw));
    };
    if key.is_empty() {
        return Err(Invalid::Placeholder);
    }
    if contains(MALE_CODES, key) {
        out.push('M');
        Ok(())
    } else if contains(FEMALE_CODES, key) {
        out.push('F');
        Ok(())
    } else if contains(UNKNOWN_CODES, key) {
        Err(Invalid::UnknownCode)
    } else {
        Err(fallback(raw))
    }
}

/// The reason for a value that is no known code.
fn fallback(raw: &str) -> Invalid {
    if is_missing_marker(raw) {
        Invalid::Placeholder
    } else {
        Invalid::Format
    }
}

/// The comparison key: ASCII uppercase without spaces, `-`, `_`, `.` and
/// `/`, so that `Non-Binary`, `non binary` and `m.` are read. `None` when
/// the key is longer than `buf` or the value is not ASCII.
fn code_key<'b>(raw: &str, buf: &'b mut [u8; 16]) -> Option<&'b [u8]> {
    if !raw.is_ascii() {
        return None;
    }
    let mut len = 0;
    for b in raw
        .bytes()
        .filter(|b| !matches!(b, b' ' | b'-' | b'_' | b'.' | b'/'))
    {
        *buf.get_mut(len)? = b.to_ascii_uppercase();
        len += 1;
    }
    Some(&buf[..len])
}

fn contains(list: &[&str], key: &[u8]) -> bool {
    list.iter().any(|c| c.as_bytes() == key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn sex_male_codes() {
        for s in ["M", "m", " Male ", "MALE", "man", "M."] {
            assert_eq!(sex(s), Ok("M".to_string()), "{s}");
        }
    }

    #[test]
    fn sex_female_codes() {
        for s in ["F", "f", "Female", "WOMAN", " f "] {
            assert_eq!(sex(s), Ok("F".to_string()), "{s}");
        }
    }

    #[test]
    fn sex_unknown_and_other_codes() {
        for s in [
            "U",
            "unknown",
            "O",
            "Other",
            "X",
            "N",
            "NB",
            "Non-Binary",
            "non binary",
            "UN",
            "UNK",
            "A",
        ] {
            assert_eq!(sex(s), Err(Invalid::UnknownCode), "{s}");
        }
    }

    #[test]
    fn sex_empty_is_missing() {
        assert_eq!(sex(""), Err(Invalid::Missing));
        assert_eq!(sex("   "), Err(Invalid::Missing));
    }

    #[test]
    fn sex_missing_markers_are_placeholders() {
        for s in ["NULL", "null", "NA", "N/A", "#N/A", "?", "-", "nan"] {
            assert_eq!(sex(s), Err(Invalid::Placeholder), "{s}");
        }
    }

    #[test]
    fn sex_numeric_codes_are_not_mapped() {
        for s in ["1", "2", "0", "9"] {
            assert_eq!(sex(s), Err(Invalid::Format), "{s}");
        }
    }

    #[test]
    fn sex_other_text_is_format() {
        for s in [
            "Mal",
            "Männlich",
            "MF",
            "boy",
            "a very long value that is no code",
        ] {
            assert_eq!(sex(s), Err(Invalid::Format), "{s}");
        }
    }

    #[test]
    fn sex_code_lists_do_not_overlap() {
        for c in UNKNOWN_CODES {
            assert!(!MALE_CODES.contains(c) && !FEMALE_CODES.contains(c));
            assert!(c.len() <= 16);
        }
    }

    proptest! {
        #[test]
        fn sex_normalizing_twice_equals_once(s in "\\PC{0,12}") {
            if let Ok(once) = sex(&s) {
                prop_assert_eq!(sex(&once), Ok(once.clone()));
                prop_assert!(once == "M" || once == "F");
            }
        }

        #[test]
        fn sex_never_panics(s in any::<String>()) {
            let _ = sex(&s);
        }
    }
}
