//! OpenToken's attributes: how each field is validated and normalized.
//!
//! Every function here takes the raw text of one value and returns either
//! its attribute-level normalized form (before the rule expressions of
//! [`super::rules`] uppercase or cut it) or the reason OpenToken's Java
//! library would reject it. Validation and normalization are fused: Java
//! validates several attributes by normalizing first, so one pass gives
//! both answers.
//!
//! The source of truth is OpenToken 1.12.5 (Java), described in
//! `docs/opentoken.md`; where its Python port differs, Java wins.

use chrono::NaiveDate;

use super::birth_date;
use super::text::{
    equals_any_ignore_case, is_blank, is_regex_space, java_trim, retain_ascii_letters,
    strip_diacritics,
};
use crate::field::{Field, Invalid};

/// Values OpenToken treats as "no name", compared case-insensitively with
/// the whole value (OpenToken `COMMON_PLACEHOLDER_NAMES`).
const PLACEHOLDER_NAMES: [&str; 18] = [
    "Unknown",
    "N/A",
    "None",
    "Test",
    "Sample",
    "Donor",
    "Patient",
    "Automation Test",
    "Automationtest",
    "patient not found",
    "patientnotfound",
    "<masked>",
    "Anonymous",
    "zzztrash",
    "Missing",
    "Unavailable",
    "Not Available",
    "NotAvailable",
];

/// Titles removed from the front of a first name (ASCII case-insensitive).
const TITLES: [&str; 21] = [
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "capt",
    "sir",
    "col",
    "gen",
    "cmdr",
    "lt",
    "rabbi",
    "father",
    "brother",
    "sister",
    "hon",
    "honorable",
    "reverend",
    "rev",
    "doctor",
];

/// Generational suffixes removed from the end of a name, besides ordinals
/// such as `2nd` (ASCII case-insensitive).
const SUFFIXES: [&str; 16] = [
    "jr", "jr.", "junior", "sr", "sr.", "senior", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii",
    "ix", "x",
];

/// SSNs the Java library lists as placeholders (18 entries; the Python
/// port lacks the two marked).
const PLACEHOLDER_SSNS: [&str; 18] = [
    "111-11-1111",
    "222-22-2222",
    "333-33-3333",
    "444-44-4444",
    "555-55-5555",
    "777-77-7777",
    "888-88-8888",
    "001-23-4567",
    "009-99-9999", // Java only
    "010-10-1010",
    "012-34-5678",
    "087-65-4321",
    "098-76-5432",
    "099-99-9999",
    "111-22-3333",
    "121-21-2121",
    "123-45-6789",
    "123-45-9999", // Java only
];

/// US ZIP prefixes OpenToken rejects (placeholders, the North Pole, and
/// the never-assigned `000`, `555` prefixes).
const US_ZIP_BAD_PREFIXES: [&str; 13] = [
    "11111", "22222", "33333", "66666", "77777", "99999", "01234", "12345", "54321", "98765",
    "000", "555", "888",
];

/// Canadian postal codes OpenToken rejects outright (after normalization).
const CA_PLACEHOLDERS: [&str; 9] = [
    "A1A 1A1", "X0X 0X0", "Y0Y 0Y0", "Z0Z 0Z0", "A0A 0A0", "B1B 1B1", "C2C 2C2", "K1A 0A6",
    "H0H 0H0",
];

/// Canadian forward sortation areas rejected when the rest was padded.
const CA_BAD_FSAS: [&str; 3] = ["K1A", "M7A", "H0H"];

/// Validates and normalizes one value of `field` as OpenToken's Java
/// library does. `as_of` replaces "today" as the latest birth date.
///
/// # Errors
/// The [`Invalid`] reason when OpenToken would reject the value.
pub fn normalize(field: Field, raw: &str, as_of: NaiveDate) -> Result<String, Invalid> {
    match field {
        Field::FirstName => first_name(raw),
        Field::LastName => last_name(raw),
        Field::BirthDate => birth_date::birth_date(raw, as_of).map(|d| d.to_string()),
        Field::Sex => sex(raw).map(str::to_owned),
        Field::PostalCode => postal_code(raw),
        Field::Ssn => ssn(raw),
    }
}

fn is_placeholder_name(s: &str) -> bool {
    equals_any_ignore_case(s, &PLACEHOLDER_NAMES)
}

/// The raw-value checks both name attributes start with.
fn check_raw_name(raw: &str) -> Result<(), Invalid> {
    if is_blank(raw) {
        return Err(Invalid::Missing);
    }
    if is_placeholder_name(raw) {
        return Err(Invalid::Placeholder);
    }
    Ok(())
}

/// FirstName: diacritics, title, one generational suffix, a trailing
/// initial, then ASCII letters only. Valid when the raw and the normalized
/// value are neither blank nor a placeholder.
pub(crate) fn first_name(raw: &str) -> Result<String, Invalid> {
    check_raw_name(raw)?;
    let mut s = strip_diacritics(raw);
    if let Some(rest) = without_title(&s) {
        if !rest.is_empty() {
            s = rest.to_owned();
        }
    }
    if let Some(stem) = without_suffix(&s) {
        if !stem.is_empty() {
            s.truncate(stem.len());
        }
    }
    let keep = without_trailing_initial(&s).len();
    s.truncate(keep);
    retain_ascii_letters(&mut s);

    if s.is_empty() {
        return Err(Invalid::EmptyAfterNormalization);
    }
    if is_placeholder_name(&s) {
        return Err(Invalid::Placeholder);
    }
    Ok(s)
}

/// LastName: diacritics, generational suffixes (Java removes up to two:
/// `Johnson Jr III` → `Johnson`), then ASCII letters only. Valid when it
/// has 3+ letters, or 2 letters with a vowel, or is `Ng`.
pub(crate) fn last_name(raw: &str) -> Result<String, Invalid> {
    check_raw_name(raw)?;
    let mut s = strip_diacritics(raw);
    for _ in 0..2 {
        if let Some(stem) = without_suffix(&s) {
            if !stem.is_empty() {
                s.truncate(stem.len());
            }
        }
    }
    retain_ascii_letters(&mut s);

    match s.len() {
        0 => Err(Invalid::EmptyAfterNormalization),
        1 => Err(Invalid::TooShort),
        _ if is_placeholder_name(&s) => Err(Invalid::Placeholder),
        2 if !two_letter_surname_ok(s.as_bytes()) => Err(Invalid::TooShort),
        _ => Ok(s),
    }
}

/// A two-letter surname needs a vowel, or must be `Ng`.
fn two_letter_surname_ok(b: &[u8]) -> bool {
    let vowel = |c: u8| b"aeiouAEIOU".contains(&c);
    vowel(b[0]) || vowel(b[1]) || b.eq_ignore_ascii_case(b"ng")
}

/// The value after a leading title such as `Dr.` and the spaces after it,
/// or `None` when it starts with no title. Mirrors the Java pattern
/// `(?i)^(titles)\.?\s+`.
fn without_title(s: &str) -> Option<&str> {
    let word_len = s.bytes().take_while(u8::is_ascii_alphabetic).count();
    let word = &s[..word_len];
    if !TITLES.iter().any(|t| word.eq_ignore_ascii_case(t)) {
        return None;
    }
    let rest = s[word_len..].strip_prefix('.').unwrap_or(&s[word_len..]);
    let after = rest.trim_start_matches(is_regex_space);
    (after.len() < rest.len()).then_some(after)
}

/// The value before a trailing generational suffix and the spaces before
/// it, or `None`. Mirrors `(?i)\s+(jr\.?|…|\d+(st|nd|rd|th))$`.
fn without_suffix(s: &str) -> Option<&str> {
    let word_start = s.rfind(is_regex_space)? + 1;
    let word = &s[word_start..];
    if !is_suffix(word) {
        return None;
    }
    Some(s[..word_start].trim_end_matches(is_regex_space))
}

fn is_suffix(word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    if SUFFIXES.iter().any(|x| word.eq_ignore_ascii_case(x)) {
        return true;
    }
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let ordinal = &word[digits..];
    digits > 0
        && ["st", "nd", "rd", "th"]
            .iter()
            .any(|o| ordinal.eq_ignore_ascii_case(o))
}

/// The value without a trailing middle initial (`John A.` → `John`).
/// Mirrors `\s[^\s]\.?$`, whose leftmost match prefers the 3-char form.
fn without_trailing_initial(s: &str) -> &str {
    let chars: Vec<(usize, char)> = s.char_indices().rev().take(3).collect();
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    if let (Some('.'), Some(initial), Some(space)) = (at(0), at(1), at(2)) {
        if is_regex_space(space) && !is_regex_space(initial) {
            return &s[..chars[2].0];
        }
    }
    if let (Some(initial), Some(space)) = (at(0), at(1)) {
        if is_regex_space(space) && !is_regex_space(initial) {
            return &s[..chars[1].0];
        }
    }
    s
}

/// Sex: exactly `M`, `m`, `Male`, `male`, `F`, `f`, `Female` or `female`
/// (Java's pattern allows no surrounding spaces and no other casing).
pub(crate) fn sex(raw: &str) -> Result<&'static str, Invalid> {
    match raw {
        "M" | "m" | "Male" | "male" => Ok("Male"),
        "F" | "f" | "Female" | "female" => Ok("Female"),
        _ if is_blank(raw) => Err(Invalid::Missing),
        _ => Err(Invalid::UnknownCode),
    }
}

/// SocialSecurityNumber, validated after normalization as in Java: spaces
/// and dashes removed, anything from the first `.` dropped, 7–9 ASCII
/// digits left-padded to 9, then area, group, serial and the placeholder
/// list checked. Normalized form `ddd-dd-dddd`.
pub(crate) fn ssn(raw: &str) -> Result<String, Invalid> {
    if is_blank(raw) {
        return Err(Invalid::Missing);
    }
    let digits: String = java_trim(raw)
        .chars()
        .filter(|&c| !is_regex_space(c) && c != '-')
        .collect();
    let digits = digits.split('.').next().unwrap_or_default();
    if !(7..=9).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Invalid::Format);
    }

    let padded = format!("{digits:0>9}");
    let (area, group, serial) = (&padded[..3], &padded[3..5], &padded[5..]);
    let dashed = format!("{area}-{group}-{serial}");
    if PLACEHOLDER_SSNS.contains(&dashed.as_str()) {
        return Err(Invalid::Placeholder);
    }
    if area == "000" || area == "666" || area.starts_with('9') || group == "00" || serial == "0000"
    {
        return Err(Invalid::NotIssued);
    }
    Ok(dashed)
}

/// PostalCode: a US ZIP (3, 4, 5, 5+4 or 9 digits) or, failing that, a
/// Canadian code (3 to 6 characters). US normalizes to 5 digits, Canada
/// to `A1A 1A1` with partial codes padded.
pub(crate) fn postal_code(raw: &str) -> Result<String, Invalid> {
    if is_blank(raw) {
        return Err(Invalid::Missing);
    }
    let compact: String = java_trim(raw)
        .chars()
        .filter(|&c| !is_regex_space(c))
        .collect();
    let us = us_zip(raw, &compact);
    if us.is_ok() {
        return us;
    }
    match canadian_postal_code(raw, &compact) {
        // Not Canadian in shape either: the US verdict says more.
        Err(Invalid::Format) => us,
        other => other,
    }
}

/// The US ZIP attribute: `^\s*(\d{3}|\d{4}|\d{5}(-\d{4})?|\d{9})\s*$` on
/// the raw value, then a prefix blacklist on the trimmed value.
fn us_zip(raw: &str, compact: &str) -> Result<String, Invalid> {
    let core = raw.trim_matches(is_regex_space);
    let digits_only = core.bytes().all(|b| b.is_ascii_digit());
    let shape_ok = match core.len() {
        3 | 4 | 5 | 9 => digits_only,
        10 => {
            // Checked on bytes: byte 5 may fall inside a multi-byte
            // character (fuzzing found `1234é5678`), where slicing panics.
            let b = core.as_bytes();
            b[..5].iter().all(u8::is_ascii_digit)
                && b[5] == b'-'
                && b[6..].iter().all(u8::is_ascii_digit)
        }
        _ => false,
    };
    if !shape_ok {
        return Err(Invalid::Format);
    }
    let trimmed = java_trim(raw);
    if US_ZIP_BAD_PREFIXES.iter().any(|p| trimmed.starts_with(p)) {
        return Err(Invalid::Placeholder);
    }
    Ok(match compact.len() {
        3 => format!("{compact}00"),
        4 => format!("{compact}0"),
        _ => compact[..5].to_owned(),
    })
}

/// The Canadian attribute: `^\s*[A-Za-z]\d[A-Za-z](\s?\d([A-Za-z]\d?)?)?\s*$`
/// on the raw value; the normalized code must not be a placeholder, nor a
/// padded partial code in a government or Santa Claus area.
fn canadian_postal_code(raw: &str, compact: &str) -> Result<String, Invalid> {
    if !canadian_shape(raw.trim_matches(is_regex_space)) {
        return Err(Invalid::Format);
    }
    let upper = compact.to_ascii_uppercase();
    let code = match upper.len() {
        3 => format!("{upper} 000"),
        4 => format!("{} {}A0", &upper[..3], &upper[3..]),
        5 => format!("{} {}0", &upper[..3], &upper[3..]),
        _ => format!("{} {}", &upper[..3], &upper[3..]),
    };
    if CA_PLACEHOLDERS.contains(&code.as_str()) {
        return Err(Invalid::Placeholder);
    }
    let rest = code.as_bytes();
    let padded = rest[4].is_ascii_digit() && rest[5].is_ascii_uppercase() && rest[6] == b'0'
        || &code[4..] == "000";
    if padded && CA_BAD_FSAS.contains(&&code[..3]) {
        return Err(Invalid::Placeholder);
    }
    Ok(code)
}

/// `[A-Za-z]\d[A-Za-z](\s?\d([A-Za-z]\d?)?)?` on a value without outer
/// spaces.
fn canadian_shape(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 3 || !(b[0].is_ascii_alphabetic() && b[1].is_ascii_digit()) {
        return false;
    }
    if !b[2].is_ascii_alphabetic() {
        return false;
    }
    let mut rest = &b[3..];
    if rest.is_empty() {
        return true;
    }
    if is_regex_space(rest[0] as char) {
        rest = &rest[1..];
    }
    match rest {
        [d] => d.is_ascii_digit(),
        [d, l] => d.is_ascii_digit() && l.is_ascii_alphabetic(),
        [d, l, e] => d.is_ascii_digit() && l.is_ascii_alphabetic() && e.is_ascii_digit(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_names() {
        let cases = [
            ("Dr. John", "John"),
            ("Mrs Jane", "Jane"),
            ("Henry Jr", "Henry"),
            ("John A.", "John"),
            ("Mary-Jane", "MaryJane"),
            ("Mary Ann B.", "MaryAnn"),
            ("D'Angelo", "DAngelo"),
            ("José-María", "JoseMaria"),
            ("Sister Mary", "Mary"),
            ("Mr. X", "X"),
            ("Dr", "Dr"),
            ("Dr.John", "DrJohn"),
            ("  Alice  ", "Alice"),
        ];
        for (raw, want) in cases {
            assert_eq!(first_name(raw).as_deref(), Ok(want), "{raw}");
        }
        assert_eq!(first_name(""), Err(Invalid::Missing));
        assert_eq!(first_name("unknown"), Err(Invalid::Placeholder));
        assert_eq!(first_name("TEST16"), Err(Invalid::Placeholder));
        assert_eq!(first_name("王"), Err(Invalid::EmptyAfterNormalization));
    }

    #[test]
    fn last_names() {
        let cases = [
            ("García", "Garcia"),
            ("O'Brien", "OBrien"),
            ("De La Cruz", "DeLaCruz"),
            ("Smith Jr.", "Smith"),
            ("Johnson Jr III", "Johnson"),
            ("Wilson 2nd", "Wilson"),
            ("Ng", "Ng"),
            ("Li", "Li"),
            ("Ox", "Ox"),
        ];
        for (raw, want) in cases {
            assert_eq!(last_name(raw).as_deref(), Ok(want), "{raw}");
        }
        assert_eq!(last_name("St"), Err(Invalid::TooShort));
        assert_eq!(last_name("Jr"), Err(Invalid::TooShort));
        assert_eq!(last_name("Y"), Err(Invalid::TooShort));
        assert_eq!(last_name("<masked>"), Err(Invalid::Placeholder));
        assert_eq!(last_name("李"), Err(Invalid::EmptyAfterNormalization));
    }

    #[test]
    fn sex_codes() {
        assert_eq!(sex("male"), Ok("Male"));
        assert_eq!(sex("F"), Ok("Female"));
        assert_eq!(sex(" F "), Err(Invalid::UnknownCode));
        assert_eq!(sex("MALE"), Err(Invalid::UnknownCode));
        assert_eq!(sex(""), Err(Invalid::Missing));
    }

    #[test]
    fn ssns_follow_java() {
        assert_eq!(ssn("536 22 1236").as_deref(), Ok("536-22-1236"));
        assert_eq!(ssn(" 536-22-1234").as_deref(), Ok("536-22-1234"));
        assert_eq!(ssn("536221299.0").as_deref(), Ok("536-22-1299"));
        assert_eq!(ssn("45678901").as_deref(), Ok("045-67-8901"));
        assert_eq!(ssn("000000000"), Err(Invalid::NotIssued));
        assert_eq!(ssn("123456789"), Err(Invalid::Placeholder));
        assert_eq!(ssn("1234567"), Err(Invalid::Placeholder));
        assert_eq!(ssn("009-99-9999"), Err(Invalid::Placeholder));
        assert_eq!(ssn("536-22-12345"), Err(Invalid::Format));
        assert_eq!(ssn("900-12-3456"), Err(Invalid::NotIssued));
        assert_eq!(ssn(""), Err(Invalid::Missing));
    }

    #[test]
    fn postal_codes() {
        let cases = [
            ("98004", "98004"),
            ("98004-1234", "98004"),
            ("980041234", "98004"),
            (" 94105 ", "94105"),
            ("980", "98000"),
            ("9800", "98000"),
            ("K1A 0B1", "K1A 0B1"),
            ("k1a0b1", "K1A 0B1"),
            ("M5V", "M5V 000"),
            ("M5V 3", "M5V 3A0"),
            ("M5V3L", "M5V 3L0"),
        ];
        for (raw, want) in cases {
            assert_eq!(postal_code(raw).as_deref(), Ok(want), "{raw}");
        }
        for raw in ["12345", "00000", "55501", "H0H 0H0", "K1A", "k1a 1b0"] {
            assert_eq!(postal_code(raw), Err(Invalid::Placeholder), "{raw}");
        }
        for raw in ["ABCDE", "98004 1234", "12", "K1A 0B1 X"] {
            assert_eq!(postal_code(raw), Err(Invalid::Format), "{raw}");
        }
    }
}
