//! Convolution layer (course 4, week 1).
//!
//! `C_OUT` filters of `F × F × C_IN`, stride `S`, padding `P` (zeros), one bias per filter:
//!
//! Forward   `Z[o, y, x] = b[o] + Σ_{c, u, v} W[o, c, u, v] · A_prev[c, y·S + u − P, x·S + v − P]`
//! with output size `n_H = ⌊(n_H_prev + 2P − F)/S⌋ + 1` (and the same for the width).
//!
//! Backward  `dW = (1/m)·Σ dZ ⊗ A_prev` over the windows, `db = (1/m)·Σ dZ`,
//! `dA_prev[c, i, k] = Σ W[o, c, u, v] · dZ[o, y, x]` over the windows covering `(i, k)`.
//!
//! Like every framework (and the notes), this is a cross-correlation; see
//! the `vision` module for the true convolution, with the filter rotated by 180°.
//!
//! The layer takes any `Images<C_IN, H, W>` and its output type is computed from `H` and `W`
//! by the compiler ([`shape::nat`](crate::shape::nat)): on `Images<1, 28, 28>`,
//! `Conv2d<1, 6, 5>` gives `Images<6, 24, 24>`, and a filter larger than its padded input is
//! an error at `cargo check` naming the sizes.
//!
//! ```
//! use constnn::prelude::*;
//! let conv: Conv2d<1, 6, 5, 1, 2> = Conv2d::new(Init::He, &mut StdRng::seed_from_u64(0));
//! let x = Images::<1, 28, 28>::zeros(3);
//! let z = conv.predict(&x); // ⌊(28 + 4 − 5)/1⌋ + 1 = 28
//! let _: &Images<6, 28, 28> = &z;
//! assert_eq!(z.batch_size(), 3);
//! ```

use rand::rngs::StdRng;

use super::{Build, Layer, Params};
use crate::Scalar;
use crate::kernel::conv2d::{self, ConvDims, ConvScratch};
use crate::shape::{Describe, Rule};
use crate::tensor::typed::Windowed;
use crate::tensor::{Images, Init, Tensor};

/// `C_OUT` filters of `F × F × C_IN`, stride `S` (default 1), padding `P` (default 0).
#[derive(Clone, Debug, Params)]
pub struct Conv2d<
    const C_IN: usize,
    const C_OUT: usize,
    const F: usize,
    const S: usize = 1,
    const P: usize = 0,
    T = f32,
> {
    /// Filters `W[o, c, u, v]`, `C_OUT × C_IN × F × F` row-major (PyTorch's layout).
    #[param(grad = dw, name = "weight", kind = weight, shape = [C_OUT, C_IN, F, F])]
    pub w: Vec<T>,
    /// One bias per filter.
    #[param(grad = db, name = "bias", kind = bias)]
    pub b: Vec<T>,
    /// `dW` from the latest backward.
    pub dw: Vec<T>,
    /// `db` from the latest backward.
    pub db: Vec<T>,
}

impl<
    const C_IN: usize,
    const C_OUT: usize,
    const F: usize,
    const S: usize,
    const P: usize,
    T: Scalar,
> Conv2d<C_IN, C_OUT, F, S, P, T>
{
    /// Number of filter weights, `C_OUT · C_IN · F · F`.
    pub const WEIGHTS: usize = C_OUT * C_IN * F * F;

    /// Filters drawn by `init` with fan-in `C_IN·F²` and fan-out `C_OUT·F²`, biases zero.
    pub fn new(init: Init, rng: &mut StdRng) -> Self {
        let mut w = vec![T::zero(); Self::WEIGHTS];
        init.fill(&mut w, C_IN * F * F, C_OUT * F * F, rng);
        Self::with_filters(w, vec![T::zero(); C_OUT])
    }

    /// Given filters (`C_OUT × C_IN × F × F` row-major) and biases, or `None` on a wrong length.
    pub fn from_params(w: Vec<T>, b: Vec<T>) -> Option<Self> {
        (w.len() == Self::WEIGHTS && b.len() == C_OUT).then(|| Self::with_filters(w, b))
    }

    fn with_filters(w: Vec<T>, b: Vec<T>) -> Self {
        Self {
            dw: vec![T::zero(); w.len()],
            db: vec![T::zero(); b.len()],
            w,
            b,
        }
    }

    /// Filter `W[o, c, u, v]`.
    pub fn weight(&self, o: usize, c: usize, u: usize, v: usize) -> T {
        self.w[((o * C_IN + c) * F + u) * F + v]
    }
}

impl<
    const C_IN: usize,
    const C_OUT: usize,
    const F: usize,
    const S: usize,
    const P: usize,
    T: Scalar,
    const H: usize,
    const W: usize,
> Layer<Images<C_IN, H, W, T>> for Conv2d<C_IN, C_OUT, F, S, P, T>
where
    Images<C_IN, H, W, T>: Windowed<C_OUT, F, S, P, T>,
{
    type Output = <Images<C_IN, H, W, T> as Windowed<C_OUT, F, S, P, T>>::Out;
    type Cache = ConvCache<T>;

    fn forward(
        &mut self,
        x: &Images<C_IN, H, W, T>,
        z: &mut Self::Output,
        cache: &mut ConvCache<T>,
    ) -> crate::Result<()> {
        self.infer(x, z, cache);
        Ok(())
    }

    fn infer(&self, x: &Images<C_IN, H, W, T>, z: &mut Self::Output, cache: &mut ConvCache<T>) {
        let d = self.dims::<H, W, Self::Output>(x.batch_size());
        z.set_batch_size(d.m);
        conv2d::forward(
            d,
            x.as_slice(),
            &self.w,
            &self.b,
            &mut cache.scratch,
            z.as_mut_slice(),
        );
    }

    fn backward(
        &mut self,
        x: &Images<C_IN, H, W, T>,
        _z: &Self::Output,
        cache: &mut ConvCache<T>,
        dz: &Self::Output,
        dx: Option<&mut Images<C_IN, H, W, T>>,
    ) {
        let d = self.dims::<H, W, Self::Output>(x.batch_size());
        let alpha = T::one() / T::of(d.m.max(1) as f64);
        let dx = dx.map(|dx| {
            dx.set_batch_size(d.m);
            dx.as_mut_slice()
        });
        conv2d::backward(
            d,
            alpha,
            x.as_slice(),
            &self.w,
            dz.as_slice(),
            (&mut self.dw, &mut self.db),
            dx,
            &mut cache.scratch,
        );
    }
}

impl<const C_IN: usize, const C_OUT: usize, const F: usize, const S: usize, const P: usize, T>
    Conv2d<C_IN, C_OUT, F, S, P, T>
{
    /// The kernel sizes for `m` images of `H × W` giving `Out`.
    fn dims<const H: usize, const W: usize, Out: Tensor>(&self, m: usize) -> ConvDims {
        ConvDims {
            c_in: C_IN,
            h: H,
            w: W,
            c_out: C_OUT,
            oh: Out::SHAPE.dims[1],
            ow: Out::SHAPE.dims[2],
            f: F,
            s: S,
            p: P,
            m,
        }
    }
}

/// What a convolution keeps between forward and backward: its input with the zero border of
/// `P` (read again by `dW`) and the kernels' scratch, all reused across steps.
#[derive(Clone, Debug, Default)]
pub struct ConvCache<T> {
    scratch: ConvScratch<T>,
}

impl<const C_IN: usize, const C_OUT: usize, const F: usize, const S: usize, const P: usize, T>
    Describe for Conv2d<C_IN, C_OUT, F, S, P, T>
{
    const RULE: Rule = Rule::images()
        .channels(C_IN)
        .window2d(F, S, P)
        .resize(0, C_OUT);
}

impl<
    const C_IN: usize,
    const C_OUT: usize,
    const F: usize,
    const S: usize,
    const P: usize,
    T: Scalar,
> Build for Conv2d<C_IN, C_OUT, F, S, P, T>
{
    fn build(init: Init, rng: &mut StdRng) -> Self {
        Self::new(init, rng)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gradcheck;
    use rand::SeedableRng;

    #[test]
    fn forward_matches_hand_computed_2_channel_stride_2_padding_1() {
        // The kernel test's case through the layer: channel 0 = 1..9, channel 1 = ones,
        // filter picks channel 0's centre and channel 1's top-left, b = 10 → [[11, 13], [17, 20]].
        let mut w = vec![0.0; 18];
        (w[4], w[9]) = (1.0, 1.0);
        let conv = Conv2d::<2, 1, 3, 2, 1, f64>::from_params(w, vec![10.0]).unwrap();
        let x =
            Images::<2, 3, 3, f64>::from_fn(
                1,
                |c, h, w, _| if c == 0 { (h * 3 + w + 1) as f64 } else { 1.0 },
            );
        let z: Images<1, 2, 2, f64> = conv.predict(&x);
        assert_eq!(z.as_slice(), &[11.0, 13.0, 17.0, 20.0]);
    }

    #[test]
    fn backward_passes_gradcheck_with_stride_and_padding() {
        let mut conv: Conv2d<2, 3, 3, 2, 1, f64> =
            Conv2d::new(Init::He, &mut StdRng::seed_from_u64(4));
        let x = Images::<2, 5, 5, f64>::from_fn(3, |c, h, w, j| {
            ((c * 7 + h * 3 + w * 5 + j * 11) % 13) as f64 / 6.0 - 1.0
        });
        let report = gradcheck::check_layer(&mut conv, &x, 1e-6, 2).unwrap();
        assert_eq!(report.num_params, 3 * 2 * 9 + 3);
        assert!(report.max_error() < 1e-7, "{report}");
    }

    #[test]
    fn one_image_and_a_batch_agree() {
        let conv: Conv2d<1, 2, 3, 1, 1, f64> =
            Conv2d::new(Init::Glorot, &mut StdRng::seed_from_u64(1));
        let x =
            Images::<1, 4, 4, f64>::from_fn(5, |_, h, w, j| (h * 4 + w) as f64 * (j as f64 + 1.0));
        let all: Images<2, 4, 4, f64> = conv.predict(&x);
        let one = Images::<1, 4, 4, f64>::from_fn(1, |c, h, w, _| x.get(c, h, w, 3));
        let single: Images<2, 4, 4, f64> = conv.predict(&one);
        assert_eq!(single.sample(0), all.sample(3));
    }
}
