//! Adam (course 2, week 2): momentum and RMSprop together, with bias correction. On iteration
//! `t` (from 1), with `dW` from the current mini-batch (and the same for `b`):
//!
//! ```text
//! v_dW = β1·v_dW + (1 − β1)·dW          v̂_dW = v_dW / (1 − β1^t)
//! s_dW = β2·s_dW + (1 − β2)·dW²         ŝ_dW = s_dW / (1 − β2^t)
//! W := W − α·v̂_dW / (√ŝ_dW + ε)
//! ```
//!
//! The notes' defaults: `β1 = 0.9`, `β2 = 0.999`, `ε = 1e-8`; only `α` needs tuning. The
//! bias correction matters at the start: at `t = 1` it makes the step about `α` per entry,
//! where `v/√s` alone would give `α·(1 − β1)/√(1 − β2) ≈ 3.2·α`.
//!
//! With `weight_decay = λ > 0` this is AdamW: every weight matrix (`ParamKind::Weight`, not
//! biases) also shrinks by `W := W − α·λ·W`, outside the adaptive step. Adding `(λ/m)·W` to
//! `dW` instead (L2 regularization) would be divided by `√ŝ_dW` and so act unevenly; for
//! plain gradient descent the two are the same thing.
//!
//! References: D. P. Kingma and J. Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015
//! (arXiv:1412.6980); I. Loshchilov and F. Hutter, "Decoupled Weight Decay Regularization",
//! ICLR 2019 (arXiv:1711.05101).
//!
//! ```
//! use constnn::optim::{minimize, Adam, AdamConfig};
//! let mut opt = Adam::new(AdamConfig { lr: 0.1, ..AdamConfig::default() })?;
//! let w = minimize(&[0.0f64], &mut opt, 2000, |w, dw| dw[0] = 2.0 * w[0] - 10.0);
//! assert!((w[0] - 5.0).abs() < 1e-6);
//! # Ok::<(), constnn::Error>(())
//! ```

use super::state::State;
use super::{Optimizer, Snapshot, bias_correction, restore_state};
use crate::Scalar;
use crate::kernel::update::AdamStep;
use crate::layer::{Param, ParamKind, Params};

/// Settings of [`Adam`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AdamConfig {
    /// The learning rate `α`. Default 0.001 (Kingma & Ba).
    pub lr: f64,
    /// `β1`, the momentum average of `dW`. Default 0.9.
    pub beta1: f64,
    /// `β2`, the RMSprop average of `dW²`. Default 0.999.
    pub beta2: f64,
    /// `ε` added to `√ŝ_dW`. Default 1e-8.
    pub eps: f64,
    /// Decoupled weight decay `λ` on weights (AdamW): `W := W − α·λ·W`. Default 0 (plain Adam).
    pub weight_decay: f64,
}

impl Default for AdamConfig {
    fn default() -> Self {
        Self {
            lr: 0.001,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            weight_decay: 0.0,
        }
    }
}

/// Adam (AdamW with a nonzero weight decay), keeping `v_dW`, `s_dW` for every parameter tensor
/// and the step count `t`.
#[derive(Clone, Debug)]
pub struct Adam<T = f32> {
    /// The settings; `cfg.lr` is the current `α`.
    pub cfg: AdamConfig,
    t: u64,
    state: State<T, 2>,
}

impl AdamConfig {
    /// Checks every setting: `α` and `ε` finite and `> 0`, `β1` and `β2` in `[0, 1)` (at 1
    /// the bias correction `1 − β^t` is 0), the weight decay finite and `≥ 0`.
    ///
    /// # Errors
    /// [`Error::Setting`](crate::Error::Setting) naming the first setting out of range.
    pub fn validate(&self) -> crate::Result<()> {
        use crate::setting::{average_weight, non_negative, positive};
        positive("AdamConfig lr", self.lr)?;
        average_weight("AdamConfig beta1", self.beta1)?;
        average_weight("AdamConfig beta2", self.beta2)?;
        positive("AdamConfig eps", self.eps)?;
        non_negative("AdamConfig weight_decay", self.weight_decay)?;
        Ok(())
    }
}

impl<T: Scalar> Adam<T> {
    /// Adam with `cfg`; `v_dW = s_dW = 0` are allocated on the first step.
    ///
    /// # Errors
    /// [`Error::Setting`](crate::Error::Setting) as for [`AdamConfig::validate`].
    pub fn new(cfg: AdamConfig) -> crate::Result<Self> {
        cfg.validate()?;
        Ok(Self {
            cfg,
            t: 0,
            state: State::default(),
        })
    }

    /// `t`, the number of steps taken.
    pub fn steps(&self) -> u64 {
        self.t
    }
}

impl<T: Scalar> Optimizer<T> for Adam<T> {
    /// # Panics
    /// When `model`'s parameter tensors differ in number or size from the first step's.
    fn step(&mut self, model: &mut dyn Params<T>) {
        // Saturates: `t` may come from a checkpoint, and `1 − β^t` is 1 long before 2⁶⁴.
        self.t = self.t.saturating_add(1);
        let c = self.cfg;
        let (lr, beta1, beta2, eps) = (T::of(c.lr), T::of(c.beta1), T::of(c.beta2), T::of(c.eps));
        let (c1, c2) = (
            T::of(bias_correction(c.beta1, self.t)),
            T::of(bias_correction(c.beta2, self.t)),
        );
        let decay = T::of(c.lr * c.weight_decay);
        self.state
            .for_each("Adam", model, |p: Param<'_, T>, [v, s]| {
                // The three formulas above in one pass (kernel::update, SIMD for f32).
                let h = AdamStep {
                    lr,
                    beta1,
                    beta2,
                    c1,
                    c2,
                    eps,
                    decay: if p.kind == ParamKind::Weight {
                        decay
                    } else {
                        T::zero()
                    },
                };
                T::adam(h, p.value, p.grad, v, s);
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
            kind: "Adam",
            steps: self.t,
            slots: &["v", "s"],
            tensors: self.state.to_vecs(),
        }
    }
    fn restore(&mut self, snapshot: Snapshot<T>) -> crate::Result<()> {
        let steps = snapshot.steps;
        restore_state(&mut self.state, "Adam", &["v", "s"], snapshot)?;
        self.t = steps;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layer::Dense;
    use crate::optim::{Free, minimize};
    use crate::tensor::{Matrix, Vector};

    #[test]
    fn three_steps_match_hand_computation() {
        // α = 0.1, β1 = 0.9, β2 = 0.999, ε = 1e-8, w₀ = (0, 0), gradients (1, −2), (2, −2),
        // (3, −2). Corrections: 1 − β1^t = 0.1, 0.19, 0.271; 1 − β2^t = 0.001, 0.001999,
        // 0.002997001.
        // Entry 0 (dW = 1, 2, 3):
        //   t = 1: v = 0.1·1 = 0.1            s = 0.001·1 = 0.001
        //          v̂ = 0.1/0.1 = 1            ŝ = 0.001/0.001 = 1
        //          Δ = 0.1·1/(1 + ε) = 0.099999999         w = −0.0999999990
        //   t = 2: v = 0.09 + 0.2 = 0.29       s = 0.000999 + 0.004 = 0.004999
        //          v̂ = 0.29/0.19 = 1.526315789 ŝ = 0.004999/0.001999 = 2.500750375
        //          Δ = 0.1·1.526315789/1.581376102 = 0.0965182020  w = −0.1965182010
        //   t = 3: v = 0.261 + 0.3 = 0.561     s = 0.004994001 + 0.009 = 0.013994001
        //          v̂ = 0.561/0.271 = 2.070110701   ŝ = 0.013994001/0.002997001 = 4.669334778
        //          Δ = 0.1·2.070110701/2.160864359 = 0.0958001220  w = −0.2923183230
        // Entry 1 (dW = −2 throughout): v = −0.2, −0.38, −0.542 and s = 0.004, 0.007996,
        // 0.011988004, so v̂ = −2 and ŝ = 4 at every t: each step is 0.1·2/(2 + ε) =
        // 0.0999999995 and w = 0.0999999995, 0.1999999990, 0.2999999985.
        // (Without the correction, step 1 of entry 0 would be 0.1·0.1/√0.001 = 0.316.)
        let mut p = Free {
            value: vec![0.0f64; 2],
            grad: vec![0.0; 2],
        };
        let mut opt = Adam::new(AdamConfig {
            lr: 0.1,
            ..AdamConfig::default()
        })
        .unwrap();
        let expected = [
            [-0.0999999990, 0.0999999995],
            [-0.1965182010, 0.1999999990],
            [-0.2923183230, 0.2999999985],
        ];
        for (g0, want) in [1.0, 2.0, 3.0].into_iter().zip(expected) {
            p.grad.copy_from_slice(&[g0, -2.0]);
            opt.step(&mut p);
            for (got, want) in p.value.iter().zip(want) {
                assert!((got - want).abs() < 1e-9, "{:?} vs {want:?}", p.value);
            }
        }
        assert_eq!(opt.steps(), 3);
    }

    #[test]
    fn minimize_reaches_w_equals_5() {
        // J = w² − 10w + 25. Steps start near α·sign(dW); s_dW keeps the memory of the large
        // early gradients (β2 = 0.999), so near 5 the steps shrink and w settles.
        let mut opt = Adam::new(AdamConfig {
            lr: 0.1,
            ..AdamConfig::default()
        })
        .unwrap();
        let w = minimize(&[0.0f32], &mut opt, 2000, |w, dw| dw[0] = 2.0 * w[0] - 10.0);
        assert!((w[0] - 5.0).abs() < 1e-4, "{}", w[0]);
        opt.set_learning_rate(0.01);
        assert_eq!(Optimizer::<f32>::learning_rate(&opt), 0.01);
    }

    #[test]
    fn weight_decay_shrinks_weights_only() {
        // Zero gradients: v = s = 0, so the Adam term is 0/(0 + ε) = 0 and only the decay acts.
        // α = 0.1, λ = 0.5: W := W − 0.05·W = 0.95·W: 2 → 1.9 → 1.805; b stays 3.
        let mut layer =
            Dense::<1, 1, f64>::from_params(Matrix::from_rows([[2.0]]), Vector::from_rows([[3.0]]));
        let mut opt = Adam::new(AdamConfig {
            lr: 0.1,
            weight_decay: 0.5,
            ..AdamConfig::default()
        })
        .unwrap();
        opt.step(&mut layer);
        opt.step(&mut layer);
        assert!((layer.w[(0, 0)] - 1.805).abs() < 1e-15, "{:?}", layer.w);
        assert_eq!(layer.b[(0, 0)], 3.0);
    }

    #[test]
    fn settings_out_of_range_are_refused_by_name() {
        // Before: β1 = 1 made `1 − β1^t = 0` and the first step divided by it (NaN), reported
        // later as a divergence at step 1.
        let bad = |cfg: AdamConfig| Adam::<f32>::new(cfg).unwrap_err().to_string();
        let d = AdamConfig::default();
        assert_eq!(
            bad(AdamConfig { beta1: 1.0, ..d }),
            "AdamConfig beta1 = 1: must be in [0, 1)"
        );
        assert_eq!(
            bad(AdamConfig { beta2: -0.1, ..d }),
            "AdamConfig beta2 = -0.1: must be in [0, 1)"
        );
        assert_eq!(
            bad(AdamConfig { lr: 0.0, ..d }),
            "AdamConfig lr = 0: must be a finite number > 0"
        );
        assert_eq!(
            bad(AdamConfig { eps: f64::NAN, ..d }),
            "AdamConfig eps = NaN: must be a finite number > 0"
        );
        assert_eq!(
            bad(AdamConfig {
                weight_decay: -1.0,
                ..d
            }),
            "AdamConfig weight_decay = -1: must be a finite number ≥ 0"
        );
    }
}
