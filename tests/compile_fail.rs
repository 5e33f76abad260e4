//! Shape rules checked by the compiler: each `tests/ui/shape/*.rs` must fail to compile with
//! the message pinned in its `.stderr`, and each `tests/pass/*.rs` must build.
//!
//! The `pass` set makes trybuild run `cargo build` rather than `cargo check`, so
//! post-monomorphization errors (inline `const { assert!(..) }`) are seen too (DESIGN.md §2).
//! After a deliberate toolchain bump, regenerate with
//! `TRYBUILD=overwrite cargo test --test compile_fail` and review the diff like code.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/pass/*.rs");
    t.compile_fail("tests/ui/shape/*.rs");
    t.compile_fail("tests/ui/derive/*.rs");
}
