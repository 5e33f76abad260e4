//! Labels as the matrix `Y` a loss takes (course 1 week 2, course 2 week 3).
//!
//! Binary:  `Y = [y⁽¹⁾ … y⁽ᵐ⁾]`, `1 × m`, every `y⁽ⁱ⁾ ∈ {0, 1}`.
//!
//! One-hot: `Y: K × m` with `Y[k, i] = 1` when `y⁽ⁱ⁾ = k`, else `0` (softmax targets).

use crate::tensor::Batch;
use crate::{Error, Result, Scalar};

/// Class ids `0 ≤ y⁽ⁱ⁾ < K` as the `K × m` one-hot matrix `Y`.
///
/// ```
/// use constnn::data::one_hot;
/// let y = one_hot::<3, f64>(&[2, 0])?;       // two samples: classes 2 and 0
/// assert_eq!(y.as_slice(), &[0., 1., 0., 0., 1., 0.]); // rows: class 0, 1, 2
/// # Ok::<(), constnn::Error>(())
/// ```
///
/// # Errors
/// [`Error::Data`] when a label is `≥ K`, naming the first such sample.
pub fn one_hot<const K: usize, T: Scalar>(labels: &[usize]) -> Result<Batch<K, T>> {
    one_hot_of("labels", labels)
}

/// Class ids `0` or `1` as the `1 × m` matrix `Y` of binary classification.
///
/// ```
/// use constnn::data::binary_labels;
/// let y = binary_labels::<f64>(&[1, 0, 1])?;
/// assert_eq!(y.as_slice(), &[1., 0., 1.]);
/// # Ok::<(), constnn::Error>(())
/// ```
///
/// # Errors
/// [`Error::Data`] when a label is neither `0` nor `1`, naming the first such sample.
pub fn binary_labels<T: Scalar>(labels: &[usize]) -> Result<Batch<1, T>> {
    binary_labels_of("labels", labels)
}

/// [`one_hot`], with errors naming `what` (a file, a data set).
pub(crate) fn one_hot_of<const K: usize, T: Scalar>(
    what: &str,
    labels: &[usize],
) -> Result<Batch<K, T>> {
    check_below(what, labels, K)?;
    Ok(Batch::from_fn(labels.len(), |k, i| {
        if labels[i] == k { T::one() } else { T::zero() }
    }))
}

/// [`binary_labels`], with errors naming `what` (a file, a data set).
pub(crate) fn binary_labels_of<T: Scalar>(what: &str, labels: &[usize]) -> Result<Batch<1, T>> {
    check_below(what, labels, 2)?;
    Ok(Batch::from_fn(labels.len(), |_, i| T::of(labels[i] as f64)))
}

fn check_below(what: &str, labels: &[usize], k: usize) -> Result<()> {
    match labels.iter().position(|&y| y >= k) {
        None => Ok(()),
        Some(i) => Err(Error::Data {
            what: what.to_owned(),
            reason: format!(
                "sample {} has label {}, expected a class id below {k}",
                i + 1,
                labels[i]
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_hot_puts_a_single_one_in_each_column() {
        // y = (1, 0, 2, 1), K = 3 → rows: class 0 = [0 1 0 0], class 1 = [1 0 0 1], class 2 = [0 0 1 0].
        let y = one_hot::<3, f32>(&[1, 0, 2, 1]).unwrap();
        assert_eq!(
            y.as_slice(),
            &[0., 1., 0., 0., 1., 0., 0., 1., 0., 0., 1., 0.]
        );
    }

    #[test]
    fn one_hot_rejects_a_label_of_k_without_panicking() {
        let err = one_hot::<3, f64>(&[0, 1, 3]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "labels: sample 3 has label 3, expected a class id below 3"
        );
    }

    #[test]
    fn binary_labels_keep_zero_and_one() {
        let y = binary_labels::<f64>(&[0, 1, 1, 0]).unwrap();
        assert_eq!(y.as_slice(), &[0., 1., 1., 0.]);
    }

    #[test]
    fn binary_labels_reject_a_third_class() {
        let err = binary_labels::<f64>(&[0, 2]).unwrap_err();
        assert!(matches!(err, Error::Data { .. }), "{err}");
        assert!(err.to_string().contains("sample 2 has label 2"), "{err}");
    }

    #[test]
    fn no_labels_give_an_empty_batch() {
        assert_eq!(one_hot::<4, f32>(&[]).unwrap().batch_size(), 0);
    }
}
