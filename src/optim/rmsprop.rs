//! RMSprop (course 2, week 2): on iteration `t`, with `dW`, `db` from the current mini-batch,
//!
//! ```text
//! s_dW = β·s_dW + (1 − β)·dW²      W := W − α·dW / (√s_dW + ε)
//! s_db = β·s_db + (1 − β)·db²      b := b − α·db / (√s_db + ε)
//! ```
//!
//! (`dW²` element-wise). Each entry's step is divided by the root mean square of its recent
//! gradients, so directions with large, oscillating gradients slow down and flat directions
//! speed up; `ε` keeps the division finite when `s_dW ≈ 0`. There is no bias correction (Adam
//! adds it): the first step is about `α/√(1 − β)` per entry, 3.2·α at β = 0.9.
//!
//! The notes call this `β` `β₂` when it appears inside Adam. Its default here is 0.9, the value
//! of Hinton's lecture and of Keras (`rho = 0.9`); PyTorch defaults to `alpha = 0.99`.
//!
//! Reference: T. Tieleman and G. Hinton, "Lecture 6.5 — RMSprop: divide the gradient by a
//! running average of its recent magnitude", COURSERA: Neural Networks for Machine Learning,
//! 2012.
//!
//! ```
//! use constnn::optim::{minimize, RmsProp, RmsPropConfig};
//! let mut opt = RmsProp::new(RmsPropConfig { lr: 0.01, ..RmsPropConfig::default() })?;
//! let w = minimize(&[0.0f64], &mut opt, 1000, |w, dw| dw[0] = 2.0 * w[0] - 10.0);
//! assert!((w[0] - 5.0).abs() < 1e-6); // about 5/α steps of size ≈ α, then it settles
//! # Ok::<(), constnn::Error>(())
//! ```

use super::state::State;
use super::{Ewma, Optimizer, Snapshot, restore_state};
use crate::Scalar;
use crate::layer::{Param, Params};

/// Settings of [`RmsProp`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RmsPropConfig {
    /// The learning rate `α`. Default 0.001 (Keras).
    pub lr: f64,
    /// The weight `β` of the past squared gradients in `s_dW`. Default 0.9 (Hinton, Keras).
    pub beta: f64,
    /// `ε` added to `√s_dW`. Default 1e-8 (the notes' Adam value).
    pub eps: f64,
}

impl Default for RmsPropConfig {
    fn default() -> Self {
        Self {
            lr: 0.001,
            beta: 0.9,
            eps: 1e-8,
        }
    }
}

/// RMSprop, keeping `s_dW` for every parameter tensor.
#[derive(Clone, Debug)]
pub struct RmsProp<T = f32> {
    /// The settings; `cfg.lr` is the current `α`.
    pub cfg: RmsPropConfig,
    state: State<T, 1>,
}

impl RmsPropConfig {
    /// Checks that `α` and `ε` are finite and `> 0` and `β` in `[0, 1)`.
    ///
    /// # Errors
    /// [`Error::Setting`](crate::Error::Setting) naming the first setting out of range.
    pub fn validate(&self) -> crate::Result<()> {
        crate::setting::positive("RmsPropConfig lr", self.lr)?;
        crate::setting::average_weight("RmsPropConfig beta", self.beta)?;
        crate::setting::positive("RmsPropConfig eps", self.eps)?;
        Ok(())
    }
}

impl<T: Scalar> RmsProp<T> {
    /// RMSprop with `cfg`; `s_dW = 0` is allocated on the first step.
    ///
    /// # Errors
    /// [`Error::Setting`](crate::Error::Setting) as for [`RmsPropConfig::validate`].
    pub fn new(cfg: RmsPropConfig) -> crate::Result<Self> {
        cfg.validate()?;
        Ok(Self {
            cfg,
            state: State::default(),
        })
    }
}

impl<T: Scalar> Optimizer<T> for RmsProp<T> {
    /// # Panics
    /// When `model`'s parameter tensors differ in number or size from the first step's.
    fn step(&mut self, model: &mut dyn Params<T>) {
        let c = self.cfg;
        let (lr, beta, eps) = (T::of(c.lr), T::of(c.beta), T::of(c.eps));
        self.state
            .for_each("RmsProp", model, |p: Param<'_, T>, [s]| {
                Ewma::update_slice(beta, s, p.grad.iter().map(|&g| g * g));
                for ((w, &g), &s) in p.value.iter_mut().zip(p.grad.iter()).zip(s.iter()) {
                    *w = *w - lr * g / (s.sqrt() + eps);
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
            kind: "RmsProp",
            steps: 0,
            slots: &["s"],
            tensors: self.state.to_vecs(),
        }
    }
    fn restore(&mut self, snapshot: Snapshot<T>) -> crate::Result<()> {
        restore_state(&mut self.state, "RmsProp", &["s"], snapshot)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::{Free, minimize};

    #[test]
    fn three_steps_match_hand_computation() {
        // α = 0.1, β = 0.9, ε = 1e-8, w₀ = (0, 0), gradients (1, −2), (2, −2), (3, −2):
        //   t = 1: s = (0.1·1, 0.1·4)               = (0.1, 0.4)
        //          w = (−0.1/√0.1, 0.2/√0.4)        = (−0.316227766, 0.316227766)
        //   t = 2: s = (0.09 + 0.4, 0.36 + 0.4)     = (0.49, 0.76)
        //          Δ = (0.2/0.7, −0.2/√0.76)        = (0.285714286, −0.229415734)
        //          w = (−0.601942052, 0.545643500)
        //   t = 3: s = (0.441 + 0.9, 0.684 + 0.4)   = (1.341, 1.084)
        //          Δ = (0.3/√1.341, −0.2/√1.084)    = (0.259063880, −0.192094688)
        //          w = (−0.861005932, 0.737738187)
        // These leave out ε, which shrinks each step by the factor 1 − ε/√s (about 3e-8 at
        // t = 1), so they are checked to 5e-8.
        let mut p = Free {
            value: vec![0.0f64; 2],
            grad: vec![0.0; 2],
        };
        let mut opt = RmsProp::new(RmsPropConfig {
            lr: 0.1,
            beta: 0.9,
            eps: 1e-8,
        })
        .unwrap();
        let expected = [
            [-0.316227766, 0.316227766],
            [-0.601942052, 0.545643500],
            [-0.861005932, 0.737738187],
        ];
        for (g0, want) in [1.0, 2.0, 3.0].into_iter().zip(expected) {
            p.grad.copy_from_slice(&[g0, -2.0]);
            opt.step(&mut p);
            for (got, want) in p.value.iter().zip(want) {
                assert!((got - want).abs() < 5e-8, "{:?} vs {want:?}", p.value);
            }
        }
    }

    #[test]
    fn minimize_reaches_w_equals_5() {
        // J = w² − 10w + 25. While far from 5, s tracks dW², so every step is about α
        // (|dW|/√s_dW ≈ 1): 5/α = 500 steps to arrive at α = 0.01. There dW shrinks faster
        // than s_dW forgets it, the steps shrink too, and w settles.
        let mut opt = RmsProp::new(RmsPropConfig {
            lr: 0.01,
            ..RmsPropConfig::default()
        })
        .unwrap();
        let w = minimize(&[0.0f64], &mut opt, 1000, |w, dw| dw[0] = 2.0 * w[0] - 10.0);
        assert!((w[0] - 5.0).abs() < 1e-6, "{}", w[0]);
        opt.set_learning_rate(0.001);
        assert_eq!(Optimizer::<f64>::learning_rate(&opt), 0.001);
        let bad = RmsPropConfig {
            eps: 0.0,
            ..RmsPropConfig::default()
        };
        let err = RmsProp::<f64>::new(bad).unwrap_err();
        assert_eq!(
            err.to_string(),
            "RmsPropConfig eps = 0: must be a finite number > 0"
        );
    }
}
