//! Fuzz target `opentoken_attribute`: see `pprl_fuzz::opentoken_attribute` for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pprl_fuzz::opentoken_attribute(data));
