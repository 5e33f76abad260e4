//! The columns of an `nn` product that no register tile covers (fewer than the narrowest
//! tile, so all of them when `n` is a batch of 1 to 15 samples), as dot products along `k`.
//!
//! The tiles of `simd` put `n` in the vector lanes, which a matrix–vector product
//! (`W·a` for one sample) leaves empty. Here the lanes run along `p` instead: a block of
//! `R` rows of `A` (contiguous, `cs = 1`) times `J` columns of `B`, `R·J` vectors of partial
//! sums, added across lanes at the end. `B`'s columns are strided (`B(p, j) = b[p·ldb + j]`),
//! so each block of [`KC`] values of `p` is first copied transposed into a stack panel
//! (nothing to copy when `B` is one contiguous column). Dense forward at batch 1: 120×400·400×1
//! went from 1 scalar multiply-add at a time to `R·J` vectors per step.

use super::Dims;
use super::simd::{Ld, Strided, store};
use super::view::Out;
use crate::kernel::lanes::Lanes;

/// Values of `p` per packed panel.
const KC: usize = 256;
/// The most columns the panel holds (the narrowest `nn` tile is 16 wide).
const JMAX: usize = 16;

/// `C[i, j0 + jj] ← α·Σ_p A(i, p)·B(p, j0 + jj) + β·C` for `jj < n − j0 ≤ 16`, with `A`'s rows
/// contiguous (`cs = 1`).
#[inline(always)]
pub(crate) fn nn_dot<V: Lanes<E = f32>>(
    d: Dims,
    ab: (f32, f32),
    a: Strided,
    (b, ldb): Ld,
    c: &mut Out,
    j0: usize,
) {
    let w = d.n - j0;
    debug_assert!(a.2 == 1 && w <= JMAX && w > 0);
    // One contiguous column needs no copy (and no 16 KiB of zeros).
    let direct = ldb == 1 && w == 1;
    let mut panel = (!direct).then_some([0f32; JMAX * KC]);
    let mut p0 = 0;
    while p0 < d.k {
        let kc = KC.min(d.k - p0);
        // Bᵀ's rows for this block: `bt[jj·kc + p] = B(p0 + p, j0 + jj)`, or `B` itself.
        let (bt, ld): (&[f32], usize) = match panel.as_mut() {
            None => (&b[p0..p0 + kc], kc),
            Some(panel) => {
                for (p, row) in b[p0 * ldb..].chunks(ldb).take(kc).enumerate() {
                    for (jj, &v) in row[j0..j0 + w].iter().enumerate() {
                        panel[jj * kc + p] = v;
                    }
                }
                (&panel[..w * kc], kc)
            }
        };
        let beta = if p0 == 0 { ab.1 } else { 1.0 };
        let at = Block {
            a: (a.0, a.1, p0),
            bt: (bt, ld),
            kc,
            ab: (ab.0, beta),
        };
        let mut i0 = 0;
        while i0 < d.m {
            // One column: 8 rows, so 8 chains of FMAs hide their latency.
            let rows = (d.m - i0).min(if w == 1 { 8 } else { 4 });
            let mut jj = 0;
            while jj < w {
                let cols = w - jj;
                match (rows, cols) {
                    (8, _) => tile::<V, 8, 1>(&at, c, (i0, j0, jj)),
                    (4..8, 1) => tile::<V, 4, 1>(&at, c, (i0, j0, jj)),
                    (4, 2) => tile::<V, 4, 2>(&at, c, (i0, j0, jj)),
                    (4, 3) => tile::<V, 4, 3>(&at, c, (i0, j0, jj)),
                    (4, _) => tile::<V, 4, 4>(&at, c, (i0, j0, jj)),
                    (_, 1) => tile::<V, 1, 1>(&at, c, (i0, j0, jj)),
                    (_, 2) => tile::<V, 1, 2>(&at, c, (i0, j0, jj)),
                    (_, 3) => tile::<V, 1, 3>(&at, c, (i0, j0, jj)),
                    _ => tile::<V, 1, 4>(&at, c, (i0, j0, jj)),
                }
                jj += cols.min(4);
            }
            i0 += match rows {
                8 => 8,
                4..8 => 4,
                _ => 1,
            };
        }
        p0 += kc;
    }
}

/// One block of `p`: `A` with its row stride and the block's first `p`, the panel `Bᵀ`
/// with its row stride, the block's length and `(α, β)` for its stores.
struct Block<'a> {
    a: (&'a [f32], usize, usize),
    bt: (&'a [f32], usize),
    kc: usize,
    ab: (f32, f32),
}

/// `R` rows from `i0` × `J` columns from `jj` (of the panel; `j0 + jj` of `C`).
#[inline(always)]
fn tile<V: Lanes<E = f32>, const R: usize, const J: usize>(
    blk: &Block,
    c: &mut Out,
    (i0, j0, jj): (usize, usize, usize),
) {
    let ((a, rs, p0), (bt, ld), kc) = (blk.a, blk.bt, blk.kc);
    let arow: [&[f32]; R] = core::array::from_fn(|r| &a[(i0 + r) * rs + p0..][..kc]);
    let brow: [&[f32]; J] = core::array::from_fn(|j| &bt[(jj + j) * ld..][..kc]);
    let whole = kc - kc % V::N;
    let mut acc = [[V::splat(0.0); J]; R];
    let mut p = 0;
    while p < whole {
        // SAFETY: every row above holds `kc` values and `p + N ≤ whole ≤ kc`.
        let bv: [V; J] = core::array::from_fn(|j| unsafe { V::load(brow[j].as_ptr().add(p)) });
        for (acc_r, row) in acc.iter_mut().zip(&arow) {
            // SAFETY: as above.
            let av = unsafe { V::load(row.as_ptr().add(p)) };
            for (x, &b) in acc_r.iter_mut().zip(&bv) {
                *x = av.madd(b, *x);
            }
        }
        p += V::N;
    }
    for (r, acc_r) in acc.iter().enumerate() {
        let out = c.row(i0 + r, j0 + jj, J);
        for (j, o) in out.iter_mut().enumerate() {
            let tail = (whole..kc).fold(0.0, |s, p| arow[r][p].mul_add(brow[j][p], s));
            store(acc_r[j].sum() + tail, blk.ab.0, blk.ab.1, o);
        }
    }
}
