//! Precision, recall and F1 per class, their macro averages, and the report that tabulates them
//! (course 3, week 1: single-number evaluation metric).
//!
//! For class `k` of a [`ConfusionMatrix`] (`TP`, `FP`, `FN` as defined there):
//!
//! ```text
//! precision(k) = TP / (TP + FP)       of the samples predicted k, the fraction that are k
//! recall(k)    = TP / (TP + FN)       of the samples that are k, the fraction predicted k
//! F1(k)        = 2·P·R / (P + R)      harmonic mean of P and R  (= 2·TP / (2·TP + FP + FN))
//! macro P      = (1/K)·Σₖ precision(k)     and likewise macro R, macro F1
//! ```
//!
//! **`0/0` is `0`.** A class never predicted has `TP + FP = 0` and precision `0`; a class absent
//! from the labels has recall `0`; `P + R = 0` gives `F1 = 0`. These are scikit-learn's
//! `zero_division=0` values, and every class still counts in the macro average, so a class the
//! model never gets right pulls the average down instead of disappearing from it. Macro F1 is
//! the mean of the per-class F1 scores, not the F1 of macro P and macro R (as in scikit-learn).
//!
//! ```
//! use constnn::metrics::ConfusionMatrix;
//!
//! # fn main() -> constnn::Result<()> {
//! // 2 classes: actual 1 1 1 0, predicted 1 1 0 0 → TP(1) = 2, FP(1) = 0, FN(1) = 1.
//! let cm = ConfusionMatrix::<2>::from_labels(&[1, 1, 0, 0], &[1, 1, 1, 0])?;
//! assert_eq!(cm.precision(1), 1.0);     // 2 / (2 + 0)
//! assert_eq!(cm.recall(1), 2.0 / 3.0);  // 2 / (2 + 1)
//! assert_eq!(cm.f1(1), 0.8);            // 2·2 / (2·2 + 0 + 1)
//! print!("{:.2}", cm.report());         // the precision sets the decimals (default 4)
//! # Ok(())
//! # }
//! ```

use core::fmt;

use super::ConfusionMatrix;
use super::confusion_matrix::ratio;

impl<const K: usize> ConfusionMatrix<K> {
    /// `TP / (TP + FP)` of class `k`; `0` when class `k` is never predicted.
    ///
    /// # Panics
    /// When `k ≥ K`.
    pub fn precision(&self, k: usize) -> f64 {
        ratio(self.true_positives(k), self.predicted_total(k))
    }

    /// `TP / (TP + FN)` of class `k`; `0` when class `k` never occurs.
    ///
    /// # Panics
    /// When `k ≥ K`.
    pub fn recall(&self, k: usize) -> f64 {
        ratio(self.true_positives(k), self.support(k))
    }

    /// `2·P·R / (P + R)` of class `k`, computed exactly as `2·TP / (2·TP + FP + FN)`; `0` when
    /// `P + R = 0`.
    ///
    /// # Panics
    /// When `k ≥ K`.
    pub fn f1(&self, k: usize) -> f64 {
        let tp = self.true_positives(k);
        ratio(
            2 * tp,
            2 * tp + self.false_positives(k) + self.false_negatives(k),
        )
    }

    /// `(1/K)·Σₖ precision(k)`.
    pub fn macro_precision(&self) -> f64 {
        self.macro_average(Self::precision)
    }

    /// `(1/K)·Σₖ recall(k)`.
    pub fn macro_recall(&self) -> f64 {
        self.macro_average(Self::recall)
    }

    /// `(1/K)·Σₖ F1(k)`.
    pub fn macro_f1(&self) -> f64 {
        self.macro_average(Self::f1)
    }

    fn macro_average(&self, metric: fn(&Self, usize) -> f64) -> f64 {
        (0..K).map(|k| metric(self, k)).sum::<f64>() / K as f64
    }

    /// A table of precision, recall, F1 and support per class, then accuracy and the macro
    /// averages, like scikit-learn's `classification_report`. Format it with `{:.2}` for
    /// two decimals; the default is four.
    pub fn report(&self) -> ClassificationReport<'_, K> {
        ClassificationReport { matrix: self }
    }
}

/// The per-class report of a [`ConfusionMatrix`], printed by its `Display`.
///
/// ```text
///            precision  recall  f1-score  support
/// cat           0.6000  0.7500    0.6667        4
///
/// accuracy                        0.6000       10
/// macro avg     0.5889  0.5833    0.5778       10
/// ```
#[derive(Clone, Copy, Debug)]
pub struct ClassificationReport<'a, const K: usize> {
    matrix: &'a ConfusionMatrix<K>,
}

const HEADERS: [&str; 4] = ["precision", "recall", "f1-score", "support"];

impl<const K: usize> fmt::Display for ClassificationReport<'_, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cm = self.matrix;
        let digits = f.precision().unwrap_or(4);
        let names: Vec<String> = (0..K).map(|k| cm.class_name(k)).collect();
        let label_w = names
            .iter()
            .map(|n| n.chars().count())
            .chain(["accuracy".len(), "macro avg".len()])
            .max()
            .unwrap_or(0);
        let total = cm.total();
        let value_w = digits + 2; // "0." and the decimals; every value is in [0, 1]
        let [wp, wr, wf, ws] = [
            HEADERS[0].len().max(value_w),
            HEADERS[1].len().max(value_w),
            HEADERS[2].len().max(value_w),
            HEADERS[3].len().max(total.to_string().len()),
        ];
        let row = |f: &mut fmt::Formatter<'_>, label: &str, p: f64, r: f64, f1: f64, n: usize| {
            writeln!(
                f,
                "{label:<label_w$}  {p:>wp$.digits$}  {r:>wr$.digits$}  {f1:>wf$.digits$}  {n:>ws$}"
            )
        };
        writeln!(
            f,
            "{:<label_w$}  {:>wp$}  {:>wr$}  {:>wf$}  {:>ws$}",
            "", HEADERS[0], HEADERS[1], HEADERS[2], HEADERS[3]
        )?;
        for (k, name) in names.iter().enumerate() {
            row(
                f,
                name,
                cm.precision(k),
                cm.recall(k),
                cm.f1(k),
                cm.support(k),
            )?;
        }
        writeln!(f)?;
        let accuracy = cm.accuracy();
        writeln!(
            f,
            "{:<label_w$}  {:>wp$}  {:>wr$}  {accuracy:>wf$.digits$}  {total:>ws$}",
            "accuracy", "", ""
        )?;
        let (p, r, f1) = (cm.macro_precision(), cm.macro_recall(), cm.macro_f1());
        row(f, "macro avg", p, r, f1, total)
    }
}

#[cfg(test)]
mod tests {
    use super::super::confusion_matrix::tests::hand_example;
    use super::*;

    fn close(x: f64, y: f64) -> bool {
        (x - y).abs() < 1e-12
    }

    // The hand example (see `confusion_matrix::tests::hand_example`):
    //
    //            pred cat  dog  bird | support
    //   cat           3    1    0    |   4
    //   dog           0    2    1    |   3
    //   bird          2    0    1    |   3
    //   column sum    5    3    2    |  10
    //
    //   class  TP  FP  FN  precision   recall    F1 = 2TP/(2TP+FP+FN)
    //   cat     3   2   1  3/5 = 0.6   3/4       6/9 = 2/3
    //   dog     2   1   1  2/3         2/3       4/6 = 2/3
    //   bird    1   1   2  1/2         1/3       2/5 = 0.4
    //
    //   macro P  = (3/5 + 2/3 + 1/2)/3 = (18 + 20 + 15)/30/3 = 53/90 ≈ 0.58889
    //   macro R  = (3/4 + 2/3 + 1/3)/3 = (7/4)/3            = 7/12  ≈ 0.58333
    //   macro F1 = (2/3 + 2/3 + 2/5)/3 = (26/15)/3          = 26/45 ≈ 0.57778

    #[test]
    fn per_class_values_match_the_hand_derivation() {
        let cm = hand_example();
        let p = [3.0 / 5.0, 2.0 / 3.0, 1.0 / 2.0];
        let r = [3.0 / 4.0, 2.0 / 3.0, 1.0 / 3.0];
        let f1 = [2.0 / 3.0, 2.0 / 3.0, 2.0 / 5.0];
        for k in 0..3 {
            assert!(close(cm.precision(k), p[k]), "precision {k}");
            assert!(close(cm.recall(k), r[k]), "recall {k}");
            assert!(close(cm.f1(k), f1[k]), "f1 {k}");
        }
    }

    #[test]
    fn f1_equals_the_harmonic_mean_of_precision_and_recall() {
        let cm = hand_example();
        for k in 0..3 {
            let (p, r) = (cm.precision(k), cm.recall(k));
            assert!(close(cm.f1(k), 2.0 * p * r / (p + r)), "class {k}");
        }
    }

    #[test]
    fn macro_averages_match_the_hand_derivation() {
        let cm = hand_example();
        assert!(close(cm.macro_precision(), 53.0 / 90.0));
        assert!(close(cm.macro_recall(), 7.0 / 12.0));
        assert!(close(cm.macro_f1(), 26.0 / 45.0));
    }

    #[test]
    fn zero_over_zero_is_zero_and_still_counts_in_the_macro_average() {
        // Class 2 never occurs and is never predicted: P = R = F1 = 0/0 := 0.
        // Classes 0 and 1 are perfect (1.0), so every macro average is (1 + 1 + 0)/3 = 2/3.
        let cm = ConfusionMatrix::<3>::from_labels(&[0, 1, 1], &[0, 1, 1]).unwrap();
        assert_eq!((cm.precision(2), cm.recall(2), cm.f1(2)), (0.0, 0.0, 0.0));
        assert!(close(cm.macro_f1(), 2.0 / 3.0));
        // Class 1 predicted but never right: P = 0/1 = 0, R = 0/1 = 0, F1 = 0/(0+1+1) = 0.
        let cm = ConfusionMatrix::<2>::from_counts([[0, 1], [1, 0]]);
        assert_eq!((cm.precision(1), cm.recall(1), cm.f1(1)), (0.0, 0.0, 0.0));
    }

    #[test]
    fn report_prints_the_hand_values_to_four_decimals() {
        // (`concat!` keeps the header's leading spaces, which a `\` line continuation drops.)
        let expected = concat!(
            "           precision  recall  f1-score  support\n",
            "cat           0.6000  0.7500    0.6667        4
dog           0.6667  0.6667    0.6667        3
bird          0.5000  0.3333    0.4000        3

accuracy                        0.6000       10
macro avg     0.5889  0.5833    0.5778       10
"
        );
        assert_eq!(hand_example().report().to_string(), expected);
    }

    #[test]
    fn report_precision_sets_the_decimals() {
        // Two decimals: 0.5889 → 0.59, 0.5833 → 0.58, 0.5778 → 0.58.
        let text = format!("{:.2}", hand_example().report());
        let last = text.lines().last().unwrap();
        assert_eq!(last, "macro avg       0.59    0.58      0.58       10");
    }
}
