//! Max and average pooling (course 4, week 1): an `F × F` window moved with stride `S`
//! (default `F`) over each channel, no padding, no parameters.
//!
//! | | forward | backward |
//! |---|---|---|
//! | [`MaxPool2d`] | `A[c, y, x] = max` of the window | `dA_prev` gets `dA` at the window's maximum (a mask) |
//! | [`AvgPool2d`] | `A[c, y, x] = (1/F²)·Σ` of the window | `dA_prev` gets `dA/F²` at every window position |
//!
//! Output size `⌊(n − F)/S⌋ + 1`, checked like [`Conv2d`](super::Conv2d)'s.

use super::{Layer, Mode, Params};
use crate::Scalar;
use crate::kernel::pool2d::PoolDims;
use crate::shape::{Describe, LayerInfo, Message, Rule, Shape, check_window_output};
use crate::tensor::{Images, Tensor};

/// Max pooling with an `F × F` window and stride `S`.
#[derive(Clone, Copy, Debug, Default)]
pub struct MaxPool2d<const F: usize, const S: usize = F>;

/// Average pooling with an `F × F` window and stride `S`.
#[derive(Clone, Copy, Debug, Default)]
pub struct AvgPool2d<const F: usize, const S: usize = F>;

#[allow(clippy::extra_unused_type_parameters)] // all are needed by the const checks
fn dims<
    const F: usize,
    const S: usize,
    const C: usize,
    const H: usize,
    const W: usize,
    const OH: usize,
    const OW: usize,
>(
    m: usize,
) -> PoolDims {
    const {
        let name = Message::new()
            .str("pooling <")
            .num(F)
            .str(", ")
            .num(S)
            .str(">");
        let rule = Rule::Pool2d { f: F, s: S };
        check_window_output(
            name.as_str(),
            rule,
            Shape::image(C, H, W),
            Shape::image(C, OH, OW),
        );
    }
    PoolDims {
        c: C,
        h: H,
        w: W,
        oh: OH,
        ow: OW,
        f: F,
        s: S,
        m,
    }
}

impl<
    const F: usize,
    const S: usize,
    const C: usize,
    const H: usize,
    const W: usize,
    const OH: usize,
    const OW: usize,
    T: Scalar,
> Layer<Images<C, H, W, T>, Images<C, OH, OW, T>> for MaxPool2d<F, S>
{
    /// The input position of each output's maximum (filled in [`Train`](super::Train) mode).
    type Cache = Vec<u32>;

    fn forward<M: Mode>(
        &mut self,
        x: &Images<C, H, W, T>,
        y: &mut Images<C, OH, OW, T>,
        arg: &mut Vec<u32>,
    ) {
        let d = dims::<F, S, C, H, W, OH, OW>(x.batch_size());
        y.set_batch_size(d.m);
        let arg = if M::TRAINING {
            arg.resize(C * OH * OW * d.m, 0);
            Some(&mut arg[..])
        } else {
            None // inference: no backward will read the positions
        };
        T::max_pool_forward(d, x.as_slice(), y.as_mut_slice(), arg);
    }

    fn backward(
        &mut self,
        x: &Images<C, H, W, T>,
        _y: &Images<C, OH, OW, T>,
        arg: &mut Vec<u32>,
        dy: &Images<C, OH, OW, T>,
        dx: Option<&mut Images<C, H, W, T>>,
    ) {
        let Some(dx) = dx else { return };
        let d = dims::<F, S, C, H, W, OH, OW>(x.batch_size());
        dx.set_batch_size(d.m);
        T::max_pool_backward(d, dy.as_slice(), arg, dx.as_mut_slice());
    }
}

impl<
    const F: usize,
    const S: usize,
    const C: usize,
    const H: usize,
    const W: usize,
    const OH: usize,
    const OW: usize,
    T: Scalar,
> Layer<Images<C, H, W, T>, Images<C, OH, OW, T>> for AvgPool2d<F, S>
{
    type Cache = ();

    fn forward<M: Mode>(
        &mut self,
        x: &Images<C, H, W, T>,
        y: &mut Images<C, OH, OW, T>,
        _: &mut (),
    ) {
        let d = dims::<F, S, C, H, W, OH, OW>(x.batch_size());
        y.set_batch_size(d.m);
        T::avg_pool_forward(d, x.as_slice(), y.as_mut_slice());
    }

    fn backward(
        &mut self,
        x: &Images<C, H, W, T>,
        _y: &Images<C, OH, OW, T>,
        _: &mut (),
        dy: &Images<C, OH, OW, T>,
        dx: Option<&mut Images<C, H, W, T>>,
    ) {
        let Some(dx) = dx else { return };
        let d = dims::<F, S, C, H, W, OH, OW>(x.batch_size());
        dx.set_batch_size(d.m);
        T::avg_pool_backward(d, dy.as_slice(), dx.as_mut_slice());
    }
}

impl<const F: usize, const S: usize> Describe for MaxPool2d<F, S> {
    const INFO: LayerInfo = LayerInfo {
        rule: Rule::Pool2d { f: F, s: S },
        params: 0,
    };
}
impl<const F: usize, const S: usize> Describe for AvgPool2d<F, S> {
    const INFO: LayerInfo = LayerInfo {
        rule: Rule::Pool2d { f: F, s: S },
        params: 0,
    };
}
impl<const F: usize, const S: usize, T> Params<T> for MaxPool2d<F, S> {}
impl<const F: usize, const S: usize, T> Params<T> for AvgPool2d<F, S> {}

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
        let r = gradcheck::check_layer::<f64, _, Images<2, 2, 2, f64>, _>(
            &mut MaxPool2d::<2>,
            &x,
            1e-6,
            3,
        );
        assert!(r.max_error() < 1e-7, "{r}");
    }

    #[test]
    fn avg_pool_passes_gradcheck_with_overlap() {
        let x = distinct::<2, 5, 5>(2);
        let r = gradcheck::check_layer::<f64, _, Images<2, 2, 2, f64>, _>(
            &mut AvgPool2d::<3, 2>,
            &x,
            1e-6,
            4,
        );
        assert!(r.max_error() < 1e-7, "{r}");
    }
}
