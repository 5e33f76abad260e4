//! Max and average pooling (course 4, week 1): an `F × F` window moved with stride `S`
//! (default `F`) over each channel, no padding, no parameters.
//!
//! | | forward | backward |
//! |---|---|---|
//! | [`MaxPool2d`] | `A[c, y, x] = max` of the window | `dA_prev` gets `dA` at the window's maximum (a mask) |
//! | [`AvgPool2d`] | `A[c, y, x] = (1/F²)·Σ` of the window | `dA_prev` gets `dA/F²` at every window position |
//!
//! Output size `⌊(n − F)/S⌋ + 1`, checked like [`Conv2d`](super::Conv2d)'s.

use super::{Build, Layer, Params};
use crate::Scalar;
use crate::kernel::pool2d::PoolDims;
use crate::shape::{Describe, Rule};
use crate::tensor::typed::Windowed;
use crate::tensor::{Images, Init, Tensor};

/// Max pooling with an `F × F` window and stride `S`.
#[derive(Clone, Copy, Debug, Default, Params)]
pub struct MaxPool2d<const F: usize, const S: usize = F>;

/// Average pooling with an `F × F` window and stride `S`.
#[derive(Clone, Copy, Debug, Default, Params)]
pub struct AvgPool2d<const F: usize, const S: usize = F>;

/// The kernel sizes for `m` images of `C × H × W` pooled to `Out`.
fn dims<
    const F: usize,
    const S: usize,
    const C: usize,
    const H: usize,
    const W: usize,
    Out: Tensor,
>(
    m: usize,
) -> PoolDims {
    PoolDims {
        c: C,
        h: H,
        w: W,
        oh: Out::SHAPE.dims[1],
        ow: Out::SHAPE.dims[2],
        f: F,
        s: S,
        m,
    }
}

impl<const F: usize, const S: usize, const C: usize, const H: usize, const W: usize, T: Scalar>
    Layer<Images<C, H, W, T>> for MaxPool2d<F, S>
where
    Images<C, H, W, T>: Windowed<C, F, S, 0, T>,
{
    type Output = <Images<C, H, W, T> as Windowed<C, F, S, 0, T>>::Out;
    /// The input position of each output's maximum (filled by `forward`).
    type Cache = Vec<u32>;

    fn forward(
        &mut self,
        x: &Images<C, H, W, T>,
        y: &mut Self::Output,
        arg: &mut Vec<u32>,
    ) -> crate::Result<()> {
        let d = dims::<F, S, C, H, W, Self::Output>(x.batch_size());
        y.set_batch_size(d.m);
        arg.resize(C * d.oh * d.ow * d.m, 0);
        T::max_pool_forward(d, x.as_slice(), y.as_mut_slice(), Some(&mut arg[..]));
        Ok(())
    }

    fn infer(&self, x: &Images<C, H, W, T>, y: &mut Self::Output, _: &mut Vec<u32>) {
        let d = dims::<F, S, C, H, W, Self::Output>(x.batch_size());
        y.set_batch_size(d.m);
        T::max_pool_forward(d, x.as_slice(), y.as_mut_slice(), None); // no backward follows
    }

    fn backward(
        &mut self,
        x: &Images<C, H, W, T>,
        _y: &Self::Output,
        arg: &mut Vec<u32>,
        dy: &Self::Output,
        dx: Option<&mut Images<C, H, W, T>>,
    ) {
        let Some(dx) = dx else { return };
        let d = dims::<F, S, C, H, W, Self::Output>(x.batch_size());
        dx.set_batch_size(d.m);
        T::max_pool_backward(d, dy.as_slice(), arg, dx.as_mut_slice());
    }
}

impl<const F: usize, const S: usize, const C: usize, const H: usize, const W: usize, T: Scalar>
    Layer<Images<C, H, W, T>> for AvgPool2d<F, S>
where
    Images<C, H, W, T>: Windowed<C, F, S, 0, T>,
{
    type Output = <Images<C, H, W, T> as Windowed<C, F, S, 0, T>>::Out;
    type Cache = ();

    fn forward(
        &mut self,
        x: &Images<C, H, W, T>,
        y: &mut Self::Output,
        c: &mut (),
    ) -> crate::Result<()> {
        self.infer(x, y, c);
        Ok(())
    }

    fn infer(&self, x: &Images<C, H, W, T>, y: &mut Self::Output, _: &mut ()) {
        let d = dims::<F, S, C, H, W, Self::Output>(x.batch_size());
        y.set_batch_size(d.m);
        T::avg_pool_forward(d, x.as_slice(), y.as_mut_slice());
    }

    fn backward(
        &mut self,
        x: &Images<C, H, W, T>,
        _y: &Self::Output,
        _: &mut (),
        dy: &Self::Output,
        dx: Option<&mut Images<C, H, W, T>>,
    ) {
        let Some(dx) = dx else { return };
        let d = dims::<F, S, C, H, W, Self::Output>(x.batch_size());
        dx.set_batch_size(d.m);
        T::avg_pool_backward(d, dy.as_slice(), dx.as_mut_slice());
    }
}

impl<const F: usize, const S: usize> Describe for MaxPool2d<F, S> {
    const RULE: Rule = Rule::images().window2d(F, S, 0);
}
impl<const F: usize, const S: usize> Describe for AvgPool2d<F, S> {
    const RULE: Rule = Rule::images().window2d(F, S, 0);
}
impl<const F: usize, const S: usize> Build for MaxPool2d<F, S> {
    fn build(_: Init, _: &mut rand::rngs::StdRng) -> Self {
        Self
    }
}
impl<const F: usize, const S: usize> Build for AvgPool2d<F, S> {
    fn build(_: Init, _: &mut rand::rngs::StdRng) -> Self {
        Self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gradcheck;

    /// Distinct values (a permutation scaled), so no window has a tie within ±1e-6.
    fn distinct<const C: usize, const H: usize, const W: usize>(m: usize) -> Images<C, H, W, f64> {
        Images::from_fn(m, |c, h, w, j| {
            (((c * H + h) * W + w) * 37 + j * 101) as f64 % 97.0 / 10.0
        })
    }

    #[test]
    fn max_pool_matches_hand_computation() {
        let x = Images::<1, 4, 4, f64>::from_fn(1, |_, h, w, _| (h * 4 + w) as f64);
        let y: Images<1, 2, 2, f64> = MaxPool2d::<2>.predict(&x);
        assert_eq!(y.as_slice(), &[5.0, 7.0, 13.0, 15.0]);
        let a: Images<1, 2, 2, f64> = AvgPool2d::<2>.predict(&x);
        assert_eq!(a.as_slice(), &[2.5, 4.5, 10.5, 12.5]);
        // Overlapping windows: 3×3, stride 1 on 4×4 → 2×2 of maxima 10, 11, 14, 15.
        let o: Images<1, 2, 2, f64> = MaxPool2d::<3, 1>.predict(&x);
        assert_eq!(o.as_slice(), &[10.0, 11.0, 14.0, 15.0]);
    }

    #[test]
    fn max_pool_passes_gradcheck_away_from_ties() {
        let x = distinct::<2, 4, 4>(3);
        let r = gradcheck::check_layer(&mut MaxPool2d::<2>, &x, 1e-6, 3).unwrap();
        assert!(r.max_error() < 1e-7, "{r}");
    }

    #[test]
    fn avg_pool_passes_gradcheck_with_overlap() {
        let x = distinct::<2, 5, 5>(2);
        let r = gradcheck::check_layer(&mut AvgPool2d::<3, 2>, &x, 1e-6, 4).unwrap();
        assert!(r.max_error() < 1e-7, "{r}");
    }
}
