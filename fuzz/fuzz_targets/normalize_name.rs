//! Fuzz target `normalize_name`: see `pprl_fuzz::normalize_name` for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pprl_fuzz::normalize_name(data));
