//! Fuzz target: see `constnn_fuzz::training` for the properties checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| constnn_fuzz::training(data));
