//! Element-wise kernels of a dense layer and ReLU: the bias broadcast `Z ← Z + b`, the row
//! sums of `db = (1/m)·Σ_columns dZ`, `A = max(0, Z)` and its backward `dZ = dA ⊙ [Z > 0]`.
//!
//! Layout as everywhere: `n` rows of `m` values (features × samples), row-major. Each kernel
//! has one generic `#[inline(always)]` body written so the compiler vectorizes it (the row sum
//! keeps 16 partial sums, since a single running sum cannot be reordered into lanes). The f32
//! body is compiled again for AVX2 and AVX-512 through `kernel::dispatch` and chosen by
//! [`Isa::get`] (`CONSTNN_ISA` forces a path), as the GEMM is; f64 runs the reference.

use super::dispatch::{Simd, WithSimd, dispatch};
use super::gemm::Element;
use super::isa::Isa;

/// Element types with these kernels (f32 dispatches on [`Isa::get`], f64 runs the reference).
pub trait EltwiseKernel: Copy {
    /// `z[i][j] ← z[i][j] + b[i]`, rows of `m = z.len() / b.len()`.
    fn add_bias(z: &mut [Self], b: &[Self]);
    /// `out[i] ← α·Σ_j d[i][j]`, rows of `m = d.len() / out.len()`.
    fn sum_rows(alpha: Self, d: &[Self], out: &mut [Self]);
    /// `a ← max(0, z)` (0 where `z` is 0 or NaN).
    fn relu(z: &[Self], a: &mut [Self]);
    /// `dz ← da` where `z > 0`, else 0.
    fn relu_backward(z: &[Self], da: &[Self], dz: &mut [Self]);
}

/// Values per row when `len` values form `rows` rows; panics when they do not.
fn row_len(len: usize, rows: usize) -> usize {
    let m = len.checked_div(rows).unwrap_or(0);
    assert_eq!(m * rows, len, "eltwise: {len} values are not {rows} rows");
    m
}

/// Reference and body of [`EltwiseKernel::add_bias`].
#[inline(always)]
pub fn add_bias_reference<T: Element>(z: &mut [T], b: &[T]) {
    let m = row_len(z.len(), b.len());
    for (row, &bi) in z.chunks_exact_mut(m.max(1)).zip(b) {
        row.iter_mut().for_each(|v| *v = *v + bi);
    }
}

/// Reference of [`EltwiseKernel::sum_rows`]: one running sum per row, in order.
pub fn sum_rows_reference<T: Element>(alpha: T, d: &[T], out: &mut [T]) {
    let m = row_len(d.len(), out.len());
    for (i, o) in out.iter_mut().enumerate() {
        *o = alpha * d[i * m..][..m].iter().fold(T::ZERO, |s, &x| s + x);
    }
}

/// Body of [`EltwiseKernel::sum_rows`]: 16 partial sums per row, added up at the end.
#[inline(always)]
fn sum_rows_body<T: Element>(alpha: T, d: &[T], out: &mut [T]) {
    const L: usize = 16;
    let m = row_len(d.len(), out.len());
    for (i, o) in out.iter_mut().enumerate() {
        let row = &d[i * m..][..m];
        let mut acc = [T::ZERO; L];
        let mut chunks = row.chunks_exact(L);
        for chunk in &mut chunks {
            for (a, &x) in acc.iter_mut().zip(chunk) {
                *a = *a + x;
            }
        }
        let tail = chunks.remainder().iter().fold(T::ZERO, |s, &x| s + x);
        *o = alpha * (acc.iter().fold(T::ZERO, |s, &x| s + x) + tail);
    }
}

/// Reference and body of [`EltwiseKernel::relu`].
#[inline(always)]
pub fn relu_reference<T: Element + PartialOrd>(z: &[T], a: &mut [T]) {
    assert_eq!(z.len(), a.len(), "eltwise: Z and A differ in length");
    for (a, &z) in a.iter_mut().zip(z) {
        *a = if z > T::ZERO { z } else { T::ZERO };
    }
}

/// Reference and body of [`EltwiseKernel::relu_backward`].
#[inline(always)]
pub fn relu_backward_reference<T: Element + PartialOrd>(z: &[T], da: &[T], dz: &mut [T]) {
    assert!(
        z.len() == da.len() && z.len() == dz.len(),
        "eltwise: Z, dA and dZ differ in length"
    );
    for (dz, (&z, &da)) in dz.iter_mut().zip(z.iter().zip(da)) {
        *dz = if z > T::ZERO { da } else { T::ZERO };
    }
}

/// The four f32 kernels for `kernel::dispatch`: the bodies above, compiled for each ISA.
enum Eltwise<'a> {
    AddBias(&'a mut [f32], &'a [f32]),
    SumRows(f32, &'a [f32], &'a mut [f32]),
    Relu(&'a [f32], &'a mut [f32]),
    ReluBackward(&'a [f32], &'a [f32], &'a mut [f32]),
}

impl WithSimd for Eltwise<'_> {
    type Output = ();
    #[inline(always)]
    fn with_simd<S: Simd>(self, _: S) {
        match self {
            Eltwise::AddBias(z, b) => add_bias_reference(z, b),
            Eltwise::SumRows(alpha, d, out) => sum_rows_body(alpha, d, out),
            Eltwise::Relu(z, a) => relu_reference(z, a),
            Eltwise::ReluBackward(z, da, dz) => relu_backward_reference(z, da, dz),
        }
    }
}

/// [`EltwiseKernel::add_bias`] in f32 on the given ISA.
pub fn add_bias_with(isa: Isa, z: &mut [f32], b: &[f32]) {
    dispatch(isa, Eltwise::AddBias(z, b))
}

/// [`EltwiseKernel::sum_rows`] in f32 on the given ISA (the scalar path runs the same
/// 16-partial-sum body; [`sum_rows_reference`] is the one-running-sum reference).
pub fn sum_rows_with(isa: Isa, alpha: f32, d: &[f32], out: &mut [f32]) {
    dispatch(isa, Eltwise::SumRows(alpha, d, out))
}

/// [`EltwiseKernel::relu`] in f32 on the given ISA.
pub fn relu_with(isa: Isa, z: &[f32], a: &mut [f32]) {
    dispatch(isa, Eltwise::Relu(z, a))
}

/// [`EltwiseKernel::relu_backward`] in f32 on the given ISA.
pub fn relu_backward_with(isa: Isa, z: &[f32], da: &[f32], dz: &mut [f32]) {
    dispatch(isa, Eltwise::ReluBackward(z, da, dz))
}

impl EltwiseKernel for f32 {
    fn add_bias(z: &mut [f32], b: &[f32]) {
        add_bias_with(Isa::get(), z, b)
    }
    fn sum_rows(alpha: f32, d: &[f32], out: &mut [f32]) {
        sum_rows_with(Isa::get(), alpha, d, out)
    }
    fn relu(z: &[f32], a: &mut [f32]) {
        relu_with(Isa::get(), z, a)
    }
    fn relu_backward(z: &[f32], da: &[f32], dz: &mut [f32]) {
        relu_backward_with(Isa::get(), z, da, dz)
    }
}

impl EltwiseKernel for f64 {
    fn add_bias(z: &mut [f64], b: &[f64]) {
        add_bias_reference(z, b)
    }
    fn sum_rows(alpha: f64, d: &[f64], out: &mut [f64]) {
        sum_rows_reference(alpha, d, out)
    }
    fn relu(z: &[f64], a: &mut [f64]) {
        relu_reference(z, a)
    }
    fn relu_backward(z: &[f64], da: &[f64], dz: &mut [f64]) {
        relu_backward_reference(z, da, dz)
    }
}

#[cfg(test)]
mod tests {
    use rand::rngs::StdRng;
    use rand::{RngExt, SeedableRng};

    use super::*;

    /// `(n, m)`: ragged batches (37, 7, 13, 31, 77, 130 samples) and W1's hidden layer.
    const SHAPES: [(usize, usize); 8] = [
        (1, 1),
        (7, 37),
        (13, 31),
        (10, 77),
        (3, 130),
        (5, 7),
        (128, 64),
        (4, 0),
    ];

    /// Values in [-1, 1) with every fourth one exactly 0 (ReLU's kink).
    fn random(rng: &mut StdRng, len: usize) -> Vec<f32> {
        (0..len)
            .map(|i| {
                if i % 4 == 0 {
                    0.0
                } else {
                    rng.random_range(-1.0..1.0)
                }
            })
            .collect()
    }

    #[test]
    fn every_isa_matches_the_reference() {
        let mut rng = StdRng::seed_from_u64(5);
        for (n, m) in SHAPES {
            let (z, da, b) = (
                random(&mut rng, n * m),
                random(&mut rng, n * m),
                random(&mut rng, n),
            );
            for isa in Isa::available() {
                let (mut want, mut got) = (z.clone(), z.clone());
                add_bias_reference(&mut want, &b);
                add_bias_with(isa, &mut got, &b);
                assert_eq!(got, want, "add_bias {isa:?} {n}×{m}");

                let (mut want, mut got) = (vec![0.0; n * m], vec![f32::NAN; n * m]);
                relu_reference(&z, &mut want);
                relu_with(isa, &z, &mut got);
                assert_eq!(got, want, "relu {isa:?} {n}×{m}");

                let (mut want, mut got) = (vec![0.0; n * m], vec![f32::NAN; n * m]);
                relu_backward_reference(&z, &da, &mut want);
                relu_backward_with(isa, &z, &da, &mut got);
                assert_eq!(got, want, "relu_backward {isa:?} {n}×{m}");

                // Summed in another order: equal up to rounding, |error| ≤ 1e-6·m.
                let (mut want, mut got) = (vec![0.0; n], vec![f32::NAN; n]);
                sum_rows_reference(0.5, &z, &mut want);
                sum_rows_with(isa, 0.5, &z, &mut got);
                let close = got
                    .iter()
                    .zip(&want)
                    .all(|(x, y)| (x - y).abs() <= 1e-6 * m as f32);
                assert!(close, "sum_rows {isa:?} {n}×{m}: {got:?} vs {want:?}");
            }
        }
    }

    #[test]
    fn kernels_match_hand_computed_values() {
        // Z = [[1, -2], [0, 3]] (2 features × 2 samples), b = [10, 20].
        let z = [1.0f32, -2.0, 0.0, 3.0];
        let mut zb = z;
        f32::add_bias(&mut zb, &[10.0, 20.0]);
        assert_eq!(zb, [11.0, 8.0, 20.0, 23.0]);
        let mut a = [9.0f32; 4];
        f32::relu(&z, &mut a);
        assert_eq!(a, [1.0, 0.0, 0.0, 3.0]);
        let mut dz = [9.0f32; 4];
        f32::relu_backward(&z, &[5.0, 6.0, 7.0, 8.0], &mut dz);
        assert_eq!(dz, [5.0, 0.0, 0.0, 8.0]);
        let mut db = [0.0f32; 2];
        f32::sum_rows(0.5, &z, &mut db); // ½·(1 − 2), ½·(0 + 3)
        assert_eq!(db, [-0.5, 1.5]);
    }

    #[test]
    #[should_panic(expected = "eltwise: 5 values are not 2 rows")]
    fn a_ragged_length_is_caught() {
        f32::add_bias(&mut [0.0; 5], &[1.0, 2.0]);
    }
}
