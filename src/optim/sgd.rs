//! Gradient descent (course 1, week 2): `W := W − α·dW`, `b := b − α·db` for every parameter.
//!
//! With full-batch gradients this is batch gradient descent; fed mini-batch gradients it is
//! mini-batch (stochastic) gradient descent.

use super::{Optimizer, Snapshot};
use crate::Scalar;
use crate::layer::{Param, Params};

/// Plain gradient descent with learning rate `α`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sgd {
    /// The learning rate `α`.
    pub lr: f64,
}

impl Sgd {
    /// Gradient descent with learning rate `lr`.
    ///
    /// # Errors
    /// [`Error::Setting`](crate::Error::Setting) when `lr` is not a finite number `> 0`.
    pub fn new(lr: f64) -> crate::Result<Self> {
        Ok(Self {
            lr: crate::setting::positive("Sgd lr", lr)?,
        })
    }
}

impl<T: Scalar> Optimizer<T> for Sgd {
    fn step(&mut self, model: &mut dyn Params<T>) {
        let lr = T::of(self.lr);
        // `W := W − α·dW` (kernel::update, SIMD for f32).
        model.visit(&mut |p: Param<'_, T>| T::sgd(lr, p.value, p.grad));
    }
    fn learning_rate(&self) -> f64 {
        self.lr
    }
    fn set_learning_rate(&mut self, lr: f64) {
        self.lr = lr;
    }
    fn snapshot(&self) -> Snapshot<T> {
        Snapshot::stateless("Sgd")
    }
    fn restore(&mut self, snapshot: Snapshot<T>) -> crate::Result<()> {
        snapshot
            .check("Sgd", &[])
            .map_err(|reason| crate::Error::Data {
                what: "optimizer state".into(),
                reason,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::{Free, minimize};

    #[test]
    fn three_steps_match_hand_computation() {
        // J = w² − 10w + 25, α = 0.1, w₀ = 0: w ← w − 0.1·(2w − 10) = 0.8w + 1 → 1, 1.8, 2.44.
        let mut p = Free {
            value: vec![0.0f64],
            grad: vec![0.0],
        };
        let mut opt = Sgd::new(0.1).unwrap();
        let mut trace = vec![];
        for _ in 0..3 {
            p.grad[0] = 2.0 * p.value[0] - 10.0;
            opt.step(&mut p);
            trace.push(p.value[0]);
        }
        assert_eq!(trace, [1.0, 1.8, 2.4400000000000004]);
    }

    #[test]
    fn minimize_reaches_w_equals_5() {
        let w = minimize(&[0.0f32], &mut Sgd::new(0.1).unwrap(), 200, |w, dw| {
            dw[0] = 2.0 * w[0] - 10.0
        });
        assert!((w[0] - 5.0).abs() < 1e-5, "{}", w[0]);
    }

    #[test]
    fn a_learning_rate_that_is_not_positive_is_refused() {
        // Before: `Sgd::new(-1.0)` was accepted and training ascended the cost.
        for lr in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let err = Sgd::new(lr).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("Sgd lr = {lr}: must be a finite number > 0")
            );
        }
    }
}
