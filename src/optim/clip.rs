//! Gradient clipping, applied to the gradients after backward and before the update:
//!
//! * by value: every `g := min(max(g, −c), c)`;
//! * by norm: with `‖g‖₂` over all parameters, `g := g · c/‖g‖₂` when `‖g‖₂ > c`.

use crate::Scalar;
use crate::layer::{Param, ParamRef, Params};

/// How to clip gradients.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Clip {
    /// Clamp each gradient entry to `[−c, c]`.
    Value(f64),
    /// Rescale all gradients together so their global L2 norm is at most `c`.
    Norm(f64),
}

impl Clip {
    /// Clipping of each entry to `[−c, c]`.
    ///
    /// # Errors
    /// [`Error::Setting`](crate::Error::Setting) when `c` is not a finite number `> 0`
    /// (`c = 0` would zero every gradient, a negative `c` inverts the interval).
    pub fn value(c: f64) -> crate::Result<Self> {
        Ok(Clip::Value(crate::setting::positive("Clip::Value c", c)?))
    }

    /// Rescaling of all gradients to a global norm of at most `c`.
    ///
    /// # Errors
    /// [`Error::Setting`](crate::Error::Setting) when `c` is not a finite number `> 0`.
    pub fn norm(c: f64) -> crate::Result<Self> {
        Ok(Clip::Norm(crate::setting::positive("Clip::Norm c", c)?))
    }

    /// Checks a `Clip` built from its variants, as [`Clip::value`] and [`Clip::norm`] do;
    /// [`fit`](crate::train::fit) calls it before training.
    ///
    /// # Errors
    /// [`Error::Setting`](crate::Error::Setting) when the threshold is not finite and `> 0`.
    pub fn validate(&self) -> crate::Result<()> {
        match *self {
            Clip::Value(c) => Clip::value(c).map(drop),
            Clip::Norm(c) => Clip::norm(c).map(drop),
        }
    }

    /// Clips `model`'s gradients in place; returns the global gradient norm before clipping.
    pub fn apply<T: Scalar>(&self, model: &mut dyn Params<T>) -> f64 {
        let mut sq = 0.0;
        model.visit_ref(&mut |p: ParamRef<'_, T>| {
            sq += p.grad.iter().map(|g| g.as_f64() * g.as_f64()).sum::<f64>()
        });
        let norm = sq.sqrt();
        match *self {
            Clip::Value(c) => {
                let (lo, hi) = (T::of(-c), T::of(c));
                model.visit(&mut |p: Param<'_, T>| {
                    p.grad.iter_mut().for_each(|g| *g = g.max(lo).min(hi))
                });
            }
            Clip::Norm(c) if norm > c => {
                let s = T::of(c / norm);
                model.visit(&mut |p: Param<'_, T>| p.grad.iter_mut().for_each(|g| *g = *g * s));
            }
            Clip::Norm(_) => {}
        }
        norm
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::Free;

    #[test]
    fn by_value_clamps_each_entry() {
        let mut p = Free {
            value: vec![0.0; 3],
            grad: vec![-5.0f64, 0.5, 2.0],
        };
        Clip::Value(1.0).apply(&mut p);
        assert_eq!(p.grad, [-1.0, 0.5, 1.0]);
    }

    #[test]
    fn by_norm_rescales_only_above_the_threshold() {
        // ‖(3, 4)‖ = 5 → scaled to norm 1: (0.6, 0.8).
        let mut p = Free {
            value: vec![0.0; 2],
            grad: vec![3.0f64, 4.0],
        };
        assert_eq!(Clip::Norm(1.0).apply(&mut p), 5.0);
        assert!((p.grad[0] - 0.6).abs() < 1e-15 && (p.grad[1] - 0.8).abs() < 1e-15);
        let mut q = Free {
            value: vec![0.0; 2],
            grad: vec![3.0f64, 4.0],
        };
        Clip::Norm(10.0).apply(&mut q);
        assert_eq!(q.grad, [3.0, 4.0]);
    }

    #[test]
    fn thresholds_that_are_not_positive_are_refused() {
        // Before: `Clip::Value(-1.0)` clamped every entry to [1, −1], i.e. to −1 (upwards
        // steps), and `Clip::Norm(0.0)` zeroed the gradients; both were accepted silently.
        assert_eq!(
            Clip::Value(-1.0).validate().unwrap_err().to_string(),
            "Clip::Value c = -1: must be a finite number > 0"
        );
        assert_eq!(
            Clip::norm(0.0).unwrap_err().to_string(),
            "Clip::Norm c = 0: must be a finite number > 0"
        );
        assert_eq!(Clip::value(0.5).unwrap(), Clip::Value(0.5));
    }
}
