//! Accuracy: the fraction of samples whose predicted class is their actual class (course 3,
//! week 1).
//!
//! ```text
//! accuracy = (1/m)·Σᵢ 1{ŷ⁽ⁱ⁾ = y⁽ⁱ⁾}
//! ```
//!
//! Multi-class predictions come from the logits `Z[L]: K × m` as `ŷ⁽ⁱ⁾ = argmaxₖ Z[L]ₖᵢ`
//! ([`Batch::argmax`](crate::tensor::Batch::argmax)). A binary network has one output per
//! sample and predicts class 1 when its score exceeds a threshold: `z > 0` for a logit, which is
//! the same decision as `σ(z) > 0.5` for a probability ([`binary_predictions`]).
//!
//! ```
//! use constnn::metrics::{accuracy, binary_accuracy};
//!
//! # fn main() -> constnn::Result<()> {
//! assert_eq!(accuracy(&[0, 2, 1, 1], &[0, 1, 1, 1])?, 0.75); // 3 of 4 right
//! // Logits: z > 0 predicts class 1, so the predictions are 1, 0, 0.
//! assert_eq!(binary_accuracy(&[2.5_f32, -0.3, 0.0], &[1, 0, 1], 0.0)?, 2.0 / 3.0);
//! # Ok(())
//! # }
//! ```

use crate::{Error, Result, Scalar};

/// The fraction of samples with `predicted[i] == actual[i]`.
///
/// # Errors
/// [`Error::Data`] when the slices have different lengths or are empty (accuracy of no sample
/// is `0/0`).
pub fn accuracy(predicted: &[usize], actual: &[usize]) -> Result<f64> {
    check_lengths(predicted.len(), actual.len())?;
    let correct = predicted.iter().zip(actual).filter(|(p, a)| p == a).count();
    Ok(correct as f64 / actual.len() as f64)
}

/// The binary class of each score: `1` when `score > threshold`, else `0`.
///
/// Use `threshold = 0` for logits `z` and `threshold = 0.5` for probabilities `σ(z)`; the two
/// make the same decisions. A score equal to the threshold predicts `0`.
///
/// # Errors
/// [`Error::Data`] when a score or the threshold is NaN (NaN compares false with everything,
/// so it would silently predict `0`).
pub fn binary_predictions<T: Scalar>(scores: &[T], threshold: T) -> Result<Vec<usize>> {
    if threshold.is_nan() {
        return Err(Error::Data {
            what: "threshold".to_owned(),
            reason: "is NaN".to_owned(),
        });
    }
    scores
        .iter()
        .enumerate()
        .map(|(i, &s)| {
            if s.is_nan() {
                Err(Error::Data {
                    what: "scores".to_owned(),
                    reason: format!("scores[{i}] is NaN"),
                })
            } else {
                Ok(usize::from(s > threshold))
            }
        })
        .collect()
}

/// [`accuracy`] of the [`binary_predictions`] of `scores` against 0/1 labels.
///
/// # Errors
/// [`Error::Data`] when the lengths differ or are zero, when a label is neither `0` nor `1`
/// (naming its index and value), or when a score or the threshold is NaN.
pub fn binary_accuracy<T: Scalar>(scores: &[T], actual: &[usize], threshold: T) -> Result<f64> {
    check_lengths(scores.len(), actual.len())?;
    if let Some(i) = actual.iter().position(|&y| y > 1) {
        return Err(Error::Data {
            what: "actual labels".to_owned(),
            reason: format!("actual[{i}] = {}, expected 0 or 1", actual[i]),
        });
    }
    accuracy(&binary_predictions(scores, threshold)?, actual)
}

/// Predictions and labels must pair up one to one, and there must be at least one pair.
pub(super) fn check_lengths(predicted: usize, actual: usize) -> Result<()> {
    if predicted != actual {
        return Err(Error::Data {
            what: "predictions and labels".to_owned(),
            reason: format!("{predicted} predictions for {actual} labels"),
        });
    }
    if actual == 0 {
        return Err(Error::Data {
            what: "predictions and labels".to_owned(),
            reason: "no samples (accuracy of none is 0/0)".to_owned(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accuracy_counts_matching_labels() {
        // predicted 0 2 1 1 0 / actual 0 1 1 1 2: samples 0, 2, 3 match → 3/5 = 0.6.
        let acc = accuracy(&[0, 2, 1, 1, 0], &[0, 1, 1, 1, 2]).unwrap();
        assert_eq!(acc, 0.6);
    }

    #[test]
    fn all_right_is_one_and_all_wrong_is_zero() {
        assert_eq!(accuracy(&[1, 2, 3], &[1, 2, 3]).unwrap(), 1.0);
        assert_eq!(accuracy(&[1, 2, 3], &[0, 0, 0]).unwrap(), 0.0);
    }

    #[test]
    fn different_lengths_are_a_data_error() {
        let err = accuracy(&[0, 1, 1], &[0, 1]).unwrap_err();
        assert!(matches!(err, Error::Data { .. }), "{err}");
        assert_eq!(
            err.to_string(),
            "predictions and labels: 3 predictions for 2 labels"
        );
    }

    #[test]
    fn no_samples_is_a_data_error() {
        let err = accuracy(&[], &[]).unwrap_err();
        assert!(err.to_string().contains("no samples"), "{err}");
        assert!(binary_accuracy::<f64>(&[], &[], 0.0).is_err());
    }

    #[test]
    fn logit_threshold_zero_and_probability_threshold_half_agree() {
        // z = −2, −0.1, 0, 0.1, 3 → σ(z) ≈ 0.119, 0.475, 0.5, 0.525, 0.953.
        // z > 0 and σ(z) > 0.5 both give 0 0 0 1 1 (the tie at z = 0 goes to class 0).
        let z = [-2.0_f64, -0.1, 0.0, 0.1, 3.0];
        let p: Vec<f64> = z.iter().map(|&z| 1.0 / (1.0 + (-z).exp())).collect();
        let from_logits = binary_predictions(&z, 0.0).unwrap();
        assert_eq!(from_logits, vec![0, 0, 0, 1, 1]);
        assert_eq!(binary_predictions(&p, 0.5).unwrap(), from_logits);
    }

    #[test]
    fn binary_accuracy_thresholds_then_compares() {
        // predictions 1 0 0 1 (scores 0.9, 0.2, 0.5, 0.7 > 0.5) vs labels 1 0 1 0 → 2/4.
        let acc = binary_accuracy(&[0.9_f32, 0.2, 0.5, 0.7], &[1, 0, 1, 0], 0.5).unwrap();
        assert_eq!(acc, 0.5);
    }

    #[test]
    fn a_label_other_than_zero_or_one_names_its_index() {
        let err = binary_accuracy(&[0.9_f32, 0.2, 0.7], &[1, 0, 2], 0.5).unwrap_err();
        assert_eq!(
            err.to_string(),
            "actual labels: actual[2] = 2, expected 0 or 1"
        );
    }

    #[test]
    fn nan_scores_and_thresholds_are_rejected() {
        let err = binary_predictions(&[0.1_f64, f64::NAN], 0.0).unwrap_err();
        assert_eq!(err.to_string(), "scores: scores[1] is NaN");
        assert!(binary_predictions(&[0.1_f64], f64::NAN).is_err());
    }
}
