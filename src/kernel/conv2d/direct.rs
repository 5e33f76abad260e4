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
//! * `dW` (in `grad`): an `OC × TV` block of dot products (`TV` taps), `N` lanes each, runs
//!   over blocks of rows and is summed across lanes at the end.
//!
//! * forward on short rows (`n_W·m` below one wide tile: small batches): the whole output
//!   plane is computed as one run over the input's full width, `q = (oy·W + x)·m + j`, where
//!   every tap is again one offset, `((c·H + u)·W + v)·m`, so the tiles stay `NV` vectors
//!   wide whatever the batch. The `W − n_W` columns of each row past the output's width are
//!   computed and dropped when the tile is stored (the plane's run ends at the last real
//!   output, so no read leaves the input). LeNet's second convolution at batch 1: rows of 10
//!   values, a plane run of 136.
//!
//! One generic body per kernel over `Lanes`; the kernels of
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
    /// Rows and columns of zeros known to border every input plane (the padding): taps that
    /// read only those are skipped.
    pub zero: usize,
    /// How forward lays its tiles (see the module doc).
    pub tiling: Tiling,
}

/// Where forward's tiles run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tiling {
    /// Along output rows, or along the whole plane when a row is shorter than a wide tile.
    Auto,
    /// Along output rows only (the kernel before the plane runs; the benches' baseline).
    Rows,
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
    pub(super) fn offset(&self, t: usize) -> usize {
        let (cu, v) = (t / self.f, t % self.f);
        let (c, u) = (cu / self.f, cu % self.f);
        ((c * self.h + u) * self.w + v) * self.m
    }
    /// The bounds the unchecked reads of the tiles rely on.
    pub(super) fn check<T>(&self, x: &[T], out: &[T], per_channel: usize, o: (usize, usize)) {
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
    pub(super) fn per_out_channel(&self) -> usize {
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

/// `Y[o0.., oy, q0..q0 + NV·N] = b + Σ_taps W·X`, `OC` channels; with `PLANE`, `oy` is 0 and
/// `q0` is a position of the plane run (see the module doc).
#[inline(always)]
fn forward_tile<V: Lanes, const OC: usize, const NV: usize, const F: usize, const PLANE: bool>(
    f: &Forward<'_, V::E>,
    y: &mut [V::E],
    (o0, oy, q0): (usize, usize, usize),
) {
    let g = f.g;
    let (k, m) = (g.taps(), g.m);
    let fs = if F == 0 { g.f } else { F };
    let mut acc = [[V::splat(V::E::ZERO); NV]; OC];
    if let Some(b) = f.b {
        for (i, acc_i) in acc.iter_mut().enumerate() {
            *acc_i = [V::splat(b[o0 + i]); NV];
        }
    }
    // The taps that read more than the zero border: rows `oy + u` and, for the tile's
    // positions `k0..=k1`, columns `k + v` inside it.
    let (z, k0, k1) = (g.zero, q0 / m, (q0 + NV * V::N - 1) / m);
    let (mut u0, mut u1) = (z.saturating_sub(oy), fs.min((g.h - z).saturating_sub(oy)));
    let (mut v0, mut v1) = (z.saturating_sub(k1), fs.min((g.w - z).saturating_sub(k0)));
    if PLANE {
        // The run crosses rows: every tap reads some real input.
        (u0, u1, v0, v1) = (0, fs, 0, fs);
    }
    let (xp, wp) = (f.x.as_ptr(), f.w.as_ptr());
    for c in 0..g.c_in {
        for u in u0..u1 {
            let row = (c * g.h + oy + u) * g.w * m + q0;
            let tap = (c * fs + u) * fs;
            for v in v0..v1 {
                // SAFETY: `check` asserted `x.len() = c_in·h·w·m`; with `c < c_in`,
                // `oy + u ≤ h − 1`, `v ≤ f − 1` and `q0 + NV·N ≤ n = (w − f + 1)·m` the last
                // value read is `((c·h + oy + u)·w + v)·m + q0 + NV·N − 1 < (c·h + h)·w·m`.
                // With `PLANE`, `oy = 0`, `u ≤ f − 1` and `q0 + NV·N ≤ ((oh − 1)·w + n_W)·m`,
                // so the last value read is below `(c·h + f − 1 + oh)·w·m = (c·h + h)·w·m`.
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
    if PLANE {
        return store_plane::<V, OC, NV>(&acc, g, &mut y[(o0 - f.o.0) * plane..], q0);
    }
    for (i, acc_i) in acc.iter().enumerate() {
        let out = &mut y[(o0 + i - f.o.0) * plane + oy * n + q0..][..NV * V::N];
        for (j, a) in acc_i.iter().enumerate() {
            // SAFETY: `out` holds `NV·N` values, so `N` from `j·N` (`j < NV`) are inside it.
            unsafe { a.store(out.as_mut_ptr().add(j * V::N)) }
        }
    }
}

/// Stores a tile of plane-run positions `q0..q0 + NV·N` into the output channels from `y`'s
/// start, dropping the positions past each row's `n_W` (one division per tile, one masked
/// store per piece of a vector inside a row).
#[inline(always)]
fn store_plane<V: Lanes, const OC: usize, const NV: usize>(
    acc: &[[V; NV]; OC],
    g: Valid,
    y: &mut [V::E],
    q0: usize,
) {
    let (n, plane, row) = (g.n(), g.per_out_channel(), g.w * g.m);
    assert!(y.len() >= (OC - 1) * plane + g.oh() * n);
    let yp = y.as_mut_ptr();
    let (mut oy, mut x) = (q0 / row, q0 % row);
    for j in 0..NV {
        let mut t = 0;
        while t < V::N {
            let len = (row - x).min(V::N - t);
            if x < n {
                let real = (n - x).min(len);
                for (i, acc_i) in acc.iter().enumerate() {
                    let at = (i * plane + oy * n + x).wrapping_sub(t);
                    // SAFETY: lanes `t..t + real` go to `i·plane + oy·n + x ..` `+ real`, with
                    // `oy < oh` (the run ends in the last row) and `x + real ≤ n`: inside `y`
                    // (asserted above).
                    unsafe { acc_i[j].store_range(yp.wrapping_add(at), t, t + real) };
                }
            }
            (t, x) = (t + len, x + len);
            if x == row {
                (oy, x) = (oy + 1, 0);
            }
        }
    }
}

/// Every channel block of `f.o` at one position.
#[inline(always)]
fn forward_blocks<V: Lanes, const NV: usize, const F: usize, const PLANE: bool>(
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
            4 => forward_tile::<V, 4, NV, F, PLANE>(f, y, at),
            3 => forward_tile::<V, 3, NV, F, PLANE>(f, y, at),
            2 => forward_tile::<V, 2, NV, F, PLANE>(f, y, at),
            _ => forward_tile::<V, 1, NV, F, PLANE>(f, y, at),
        }
        o0 += bs;
    }
}

/// One output row (or with `PLANE` the plane run of `n` values) in tiles of `NV` vectors of
/// `V`, the last one moved back to end at the row's end (overlapping its neighbour, which it
/// recomputes equal).
#[inline(always)]
fn forward_row<V: Lanes, const NV: usize, const F: usize, const PLANE: bool>(
    f: &Forward<'_, V::E>,
    y: &mut [V::E],
    (oy, n): (usize, usize),
) {
    let width = NV * V::N;
    let mut q0 = 0;
    while q0 + width <= n {
        forward_blocks::<V, NV, F, PLANE>(f, y, oy, q0);
        q0 += width;
    }
    if q0 < n {
        forward_blocks::<V, NV, F, PLANE>(f, y, oy, n - width);
    }
}

/// Output channels `o.0..o.1` of the convolution, into `y` (which holds exactly those):
/// `Y = W ⋆ X + b` (or without `b`). Tiles are `NV` vectors wide, or one vector, or one value
/// when the rows are shorter. `F` is the filter size when the taps are to unroll for it (the
/// dispatch passes 3 and 5), else 0; callers instantiate one body per `F`, so each is a
/// function of its own for LLVM (smaller functions, optimized faster and in separate codegen
/// units).
#[inline(always)]
pub fn forward_body<V: Lanes, const NV: usize, const F: usize>(
    g: Valid,
    x: &[V::E],
    w: &[V::E],
    b: Option<&[V::E]>,
    y: &mut [V::E],
    o: (usize, usize),
) {
    assert!(F == 0 || F == g.f, "conv2d: filter size");
    forward_rows::<V, NV, F>(&Forward::new(g, (x, w, b), y, o), y)
}

impl<'a, T: Element> Forward<'a, T> {
    /// The arguments of a forward pass, after checking the bounds its tiles rely on.
    fn new(
        g: Valid,
        (x, w, b): (&'a [T], &'a [T], Option<&'a [T]>),
        y: &[T],
        o: (usize, usize),
    ) -> Self {
        g.check(x, y, g.per_out_channel(), o);
        assert_eq!(w.len(), g.c_out * g.taps(), "conv2d: filters");
        if let Some(b) = b {
            assert_eq!(b.len(), g.c_out, "conv2d: biases");
        }
        Forward { g, x, w, b, o }
    }
}

/// Every output row, or the plane run when rows are shorter than a wide tile (see the
/// module doc; never on one lane, where a row of one-value tiles wastes no lane); `F` is the
/// filter size when known at compile time (3 and 5, whose tap loops then unroll), else 0.
/// Only the wide tiles use `F`: the one-vector and one-value tiles of tiny rows run the
/// generic taps (each unrolled copy costs compile time).
#[inline(always)]
fn forward_rows<V: Lanes, const NV: usize, const F: usize>(f: &Forward<'_, V::E>, y: &mut [V::E]) {
    let (g, n) = (f.g, f.g.n());
    // Only SIMD lanes compile the plane runs (`if const`: one-lane paths instantiate none).
    if const { V::N > 1 } && g.tiling == Tiling::Auto {
        let run = ((g.oh() - 1) * g.w + g.w + 1 - g.f) * g.m;
        // Lanes computed: by rows, whole tiles per row (the last one overlapping; tiles of
        // one vector counted 1.5 times, as they load more per FMA); by the plane run, tiles
        // of NV vectors or of 3, whichever wastes less on the overlapping last tile.
        let (wide, vectors) = (NV * V::N, run.div_ceil(V::N));
        let by_rows = match n {
            n if n >= wide => g.oh() * n.div_ceil(wide) * wide,
            n if n >= V::N => g.oh() * n.div_ceil(V::N) * V::N * 3 / 2,
            _ => usize::MAX,
        };
        let waste = |nv: usize| vectors.div_ceil(nv) * nv;
        let by_plane = waste(NV).min(waste(3)) * V::N;
        if run > n && by_plane < by_rows {
            // LeNet's c2 at batch 1: a run of 9 vectors is 12 in tiles of 6, 9 in tiles of 3.
            return if run >= wide && waste(NV) <= waste(3) {
                forward_row::<V, NV, F, true>(f, y, (0, run))
            } else if run >= 3 * V::N {
                forward_row::<V, 3, F, true>(f, y, (0, run))
            } else if run >= V::N {
                forward_row::<V, 1, 0, true>(f, y, (0, run))
            } else {
                forward_row::<One<V::E>, 1, 0, true>(f, y, (0, run))
            };
        }
    }
    for oy in 0..g.oh() {
        if n >= NV * V::N {
            forward_row::<V, NV, F, false>(f, y, (oy, n));
        } else if n >= V::N {
            forward_row::<V, 1, 0, false>(f, y, (oy, n));
        } else {
            forward_row::<One<V::E>, 1, 0, false>(f, y, (oy, n));
        }
    }
}
