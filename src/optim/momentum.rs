//! Gradient descent with momentum (course 2, week 2): on iteration `t`, with `dW`, `db` from
//! the current mini-batch,
//!
//! ```text
//! v_dW = β·v_dW + (1 − β)·dW      W := W − α·v_dW
//! v_db = β·v_db + (1 − β)·db      b := b − α·v_db
//! ```
//!
//! `v` is an exponentially weighted average ([`Ewma`](super::Ewma)) of the gradients, which
//! damps the oscillating directions and keeps the consistent ones. As in the notes there is
//! no bias correction: after about `1/(1 − β)` steps (10 for β = 0.9) it no longer matters.
//!
//! Some libraries (PyTorch `SGD(momentum=β)`, Sutskever et al. 2013) drop the `(1 − β)`:
//! `v = β·v + dW`. That `v` is `1/(1 − β)` times ours, so their `α` corresponds to our
//! `α/(1 − β)` (10× at β = 0.9).
//!
//! References: B. T. Polyak, "Some methods of speeding up the convergence of iteration methods",
//! USSR Comput. Math. & Math. Phys., 1964; I. Sutskever, J. Martens, G. Dahl, G. Hinton, "On
//! the importance of initialization and momentum in deep learning", ICML 2013.
//!
//! ```
//! use constnn::optim::{minimize, Momentum, MomentumConfig};
//! let mut opt = Momentum::new(MomentumConfig { lr: 0.1, ..MomentumConfig::default() })?;
//! let w = minimize(&[0.0f64], &mut opt, 400, |w, dw| dw[0] = 2.0 * w[0] - 10.0);
//! assert!((w[0] - 5.0).abs() < 1e-6);
//! # Ok::<(), constnn::Error>(())
//! ```

use super::state::State;
use super::{Ewma, Optimizer, Snapshot, restore_state};
use crate::Scalar;
use crate::layer::{Param, Params};

/// Settings of [`Momentum`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MomentumConfig {
    /// The learning rate `α`. Default 0.01.
    pub lr: f64,
    /// The weight `β` of the past gradients in `v_dW`. Default 0.9 (the notes' choice).
    pub beta: f64,
}

impl Default for MomentumConfig {
    fn default() -> Self {
        Self {
            lr: 0.01,
            beta: 0.9,
        }
    }
}

/// Gradient descent with momentum, keeping `v_dW` for every parameter tensor.
#[derive(Clone, Debug)]
pub struct Momentum<T = f32> {
    /// The settings; `cfg.lr` is the current `α`.
    pub cfg: MomentumConfig,
    state: State<T, 1>,
}

impl MomentumConfig {
    /// Checks that `α` is finite and `> 0` and `β` in `[0, 1)`.
    ///
    /// # Errors
    /// [`Error::Setting`](crate::Error::Setting) naming the first setting out of range.
    pub fn validate(&self) -> crate::Result<()> {
        crate::setting::positive("MomentumConfig lr", self.lr)?;
        crate::setting::average_weight("MomentumConfig beta", self.beta)?;
        Ok(())
    }
}

impl<T: Scalar> Momentum<T> {
    /// Momentum with `cfg`; `v_dW = 0` is allocated on the first step.
    ///
    /// # Errors
    /// [`Error::Setting`](crate::Error::Setting) as for [`MomentumConfig::validate`].
    pub fn new(cfg: MomentumConfig) -> crate::Result<Self> {
        cfg.validate()?;
        Ok(Self {
            cfg,
            state: State::default(),
        })
    }
}

impl<T: Scalar> Optimizer<T> for Momentum<T> {
    /// # Panics
    /// When `model`'s parameter tensors differ in number or size from the first step's.
    fn step(&mut self, model: &mut dyn Params<T>) {
        let (lr, beta) = (T::of(self.cfg.lr), T::of(self.cfg.beta));
        self.state
            .for_each("Momentum", model, |p: Param<'_, T>, [v]| {
                Ewma::update_slice(beta, v, p.grad.iter().copied());
                for (w, &v) in p.value.iter_mut().zip(v.iter()) {
                    *w = *w - lr * v;
                }
            });
    }
    fn learning_rate(&self) -> f64 {
        self.cfg.lr
    }
    fn set_learning_rate(&mut self, lr: f64) {
        self.cfg.lr = lr;
    }
    fn snapshot(&self) -> Snapshot<T> {
        Snapshot {
            kind: "Momentum",
            steps: 0,
            slots: &["v"],
            tensors: self.state.to_vecs(),
        }
    }
    fn restore(&mut self, snapshot: Snapshot<T>) -> crate::Result<()> {
        restore_state(&mut self.state, "Momentum", &["v"], snapshot)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::{Free, minimize};

    #[test]
    fn three_steps_match_hand_computation() {
        // α = 0.1, β = 0.9, w₀ = (0, 0), gradients (1, −2), (2, −2), (3, −2):
        //   t = 1: v = (0.1·1, 0.1·(−2))               = (0.1, −0.2)     w = (−0.01, 0.02)
        //   t = 2: v = (0.09 + 0.2, −0.18 − 0.2)       = (0.29, −0.38)   w = (−0.039, 0.058)
        //   t = 3: v = (0.261 + 0.3, −0.342 − 0.2)     = (0.561, −0.542) w = (−0.0951, 0.1122)
        let mut p = Free {
            value: vec![0.0f64; 2],
            grad: vec![0.0; 2],
        };
        let mut opt = Momentum::new(MomentumConfig { lr: 0.1, beta: 0.9 }).unwrap();
        let expected = [[-0.01, 0.02], [-0.039, 0.058], [-0.0951, 0.1122]];
        for (g0, want) in [1.0, 2.0, 3.0].into_iter().zip(expected) {
            p.grad.copy_from_slice(&[g0, -2.0]);
            opt.step(&mut p);
            for (got, want) in p.value.iter().zip(want) {
                assert!((got - want).abs() < 1e-15, "{:?} vs {want:?}", p.value);
            }
        }
    }

    #[test]
    fn minimize_reaches_w_equals_5() {
        // J = w² − 10w + 25; α = 0.05, β = 0.9: a damped oscillation settling at 5.
        let mut opt = Momentum::new(MomentumConfig {
            lr: 0.05,
            ..MomentumConfig::default()
        })
        .unwrap();
        let w = minimize(&[0.0f32], &mut opt, 500, |w, dw| dw[0] = 2.0 * w[0] - 10.0);
        assert!((w[0] - 5.0).abs() < 1e-5, "{}", w[0]);
    }

    #[test]
    fn learning_rate_can_be_changed() {
        let mut opt = Momentum::<f64>::new(MomentumConfig::default()).unwrap();
        assert_eq!(Optimizer::<f64>::learning_rate(&opt), 0.01);
        opt.set_learning_rate(0.5);
        assert_eq!(opt.cfg.lr, 0.5);
        let err = Momentum::<f64>::new(MomentumConfig { lr: 0.1, beta: 1.0 }).unwrap_err();
        assert_eq!(
            err.to_string(),
            "MomentumConfig beta = 1: must be in [0, 1)"
        );
    }
}
