//! f32 products with register tiles, compiled per ISA behind `#[target_feature]`.
//!
//! * `nn` (also `tn`): `C ← α·A·B + β·C` with `A(i, p) = a[i·rs + p·cs]`, so one body serves
//!   `A` (rs = k, cs = 1) and `Aᵀ` (rs = 1, cs = m). An `MR × NR` block of `C` stays in
//!   registers while `p` runs over `k`: each step broadcasts `MR` values of `A` and loads
//!   one row segment of `B` (`NR` wide). AVX-512 uses 4 × 64 (16 zmm accumulators), AVX2
//!   4 × 16 (8 ymm); narrower column blocks and single rows handle the edges.
//! * `nt`: `C[i, j] = α·Σ_p A[i, p]·B[j, p] + β·C[i, j]`, rows of both contiguous in `p`:
//!   a 4 × 4 block of dot products, `L` lanes at a time (16 or 8), summed across lanes at
//!   the end.
//!
//! The bodies are safe code over slices; `mul_add` becomes one FMA instruction because every
//! caller is compiled with FMA enabled (on the default target it would be a libm call).

use super::Dims;

#[inline(always)]
fn store(acc: f32, alpha: f32, beta: f32, c: &mut f32) {
    *c = if beta == 0.0 {
        alpha * acc
    } else {
        alpha.mul_add(acc, beta * *c)
    };
}

/// One `MR × NR` block of `C` at `(i0, j0)`.
#[inline(always)]
#[allow(clippy::too_many_arguments)] // a BLAS-style microkernel: sizes, strides, offsets
fn nn_tile<const MR: usize, const NR: usize>(
    d: Dims,
    (alpha, beta): (f32, f32),
    (a, rs, cs): (&[f32], usize, usize),
    b: &[f32],
    c: &mut [f32],
    i0: usize,
    j0: usize,
) {
    debug_assert!(i0 + MR <= d.m && j0 + NR <= d.n);
    let mut acc = [[0f32; NR]; MR];
    let (ap, bp) = (a.as_ptr(), b.as_ptr());
    for p in 0..d.k {
        // SAFETY: `nn_body` asserted `b.len() ≥ k·n`, and `p < k`, `j0 + NR ≤ n`, so the NR
        // values from `p·n + j0` are inside `b`; `[f32; NR]` has the alignment of `f32`.
        let row = unsafe { &*(bp.add(p * d.n + j0) as *const [f32; NR]) };
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
        let out = &mut c[(i0 + i) * d.n + j0..][..NR];
        for (o, &x) in out.iter_mut().zip(acc_i) {
            store(x, alpha, beta, o);
        }
    }
}

/// Columns `j0..n` (fewer than 64) narrower than any tile, one row at a time.
#[inline(always)]
fn nn_edge(
    d: Dims,
    (alpha, beta): (f32, f32),
    (a, rs, cs): (&[f32], usize, usize),
    b: &[f32],
    c: &mut [f32],
    j0: usize,
) {
    let w = d.n - j0;
    let mut acc = [0f32; 64];
    for i in 0..d.m {
        let acc = &mut acc[..w];
        acc.fill(0.0);
        for p in 0..d.k {
            let av = a[i * rs + p * cs];
            for (x, &bv) in acc.iter_mut().zip(&b[p * d.n + j0..][..w]) {
                *x = av.mul_add(bv, *x);
            }
        }
        for (o, &x) in c[i * d.n + j0..][..w].iter_mut().zip(acc.iter()) {
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
    a: (&[f32], usize, usize),
    b: &[f32],
    c: &mut [f32],
    mut j0: usize,
) -> usize {
    while j0 + NR <= d.n {
        let mut i0 = 0;
        while i0 + MR <= d.m {
            nn_tile::<MR, NR>(d, ab, a, b, c, i0, j0);
            i0 += MR;
        }
        // Fewer than MR rows left (MR ≤ 4): one smaller tile keeps B loads shared.
        match d.m - i0 {
            0 => {}
            1 => nn_tile::<1, NR>(d, ab, a, b, c, i0, j0),
            2 => nn_tile::<2, NR>(d, ab, a, b, c, i0, j0),
            _ => nn_tile::<3, NR>(d, ab, a, b, c, i0, j0),
        }
        j0 += NR;
    }
    j0
}

/// The whole `nn` product with tiles `MR × NR` then `MR × NR2` then single columns.
#[inline(always)]
fn nn_body<const MR: usize, const NR: usize, const NR2: usize>(
    d: Dims,
    ab: (f32, f32),
    a: (&[f32], usize, usize),
    b: &[f32],
    c: &mut [f32],
) {
    if d.m == 0 || d.n == 0 {
        return;
    }
    if d.k == 0 {
        // C ← β·C: no product terms.
        c[..d.m * d.n]
            .iter_mut()
            .for_each(|x| *x = if ab.1 == 0.0 { 0.0 } else { ab.1 * *x });
        return;
    }
    // The bounds the unchecked reads in `nn_tile` rely on.
    assert!(
        a.0.len() > (d.m - 1) * a.1 + (d.k - 1) * a.2,
        "gemm: A is too short for its strides"
    );
    assert!(
        b.len() >= d.k * d.n && c.len() >= d.m * d.n,
        "gemm: B or C is too short"
    );
    let j0 = nn_columns::<MR, NR>(d, ab, a, b, c, 0);
    let j0 = nn_columns::<MR, NR2>(d, ab, a, b, c, j0);
    if j0 < d.n {
        nn_edge(d, ab, a, b, c, j0); // fewer than NR2 ≤ 64 columns are left
    }
}

/// One `MI × NJ` block of dot products at `(i0, j0)`, `L` lanes at a time.
#[inline(always)]
fn nt_tile<const MI: usize, const NJ: usize, const L: usize>(
    d: Dims,
    (alpha, beta): (f32, f32),
    a: &[f32],
    b: &[f32],
    c: &mut [f32],
    i0: usize,
    j0: usize,
) {
    let mut acc = [[[0f32; L]; NJ]; MI];
    let whole = d.k - d.k % L;
    let mut p = 0;
    while p < whole {
        for (i, acc_i) in acc.iter_mut().enumerate() {
            let av = &a[(i0 + i) * d.k + p..][..L];
            for (j, acc_ij) in acc_i.iter_mut().enumerate() {
                let bv = &b[(j0 + j) * d.k + p..][..L];
                for ((x, &u), &v) in acc_ij.iter_mut().zip(av).zip(bv) {
                    *x = u.mul_add(v, *x);
                }
            }
        }
        p += L;
    }
    for (i, acc_i) in acc.iter().enumerate() {
        for (j, acc_ij) in acc_i.iter().enumerate() {
            let (ar, br) = (&a[(i0 + i) * d.k..][..d.k], &b[(j0 + j) * d.k..][..d.k]);
            let tail = ar[whole..]
                .iter()
                .zip(&br[whole..])
                .fold(0.0, |s, (&u, &v)| u.mul_add(v, s));
            let sum = acc_ij.iter().sum::<f32>() + tail;
            store(sum, alpha, beta, &mut c[(i0 + i) * d.n + j0 + j]);
        }
    }
}

/// The whole `nt` product with `MI × NJ` blocks and single rows/columns at the edges.
#[inline(always)]
fn nt_body<const MI: usize, const NJ: usize, const L: usize>(
    d: Dims,
    ab: (f32, f32),
    a: &[f32],
    b: &[f32],
    c: &mut [f32],
) {
    let mut i0 = 0;
    while i0 < d.m {
        let full_i = i0 + MI <= d.m;
        let mut j0 = 0;
        while j0 < d.n {
            let full_j = j0 + NJ <= d.n;
            match (full_i, full_j) {
                (true, true) => nt_tile::<MI, NJ, L>(d, ab, a, b, c, i0, j0),
                (true, false) => nt_tile::<MI, 1, L>(d, ab, a, b, c, i0, j0),
                (false, true) => nt_tile::<1, NJ, L>(d, ab, a, b, c, i0, j0),
                (false, false) => nt_tile::<1, 1, L>(d, ab, a, b, c, i0, j0),
            }
            j0 += if full_j { NJ } else { 1 };
        }
        i0 += if full_i { MI } else { 1 };
    }
}

/// `C ← α·A(i, p)·B + β·C` with AVX-512 tiles.
///
/// Callers must have detected AVX-512F, AVX2 and FMA (calling it is `unsafe` elsewhere).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx2,fma")]
pub fn nn_avx512(d: Dims, ab: (f32, f32), a: (&[f32], usize, usize), b: &[f32], c: &mut [f32]) {
    nn_body::<4, 64, 16>(d, ab, a, b, c)
}

/// `C ← α·A(i, p)·B + β·C` with AVX2 tiles.
///
/// Callers must have detected AVX2 and FMA (calling it is `unsafe` elsewhere).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
pub fn nn_avx2(d: Dims, ab: (f32, f32), a: (&[f32], usize, usize), b: &[f32], c: &mut [f32]) {
    nn_body::<4, 16, 8>(d, ab, a, b, c)
}

/// `C ← α·A·Bᵀ + β·C` with AVX-512 dot tiles.
///
/// Callers must have detected AVX-512F, AVX2 and FMA (calling it is `unsafe` elsewhere).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx2,fma")]
pub fn nt_avx512(d: Dims, ab: (f32, f32), a: &[f32], b: &[f32], c: &mut [f32]) {
    nt_body::<4, 4, 16>(d, ab, a, b, c)
}

/// `C ← α·A·Bᵀ + β·C` with AVX2 dot tiles.
///
/// Callers must have detected AVX2 and FMA (calling it is `unsafe` elsewhere).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
pub fn nt_avx2(d: Dims, ab: (f32, f32), a: &[f32], b: &[f32], c: &mut [f32]) {
    nt_body::<4, 4, 8>(d, ab, a, b, c)
}
