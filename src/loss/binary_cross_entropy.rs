//! Binary cross-entropy from logits (course 1, week 2).
//!
//! With `ŷ = σ(z)`: `L(z, y) = −(y·ln ŷ + (1 − y)·ln(1 − ŷ))`, computed without forming `ŷ` as
//! `L = (1 − y)·max(z, 0) + y·max(−z, 0) + ln(1 + e^(−|z|))` (that is `max(z, 0) − z·y + …`),
//! finite for every finite `z` (no `ln 0` at `|z| = 1000`). A term whose weight `1 − y` or
//! `y` is 0 is left out, so at `z = ±∞` the loss is 0 when the label agrees (`y = 1` at `+∞`,
//! `y = 0` at `−∞`) and `+∞` otherwise, never `∞ − ∞ = NaN`.
//!
//! Gradient `∂L/∂z = σ(z) − y` (the notes' `dZ = A − Y`).
//!
//! With `N > 1` outputs each is an independent logistic unit and `L` sums over them
//! (multi-task learning, course 3).
//!
//! ```
//! use constnn::prelude::*;
//! let z = Batch::<1, f64>::zeros(4);                 // σ(0) = ½ for every sample
//! let y = Batch::<1, f64>::from_rows(4, &[&[0., 1., 1., 0.]]);
//! let j = BinaryCrossEntropy.cost(&z, &y);
//! assert!((j - 2f64.ln()).abs() < 1e-15);            // −ln ½ = ln 2
//! ```

use super::{Loss, same_batch};
use crate::Scalar;
use crate::activation::sigmoid;
use crate::tensor::{Batch, Tensor};

/// Sigmoid + binary cross-entropy, taking logits `z`.
#[derive(Clone, Copy, Debug, Default)]
pub struct BinaryCrossEntropy;

/// `L(z, y)` of one output (see the module doc).
pub(super) fn bce<T: Scalar>(z: T, y: T) -> T {
    let weighted = |w: T, v: T| if w == T::zero() { T::zero() } else { w * v };
    let (pos, neg) = (z.max(T::zero()), (-z).max(T::zero()));
    weighted(T::one() - y, pos) + weighted(y, neg) + (-z.abs()).exp().ln_1p()
}

impl<const N: usize, T: Scalar> Loss<Batch<N, T>> for BinaryCrossEntropy {
    fn cost(&self, z: &Batch<N, T>, y: &Batch<N, T>) -> T {
        let m = same_batch(z, y);
        let total: T = z
            .as_slice()
            .iter()
            .zip(y.as_slice())
            .map(|(&z, &y)| bce(z, y))
            .sum();
        total / T::of(m.max(1) as f64)
    }

    fn cost_and_grad(&self, z: &Batch<N, T>, y: &Batch<N, T>, dz: &mut Batch<N, T>) -> T {
        dz.set_batch_size(same_batch(z, y));
        let pairs = z.as_slice().iter().zip(y.as_slice());
        for (d, (&z, &y)) in dz.as_mut_slice().iter_mut().zip(pairs) {
            *d = sigmoid(z) - y;
        }
        self.cost(z, y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gradcheck;

    #[test]
    fn matches_the_textbook_formula() {
        // z = ln 3: ŷ = 3/4; y = 1 → −ln ¾; y = 0 → −ln ¼. Mean over m = 2.
        let z = Batch::<1, f64>::from_rows(2, &[&[3f64.ln(), 3f64.ln()]]);
        let y = Batch::<1, f64>::from_rows(2, &[&[1., 0.]]);
        let want = (-(0.75f64.ln()) - 0.25f64.ln()) / 2.0;
        assert!((BinaryCrossEntropy.cost(&z, &y) - want).abs() < 1e-15);
    }

    #[test]
    fn finite_for_logits_of_1000() {
        // Confidently wrong: L ≈ |z| = 1000; confidently right: L ≈ 0.
        let z = Batch::<1, f32>::from_rows(2, &[&[1000.0, -1000.0]]);
        let y = Batch::<1, f32>::from_rows(2, &[&[0.0, 0.0]]);
        let mut dz = Batch::default();
        let j = BinaryCrossEntropy.cost_and_grad(&z, &y, &mut dz);
        assert_eq!(j, 500.0);
        assert_eq!(dz.as_slice(), &[1.0, 0.0]);
    }

    #[test]
    fn infinite_logits_give_0_or_infinity_never_nan() {
        // Before: max(z, 0) − z·y was ∞ − ∞ = NaN at z = +∞, y = 1 and −(−∞)·0 at z = −∞, y = 0.
        let z = Batch::<1, f64>::from_rows(1, &[&[f64::INFINITY]]);
        let one = Batch::<1, f64>::from_rows(1, &[&[1.0]]);
        let zero = Batch::<1, f64>::zeros(1);
        assert_eq!(BinaryCrossEntropy.cost(&z, &one), 0.0);
        assert_eq!(BinaryCrossEntropy.cost(&z, &zero), f64::INFINITY);
        let z = z.map(|v| -v);
        let mut dz = Batch::default();
        assert_eq!(BinaryCrossEntropy.cost_and_grad(&z, &zero, &mut dz), 0.0);
        assert_eq!(dz.as_slice(), &[0.0]); // σ(−∞) − 0
        assert_eq!(BinaryCrossEntropy.cost(&z, &one), f64::INFINITY);
        // Finite extremes stay finite: L(f32::MAX, 0) = f32::MAX (ln(1 + e^(−MAX)) = 0).
        let z = Batch::<1, f32>::from_rows(1, &[&[f32::MAX]]);
        assert_eq!(BinaryCrossEntropy.cost(&z, &Batch::zeros(1)), f32::MAX);
    }

    #[test]
    fn gradient_passes_gradcheck() {
        let z = Batch::<3, f64>::from_fn(4, |i, j| (i as f64 - 1.0) * 1.7 + j as f64 * 0.3);
        let y = Batch::<3, f64>::from_fn(4, |i, j| ((i + j) % 2) as f64);
        let err = gradcheck::check_loss(&BinaryCrossEntropy, &z, &y, 1e-6);
        assert!(err < 1e-7, "relative error {err}");
    }
}
