//! Turning network outputs and labels into class ids, for accuracy during training.
//!
//! Networks in constnn end in logits (the losses take logits), so a single output predicts
//! class 1 when `z > 0` (i.e. `σ(z) > ½`) and `K > 1` outputs predict `argmax z`. Labels are
//! read as 0/1 (one output) or one-hot (`K` outputs).

use crate::Scalar;
use crate::tensor::{Batch, Tensor};

/// Output tensors whose samples can be read as class ids.
pub trait Classify: Tensor {
    /// Predicted class of each sample from logits.
    fn predicted_classes(&self) -> Vec<usize>;
    /// Class of each sample from labels (0/1, or one-hot).
    fn label_classes(&self) -> Vec<usize>;
    /// How many samples' predicted class equals their label's (no allocation).
    fn count_correct(&self, labels: &Self) -> usize;
}

impl<const N: usize, T: Scalar> Classify for Batch<N, T> {
    fn predicted_classes(&self) -> Vec<usize> {
        if N == 1 {
            self.row(0)
                .iter()
                .map(|&z| usize::from(z > T::zero()))
                .collect()
        } else {
            self.argmax()
        }
    }

    fn label_classes(&self) -> Vec<usize> {
        if N == 1 {
            self.row(0)
                .iter()
                .map(|&y| usize::from(y > T::of(0.5)))
                .collect()
        } else {
            self.argmax()
        }
    }

    fn count_correct(&self, labels: &Self) -> usize {
        let m = self.batch_size();
        assert_eq!(
            m,
            labels.batch_size(),
            "{m} predictions but {} labels",
            labels.batch_size()
        );
        if N == 1 {
            let pairs = self.row(0).iter().zip(labels.row(0));
            return pairs
                .filter(|&(&z, &y)| (z > T::zero()) == (y > T::of(0.5)))
                .count();
        }
        let argmax = |b: &Self, j: usize| {
            (1..N).fold(0, |best, i| {
                if b.get(i, j) > b.get(best, j) {
                    i
                } else {
                    best
                }
            })
        };
        (0..m)
            .filter(|&j| argmax(self, j) == argmax(labels, j))
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_output_thresholds_logits_at_zero() {
        let z = Batch::<1, f32>::from_rows(3, &[&[-0.1, 0.0, 2.0]]);
        assert_eq!(z.predicted_classes(), [0, 0, 1]);
        let y = Batch::<1, f32>::from_rows(2, &[&[0.0, 1.0]]);
        assert_eq!(y.label_classes(), [0, 1]);
    }

    #[test]
    fn several_outputs_take_the_argmax() {
        let z = Batch::<3, f64>::from_columns(&[[0.1, 2.0, -1.0], [5.0, 0.0, 0.0]]);
        assert_eq!(z.predicted_classes(), [1, 0]);
        let y = Batch::<3, f64>::from_columns(&[[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]);
        assert_eq!(z.count_correct(&y), 1);
    }
}
