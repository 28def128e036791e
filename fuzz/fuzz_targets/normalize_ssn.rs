//! Fuzz target `normalize_ssn`: see `pprl_fuzz::normalize_ssn` for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pprl_fuzz::normalize_ssn(data));
