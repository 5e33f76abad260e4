//! The pooling bodies over [`Lanes`]: each window is walked once per vector of `N` samples
//! (the batch is the contiguous dimension), the batch's last `m mod N` samples on one lane.
//!
//! Windows of 2×2 (LeNet's, and the usual one) have their size as a compile-time constant
//! `F`, so the window loops unroll (other sizes run the same code with `F = 0`, run-time
//! loops). The hot paths use no closures: a closure is a function of its own, which LLVM may
//! leave out of line, and then it does not inherit the caller's `#[target_feature]`s (each
//! intrinsic becomes a call; measured 13× slower).
//!
//! Backward writes `dX` directly when the windows tile the input (`s = f`: every input value
//! belongs to at most one window), zeroing only the rows and columns no window covers; with
//! overlapping or gapped windows it zeroes `dX` and accumulates.

use super::PoolDims;
use crate::kernel::gemm::Element;
use crate::kernel::lanes::{Lanes, One};

/// Where one vector of one window is: the window's first input feature (local to the slices)
/// and as an absolute feature index (what the argmax stores), the output's offset, and the
/// first sample `j`.
#[derive(Clone, Copy)]
struct At {
    first: usize,
    abs: u32,
    out: usize,
    j: usize,
}

/// Runs `$wide` on every whole vector of `$n` samples of every window, then `$one` on each
/// remaining sample (or `$rest` once on all of them), with `$a: At` in scope (a macro, not a
/// closure: see the module doc).
macro_rules! each_chunk {
    // `$rest` runs once on the last `$rem < $n` samples of each window.
    ($d:expr, $c0:expr, $n:expr, |$a:ident| $wide:expr, |$ra:ident, $rem:ident| $rest:expr) => {{
        let d: &PoolDims = $d;
        let whole = d.m - d.m % $n;
        for c in 0..d.c {
            for oy in 0..d.oh {
                for ox in 0..d.ow {
                    let first = (c * d.h + oy * d.s) * d.w + ox * d.s;
                    let abs = (first + $c0 * d.h * d.w) as u32;
                    let out = ((c * d.oh + oy) * d.ow + ox) * d.m;
                    let mut j = 0;
                    while j < whole {
                        let $a = At { first, abs, out, j };
                        $wide;
                        j += $n;
                    }
                    if j < d.m {
                        let ($ra, $rem) = (At { first, abs, out, j }, d.m - j);
                        $rest;
                    }
                }
            }
        }
    }};
    ($d:expr, $c0:expr, $n:expr, |$a:ident| $wide:expr, $one:expr) => {
        each_chunk!($d, $c0, $n, |$a| $wide, |$a, rem| {
            let (m, mut j) = ($a.j + rem, $a.j);
            while j < m {
                let $a = At { j, ..$a };
                $one;
                j += 1;
            }
        })
    };
}

/// `F`, or the run-time window size when `F = 0`.
#[inline(always)]
fn size<const F: usize>(d: &PoolDims) -> usize {
    if F == 0 { d.f } else { F }
}

/// The `N` samples from `a.j` of input feature `i`.
///
/// # Safety
/// `x` must hold feature `i` of `m` samples and `a.j + N ≤ m`.
#[inline(always)]
unsafe fn load<L: Lanes>(x: &[L::E], i: usize, m: usize, a: At) -> L {
    // SAFETY: the caller's contract.
    unsafe { L::load(x.as_ptr().add(i * m + a.j)) }
}

/// `y`, `arg` at one vector of one window: the maximum and its absolute feature.
#[inline(always)]
fn max_chunk<L: Lanes, const ARG: bool, const F: usize>(
    d: &PoolDims,
    x: &[L::E],
    y: &mut [L::E],
    arg: &mut [u32],
    a: At,
) {
    let (m, f) = (d.m, size::<F>(d));
    // SAFETY: (here and in every `load` below) `check` asserted `x.len() = c·h·w·m`; every
    // window feature is `< c·h·w` (its row `oy·s + u < h` and column `ox·s + v < w` because
    // `oh = ⌊(h − f)/s⌋ + 1`), and `each_chunk` keeps `j + N ≤ m`.
    let first = unsafe { load::<L>(x, a.first, m, a) };
    let (mut best, mut at) = (first, L::splat_index(a.abs));
    for u in 0..f {
        for v in 0..f {
            let off = u * d.w + v;
            if off == 0 {
                continue;
            }
            // SAFETY: see above.
            let xv = unsafe { load::<L>(x, a.first + off, m, a) };
            let gt = xv.gt(best);
            best = L::select(gt, xv, best);
            if ARG {
                at = L::select_index(gt, L::splat_index(a.abs + off as u32), at);
            }
        }
    }
    let y = &mut y[a.out + a.j..][..L::N];
    // SAFETY: `y` holds the `N` values.
    unsafe { best.store(y.as_mut_ptr()) };
    if ARG {
        let arg = &mut arg[a.out + a.j..][..L::N];
        // SAFETY: `arg` holds the `N` values.
        unsafe { L::store_index(at, arg.as_mut_ptr()) };
    }
}

/// `y ←` the window maxima of `x` and, when `ARG`, `arg ←` their absolute input features
/// (the first one on ties). `x`, `y`, `arg` hold channels `c0..c0 + d.c`.
#[inline(always)]
pub fn max_forward_body<V: Lanes, const ARG: bool>(
    d: PoolDims,
    x: &[V::E],
    y: &mut [V::E],
    arg: &mut [u32],
    c0: usize,
) {
    d.check(x.len(), y.len());
    assert_eq!(
        arg.len(),
        if ARG { y.len() } else { 0 },
        "pool2d: argmax length"
    );
    match d.f {
        2 => max_windows::<V, ARG, 2>(&d, x, y, arg, c0),
        _ => max_windows::<V, ARG, 0>(&d, x, y, arg, c0),
    }
}

/// The maxima (no argmax) of the last `rem < N` samples of one window, in masked vectors.
#[inline(always)]
fn max_rest<L: Lanes, const F: usize>(d: &PoolDims, x: &[L::E], y: &mut [L::E], a: At, rem: usize) {
    let (m, f) = (d.m, size::<F>(d));
    let xp = x.as_ptr();
    // SAFETY: (every load) as in `max_chunk`, the window's features are inside `x`, and the
    // `rem` samples from `a.j` end at `m`.
    let mut best = unsafe { L::load_first(xp.add(a.first * m + a.j), rem) };
    for u in 0..f {
        for v in 0..f {
            let off = u * d.w + v;
            if off != 0 {
                // SAFETY: see above.
                let xv = unsafe { L::load_first(xp.add((a.first + off) * m + a.j), rem) };
                best = L::select(xv.gt(best), xv, best);
            }
        }
    }
    let y = &mut y[a.out + a.j..][..rem];
    // SAFETY: `y` holds lanes `0..rem`.
    unsafe { best.store_range(y.as_mut_ptr(), 0, rem) };
}

#[inline(always)]
fn max_windows<V: Lanes, const ARG: bool, const F: usize>(
    d: &PoolDims,
    x: &[V::E],
    y: &mut [V::E],
    arg: &mut [u32],
    c0: usize,
) {
    if !ARG {
        return each_chunk!(
            d,
            c0,
            V::N,
            |a| max_chunk::<V, false, F>(d, x, y, arg, a),
            |a, rem| max_rest::<V, F>(d, x, y, a, rem)
        );
    }
    each_chunk!(
        d,
        c0,
        V::N,
        |a| max_chunk::<V, ARG, F>(d, x, y, arg, a),
        max_chunk::<One<V::E>, ARG, F>(d, x, y, arg, a)
    );
}

/// Zeroes what no window covers when the windows tile the input (`s = f`): rows from
/// `oh·f` on, and columns from `ow·f` on in the rows above; with other strides, all of `dx`.
#[inline(always)]
fn clear<T: Element>(d: &PoolDims, dx: &mut [T]) {
    if d.s != d.f {
        return dx.fill(T::ZERO);
    }
    let (row, plane, cols) = (d.w * d.m, d.h * d.w * d.m, d.ow * d.f * d.m);
    for p in dx.chunks_exact_mut(plane.max(1)) {
        p[d.oh * d.f * row..].fill(T::ZERO);
        for r in p[..d.oh * d.f * row].chunks_exact_mut(row.max(1)) {
            r[cols..].fill(T::ZERO);
        }
    }
}

/// `dx[window + off] ← v` when the windows tile the input, else `+= v`.
///
/// # Safety
/// `dx` must hold window feature `a.first + off` of `m` samples and `a.j + N ≤ m`.
#[inline(always)]
unsafe fn put<L: Lanes>(d: &PoolDims, dx: &mut [L::E], a: At, off: usize, v: L) {
    // SAFETY: the caller's contract.
    unsafe {
        let p = dx.as_mut_ptr().add((a.first + off) * d.m + a.j);
        if d.s == d.f {
            v.store(p);
        } else {
            v.add(L::load(p)).store(p);
        }
    }
}

/// Max backward at one vector of one window: `dY` where the argmax is this position, else 0.
#[inline(always)]
fn max_back_chunk<L: Lanes, const F: usize>(
    d: &PoolDims,
    dy: &[L::E],
    arg: &[u32],
    dx: &mut [L::E],
    a: At,
) {
    let (dyv, argv) = (&dy[a.out + a.j..][..L::N], &arg[a.out + a.j..][..L::N]);
    // SAFETY: both slices hold the `N` values.
    let (g, at) = unsafe { (L::load(dyv.as_ptr()), L::load_index(argv.as_ptr())) };
    let (zero, f) = (L::splat(L::E::ZERO), size::<F>(d));
    for u in 0..f {
        for v in 0..f {
            let off = u * d.w + v;
            let hit = L::index_eq(at, L::splat_index(a.abs + off as u32));
            // SAFETY: as in `max_chunk`, the window feature is inside `dx`
            // (`dx.len() = c·h·w·m`) and `j + N ≤ m`.
            unsafe { put(d, dx, a, off, L::select(hit, g, zero)) };
        }
    }
}

/// `dx ← 0`, then `dx[arg[k]] += dy[k]` for every output `k` (`arg` holds absolute features,
/// the slices channels `c0..c0 + d.c`).
#[inline(always)]
pub fn max_backward_body<V: Lanes>(
    d: PoolDims,
    dy: &[V::E],
    arg: &[u32],
    dx: &mut [V::E],
    c0: usize,
) {
    d.check(dx.len(), dy.len());
    assert_eq!(arg.len(), dy.len(), "pool2d: argmax length");
    clear(&d, dx);
    match d.f {
        2 => max_back_windows::<V, 2>(&d, dy, arg, dx, c0),
        _ => max_back_windows::<V, 0>(&d, dy, arg, dx, c0),
    }
}

#[inline(always)]
fn max_back_windows<V: Lanes, const F: usize>(
    d: &PoolDims,
    dy: &[V::E],
    arg: &[u32],
    dx: &mut [V::E],
    c0: usize,
) {
    each_chunk!(
        d,
        c0,
        V::N,
        |a| max_back_chunk::<V, F>(d, dy, arg, dx, a),
        max_back_chunk::<One<V::E>, F>(d, dy, arg, dx, a)
    );
}

/// Average at one vector of one window.
#[inline(always)]
fn avg_chunk<L: Lanes, const F: usize>(
    d: &PoolDims,
    inv_area: L::E,
    x: &[L::E],
    y: &mut [L::E],
    a: At,
) {
    let (m, f) = (d.m, size::<F>(d));
    let mut sum = L::splat(L::E::ZERO);
    for u in 0..f {
        for v in 0..f {
            // SAFETY: as in `max_chunk`.
            sum = sum.add(unsafe { load::<L>(x, a.first + u * d.w + v, m, a) });
        }
    }
    let y = &mut y[a.out + a.j..][..L::N];
    // SAFETY: `y` holds the `N` values.
    unsafe { sum.mul(L::splat(inv_area)).store(y.as_mut_ptr()) };
}

/// `y ← inv_area·Σ` over each window.
#[inline(always)]
pub fn avg_forward_body<V: Lanes>(d: PoolDims, inv_area: V::E, x: &[V::E], y: &mut [V::E]) {
    d.check(x.len(), y.len());
    match d.f {
        2 => avg_windows::<V, 2>(&d, inv_area, x, y),
        _ => avg_windows::<V, 0>(&d, inv_area, x, y),
    }
}

#[inline(always)]
fn avg_windows<V: Lanes, const F: usize>(d: &PoolDims, inv_area: V::E, x: &[V::E], y: &mut [V::E]) {
    each_chunk!(
        d,
        0,
        V::N,
        |a| avg_chunk::<V, F>(d, inv_area, x, y, a),
        avg_chunk::<One<V::E>, F>(d, inv_area, x, y, a)
    );
}

/// Average backward at one vector of one window: `inv_area·dY` at every position.
#[inline(always)]
fn avg_back_chunk<L: Lanes, const F: usize>(
    d: &PoolDims,
    inv_area: L::E,
    dy: &[L::E],
    dx: &mut [L::E],
    a: At,
) {
    let dyv = &dy[a.out + a.j..][..L::N];
    // SAFETY: `dyv` holds the `N` values.
    let g = unsafe { L::load(dyv.as_ptr()) }.mul(L::splat(inv_area));
    let f = size::<F>(d);
    for u in 0..f {
        for v in 0..f {
            // SAFETY: as in `max_back_chunk`.
            unsafe { put(d, dx, a, u * d.w + v, g) };
        }
    }
}

/// `dx ←` the sum of `inv_area·dY` over the windows covering each input value.
#[inline(always)]
pub fn avg_backward_body<V: Lanes>(d: PoolDims, inv_area: V::E, dy: &[V::E], dx: &mut [V::E]) {
    d.check(dx.len(), dy.len());
    clear(&d, dx);
    match d.f {
        2 => avg_back_windows::<V, 2>(&d, inv_area, dy, dx),
        _ => avg_back_windows::<V, 0>(&d, inv_area, dy, dx),
    }
}

#[inline(always)]
fn avg_back_windows<V: Lanes, const F: usize>(
    d: &PoolDims,
    inv_area: V::E,
    dy: &[V::E],
    dx: &mut [V::E],
) {
    each_chunk!(
        d,
        0,
        V::N,
        |a| avg_back_chunk::<V, F>(d, inv_area, dy, dx, a),
        avg_back_chunk::<One<V::E>, F>(d, inv_area, dy, dx, a)
    );
}
