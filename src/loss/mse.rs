//! Mean squared error `L(ŷ, y) = ½·‖ŷ − y‖²`, gradient `∂L/∂ŷ = ŷ − y` (regression outputs).

use super::{Loss, same_batch};
use crate::tensor::Tensor;

/// Half the squared Euclidean distance, averaged over the batch.
#[derive(Clone, Copy, Debug, Default)]
pub struct MeanSquaredError;

impl<X: Tensor> Loss<X> for MeanSquaredError {
    fn cost(&self, yhat: &X, y: &X) -> X::Elem {
        let m = same_batch(yhat, y);
        let half = <X::Elem as crate::Scalar>::of(0.5);
        let total: X::Elem = yhat
            .as_slice()
            .iter()
            .zip(y.as_slice())
            .map(|(&a, &b)| half * (a - b) * (a - b))
            .sum();
        total / <X::Elem as crate::Scalar>::of(m.max(1) as f64)
    }

    fn cost_and_grad(&self, yhat: &X, y: &X, d: &mut X) -> X::Elem {
        d.set_batch_size(same_batch(yhat, y));
        for (d, (&a, &b)) in d
            .as_mut_slice()
            .iter_mut()
            .zip(yhat.as_slice().iter().zip(y.as_slice()))
        {
            *d = a - b;
        }
        self.cost(yhat, y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gradcheck;
    use crate::tensor::Batch;

    #[test]
    fn matches_hand_computed_value() {
        // ŷ − y = (3, 4) for one sample and (0, 0) for another: (½·25 + 0)/2 = 6.25.
        let yhat = Batch::<2, f64>::from_columns(&[[3.0, 4.0], [1.0, 1.0]]);
        let y = Batch::<2, f64>::from_columns(&[[0.0, 0.0], [1.0, 1.0]]);
        assert_eq!(MeanSquaredError.cost(&yhat, &y), 6.25);
    }

    #[test]
    fn gradient_passes_gradcheck() {
        let yhat = Batch::<2, f64>::from_fn(3, |i, j| (i + 2 * j) as f64 * 0.3);
        let y = Batch::<2, f64>::from_fn(3, |i, j| (i * j) as f64 * 0.1);
        assert!(gradcheck::check_loss(&MeanSquaredError, &yhat, &y, 1e-6) < 1e-7);
    }
}
