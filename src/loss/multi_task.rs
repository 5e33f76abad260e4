//! Multi-task learning: `C` logistic units, each its own yes/no task, some labels unknown
//! (course 3, week 2).
//!
//! With logits `z` (`ŷⱼ⁽ⁱ⁾ = σ(zⱼ⁽ⁱ⁾)`) and labels `yⱼ⁽ⁱ⁾ ∈ {0, 1, ?}`:
//!
//! ```text
//! J = (1/m)·Σᵢ Σⱼ 1{yⱼ⁽ⁱ⁾ ≠ ?}·L(ŷⱼ⁽ⁱ⁾, yⱼ⁽ⁱ⁾)        L(ŷ, y) = −(y·ln ŷ + (1 − y)·ln(1 − ŷ))
//! ∂L⁽ⁱ⁾/∂zⱼ = 1{yⱼ⁽ⁱ⁾ ≠ ?}·(σ(zⱼ⁽ⁱ⁾) − yⱼ⁽ⁱ⁾)
//! ```
//!
//! Unlike softmax, several tasks may be 1 for one sample (an image can show a stop sign *and*
//! a pedestrian). A `?` drops that one term: the sample still trains the tasks it has labels
//! for, and `1/m` still counts every sample, as in the notes' sum over "only the values of `j`
//! with a 0 or 1 label".
//!
//! **`?` is NaN.** Labels stay a `Batch<C, T>` like the predictions, so the loss is an
//! ordinary [`Loss`] and works unchanged with [`fit`](crate::train::fit) (mini-batches gather
//! the NaNs with their samples), [`evaluate`](crate::train::evaluate) and
//! [`check_loss`](crate::gradcheck::check_loss). [`MultiTask::labels`] builds such a batch
//! from `Option<bool>`s, so no one has to write a NaN by hand; every label that is not NaN
//! must be in `[0, 1]`. [`BinaryCrossEntropy`](super::BinaryCrossEntropy) sums the same
//! terms without the mask: given a `?` its cost is NaN and `fit` stops with
//! [`Error::Diverged`](crate::Error::Diverged) rather than train on it.
//!
//! ```
//! use constnn::loss::{Loss, MultiTask};
//! use constnn::tensor::Batch;
//!
//! // 2 tasks, 2 samples; the second sample's task 1 is unknown.
//! let y: Batch<2, f64> = MultiTask::labels(&[[Some(true), Some(false)], [Some(false), None]]);
//! let z = Batch::<2, f64>::zeros(2); // σ(0) = ½: every known term costs ln 2
//! assert!((MultiTask.cost(&z, &y) - 3.0 * 2f64.ln() / 2.0).abs() < 1e-15);
//! ```

use super::{Loss, same_batch};
use crate::Scalar;
use crate::activation::sigmoid;
use crate::tensor::{Batch, Tensor};

/// Per-task sigmoid + binary cross-entropy on logits, summed over the tasks whose label is
/// known (not NaN) and averaged over the samples.
#[derive(Clone, Copy, Debug, Default)]
pub struct MultiTask;

impl MultiTask {
    /// The label matrix `Y: C × m` with `labels[i][j]` as task `j` of sample `i`: `Some(true)`
    /// → 1, `Some(false)` → 0, `None` (the notes' `?`) → NaN.
    pub fn labels<const C: usize, T: Scalar>(labels: &[[Option<bool>; C]]) -> Batch<C, T> {
        Batch::from_fn(labels.len(), |j, i| match labels[i][j] {
            Some(true) => T::one(),
            Some(false) => T::zero(),
            None => T::nan(),
        })
    }

    /// Whether a label is the unknown `?`.
    pub fn is_missing<T: Scalar>(y: T) -> bool {
        y.is_nan()
    }
}

/// The logistic loss of one output, as [`BinaryCrossEntropy`](super::BinaryCrossEntropy)
/// computes it (finite for finite `z`, never NaN at `z = ±∞`).
fn logistic<T: Scalar>(z: T, y: T) -> T {
    super::binary_cross_entropy::bce(z, y)
}

impl<const C: usize, T: Scalar> Loss<Batch<C, T>> for MultiTask {
    fn cost(&self, z: &Batch<C, T>, y: &Batch<C, T>) -> T {
        let m = same_batch(z, y);
        let total: T = z
            .as_slice()
            .iter()
            .zip(y.as_slice())
            .filter(|&(_, &y)| !y.is_nan())
            .map(|(&z, &y)| logistic(z, y))
            .sum();
        total / T::of(m.max(1) as f64)
    }

    fn cost_and_grad(&self, z: &Batch<C, T>, y: &Batch<C, T>, dz: &mut Batch<C, T>) -> T {
        dz.set_batch_size(same_batch(z, y));
        let pairs = z.as_slice().iter().zip(y.as_slice());
        for (d, (&z, &y)) in dz.as_mut_slice().iter_mut().zip(pairs) {
            *d = if y.is_nan() {
                T::zero()
            } else {
                sigmoid(z) - y
            };
        }
        self.cost(z, y)
    }

    /// Each known label counts once: correct when `z > 0` (`σ(z) > ½`) agrees with it.
    fn count_correct(&self, z: &Batch<C, T>, y: &Batch<C, T>) -> (usize, usize) {
        let known = z
            .as_slice()
            .iter()
            .zip(y.as_slice())
            .filter(|&(_, &y)| !y.is_nan());
        known.fold((0, 0), |(correct, counted), (&z, &y)| {
            let right = (z > T::zero()) == (y > T::of(0.5));
            (correct + usize::from(right), counted + 1)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gradcheck;
    use crate::loss::BinaryCrossEntropy;

    /// 2 tasks × 3 samples, task 2 of sample 2 unknown (rows are tasks, columns samples).
    ///
    /// ```text
    /// z = [ 0    ln 3  −ln 3 ]     y = [ 1  0  1 ]
    ///     [ ln 3  0     2    ]         [ 1  ?  0 ]
    /// ```
    fn hand_case() -> (Batch<2, f64>, Batch<2, f64>) {
        let l3 = 3f64.ln();
        let z = Batch::from_rows(3, &[&[0.0, l3, -l3], &[l3, 0.0, 2.0]]);
        let y = MultiTask::labels(&[
            [Some(true), Some(true)],
            [Some(false), None],
            [Some(true), Some(false)],
        ]);
        (z, y)
    }

    #[test]
    fn labels_map_unknown_to_nan() {
        let (_, y) = hand_case();
        assert_eq!(y.row(0), &[1.0, 0.0, 1.0]);
        assert_eq!((y.get(1, 0), y.get(1, 2)), (1.0, 0.0));
        assert!(MultiTask::is_missing(y.get(1, 1)));
    }

    #[test]
    fn cost_matches_the_hand_computation() {
        // Task 1: σ(0) = ½ vs 1 → ln 2; σ(ln 3) = ¾ vs 0 → −ln ¼ = ln 4; σ(−ln 3) = ¼ vs 1 → ln 4.
        // Task 2: ¾ vs 1 → ln(4/3); ? → nothing; σ(2) vs 0 → −ln(1 − σ(2)) = ln(1 + e²).
        // J = (ln 2 + 2 ln 4 + ln 4 − ln 3 + ln(1 + e²)) / 3 = (7 ln 2 − ln 3 + ln(1 + e²)) / 3
        //   ≈ (4.852030 − 1.098612 + 2.126928) / 3 ≈ 1.960115.
        let (z, y) = hand_case();
        let want = (7.0 * 2f64.ln() - 3f64.ln() + (1.0 + 2f64.exp()).ln()) / 3.0;
        let j = MultiTask.cost(&z, &y);
        assert!((j - want).abs() < 1e-14, "{j} vs {want}");
        assert!((j - 1.960115).abs() < 1e-6);
    }

    #[test]
    fn gradient_matches_the_hand_computation_and_masks_the_unknown() {
        // dz = σ(z) − y, 0 where y = ?: task 1: ½ − 1, ¾ − 0, ¼ − 1; task 2: ¾ − 1, 0, σ(2).
        let (z, y) = hand_case();
        let mut dz = Batch::default();
        let _ = MultiTask.cost_and_grad(&z, &y, &mut dz);
        let s2 = 1.0 / (1.0 + (-2f64).exp());
        let want = [-0.5, 0.75, -0.75, -0.25, 0.0, s2];
        for (got, want) in dz.as_slice().iter().zip(want) {
            assert!((got - want).abs() < 1e-15, "{:?}", dz.as_slice());
        }
    }

    #[test]
    fn gradient_passes_gradcheck_with_unknown_labels() {
        // 4 tasks × 5 samples, every third label unknown; the finite differences of the masked
        // entries are exactly 0, so an unmasked gradient would fail the check.
        let z = Batch::<4, f64>::from_fn(5, |i, j| (i as f64 - 1.5) * 1.3 + j as f64 * 0.4 - 0.7);
        let y = Batch::<4, f64>::from_fn(5, |i, j| match (i * 5 + j) % 3 {
            0 => f64::NAN,
            r => (r - 1) as f64,
        });
        let err = gradcheck::check_loss(&MultiTask, &z, &y, 1e-6);
        assert!(err < 1e-8, "relative error {err}");
        let (z, y) = hand_case();
        let err = gradcheck::check_loss(&MultiTask, &z, &y, 1e-6);
        assert!(err < 1e-8, "relative error {err}");
    }

    #[test]
    fn without_unknown_labels_it_is_binary_cross_entropy() {
        let z = Batch::<3, f64>::from_fn(4, |i, j| (i as f64 - 1.0) * 1.7 + j as f64 * 0.3);
        let y = Batch::<3, f64>::from_fn(4, |i, j| ((i + j) % 2) as f64);
        let (mut d1, mut d2) = (Batch::default(), Batch::default());
        let j1 = MultiTask.cost_and_grad(&z, &y, &mut d1);
        let j2 = BinaryCrossEntropy.cost_and_grad(&z, &y, &mut d2);
        assert_eq!(j1, j2);
        assert_eq!(d1, d2);
        // …and binary cross-entropy on a `?` is NaN, the failure the mask avoids.
        let (z, y) = hand_case();
        assert!(BinaryCrossEntropy.cost(&z, &y).is_nan());
    }

    #[test]
    fn accuracy_counts_known_labels_only() {
        // Hand case: z = [[2, −1, 0.5], [−3, 1, −0.5]] against y = [[1, 1, 0], [0, ?, 1]]:
        // task 1: 2 > 0 ✓, −1 ✗, 0.5 ✗; task 2: −3 ✓, ?, −0.5 ✗ → 2 correct of 5 known.
        let z = Batch::<2, f64>::from_rows(3, &[&[2.0, -1.0, 0.5], &[-3.0, 1.0, -0.5]]);
        let y = MultiTask::labels::<2, f64>(&[
            [Some(true), Some(false)],
            [Some(true), None],
            [Some(false), Some(true)],
        ]);
        assert_eq!(MultiTask.count_correct(&z, &y), (2, 5));
    }

    #[test]
    fn all_unknown_costs_nothing() {
        let z = Batch::<2, f32>::from_rows(2, &[&[5.0, -5.0], &[1.0, 0.0]]);
        let y: Batch<2, f32> = MultiTask::labels(&[[None, None], [None, None]]);
        let mut dz = Batch::default();
        assert_eq!(MultiTask.cost_and_grad(&z, &y, &mut dz), 0.0);
        assert!(dz.as_slice().iter().all(|&d| d == 0.0));
    }
}
