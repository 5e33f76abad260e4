//! Evaluating a trained network: cost and accuracy on a data set, and predicted classes,
//! through [`Layer::infer`] (so through `&net`) and in chunks so a 10 000-image test set does
//! not need one huge buffer.

use super::{Classify, Evaluation};
use crate::layer::Layer;
use crate::loss::Loss;
use crate::tensor::Tensor;
use crate::{Error, Result, Scalar};

/// Cost and accuracy of `net` on `(x, y)` by inference, `batch` samples at a time.
///
/// # Errors
/// [`Error::Data`] when `x` and `y` have different numbers of samples (as
/// [`fit`](super::fit) reports it).
pub fn evaluate<T, X, Y, N, L>(net: &N, loss: &L, x: &X, y: &Y, batch: usize) -> Result<Evaluation>
where
    T: Scalar,
    X: Tensor<Elem = T>,
    Y: Classify<Elem = T>,
    N: Layer<X, Output = Y>,
    L: Loss<Y>,
{
    let m = x.batch_size();
    if m != y.batch_size() {
        return Err(Error::Data {
            what: "evaluation set".into(),
            reason: format!("{m} samples but {} labels", y.batch_size()),
        });
    }
    let (mut xb, mut yb, mut out, mut cache) = (
        X::default(),
        Y::default(),
        Y::default(),
        N::Cache::default(),
    );
    let (mut total, mut correct, mut counted) = (0.0, 0, 0);
    let idx: Vec<usize> = (0..m).collect();
    for chunk in idx.chunks(batch.max(1)) {
        x.gather_into(chunk, &mut xb);
        y.gather_into(chunk, &mut yb);
        net.infer(&xb, &mut out, &mut cache);
        total += loss.cost(&out, &yb).as_f64() * chunk.len() as f64;
        let (c, n) = loss.count_correct(&out, &yb);
        (correct, counted) = (correct + c, counted + n);
    }
    let m = m.max(1) as f64;
    Ok(Evaluation {
        cost: total / m,
        accuracy: correct as f64 / counted.max(1) as f64,
    })
}

/// The predicted class of every sample of `x` (by inference, `batch` samples at a time).
pub fn predict_classes<T, X, Y, N>(net: &N, x: &X, batch: usize) -> Vec<usize>
where
    T: Scalar,
    X: Tensor<Elem = T>,
    Y: Classify<Elem = T>,
    N: Layer<X, Output = Y>,
{
    let (mut xb, mut out, mut cache) = (X::default(), Y::default(), N::Cache::default());
    let idx: Vec<usize> = (0..x.batch_size()).collect();
    let mut classes = Vec::with_capacity(idx.len());
    for chunk in idx.chunks(batch.max(1)) {
        x.gather_into(chunk, &mut xb);
        net.infer(&xb, &mut out, &mut cache);
        classes.extend(out.predicted_classes());
    }
    classes
}
