//! 2-D convolution (cross-correlation, as in the notes and every framework) over a batch
//! stored feature-major: value `(c, h, w)` of sample `j` at `((c·H + h)·W + w)·m + j`, so the
//! batch is the innermost, contiguous dimension.
//!
//! With filters `W: C_out × C_in × f × f`, stride `s`, padding `p` (zeros):
//!
//! * forward  `Y[o, y, x] = b[o] + Σ_{c, u, v} W[o, c, u, v] · X[c, y·s + u − p, x·s + v − p]`
//! * backward `dW[o, c, u, v] = α·Σ_{y, x, j} dY[o, y, x, j] · X[c, y·s + u − p, x·s + v − p, j]`,
//!   `db[o] = α·Σ dY[o, …]`, `dX[c, i, k] = Σ W[o, c, u, v] · dY[o, y, x]` over the windows
//!   covering `(i, k)`; `α = 1/m` in the layers.
//!
//! [`forward`] and [`backward`] take the direct kernels of [`direct`] and [`grad`] when the
//! stride is 1 and `p < f`: with padding, the input is first copied into a zero-bordered,
//! 64-byte-aligned buffer; then every tap reads a window of it in place, and taps that would
//! read only the border are skipped. `dX` is the same forward kernel run on `dY` bordered
//! with `f − 1 − p` zeros and the filters rotated by 180° with `C_in` and `C_out` swapped
//! (the skipped border taps are half of that product for LeNet's second convolution). Other
//! shapes (stride > 1, `p ≥ f`) go through [`super::im2col`]. [`reference`](mod@reference)
//! holds the plain loops every path is tested against.

pub mod direct;
mod dispatch;
pub mod grad;
mod pad;
pub mod reference;
#[cfg(test)]
mod tests;

pub use dispatch::ConvKernel;
pub use pad::pad;
pub use reference::{backward_reference, forward_reference};

use super::fork;
use super::gemm::{Element, parallel_threshold};
use super::im2col;
use super::isa::Isa;
use direct::{Tiling, Valid, block};
use grad::dw_scratch;
use pad::Bordered;

/// Sizes of one convolution over a batch of `m` samples.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConvDims {
    /// Input channels.
    pub c_in: usize,
    /// Input height.
    pub h: usize,
    /// Input width.
    pub w: usize,
    /// Output channels (filters).
    pub c_out: usize,
    /// Output height `⌊(h + 2p − f)/s⌋ + 1`.
    pub oh: usize,
    /// Output width.
    pub ow: usize,
    /// Filter size.
    pub f: usize,
    /// Stride.
    pub s: usize,
    /// Padding.
    pub p: usize,
    /// Batch size.
    pub m: usize,
}

impl ConvDims {
    pub(crate) fn check<T>(&self, x: &[T], w: &[T], y: &[T]) {
        assert_eq!(
            x.len(),
            self.c_in * self.h * self.w * self.m,
            "conv2d: input length"
        );
        assert_eq!(
            w.len(),
            self.c_out * self.c_in * self.f * self.f,
            "conv2d: filter length"
        );
        assert_eq!(
            y.len(),
            self.c_out * self.oh * self.ow * self.m,
            "conv2d: output length"
        );
        assert_eq!(
            self.oh,
            (self.h + 2 * self.p - self.f) / self.s + 1,
            "conv2d: output height"
        );
        assert_eq!(
            self.ow,
            (self.w + 2 * self.p - self.f) / self.s + 1,
            "conv2d: output width"
        );
    }

    /// Input row (or column) read by output position `out` at filter offset `u`, or `None`
    /// in the padding.
    #[inline(always)]
    pub(crate) fn source(&self, out: usize, u: usize, n: usize) -> Option<usize> {
        (out * self.s + u).checked_sub(self.p).filter(|&i| i < n)
    }

    /// Whether the direct kernels take this shape: stride 1 and `p < f` (so `dX`'s border
    /// `f − 1 − p` is not negative).
    pub fn is_direct(&self) -> bool {
        self.s == 1 && self.p < self.f
    }

    /// The padded forward problem.
    fn valid(&self) -> Valid {
        Valid {
            c_in: self.c_in,
            h: self.h + 2 * self.p,
            w: self.w + 2 * self.p,
            c_out: self.c_out,
            f: self.f,
            m: self.m,
            zero: self.p,
            tiling: Tiling::Auto,
        }
    }

    /// Multiply-adds of the forward pass, `m·C_out·n_H·n_W·C_in·f²`.
    fn macs(&self) -> usize {
        self.m * self.c_out * self.oh * self.ow * self.c_in * self.f * self.f
    }
}

/// Buffers a convolution reuses between calls (grown on first use, then only reused).
#[derive(Clone, Debug, Default)]
pub struct ConvScratch<T> {
    /// The input with its zero border, kept from forward for `dW`.
    padded: Bordered<T>,
    /// `dY` with a border of `f − 1 − p` zeros, for `dX`.
    dy_padded: Bordered<T>,
    /// The filters rotated by 180°, `C_in × C_out × f × f`, for `dX`.
    flipped: Vec<T>,
    /// The lane sums of `dW` (see [`grad::dw_body`]), two parts for two threads.
    dw_lanes: Vec<T>,
    /// im2col's matrix and its gradient, for the shapes the direct kernels do not take.
    col: Vec<T>,
    dcol: Vec<T>,
}

/// `flipped[c, o, u, v] ← w[o, c, f − 1 − u, f − 1 − v]`.
fn flip<T: Element>(d: ConvDims, w: &[T], flipped: &mut Vec<T>) {
    let ff = d.f * d.f;
    flipped.resize(w.len(), T::ZERO);
    for o in 0..d.c_out {
        for c in 0..d.c_in {
            let src = &w[(o * d.c_in + c) * ff..][..ff];
            let dst = &mut flipped[(c * d.c_out + o) * ff..][..ff];
            for (t, v) in dst.iter_mut().zip(src.iter().rev()) {
                *t = *v;
            }
        }
    }
}

/// Runs `body(part, scratch, channels)` on the first and second halves of `out`'s `channels`
/// (of `per_channel` values each) on two threads when `big`, else once on all of them. The
/// cut falls on a multiple of the tile's channel block; `scratch` is cut with the channels,
/// `sc.0` values per channel and `sc.1` more per part.
fn split_channels<T: Send>(
    (channels, per_channel): (usize, usize),
    big: bool,
    out: &mut [T],
    (scratch, sc): (&mut [T], (usize, usize)),
    body: impl Fn(&mut [T], &mut [T], (usize, usize)) + Sync,
) {
    let bs = block(channels);
    let blocks = channels.div_ceil(bs);
    if !big || blocks < 2 || !crate::kernel::fork::can_split() {
        return body(out, scratch, (0, channels));
    }
    let mid = blocks / 2 * bs;
    let (first, second) = out.split_at_mut(mid * per_channel);
    let (s0, s1) = scratch.split_at_mut((mid * sc.0 + sc.1).min(scratch.len()));
    fork::join(
        || body(first, s0, (0, mid)),
        || body(second, s1, (mid, channels)),
    );
}

/// `y ← conv(x, w) + b` on the ISA [`Isa::get`] chose.
pub fn forward<T: ConvKernel>(
    d: ConvDims,
    x: &[T],
    w: &[T],
    b: &[T],
    s: &mut ConvScratch<T>,
    y: &mut [T],
) {
    forward_with(Isa::get(), d, x, w, b, s, y)
}

/// `y ← conv(x, w) + b` on `isa` (direct kernels when they apply, else im2col). `s` keeps
/// what [`backward_with`] needs.
pub fn forward_with<T: ConvKernel>(
    isa: Isa,
    d: ConvDims,
    x: &[T],
    w: &[T],
    b: &[T],
    s: &mut ConvScratch<T>,
    y: &mut [T],
) {
    forward_tiled((isa, Tiling::Auto), d, x, (w, b), s, y)
}

/// [`forward_with`] as it ran before the plane runs for short rows (tiles along output rows
/// only). Kept as the benches' baseline.
#[doc(hidden)]
pub fn forward_rows_with<T: ConvKernel>(
    isa: Isa,
    d: ConvDims,
    x: &[T],
    w: &[T],
    b: &[T],
    s: &mut ConvScratch<T>,
    y: &mut [T],
) {
    forward_tiled((isa, Tiling::Rows), d, x, (w, b), s, y)
}

/// [`forward_with`] with the direct kernel's tiling given.
fn forward_tiled<T: ConvKernel>(
    (isa, tiling): (Isa, Tiling),
    d: ConvDims,
    x: &[T],
    (w, b): (&[T], &[T]),
    s: &mut ConvScratch<T>,
    y: &mut [T],
) {
    d.check(x, w, y);
    assert_eq!(b.len(), d.c_out, "conv2d: bias length");
    if !d.is_direct() {
        return im2col::forward(d, x, w, b, &mut s.col, y);
    }
    let g = Valid {
        tiling,
        ..d.valid()
    };
    let xp: &[T] = if d.p == 0 {
        x
    } else {
        s.padded.fill((d.c_in, d.h, d.w, d.m), d.p, x)
    };
    let big = d.macs() >= parallel_threshold();
    let shape = (d.c_out, d.oh * d.ow * d.m);
    split_channels(shape, big, y, (&mut [], (0, 0)), |y, _, o| {
        T::valid_forward(isa, g, xp, w, Some(b), y, o)
    });
}

/// `dw ← α·Σ dY ⊗ X`, `db ← α·Σ dY` and, when `dx` is given, `dx ← dX`, on the ISA
/// [`Isa::get`] chose. `s` must be what [`forward`] filled for this `x`.
#[allow(clippy::too_many_arguments)] // the BLAS-style contract: sizes, inputs, outputs, scratch
pub fn backward<T: ConvKernel>(
    d: ConvDims,
    alpha: T,
    x: &[T],
    w: &[T],
    dy: &[T],
    (dw, db): (&mut [T], &mut [T]),
    dx: Option<&mut [T]>,
    s: &mut ConvScratch<T>,
) {
    backward_with(Isa::get(), d, alpha, x, w, dy, (dw, db), dx, s)
}

/// [`backward`] on `isa`; `s` must be what [`forward_with`] filled for this `x` on the same
/// `isa`.
#[allow(clippy::too_many_arguments)] // the BLAS-style contract: sizes, inputs, outputs, scratch
pub fn backward_with<T: ConvKernel>(
    isa: Isa,
    d: ConvDims,
    alpha: T,
    x: &[T],
    w: &[T],
    dy: &[T],
    (dw, db): (&mut [T], &mut [T]),
    dx: Option<&mut [T]>,
    s: &mut ConvScratch<T>,
) {
    d.check(x, w, dy);
    assert_eq!(
        (dw.len(), db.len()),
        (w.len(), d.c_out),
        "conv2d: dW, db length"
    );
    if !d.is_direct() {
        let dx = dx.map(|dx| (dx, &mut s.dcol));
        return im2col::backward(d, alpha, w, &s.col, dy, dw, db, dx);
    }
    T::row_sums(isa, alpha, dy, db);
    let ConvScratch {
        padded,
        dy_padded,
        flipped,
        dw_lanes,
        ..
    } = s;
    let (g, big) = (d.valid(), d.macs() >= parallel_threshold());
    let xp: &[T] = if d.p == 0 {
        x
    } else {
        // The buffer forward filled; its aligned start is where forward put the data.
        padded.data()
    };
    // `dw_scratch(c) = (c·k + 32)·16`: 16 lanes per (channel, tap), 32 spare per part.
    let k = g.taps();
    dw_lanes.resize(dw_scratch(&g, d.c_out) + dw_scratch(&g, 0), T::ZERO);
    let per_channel = dw_scratch(&g, 1) - dw_scratch(&g, 0);
    let mut dw_pass = |split: bool| {
        let scratch = (&mut dw_lanes[..], (per_channel, dw_scratch(&g, 0)));
        split_channels((d.c_out, k), split, dw, scratch, |dw, acc, o| {
            T::valid_dw(isa, g, alpha, xp, dy, dw, o, acc)
        })
    };
    let Some(dx) = dx else {
        return dw_pass(big);
    };
    // dX = (dY bordered by f − 1 − p) ⋆ (W rotated, C_in ↔ C_out), stride 1.
    let q = d.f - 1 - d.p;
    let dyp: &[T] = if q == 0 {
        dy
    } else {
        dy_padded.fill((d.c_out, d.oh, d.ow, d.m), q, dy)
    };
    flip(d, w, flipped);
    let gt = Valid {
        c_in: d.c_out,
        h: d.oh + 2 * q,
        w: d.ow + 2 * q,
        c_out: d.c_in,
        f: d.f,
        m: d.m,
        zero: q,
        tiling: Tiling::Auto,
    };
    let flipped: &[T] = flipped;
    let mut dx_pass = |split: bool| {
        let shape = (d.c_in, d.h * d.w * d.m);
        split_channels(shape, split, dx, (&mut [], (0, 0)), |dx, _, o| {
            T::valid_forward(isa, gt, dyp, flipped, None, dx, o)
        })
    };
    // dW and dX cost the same multiply-adds: on two threads, one each.
    if big && crate::kernel::fork::can_split() {
        fork::join(move || dw_pass(false), move || dx_pass(false));
    } else {
        dw_pass(big);
        dx_pass(big);
    }
}
