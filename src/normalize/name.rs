//! Person names (spec v1, "Names").
//!
//! A name is reduced to the uppercase letters A–Z that survive folding:
//! accents are dropped through Unicode compatibility decomposition (NFKD),
//! Latin letters that do not decompose are spelled out by [`FOLD_TABLE`],
//! leading titles and trailing generational suffixes are removed as whole
//! words, and everything that is not a letter goes. `Zoë O'Brien-Łukasz,
//! Jr.` becomes `ZOEOBRIENLUKASZ`.
//!
//! Most names in US extracts are ASCII; they skip decomposition and are
//! handled on bytes with one allocation, the output.

use std::borrow::Cow;

use unicode_normalization::char::decompose_compatible;

use super::placeholder::{is_name_placeholder, listed_bytes};
use crate::field::Invalid;

/// Latin letters that have no Unicode decomposition to a base letter, and
/// the ASCII letters they fold to. Sorted by code point.
///
/// Choices follow the common English rendering of names in each language:
/// German ß and ẞ become SS, Icelandic Þ becomes TH, Azerbaijani Ə becomes
/// A (Əliyev is written Aliyev), and the letters of African alphabets
/// (Hausa, Fula, Akan, Ewe) become the plain letter they are built on.
/// Unlike ICAO 9303 machine-readable passports, Ø folds to O (not OE), to
/// agree with Ö, which loses its diaeresis by decomposition.
pub const FOLD_TABLE: &[(char, &str)] = &[
    ('\u{00C6}', "AE"), // Æ
    ('\u{00D0}', "D"),  // Ð
    ('\u{00D8}', "O"),  // Ø
    ('\u{00DE}', "TH"), // Þ
    ('\u{00DF}', "SS"), // ß
    ('\u{00E6}', "AE"), // æ
    ('\u{00F0}', "D"),  // ð
    ('\u{00F8}', "O"),  // ø
    ('\u{00FE}', "TH"), // þ
    ('\u{0110}', "D"),  // Đ
    ('\u{0111}', "D"),  // đ
    ('\u{0126}', "H"),  // Ħ
    ('\u{0127}', "H"),  // ħ
    ('\u{0131}', "I"),  // ı
    ('\u{0138}', "K"),  // ĸ
    ('\u{0141}', "L"),  // Ł
    ('\u{0142}', "L"),  // ł
    ('\u{014A}', "N"),  // Ŋ
    ('\u{014B}', "N"),  // ŋ
    ('\u{0152}', "OE"), // Œ
    ('\u{0153}', "OE"), // œ
    ('\u{0166}', "T"),  // Ŧ
    ('\u{0167}', "T"),  // ŧ
    ('\u{0180}', "B"),  // ƀ
    ('\u{0181}', "B"),  // Ɓ
    ('\u{0186}', "O"),  // Ɔ
    ('\u{0189}', "D"),  // Ɖ
    ('\u{018A}', "D"),  // Ɗ
    ('\u{018E}', "E"),  // Ǝ
    ('\u{018F}', "A"),  // Ə
    ('\u{0190}', "E"),  // Ɛ
    ('\u{0191}', "F"),  // Ƒ
    ('\u{0192}', "F"),  // ƒ
    ('\u{0193}', "G"),  // Ɠ
    ('\u{0194}', "G"),  // Ɣ
    ('\u{0197}', "I"),  // Ɨ
    ('\u{0198}', "K"),  // Ƙ
    ('\u{0199}', "K"),  // ƙ
    ('\u{019A}', "L"),  // ƚ
    ('\u{019D}', "N"),  // Ɲ
    ('\u{019F}', "O"),  // Ɵ
    ('\u{01AE}', "T"),  // Ʈ
    ('\u{01B1}', "U"),  // Ʊ
    ('\u{01B2}', "V"),  // Ʋ
    ('\u{01B3}', "Y"),  // Ƴ
    ('\u{01B4}', "Y"),  // ƴ
    ('\u{01B5}', "Z"),  // Ƶ
    ('\u{01B6}', "Z"),  // ƶ
    ('\u{01B7}', "Z"),  // Ʒ
    ('\u{01DD}', "E"),  // ǝ
    ('\u{01E4}', "G"),  // Ǥ
    ('\u{01E5}', "G"),  // ǥ
    ('\u{023A}', "A"),  // Ⱥ
    ('\u{023B}', "C"),  // Ȼ
    ('\u{023C}', "C"),  // ȼ
    ('\u{023D}', "L"),  // Ƚ
    ('\u{023E}', "T"),  // Ⱦ
    ('\u{0243}', "B"),  // Ƀ
    ('\u{0244}', "U"),  // Ʉ
    ('\u{0246}', "E"),  // Ɇ
    ('\u{0247}', "E"),  // ɇ
    ('\u{0248}', "J"),  // Ɉ
    ('\u{0249}', "J"),  // ɉ
    ('\u{024A}', "Q"),  // Ɋ
    ('\u{024B}', "Q"),  // ɋ
    ('\u{024C}', "R"),  // Ɍ
    ('\u{024D}', "R"),  // ɍ
    ('\u{024E}', "Y"),  // Ɏ
    ('\u{024F}', "Y"),  // ɏ
    ('\u{0251}', "A"),  // ɑ
    ('\u{0253}', "B"),  // ɓ
    ('\u{0254}', "O"),  // ɔ
    ('\u{0256}', "D"),  // ɖ
    ('\u{0257}', "D"),  // ɗ
    ('\u{0259}', "A"),  // ə
    ('\u{025B}', "E"),  // ɛ
    ('\u{0260}', "G"),  // ɠ
    ('\u{0263}', "G"),  // ɣ
    ('\u{0268}', "I"),  // ɨ
    ('\u{0272}', "N"),  // ɲ
    ('\u{0275}', "O"),  // ɵ
    ('\u{0288}', "T"),  // ʈ
    ('\u{028A}', "U"),  // ʊ
    ('\u{028B}', "V"),  // ʋ
    ('\u{0292}', "Z"),  // ʒ
    ('\u{1E9E}', "SS"), // ẞ
    ('\u{2C65}', "A"),  // ⱥ
    ('\u{2C66}', "T"),  // ⱦ
    ('\u{2C6D}', "A"),  // Ɑ
];

/// Titles removed from the start of a name, compared with a word's letters
/// and digits. Honorifics that are also given names are left out: Hon is
/// a Cantonese given name, Lord and Lady are surnames.
pub const TITLES: &[&str] = &[
    "DR", "FR", "MISS", "MLLE", "MME", "MR", "MRS", "MS", "MSTR", "MX", "PROF", "REV", "REVD",
    "SIR",
];

/// Generational suffixes removed from the end of a name. V and VI are left
/// out because Vi is a Vietnamese given name and V a middle initial;
/// academic and professional letters (MD, PHD) are not removed either.
pub const SUFFIXES: &[&str] = &[
    "2D", "2ND", "3D", "3RD", "4TH", "II", "III", "IV", "JNR", "JR", "JUNIOR", "SENIOR", "SNR",
    "SR",
];

/// Normalizes a first (given) name. One letter is a valid first name: some
/// sources record only the initial.
///
/// # Errors
/// [`Invalid::Missing`] when empty, [`Invalid::Placeholder`] for a filler,
/// [`Invalid::EmptyAfterNormalization`] when no Latin letter remains.
pub fn first_name(raw: &str) -> Result<String, Invalid> {
    super::owned(|out| first_name_into(raw, out))
}

/// [`first_name`] into `out`, which must be empty.
pub(crate) fn first_name_into(raw: &str, out: &mut String) -> Result<(), Invalid> {
    normalize(raw, out)?;
    if is_name_placeholder(out, true) {
        return Err(Invalid::Placeholder);
    }
    Ok(())
}

/// Normalizes a last (family) name.
///
/// # Errors
/// As [`first_name`], and [`Invalid::TooShort`] for a one-letter result,
/// which is an initial rather than a surname.
pub fn last_name(raw: &str) -> Result<String, Invalid> {
    super::owned(|out| last_name_into(raw, out))
}

/// [`last_name`] into `out`, which must be empty.
pub(crate) fn last_name_into(raw: &str, out: &mut String) -> Result<(), Invalid> {
    normalize(raw, out)?;
    if is_name_placeholder(out, false) {
        return Err(Invalid::Placeholder);
    }
    if out.len() == 1 {
        return Err(Invalid::TooShort);
    }
    Ok(())
}

/// The steps both name fields share, up to the placeholder check.
fn normalize(raw: &str, out: &mut String) -> Result<(), Invalid> {
    let raw = super::trim(raw);
    if raw.is_empty() {
        return Err(Invalid::Missing);
    }

    // Fast path for the common case, one word of ASCII letters: no title
    // or suffix can be removed from a single word, so the result is the
    // word uppercased (the same as the general path below gives).
    if raw.bytes().all(|b| b.is_ascii_alphabetic()) {
        out.push_str(raw);
        out.make_ascii_uppercase();
        return Ok(());
    }

    // Digits and punctuation alone ("0", "?", "--") are fillers.
    if raw
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_alphabetic())
    {
        return Err(Invalid::Placeholder);
    }

    let folded = if raw.is_ascii() {
        Cow::Borrowed(raw.as_bytes())
    } else {
        Cow::Owned(fold(raw))
    };
    let joined = join_letters(&folded);
    if joined.is_empty() {
        return Err(Invalid::EmptyAfterNormalization);
    }
    out.push_str(&joined);
    Ok(())
}

/// Folds a non-ASCII name to ASCII bytes: whitespace becomes a space, each
/// other character is decomposed (NFKD), and of the result ASCII is kept,
/// [`FOLD_TABLE`] letters are spelled out and everything else (combining
/// marks, other scripts, symbols) is dropped.
///
/// Decomposing character by character equals NFKD of the whole string up
/// to the order of combining marks, which are dropped anyway.
fn fold(raw: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii() {
            out.push(c as u8);
        } else if c.is_whitespace() {
            out.push(b' ');
        } else {
            decompose_compatible(c, |d| {
                if d.is_ascii() {
                    out.push(d as u8);
                } else if let Some(s) = fold_letter(d) {
                    out.extend_from_slice(s.as_bytes());
                }
            });
        }
    }
    out
}

/// The [`FOLD_TABLE`] spelling of a letter.
fn fold_letter(c: char) -> Option<&'static str> {
    FOLD_TABLE
        .binary_search_by_key(&c, |&(k, _)| k)
        .ok()
        .map(|i| FOLD_TABLE[i].1)
}

/// True for bytes that separate words: ASCII White_Space, comma and full
/// stop (so `Smith,Jr.` and `Dr.Jones` split).
fn is_separator(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ' | b',' | b'.')
}

/// The words of a folded name: runs between separators that hold at least
/// one letter. Runs without letters would add nothing to the output.
fn words(folded: &[u8]) -> impl DoubleEndedIterator<Item = &[u8]> {
    folded
        .split(|&b| is_separator(b))
        .filter(|w| w.iter().any(u8::is_ascii_alphabetic))
}

/// Removes leading titles and trailing suffixes, never the last remaining
/// word, and concatenates the letters of the rest, uppercased.
fn join_letters(folded: &[u8]) -> String {
    let n = words(folded).count();
    if n == 0 {
        return String::new();
    }
    let titles = words(folded)
        .take(n - 1)
        .take_while(|w| word_in(w, TITLES))
        .count();
    let suffixes = words(folded)
        .rev()
        .take(n - titles - 1)
        .take_while(|w| word_in(w, SUFFIXES))
        .count();

    let mut out = String::with_capacity(folded.len());
    for word in words(folded).skip(titles).take(n - titles - suffixes) {
        let letters = word.iter().filter(|b| b.is_ascii_alphabetic());
        out.extend(letters.map(|b| b.to_ascii_uppercase() as char));
    }
    out
}

/// True when the word's letters and digits, uppercased, are in `list`.
fn word_in(word: &[u8], list: &[&str]) -> bool {
    // List entries are at most 6 bytes; longer words cannot match.
    let mut buf = [0u8; 8];
    let mut len = 0;
    for &b in word.iter().filter(|b| b.is_ascii_alphanumeric()) {
        if len == buf.len() {
            return false;
        }
        buf[len] = b.to_ascii_uppercase();
        len += 1;
    }
    listed_bytes(list, &buf[..len])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn first(s: &str) -> Result<String, Invalid> {
        first_name(s)
    }

    fn last(s: &str) -> Result<String, Invalid> {
        last_name(s)
    }

    fn ok(s: &str) -> Result<String, Invalid> {
        Ok(s.to_string())
    }

    #[test]
    fn name_plain_ascii_is_uppercased() {
        assert_eq!(first("john"), ok("JOHN"));
        assert_eq!(last("  Smith\t"), ok("SMITH"));
    }

    #[test]
    fn name_fast_path_equals_general_path() {
        // Single ASCII words take a shortcut in `normalize`; the general
        // word-splitting path must give the same text, titles and suffixes
        // included (a lone word is never removed).
        for raw in ["john", "SMITH", "McDonald", "Dr", "Jr", "iii", "x", "Sr"] {
            assert_eq!(
                super::super::owned(|out| normalize(raw, out)),
                Ok(join_letters(raw.as_bytes()))
            );
        }
    }

    #[test]
    fn name_apostrophe_hyphen_space_removed() {
        assert_eq!(last("O'Brien"), ok("OBRIEN"));
        assert_eq!(last("Smith-Jones"), ok("SMITHJONES"));
        assert_eq!(last("van der Berg"), ok("VANDERBERG"));
        assert_eq!(first("Mary Ann"), ok("MARYANN"));
        assert_eq!(last("O\u{2019}Brien"), ok("OBRIEN"));
    }

    #[test]
    fn name_digits_removed() {
        assert_eq!(first("J0hn"), ok("JHN"));
    }

    #[test]
    fn name_accents_dropped() {
        assert_eq!(last("García"), ok("GARCIA"));
        assert_eq!(first("Zoë"), ok("ZOE"));
        assert_eq!(last("Müller"), ok("MULLER"));
        assert_eq!(last("Nguyễn"), ok("NGUYEN"));
        assert_eq!(first("François"), ok("FRANCOIS"));
    }

    #[test]
    fn name_decomposed_input_equals_composed() {
        assert_eq!(last("Garci\u{0301}a"), last("Garc\u{00ED}a"));
    }

    #[test]
    fn name_fold_sharp_s_and_l_stroke() {
        assert_eq!(last("Straße"), ok("STRASSE"));
        assert_eq!(last("STRAẞE"), ok("STRASSE"));
        assert_eq!(last("Łukasz"), ok("LUKASZ"));
        assert_eq!(last("Wałęsa"), ok("WALESA"));
    }

    #[test]
    fn name_fold_nordic_and_ligatures() {
        assert_eq!(last("Søren"), ok("SOREN"));
        assert_eq!(last("Ærø"), ok("AERO"));
        assert_eq!(first("Þóra"), ok("THORA"));
        assert_eq!(first("Guðrún"), ok("GUDRUN"));
        assert_eq!(last("Œuvray"), ok("OEUVRAY"));
        assert_eq!(last("Đặng"), ok("DANG"));
        assert_eq!(last("Yıldız"), ok("YILDIZ"));
        assert_eq!(last("Əliyev"), ok("ALIYEV"));
    }

    #[test]
    fn name_compatibility_forms_fold() {
        assert_eq!(
            last("\u{FF33}\u{FF4D}\u{FF49}\u{FF54}\u{FF48}"),
            ok("SMITH")
        );
        assert_eq!(last("Griﬃn"), ok("GRIFFIN"));
        assert_eq!(last("Ĳsselmeer"), ok("IJSSELMEER"));
    }

    #[test]
    fn name_compatibility_roman_numeral_is_a_suffix() {
        assert_eq!(first("Henry \u{2163}"), ok("HENRY"));
        assert_eq!(last("\u{01C6}uri\u{0107}"), ok("DZURIC"));
    }

    #[test]
    fn name_unicode_version_is_pinned() {
        // Decomposition tables are part of the spec (docs/spec.md, names,
        // limitations); a dependency update that moves them needs review.
        assert_eq!(unicode_normalization::UNICODE_VERSION, (18, 0, 0));
    }

    #[test]
    fn name_fold_table_letters_do_not_decompose() {
        for &(c, s) in FOLD_TABLE {
            let mut parts = Vec::new();
            decompose_compatible(c, |d| parts.push(d));
            assert_eq!(parts, [c], "{c:?} decomposes, so it needs no table entry");
            assert!(!s.is_empty() && s.bytes().all(|b| b.is_ascii_uppercase()));
        }
    }

    #[test]
    fn name_tables_are_sorted() {
        assert!(FOLD_TABLE.windows(2).all(|p| p[0].0 < p[1].0));
        assert!(TITLES.windows(2).all(|p| p[0] < p[1]));
        assert!(SUFFIXES.windows(2).all(|p| p[0] < p[1]));
        assert!(TITLES.iter().chain(SUFFIXES).all(|s| s.len() <= 8));
    }

    #[test]
    fn name_leading_titles_removed() {
        assert_eq!(first("Dr. John"), ok("JOHN"));
        assert_eq!(last("Mrs Smith"), ok("SMITH"));
        assert_eq!(first("Prof Dr Anna"), ok("ANNA"));
        assert_eq!(last("Dr.Jones"), ok("JONES"));
    }

    #[test]
    fn name_trailing_suffixes_removed() {
        assert_eq!(last("Smith Jr."), ok("SMITH"));
        assert_eq!(last("Smith, Jr"), ok("SMITH"));
        assert_eq!(last("King III"), ok("KING"));
        assert_eq!(last("Ford Jr. II"), ok("FORD"));
        assert_eq!(first("John 2nd"), ok("JOHN"));
    }

    #[test]
    fn name_title_or_suffix_inside_a_word_is_kept() {
        assert_eq!(last("Drake"), ok("DRAKE"));
        assert_eq!(last("Misson"), ok("MISSON"));
        assert_eq!(last("Jrsmith"), ok("JRSMITH"));
        assert_eq!(last("Smith Jr Moore"), ok("SMITHJRMOORE"));
    }

    #[test]
    fn name_title_or_suffix_alone_is_kept() {
        assert_eq!(last("Jr"), ok("JR"));
        assert_eq!(first("Miss"), ok("MISS"));
        assert_eq!(last("Dr Jr"), ok("JR"));
        assert_eq!(first("Sir"), ok("SIR"));
    }

    #[test]
    fn name_vietnamese_vi_is_not_a_suffix() {
        assert_eq!(first("Thi Vi"), ok("THIVI"));
    }

    #[test]
    fn name_empty_is_missing() {
        assert_eq!(first(""), Err(Invalid::Missing));
        assert_eq!(last(" \t\u{3000}"), Err(Invalid::Missing));
    }

    #[test]
    fn name_punctuation_or_digits_only_is_placeholder() {
        assert_eq!(first("?"), Err(Invalid::Placeholder));
        assert_eq!(last("--"), Err(Invalid::Placeholder));
        assert_eq!(last("0"), Err(Invalid::Placeholder));
        assert_eq!(last("12345"), Err(Invalid::Placeholder));
    }

    #[test]
    fn name_non_latin_script_is_empty_after_normalization() {
        assert_eq!(last("王"), Err(Invalid::EmptyAfterNormalization));
        assert_eq!(last("Иванов"), Err(Invalid::EmptyAfterNormalization));
        assert_eq!(first("😀"), Err(Invalid::EmptyAfterNormalization));
    }

    #[test]
    fn name_placeholders_rejected() {
        for s in [
            "UNKNOWN",
            "unk",
            "N/A",
            "#N/A",
            "null",
            "Test Patient",
            "Baby Girl",
            "NONE",
            "xxx",
        ] {
            assert_eq!(last(s), Err(Invalid::Placeholder), "{s}");
            assert_eq!(first(s), Err(Invalid::Placeholder), "{s}");
        }
    }

    #[test]
    fn name_placeholder_after_title_removed() {
        assert_eq!(last("Mr Unknown"), Err(Invalid::Placeholder));
        assert_eq!(last("Unknown Jr"), Err(Invalid::Placeholder));
    }

    #[test]
    fn name_newborn_first_names_are_placeholders_only_as_first_names() {
        assert_eq!(first("Baby"), Err(Invalid::Placeholder));
        assert_eq!(first("BOY"), Err(Invalid::Placeholder));
        assert_eq!(last("Baby"), ok("BABY"));
        assert_eq!(last("Boy"), ok("BOY"));
    }

    #[test]
    fn name_doe_is_a_real_surname() {
        assert_eq!(last("Doe"), ok("DOE"));
        assert_eq!(first("John"), ok("JOHN"));
        assert_eq!(first("John Doe"), Err(Invalid::Placeholder));
        assert_eq!(last("Jane Doe"), Err(Invalid::Placeholder));
    }

    #[test]
    fn name_nan_and_nil_are_real_names() {
        assert_eq!(first("Nan"), ok("NAN"));
        assert_eq!(first("Nil"), ok("NIL"));
    }

    #[test]
    fn name_one_letter_last_name_too_short() {
        assert_eq!(last("X"), Err(Invalid::TooShort));
        assert_eq!(last("O'"), Err(Invalid::TooShort));
    }

    #[test]
    fn name_one_letter_first_name_valid() {
        assert_eq!(first("J."), ok("J"));
    }

    proptest! {
        #[test]
        fn name_normalizing_twice_equals_once(s in "\\PC{0,24}") {
            for f in [first_name, last_name] {
                if let Ok(once) = f(&s) {
                    prop_assert_eq!(f(&once), Ok(once.clone()));
                }
            }
        }

        #[test]
        fn name_ascii_like_inputs_are_idempotent(s in "[A-Za-z .,'-]{0,30}") {
            for f in [first_name, last_name] {
                if let Ok(once) = f(&s) {
                    prop_assert_eq!(f(&once), Ok(once.clone()));
                }
            }
        }

        #[test]
        fn name_output_is_nonempty_uppercase_ascii(s in any::<String>()) {
            for f in [first_name, last_name] {
                if let Ok(out) = f(&s) {
                    prop_assert!(!out.is_empty());
                    prop_assert!(out.bytes().all(|b| b.is_ascii_uppercase()));
                }
            }
        }
    }
}
