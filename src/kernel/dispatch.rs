//! The one dispatch point between the ISA chosen at run time and the code compiled for it
//! (the shape of the `pulp` crate's `WithSimd`).
//!
//! A kernel is a value that implements [`WithSimd`]: one generic `with_simd` body over a
//! token type `S: Simd`, whose [`Simd::F32`] is the lanes type of that ISA ([`F32x16`],
//! [`F32x8`] or one lane) and whose [`Simd::ISA`] is a constant the body may match on to pick
//! its tile sizes. [`dispatch`] is the only function in the crate that calls code compiled
//! with `#[target_feature]`: it enters `run_avx512` or `run_avx2`, each a
//! `#[target_feature]` function generic over the kernel, where the kernel's body is inlined
//! and so compiled with AVX-512 or AVX2 and FMA enabled. A new kernel writes its body once
//! and calls `dispatch`; it adds no `unsafe` and no wrapper.
//!
//! Rule for kernel bodies: `with_simd` and everything it calls on the hot path are
//! `#[inline(always)]` (a function left out of line does not inherit the caller's target
//! features, and then every intrinsic in it becomes a call).

use super::isa::Isa;
#[cfg(target_arch = "x86_64")]
use super::lanes::{F32x8, F32x16};
use super::lanes::{Lanes, One};

/// A token for one ISA: which lanes type its f32 kernels use. Only [`dispatch`] creates the
/// tokens of SIMD ISAs (after detection), so holding one means its instructions may run.
pub(crate) trait Simd: Copy {
    /// The ISA, for bodies that choose their tiles by it (a constant: the other arms of such
    /// a `match` compile to nothing).
    const ISA: Isa;
    /// f32 lanes of this ISA.
    type F32: Lanes<E = f32>;
}

/// Portable code: one f32 lane.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ScalarToken;

impl Simd for ScalarToken {
    const ISA: Isa = Isa::Scalar;
    type F32 = One<f32>;
}

/// AVX2 and FMA: 8 f32 lanes.
#[cfg(target_arch = "x86_64")]
#[derive(Clone, Copy, Debug)]
pub(crate) struct Avx2Token(());

#[cfg(target_arch = "x86_64")]
impl Simd for Avx2Token {
    const ISA: Isa = Isa::Avx2;
    type F32 = F32x8;
}

/// AVX-512F (with AVX2 and FMA): 16 f32 lanes.
#[cfg(target_arch = "x86_64")]
#[derive(Clone, Copy, Debug)]
pub(crate) struct Avx512Token(());

#[cfg(target_arch = "x86_64")]
impl Simd for Avx512Token {
    const ISA: Isa = Isa::Avx512;
    type F32 = F32x16;
}

/// A kernel: one body, generic over the ISA's token.
pub(crate) trait WithSimd {
    /// What the kernel returns.
    type Output;
    /// The body (`#[inline(always)]` in every impl: see the module doc).
    fn with_simd<S: Simd>(self, simd: S) -> Self::Output;
}

/// Runs `kernel` compiled for `isa`, or on the scalar path when this CPU lacks `isa`.
pub(crate) fn dispatch<K: WithSimd>(isa: Isa, kernel: K) -> K::Output {
    match isa.or_scalar() {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `or_scalar` returns Avx512 only when `Isa::best` detected AVX-512F, AVX2
        // and FMA on this CPU: the features `run_avx512` is compiled with.
        Isa::Avx512 => unsafe { run_avx512(kernel) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `or_scalar` returns Avx2 only when `Isa::best` detected AVX2 and FMA.
        Isa::Avx2 => unsafe { run_avx2(kernel) },
        _ => kernel.with_simd(ScalarToken),
    }
}

/// `kernel`'s body compiled with AVX-512F, AVX2 and FMA.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx2,fma")]
fn run_avx512<K: WithSimd>(kernel: K) -> K::Output {
    kernel.with_simd(Avx512Token(()))
}

/// `kernel`'s body compiled with AVX2 and FMA.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn run_avx2<K: WithSimd>(kernel: K) -> K::Output {
    kernel.with_simd(Avx2Token(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reports the token's ISA and lane count.
    struct Which;

    impl WithSimd for Which {
        type Output = (Isa, usize);
        #[inline(always)]
        fn with_simd<S: Simd>(self, _: S) -> (Isa, usize) {
            (S::ISA, <S::F32 as Lanes>::N)
        }
    }

    #[test]
    fn each_available_isa_runs_its_own_token_and_a_missing_one_falls_back() {
        let lanes = |isa| match isa {
            Isa::Scalar => 1,
            Isa::Avx2 => 8,
            Isa::Avx512 => 16,
        };
        for isa in Isa::available() {
            assert_eq!(dispatch(isa, Which), (isa, lanes(isa)));
        }
        let best = Isa::best();
        let top = dispatch(Isa::Avx512, Which).0;
        assert_eq!(
            top,
            if best == Isa::Avx512 {
                Isa::Avx512
            } else {
                Isa::Scalar
            }
        );
    }
}
