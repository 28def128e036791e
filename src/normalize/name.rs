//! Person names. STUB: to be replaced.
use crate::field::Invalid;

/// Normalizes a first name.
pub fn first_name(raw: &str) -> Result<String, Invalid> {
    let s: String = raw.chars().filter(|c| c.is_ascii_alphabetic()).collect::<String>().to_ascii_uppercase();
    if s.is_empty() { Err(Invalid::Missing) } else { Ok(s) }
}

/// Normalizes a last name.
pub fn last_name(raw: &str) -> Result<String, Invalid> {
    first_name(raw)
}
