//! Max and average pooling over `f × f` windows with stride `s`, per channel, on the same
//! feature-major layout as [`conv2d`](super::conv2d) (value `(c, h, w)` of sample `j` at
//! `((c·H + h)·W + w)·m + j`).
//!
//! * max: `Y = max` over the window; backward routes `dY` to the position of the maximum
//!   (the first one on ties), recorded in forward as an absolute input feature;
//! * average: `Y = (1/f²)·Σ` over the window; backward spreads `dY/f²` over the window.
//!
//! The kernels (`simd`) walk each window once per vector of samples; the `*_with` functions
//! run them on a given ISA, splitting the channels over two threads for large inputs.
//! [`reference`](mod@reference) holds the plain loops they are tested against, which are also the scalar
//! path of backward and of average pooling (their inner loops run along the batch, which the
//! compiler vectorizes with SSE2: faster than one lane at a time). Scalar max pooling forward
//! runs the kernel on one lane (about 1.8× the reference here).

mod kernels;
pub mod reference;
mod rows;
mod simd;
#[cfg(test)]
mod tests;

pub use reference::{
    avg_backward_reference, avg_forward_reference, max_backward_reference, max_forward_reference,
};

use super::dispatch::dispatch;
use super::fork;
use super::gemm::{Element, usable};
use super::isa::Isa;
use super::lanes::One;
use kernels::Pool;
use simd::max_forward_body;

/// Sizes of one pooling over a batch of `m` samples.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolDims {
    /// Channels.
    pub c: usize,
    /// Input height.
    pub h: usize,
    /// Input width.
    pub w: usize,
    /// Output height `⌊(h − f)/s⌋ + 1`.
    pub oh: usize,
    /// Output width.
    pub ow: usize,
    /// Window.
    pub f: usize,
    /// Stride.
    pub s: usize,
    /// Batch size.
    pub m: usize,
}

impl PoolDims {
    pub(crate) fn check(&self, x: usize, y: usize) {
        assert_eq!(x, self.c * self.h * self.w * self.m, "pool2d: input length");
        assert_eq!(
            y,
            self.c * self.oh * self.ow * self.m,
            "pool2d: output length"
        );
        assert!(self.f >= 1 && self.s >= 1, "pool2d: window and stride");
        assert_eq!(
            self.oh,
            (self.h - self.f) / self.s + 1,
            "pool2d: output height"
        );
        assert_eq!(
            self.ow,
            (self.w - self.f) / self.s + 1,
            "pool2d: output width"
        );
    }
}

/// Inputs of at least this many values are pooled on two threads (when rayon's pool has
/// two), each on half of the channels.
pub const fn parallel_threshold() -> usize {
    1 << 16
}

impl PoolDims {
    /// The channel where a large input is cut in two for two threads, or `None`.
    fn cut(&self) -> Option<usize> {
        let big = self.c * self.h * self.w * self.m >= parallel_threshold();
        (big && self.c >= 2 && crate::kernel::fork::can_split()).then_some(self.c / 2)
    }
    /// The same pooling on `c` channels.
    fn with_c(self, c: usize) -> PoolDims {
        PoolDims { c, ..self }
    }
    /// Values per input and per output channel.
    fn planes(&self) -> (usize, usize) {
        (self.h * self.w * self.m, self.oh * self.ow * self.m)
    }
}

/// Element types with pooling kernels: f32 dispatches on [`Isa::get`]; f64 (what the layers'
/// gradient checks use) takes the scalar path.
pub trait PoolKernel: Element + PartialOrd + Send + Sync {
    /// `1/n`.
    fn inv(n: usize) -> Self;
    /// `y ← max-pool(x)`; with `arg`, also the absolute input feature of each maximum.
    fn max_pool_forward(d: PoolDims, x: &[Self], y: &mut [Self], arg: Option<&mut [u32]>);
    /// `dx ← 0`, then `dx[arg[k]] += dy[k]`.
    fn max_pool_backward(d: PoolDims, dy: &[Self], arg: &[u32], dx: &mut [Self]);
    /// `y ← (1/f²)·Σ` over each window.
    fn avg_pool_forward(d: PoolDims, x: &[Self], y: &mut [Self]);
    /// `dx ←` the sum of `dY/f²` over the windows covering each input value.
    fn avg_pool_backward(d: PoolDims, dy: &[Self], dx: &mut [Self]);
}

impl PoolKernel for f32 {
    fn inv(n: usize) -> f32 {
        1.0 / n as f32
    }
    fn max_pool_forward(d: PoolDims, x: &[f32], y: &mut [f32], arg: Option<&mut [u32]>) {
        max_forward_with(Isa::get(), d, x, y, arg)
    }
    fn max_pool_backward(d: PoolDims, dy: &[f32], arg: &[u32], dx: &mut [f32]) {
        max_backward_with(Isa::get(), d, dy, arg, dx)
    }
    fn avg_pool_forward(d: PoolDims, x: &[f32], y: &mut [f32]) {
        avg_forward_with(Isa::get(), d, x, y)
    }
    fn avg_pool_backward(d: PoolDims, dy: &[f32], dx: &mut [f32]) {
        avg_backward_with(Isa::get(), d, dy, dx)
    }
}

impl PoolKernel for f64 {
    fn inv(n: usize) -> f64 {
        1.0 / n as f64
    }
    fn max_pool_forward(d: PoolDims, x: &[f64], y: &mut [f64], arg: Option<&mut [u32]>) {
        match arg {
            Some(arg) => max_forward_body::<One<f64>, true>(d, x, y, arg, 0),
            None => max_forward_body::<One<f64>, false>(d, x, y, &mut [], 0),
        }
    }
    fn max_pool_backward(d: PoolDims, dy: &[f64], arg: &[u32], dx: &mut [f64]) {
        max_backward_reference(d, 0.0, dy, arg, dx)
    }
    fn avg_pool_forward(d: PoolDims, x: &[f64], y: &mut [f64]) {
        avg_forward_reference(d, f64::inv(d.f * d.f), x, y)
    }
    fn avg_pool_backward(d: PoolDims, dy: &[f64], dx: &mut [f64]) {
        avg_backward_reference(d, f64::inv(d.f * d.f), dy, dx)
    }
}

/// `y ← max-pool(x)` in f32 on `isa`, with the argmax features when `arg` is given. Without
/// the argmax, batches narrower than a vector run by rows (see `rows`).
pub fn max_forward_with(isa: Isa, d: PoolDims, x: &[f32], y: &mut [f32], arg: Option<&mut [u32]>) {
    max_forward_path((isa, true), d, x, y, arg)
}

/// [`max_forward_with`] as it ran before the row path for small batches (the benches'
/// baseline).
#[doc(hidden)]
pub fn max_forward_windows_with(
    isa: Isa,
    d: PoolDims,
    x: &[f32],
    y: &mut [f32],
    arg: Option<&mut [u32]>,
) {
    max_forward_path((isa, false), d, x, y, arg)
}

fn max_forward_path(
    (isa, rows_ok): (Isa, bool),
    d: PoolDims,
    x: &[f32],
    y: &mut [f32],
    arg: Option<&mut [u32]>,
) {
    d.check(x.len(), y.len());
    if arg.is_none() && rows_ok && rows::by_rows(usable(isa), &d) {
        return dispatch(isa, Pool::MaxRows(d, x, y));
    }
    let run = |d: PoolDims, c0: usize, x: &[f32], y: &mut [f32], arg: Option<&mut [u32]>| {
        dispatch(isa, Pool::Max(d, c0, x, y, arg))
    };
    let Some(k) = d.cut() else {
        return run(d, 0, x, y, arg);
    };
    let (xp, yp) = d.planes();
    let ((x0, x1), (y0, y1)) = (x.split_at(k * xp), y.split_at_mut(k * yp));
    let (a0, a1) = match arg {
        Some(a) => {
            let (a0, a1) = a.split_at_mut(k * yp);
            (Some(a0), Some(a1))
        }
        None => (None, None),
    };
    fork::join(
        || run(d.with_c(k), 0, x0, y0, a0),
        || run(d.with_c(d.c - k), k, x1, y1, a1),
    );
}

/// `dx ← 0`, then `dx[arg[k]] += dy[k]`, in f32 on `isa`.
pub fn max_backward_with(isa: Isa, d: PoolDims, dy: &[f32], arg: &[u32], dx: &mut [f32]) {
    d.check(dx.len(), dy.len());
    let run = |d: PoolDims, c0: usize, dy: &[f32], arg: &[u32], dx: &mut [f32]| {
        dispatch(isa, Pool::MaxBack(d, c0, dy, arg, dx))
    };
    // The reference (the scalar path) reads `arg` as features of its own slices: one call.
    let Some(k) = d.cut().filter(|_| usable(isa) != Isa::Scalar) else {
        return run(d, 0, dy, arg, dx);
    };
    let (xp, yp) = d.planes();
    let ((g0, g1), (a0, a1)) = (dy.split_at(k * yp), arg.split_at(k * yp));
    let (dx0, dx1) = dx.split_at_mut(k * xp);
    fork::join(
        || run(d.with_c(k), 0, g0, a0, dx0),
        || run(d.with_c(d.c - k), k, g1, a1, dx1),
    );
}

/// `y ← (1/f²)·Σ` over each window, in f32 on `isa`.
pub fn avg_forward_with(isa: Isa, d: PoolDims, x: &[f32], y: &mut [f32]) {
    d.check(x.len(), y.len());
    let inv = f32::inv(d.f * d.f);
    let run = |d: PoolDims, x: &[f32], y: &mut [f32]| dispatch(isa, Pool::Avg(d, inv, x, y));
    let Some(k) = d.cut() else {
        return run(d, x, y);
    };
    let (xp, yp) = d.planes();
    let ((x0, x1), (y0, y1)) = (x.split_at(k * xp), y.split_at_mut(k * yp));
    fork::join(
        || run(d.with_c(k), x0, y0),
        || run(d.with_c(d.c - k), x1, y1),
    );
}

/// `dx ←` the sum of `dY/f²` over the windows covering each input value, in f32 on `isa`.
pub fn avg_backward_with(isa: Isa, d: PoolDims, dy: &[f32], dx: &mut [f32]) {
    d.check(dx.len(), dy.len());
    let inv = f32::inv(d.f * d.f);
    let run =
        |d: PoolDims, dy: &[f32], dx: &mut [f32]| dispatch(isa, Pool::AvgBack(d, inv, dy, dx));
    let Some(k) = d.cut() else {
        return run(d, dy, dx);
    };
    let (xp, yp) = d.planes();
    let ((g0, g1), (dx0, dx1)) = (dy.split_at(k * yp), dx.split_at_mut(k * xp));
    fork::join(
        || run(d.with_c(k), g0, dx0),
        || run(d.with_c(d.c - k), g1, dx1),
    );
}

/// The previous max-pooling kernel, kept as the benchmarks' baseline: the reference loops
/// compiled with AVX2 or AVX-512 enabled (auto-vectorized), on one thread.
pub fn max_forward_autovec(isa: Isa, d: PoolDims, x: &[f32], y: &mut [f32], arg: &mut [u32]) {
    dispatch(isa, Pool::Autovec(d, x, y, arg))
}
