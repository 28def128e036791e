//! Birth dates. STUB: to be replaced.
use chrono::NaiveDate;
use super::{NormalizeOptions, Raw};
use crate::field::Invalid;

/// Checks that a chrono format names a year, a month and a day.
pub fn check_format(fmt: &str) -> Result<(), String> {
    if fmt.contains("%Y") || fmt.contains("%y") { Ok(()) } else { Err("date format must contain %Y".into()) }
}

/// Normalizes a birth date to `YYYY-MM-DD`.
pub fn birth_date(raw: Raw<'_>, opts: &NormalizeOptions) -> Result<String, Invalid> {
    let d = match raw {
        Raw::Date(d) => d,
        Raw::Text(s) => NaiveDate::parse_from_str(s.trim(), &opts.date_format).map_err(|_| Invalid::Format)?,
        Raw::Int(_) => return Err(Invalid::Format),
    };
    if d > opts.as_of { return Err(Invalid::FutureDate); }
    Ok(d.format("%Y-%m-%d").to_string())
}
