//! Optimization: update rules that move parameters against their gradients.
//!
//! An [`Optimizer`] walks a model's [`Params`] in their fixed order and updates each
//! tensor from its gradient. [`minimize`] runs any optimizer on a free-standing cost given
//! its gradient, e.g. the notes' `J(w) = w² − 10w + 25`.
//!
//! | optimizer | update (notes' symbols) | course |
//! |---|---|---|
//! | [`Sgd`] | `W := W − α·dW` | 1 |
//! | [`Momentum`] | `v_dW = β·v_dW + (1 − β)·dW`, `W := W − α·v_dW` | 2, week 2 |
//! | [`RmsProp`] | `s_dW = β·s_dW + (1 − β)·dW²`, `W := W − α·dW/(√s_dW + ε)` | 2, week 2 |
//! | [`Adam`] | both, bias-corrected: `W := W − α·v̂_dW/(√ŝ_dW + ε)` | 2, week 2 |
//!
//! [`Frozen`] wraps any of them to leave chosen layers untouched (transfer learning), and
//! every optimizer hands its state to training checkpoints through [`Optimizer::snapshot`].
//!
//! The averages are [`Ewma`]s. Momentum, RMSprop and Adam keep one buffer per parameter
//! tensor, allocated on their first step; an optimizer therefore belongs to one model.

mod adam;
mod clip;
mod ewma;
mod frozen;
mod lr_decay;
mod momentum;
mod rmsprop;
mod sgd;
mod snapshot;
mod state;

pub use adam::{Adam, AdamConfig};
pub use clip::Clip;
pub use ewma::{Ewma, bias_correction};
pub use frozen::Frozen;
pub use lr_decay::LrSchedule;
pub use momentum::{Momentum, MomentumConfig};
pub use rmsprop::{RmsProp, RmsPropConfig};
pub use sgd::Sgd;
pub use snapshot::Snapshot;

use crate::Scalar;
use crate::layer::Params;

/// An update rule over a model's parameters.
pub trait Optimizer<T: Scalar> {
    /// One update of every parameter from the gradients left by the latest backward.
    fn step(&mut self, model: &mut dyn Params<T>);
    /// The current learning rate `α`.
    fn learning_rate(&self) -> f64;
    /// Sets `α` (learning-rate decay does this between steps).
    fn set_learning_rate(&mut self, lr: f64);
    /// The state carried from step to step (moving averages, step count), for a training
    /// checkpoint ([`checkpoint::save_training`](crate::checkpoint::save_training)).
    fn snapshot(&self) -> Snapshot<T>;
    /// Restores a [`Optimizer::snapshot`]; the next step continues where the snapshot's
    /// optimizer stopped.
    ///
    /// # Errors
    /// [`Error::Data`](crate::Error::Data) when the snapshot is another optimizer's or holds
    /// other buffers; the optimizer is then unchanged.
    fn restore(&mut self, snapshot: Snapshot<T>) -> crate::Result<()>;
    /// Whether [`Optimizer::step`] updates the parameter at `path` (its enclosing fields, then
    /// its local name: `["c1", "weight"]`). Every parameter by default; [`Frozen`] says no for
    /// the frozen layers.
    fn updates(&self, _path: &[&str]) -> bool {
        true
    }
}

/// Restores `snapshot` into `state` after checking it is `kind`'s with buffers `slots`.
fn restore_state<T: Scalar, const K: usize>(
    state: &mut state::State<T, K>,
    kind: &'static str,
    slots: &[&str],
    snapshot: Snapshot<T>,
) -> crate::Result<()> {
    snapshot
        .check(kind, slots)
        .map_err(|reason| crate::Error::Data {
            what: "optimizer state".into(),
            reason,
        })?;
    state.set_vecs(snapshot.tensors);
    Ok(())
}

/// A parameter vector `θ` with its gradient, not part of any layer: lets [`minimize`] use the
/// same optimizers as networks do.
#[derive(Clone, Debug, Params)]
pub struct Free<T> {
    /// `θ`.
    #[param(grad = grad, name = "theta")]
    pub value: Vec<T>,
    /// `dθ`.
    pub grad: Vec<T>,
}

/// Minimizes a differentiable cost from `theta0`, given `grad(θ, dθ)` that writes `∂J/∂θ`,
/// with `iters` steps of `opt`. Returns the final `θ`.
///
/// ```
/// use constnn::optim::{minimize, Sgd};
/// // J(w) = w² − 10w + 25 = (w − 5)², dJ/dw = 2w − 10.
/// let w = minimize(&[0.0f64], &mut Sgd::new(0.1)?, 100, |w, dw| dw[0] = 2.0 * w[0] - 10.0);
/// assert!((w[0] - 5.0).abs() < 1e-8);
/// # Ok::<(), constnn::Error>(())
/// ```
pub fn minimize<T, O, G>(theta0: &[T], opt: &mut O, iters: usize, mut grad: G) -> Vec<T>
where
    T: Scalar,
    O: Optimizer<T>,
    G: FnMut(&[T], &mut [T]),
{
    let mut p = Free {
        value: theta0.to_vec(),
        grad: vec![T::zero(); theta0.len()],
    };
    for _ in 0..iters {
        grad(&p.value, &mut p.grad);
        opt.step(&mut p);
    }
    p.value
}
