//! Batch normalization of convolution outputs (course 4 with course 2's maths; Ioffe &
//! Szegedy 2015): one `γ`, `β` per channel, the statistics of channel `c` taken over the
//! batch and all `H × W` positions, `N = m·H·W` values:
//!
//! `μ_c = (1/N)·Σ z`   `σ²_c = (1/N)·Σ (z − μ_c)²`   `ẑ = (z − μ_c)/√(σ²_c + ε)`   `z̃ = γ_c·ẑ + β_c`
//!
//! Backward with per-sample `dZ̃` (see [`crate::layer`]): `dβ_c = (1/m)·Σ dz̃`,
//! `dγ_c = (1/m)·Σ dz̃·ẑ`, and with the means `⟨·⟩` over the channel's `N` values,
//! `dz = (γ_c/√(σ²_c + ε))·(dz̃ − ⟨dz̃⟩ − ẑ·⟨dz̃·ẑ⟩)` — the dense layer's formula, where
//! the group is a channel instead of a feature. Inference uses running averages (momentum
//! 0.9), as [`BatchNorm`](super::BatchNorm) does.
//!
//! With constnn's layout a channel's `H·W·m` values are one contiguous run, so each channel is
//! normalized in one pass over a slice.

use rand::rngs::StdRng;

use super::batch_norm::{moments, normalize, single_value};
use super::{Build, Layer, Params};
use crate::shape::{Describe, Rule};
use crate::tensor::{Images, Init, Tensor};
use crate::{Error, Scalar};

/// Batch normalization of `C` channels with learnable per-channel `γ`, `β`.
#[derive(Clone, Debug, Params)]
pub struct BatchNorm2d<const C: usize, T = f32> {
    /// `γ` per channel (starts at 1).
    #[param(grad = dgamma, name = "gamma")]
    pub gamma: Vec<T>,
    /// `β` per channel (starts at 0).
    #[param(grad = dbeta, name = "beta")]
    pub beta: Vec<T>,
    /// `dγ` from the latest backward.
    pub dgamma: Vec<T>,
    /// `dβ` from the latest backward.
    pub dbeta: Vec<T>,
    /// Running mean per channel, used for inference (not learned).
    #[buffer]
    pub running_mean: Vec<T>,
    /// Running variance per channel, used for inference (not learned).
    #[buffer]
    pub running_var: Vec<T>,
    /// Weight of the old running value in each update. Default 0.9.
    pub momentum: f64,
    /// `ε` under the square root. Default 1e-5.
    pub eps: f64,
}

impl<const C: usize, T: Scalar> BatchNorm2d<C, T> {
    /// `γ = 1`, `β = 0`, running mean 0 and variance 1, momentum 0.9, `ε = 1e-5`.
    pub fn new() -> Self {
        let (zeros, ones) = (vec![T::zero(); C], vec![T::one(); C]);
        Self {
            gamma: ones.clone(),
            beta: zeros.clone(),
            dgamma: zeros.clone(),
            dbeta: zeros.clone(),
            running_mean: zeros,
            running_var: ones,
            momentum: 0.9,
            eps: 1e-5,
        }
    }
}

impl<const C: usize, T: Scalar> Default for BatchNorm2d<C, T> {
    fn default() -> Self {
        Self::new()
    }
}

/// `ẑ` for the whole batch and `1/√(σ² + ε)` per channel.
#[derive(Clone, Debug, Default)]
pub struct BatchNorm2dCache<T> {
    z_hat: Vec<T>,
    inv_std: Vec<T>,
}

impl<const C: usize, const H: usize, const W: usize, T: Scalar> Layer<Images<C, H, W, T>>
    for BatchNorm2d<C, T>
{
    type Output = Images<C, H, W, T>;
    type Cache = BatchNorm2dCache<T>;

    fn forward(
        &mut self,
        z: &Images<C, H, W, T>,
        out: &mut Self::Output,
        c: &mut Self::Cache,
    ) -> crate::Result<()> {
        let m = z.batch_size();
        out.set_batch_size(m);
        let group = H * W * m;
        if group == 0 {
            return Ok(());
        }
        if group == 1 {
            return Err(Error::Layer {
                layer: String::new(),
                reason: single_value("BatchNorm2d", "1×1 image"),
            });
        }
        c.z_hat.resize(C * group, T::zero());
        c.inv_std.resize(C, T::zero());
        let eps = T::of(self.eps);
        let (old, new) = (T::of(self.momentum), T::of(1.0 - self.momentum));
        for ch in 0..C {
            let zs = &z.as_slice()[ch * group..][..group];
            let (mu, var) = moments(zs);
            self.running_mean[ch] = old * self.running_mean[ch] + new * mu;
            self.running_var[ch] = old * self.running_var[ch] + new * var;
            let inv_std = (var + eps).sqrt().recip();
            c.inv_std[ch] = inv_std;
            let out = &mut out.as_mut_slice()[ch * group..][..group];
            let z_hat = &mut c.z_hat[ch * group..][..group];
            normalize(
                zs,
                (mu, inv_std),
                (self.gamma[ch], self.beta[ch]),
                out,
                Some(z_hat),
            );
        }
        Ok(())
    }

    fn infer(&self, z: &Images<C, H, W, T>, out: &mut Self::Output, _: &mut Self::Cache) {
        let m = z.batch_size();
        out.set_batch_size(m);
        let group = H * W * m;
        let eps = T::of(self.eps);
        for ch in 0..C {
            let zs = &z.as_slice()[ch * group..][..group];
            let (mu, var) = (self.running_mean[ch], self.running_var[ch]);
            let inv_std = (var + eps).sqrt().recip();
            let out = &mut out.as_mut_slice()[ch * group..][..group];
            normalize(
                zs,
                (mu, inv_std),
                (self.gamma[ch], self.beta[ch]),
                out,
                None,
            );
        }
    }

    fn backward(
        &mut self,
        _z: &Images<C, H, W, T>,
        _z_tilde: &Images<C, H, W, T>,
        c: &mut Self::Cache,
        dz_tilde: &Images<C, H, W, T>,
        mut dz: Option<&mut Images<C, H, W, T>>,
    ) {
        let m = dz_tilde.batch_size();
        let group = H * W * m;
        let (inv_m, inv_n) = (
            T::of(1.0 / m.max(1) as f64),
            T::of(1.0 / group.max(1) as f64),
        );
        if let Some(dz) = dz.as_deref_mut() {
            dz.set_batch_size(m);
        }
        for ch in 0..C {
            let (dy, z_hat) = (
                &dz_tilde.as_slice()[ch * group..][..group],
                &c.z_hat[ch * group..][..group],
            );
            let sum_d = dy.iter().copied().sum::<T>();
            let sum_dz = dy.iter().zip(z_hat).map(|(&d, &zh)| d * zh).sum::<T>();
            (self.dbeta[ch], self.dgamma[ch]) = (sum_d * inv_m, sum_dz * inv_m);
            if let Some(dz) = dz.as_deref_mut() {
                let (k, mean_d, mean_dz) = (
                    self.gamma[ch] * c.inv_std[ch],
                    sum_d * inv_n,
                    sum_dz * inv_n,
                );
                for ((o, &d), &zh) in dz.as_mut_slice()[ch * group..][..group]
                    .iter_mut()
                    .zip(dy)
                    .zip(z_hat)
                {
                    *o = k * (d - mean_d - zh * mean_dz);
                }
            }
        }
    }
}

impl<const C: usize, T> Describe for BatchNorm2d<C, T> {
    /// Any `C × H × W` image, unchanged in shape.
    const RULE: Rule = Rule::images().channels(C);
}

impl<const C: usize, T: Scalar> Build for BatchNorm2d<C, T> {
    /// `γ = 1`, `β = 0` whatever the initialization.
    fn build(_: Init, _: &mut StdRng) -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gradcheck;

    #[test]
    fn each_channel_is_normalized_over_batch_and_positions() {
        // Channel 0 holds 1, 2, 3, 4, 5, 6, 7, 8 over 2×2 positions × m = 2: μ = 4.5,
        // σ² = (3.5² + 2.5² + 1.5² + 0.5²)·2/8 = 5.25. Channel 1 is constant 7: ẑ = 0 → z̃ = β.
        let z = Images::<2, 2, 2, f64>::from_fn(2, |c, h, w, j| {
            if c == 0 {
                (1 + j * 4 + h * 2 + w) as f64
            } else {
                7.0
            }
        });
        let mut bn = BatchNorm2d::<2, f64>::new();
        bn.beta[1] = 0.25;
        let mut c = BatchNorm2dCache::default();
        let mut y = Images::default();
        bn.forward(&z, &mut y, &mut c).unwrap();
        let want = (1.0 - 4.5) / (5.25f64 + 1e-5).sqrt();
        assert!((y.get(0, 0, 0, 0) - want).abs() < 1e-12);
        assert!((y.get(1, 1, 1, 1) - 0.25).abs() < 1e-12);
        assert!((bn.running_mean[0] - 0.45).abs() < 1e-12); // 0.9·0 + 0.1·4.5
        // Inference uses the running statistics: (1 − 0.45)/√(0.9·1 + 0.1·5.25 + ε).
        let mut e = Images::default();
        bn.infer(&z, &mut e, &mut c);
        assert!((e.get(0, 0, 0, 0) - (1.0 - 0.45) / (1.425f64 + 1e-5).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn one_value_per_channel_is_refused_in_training_only() {
        // One 1×1 image: each channel has a single value, variance 0 (PyTorch raises an error
        // for this too). One 2×2 image has 4 values per channel and trains.
        let mut bn = BatchNorm2d::<1, f64>::new();
        let (mut y, mut c) = (Images::default(), BatchNorm2dCache::default());
        let one = Images::<1, 1, 1, f64>::from_fn(1, |_, _, _, _| 3.0);
        bn.infer(&one, &mut y, &mut c);
        let err = bn.forward(&one, &mut y, &mut c).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("batch normalization needs at least 2 values per feature in training, but BatchNorm2d got a mini-batch of 1 1×1 image"),
            "{err}"
        );
        assert_eq!(
            bn.running_var[0], 1.0,
            "the running statistics are untouched"
        );
        let four = Images::<1, 2, 2, f64>::from_fn(1, |_, h, w, _| (h * 2 + w) as f64);
        bn.forward(
            &four,
            &mut Images::default(),
            &mut BatchNorm2dCache::default(),
        )
        .unwrap();
    }

    #[test]
    fn backward_passes_gradcheck() {
        let mut bn = BatchNorm2d::<3, f64>::new();
        bn.gamma = vec![0.5, 1.5, -1.0];
        bn.beta = vec![0.1, -0.2, 0.3];
        let x = Images::<3, 3, 2, f64>::from_fn(4, |c, h, w, j| {
            ((c * 31 + h * 7 + w * 13 + j * 5) % 17) as f64 / 4.0 - 2.0
        });
        let r = gradcheck::check_layer(&mut bn, &x, 1e-6, 7).unwrap();
        assert_eq!(r.num_params, 6);
        assert!(r.max_error() < 1e-7, "{r}");
    }
}
