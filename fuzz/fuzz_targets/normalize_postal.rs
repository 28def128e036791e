//! Fuzz target `normalize_postal`: see `pprl_fuzz::normalize_postal` for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pprl_fuzz::normalize_postal(data));
