//! Metrics and error analysis (course 3, "Structuring machine learning projects").
//!
//! Predictions and labels are class ids, one per sample (column): `ŷ⁽ⁱ⁾ = argmaxₖ Z[L]ₖᵢ` from
//! [`Batch::argmax`](crate::tensor::Batch::argmax), or `z > 0` for a single logit.
//!
//! | file | formula | notes |
//! |---|---|---|
//! | [`accuracy`](mod@accuracy) | `(1/m)·Σᵢ 1{ŷ⁽ⁱ⁾ = y⁽ⁱ⁾}` | week 1 |
//! | [`confusion_matrix`] | `C[a][p] = #{i : y⁽ⁱ⁾ = a, ŷ⁽ⁱ⁾ = p}`, rows actual, columns predicted | week 2, error analysis |
//! | [`classification_report`] | `P = TP/(TP+FP)`, `R = TP/(TP+FN)`, `F1 = 2PR/(P+R)`, macro = mean over classes; `0/0 = 0` | week 1, single-number metric |
//! | [`criterion`] | one optimizing metric (`maximize`/`minimize`), satisficing constraints `metric ≤ t`, `metric ≥ t` | week 1 |
//! | [`model_selection`] | `argmax` of one optimizing metric over the models meeting every satisficing constraint | week 1 |
//! | [`ranking`] | the ranked candidates, feasible first, with violated constraints named | week 1 |
//! | [`bias_variance`] | avoidable bias `= train − human`, variance `= train-dev − train`, data mismatch `= dev − train-dev`, overfitting to dev `= test − dev` | weeks 1, 2 |
//! | [`error_analysis`] | misclassified dev examples per tag: share of the errors (the ceiling), error if fixed, mislabeled as a tag | week 2 |
//! | [`task_accuracy`] | per task `j`: right / known labels, `?` (NaN) ignored | week 2, multi-task learning |
//!
//! ```
//! use constnn::metrics::{ConfusionMatrix, Constraint, Criterion, ModelScore, accuracy, select_best};
//! use constnn::tensor::Batch;
//!
//! # fn main() -> constnn::Result<()> {
//! // Logits of 3 classes for 4 samples (one column each) and the true classes.
//! let z = Batch::<3, f64>::from_columns(&[[2.0, 0.1, 0.3], [0.2, 1.5, 0.1], [0.0, 0.2, 0.9], [1.0, 0.0, 0.5]]);
//! let y = [0, 1, 1, 0];
//! let y_hat = z.argmax(); // [0, 1, 2, 0]
//! assert_eq!(accuracy(&y_hat, &y)?, 0.75);
//!
//! let cm = ConfusionMatrix::<3>::from_labels(&y_hat, &y)?.with_names(&["cat", "dog", "bird"]);
//! assert_eq!(cm.recall(1), 0.5); // one of the two dogs was called a bird
//! print!("{cm}\n{}", cm.report());
//!
//! // Maximize accuracy subject to running time ≤ 100 ms and recall of class 1 ≥ 0.9.
//! let candidates = [
//!     ModelScore::new("small").with_classification(&cm).with("latency_ms", 20.0),
//!     ModelScore::new("big").with("accuracy", 0.95).with("recall[1]", 0.95).with("latency_ms", 90.0),
//! ];
//! let ranking = select_best(
//!     &candidates,
//!     &Criterion::maximize("accuracy"),
//!     &[Constraint::at_most("latency_ms", 100.0), Constraint::at_least("recall[1]", 0.9)],
//! )?;
//! assert_eq!(ranking.best().map(|m| m.name.as_str()), Some("big"));
//! print!("{ranking}");
//! # Ok(())
//! # }
//! ```

pub mod accuracy;
pub mod bias_variance;
pub mod classification_report;
pub mod confusion_matrix;
pub mod criterion;
pub mod error_analysis;
pub mod model_selection;
pub mod ranking;
pub mod task_accuracy;

pub use accuracy::{accuracy, binary_accuracy, binary_predictions};
pub use bias_variance::{BiasVariance, Gap};
pub use classification_report::ClassificationReport;
pub use confusion_matrix::{Confusion, ConfusionMatrix};
pub use criterion::{Bound, Constraint, Criterion, Goal};
pub use error_analysis::{ErrorAnalysis, MISLABELED, TagRow};
pub use model_selection::{ModelScore, select_best};
pub use ranking::{RankedModel, Ranking, Violation};
pub use task_accuracy::{TaskAccuracy, TaskScore};
