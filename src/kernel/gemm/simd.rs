//! f32 `nn` products with register tiles, one body for every ISA (`dispatch` picks the tile
//! sizes by the ISA's token).
//!
//! `C ← α·A·B + β·C` with `A(i, p) = a[i·rs + p·cs]`, so one body serves `A` (rs = k,
//! cs = 1) and `Aᵀ` (rs = 1, cs = m, the `tn` product), and `B(p, j) = b[p·ldb + j]`, so a
//! band of `B`'s columns is a sub-slice with the full row stride. An `MR × NR` block of `C`
//! stays in registers while `p` runs over `k`: each step broadcasts `MR` values of `A` and
//! loads one row segment of `B` (`NR` wide). AVX-512 uses 4 × 64 (16 zmm accumulators), AVX2
//! 4 × 16 (8 ymm); narrower column blocks and single rows handle the edges. `C` is an
//! [`Out`] view, which may be a row or column band of a larger matrix.
//!
//! The bodies are safe code over slices; `mul_add` becomes one FMA instruction because every
//! caller is compiled with FMA enabled (on the default target it would be a libm call).

use super::Dims;
use super::dot::nn_dot;
use super::view::Out;
use crate::kernel::lanes::Lanes;

/// `A(i, p) = a[i·rs + p·cs]`.
pub(crate) type Strided<'a> = (&'a [f32], usize, usize);

/// `B(p, j) = b[p·ldb + j]`.
pub(crate) type Ld<'a> = (&'a [f32], usize);

/// `c ← α·acc + β·c` with β ∈ {0, 1}; β = 0 never reads `c`.
#[inline(always)]
pub(crate) fn store(acc: f32, alpha: f32, beta: f32, c: &mut f32) {
    *c = if beta == 0.0 {
        alpha * acc
    } else {
        alpha.mul_add(acc, beta * *c)
    };
}

/// One `MR × NR` block of `C` at `(i0, j0)`.
#[inline(always)]
fn nn_tile<const MR: usize, const NR: usize>(
    d: Dims,
    (alpha, beta): (f32, f32),
    (a, rs, cs): Strided,
    (b, ldb): Ld,
    c: &mut Out,
    (i0, j0): (usize, usize),
) {
    debug_assert!(i0 + MR <= d.m && j0 + NR <= d.n);
    let mut acc = [[0f32; NR]; MR];
    let (ap, bp) = (a.as_ptr(), b.as_ptr());
    for p in 0..d.k {
        // SAFETY: `nn_body` asserted `b.len() ≥ (k − 1)·ldb + n`, and `p < k`, `j0 + NR ≤ n`,
        // so the NR values from `p·ldb + j0` are inside `b`; `[f32; NR]` has `f32`'s alignment.
        let row = unsafe { &*(bp.add(p * ldb + j0) as *const [f32; NR]) };
        for (i, acc_i) in acc.iter_mut().enumerate() {
            // SAFETY: `nn_body` asserted that `a` holds index `(m − 1)·rs + (k − 1)·cs`, the
            // largest `(i0 + i)·rs + p·cs` with `i0 + i < m`, `p < k`.
            let av = unsafe { *ap.add((i0 + i) * rs + p * cs) };
            for (x, &bv) in acc_i.iter_mut().zip(row) {
                *x = av.mul_add(bv, *x);
            }
        }
    }
    for (i, acc_i) in acc.iter().enumerate() {
        for (o, &x) in c.row(i0 + i, j0, NR).iter_mut().zip(acc_i) {
            store(x, alpha, beta, o);
        }
    }
}

/// Columns `j0..n` (fewer than 64) narrower than any tile, one row at a time.
#[inline(always)]
fn nn_edge(d: Dims, (alpha, beta): (f32, f32), a: Strided, (b, ldb): Ld, c: &mut Out, j0: usize) {
    let (a, rs, cs) = a;
    let w = d.n - j0;
    let mut acc = [0f32; 64];
    for i in 0..d.m {
        let acc = &mut acc[..w];
        acc.fill(0.0);
        for p in 0..d.k {
            let av = a[i * rs + p * cs];
            for (x, &bv) in acc.iter_mut().zip(&b[p * ldb + j0..][..w]) {
                *x = av.mul_add(bv, *x);
            }
        }
        for (o, &x) in c.row(i, j0, w).iter_mut().zip(acc.iter()) {
            store(x, alpha, beta, o);
        }
    }
}

/// All rows for the columns `j0..` that whole `NR`-wide blocks cover; returns the first
/// column left over.
#[inline(always)]
fn nn_columns<const MR: usize, const NR: usize>(
    // MR ≤ 4
    d: Dims,
    ab: (f32, f32),
    a: Strided,
    b: Ld,
    c: &mut Out,
    mut j0: usize,
) -> usize {
    while j0 + NR <= d.n {
        let mut i0 = 0;
        while i0 + MR <= d.m {
            nn_tile::<MR, NR>(d, ab, a, b, c, (i0, j0));
            i0 += MR;
        }
        // Fewer than MR rows left (MR ≤ 4): one smaller tile keeps B loads shared.
        match d.m - i0 {
            0 => {}
            1 => nn_tile::<1, NR>(d, ab, a, b, c, (i0, j0)),
            2 => nn_tile::<2, NR>(d, ab, a, b, c, (i0, j0)),
            _ => nn_tile::<3, NR>(d, ab, a, b, c, (i0, j0)),
        }
        j0 += NR;
    }
    j0
}

/// The whole `nn` product with tiles `MR × NR` then `MR × NR2`, then the columns left over
/// as dot products along `k` of `V` lanes ([`nn_dot`]) when `A`'s rows are contiguous, else
/// one row at a time. `dot: false` keeps the previous row-at-a-time edge (the benches'
/// baseline).
#[inline(always)]
pub(crate) fn nn_body<V: Lanes<E = f32>, const MR: usize, const NR: usize, const NR2: usize>(
    dot: bool,
    d: Dims,
    ab: (f32, f32),
    a: Strided,
    b: Ld,
    c: &mut Out,
) {
    assert!(c.rows() == d.m && c.cols() == d.n, "gemm: C is not m × n");
    if d.m == 0 || d.n == 0 {
        return;
    }
    if d.k == 0 {
        // C ← β·C: no product terms.
        for i in 0..d.m {
            for x in c.row(i, 0, d.n) {
                store(0.0, 0.0, ab.1, x);
            }
        }
        return;
    }
    // The bounds the unchecked reads in `nn_tile` rely on.
    assert!(
        a.0.len() > (d.m - 1) * a.1 + (d.k - 1) * a.2,
        "gemm: A is too short for its strides"
    );
    assert!(
        b.1 >= d.n && b.0.len() >= (d.k - 1) * b.1 + d.n,
        "gemm: B is too short for its stride"
    );
    let j0 = nn_columns::<MR, NR>(d, ab, a, b, c, 0);
    let j0 = nn_columns::<MR, NR2>(d, ab, a, b, c, j0);
    if j0 < d.n && dot && a.2 == 1 {
        nn_dot::<V>(d, ab, a, b, c, j0); // fewer than NR2 ≤ 16 columns are left
    } else if j0 < d.n {
        nn_edge(d, ab, a, b, c, j0);
    }
}
