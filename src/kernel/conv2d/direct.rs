//! The direct kernels: a stride-1 convolution of an input that already carries its zero
//! border ([`Valid`]), as register tiles.
//!
//! With stride 1, output row `oy` of channel `o` is one contiguous run of `n = n_W·m` values
//! (positions × batch), and the values tap `(c, u, v)` multiplies are the run of the same
//! length starting at `((c·H + oy + u)·W + v)·m` in the input. The convolution of a row is
//! thus a small matrix product whose `B` rows are windows into the input: im2col without the
//! copy.
//!
//! * forward: an `OC × WIDTH` block of `Y` (`OC` ≤ 4 channels, `WIDTH` consecutive values of
//!   one row) stays in registers while the taps run; each tap loads `WIDTH` input values and
//!   broadcasts `OC` weights. A row whose length is not a multiple of `WIDTH` ends with a
//!   block that overlaps the previous one (it recomputes equal values), so no lane is masked.
//! * `dW`: an `OC × TV` block of dot products (`TV` taps), `L` lanes each, runs over every
//!   row and is summed across lanes at the end.
//!
//! One generic body per kernel over [`Lanes`]; the `#[target_feature]` wrappers of
//! `dispatch` instantiate it with AVX-512 or AVX2 vectors, the scalar paths (f32 without
//! SIMD, and f64, which the layers' gradient checks use) with one lane.

use crate::kernel::gemm::Element;
use crate::kernel::lanes::{Lanes, One};

/// Sizes of a stride-1 convolution without padding: `c_in` planes `h × w` of `m` samples,
/// `c_out` filters `f × f`, output `(h − f + 1) × (w − f + 1)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Valid {
    /// Input channels.
    pub c_in: usize,
    /// Input height (with the padding already in it).
    pub h: usize,
    /// Input width (with the padding already in it).
    pub w: usize,
    /// Output channels.
    pub c_out: usize,
    /// Filter size.
    pub f: usize,
    /// Batch size.
    pub m: usize,
}

impl Valid {
    /// Output height.
    pub fn oh(&self) -> usize {
        self.h + 1 - self.f
    }
    /// Values in one output row, `n_W·m`.
    pub fn n(&self) -> usize {
        (self.w + 1 - self.f) * self.m
    }
    /// Taps per filter, `c_in·f²`.
    pub fn taps(&self) -> usize {
        self.c_in * self.f * self.f
    }
    /// Where tap `t = (c·f + u)·f + v` starts reading, relative to the output row's start.
    #[inline(always)]
    fn offset(&self, t: usize) -> usize {
        let (cu, v) = (t / self.f, t % self.f);
        let (c, u) = (cu / self.f, cu % self.f);
        ((c * self.h + u) * self.w + v) * self.m
    }
    /// The bounds the unchecked reads of the tiles rely on.
    fn check<T>(&self, x: &[T], out: &[T], per_channel: usize, o: (usize, usize)) {
        assert!(
            self.f >= 1 && self.h >= self.f && self.w >= self.f,
            "conv2d: filter size"
        );
        assert_eq!(
            x.len(),
            self.c_in * self.h * self.w * self.m,
            "conv2d: input"
        );
        assert!(o.0 <= o.1 && o.1 <= self.c_out, "conv2d: output channels");
        assert_eq!(out.len(), (o.1 - o.0) * per_channel, "conv2d: output");
    }
    fn per_out_channel(&self) -> usize {
        self.oh() * self.n()
    }
}

/// Output channels per register tile: 4 when 4 divides `c_out`, else 3 when 3 does, else 4
/// (and a smaller tile for the rest). The two-thread split cuts at a multiple of it.
pub fn block(c_out: usize) -> usize {
    if !c_out.is_multiple_of(4) && c_out.is_multiple_of(3) {
        3
    } else {
        4
    }
}

/// What every forward tile reads.
struct Forward<'a, T> {
    g: Valid,
    x: &'a [T],
    w: &'a [T],
    b: Option<&'a [T]>,
    /// The output channels `y` holds.
    o: (usize, usize),
}

/// `Y[o0.., oy, q0..q0 + NV·N] = b + Σ_taps W·X`, `OC` channels.
#[inline(always)]
fn forward_tile<V: Lanes, const OC: usize, const NV: usize>(
    f: &Forward<'_, V::E>,
    y: &mut [V::E],
    (o0, oy, q0): (usize, usize, usize),
) {
    let g = f.g;
    let (k, m) = (g.taps(), g.m);
    let mut acc = [[V::splat(V::E::ZERO); NV]; OC];
    if let Some(b) = f.b {
        for (i, acc_i) in acc.iter_mut().enumerate() {
            *acc_i = [V::splat(b[o0 + i]); NV];
        }
    }
    let (xp, wp) = (f.x.as_ptr(), f.w.as_ptr());
    for c in 0..g.c_in {
        for u in 0..g.f {
            let row = (c * g.h + oy + u) * g.w * m + q0;
            let tap = (c * g.f + u) * g.f;
            for v in 0..g.f {
                // SAFETY: `check` asserted `x.len() = c_in·h·w·m`; with `c < c_in`,
                // `oy + u ≤ h − 1`, `v ≤ f − 1` and `q0 + NV·N ≤ n = (w − f + 1)·m` the last
                // value read is `((c·h + oy + u)·w + v)·m + q0 + NV·N − 1 < (c·h + h)·w·m`.
                let xs: [V; NV] =
                    core::array::from_fn(|j| unsafe { V::load(xp.add(row + v * m + j * V::N)) });
                for (i, acc_i) in acc.iter_mut().enumerate() {
                    // SAFETY: `o0 + i < c_out` and `tap + v < k`, and `w.len() = c_out·k`.
                    let wv = V::splat(unsafe { *wp.add((o0 + i) * k + tap + v) });
                    for (a, &xv) in acc_i.iter_mut().zip(&xs) {
                        *a = wv.madd(xv, *a);
                    }
                }
            }
        }
    }
    let (n, plane) = (g.n(), g.per_out_channel());
    for (i, acc_i) in acc.iter().enumerate() {
        let out = &mut y[(o0 + i - f.o.0) * plane + oy * n + q0..][..NV * V::N];
        for (j, a) in acc_i.iter().enumerate() {
            // SAFETY: `out` holds `NV·N` values, so `N` from `j·N` (`j < NV`) are inside it.
            unsafe { a.store(out.as_mut_ptr().add(j * V::N)) }
        }
    }
}

/// Every channel block of `f.o` at one position.
#[inline(always)]
fn forward_blocks<V: Lanes, const NV: usize>(
    f: &Forward<'_, V::E>,
    y: &mut [V::E],
    oy: usize,
    q0: usize,
) {
    let bs = block(f.g.c_out);
    let mut o0 = f.o.0;
    while o0 < f.o.1 {
        let at = (o0, oy, q0);
        match (f.o.1 - o0).min(bs) {
            4 => forward_tile::<V, 4, NV>(f, y, at),
            3 => forward_tile::<V, 3, NV>(f, y, at),
            2 => forward_tile::<V, 2, NV>(f, y, at),
            _ => forward_tile::<V, 1, NV>(f, y, at),
        }
        o0 += bs;
    }
}

/// One output row in tiles of `NV` vectors of `V`, the last one moved back to end at the
/// row's end (overlapping its neighbour, which it recomputes equal).
#[inline(always)]
fn forward_row<V: Lanes, const NV: usize>(f: &Forward<'_, V::E>, y: &mut [V::E], oy: usize) {
    let (n, width) = (f.g.n(), NV * V::N);
    let mut q0 = 0;
    while q0 + width <= n {
        forward_blocks::<V, NV>(f, y, oy, q0);
        q0 += width;
    }
    if q0 < n {
        forward_blocks::<V, NV>(f, y, oy, n - width);
    }
}

/// Output channels `o.0..o.1` of the convolution, into `y` (which holds exactly those):
/// `Y = W ⋆ X + b` (or without `b`). Tiles are `NV` vectors wide, or one vector, or one value
/// when the rows are shorter.
#[inline(always)]
pub fn forward_body<V: Lanes, const NV: usize>(
    g: Valid,
    x: &[V::E],
    w: &[V::E],
    b: Option<&[V::E]>,
    y: &mut [V::E],
    o: (usize, usize),
) {
    g.check(x, y, g.per_out_channel(), o);
    assert_eq!(w.len(), g.c_out * g.taps(), "conv2d: filters");
    if let Some(b) = b {
        assert_eq!(b.len(), g.c_out, "conv2d: biases");
    }
    let f = Forward { g, x, w, b, o };
    let n = g.n();
    for oy in 0..g.oh() {
        if n >= NV * V::N {
            forward_row::<V, NV>(&f, y, oy);
        } else if n >= V::N {
            forward_row::<V, 1>(&f, y, oy);
        } else {
            forward_row::<One<V::E>, 1>(&f, y, oy);
        }
    }
}

/// `dW[o0.., taps] = α·Σ_rows dY·X` for `OC` channels and the `TV` taps `t` (only the first
/// `live` are stored; the others repeat a tap to keep the tile full).
#[inline(always)]
#[allow(clippy::too_many_arguments)] // a BLAS-style microkernel: sizes, inputs, output, place
fn dw_tile<V: Lanes, const OC: usize, const TV: usize>(
    g: Valid,
    alpha: V::E,
    (x, dy): (&[V::E], &[V::E]),
    dw: &mut [V::E],
    (o0, o_first): (usize, usize),
    t: [usize; TV],
    live: usize,
) {
    let (n, plane) = (g.n(), g.per_out_channel());
    let whole = n - n % V::N;
    let off = t.map(|t| g.offset(t));
    let mut acc = [[V::splat(V::E::ZERO); TV]; OC];
    let mut tail = [[V::E::ZERO; TV]; OC];
    let (xp, dp) = (x.as_ptr(), dy.as_ptr());
    for oy in 0..g.oh() {
        let (xrow, drow) = (oy * g.w * g.m, o0 * plane + oy * n);
        let mut q = 0;
        while q < whole {
            // SAFETY: `dw_body` asserted `dy.len() = c_out·plane`; `o0 + i < c_out`,
            // `oy < oh` and `q + N ≤ n`, so the `N` values are inside channel `o0 + i`'s plane.
            let d: [V; OC] =
                core::array::from_fn(|i| unsafe { V::load(dp.add(drow + i * plane + q)) });
            for (j, &o) in off.iter().enumerate() {
                // SAFETY: as in `forward_tile`: tap `t[j]` of output row `oy` reads `n` values
                // from `off + oy·w·m`, all inside `x`, and `q + N ≤ n`.
                let xv = unsafe { V::load(xp.add(o + xrow + q)) };
                for (acc_i, &d_i) in acc.iter_mut().zip(&d) {
                    acc_i[j] = d_i.madd(xv, acc_i[j]);
                }
            }
            q += V::N;
        }
        for q in whole..n {
            for (i, tail_i) in tail.iter_mut().enumerate() {
                let dv = dy[drow + i * plane + q];
                for (s, &o) in tail_i.iter_mut().zip(&off) {
                    *s = dv * x[o + xrow + q] + *s;
                }
            }
        }
    }
    let k = g.taps();
    for (i, (acc_i, tail_i)) in acc.iter().zip(&tail).enumerate() {
        for j in 0..live {
            let sum = acc_i[j].sum() + tail_i[j];
            dw[(o0 + i - o_first) * k + t[j]] = alpha * sum;
        }
    }
}

/// `dW = α·Σ dY ⊗ X` for output channels `o.0..o.1`, into `dw` (which holds exactly those,
/// `c_in·f²` each), in tiles of up to 4 channels × `TV` taps of `N` lanes.
#[inline(always)]
pub fn dw_body<V: Lanes, const TV: usize>(
    g: Valid,
    alpha: V::E,
    x: &[V::E],
    dy: &[V::E],
    dw: &mut [V::E],
    o: (usize, usize),
) {
    let k = g.taps();
    g.check(x, dw, k, o);
    assert_eq!(dy.len(), g.c_out * g.per_out_channel(), "conv2d: dY");
    let bs = block(g.c_out);
    let mut o0 = o.0;
    while o0 < o.1 {
        let mut t0 = 0;
        while t0 < k {
            let live = (k - t0).min(TV);
            let t = core::array::from_fn(|j| t0 + if j < live { j } else { 0 });
            let (xd, oo) = ((x, dy), (o0, o.0));
            match (o.1 - o0).min(bs) {
                4 => dw_tile::<V, 4, TV>(g, alpha, xd, dw, oo, t, live),
                3 => dw_tile::<V, 3, TV>(g, alpha, xd, dw, oo, t, live),
                2 => dw_tile::<V, 2, TV>(g, alpha, xd, dw, oo, t, live),
                _ => dw_tile::<V, 1, TV>(g, alpha, xd, dw, oo, t, live),
            }
            t0 += TV;
        }
        o0 += bs;
    }
}
