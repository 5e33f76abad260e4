//! Which compiled copy of the direct bodies runs: AVX-512 or AVX2+FMA vectors for f32 (chosen
//! by the caller's [`Isa`]), one lane for scalar f32 and for f64. Tile sizes:
//!
//! | | forward tile | `dW` tile |
//! |---|---|---|
//! | AVX-512 | 4 channels × 6 vectors (24 zmm) | 4 channels × 5 taps (20 zmm) |
//! | AVX2 | 4 × 3 (12 ymm) | 4 × 2 (8 ymm) |
//! | scalar | 4 × 4 values | 4 × 2 |

use super::direct::{Valid, forward_body};
use super::grad::{dw_body, row_sums_body};
use crate::kernel::gemm::{Element, Gemm, usable};
use crate::kernel::isa::Isa;
use crate::kernel::lanes::One;
#[cfg(target_arch = "x86_64")]
use crate::kernel::lanes::{F32x8, F32x16};

/// Element types with direct convolution kernels (f32 on every [`Isa`], f64 on one lane).
pub trait ConvKernel: Element + Gemm + PartialOrd + Send + Sync {
    /// `Y = W ⋆ X + b` (no bias when `b` is `None`) for output channels `o.0..o.1`, written to
    /// `y`, which holds exactly those channels.
    fn valid_forward(
        isa: Isa,
        g: Valid,
        x: &[Self],
        w: &[Self],
        b: Option<&[Self]>,
        y: &mut [Self],
        o: (usize, usize),
    );

    /// `out[i] = α·Σ rows[i]` for the `out.len()` equal rows of `rows` (`db` from `dY`).
    fn row_sums(isa: Isa, alpha: Self, rows: &[Self], out: &mut [Self]);

    /// `dW = α·Σ dY ⊗ X` for output channels `o.0..o.1`, written to `dw` (exactly those);
    /// `acc` is scratch of [`dw_scratch`](super::grad::dw_scratch) values.
    #[allow(clippy::too_many_arguments)] // the BLAS-style contract: sizes, inputs, outputs
    fn valid_dw(
        isa: Isa,
        g: Valid,
        alpha: Self,
        x: &[Self],
        dy: &[Self],
        dw: &mut [Self],
        o: (usize, usize),
        acc: &mut [Self],
    );
}

impl ConvKernel for f32 {
    fn row_sums(isa: Isa, alpha: f32, rows: &[f32], out: &mut [f32]) {
        match usable(isa) {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `usable` returned Avx512 only after detecting AVX-512F, AVX2 and FMA.
            Isa::Avx512 => unsafe { row_sums_avx512(alpha, rows, out) },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `usable` returned Avx2 only after detecting AVX2 and FMA.
            Isa::Avx2 => unsafe { row_sums_avx2(alpha, rows, out) },
            _ => row_sums_body::<One<f32>>(alpha, rows, out),
        }
    }

    fn valid_forward(
        isa: Isa,
        g: Valid,
        x: &[f32],
        w: &[f32],
        b: Option<&[f32]>,
        y: &mut [f32],
        o: (usize, usize),
    ) {
        match usable(isa) {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `usable` returned Avx512 only after detecting AVX-512F, AVX2 and FMA.
            Isa::Avx512 => unsafe { forward_avx512(g, x, w, b, y, o) },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `usable` returned Avx2 only after detecting AVX2 and FMA.
            Isa::Avx2 => unsafe { forward_avx2(g, x, w, b, y, o) },
            _ => forward_body::<One<f32>, 4>(g, x, w, b, y, o),
        }
    }

    fn valid_dw(
        isa: Isa,
        g: Valid,
        alpha: f32,
        x: &[f32],
        dy: &[f32],
        dw: &mut [f32],
        o: (usize, usize),
        acc: &mut [f32],
    ) {
        match usable(isa) {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `usable` returned Avx512 only after detecting AVX-512F, AVX2 and FMA.
            Isa::Avx512 => unsafe { dw_avx512(g, alpha, (x, dy), dw, o, acc) },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `usable` returned Avx2 only after detecting AVX2 and FMA.
            Isa::Avx2 => unsafe { dw_avx2(g, alpha, (x, dy), dw, o, acc) },
            _ => dw_body::<One<f32>, 2>(g, alpha, (x, dy), dw, o, acc),
        }
    }
}

impl ConvKernel for f64 {
    fn row_sums(_: Isa, alpha: f64, rows: &[f64], out: &mut [f64]) {
        row_sums_body::<One<f64>>(alpha, rows, out)
    }

    fn valid_forward(
        _: Isa,
        g: Valid,
        x: &[f64],
        w: &[f64],
        b: Option<&[f64]>,
        y: &mut [f64],
        o: (usize, usize),
    ) {
        forward_body::<One<f64>, 4>(g, x, w, b, y, o)
    }

    fn valid_dw(
        _: Isa,
        g: Valid,
        alpha: f64,
        x: &[f64],
        dy: &[f64],
        dw: &mut [f64],
        o: (usize, usize),
        acc: &mut [f64],
    ) {
        dw_body::<One<f64>, 2>(g, alpha, (x, dy), dw, o, acc)
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx2,fma")]
fn forward_avx512(
    g: Valid,
    x: &[f32],
    w: &[f32],
    b: Option<&[f32]>,
    y: &mut [f32],
    o: (usize, usize),
) {
    forward_body::<F32x16, 6>(g, x, w, b, y, o)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn forward_avx2(
    g: Valid,
    x: &[f32],
    w: &[f32],
    b: Option<&[f32]>,
    y: &mut [f32],
    o: (usize, usize),
) {
    forward_body::<F32x8, 3>(g, x, w, b, y, o)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx2,fma")]
fn dw_avx512(
    g: Valid,
    alpha: f32,
    xdy: (&[f32], &[f32]),
    dw: &mut [f32],
    o: (usize, usize),
    acc: &mut [f32],
) {
    dw_body::<F32x16, 5>(g, alpha, xdy, dw, o, acc)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn dw_avx2(
    g: Valid,
    alpha: f32,
    xdy: (&[f32], &[f32]),
    dw: &mut [f32],
    o: (usize, usize),
    acc: &mut [f32],
) {
    dw_body::<F32x8, 2>(g, alpha, xdy, dw, o, acc)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx2,fma")]
fn row_sums_avx512(alpha: f32, rows: &[f32], out: &mut [f32]) {
    row_sums_body::<F32x16>(alpha, rows, out)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn row_sums_avx2(alpha: f32, rows: &[f32], out: &mut [f32]) {
    row_sums_body::<F32x8>(alpha, rows, out)
}
