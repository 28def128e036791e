//! Fuzz target `extract_csv`: see `pprl_fuzz::extract_csv` for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pprl_fuzz::extract_csv(data));
