//! Softmax over the features of each sample (course 2, week 3):
//! `t = e^(z − max z)`, `a_i = t_i / Σ_j t_j`. Subtracting the column maximum keeps `e^·`
//! from overflowing; the result is unchanged since softmax is shift-invariant.

use crate::Scalar;
use crate::tensor::Batch;

/// Column-wise softmax of `z` into `a` (resized to `z`'s batch size).
pub fn softmax_into<const N: usize, T: Scalar>(z: &Batch<N, T>, a: &mut Batch<N, T>) {
    let m = z.batch_size();
    crate::tensor::Tensor::set_batch_size(a, m);
    let (zs, out) = (z.as_slice(), a.as_mut_slice());
    for j in 0..m {
        let max = (0..N)
            .map(|i| zs[i * m + j])
            .fold(T::neg_infinity(), T::max);
        let mut sum = T::zero();
        for i in 0..N {
            let t = (zs[i * m + j] - max).exp();
            out[i * m + j] = t;
            sum = sum + t;
        }
        for i in 0..N {
            out[i * m + j] = out[i * m + j] / sum;
        }
    }
}

/// Column-wise softmax of `z`.
pub fn softmax<const N: usize, T: Scalar>(z: &Batch<N, T>) -> Batch<N, T> {
    let mut a = Batch::default();
    softmax_into(z, &mut a);
    a
}

/// Column-wise `log softmax(z) = z − max − ln Σ e^(z − max)`, finite for any finite `z`.
pub fn log_softmax<const N: usize, T: Scalar>(z: &Batch<N, T>) -> Batch<N, T> {
    let m = z.batch_size();
    let mut out = z.clone();
    for j in 0..m {
        let max = (0..N).map(|i| z.get(i, j)).fold(T::neg_infinity(), T::max);
        let lse = (0..N).map(|i| (z.get(i, j) - max).exp()).sum::<T>().ln() + max;
        for i in 0..N {
            out.set(i, j, z.get(i, j) - lse);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_hand_computed_values() {
        // z = (ln 1, ln 2, ln 5): e^z = (1, 2, 5), Σ = 8, softmax = (1/8, 2/8, 5/8).
        let z = Batch::<3, f64>::from_columns(&[[0.0, 2f64.ln(), 5f64.ln()]]);
        let a = softmax(&z);
        for (got, want) in a.as_slice().iter().zip([0.125, 0.25, 0.625]) {
            assert!((got - want).abs() < 1e-15);
        }
    }

    #[test]
    fn is_stable_for_huge_logits() {
        let z = Batch::<2, f32>::from_columns(&[[1000.0, 0.0], [-1000.0, -1000.0]]);
        let a = softmax(&z);
        assert_eq!(a.as_slice(), &[1.0, 0.5, 0.0, 0.5]);
        let l = log_softmax(&z);
        assert_eq!(l.get(1, 0), -1000.0);
        assert!(l.as_slice().iter().all(|v| v.is_finite()));
    }
}
