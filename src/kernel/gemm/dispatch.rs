//! The f32 products: the ISA chosen once ([`Isa::get`]) and, for large products, the rows of
//! `C` split between two threads of rayon's pool (each half is an independent product on
//! disjoint rows, so no synchronisation beyond the join). Small products stay on the
//! calling thread, where a fork would cost more than it saves.

use super::{Dims, Gemm, check_lens, nn_reference, nt_reference, simd, tn_reference};
use crate::kernel::isa::Isa;

impl Gemm for f32 {
    fn gemm_nn(d: Dims, alpha: Self, a: &[Self], b: &[Self], beta: Self, c: &mut [Self]) {
        nn_with(Isa::get(), d, alpha, a, b, beta, c)
    }
    fn gemm_nt(d: Dims, alpha: Self, a: &[Self], b: &[Self], beta: Self, c: &mut [Self]) {
        nt_with(Isa::get(), d, alpha, a, b, beta, c)
    }
    fn gemm_tn(d: Dims, alpha: Self, a: &[Self], b: &[Self], beta: Self, c: &mut [Self]) {
        tn_with(Isa::get(), d, alpha, a, b, beta, c)
    }
}

/// Products of at least this many multiply-adds (`m·k·n`), with at least 32 rows, are split
/// over two threads when rayon's pool has more than one (`RAYON_NUM_THREADS=1` keeps
/// everything on one thread). Below it the fork/join costs more than the second core saves;
/// with fewer rows each half runs narrow tiles. Measured: W3 (128×784×64) 110 → 165 GFLOP/s.
pub const fn parallel_threshold() -> usize {
    1 << 20
}

/// `isa` when this CPU has it, else the scalar path.
pub(crate) fn usable(isa: Isa) -> Isa {
    isa.or_scalar()
}

/// Runs `body(rows, c_rows)` on the top and bottom halves of `C`'s `m` rows in parallel when
/// the product is large, else once on all rows. `body` gets the first row and the rows' `C`.
fn split_rows(d: Dims, c: &mut [f32], body: impl Fn(usize, usize, &mut [f32]) + Sync) {
    let big =
        d.m >= 32 && d.m * d.k * d.n >= parallel_threshold() && rayon::current_num_threads() > 1;
    if !big {
        body(0, d.m, c);
        return;
    }
    let half = d.m.div_ceil(2);
    let (top, bottom) = c.split_at_mut(half * d.n);
    rayon::join(|| body(0, half, top), || body(half, d.m - half, bottom));
}

/// `C ← α·A·B + β·C` in f32 on the given ISA (tests and benches pick it; the `Gemm` impl uses
/// [`Isa::get`]). An ISA the CPU lacks runs the scalar reference.
pub fn nn_with(isa: Isa, d: Dims, alpha: f32, a: &[f32], b: &[f32], beta: f32, c: &mut [f32]) {
    check_lens(d, a, b, c);
    let isa = usable(isa);
    split_rows(d, c, |r0, rows, c| {
        let (d, a) = (
            Dims { m: rows, ..d },
            (&a[r0 * d.k..(r0 + rows) * d.k], d.k, 1),
        );
        match isa {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `usable` returned Avx512 only after detecting AVX-512F, AVX2 and FMA.
            Isa::Avx512 => unsafe { simd::nn_avx512(d, (alpha, beta), a, b, c) },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `usable` returned Avx2 only after detecting AVX2 and FMA.
            Isa::Avx2 => unsafe { simd::nn_avx2(d, (alpha, beta), a, b, c) },
            _ => nn_reference(d, alpha, a.0, b, beta, c),
        }
    });
}

/// `C ← α·Aᵀ·B + β·C` in f32 on the given ISA (A is `k × m`).
pub fn tn_with(isa: Isa, d: Dims, alpha: f32, a: &[f32], b: &[f32], beta: f32, c: &mut [f32]) {
    check_lens(d, a, b, c);
    let isa = usable(isa);
    if isa == Isa::Scalar {
        return tn_reference(d, alpha, a, b, beta, c); // one thread: its loop order needs all of A
    }
    let m_all = d.m;
    split_rows(d, c, |r0, rows, c| {
        // Rows r0.. of C are columns r0.. of A: A(i, p) = a[r0 + i + p·m].
        let (dr, at) = (Dims { m: rows, ..d }, (&a[r0..], 1, m_all));
        match isa {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `usable` returned Avx512 only after detecting AVX-512F, AVX2 and FMA.
            Isa::Avx512 => unsafe { simd::nn_avx512(dr, (alpha, beta), at, b, c) },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `usable` returned Avx2 only after detecting AVX2 and FMA.
            Isa::Avx2 => unsafe { simd::nn_avx2(dr, (alpha, beta), at, b, c) },
            _ => unreachable!("the scalar path returned above"),
        }
    });
}

/// `C ← α·A·Bᵀ + β·C` in f32 on the given ISA (B is `n × k`).
pub fn nt_with(isa: Isa, d: Dims, alpha: f32, a: &[f32], b: &[f32], beta: f32, c: &mut [f32]) {
    check_lens(d, a, b, c);
    let isa = usable(isa);
    split_rows(d, c, |r0, rows, c| {
        let (d, a) = (Dims { m: rows, ..d }, &a[r0 * d.k..(r0 + rows) * d.k]);
        match isa {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `usable` returned Avx512 only after detecting AVX-512F, AVX2 and FMA.
            Isa::Avx512 => unsafe { simd::nt_avx512(d, (alpha, beta), a, b, c) },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `usable` returned Avx2 only after detecting AVX2 and FMA.
            Isa::Avx2 => unsafe { simd::nt_avx2(d, (alpha, beta), a, b, c) },
            _ => nt_reference(d, alpha, a, b, beta, c),
        }
    });
}
