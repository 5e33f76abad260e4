//! The confusion matrix of a `K`-class classifier (course 3, week 2: error analysis).
//!
//! ```text
//! C[a][p] = #{ i : y⁽ⁱ⁾ = a and ŷ⁽ⁱ⁾ = p }     rows a = actual class, columns p = predicted
//! support(k) = Σₚ C[k][p]                       (samples whose actual class is k)
//! accuracy   = Σₖ C[k][k] / Σₐ Σₚ C[a][p]      (the diagonal over everything)
//! ```
//!
//! In per-class terms, for class `k`: `TP = C[k][k]`, `FP = Σₐ C[a][k] − TP` (column `k` off
//! the diagonal), `FN = Σₚ C[k][p] − TP` (row `k` off the diagonal). Precision, recall and F1
//! follow in [`classification_report`](super::classification_report).
//!
//! Error analysis reads the largest off-diagonal cells first: [`ConfusionMatrix::most_confused`]
//! says which mistakes are worth a closer look (the notes' "which category of errors to fix").
//!
//! ```
//! use constnn::metrics::ConfusionMatrix;
//!
//! # fn main() -> constnn::Result<()> {
//! let predicted = [0, 1, 1, 2];
//! let actual = [0, 1, 2, 2];
//! let cm = ConfusionMatrix::<3>::from_labels(&predicted, &actual)?.with_names(&["a", "b", "c"]);
//! assert_eq!(cm.count(2, 1), 1); // one actual `c` predicted as `b`
//! assert_eq!(cm.accuracy(), 0.75);
//! print!("{cm}");
//! # Ok(())
//! # }
//! ```

use core::cmp::Reverse;
use core::fmt;

use super::accuracy::check_lengths;
use crate::{Error, Result};

/// Counts of (actual, predicted) class pairs over `K` classes: row = actual, column = predicted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfusionMatrix<const K: usize> {
    counts: [[usize; K]; K],
    names: Option<[String; K]>,
}

/// One off-diagonal cell: `count` samples of class `actual` were predicted as `predicted`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Confusion {
    /// The true class.
    pub actual: usize,
    /// The class the model chose instead.
    pub predicted: usize,
    /// How many samples made this mistake.
    pub count: usize,
}

impl<const K: usize> ConfusionMatrix<K> {
    /// Counts the pairs `(actual[i], predicted[i])`.
    ///
    /// # Errors
    /// [`Error::Data`] when the slices have different lengths or are empty, or when a label is
    /// `≥ K` (naming the slice, the index and the value).
    pub fn from_labels(predicted: &[usize], actual: &[usize]) -> Result<Self> {
        check_lengths(predicted.len(), actual.len())?;
        check_classes::<K>("predicted", predicted)?;
        check_classes::<K>("actual", actual)?;
        let mut counts = [[0; K]; K];
        for (&p, &a) in predicted.iter().zip(actual) {
            counts[a][p] += 1;
        }
        Ok(Self::from_counts(counts))
    }

    /// From counts already tallied, `counts[actual][predicted]`.
    pub fn from_counts(counts: [[usize; K]; K]) -> Self {
        const { assert!(K > 0, "a confusion matrix needs at least one class") };
        Self {
            counts,
            names: None,
        }
    }

    /// Names the classes for [`Display`](fmt::Display) and the report (`names[k]` is class `k`).
    pub fn with_names(mut self, names: &[&str; K]) -> Self {
        self.names = Some(names.map(str::to_owned));
        self
    }

    /// The name of class `k`: its given name, or the number `k` when none was given.
    pub fn class_name(&self, k: usize) -> String {
        match &self.names {
            Some(names) if k < K => names[k].clone(),
            _ => k.to_string(),
        }
    }

    /// `C[actual][predicted]`.
    ///
    /// # Panics
    /// When `actual` or `predicted` is `≥ K`.
    pub fn count(&self, actual: usize, predicted: usize) -> usize {
        assert!(
            actual < K && predicted < K,
            "({actual}, {predicted}) out of range for {K} classes"
        );
        self.counts[actual][predicted]
    }

    /// All counts, `counts()[actual][predicted]`.
    pub fn counts(&self) -> &[[usize; K]; K] {
        &self.counts
    }

    /// The number of samples, `Σₐ Σₚ C[a][p]`.
    pub fn total(&self) -> usize {
        self.counts.iter().flatten().sum()
    }

    /// Samples whose actual class is `k`: row `k`'s sum (`TP + FN`).
    ///
    /// # Panics
    /// When `k ≥ K`.
    pub fn support(&self, k: usize) -> usize {
        self.counts[k].iter().sum()
    }

    /// Samples predicted as class `k`: column `k`'s sum (`TP + FP`).
    ///
    /// # Panics
    /// When `k ≥ K`.
    pub fn predicted_total(&self, k: usize) -> usize {
        self.counts.iter().map(|row| row[k]).sum()
    }

    /// `TP` of class `k`: the diagonal cell `C[k][k]`.
    ///
    /// # Panics
    /// When `k ≥ K`.
    pub fn true_positives(&self, k: usize) -> usize {
        self.counts[k][k]
    }

    /// `FP` of class `k`: other classes predicted as `k` (column `k` off the diagonal).
    ///
    /// # Panics
    /// When `k ≥ K`.
    pub fn false_positives(&self, k: usize) -> usize {
        self.predicted_total(k) - self.counts[k][k]
    }

    /// `FN` of class `k`: class `k` predicted as something else (row `k` off the diagonal).
    ///
    /// # Panics
    /// When `k ≥ K`.
    pub fn false_negatives(&self, k: usize) -> usize {
        self.support(k) - self.counts[k][k]
    }

    /// `Σₖ C[k][k] / total`, and `0` for an empty matrix (`0/0`, as in the report).
    pub fn accuracy(&self) -> f64 {
        let correct: usize = (0..K).map(|k| self.counts[k][k]).sum();
        ratio(correct, self.total())
    }

    /// The `n` largest off-diagonal cells with a non-zero count, largest first; equal counts are
    /// ordered by `(actual, predicted)`. Fewer than `n` when fewer cells are non-zero.
    pub fn most_confused(&self, n: usize) -> Vec<Confusion> {
        let mut cells: Vec<Confusion> = (0..K)
            .flat_map(|a| (0..K).map(move |p| (a, p)))
            .filter(|&(a, p)| a != p && self.counts[a][p] > 0)
            .map(|(actual, predicted)| Confusion {
                actual,
                predicted,
                count: self.counts[actual][predicted],
            })
            .collect();
        // Row-major generation already orders by (actual, predicted); a stable sort keeps that
        // order among equal counts.
        cells.sort_by_key(|c| Reverse(c.count));
        cells.truncate(n);
        cells
    }
}

/// `num / den`, with `0/0 = 0` (the convention of every metric in this module).
pub(super) fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

fn check_classes<const K: usize>(slice: &str, labels: &[usize]) -> Result<()> {
    match labels.iter().position(|&y| y >= K) {
        None => Ok(()),
        Some(i) => Err(Error::Data {
            what: format!("{slice} labels"),
            reason: format!(
                "{slice}[{i}] = {}, expected a class id below {K}",
                labels[i]
            ),
        }),
    }
}

/// Header of the label column.
const CORNER: &str = "actual \\ predicted";

/// An aligned table: one row per actual class, one column per predicted class.
///
/// ```text
/// actual \ predicted  cat  dog  bird
/// cat                   3    1     0
/// ```
impl<const K: usize> fmt::Display for ConfusionMatrix<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = (0..K).map(|k| self.class_name(k)).collect();
        let label_w = names
            .iter()
            .map(|n| n.chars().count())
            .chain([CORNER.len()])
            .max()
            .unwrap_or(0);
        let col_w: Vec<usize> = (0..K)
            .map(|p| {
                let widest = (0..K).map(|a| self.counts[a][p]).max().unwrap_or(0);
                names[p].chars().count().max(widest.to_string().len())
            })
            .collect();
        write!(f, "{CORNER:<label_w$}")?;
        for (name, w) in names.iter().zip(&col_w) {
            write!(f, "  {name:>w$}")?;
        }
        writeln!(f)?;
        for (a, name) in names.iter().enumerate() {
            write!(f, "{name:<label_w$}")?;
            for (count, w) in self.counts[a].iter().zip(&col_w) {
                write!(f, "  {count:>w$}")?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// The hand example shared with the report's tests: 10 samples of 3 classes.
    ///
    /// ```text
    /// i          0 1 2 3 4 5 6 7 8 9
    /// actual     0 0 0 0 1 1 1 2 2 2
    /// predicted  0 0 0 1 1 1 2 0 0 2
    /// ```
    /// Row 0 (actual 0): predicted 0,0,0,1 → [3 1 0]; row 1: 1,1,2 → [0 2 1];
    /// row 2: 0,0,2 → [2 0 1].
    pub(in crate::metrics) fn hand_example() -> ConfusionMatrix<3> {
        let actual = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2];
        let predicted = [0, 0, 0, 1, 1, 1, 2, 0, 0, 2];
        ConfusionMatrix::from_labels(&predicted, &actual)
            .unwrap()
            .with_names(&["cat", "dog", "bird"])
    }

    #[test]
    fn counts_match_the_hand_tally() {
        let cm = hand_example();
        assert_eq!(cm.counts(), &[[3, 1, 0], [0, 2, 1], [2, 0, 1]]);
        assert_eq!(cm.count(2, 0), 2);
        assert_eq!(cm.total(), 10);
    }

    #[test]
    fn support_and_tp_fp_fn_are_row_and_column_sums() {
        let cm = hand_example();
        // Rows sum to 4, 3, 3; columns to 5, 3, 2.
        assert_eq!([cm.support(0), cm.support(1), cm.support(2)], [4, 3, 3]);
        assert_eq!(
            [0, 1, 2].map(|k| cm.predicted_total(k)),
            [5, 3, 2],
            "column sums"
        );
        // Class 0: TP 3, FP = 5 − 3 = 2, FN = 4 − 3 = 1. Class 2: TP 1, FP 1, FN 2.
        assert_eq!(
            (
                cm.true_positives(0),
                cm.false_positives(0),
                cm.false_negatives(0)
            ),
            (3, 2, 1)
        );
        assert_eq!(
            (
                cm.true_positives(2),
                cm.false_positives(2),
                cm.false_negatives(2)
            ),
            (1, 1, 2)
        );
    }

    #[test]
    fn accuracy_is_the_diagonal_over_the_total() {
        // (3 + 2 + 1) / 10 = 0.6, the same as accuracy() on the labels.
        assert_eq!(hand_example().accuracy(), 0.6);
        let empty = ConfusionMatrix::<2>::from_counts([[0, 0], [0, 0]]);
        assert_eq!(empty.accuracy(), 0.0, "0/0 is defined as 0");
    }

    #[test]
    fn most_confused_orders_by_count_then_actual_then_predicted() {
        // Off-diagonal cells: (2,0) = 2, (0,1) = 1, (1,2) = 1; the two 1s tie and keep
        // (actual, predicted) order. Zero cells are never listed.
        let cm = hand_example();
        let top = |a, p, count| Confusion {
            actual: a,
            predicted: p,
            count,
        };
        assert_eq!(
            cm.most_confused(5),
            vec![top(2, 0, 2), top(0, 1, 1), top(1, 2, 1)]
        );
        assert_eq!(cm.most_confused(2), vec![top(2, 0, 2), top(0, 1, 1)]);
        assert!(cm.most_confused(0).is_empty());
    }

    #[test]
    fn ties_are_broken_by_actual_class_first() {
        // Every off-diagonal cell is 1: order is (0,1) (0,2) (1,0) (1,2) (2,0) (2,1).
        let cm = ConfusionMatrix::from_counts([[5, 1, 1], [1, 5, 1], [1, 1, 5]]);
        let pairs: Vec<(usize, usize)> = cm
            .most_confused(6)
            .iter()
            .map(|c| (c.actual, c.predicted))
            .collect();
        assert_eq!(pairs, [(0, 1), (0, 2), (1, 0), (1, 2), (2, 0), (2, 1)]);
    }

    #[test]
    fn a_label_out_of_range_names_slice_index_and_value() {
        let err = ConfusionMatrix::<3>::from_labels(&[0, 1, 3], &[0, 1, 2]).unwrap_err();
        assert!(matches!(err, Error::Data { .. }), "{err}");
        assert_eq!(
            err.to_string(),
            "predicted labels: predicted[2] = 3, expected a class id below 3"
        );
        let err = ConfusionMatrix::<2>::from_labels(&[0, 1], &[7, 1]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "actual labels: actual[0] = 7, expected a class id below 2"
        );
    }

    #[test]
    fn mismatched_or_empty_labels_are_errors() {
        assert!(ConfusionMatrix::<2>::from_labels(&[0], &[0, 1]).is_err());
        assert!(ConfusionMatrix::<2>::from_labels(&[], &[]).is_err());
    }

    #[test]
    fn display_is_an_aligned_table_with_class_names() {
        let expected = "\
actual \\ predicted  cat  dog  bird
cat                   3    1     0
dog                   0    2     1
bird                  2    0     1
";
        assert_eq!(hand_example().to_string(), expected);
    }

    #[test]
    fn display_without_names_uses_class_numbers_and_widens_for_counts() {
        let cm = ConfusionMatrix::from_counts([[120, 3], [7, 0]]);
        let expected = "\
actual \\ predicted    0  1
0                   120  3
1                     7  0
";
        assert_eq!(cm.to_string(), expected);
    }
}
