//! Inverted dropout (course 2, week 1; Srivastava et al. 2014).
//!
//! Forward (training)  `D[l] = (rand(n[l], m) < keep_prob)`   `A[l] := A[l] ⊙ D[l] / keep_prob`
//!
//! Backward         `dA[l-1] = dA[l] ⊙ D[l] / keep_prob`   (the same mask, so the same units)
//!
//! Inference           `A[l] := A[l]`   (dividing by `keep_prob` during training already keeps the
//! expected value of every unit, so nothing is scaled at test time)
//!
//! Each unit is kept with probability `keep_prob`, independently, from the layer's seeded
//! generator (ChaCha12, the algorithm of `rand`'s `StdRng`); every training [`forward`](Layer::forward) draws a new mask. The cache holds the
//! scaled mask `D[l] / keep_prob` for backward. The layer works on any tensor shape
//! (element-wise, like an activation) and has no parameters.
//!
//! # Gradient checking with dropout
//! Gradient checking evaluates `J` many times and needs the same function each time, so a
//! fresh mask per forward breaks it. Either
//! * check with `keep_prob = 1` (the notes' advice: dropout off), which is exactly the identity, or
//! * build the layer with [`Dropout::fixed_mask`]: every forward re-seeds its generator, so
//!   every forward on a tensor of the same size draws the same mask and `J` is a fixed
//!   function of the parameters (then backward is checked through a mask that really drops).
//!
//! # Example
//! ```
//! use constnn::prelude::*;
//!
//! let mut drop = Dropout::new(0.5, 7)?;
//! let a = Batch::<3>::from_fn(4, |_, _| 1.0);
//! let (mut out, mut mask) = (Batch::default(), Batch::default());
//! drop.forward(&a, &mut out, &mut mask)?; // training: a fresh mask
//! // Each unit is 0 (dropped) or 1 / 0.5 = 2 (kept and scaled).
//! assert!(out.as_slice().iter().all(|&v| v == 0.0 || v == 2.0));
//! assert_eq!(drop.predict(&a), a); // inference: the identity
//! # Ok::<(), constnn::Error>(())
//! ```

use rand::SeedableRng;
use rand::distr::{Bernoulli, Distribution};
use rand::rngs::ChaCha12Rng;

use super::{Generator, Layer, ParamCount, Params, Visitor};
use crate::shape::{Describe, Rule};
use crate::tensor::Tensor;
use crate::{Error, Result, Scalar};

/// Inverted dropout keeping each unit with probability `keep_prob`.
///
/// The fields are private so that `0 < keep_prob ≤ 1` holds (checked by the constructors).
/// A clone draws the same masks as the original from then on.
#[derive(Debug)]
pub struct Dropout {
    keep_prob: f64,
    keep: Bernoulli,
    rng: ChaCha12Rng,
    /// The generator's seed.
    seed: u64,
    /// Re-seed before every forward ([`Dropout::fixed_mask`]).
    fixed: bool,
}

impl Dropout {
    /// Dropout keeping each unit with probability `keep_prob`, masks drawn from a generator
    /// seeded with `seed` (a new mask each forward).
    ///
    /// # Errors
    /// [`Error::Data`] unless `0 < keep_prob ≤ 1`.
    pub fn new(keep_prob: f64, seed: u64) -> Result<Self> {
        let keep = match Bernoulli::new(keep_prob) {
            Ok(b) if keep_prob > 0.0 => b,
            _ => {
                return Err(Error::Data {
                    what: "dropout keep_prob".into(),
                    reason: format!("{keep_prob} is not in (0, 1]"),
                });
            }
        };
        Ok(Self {
            keep_prob,
            keep,
            rng: ChaCha12Rng::seed_from_u64(seed),
            seed,
            fixed: false,
        })
    }

    /// Like [`Dropout::new`], but the generator is re-seeded with `seed` before every
    /// forward, so every forward on a tensor of the same size uses the same mask: for
    /// gradient checking with dropout on, not for training.
    ///
    /// # Errors
    /// [`Error::Data`] unless `0 < keep_prob ≤ 1`.
    pub fn fixed_mask(keep_prob: f64, seed: u64) -> Result<Self> {
        let mut d = Self::new(keep_prob, seed)?;
        d.fixed = true;
        Ok(d)
    }

    /// The probability of keeping a unit.
    pub fn keep_prob(&self) -> f64 {
        self.keep_prob
    }
}

/// No parameters; the generator is reported through [`Visitor::generator`].
impl ParamCount for Dropout {
    fn num_params(&self) -> usize {
        0
    }
}

impl<T> Params<T> for Dropout {
    fn visit(&mut self, v: &mut dyn Visitor<T>) {
        v.generator(Generator(&mut self.rng));
    }
}

impl Clone for Dropout {
    /// The same settings, and a generator at the same position of the same stream.
    fn clone(&self) -> Self {
        let mut rng = ChaCha12Rng::seed_from_u64(self.seed);
        rng.set_stream(self.rng.get_stream());
        rng.set_word_pos(self.rng.get_word_pos());
        Self {
            keep_prob: self.keep_prob,
            keep: self.keep,
            rng,
            seed: self.seed,
            fixed: self.fixed,
        }
    }
}

impl<X: Tensor> Layer<X> for Dropout {
    type Output = X;
    /// The scaled mask `D / keep_prob` of the latest training forward.
    type Cache = X;

    fn infer(&self, a_prev: &X, a: &mut X, _: &mut X) {
        a.set_batch_size(a_prev.batch_size());
        a.as_mut_slice().copy_from_slice(a_prev.as_slice());
    }

    fn forward(&mut self, a_prev: &X, a: &mut X, mask: &mut X) -> crate::Result<()> {
        a.set_batch_size(a_prev.batch_size());
        if self.fixed {
            let stream = self.rng.get_stream();
            self.rng = ChaCha12Rng::seed_from_u64(self.seed);
            self.rng.set_stream(stream);
        }
        mask.set_batch_size(a_prev.batch_size());
        let scale = X::Elem::of(1.0 / self.keep_prob);
        let zero = X::Elem::zero();
        if self.keep_prob == 1.0 {
            // D = 1 everywhere: skip the draws so keep_prob = 1 is exactly the identity.
            mask.as_mut_slice().fill(X::Elem::one());
        } else {
            for d in mask.as_mut_slice() {
                *d = if self.keep.sample(&mut self.rng) {
                    scale
                } else {
                    zero
                };
            }
        }
        let pairs = a_prev.as_slice().iter().zip(mask.as_slice());
        for (a, (&x, &d)) in a.as_mut_slice().iter_mut().zip(pairs) {
            *a = x * d;
        }
        Ok(())
    }

    fn backward(&mut self, _: &X, _: &X, mask: &mut X, da: &X, da_prev: Option<&mut X>) {
        let Some(da_prev) = da_prev else { return };
        da_prev.set_batch_size(da.batch_size());
        let pairs = da.as_slice().iter().zip(mask.as_slice());
        for (out, (&g, &d)) in da_prev.as_mut_slice().iter_mut().zip(pairs) {
            *out = g * d;
        }
    }
}

impl Describe for Dropout {
    const RULE: Rule = Rule::SAME;
}

use num_traits::{One as _, Zero as _};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gradcheck;
    use crate::layer::{Dense, ParamCount};
    use crate::tensor::{Batch, Init};

    fn train<X: Tensor>(d: &mut Dropout, x: &X) -> (X, X) {
        let (mut y, mut mask) = (X::default(), X::default());
        d.forward(x, &mut y, &mut mask).unwrap();
        (y, mask)
    }

    fn ramp(m: usize) -> Batch<4, f64> {
        Batch::from_fn(m, |i, j| (i * m + j) as f64 * 0.1 - 0.7)
    }

    #[test]
    fn keep_prob_outside_0_1_is_an_error() {
        for p in [0.0, -0.5, 1.5, f64::NAN] {
            let e = Dropout::new(p, 0).unwrap_err();
            assert!(e.to_string().starts_with("dropout keep_prob: "), "{e}");
        }
        assert_eq!(Dropout::new(1.0, 0).unwrap().keep_prob(), 1.0);
    }

    #[test]
    fn inference_is_the_identity() {
        let x = ramp(5);
        let d = Dropout::new(0.3, 1).unwrap();
        let (mut y, mut mask) = (Batch::default(), Batch::default());
        d.infer(&x, &mut y, &mut mask);
        assert_eq!(y, x);
    }

    #[test]
    fn train_mode_scales_kept_units_and_zeroes_the_rest() {
        // keep_prob = 0.8: a kept unit x becomes x / 0.8 = 1.25·x, a dropped one 0.
        let x = Batch::<4, f64>::from_fn(50, |i, j| 1.0 + (i + j) as f64);
        let (y, mask) = train(&mut Dropout::new(0.8, 3).unwrap(), &x);
        let (mut kept, mut dropped) = (0, 0);
        for ((&y, &x), &d) in y.as_slice().iter().zip(x.as_slice()).zip(mask.as_slice()) {
            if d == 0.0 {
                assert_eq!(y, 0.0);
                dropped += 1;
            } else {
                assert_eq!(d, 1.25);
                assert_eq!(y, x * 1.25);
                kept += 1;
            }
        }
        assert!(kept > 0 && dropped > 0, "{kept} kept, {dropped} dropped");
    }

    #[test]
    fn mean_activation_is_preserved_on_average() {
        // E[D/p] = 1. Over 100 × 1000 units the mean of D/p has standard deviation
        // √((1 − p)/p) / √(1e5) ≈ 0.0016 for p = 0.7, so 0.01 is more than 6 standard deviations.
        let x = Batch::<100, f32>::from_fn(1000, |_, _| 1.0);
        let (y, _) = train(&mut Dropout::new(0.7, 11).unwrap(), &x);
        let mean = y.as_slice().iter().map(|&v| f64::from(v)).sum::<f64>() / 1e5;
        assert!((mean - 1.0).abs() < 0.01, "mean {mean}");
        let kept = y.as_slice().iter().filter(|&&v| v != 0.0).count() as f64 / 1e5;
        assert!((kept - 0.7).abs() < 0.01, "kept share {kept}");
    }

    #[test]
    fn same_seed_gives_the_same_masks_and_forwards_draw_new_ones() {
        let x = ramp(30);
        let (mut a, mut b) = (
            Dropout::new(0.5, 42).unwrap(),
            Dropout::new(0.5, 42).unwrap(),
        );
        let (first, mask_a) = train(&mut a, &x);
        assert_eq!(mask_a, train(&mut b, &x).1);
        let (second, _) = train(&mut a, &x);
        assert_ne!(first, second, "a second forward draws a new mask");
        assert_ne!(mask_a, train(&mut Dropout::new(0.5, 43).unwrap(), &x).1);
    }

    #[test]
    fn another_stream_draws_other_masks_and_clones_keep_the_stream() {
        // What data-parallel replicas do (train::DataParallel): the same seed, stream k.
        let x = ramp(30);
        let mut a = Dropout::new(0.5, 42).unwrap();
        let mut b = a.clone();
        Params::<f64>::visit(&mut b, &mut StreamOne);
        let mut c = b.clone();
        let mask_b = train(&mut b, &x).1;
        assert_ne!(train(&mut a, &x).1, mask_b);
        assert_eq!(train(&mut c, &x).1, mask_b, "the clone is on stream 1 too");
    }

    /// Puts every generator on stream 1.
    struct StreamOne;
    impl crate::layer::Visitor<f64> for StreamOne {
        fn param(&mut self, _: crate::layer::Param<'_, f64>) {}
        fn generator(&mut self, mut g: crate::layer::Generator<'_>) {
            g.set_stream(1);
        }
    }

    #[test]
    fn a_clone_draws_what_the_original_draws_next() {
        let x = ramp(30);
        let mut a = Dropout::new(0.5, 42).unwrap();
        let _ = train(&mut a, &x); // move the generator away from its start
        let mut b = a.clone();
        assert_eq!(train(&mut a, &x).1, train(&mut b, &x).1);
        assert_eq!(train(&mut a, &x).1, train(&mut b, &x).1);
    }

    #[test]
    fn fixed_mask_repeats_its_mask() {
        let x = ramp(30);
        let mut d = Dropout::fixed_mask(0.5, 9).unwrap();
        let (y1, m1) = train(&mut d, &x);
        let (y2, m2) = train(&mut d, &x);
        assert_eq!((y1, &m1), (y2, &m2));
        assert_eq!(m1, train(&mut Dropout::new(0.5, 9).unwrap(), &x).1);
    }

    #[test]
    fn backward_uses_the_same_mask() {
        // dA_prev = dA ⊙ D / keep_prob: zero exactly where the forward dropped, dA / 0.6 elsewhere.
        let x = ramp(20);
        let mut d = Dropout::new(0.6, 5).unwrap();
        let (y, mut mask) = train(&mut d, &x);
        let da = Batch::<4, f64>::from_fn(20, |i, j| 1.0 + (i + 2 * j) as f64);
        let mut da_prev = Batch::default();
        d.backward(&x, &y, &mut mask, &da, Some(&mut da_prev));
        for ((&g, &out), &yv) in da
            .as_slice()
            .iter()
            .zip(da_prev.as_slice())
            .zip(y.as_slice())
        {
            let dropped = yv == 0.0; // x is never 0 on this ramp
            assert_eq!(out, if dropped { 0.0 } else { g / 0.6 });
        }
    }

    #[test]
    fn keep_prob_1_is_exactly_the_identity() {
        let x = ramp(7);
        let (y, mask) = train(&mut Dropout::new(1.0, 0).unwrap(), &x);
        assert_eq!(y, x);
        assert!(mask.as_slice().iter().all(|&d| d == 1.0));
    }

    #[test]
    fn backward_passes_gradcheck_with_dropout_off() {
        let report =
            gradcheck::check_layer(&mut Dropout::new(1.0, 0).unwrap(), &ramp(5), 1e-6, 2).unwrap();
        assert_eq!(report.num_params, 0);
        assert!(report.max_error() < 1e-7, "{report}");
    }

    #[test]
    fn backward_passes_gradcheck_with_a_fixed_mask() {
        // Dense then dropout, as a chain: the dense parameters and the input are checked
        // through a mask that really drops (about half the units).
        let x = ramp(6);
        let dense: Dense<4, 3, f64> =
            Dense::new(Init::Glorot, &mut rand::rngs::StdRng::seed_from_u64(4));
        let mut drop = Dropout::fixed_mask(0.5, 8).unwrap();
        let (z, y_drop) = {
            let z = dense.predict(&x);
            let (y, _) = train(&mut drop, &z);
            (z, y)
        };
        assert!(y_drop.as_slice().contains(&0.0));
        let direct = gradcheck::check_layer(&mut drop, &z, 1e-6, 3).unwrap();
        assert!(direct.max_error() < 1e-7, "{direct}");

        #[derive(crate::Network)]
        struct DenseDrop {
            d: Dense<4, 3, f64>,
            drop: Dropout,
        }
        let mut net = DenseDrop { d: dense, drop };
        let report = gradcheck::check_layer(&mut net, &x, 1e-6, 3).unwrap();
        assert_eq!(report.num_params, 15);
        assert!(report.max_error() < 1e-7, "{report}");
    }

    #[test]
    fn dropout_takes_any_shape_and_has_no_params() {
        assert_eq!(Dropout::RULE, Rule::SAME);
        assert_eq!(ParamCount::num_params(&Dropout::new(0.5, 0).unwrap()), 0);
    }
}
