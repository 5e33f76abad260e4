//! Cost functions `J = (1/m)·Σᵢ L(ŷ⁽ⁱ⁾, y⁽ⁱ⁾)` and their gradients.
//!
//! `cost_and_grad` writes the per-sample gradient `∂L⁽ⁱ⁾/∂ŷ⁽ⁱ⁾` (the notes' `dZ[L] = A[L] − Y`
//! for the logit losses), not divided by `m`: the `1/m` is applied where the notes apply it,
//! in `dW = (1/m)·dZ·Aᵀ` and `db = (1/m)·Σ dZ`.
//!
//! Predictions and labels have the same type, so labels of the wrong width do not compile.

mod binary_cross_entropy;
mod cross_entropy;
mod mse;
mod multi_task;
mod regularization;

pub use binary_cross_entropy::BinaryCrossEntropy;
pub use cross_entropy::SoftmaxCrossEntropy;
pub use mse::MeanSquaredError;
pub use multi_task::MultiTask;
pub use regularization::Regularization;

use crate::tensor::Tensor;
use crate::train::Classify;

/// A cost over a batch of predictions `ŷ` and labels `y` of the same shape.
pub trait Loss<X: Tensor> {
    /// `J = (1/m)·Σᵢ L(ŷ⁽ⁱ⁾, y⁽ⁱ⁾)`.
    fn cost(&self, yhat: &X, y: &X) -> X::Elem;

    /// `J`, and `d ← ∂L⁽ⁱ⁾/∂ŷ⁽ⁱ⁾` per sample (resized to the batch).
    fn cost_and_grad(&self, yhat: &X, y: &X, d: &mut X) -> X::Elem;

    /// `(correct, counted)` predictions of a batch, for the accuracy that training and
    /// evaluation report: by default one class per sample ([`Classify`]), so `counted` is
    /// the batch size; a multi-task loss counts each known label.
    fn count_correct(&self, yhat: &X, y: &X) -> (usize, usize)
    where
        X: Classify,
    {
        (yhat.count_correct(y), yhat.batch_size())
    }
}

/// Asserts that predictions and labels have the same batch size (the feature widths are
/// already equal by type).
fn same_batch<X: Tensor>(yhat: &X, y: &X) -> usize {
    let m = yhat.batch_size();
    assert_eq!(
        m,
        y.batch_size(),
        "loss: {m} predictions but {} labels",
        y.batch_size()
    );
    m
}
