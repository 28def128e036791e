//! Field normalization for spec version 1 (`docs/spec.md`, "Normalization").
//!
//! Each normalizer takes one raw value and returns either its canonical
//! text, which enters rule signatures, or the reason it is unusable. A
//! normalizer never returns an empty string or a placeholder: those are
//! [`Invalid`] and make the tokens that need the field null.

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::field::{Field, Invalid};

pub mod date;
pub mod name;
pub mod placeholder;
pub mod postal;
pub mod sex;
pub mod ssn;

/// A raw input value as read from an extract. CSV gives text; Parquet can
/// also give integers and dates, which normalize to the same result as
/// their text forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Raw<'a> {
    /// Text as written.
    Text(&'a str),
    /// An integer column (ZIP or SSN stored as a number).
    Int(i64),
    /// A date column.
    Date(NaiveDate),
}

/// Options that change how values are read (never how a valid value is
/// tokenized once read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormalizeOptions {
    /// The declared birth date format, in chrono `strftime` syntax.
    pub date_format: String,
    /// Birth dates after this date are invalid.
    pub as_of: NaiveDate,
    /// ISO 3166-1 alpha-2 country of the postal codes, uppercase.
    pub postal_country: String,
    /// Accept Excel serial day numbers (1900 date system) as birth dates.
    pub excel_serial_dates: bool,
}

impl NormalizeOptions {
    /// The defaults: ISO dates, US postal codes, no Excel serials.
    pub fn new(as_of: NaiveDate) -> Self {
        NormalizeOptions {
            date_format: "%Y-%m-%d".to_string(),
            as_of,
            postal_country: "US".to_string(),
            excel_serial_dates: false,
        }
    }
}

/// Normalizes values of every field under one set of options.
#[derive(Debug, Clone)]
pub struct Normalizer {
    opts: NormalizeOptions,
}

impl Normalizer {
    /// Checks the options once.
    ///
    /// # Errors
    /// [`Error::Config`] when the date format has no year, month and day,
    /// or the country is not two ASCII letters.
    pub fn new(mut opts: NormalizeOptions) -> Result<Self> {
        date::check_format(&opts.date_format).map_err(Error::Config)?;
        opts.postal_country = opts.postal_country.trim().to_ascii_uppercase();
        let c = &opts.postal_country;
        if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(Error::Config(
                "postal country must be a two-letter ISO 3166 code such as US".into(),
            ));
        }
        Ok(Normalizer { opts })
    }

    /// The options in force.
    pub fn options(&self) -> &NormalizeOptions {
        &self.opts
    }

    /// Normalizes one value of `field`.
    ///
    /// # Errors
    /// The [`Invalid`] reason when the value cannot be used.
    pub fn normalize(&self, field: Field, raw: Raw<'_>) -> Result<String, Invalid> {
        owned(|out| self.normalize_into(field, raw, out))
    }

    /// [`Normalizer::normalize`] into a buffer the caller reuses: `out`
    /// is cleared first and holds the normalized value on success
    /// (unspecified on error). A run normalizes several fields of every
    /// record, and a fresh `String` for each was a measurable share of it.
    ///
    /// # Errors
    /// As [`Normalizer::normalize`].
    pub fn normalize_into(
        &self,
        field: Field,
        raw: Raw<'_>,
        out: &mut String,
    ) -> Result<(), Invalid> {
        out.clear();
        match field {
            Field::FirstName => name::first_name_into(text_of(raw)?, out),
            Field::LastName => name::last_name_into(text_of(raw)?, out),
            Field::BirthDate => date::birth_date_into(raw, &self.opts, out),
            Field::Sex => sex::sex_into(text_of(raw)?, out),
            Field::PostalCode => postal::postal_code_into(raw, &self.opts.postal_country, out),
            Field::Ssn => ssn::ssn_into(raw, out),
        }
    }
}

/// Splits `s` at the first `byte` (ASCII), like `str::split_once` with a
/// `char` but without its general searcher, which cost more than the rest
/// of a short code's normalization.
pub(crate) fn split_at_ascii(s: &str, byte: u8) -> Option<(&str, &str)> {
    debug_assert!(byte.is_ascii());
    let i = s.bytes().position(|b| b == byte)?;
    Some((&s[..i], &s[i + 1..]))
}

/// `str::trim`, which decodes characters from both ends to test them
/// against Unicode's White_Space; most values start and end with a
/// printable ASCII byte, which is not white space, and need no decoding.
/// The result is always the same as `str::trim`'s (unit test).
pub fn trim(s: &str) -> &str {
    match s.as_bytes() {
        [first, .., last] if first.is_ascii_graphic() && last.is_ascii_graphic() => s,
        [only] if only.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// Runs a normalizer that writes into a buffer, returning the buffer.
pub(crate) fn owned(
    normalize: impl FnOnce(&mut String) -> Result<(), Invalid>,
) -> Result<String, Invalid> {
    let mut out = String::new();
    normalize(&mut out)?;
    Ok(out)
}

/// The trimmed text of a code (postal code, SSN): integers as their
/// decimal digits, so a typed Parquet column normalizes like its text
/// form. Empty is [`Invalid::Missing`], a missing-value marker (`NULL`,
/// `#N/A`, …) [`Invalid::Placeholder`], a negative number or a date
/// [`Invalid::Format`].
pub(crate) fn code_text(raw: Raw<'_>) -> Result<std::borrow::Cow<'_, str>, Invalid> {
    let text = match raw {
        Raw::Text(s) => std::borrow::Cow::Borrowed(trim(s)),
        Raw::Int(n) if n >= 0 => std::borrow::Cow::Owned(n.to_string()),
        Raw::Int(_) | Raw::Date(_) => return Err(Invalid::Format),
    };
    if text.is_empty() {
        return Err(Invalid::Missing);
    }
    if placeholder::is_missing_marker(&text) {
        return Err(Invalid::Placeholder);
    }
    Ok(text)
}

/// Names and sex codes are text; a number or date there is a format error.
fn text_of(raw: Raw<'_>) -> Result<&str, Invalid> {
    match raw {
        Raw::Text(s) => Ok(s),
        Raw::Int(_) | Raw::Date(_) => Err(Invalid::Format),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    #[test]
    fn trim_is_str_trim() {
        let cases = [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\tSMITH\r\n",
            "O'NEIL",
            "\u{a0}JOSE\u{3000}",
            "JOSÉ",
            "ÉMILE ",
            "\u{85}x",
            "x\u{2028}",
            "1980-01-01",
            "-",
            "\u{0}",
        ];
        for case in cases {
            assert_eq!(super::trim(case), case.trim(), "{case:?}");
        }
    }

    proptest! {
        #[test]
        fn trim_agrees_with_str_trim(s in "\\PC{0,6}|[ \t\u{a0}\u{2003}a-zÉ.]{0,8}") {
            prop_assert_eq!(super::trim(&s), s.trim());
        }
    }
}
