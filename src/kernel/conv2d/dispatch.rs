//! The direct bodies as kernels of `kernel::dispatch`: AVX-512 or AVX2+FMA vectors for f32
//! (chosen by the caller's [`Isa`]), one lane for scalar f32 and for f64. Tile sizes:
//!
//! | | forward tile | `dW` tile |
//! |---|---|---|
//! | AVX-512 | 4 channels × 6 vectors (24 zmm) | 4 channels × 5 taps (20 zmm) |
//! | AVX2 | 4 × 3 (12 ymm) | 4 × 2 (8 ymm) |
//! | scalar | 4 × 4 values | 4 × 2 |

use super::direct::{Valid, forward_body};
use super::grad::{dw_body, row_sums_body};
use crate::kernel::dispatch::{Simd, WithSimd, dispatch};
use crate::kernel::gemm::{Element, Gemm};
use crate::kernel::isa::Isa;
use crate::kernel::lanes::One;

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
        dispatch(isa, RowSums { alpha, rows, out })
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
        let args = (g, x, w, b, y, o);
        match g.f {
            3 => dispatch(isa, Forward::<3>(args)),
            5 => dispatch(isa, Forward::<5>(args)),
            _ => dispatch(isa, Forward::<0>(args)),
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
        dispatch(
            isa,
            Dw {
                g,
                alpha,
                x,
                dy,
                dw,
                o,
                acc,
            },
        )
    }
}

/// [`ConvKernel::row_sums`] as a kernel.
struct RowSums<'a> {
    alpha: f32,
    rows: &'a [f32],
    out: &'a mut [f32],
}

impl WithSimd for RowSums<'_> {
    type Output = ();
    #[inline(always)]
    fn with_simd<S: Simd>(self, _: S) {
        row_sums_body::<S::F32>(self.alpha, self.rows, self.out)
    }
}

/// [`ConvKernel::valid_forward`] as a kernel, for filters of size `F` (0: any size). Each
/// `F` is its own kernel, so the taps unrolled for 3 and for 5 compile as separate functions.
struct Forward<'a, const F: usize>(ForwardArgs<'a>);

/// The arguments of [`ConvKernel::valid_forward`] after the ISA.
type ForwardArgs<'a> = (
    Valid,
    &'a [f32],
    &'a [f32],
    Option<&'a [f32]>,
    &'a mut [f32],
    (usize, usize),
);

impl<const F: usize> WithSimd for Forward<'_, F> {
    type Output = ();
    #[inline(always)]
    fn with_simd<S: Simd>(self, _: S) {
        let Forward((g, x, w, b, y, o)) = self;
        if const { matches!(S::ISA, Isa::Avx512) } {
            forward_body::<S::F32, 6, F>(g, x, w, b, y, o)
        } else if const { matches!(S::ISA, Isa::Avx2) } {
            forward_body::<S::F32, 3, F>(g, x, w, b, y, o)
        } else {
            forward_body::<S::F32, 4, F>(g, x, w, b, y, o)
        }
    }
}

/// [`ConvKernel::valid_dw`] as a kernel.
struct Dw<'a> {
    g: Valid,
    alpha: f32,
    x: &'a [f32],
    dy: &'a [f32],
    dw: &'a mut [f32],
    o: (usize, usize),
    acc: &'a mut [f32],
}

impl WithSimd for Dw<'_> {
    type Output = ();
    #[inline(always)]
    fn with_simd<S: Simd>(self, _: S) {
        let Dw {
            g,
            alpha,
            x,
            dy,
            dw,
            o,
            acc,
        } = self;
        let xdy = (x, dy);
        if const { matches!(S::ISA, Isa::Avx512) } {
            dw_body::<S::F32, 5>(g, alpha, xdy, dw, o, acc)
        } else {
            dw_body::<S::F32, 2>(g, alpha, xdy, dw, o, acc)
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
        // Loops only (`F = 0`): f64 serves the gradient checks, one copy is enough.
        forward_body::<One<f64>, 4, 0>(g, x, w, b, y, o)
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
