//! Sex codes. STUB: to be replaced.
use crate::field::Invalid;

/// Normalizes a sex code to `M` or `F`.
pub fn sex(raw: &str) -> Result<String, Invalid> {
    match raw.trim().to_ascii_uppercase().as_str() {
        "M" | "MALE" => Ok("M".into()),
        "F" | "FEMALE" => Ok("F".into()),
        "" => Err(Invalid::Missing),
        _ => Err(Invalid::UnknownCode),
    }
}
