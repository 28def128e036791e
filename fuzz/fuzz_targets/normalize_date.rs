//! Fuzz target `normalize_date`: see `pprl_fuzz::normalize_date` for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pprl_fuzz::normalize_date(data));
