//! Metrics and error analysis (course 3, "Structuring machine learning projects").
//!
//! Predictions and labels are class ids, one per sample (column): `ŷ⁽ⁱ⁾ = argmaxₖ Z[L]ₖᵢ` from
//! [`Batch::argmax`](crate::tensor::Batch::argmax), or `z > 0` for a single logit.
//!
//! | file | formula | notes |
//! |---|---|---|
//! | [`accuracy`](mod@accuracy) | `(1/m)·Σᵢ 1{ŷ⁽ⁱ⁾ = y⁽ⁱ⁾}` | week 1 |

pub mod accuracy;

pub use accuracy::{accuracy, binary_accuracy, binary_predictions};
