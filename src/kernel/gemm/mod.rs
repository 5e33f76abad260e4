//! Dense products in the three shapes that forward and backward propagation need.
//!
//! All matrices are row-major slices. With `alpha` a scale and `beta ∈ {0, 1}`:
//!
//! | fn | computes | used for |
//! |---|---|---|
//! | [`Gemm::gemm_nn`] | C ← α·A·B + β·C, A: m×k, B: k×n | `Z[l] = W[l]·A[l-1]` |
//! | [`Gemm::gemm_nt`] | C ← α·A·Bᵀ + β·C, A: m×k, B: n×k | `dW[l] = (1/m)·dZ[l]·A[l-1]ᵀ` |
//! | [`Gemm::gemm_tn`] | C ← α·Aᵀ·B + β·C, A: k×m, B: k×n | `dA[l-1] = W[l]ᵀ·dZ[l]` |
//!
//! With `beta = 0`, C is only written, never read (its old contents may be anything).
//! The scalar bodies below are the reference; [`Gemm`] is the boundary at which an element
//! type can route its products to a faster kernel.
//!
//! The f32 path, file by file: `simd` holds the `nn` register tiles (which also serve `tn`
//! through strides), `packed` runs `nt` on the same tile through transposed panels, `view`
//! is the band of `C` one thread writes, `split` shares a product between two threads (rows,
//! columns or halves of `k`, see [`Split`] and [`choose`]), and `dispatch` ties them to the
//! ISA chosen at run time. `isa_tests` checks every ISA and split against the reference.

mod dispatch;
mod dot;
#[cfg(test)]
mod isa_tests;
mod packed;
mod simd;
mod split;
mod view;

pub(crate) use dispatch::usable;
pub use dispatch::{
    Op, choose, nn_previous_with, nn_split, nn_with, nt_split, nt_with, parallel_threshold,
    tn_split, tn_with,
};
pub use split::{INNER_MAX, Split};

use core::ops::{Add, Mul};

/// The sizes of one product: C is `m × n`, the inner dimension is `k`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dims {
    /// Rows of C.
    pub m: usize,
    /// Inner dimension.
    pub k: usize,
    /// Columns of C.
    pub n: usize,
}

/// Element types with dense-product kernels. Implemented for `f32` and `f64`.
pub trait Gemm: Copy {
    /// C ← α·A·B + β·C with A: m×k, B: k×n, C: m×n (row-major).
    fn gemm_nn(d: Dims, alpha: Self, a: &[Self], b: &[Self], beta: Self, c: &mut [Self]);
    /// C ← α·A·Bᵀ + β·C with A: m×k, B: n×k, C: m×n (row-major).
    fn gemm_nt(d: Dims, alpha: Self, a: &[Self], b: &[Self], beta: Self, c: &mut [Self]);
    /// C ← α·Aᵀ·B + β·C with A: k×m, B: k×n, C: m×n (row-major).
    fn gemm_tn(d: Dims, alpha: Self, a: &[Self], b: &[Self], beta: Self, c: &mut [Self]);
}

/// The arithmetic the reference bodies need.
pub trait Element: Copy + Add<Output = Self> + Mul<Output = Self> + PartialEq {
    /// Additive identity.
    const ZERO: Self;
    /// Multiplicative identity.
    const ONE: Self;
}
impl Element for f32 {
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
}
impl Element for f64 {
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
}

fn check_lens<T>(d: Dims, a: &[T], b: &[T], c: &[T]) {
    assert_eq!(
        a.len(),
        d.m * d.k,
        "gemm: A has {} elements, expected {}",
        a.len(),
        d.m * d.k
    );
    assert_eq!(
        b.len(),
        d.k * d.n,
        "gemm: B has {} elements, expected {}",
        b.len(),
        d.k * d.n
    );
    assert_eq!(
        c.len(),
        d.m * d.n,
        "gemm: C has {} elements, expected {}",
        c.len(),
        d.m * d.n
    );
}

/// Scales C by β ∈ {0, 1}: with 0 the old contents are overwritten without being read.
fn prepare<T: Element>(beta: T, c: &mut [T]) {
    if beta == T::ZERO {
        c.fill(T::ZERO);
    } else {
        c.iter_mut().for_each(|x| *x = *x * beta);
    }
}

/// Reference C ← α·A·B + β·C, loop order i-p-j so the inner loop runs along rows of B and C.
pub fn nn_reference<T: Element>(d: Dims, alpha: T, a: &[T], b: &[T], beta: T, c: &mut [T]) {
    check_lens(d, a, b, c);
    prepare(beta, c);
    for i in 0..d.m {
        let c_row = &mut c[i * d.n..(i + 1) * d.n];
        for p in 0..d.k {
            let s = alpha * a[i * d.k + p];
            let b_row = &b[p * d.n..(p + 1) * d.n];
            for (cv, &bv) in c_row.iter_mut().zip(b_row) {
                *cv = *cv + s * bv;
            }
        }
    }
}

/// Reference C ← α·A·Bᵀ + β·C: each `C[i][j]` is a dot product of row i of A and row j of B.
pub fn nt_reference<T: Element>(d: Dims, alpha: T, a: &[T], b: &[T], beta: T, c: &mut [T]) {
    check_lens(d, a, b, c);
    prepare(beta, c);
    for i in 0..d.m {
        let a_row = &a[i * d.k..(i + 1) * d.k];
        for j in 0..d.n {
            let b_row = &b[j * d.k..(j + 1) * d.k];
            let dot = a_row
                .iter()
                .zip(b_row)
                .fold(T::ZERO, |s, (&x, &y)| s + x * y);
            c[i * d.n + j] = c[i * d.n + j] + alpha * dot;
        }
    }
}

/// Reference C ← α·Aᵀ·B + β·C, loop order p-i-j so rows of A, B and C are read in order.
pub fn tn_reference<T: Element>(d: Dims, alpha: T, a: &[T], b: &[T], beta: T, c: &mut [T]) {
    check_lens(d, a, b, c);
    prepare(beta, c);
    for p in 0..d.k {
        let b_row = &b[p * d.n..(p + 1) * d.n];
        for i in 0..d.m {
            let s = alpha * a[p * d.m + i];
            let c_row = &mut c[i * d.n..(i + 1) * d.n];
            for (cv, &bv) in c_row.iter_mut().zip(b_row) {
                *cv = *cv + s * bv;
            }
        }
    }
}

macro_rules! reference_gemm {
    ($($t:ty),*) => {$(
        impl Gemm for $t {
            fn gemm_nn(d: Dims, alpha: Self, a: &[Self], b: &[Self], beta: Self, c: &mut [Self]) {
                nn_reference(d, alpha, a, b, beta, c)
            }
            fn gemm_nt(d: Dims, alpha: Self, a: &[Self], b: &[Self], beta: Self, c: &mut [Self]) {
                nt_reference(d, alpha, a, b, beta, c)
            }
            fn gemm_tn(d: Dims, alpha: Self, a: &[Self], b: &[Self], beta: Self, c: &mut [Self]) {
                tn_reference(d, alpha, a, b, beta, c)
            }
        }
    )*};
}
reference_gemm!(f64);

#[cfg(test)]
mod tests {
    use super::*;

    // A = [[1, 2, 3], [4, 5, 6]] (2×3), B = [[7, 8], [9, 10], [11, 12]] (3×2).
    // A·B = [[1·7+2·9+3·11, 1·8+2·10+3·12], [4·7+5·9+6·11, 4·8+5·10+6·12]] = [[58, 64], [139, 154]].
    const A: [f64; 6] = [1., 2., 3., 4., 5., 6.];
    const B: [f64; 6] = [7., 8., 9., 10., 11., 12.];
    const AB: [f64; 4] = [58., 64., 139., 154.];

    #[test]
    fn nn_matches_hand_computed_2x3_times_3x2() {
        let mut c = [f64::NAN; 4]; // beta = 0 must not read C
        f64::gemm_nn(Dims { m: 2, k: 3, n: 2 }, 1.0, &A, &B, 0.0, &mut c);
        assert_eq!(c, AB);
    }

    #[test]
    fn nn_accumulates_and_scales() {
        let mut c = [1.0; 4];
        f64::gemm_nn(Dims { m: 2, k: 3, n: 2 }, 0.5, &A, &B, 1.0, &mut c);
        assert_eq!(c, [30., 33., 70.5, 78.]);
    }

    #[test]
    fn nt_equals_nn_with_explicit_transpose() {
        // Bᵀ stored row-major is 2×3: [[7, 9, 11], [8, 10, 12]].
        let bt = [7., 9., 11., 8., 10., 12.];
        let mut c = [f64::NAN; 4];
        f64::gemm_nt(Dims { m: 2, k: 3, n: 2 }, 1.0, &A, &bt, 0.0, &mut c);
        assert_eq!(c, AB);
    }

    #[test]
    fn tn_equals_nn_with_explicit_transpose() {
        // Aᵀ stored row-major is 3×2: [[1, 4], [2, 5], [3, 6]].
        let at = [1., 4., 2., 5., 3., 6.];
        let mut c = [f64::NAN; 4];
        f64::gemm_tn(Dims { m: 2, k: 3, n: 2 }, 1.0, &at, &B, 0.0, &mut c);
        assert_eq!(c, AB);
    }

    #[test]
    #[should_panic(expected = "gemm: B has 6 elements, expected 4")]
    fn wrong_slice_length_is_caught() {
        let mut c = [0.0; 4];
        f64::gemm_nn(Dims { m: 2, k: 2, n: 2 }, 1.0, &A[..4], &B, 0.0, &mut c);
    }
}
