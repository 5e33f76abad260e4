//! Softmax + categorical cross-entropy from logits (course 2, week 3).
//!
//! `ŷ = softmax(z)`, `L(z, y) = −Σ_k y_k·ln ŷ_k`, with `ln ŷ` computed as a stable
//! log-softmax. Gradient `∂L/∂z = ŷ − y` for one-hot (or any probability-vector) labels.
//!
//! Classes with `y_k = 0` add nothing (`0·ln ŷ_k = 0` even where `ln ŷ_k = −∞`), so the cost
//! is finite for finite logits, even `±f32::MAX`, except where the loss itself exceeds the
//! largest value of the type (`−ln ŷ_k ≈ 2·f32::MAX` for a confidently wrong `f32` output),
//! which gives `+∞`, never NaN.

use super::{Loss, same_batch};
use crate::Scalar;
use crate::activation::softmax::softmax_into;
use crate::tensor::Batch;

/// Softmax over the `N` classes + cross-entropy, taking logits `z`.
#[derive(Clone, Copy, Debug, Default)]
pub struct SoftmaxCrossEntropy;

impl<const N: usize, T: Scalar> Loss<Batch<N, T>> for SoftmaxCrossEntropy {
    fn cost(&self, z: &Batch<N, T>, y: &Batch<N, T>) -> T {
        // Per sample: −Σ_k y_k·(z_k − lse) with lse = max + ln Σ e^(z − max), the stable
        // log-softmax, summed on the fly (no buffer: this runs every training step).
        let m = same_batch(z, y);
        let (zs, ys) = (z.as_slice(), y.as_slice());
        let mut total = T::zero();
        for j in 0..m {
            let max = (0..N)
                .map(|i| zs[i * m + j])
                .fold(T::neg_infinity(), T::max);
            let lse = (0..N).map(|i| (zs[i * m + j] - max).exp()).sum::<T>().ln() + max;
            total = total
                - (0..N)
                    .map(|i| ys[i * m + j])
                    .zip((0..N).map(|i| zs[i * m + j] - lse))
                    .map(|(y, log_p)| if y == T::zero() { T::zero() } else { y * log_p })
                    .sum::<T>();
        }
        total / T::of(m.max(1) as f64)
    }

    fn cost_and_grad(&self, z: &Batch<N, T>, y: &Batch<N, T>, dz: &mut Batch<N, T>) -> T {
        same_batch(z, y);
        softmax_into(z, dz);
        for (d, &y) in dz.as_mut_slice().iter_mut().zip(y.as_slice()) {
            *d = *d - y;
        }
        self.cost(z, y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gradcheck;

    #[test]
    fn matches_hand_computed_value() {
        // z = (0, ln 3): softmax = (1/4, 3/4); label class 1 → L = −ln ¾; gradient (1/4, −1/4).
        let z = Batch::<2, f64>::from_columns(&[[0.0, 3f64.ln()]]);
        let y = Batch::<2, f64>::from_columns(&[[0.0, 1.0]]);
        let mut dz = Batch::default();
        let j = SoftmaxCrossEntropy.cost_and_grad(&z, &y, &mut dz);
        assert!((j + 0.75f64.ln()).abs() < 1e-15);
        assert!((dz.get(0, 0) - 0.25).abs() < 1e-15 && (dz.get(1, 0) + 0.25).abs() < 1e-15);
    }

    #[test]
    fn finite_for_logits_of_1000() {
        let z = Batch::<2, f32>::from_columns(&[[1000.0, -1000.0]]);
        let y = Batch::<2, f32>::from_columns(&[[0.0, 1.0]]);
        assert_eq!(SoftmaxCrossEntropy.cost(&z, &y), 2000.0);
    }

    #[test]
    fn extreme_finite_logits_give_no_nan() {
        // z = (f32::MAX, −f32::MAX): log-softmax = (0, −∞). Before: the 0·(−∞) of the class
        // with y = 0 made the cost NaN for both labels.
        let z = Batch::<2, f32>::from_columns(&[[f32::MAX, -f32::MAX]]);
        let right = Batch::<2, f32>::from_columns(&[[1.0, 0.0]]);
        let wrong = Batch::<2, f32>::from_columns(&[[0.0, 1.0]]);
        let mut dz = Batch::default();
        assert_eq!(SoftmaxCrossEntropy.cost_and_grad(&z, &right, &mut dz), 0.0);
        assert_eq!(dz.as_slice(), &[0.0, 0.0]);
        // −ln ŷ₂ = 2·f32::MAX does not fit in an f32: +∞, reported as such by `fit`.
        assert_eq!(SoftmaxCrossEntropy.cost(&z, &wrong), f32::INFINITY);
    }

    #[test]
    fn gradient_passes_gradcheck() {
        let z = Batch::<4, f64>::from_fn(3, |i, j| (i * 3 + j) as f64 * 0.37 - 1.5);
        let y = Batch::<4, f64>::from_fn(3, |i, j| f64::from(u8::from(i == (j + 1) % 4)));
        let err = gradcheck::check_loss(&SoftmaxCrossEntropy, &z, &y, 1e-6);
        assert!(err < 1e-7, "relative error {err}");
    }
}
