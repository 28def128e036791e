//! String primitives with Java semantics.
//!
//! OpenToken's reference behaviour for this profile is its Java library,
//! whose `String.trim`, `String.isBlank`, regex `\s` and
//! `equalsIgnoreCase` each draw the line between "space" and "text" in a
//! slightly different place. Reproducing them exactly is what keeps a
//! value padded with, say, a vertical tab on the same side of validation as
//! in OpenToken.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Java `String.trim()`: strips every char at or below U+0020 from both
/// ends (control characters included, Unicode spaces not).
pub(crate) fn java_trim(s: &str) -> &str {
    s.trim_matches(|c: char| c <= ' ')
}

/// Java regex `\s` without `UNICODE_CHARACTER_CLASS`: `[ \t\n\x0B\f\r]`.
pub(crate) fn is_regex_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r')
}

/// Java `Character.isWhitespace`: Unicode space, line and paragraph
/// separators except the no-break ones, plus the ASCII controls 0x09–0x0D
/// and 0x1C–0x1F.
fn is_java_whitespace(c: char) -> bool {
    matches!(
        c,
        '\t'..='\r'
            | '\u{1C}'..='\u{20}'
            | '\u{1680}'
            | '\u{2000}'..='\u{2006}'
            | '\u{2008}'..='\u{200A}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{205F}'
            | '\u{3000}'
    )
}

/// Java `String.isBlank()`: empty or whitespace only. OpenToken's
/// `NotNullOrEmpty` rule, applied to every attribute first.
pub(crate) fn is_blank(s: &str) -> bool {
    s.chars().all(is_java_whitespace)
}

/// Java `String.equalsIgnoreCase` for a value against an ASCII constant:
/// same length in UTF-16 units and every pair of chars equal after simple
/// upper- or lowercasing. Non-ASCII letters such as U+017F (long s) fold to
/// ASCII here, exactly as they do in Java.
pub(crate) fn equals_ignore_case(value: &str, constant: &str) -> bool {
    // An ASCII value has as many UTF-16 units as bytes, so Java's length
    // check and ASCII folding decide. A value with other characters has
    // fewer UTF-16 units than bytes, so it cannot match a longer constant.
    if value.is_ascii() {
        return value.eq_ignore_ascii_case(constant);
    }
    if value.len() < constant.len() {
        return false;
    }
    let mut a = value.chars();
    let mut b = constant.chars();
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if chars_equal_ignore_case(x, y) => {}
            _ => return false,
        }
    }
}

/// [`equals_ignore_case`] against each of several ASCII constants, with
/// the ASCII check of the value made once.
pub(crate) fn equals_any_ignore_case(value: &str, constants: &[&str]) -> bool {
    if value.is_ascii() {
        constants.iter().any(|c| value.eq_ignore_ascii_case(c))
    } else {
        constants.iter().any(|c| equals_ignore_case(value, c))
    }
}

fn chars_equal_ignore_case(x: char, y: char) -> bool {
    if x == y {
        return true;
    }
    let (ux, uy) = (simple_upper(x), simple_upper(y));
    ux == uy || simple_lower(ux) == simple_lower(uy)
}

/// A one-to-one case mapping, as Java's `Character.toUpperCase(char)`;
/// mappings that expand (ß → SS) leave the char unchanged.
fn simple_upper(c: char) -> char {
    let mut it = c.to_uppercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

fn simple_lower(c: char) -> char {
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// OpenToken's diacritic step: trim, canonical decomposition (NFD), then
/// drop every combining mark (general category M, Java `\p{M}`). Letters
/// without a decomposition (ø, ł, æ) survive here and are removed later by
/// the `[^a-zA-Z]` filter, not transliterated.
pub(crate) fn strip_diacritics(s: &str) -> String {
    let s = java_trim(s);
    // ASCII is its own canonical decomposition and has no combining marks.
    if s.is_ascii() {
        return s.to_owned();
    }
    s.nfd().filter(|&c| !is_combining_mark(c)).collect()
}

/// Keeps ASCII letters only (OpenToken's `[^a-zA-Z]` removal).
pub(crate) fn retain_ascii_letters(s: &mut String) {
    s.retain(|c| c.is_ascii_alphabetic());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_is_java_trim() {
        assert_eq!(java_trim("\u{0B} a b\t\r\n"), "a b");
        assert_eq!(java_trim("\u{A0}a\u{A0}"), "\u{A0}a\u{A0}");
    }

    #[test]
    fn blank_follows_character_is_whitespace() {
        assert!(is_blank(""));
        assert!(is_blank(" \t\u{2003}\u{1F}"));
        assert!(!is_blank("\u{A0}"));
        assert!(!is_blank(" x "));
    }

    #[test]
    fn equals_ignore_case_folds_like_java() {
        assert!(equals_ignore_case("UNKNOWN", "Unknown"));
        assert!(equals_ignore_case("\u{17F}ample", "Sample"));
        assert!(!equals_ignore_case("Unknown ", "Unknown"));
        assert!(!equals_ignore_case("Stra\u{DF}e", "STRASSE"));
        assert!(equals_any_ignore_case("unknown", &["N/A", "UNKNOWN"]));
        assert!(equals_any_ignore_case("\u{17F}ample", &["X", "SAMPLE"]));
        assert!(!equals_any_ignore_case("Unknow", &["N/A", "UNKNOWN"]));
    }

    #[test]
    fn diacritics_are_dropped_not_transliterated() {
        let mut s = strip_diacritics(" Søren Müller-Łukasz ");
        assert_eq!(s, "Søren Muller-Łukasz");
        retain_ascii_letters(&mut s);
        assert_eq!(s, "SrenMullerukasz");
    }
}
