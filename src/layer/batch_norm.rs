//! Batch normalization of a dense layer's `Z[l]` (course 2, week 3; Ioffe & Szegedy 2015).
//!
//! Forward (training), for each feature `i` over the `m` samples of the mini-batch:
//!
//! `μ = (1/m)·Σ_j z_j`   `σ² = (1/m)·Σ_j (z_j − μ)²`   `ẑ_j = (z_j − μ)/√(σ² + ε)`   `z̃_j = γ·ẑ_j + β`
//!
//! Backward, with `dZ̃` per sample as everywhere in this crate (see [`crate::layer`]):
//!
//! `dβ = (1/m)·Σ_j dz̃_j`   `dγ = (1/m)·Σ_j dz̃_j·ẑ_j`   `dz_j = (γ/√(σ² + ε))·(dz̃_j − dβ − ẑ_j·dγ)`
//!
//! Derivation: `∂μ/∂z_k = 1/m` and `∂√(σ²+ε)/∂z_k = ẑ_k/m`, so
//! `∂ẑ_j/∂z_k = (δ_jk − 1/m − ẑ_j·ẑ_k/m)/√(σ²+ε)`; summing `γ·dz̃_j·∂ẑ_j/∂z_k` over `j` gives
//! the line above. `dγ`, `dβ` are averaged over the batch like `dW[l]`, `db[l]`.
//!
//! Inference uses running averages instead of the batch statistics:
//! `z̃ = γ·(z − running_mean)/√(running_var + ε) + β`. After each training forward,
//! `running := momentum·running + (1 − momentum)·batch statistic` (momentum 0.9 by default,
//! the notes' exponentially weighted average with `β = 0.9`; Keras writes the same, PyTorch's
//! `momentum = 0.1` is our `1 − momentum`). The running variance averages the biased batch `σ²`
//! above. They start at mean 0 and variance 1.
//!
//! The bias `b[l]` of the dense layer before is redundant: `μ` absorbs it, so `z̃` does not
//! depend on it and its gradient through batch norm is 0 up to rounding (`Σ_j dz_j = 0` for
//! every feature, since `Σ_j ẑ_j = 0`); `β` plays its role. It can stay: it barely moves.
//!
//! # Example
//! ```
//! use constnn::prelude::*;
//!
//! let mut bn = BatchNorm::<2, f64>::new();
//! let z = Batch::<2, f64>::from_rows(4, &[&[1., 2., 3., 6.], &[6., 7., 2., 5.]]);
//! let (mut z_tilde, mut cache) = (Batch::default(), Default::default());
//! bn.forward(&z, &mut z_tilde, &mut cache)?; // training: the batch's statistics
//! // Each feature now has mean 0 and variance σ²/(σ² + ε) ≈ 1 over the batch.
//! assert!(z_tilde.row(0).iter().sum::<f64>().abs() < 1e-12);
//! // One sample has no variance: training refuses it with a typed error.
//! let one = Batch::<2, f64>::from_columns(&[[1., 2.]]);
//! assert!(bn.forward(&one, &mut z_tilde, &mut cache).is_err());
//! # Ok::<(), constnn::Error>(())
//! ```

use rand::rngs::StdRng;

use super::{Build, Layer, Params};
use crate::shape::{Describe, Rule, Shape};
use crate::tensor::{Batch, Init, Tensor, Vector};
use crate::{Error, Scalar};

/// Batch normalization of `N = n[l]` features with learnable `γ`, `β`.
#[derive(Clone, Debug, Params)]
pub struct BatchNorm<const N: usize, T = f32> {
    /// `γ`, the learned scale, `n[l] × 1` (starts at 1).
    #[param(grad = dgamma, name = "gamma", shape = [N])]
    pub gamma: Vector<N, T>,
    /// `β`, the learned shift, `n[l] × 1` (starts at 0).
    #[param(grad = dbeta, name = "beta", shape = [N])]
    pub beta: Vector<N, T>,
    /// `dγ` from the latest backward.
    pub dgamma: Vector<N, T>,
    /// `dβ` from the latest backward.
    pub dbeta: Vector<N, T>,
    /// Running mean of `μ`, used for inference (not learned; saved in checkpoints).
    #[buffer(shape = [N])]
    pub running_mean: Vector<N, T>,
    /// Running mean of `σ²`, used for inference (not learned; saved in checkpoints).
    #[buffer(shape = [N])]
    pub running_var: Vector<N, T>,
    /// Weight of the old running value in each update. Default 0.9.
    pub momentum: f64,
    /// `ε` under the square root. Default 1e-5.
    pub eps: f64,
}

/// What backward needs: `ẑ` and `1/√(σ² + ε)` of each feature.
#[derive(Clone, Debug)]
pub struct BatchNormCache<const N: usize, T = f32> {
    /// `ẑ`, `n[l] × m`.
    pub z_hat: Batch<N, T>,
    /// `1/√(σ² + ε)`, `n[l] × 1`.
    pub inv_std: Vector<N, T>,
}

impl<const N: usize, T: Scalar> Default for BatchNormCache<N, T> {
    fn default() -> Self {
        Self {
            z_hat: Batch::default(),
            inv_std: Vector::zeros(),
        }
    }
}

impl<const N: usize, T: Scalar> BatchNorm<N, T> {
    /// `γ = 1`, `β = 0`, running mean 0 and variance 1, momentum 0.9, `ε = 1e-5`.
    pub fn new() -> Self {
        Self {
            gamma: Vector::from_fn(|_, _| T::one()),
            beta: Vector::zeros(),
            dgamma: Vector::zeros(),
            dbeta: Vector::zeros(),
            running_mean: Vector::zeros(),
            running_var: Vector::from_fn(|_, _| T::one()),
            momentum: 0.9,
            eps: 1e-5,
        }
    }
}

impl<const N: usize, T: Scalar> Default for BatchNorm<N, T> {
    fn default() -> Self {
        Self::new()
    }
}

/// Why batch normalization refuses one value per feature in training (`unit`: what one value
/// is, a `sample` or a `1×1 image`): its variance is 0, so `ẑ = 0`, the output is `β` whatever
/// the input, no gradient reaches the layers below and the running variance drifts to 0.
/// PyTorch raises an error for it too.
pub(super) fn single_value(layer: &str, unit: &str) -> String {
    format!(
        "batch normalization needs at least 2 values per feature in training, but {layer} got \
         a mini-batch of 1 {unit} (its variance is 0); choose a batch size that leaves no \
         mini-batch of 1"
    )
}

/// `out = γ·(z − μ)·inv_std + β` over one group of values, and `ẑ = (z − μ)·inv_std` into
/// `z_hat` when given: the step both batch norms share.
pub(super) fn normalize<T: Scalar>(
    zs: &[T],
    (mu, inv_std): (T, T),
    (g, b): (T, T),
    out: &mut [T],
    z_hat: Option<&mut [T]>,
) {
    for (o, &x) in out.iter_mut().zip(zs) {
        *o = g * ((x - mu) * inv_std) + b;
    }
    if let Some(z_hat) = z_hat {
        for (zh, &x) in z_hat.iter_mut().zip(zs) {
            *zh = (x - mu) * inv_std;
        }
    }
}

/// The mean and the biased variance of `zs`.
pub(super) fn moments<T: Scalar>(zs: &[T]) -> (T, T) {
    let inv_n = T::of(1.0 / zs.len().max(1) as f64);
    let mu = zs.iter().copied().sum::<T>() * inv_n;
    let var = zs.iter().map(|&x| (x - mu) * (x - mu)).sum::<T>() * inv_n;
    (mu, var)
}

impl<const N: usize, T: Scalar> Layer<Batch<N, T>> for BatchNorm<N, T> {
    type Output = Batch<N, T>;
    type Cache = BatchNormCache<N, T>;

    fn forward(
        &mut self,
        z: &Batch<N, T>,
        out: &mut Batch<N, T>,
        c: &mut Self::Cache,
    ) -> crate::Result<()> {
        let m = z.batch_size();
        out.set_batch_size(m);
        if m == 0 {
            return Ok(()); // no statistics to take (and none to fold into the running averages)
        }
        if m == 1 {
            return Err(Error::Layer {
                layer: String::new(),
                reason: single_value("BatchNorm", "sample"),
            });
        }
        c.z_hat.set_batch_size(m);
        let eps = T::of(self.eps);
        let (old, new) = (T::of(self.momentum), T::of(1.0 - self.momentum));
        for i in 0..N {
            let zs = z.row(i);
            let (mu, var) = moments(zs);
            let (run_mu, run_var) = (
                &mut self.running_mean[(i, 0)],
                &mut self.running_var[(i, 0)],
            );
            *run_mu = old * *run_mu + new * mu;
            *run_var = old * *run_var + new * var;
            let inv_std = (var + eps).sqrt().recip();
            c.inv_std[(i, 0)] = inv_std;
            let gb = (self.gamma[(i, 0)], self.beta[(i, 0)]);
            let z_hat = &mut c.z_hat.as_mut_slice()[i * m..][..m];
            normalize(
                zs,
                (mu, inv_std),
                gb,
                &mut out.as_mut_slice()[i * m..][..m],
                Some(z_hat),
            );
        }
        Ok(())
    }

    fn infer(&self, z: &Batch<N, T>, out: &mut Batch<N, T>, _: &mut Self::Cache) {
        let m = z.batch_size();
        out.set_batch_size(m);
        let eps = T::of(self.eps);
        for i in 0..N {
            let (mu, var) = (self.running_mean[(i, 0)], self.running_var[(i, 0)]);
            let inv_std = (var + eps).sqrt().recip();
            let gb = (self.gamma[(i, 0)], self.beta[(i, 0)]);
            normalize(
                z.row(i),
                (mu, inv_std),
                gb,
                &mut out.as_mut_slice()[i * m..][..m],
                None,
            );
        }
    }

    fn backward(
        &mut self,
        _z: &Batch<N, T>,
        _z_tilde: &Batch<N, T>,
        c: &mut Self::Cache,
        dz_tilde: &Batch<N, T>,
        mut dz: Option<&mut Batch<N, T>>,
    ) {
        let m = dz_tilde.batch_size();
        let inv_m = T::of(1.0 / m.max(1) as f64);
        if let Some(dz) = dz.as_deref_mut() {
            dz.set_batch_size(m);
        }
        for i in 0..N {
            let (dy, z_hat) = (dz_tilde.row(i), c.z_hat.row(i));
            let db = dy.iter().copied().sum::<T>() * inv_m;
            let dg = dy.iter().zip(z_hat).map(|(&d, &zh)| d * zh).sum::<T>() * inv_m;
            (self.dbeta[(i, 0)], self.dgamma[(i, 0)]) = (db, dg);
            if let Some(dz) = dz.as_deref_mut() {
                let k = self.gamma[(i, 0)] * c.inv_std[(i, 0)];
                let out = &mut dz.as_mut_slice()[i * m..][..m];
                for ((o, &d), &zh) in out.iter_mut().zip(dy).zip(z_hat) {
                    *o = k * (d - db - zh * dg);
                }
            }
        }
    }
}

impl<const N: usize, T> Describe for BatchNorm<N, T> {
    const RULE: Rule = Rule::map(Shape::flat(N), Shape::flat(N));
}

impl<const N: usize, T: Scalar> Build for BatchNorm<N, T> {
    /// `γ = 1`, `β = 0` whatever the initialization.
    fn build(_: Init, _: &mut StdRng) -> Self {
        Self::new()
    }
}

#[cfg(test)]
#[path = "batch_norm_tests.rs"]
mod tests;
