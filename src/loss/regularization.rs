//! L2 and L1 regularization of the weights (course 2, week 1). Biases are not regularized.
//!
//! | | cost term added to `J` | gradient added to `dW[l]` |
//! |---|---|---|
//! | L2 ("weight decay") | `(λ/2m)·Σ_l ‖W[l]‖²_F` | `(λ/m)·W[l]` |
//! | L1 | `(λ/m)·Σ_l Σ |W[l]|` | `(λ/m)·sign(W[l])` |
//!
//! `m` is the number of samples the cost averages over (the mini-batch size during
//! mini-batch training). Only parameters of kind [`ParamKind::Weight`] are touched.

use crate::Scalar;
use crate::layer::{Param, ParamKind, ParamRef, Params};

/// Which penalty, with its `λ`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Regularization {
    /// No penalty.
    #[default]
    None,
    /// `(λ/2m)·Σ‖W‖²`.
    L2(f64),
    /// `(λ/m)·Σ|W|`.
    L1(f64),
}

impl Regularization {
    /// L2 with `λ`.
    ///
    /// # Errors
    /// [`Error::Setting`](crate::Error::Setting) when `λ` is not a finite number `≥ 0`.
    pub fn l2(lambda: f64) -> crate::Result<Self> {
        Ok(Regularization::L2(crate::setting::non_negative(
            "Regularization::L2 λ",
            lambda,
        )?))
    }

    /// L1 with `λ`.
    ///
    /// # Errors
    /// [`Error::Setting`](crate::Error::Setting) when `λ` is not a finite number `≥ 0`.
    pub fn l1(lambda: f64) -> crate::Result<Self> {
        Ok(Regularization::L1(crate::setting::non_negative(
            "Regularization::L1 λ",
            lambda,
        )?))
    }

    /// Checks a `Regularization` built from its variants, as [`Regularization::l2`] and
    /// [`Regularization::l1`] do; [`fit`](crate::train::fit) calls it before training.
    ///
    /// # Errors
    /// [`Error::Setting`](crate::Error::Setting) when `λ` is not a finite number `≥ 0`.
    pub fn validate(&self) -> crate::Result<()> {
        match *self {
            Regularization::None => Ok(()),
            Regularization::L2(l) => Regularization::l2(l).map(drop),
            Regularization::L1(l) => Regularization::l1(l).map(drop),
        }
    }

    /// The cost term for a model evaluated on `m` samples.
    pub fn cost<T: Scalar>(&self, model: &dyn Params<T>, m: usize) -> f64 {
        let m = m.max(1) as f64;
        let mut total = 0.0;
        let mut add = |f: &dyn Fn(f64) -> f64| {
            model.visit_ref(&mut |p: ParamRef<'_, T>| {
                if p.kind == ParamKind::Weight {
                    total += p.value.iter().map(|&w| f(w.as_f64())).sum::<f64>();
                }
            })
        };
        match *self {
            Regularization::None => 0.0,
            Regularization::L2(lambda) => {
                add(&|w| w * w);
                lambda / (2.0 * m) * total
            }
            Regularization::L1(lambda) => {
                add(&f64::abs);
                lambda / m * total
            }
        }
    }

    /// Adds the term's gradient to every weight gradient (call after backward).
    pub fn add_grad<T: Scalar>(&self, model: &mut dyn Params<T>, m: usize) {
        let (lambda, l1) = match *self {
            Regularization::None => return,
            Regularization::L2(l) => (l, false),
            Regularization::L1(l) => (l, true),
        };
        let k = T::of(lambda / m.max(1) as f64);
        model.visit(&mut |p: Param<'_, T>| {
            if p.kind != ParamKind::Weight {
                return;
            }
            for (g, &w) in p.grad.iter_mut().zip(p.value.iter()) {
                let d = if l1 { sign(w) } else { w };
                *g = *g + k * d;
            }
        });
    }
}

/// `sign(w)` with `sign(0) = 0` (the subgradient the notes use).
fn sign<T: Scalar>(w: T) -> T {
    if w > T::zero() {
        T::one()
    } else if w < T::zero() {
        -T::one()
    } else {
        T::zero()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gradcheck;
    use crate::layer::{Dense, Layer};
    use crate::loss::{Loss, MeanSquaredError};
    use crate::tensor::{Batch, Matrix, Vector};

    fn layer() -> Dense<2, 1, f64> {
        Dense::from_params(
            Matrix::from_rows([[3.0, -4.0]]),
            Vector::from_rows([[10.0]]),
        )
    }

    #[test]
    fn cost_terms_match_hand_computation() {
        // ‖W‖² = 9 + 16 = 25, Σ|W| = 7; the bias (10) is ignored. m = 5, λ = 2.
        assert_eq!(Regularization::L2(2.0).cost(&layer(), 5), 5.0); // 2/10 · 25
        assert!((Regularization::L1(2.0).cost(&layer(), 5) - 2.8).abs() < 1e-15); // 2/5 · 7
        assert_eq!(Regularization::None.cost(&layer(), 5), 0.0);
    }

    #[test]
    fn a_penalty_that_is_negative_or_not_finite_is_refused() {
        // Before: L2(NaN) made every cost NaN ("diverged at step 1"), L2(−1) rewarded large
        // weights, L2(∞) was accepted.
        for (reg, value) in [
            (Regularization::L2(f64::NAN), "NaN"),
            (Regularization::L2(-1.0), "-1"),
            (Regularization::L2(f64::INFINITY), "inf"),
        ] {
            assert_eq!(
                reg.validate().unwrap_err().to_string(),
                format!("Regularization::L2 λ = {value}: must be a finite number ≥ 0")
            );
        }
        assert!(Regularization::l1(-0.5).is_err());
        assert_eq!(Regularization::l2(0.0).unwrap(), Regularization::L2(0.0));
    }

    #[test]
    fn gradients_match_hand_computation() {
        let mut l = layer();
        Regularization::L2(2.0).add_grad(&mut l, 4); // dW += ½·W
        assert_eq!(l.dw.as_slice(), &[1.5, -2.0]);
        assert_eq!(l.db.as_slice(), &[0.0]);
        let mut l = layer();
        Regularization::L1(2.0).add_grad(&mut l, 4); // dW += ½·sign(W)
        assert_eq!(l.dw.as_slice(), &[0.5, -0.5]);
    }

    #[test]
    fn regularized_cost_passes_gradcheck() {
        let x = Batch::<2, f64>::from_fn(4, |i, j| (i + j) as f64 * 0.5 - 1.0);
        let y = Batch::<1, f64>::from_fn(4, |_, j| j as f64 * 0.3);
        for reg in [Regularization::L2(0.7), Regularization::L1(0.7)] {
            let mut l = layer();
            let (mut z, mut dz) = (Batch::default(), Batch::default());
            l.forward(&x, &mut z, &mut ()).unwrap();
            let _ = MeanSquaredError.cost_and_grad(&z, &y, &mut dz);
            l.backward(&x, &z, &mut (), &dz, None);
            reg.add_grad(&mut l, 4);
            let report = gradcheck::check_params(&mut l, 1e-6, |l| {
                MeanSquaredError.cost(&l.predict(&x), &y) + reg.cost(l, 4)
            });
            assert!(report.params < 1e-7, "{reg:?}: {report}");
        }
    }
}
