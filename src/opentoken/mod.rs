//! OpenToken-compatible profile. STUB: to be replaced.
