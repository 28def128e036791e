//! Fuzz target `normalize_sex`: see `pprl_fuzz::normalize_sex` for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pprl_fuzz::normalize_sex(data));
