//! Fuzz target: see `constnn_fuzz::csv` for the properties checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| constnn_fuzz::csv(data));
