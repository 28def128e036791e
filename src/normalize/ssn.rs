//! US Social Security Numbers. STUB: to be replaced.
use super::Raw;
use crate::field::Invalid;

/// Normalizes an SSN to nine digits.
pub fn ssn(raw: Raw<'_>) -> Result<String, Invalid> {
    match raw {
        Raw::Text(s) => { let t: String = s.chars().filter(|c| c.is_ascii_digit()).collect(); if t.len() == 9 { Ok(t) } else { Err(Invalid::Format) } }
        Raw::Int(i) => Ok(format!("{i:09}")),
        Raw::Date(_) => Err(Invalid::Format),
    }
}
