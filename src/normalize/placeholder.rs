//! Placeholder values treated as missing. STUB: to be replaced.
