//! Postal codes. STUB: to be replaced.
use super::Raw;
use crate::field::Invalid;

/// Normalizes a postal code for a country.
pub fn postal_code(raw: Raw<'_>, _country: &str) -> Result<String, Invalid> {
    match raw {
        Raw::Text(s) => { let t: String = s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase(); if t.is_empty() { Err(Invalid::Missing) } else { Ok(t) } }
        Raw::Int(i) => Ok(format!("{i:05}")),
        Raw::Date(_) => Err(Invalid::Format),
    }
}
