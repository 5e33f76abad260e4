//! The element type of every tensor: `f32` for training, `f64` for gradient checking.
//!
//! [`Scalar`] is the one bound the crate puts on element types. It bundles `num_traits::Float`
//! (the maths), the dense-product, element-wise and optimizer-update kernels of
//! [`crate::kernel`] (so `f32` can take a SIMD path without the layers knowing), and the
//! conversions the library needs.

use core::fmt::{Debug, Display};
use core::iter::Sum;

use crate::kernel::conv2d::ConvKernel;
use crate::kernel::eltwise::EltwiseKernel;
use crate::kernel::gemm::{Element, Gemm};
use crate::kernel::pool2d::PoolKernel;
use crate::kernel::update::UpdateKernel;

/// An element type: `f32` or `f64`.
pub trait Scalar:
    num_traits::Float
    + Gemm
    + ConvKernel
    + Element
    + EltwiseKernel
    + PoolKernel
    + UpdateKernel
    + Default
    + Debug
    + Display
    + Sum
    + Send
    + Sync
    + 'static
{
    /// The name used in checkpoints and messages (`"f32"`, `"f64"`).
    const NAME: &'static str;

    /// Converts from `f64`, rounding to the nearest representable value.
    fn of(x: f64) -> Self;

    /// Widens to `f64` (exact for both element types).
    fn as_f64(self) -> f64;

    /// The slice as what it is, `f32` or `f64` (for code that must call a per-type function,
    /// such as the training loop's `Collective` sums).
    fn slice_mut(buf: &mut [Self]) -> ScalarSliceMut<'_>;
}

/// A slice of one of the two element types ([`Scalar::slice_mut`]).
#[derive(Debug)]
pub enum ScalarSliceMut<'a> {
    /// `f32` values.
    F32(&'a mut [f32]),
    /// `f64` values.
    F64(&'a mut [f64]),
}

impl Scalar for f32 {
    const NAME: &'static str = "f32";
    #[inline(always)]
    fn of(x: f64) -> Self {
        x as f32
    }
    #[inline(always)]
    fn as_f64(self) -> f64 {
        f64::from(self)
    }
    fn slice_mut(buf: &mut [Self]) -> ScalarSliceMut<'_> {
        ScalarSliceMut::F32(buf)
    }
}

impl Scalar for f64 {
    const NAME: &'static str = "f64";
    #[inline(always)]
    fn of(x: f64) -> Self {
        x
    }
    #[inline(always)]
    fn as_f64(self) -> f64 {
        self
    }
    fn slice_mut(buf: &mut [Self]) -> ScalarSliceMut<'_> {
        ScalarSliceMut::F64(buf)
    }
}
