//! Gradient checking (course 2, week 1).
//!
//! Two-sided differences `dθ_approx[i] = (J(θ + ε·eᵢ) − J(θ − ε·eᵢ)) / 2ε` compared with the
//! gradient from backward propagation by
//!
//! `relative error = ‖dθ_approx − dθ‖₂ / (‖dθ_approx‖₂ + ‖dθ‖₂)`
//!
//! The notes' rule of thumb with `ε = 1e-7`: below 1e-7 is great, around 1e-5 deserves a look,
//! above 1e-3 is a bug. Run it in `f64`, with dropout off, and never during training (it
//! costs two forward passes per parameter).
//!
//! * [`check_params`]: any model with [`Params`] and a cost closure (layers, networks).
//! * [`check_layer`]: a layer's parameter gradients *and* its `dX`, on a given input.
//! * [`check_loss`]: a loss's gradient with respect to its predictions.
//!
//! ```
//! use constnn::prelude::*;
//! use rand::{SeedableRng, rngs::StdRng};
//!
//! let mut layer: Dense<3, 2, f64> = Dense::new(Init::He, &mut StdRng::seed_from_u64(0));
//! let x = Batch::<3, f64>::from_fn(4, |i, j| (i + j) as f64 * 0.1);
//! let report = gradcheck::check_layer(&mut layer, &x, 1e-6, 42).unwrap();
//! assert!(report.max_error() < 1e-7, "{report}");
//! ```

use core::fmt;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::Scalar;
use crate::layer::{Layer, Param, Params};
use crate::loss::Loss;
use crate::tensor::Tensor;

/// `‖a − b‖₂ / (‖a‖₂ + ‖b‖₂)`, and 0 when both are zero.
pub fn relative_error<T: Scalar>(approx: &[T], analytic: &[T]) -> f64 {
    assert_eq!(approx.len(), analytic.len(), "gradient lengths differ");
    let norm = |it: &mut dyn Iterator<Item = f64>| it.map(|x| x * x).sum::<f64>().sqrt();
    let diff = norm(
        &mut approx
            .iter()
            .zip(analytic)
            .map(|(a, b)| a.as_f64() - b.as_f64()),
    );
    let denom = norm(&mut approx.iter().map(|a| a.as_f64()))
        + norm(&mut analytic.iter().map(|b| b.as_f64()));
    if denom == 0.0 { 0.0 } else { diff / denom }
}

/// Two-sided numerical gradient of `f` at `x`; `x` is restored afterwards.
pub fn numeric_gradient<T: Scalar>(x: &mut [T], eps: T, mut f: impl FnMut(&[T]) -> T) -> Vec<T> {
    let two_eps = eps + eps;
    (0..x.len())
        .map(|i| {
            let orig = x[i];
            x[i] = orig + eps;
            let plus = f(x);
            x[i] = orig - eps;
            let minus = f(x);
            x[i] = orig;
            (plus - minus) / two_eps
        })
        .collect()
}

/// The outcome of a gradient check.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// Relative error over all parameters (0 when there are none).
    pub params: f64,
    /// Number of parameter scalars checked.
    pub num_params: usize,
    /// Relative error of `dX`, when the input gradient was checked.
    pub input: Option<f64>,
}

impl Report {
    /// The larger of the parameter and input errors.
    pub fn max_error(&self) -> f64 {
        self.params.max(self.input.unwrap_or(0.0))
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "relative error {:.3e} over {} parameters",
            self.params, self.num_params
        )?;
        if let Some(e) = self.input {
            write!(f, ", input gradient {e:.3e}")?;
        }
        Ok(())
    }
}

/// Every gradient of `model`, in visiting order, as one vector.
pub fn flat_grads<T: Scalar, M: Params<T> + ?Sized>(model: &mut M) -> Vec<T> {
    let mut g = Vec::new();
    model.visit(&mut |p: Param<'_, T>| g.extend_from_slice(p.grad));
    g
}

/// Applies `f` to scalar number `k` of the parameters, counted in visiting order.
fn with_element<T: Scalar, M: Params<T> + ?Sized>(model: &mut M, k: usize, f: impl FnOnce(&mut T)) {
    let (mut offset, mut f) = (0, Some(f));
    model.visit(&mut |p: Param<'_, T>| {
        if (offset..offset + p.value.len()).contains(&k)
            && let Some(f) = f.take()
        {
            f(&mut p.value[k - offset]);
        }
        offset += p.value.len();
    });
}

/// Checks the gradients stored in `model` (by a backward pass the caller ran at the current
/// parameters) against two-sided differences of `cost`, which must evaluate `J` at the
/// model's current parameters without changing them.
pub fn check_params<T, M, F>(model: &mut M, eps: T, mut cost: F) -> Report
where
    T: Scalar,
    M: Params<T> + ?Sized,
    F: FnMut(&mut M) -> T,
{
    let analytic = flat_grads(model);
    let mut approx = Vec::with_capacity(analytic.len());
    for k in 0..analytic.len() {
        let mut orig = T::zero();
        with_element(model, k, |v| {
            orig = *v;
            *v = orig + eps;
        });
        let plus = cost(model);
        with_element(model, k, |v| *v = orig - eps);
        let minus = cost(model);
        with_element(model, k, |v| *v = orig);
        approx.push((plus - minus) / (eps + eps));
    }
    Report {
        params: relative_error(&approx, &analytic),
        num_params: analytic.len(),
        input: None,
    }
}

/// Checks a layer's parameter gradients and its `dX` at input `x`, with the cost
/// `J = (1/m)·Σ R ⊙ Y` for a random `R` drawn from `seed` (so `dY = R` per sample).
///
/// # Errors
/// The layer's own error when it refuses to train on `x` (batch normalization of one
/// sample).
pub fn check_layer<T, X, L>(layer: &mut L, x: &X, eps: T, seed: u64) -> crate::Result<Report>
where
    T: Scalar,
    X: Tensor<Elem = T>,
    L: Layer<X> + Params<T>,
{
    let m = x.batch_size();
    let inv_m = T::one() / T::of(m as f64);
    let (mut y, mut cache) = (L::Output::default(), L::Cache::default());
    layer.forward(x, &mut y, &mut cache)?;
    let mut r = y.clone();
    let mut rng = StdRng::seed_from_u64(seed);
    r.as_mut_slice()
        .iter_mut()
        .for_each(|v| *v = T::of(rng.random_range(-1.0..1.0)));

    let mut dx = X::default();
    layer.backward(x, &y, &mut cache, &r, Some(&mut dx));
    let weighted = |y: &L::Output| {
        y.as_slice()
            .iter()
            .zip(r.as_slice())
            .map(|(&a, &b)| a * b)
            .sum::<T>()
            * inv_m
    };

    let mut report = check_params(layer, eps, |l| {
        let (mut y, mut c) = (L::Output::default(), L::Cache::default());
        // The same input trained a moment ago: an error here would be a non-deterministic
        // layer, shown as a NaN error in the report.
        match l.forward(x, &mut y, &mut c) {
            Ok(()) => weighted(&y),
            Err(_) => T::nan(),
        }
    });
    // dX is per sample (m·∂J/∂X), see the layer module docs.
    let analytic: Vec<T> = dx.as_slice().iter().map(|&d| d * inv_m).collect();
    let mut xs = x.clone();
    let approx = numeric_gradient(xs.as_mut_slice(), eps, |v| {
        let mut xv = x.clone();
        xv.as_mut_slice().copy_from_slice(v);
        let (mut y, mut c) = (L::Output::default(), L::Cache::default());
        match layer.forward(&xv, &mut y, &mut c) {
            Ok(()) => weighted(&y),
            Err(_) => T::nan(),
        }
    });
    report.input = Some(relative_error(&approx, &analytic));
    Ok(report)
}

/// Checks a loss's per-sample gradient `∂L/∂ŷ` against differences of `J(ŷ)`; returns the
/// relative error.
pub fn check_loss<X: Tensor, L: Loss<X>>(loss: &L, yhat: &X, y: &X, eps: X::Elem) -> f64 {
    let mut d = X::default();
    let _ = loss.cost_and_grad(yhat, y, &mut d);
    let inv_m = X::Elem::one() / <X::Elem as Scalar>::of(yhat.batch_size() as f64);
    let analytic: Vec<X::Elem> = d.as_slice().iter().map(|&g| g * inv_m).collect();
    let mut probe = yhat.clone();
    let approx = numeric_gradient(probe.as_mut_slice(), eps, |v| {
        let mut p = yhat.clone();
        p.as_mut_slice().copy_from_slice(v);
        loss.cost(&p, y)
    });
    relative_error(&approx, &analytic)
}

use num_traits::One as _;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layer::{Dense, ParamKind};
    use crate::tensor::{Batch, Matrix, Vector};

    #[test]
    fn relative_error_matches_its_formula() {
        // a − b = (0, 1): ‖·‖ = 1; ‖a‖ = 5 (3, 4), ‖b‖ = √(9 + 9) = 3√2.
        let e = relative_error(&[3.0f64, 4.0], &[3.0, 3.0]);
        assert!((e - 1.0 / (5.0 + 18f64.sqrt())).abs() < 1e-15);
        assert_eq!(relative_error::<f64>(&[0.0], &[0.0]), 0.0);
    }

    #[test]
    fn numeric_gradient_of_a_quadratic_is_exact() {
        // J = w² − 10w + 25 has dJ/dw = 2w − 10 = −4 at w = 3; central differences are exact on quadratics.
        let g = numeric_gradient(&mut [3.0f64], 1e-3, |w| w[0] * w[0] - 10.0 * w[0] + 25.0);
        assert!((g[0] + 4.0).abs() < 1e-9);
    }

    /// A deliberately broken layer: its db is off by a factor 2.
    #[derive(Clone, crate::Params)]
    struct BrokenDense(#[layer] Dense<2, 2, f64>);
    impl Layer<Batch<2, f64>> for BrokenDense {
        type Output = Batch<2, f64>;
        type Cache = ();
        fn forward(
            &mut self,
            x: &Batch<2, f64>,
            y: &mut Batch<2, f64>,
            c: &mut (),
        ) -> crate::Result<()> {
            self.0.forward(x, y, c)
        }
        fn infer(&self, x: &Batch<2, f64>, y: &mut Batch<2, f64>, c: &mut ()) {
            self.0.infer(x, y, c)
        }
        fn backward(
            &mut self,
            x: &Batch<2, f64>,
            y: &Batch<2, f64>,
            c: &mut (),
            dy: &Batch<2, f64>,
            dx: Option<&mut Batch<2, f64>>,
        ) {
            self.0.backward(x, y, c, dy, dx);
            self.0.db.as_mut_slice().iter_mut().for_each(|g| *g *= 2.0);
        }
    }

    #[test]
    fn a_wrong_derivative_fails_the_check() {
        let dense = Dense::from_params(
            Matrix::from_rows([[0.3, -0.2], [0.1, 0.5]]),
            Vector::from_rows([[0.1], [0.2]]),
        );
        let x = Batch::<2, f64>::from_fn(3, |i, j| (i + 2 * j) as f64 * 0.25 - 0.5);
        let good = check_layer(&mut dense.clone(), &x, 1e-6, 5).unwrap();
        let bad = check_layer(&mut BrokenDense(dense), &x, 1e-6, 5).unwrap();
        assert!(good.max_error() < 1e-7, "{good}");
        assert!(bad.params > 1e-3, "{bad}");
        assert!(bad.input.unwrap() < 1e-7, "dX is still right: {bad}");
    }

    #[test]
    fn check_params_works_on_a_closure_cost() {
        // J(W, b) = mean over samples of ½·‖W·x + b‖², checked against Dense backward.
        let mut l = Dense::<2, 1, f64>::from_params(
            Matrix::from_rows([[0.7, -0.4]]),
            Vector::from_rows([[0.2]]),
        );
        let x = Batch::<2, f64>::from_fn(4, |i, j| (i * 4 + j) as f64 * 0.2 - 0.7);
        let z = l.predict(&x);
        l.backward(&x, &z, &mut (), &z, None);
        let report = check_params(&mut l, 1e-6, |l| {
            let z = l.predict(&x);
            z.as_slice().iter().map(|v| 0.5 * v * v).sum::<f64>() / 4.0
        });
        assert_eq!(report.num_params, 3);
        assert!(report.params < 1e-8, "{report}");
        let mut kinds = vec![];
        l.visit(&mut |p: Param<'_, f64>| kinds.push(p.kind));
        assert_eq!(kinds, [ParamKind::Weight, ParamKind::Bias]);
    }
}
