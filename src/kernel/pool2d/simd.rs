//! The pooling bodies over [`Lanes`]: each window is walked once per vector of `N` samples
//! (the batch is the contiguous dimension), the batch's last `m mod N` samples on one lane.
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

/// Calls `chunk` with every window (sample 0).
#[inline(always)]
fn each_window(d: &PoolDims, c0: usize, mut chunk: impl FnMut(At)) {
    for c in 0..d.c {
        for oy in 0..d.oh {
            for ox in 0..d.ow {
                let first = (c * d.h + oy * d.s) * d.w + ox * d.s;
                let abs = (first + c0 * d.h * d.w) as u32;
                let out = ((c * d.oh + oy) * d.ow + ox) * d.m;
                chunk(At {
                    first,
                    abs,
                    out,
                    j: 0,
                });
            }
        }
    }
}

/// `y`, `arg` at one vector of one window: the maximum and its absolute feature.
#[inline(always)]
fn max_chunk<L: Lanes, const ARG: bool>(
    d: &PoolDims,
    x: &[L::E],
    y: &mut [L::E],
    arg: &mut [u32],
    a: At,
) {
    let (m, xp) = (d.m, x.as_ptr());
    // SAFETY: `check` asserted `x.len() = c·h·w·m`; every window feature is `< c·h·w` (its
    // row `oy·s + u < h` and column `ox·s + v < w` because `oh = ⌊(h − f)/s⌋ + 1`), and the
    // callers keep `j + N ≤ m`.
    let load = |i: usize| unsafe { L::load(xp.add(i * m + a.j)) };
    let (mut best, mut at) = (load(a.first), L::splat_index(a.abs));
    for u in 0..d.f {
        for v in 0..d.f {
            let off = u * d.w + v;
            if off == 0 {
                continue;
            }
            let xv = load(a.first + off);
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

/// Calls `chunk(at, true)` for the whole vectors of `N` samples and `chunk(at, false)` for
/// the single samples after them.
#[inline(always)]
fn batch(m: usize, n: usize, at: At, mut chunk: impl FnMut(At, bool)) {
    let whole = m - m % n;
    let mut j = 0;
    while j < whole {
        chunk(At { j, ..at }, true);
        j += n;
    }
    while j < m {
        chunk(At { j, ..at }, false);
        j += 1;
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
    each_window(&d, c0, |w| {
        batch(d.m, V::N, w, |a, wide| {
            if wide {
                max_chunk::<V, ARG>(&d, x, y, arg, a)
            } else {
                max_chunk::<One<V::E>, ARG>(&d, x, y, arg, a)
            }
        })
    });
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

/// `dx[window + off] ←` (or `+=` when the windows do not tile) `val(off)` for every window
/// position `off = u·w + v`, `N` samples from `a.j`.
#[inline(always)]
fn put<L: Lanes>(d: &PoolDims, dx: &mut [L::E], a: At, val: impl Fn(usize) -> L) {
    let (m, tiles) = (d.m, d.s == d.f);
    let dxp = dx.as_mut_ptr();
    for u in 0..d.f {
        for v in 0..d.f {
            let off = u * d.w + v;
            // SAFETY: as in `max_chunk`, the window feature is inside `dx`
            // (`dx.len() = c·h·w·m`) and `j + N ≤ m`.
            unsafe {
                let p = dxp.add((a.first + off) * m + a.j);
                if tiles {
                    val(off).store(p);
                } else {
                    val(off).add(L::load(p)).store(p);
                }
            }
        }
    }
}

/// Max backward at one vector of one window: `dY` where the argmax is this position, else 0.
#[inline(always)]
fn max_back_chunk<L: Lanes>(d: &PoolDims, dy: &[L::E], arg: &[u32], dx: &mut [L::E], a: At) {
    let (dy, arg) = (&dy[a.out + a.j..][..L::N], &arg[a.out + a.j..][..L::N]);
    // SAFETY: both slices hold the `N` values.
    let (g, at) = unsafe { (L::load(dy.as_ptr()), L::load_index(arg.as_ptr())) };
    let zero = L::splat(L::E::ZERO);
    put::<L>(d, dx, a, |off| {
        let hit = L::index_eq(at, L::splat_index(a.abs + off as u32));
        L::select(hit, g, zero)
    });
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
    each_window(&d, c0, |w| {
        batch(d.m, V::N, w, |a, wide| {
            if wide {
                max_back_chunk::<V>(&d, dy, arg, dx, a)
            } else {
                max_back_chunk::<One<V::E>>(&d, dy, arg, dx, a)
            }
        })
    });
}

/// Average at one vector of one window.
#[inline(always)]
fn avg_chunk<L: Lanes>(d: &PoolDims, inv_area: L::E, x: &[L::E], y: &mut [L::E], a: At) {
    let (m, xp) = (d.m, x.as_ptr());
    let mut sum = L::splat(L::E::ZERO);
    for u in 0..d.f {
        for v in 0..d.f {
            // SAFETY: as in `max_chunk`.
            sum = sum.add(unsafe { L::load(xp.add((a.first + u * d.w + v) * m + a.j)) });
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
    each_window(&d, 0, |w| {
        batch(d.m, V::N, w, |a, wide| {
            if wide {
                avg_chunk::<V>(&d, inv_area, x, y, a)
            } else {
                avg_chunk::<One<V::E>>(&d, inv_area, x, y, a)
            }
        })
    });
}

/// Average backward at one vector of one window: `inv_area·dY` at every position.
#[inline(always)]
fn avg_back_chunk<L: Lanes>(d: &PoolDims, inv_area: L::E, dy: &[L::E], dx: &mut [L::E], a: At) {
    let dy = &dy[a.out + a.j..][..L::N];
    // SAFETY: `dy` holds the `N` values.
    let g = unsafe { L::load(dy.as_ptr()) }.mul(L::splat(inv_area));
    put::<L>(d, dx, a, |_| g);
}

/// `dx ←` the sum of `inv_area·dY` over the windows covering each input value.
#[inline(always)]
pub fn avg_backward_body<V: Lanes>(d: PoolDims, inv_area: V::E, dy: &[V::E], dx: &mut [V::E]) {
    d.check(dx.len(), dy.len());
    clear(&d, dx);
    each_window(&d, 0, |w| {
        batch(d.m, V::N, w, |a, wide| {
            if wide {
                avg_back_chunk::<V>(&d, inv_area, dy, dx, a)
            } else {
                avg_back_chunk::<One<V::E>>(&d, inv_area, dy, dx, a)
            }
        })
    });
}
